import Crypto
import FundCore
import Foundation
internal import GRDB

extension LedgerStore {
    static func hex(_ digest: some Sequence<UInt8>) -> String { Hex.encode(digest) }

    static func bytes(hex: String) -> [UInt8]? { Hex.decode(hex) }

    /// Whether `signature` (hex) is `previous`'s Ed25519 signature over the endorsement text of
    /// `next` for `hostUnit`.
    static func endorses(_ previous: String, hostUnit: String, next: String, signature: String) -> Bool {
        guard let previousKey = bytes(hex: previous).flatMap({ try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }),
            let signatureBytes = bytes(hex: signature), !signatureBytes.isEmpty
        else { return false }
        let text = Canonical.keyEndorsementText(hostUnit: hostUnit, previousKeyHex: previous, nextKeyHex: next)
        return previousKey.isValidSignature(signatureBytes, for: Data(text.utf8))
    }

    /// A key row as the application sees it, with its fingerprint worked out here (FundCore
    /// has no SHA-256).
    static func signingKey(hostUnit: String, publicKeyHex: String, at: String, user: String) -> SigningKey {
        SigningKey(
            hostUnit: hostUnit, publicKeyHex: publicKeyHex, at: at, user: user,
            fingerprint: SigningKey.fingerprint(publicKeyHex: publicKeyHex, sha256: { Array(SHA256.hash(data: $0)) }))
    }
}

