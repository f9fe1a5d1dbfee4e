import Crypto
import FundCore
import Foundation
internal import GRDB

extension SQLiteEvidence {
    func checkpointHeads(studio: String) throws -> (vouchers: ChainPosition, log: ChainPosition, rows: ChainPosition) {
        try queue.read { db in
            let (studioID, _) = try LedgerStore.studioRow(db, code: studio)
            func head(_ sql: String, _ arguments: StatementArguments = []) throws -> ChainPosition {
                try Row.fetchOne(db, sql: sql, arguments: arguments).map { ChainPosition(sequence: $0[0], hash: $0[1]) }
                    ?? ChainPosition(sequence: 0, hash: Canonical.genesis)
            }
            return (
                try head("SELECT seq, hash FROM voucher WHERE studio_id = ? ORDER BY seq DESC LIMIT 1", [studioID]),
                try head("SELECT seq, hash FROM op_log ORDER BY seq DESC LIMIT 1"),
                try head("SELECT seq, hash FROM row_chain ORDER BY seq DESC LIMIT 1")
            )
        }
    }

    func recordCheckpoint(_ checkpoint: Checkpoint, stamp: Stamp) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO checkpoint (studio, host_unit, kind, label, voucher_seq, voucher_hash, log_seq, log_hash, row_seq, row_hash,
                        public_key, signature, at, user) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [
                    checkpoint.studio, checkpoint.hostUnit, checkpoint.kind, checkpoint.label, checkpoint.voucherSequence, checkpoint.voucherHash,
                    checkpoint.logSequence, checkpoint.logHash, checkpoint.rowSequence, checkpoint.rowHash, checkpoint.publicKeyHex,
                    checkpoint.signatureHex, stamp.at, stamp.user,
                ])
        }
    }

    func checkpoints(studio: String) throws -> [Checkpoint] {
        try queue.read { db in try LedgerStore.checkpoints(db, studio: studio) }
    }
}

extension LedgerStore {
    static func checkpoints(_ db: Database, studio: String?) throws -> [Checkpoint] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM checkpoint\(studio == nil ? "" : " WHERE studio = ?") ORDER BY id",
            arguments: StatementArguments(studio.map { [$0] } ?? [])
        ).map { row in
            Checkpoint(
                studio: row["studio"], hostUnit: row["host_unit"], kind: row["kind"], label: row["label"], voucherSequence: row["voucher_seq"],
                voucherHash: row["voucher_hash"], logSequence: row["log_seq"], logHash: row["log_hash"], rowSequence: row["row_seq"],
                rowHash: row["row_hash"], publicKeyHex: row["public_key"], signatureHex: row["signature"], at: row["at"])
        }
    }

    /// Each checkpoint: signed by a registered key of its host unit, and every chain still
    /// passes through the heads it signed.
    static func verifyCheckpoints(_ db: Database, studio: String?, report: inout VerificationReport) throws {
        for checkpoint in try checkpoints(db, studio: studio) {
            func problem(_ message: String) {
                report.problems.append(VerificationProblem(
                    code: .checkpointBroken, studio: checkpoint.studio, voucher: nil,
                    message: "\(checkpoint.kind == "close" ? "结账" : "资料包")检查点（\(checkpoint.label)）：\(message)"))
            }
            let registered = try String.fetchAll(db, sql: "SELECT public_key FROM signing_key WHERE host_unit = ?", arguments: [checkpoint.hostUnit])
            let key = bytes(hex: checkpoint.publicKeyHex).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
            guard registered.contains(checkpoint.publicKeyHex), let key, let signature = bytes(hex: checkpoint.signatureHex),
                key.isValidSignature(signature, for: Data(checkpoint.signedText.utf8))
            else {
                problem("签名无效，或签名公钥不是依托单位 \(checkpoint.hostUnit) 登记的公钥")
                continue
            }
            let studioID = try Int64.fetchOne(db, sql: "SELECT id FROM studio WHERE code = ?", arguments: [checkpoint.studio])
            let checks: [(String, String, [any DatabaseValueConvertible], Int, String)] = [
                ("凭证链", "SELECT hash FROM voucher WHERE studio_id = ? AND seq = ?", [studioID ?? -1, checkpoint.voucherSequence],
                 checkpoint.voucherSequence, checkpoint.voucherHash),
                ("操作日志", "SELECT hash FROM op_log WHERE seq = ?", [checkpoint.logSequence], checkpoint.logSequence, checkpoint.logHash),
                ("行链", "SELECT hash FROM row_chain WHERE seq = ?", [checkpoint.rowSequence], checkpoint.rowSequence, checkpoint.rowHash),
            ]
            for (name, sql, arguments, sequence, hash) in checks where sequence > 0 {
                let stored = try String.fetchOne(db, sql: sql, arguments: StatementArguments(arguments))
                if stored != hash {
                    problem("\(name)第 \(sequence) 条\(stored == nil ? "已不存在" : "的哈希与签署时不符")：签署后账簿被改写")
                }
            }
        }
    }
}