extension SQLiteEvidence {
    /// Attaches a file to a voucher: stored by SHA-256 (once, whatever the number of vouchers
    /// using it), linked and logged in one transaction. A voucher takes no more files than its
    /// 附单据张数 and the same file only once.
    @discardableResult
    func addEvidence(_ content: Data, fileName: String, to ref: VoucherRef, stamp: Stamp) throws -> EvidenceFile {
        guard !content.isEmpty else { throw Rejection(.evidenceEmpty, field: "file", "证据文件 \(fileName) 为空") }
        let digest = LedgerStore.hex(SHA256.hash(data: content))
        return try queue.write { db in
            let voucherID = try LedgerStore.voucherID(db, ref: ref)
            let attachments = try Int.fetchOne(db, sql: "SELECT attachments FROM voucher WHERE id = ?", arguments: [voucherID]) ?? 0
            let linked = try Int.fetchOne(db, sql: "SELECT count(*) FROM evidence_link WHERE voucher_id = ?", arguments: [voucherID]) ?? 0
            if try Int.fetchOne(db, sql: "SELECT 1 FROM evidence_link WHERE voucher_id = ? AND sha256 = ?", arguments: [voucherID, digest]) != nil {
                throw Rejection(.evidenceDuplicate, field: "file", "\(fileName) 已关联到凭证 \(ref)（SHA-256 \(digest.prefix(12))…）")
            }
            guard linked < attachments else {
                throw Rejection(
                    .evidenceOverCount, field: "file",
                    "凭证 \(ref) 附单据 \(attachments) 张，已关联 \(linked) 个文件；多出的单据应先更正凭证的附单据张数（红字冲销后重新编制）")
            }
            try db.execute(
                sql: "INSERT OR IGNORE INTO evidence_blob (sha256, size, content) VALUES (?,?,?)",
                arguments: [digest, content.count, content])
            try db.execute(
                sql: "INSERT INTO evidence_link (voucher_id, sha256, file_name, at, user) VALUES (?,?,?,?,?)",
                arguments: [voucherID, digest, fileName, stamp.at, stamp.user])
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "evidence.add", studio: ref.studio,
                detail: "凭证 \(ref.period.iso) \(ref.label) 关联证据 \(fileName)（\(content.count) 字节，SHA-256 \(digest)）")
            return EvidenceFile(voucher: ref, sha256: digest, size: content.count, fileName: fileName, at: stamp.at, user: stamp.user)
        }
    }

    /// A studio's evidence links, in book order of their vouchers.
    func evidence(studio: String) throws -> [EvidenceFile] {
        try queue.read { db in
            let (studioID, _) = try LedgerStore.studioRow(db, code: studio)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT v.period, v.class, v.number, l.sha256, b.size, l.file_name, l.at, l.user, l.id
                    FROM evidence_link l JOIN voucher v ON v.id = l.voucher_id JOIN evidence_blob b ON b.sha256 = l.sha256
                    WHERE v.studio_id = ? ORDER BY v.period, v.class, v.number, l.id
                    """,
                arguments: [studioID]
            ).map { row in
                let stored = StoredRow(row, table: "evidence_link")
                return EvidenceFile(
                    voucher: VoucherRef(
                        studio: studio, period: try stored.period("period"), voucherClass: try stored.code("class"),
                        number: try stored.value("number")),
                    sha256: try stored.value("sha256"), size: try stored.value("size"), fileName: try stored.value("file_name"),
                    at: try stored.value("at"), user: try stored.value("user"))
            }
        }
    }

    /// The stored bytes of an evidence file, checked against its SHA-256.
    func evidenceContent(sha256: String) throws -> Data {
        try queue.read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT content FROM evidence_blob WHERE sha256 = ?", arguments: [sha256]) else {
                throw Rejection(.evidenceMissing, field: "sha256", "证据文件 \(sha256) 不存在")
            }
            guard LedgerStore.hex(SHA256.hash(data: data)) == sha256 else {
                throw IntegrityFailure(VerificationProblem(
                    code: .evidenceCorrupt, studio: "", voucher: nil, message: "证据文件 \(sha256) 内容与其 SHA-256 不符（数据库被改动）"))
            }
            return data
        }
    }

    /// Registers a host unit's public key (a new key replaces the old one from now on; both
    /// stay on record), logged.
    func registerSigningKey(hostUnit: CreditCode, publicKeyHex: String, endorsement: String, stamp: Stamp) throws -> SigningKey {
        guard publicKeyHex.count == 64, LedgerStore.bytes(hex: publicKeyHex) != nil else {
            throw Rejection(.signingKeyInvalid, field: "public-key", "公钥应为 64 位十六进制")
        }
        return try queue.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM host_unit WHERE credit_code = ?", arguments: [hostUnit.description]) != nil else {
                throw Rejection(.hostUnitUnknown, field: "host-unit", "依托单位 \(hostUnit) 未登记")
            }
            let current = try String.fetchOne(
                db, sql: "SELECT public_key FROM signing_key WHERE host_unit = ? ORDER BY id DESC LIMIT 1", arguments: [hostUnit.description])
            if let current {
                guard LedgerStore.endorses(current, hostUnit: hostUnit.description, next: publicKeyHex.lowercased(), signature: endorsement) else {
                    throw Rejection(.keyEndorsementInvalid, field: "current-key-file", "新公钥未经依托单位 \(hostUnit) 现行密钥签署，不能登记")
                }
            } else if !endorsement.isEmpty {
                throw Rejection(.keyEndorsementInvalid, field: "current-key-file", "依托单位 \(hostUnit) 尚无现行密钥，首个密钥无需签署")
            }
            try db.execute(
                sql: "INSERT INTO signing_key (host_unit, public_key, at, user, endorsement) VALUES (?,?,?,?,?)",
                arguments: [hostUnit.description, publicKeyHex.lowercased(), stamp.at, stamp.user, endorsement.lowercased()])
            let key = LedgerStore.signingKey(hostUnit: hostUnit.description, publicKeyHex: publicKeyHex.lowercased(), at: stamp.at, user: stamp.user)
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "key.register", studio: "",
                detail: "依托单位 \(hostUnit) 登记签名公钥 \(key.publicKeyHex)（指纹 \(key.fingerprint)）")
            return key
        }
    }

    /// The host unit's current key (the latest registered), if any.
    func signingKey(hostUnit: CreditCode) throws -> SigningKey? {
        try queue.read { db in
            try SigningKeyRecord.fetchOne(
                db, sql: "SELECT * FROM signing_key WHERE host_unit = ? ORDER BY id DESC LIMIT 1", arguments: [hostUnit.description]
            ).map { LedgerStore.signingKey(hostUnit: $0.hostUnit, publicKeyHex: $0.publicKeyHex, at: $0.at, user: $0.user) }
        }
    }

    /// Every key a host unit has registered, oldest first.
    func signingKeys(hostUnit: CreditCode) throws -> [SigningKey] {
        try queue.read { db in
            try SigningKeyRecord.fetchAll(db, sql: "SELECT * FROM signing_key WHERE host_unit = ? ORDER BY id", arguments: [hostUnit.description])
                .map { LedgerStore.signingKey(hostUnit: $0.hostUnit, publicKeyHex: $0.publicKeyHex, at: $0.at, user: $0.user) }
        }
    }

    /// The studio's hash-chain position as of a voucher date: the highest chain sequence among
    /// the vouchers dated on or before `asOf`, and its hash.
    func chainHead(studio: String, asOf: CalendarDate) throws -> ChainPosition? {
        try queue.read { db in
            let (studioID, _) = try LedgerStore.studioRow(db, code: studio)
            return try Row.fetchOne(
                db, sql: "SELECT seq, hash FROM voucher WHERE studio_id = ? AND date <= ? ORDER BY seq DESC LIMIT 1",
                arguments: [studioID, asOf.iso]
            ).map { ChainPosition(sequence: $0["seq"], hash: $0["hash"]) }
        }
    }

    /// The operation log's head, leaving out entries whose action starts with one of
    /// `excluding` (exports, which must not change what they export).
    func logHead(excluding prefixes: [String]) throws -> ChainPosition? {
        let filter = prefixes.isEmpty ? "" : " WHERE " + prefixes.map { _ in "action NOT LIKE ?" }.joined(separator: " AND ")
        return try queue.read { db in
            try Row.fetchOne(
                db, sql: "SELECT seq, hash FROM op_log\(filter) ORDER BY seq DESC LIMIT 1",
                arguments: StatementArguments(prefixes.map { $0 + "%" })
            ).map { ChainPosition(sequence: $0["seq"], hash: $0["hash"]) }
        }
    }

    /// Records an export (an audit package, a data file) in the operation log.
    func logExport(studio: String, detail: String, stamp: Stamp) throws {
        try queue.write { db in try LedgerStore.appendLog(db, stamp: stamp, action: "export.package", studio: studio, detail: detail) }
    }

    func logDownload(studio: String, detail: String, stamp: Stamp) throws {
        try queue.write { db in try LedgerStore.appendLog(db, stamp: stamp, action: "download", studio: studio, detail: detail) }
    }
}
