import Crypto
import FundCore
import Foundation
internal import GRDB

/// The voucher desk's drafts (migration v13): kept apart from the books until posted. Every
/// step checks who takes it and from which state inside its own write transaction, so two
/// people acting on one draft at once cannot both succeed (two supervisors posting the same
/// draft post it once).
public protocol DraftStorage: Sendable {
    /// Makes a draft (`id` nil) or replaces an editable one's voucher; `version` is the version
    /// the change was made from (a stale one is refused, R002). Only the maker changes a draft.
    func saveDraft(
        _ voucher: VoucherDraft, id: Int64?, version: Int?, reverses: VoucherRef?, reason: String, stamp: Stamp
    ) throws -> StoredDraft
    func draft(id: Int64) throws -> StoredDraft
    /// Makes drafts of imported vouchers, already submitted for review, in one transaction.
    func importDrafts(_ vouchers: [VoucherDraft], source: String, stamp: Stamp) throws -> [StoredDraft]
    /// Drafts of the given studios (nil: every studio) in the given states (nil: every state
    /// but posted), newest first.
    func drafts(studios: [String]?, states: Set<DraftState>?) throws -> [StoredDraft]
    /// Deletes an editable draft (its maker only); logged.
    func deleteDraft(id: Int64, version: Int?, stamp: Stamp) throws
    /// 提交 (maker: draft/returned → submitted), 审核 (not the maker: submitted → reviewed),
    /// 退回 (submitted/reviewed → returned, with a reason). Logged.
    func moveDraft(id: Int64, version: Int?, to state: DraftState, note: String, stamp: Stamp) throws -> StoredDraft
    /// 记账: posts reviewed drafts of one studio in one transaction, all or none, as the
    /// vouchers they hold (a reversal request as its red reversal and correction), with the
    /// maker as 制单, the reviewer as 审核 and the acting user as 记账; their files become
    /// the vouchers' evidence. Returns the posted vouchers in draft order.
    func postDrafts(ids: [Int64], studio: String, stamp: Stamp) throws -> [PostedVoucher]
    /// As `postDrafts(ids:…)`, each draft only at the version the poster saw (a draft returned,
    /// changed and reviewed again since the page was built is refused, R002).
    func postDrafts(versions: [Int64: Int], studio: String, stamp: Stamp) throws -> [PostedVoucher]
    /// Attaches a source document to an editable draft (its maker only).
    func attachToDraft(id: Int64, content: Data, fileName: String, type: EvidenceType, stamp: Stamp) throws -> DraftFile
    /// Removes a document from an editable draft (its maker only).
    func removeDraftFile(id: Int64, sha256: String, stamp: Stamp) throws
    func draftFile(id: Int64, sha256: String) throws -> (file: DraftFile, content: Data)
}

extension LedgerStore {
    /// The voucher desk's drafts.
    public var drafts: any DraftStorage { SQLiteDrafts(queue: queue) }
}

struct SQLiteDrafts: DraftStorage {
    let queue: LedgerDatabase

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    func saveDraft(
        _ voucher: VoucherDraft, id: Int64?, version: Int?, reverses: VoucherRef?, reason: String, stamp: Stamp
    ) throws -> StoredDraft {
        var voucher = voucher
        voucher.preparer = stamp.user
        voucher.reviewer = ""
        voucher.poster = ""
        let body = String(decoding: try Self.encoder.encode(voucher), as: UTF8.self)
        return try queue.write { db in
            let (studioID, _) = try LedgerStore.studioRow(db, code: voucher.studio)
            let draftID: Int64
            if let id {
                let current = try Self.load(db, id: id)
                try DraftRules.checkMaker(current, user: stamp.user)
                try DraftRules.checkState(current, [.draft, .returned], step: "修改")
                try Self.checkVersion(current, version)
                guard current.studio == voucher.studio else {
                    throw Rejection(.draftUnknown, field: "draft", "\(current.label) 不属于工作室 \(voucher.studio)")
                }
                try db.execute(
                    sql: "UPDATE voucher_draft SET body = ?, reason = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                    arguments: [body, reason, stamp.at, id])
                draftID = id
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: "draft.update", studio: voucher.studio, detail: "修改\(current.label)：\(Self.summary(voucher))")
            } else {
                let reversesID = try reverses.map { try LedgerStore.voucherID(db, ref: $0) }
                try db.execute(
                    sql: """
                        INSERT INTO voucher_draft (studio_id, state, body, reverses_id, reason, maker, created_at, updated_at)
                        VALUES (?, 'draft', ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [studioID, body, reversesID, reason, stamp.user, stamp.at, stamp.at])
                draftID = db.lastInsertedRowID
                let what = reverses.map { "红字冲销申请（\($0.period.iso) \($0.label)，原因：\(reason)）" } ?? Self.summary(voucher)
                try LedgerStore.appendLog(db, stamp: stamp, action: "draft.create", studio: voucher.studio, detail: "填制草稿 \(draftID)：\(what)")
            }
            return try Self.load(db, id: draftID)
        }
    }

    func draft(id: Int64) throws -> StoredDraft {
        try queue.read { db in try Self.load(db, id: id) }
    }

    func importDrafts(_ vouchers: [VoucherDraft], source: String, stamp: Stamp) throws -> [StoredDraft] {
        try queue.write { db in
            var ids: [Int64] = []
            for var voucher in vouchers {
                (voucher.preparer, voucher.reviewer, voucher.poster) = (stamp.user, "", "")
                let (studioID, _) = try LedgerStore.studioRow(db, code: voucher.studio)
                try db.execute(
                    sql: """
                        INSERT INTO voucher_draft (studio_id, state, body, maker, created_at, updated_at)
                        VALUES (?, 'submitted', ?, ?, ?, ?)
                        """,
                    arguments: [studioID, String(decoding: try Self.encoder.encode(voucher), as: UTF8.self), stamp.user, stamp.at, stamp.at])
                ids.append(db.lastInsertedRowID)
            }
            if let first = ids.first, let studio = vouchers.first?.studio {
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: "draft.import", studio: studio,
                    detail: "导入 \(source)：\(vouchers.count) 张凭证作为草稿 \(first)–\(ids.last!) 提交审核")
            }
            return try ids.map { try Self.load(db, id: $0) }
        }
    }

    func drafts(studios: [String]?, states: Set<DraftState>?) throws -> [StoredDraft] {
        try queue.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let studios {
                guard !studios.isEmpty else { return [] }
                clauses.append("s.code IN (\(studios.map { _ in "?" }.joined(separator: ",")))")
                arguments += StatementArguments(studios)
            }
            let wanted = states ?? Set(DraftState.allCases).subtracting([.posted])
            clauses.append("d.state IN (\(wanted.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")))")
            let ids = try Int64.fetchAll(
                db, sql: "SELECT d.id FROM voucher_draft d JOIN studio s ON s.id = d.studio_id WHERE \(clauses.joined(separator: " AND ")) ORDER BY d.id DESC",
                arguments: arguments)
            return try ids.map { try Self.load(db, id: $0) }
        }
    }

    func deleteDraft(id: Int64, version: Int?, stamp: Stamp) throws {
        try queue.write { db in
            let current = try Self.load(db, id: id)
            try DraftRules.checkMaker(current, user: stamp.user)
            try DraftRules.checkState(current, [.draft, .returned], step: "删除")
            try Self.checkVersion(current, version)
            try db.execute(sql: "DELETE FROM draft_file WHERE draft_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM voucher_draft WHERE id = ?", arguments: [id])
            try LedgerStore.appendLog(db, stamp: stamp, action: "draft.delete", studio: current.studio, detail: "删除\(current.label)")
        }
    }

    func moveDraft(id: Int64, version: Int?, to state: DraftState, note: String, stamp: Stamp) throws -> StoredDraft {
        try queue.write { db in
            let current = try Self.load(db, id: id)
            try Self.checkVersion(current, version)
            let action: String
            let detail: String
            switch state {
            case .submitted:
                try DraftRules.checkMaker(current, user: stamp.user)
                try DraftRules.checkState(current, [.draft, .returned], step: "提交审核")
                try db.execute(
                    sql: "UPDATE voucher_draft SET state = 'submitted', updated_at = ?, version = version + 1 WHERE id = ?",
                    arguments: [stamp.at, id])
                (action, detail) = ("draft.submit", "提交\(current.label)待审核")
            case .reviewed:
                try DraftRules.checkState(current, [.submitted], step: "审核")
                try DraftRules.checkReviewer(maker: current.maker, reviewer: stamp.user)
                try db.execute(
                    sql: "UPDATE voucher_draft SET state = 'reviewed', reviewer = ?, reviewed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                    arguments: [stamp.user, stamp.at, stamp.at, id])
                (action, detail) = ("draft.review", "审核通过\(current.label)（制单 \(current.maker)）")
            case .returned:
                try DraftRules.checkState(current, [.submitted, .reviewed], step: "退回")
                let reason = note.trimmingSpaces
                guard !reason.isEmpty else {
                    throw Rejection(.returnReasonMissing, field: "reason", "退回凭证必须说明原因")
                }
                try db.execute(
                    sql: """
                        UPDATE voucher_draft SET state = 'returned', reviewer = NULL, reviewed_at = NULL, return_reason = ?, returned_by = ?,
                            updated_at = ?, version = version + 1 WHERE id = ?
                        """,
                    arguments: [reason, stamp.user, stamp.at, id])
                (action, detail) = ("draft.return", "退回\(current.label)给 \(current.maker)，原因：\(reason)")
            case .draft, .posted:
                throw Rejection(.draftState, field: "state", "不能把凭证直接改为“\(state.chineseName)”")
            }
            try LedgerStore.appendLog(db, stamp: stamp, action: action, studio: current.studio, detail: detail)
            return try Self.load(db, id: id)
        }
    }

    func postDrafts(ids: [Int64], studio: String, stamp: Stamp) throws -> [PostedVoucher] {
        try postDrafts(ids: ids, versions: [:], studio: studio, stamp: stamp)
    }

    func postDrafts(versions: [Int64: Int], studio: String, stamp: Stamp) throws -> [PostedVoucher] {
        try postDrafts(ids: versions.keys.sorted(), versions: versions, studio: studio, stamp: stamp)
    }

    private func postDrafts(ids: [Int64], versions: [Int64: Int], studio: String, stamp: Stamp) throws -> [PostedVoucher] {
        guard !ids.isEmpty else { throw Rejection(.draftUnknown, field: "draft", "没有选择要记账的凭证") }
        return try queue.write { db in
            let session = try PostingSession(db: db, stamp: stamp)
            var made: [(draft: StoredDraft, vouchers: Range<Int>)] = []
            for id in ids {
                let current = try Self.load(db, id: id)
                guard current.studio == studio else {
                    throw Rejection(.draftUnknown, field: "draft", "\(current.label) 不属于工作室 \(studio)")
                }
                try DraftRules.checkState(current, [.reviewed], step: "记账")
                try Self.checkVersion(current, versions[id])
                if current.reverses != nil, current.reason.trimmingSpaces.isEmpty {
                    throw Rejection(.reasonMissing, field: "reason", "\(current.label) 是红字冲销申请，却没有冲销原因")
                }
                let reviewer = current.reviewer ?? ""
                // Reviewed by someone else, whoever posts (a reviewer may post what they reviewed).
                try DraftRules.checkReviewer(maker: current.maker, reviewer: reviewer)
                let signOff = SignOff(preparer: current.maker, reviewer: reviewer, poster: stamp.user)
                let first = session.posted.count
                if let original = current.reverses {
                    var correction: VoucherDraft? = nil
                    if !current.voucher.lines.isEmpty {
                        var signed = current.voucher
                        (signed.preparer, signed.reviewer, signed.poster) = (signOff.preparer, signOff.reviewer, signOff.poster)
                        correction = signed
                    }
                    try LedgerStore.reverse(
                        original, date: current.voucher.date, reason: current.reason, correction: correction, signOff: signOff,
                        session: session, db: db)
                } else {
                    var signed = current.voucher
                    (signed.preparer, signed.reviewer, signed.poster) = (signOff.preparer, signOff.reviewer, signOff.poster)
                    try session.post(signed, kind: .normal)
                }
                made.append((current, first..<session.posted.count))
            }
            try session.flush()
            for (draft, range) in made {
                let vouchers = Array(session.posted[range])
                // The documents go with the voucher that carries the business: the correction
                // of a reversal request, else the one voucher.
                if let target = vouchers.last, !draft.files.isEmpty {
                    let voucherID = try LedgerStore.voucherID(db, ref: target.ref)
                    for file in draft.files {
                        let content = try Data.fetchOne(
                            db, sql: "SELECT content FROM draft_file WHERE draft_id = ? AND sha256 = ?", arguments: [draft.id, file.sha256]) ?? Data()
                        try db.execute(
                            sql: "INSERT OR IGNORE INTO evidence_blob (sha256, size, content) VALUES (?,?,?)",
                            arguments: [file.sha256, content.count, content])
                        try db.execute(
                            sql: "INSERT INTO evidence_link (voucher_id, sha256, file_name, at, user) VALUES (?,?,?,?,?)",
                            arguments: [voucherID, file.sha256, file.fileName, file.at, file.user])
                    }
                }
                let labels = vouchers.map { "\($0.ref.period.iso) \($0.ref.label)" }
                try db.execute(
                    sql: "UPDATE voucher_draft SET state = 'posted', posted = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                    arguments: [vouchers.map { "\($0.ref.period.iso)|\($0.ref.voucherClass.rawValue)|\($0.ref.number)" }.joined(separator: ","), stamp.at, draft.id])
                try db.execute(sql: "DELETE FROM draft_file WHERE draft_id = ?", arguments: [draft.id])
                let reversal = draft.reverses.map { "红字冲销 \($0.period.iso) \($0.label)，原因：\(draft.reason)；" } ?? ""
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: draft.reverses == nil ? "voucher.post" : "voucher.reverse", studio: studio,
                    detail: "\(reversal)\(draft.label) 记账为 \(labels.joined(separator: "、"))（制单 \(draft.maker)，审核 \(draft.reviewer ?? "")，记账 \(stamp.user)）"
                        + (draft.files.isEmpty ? "" : "，单据 \(draft.files.count) 个"))
            }
            return session.posted
        }
    }

    func attachToDraft(id: Int64, content: Data, fileName: String, type: EvidenceType, stamp: Stamp) throws -> DraftFile {
        let digest = LedgerStore.hex(SHA256.hash(data: content))
        return try queue.write { db in
            let current = try Self.load(db, id: id)
            try DraftRules.checkMaker(current, user: stamp.user)
            try DraftRules.checkState(current, [.draft, .returned], step: "添加单据")
            if current.files.contains(where: { $0.sha256 == digest }) {
                throw Rejection(.evidenceDuplicate, field: "file", "\(fileName) 已附在\(current.label)上（SHA-256 \(digest.prefix(12))…）")
            }
            try db.execute(
                sql: "INSERT INTO draft_file (draft_id, sha256, file_name, type, content, at, user) VALUES (?,?,?,?,?,?,?)",
                arguments: [id, digest, fileName, type.rawValue, content, stamp.at, stamp.user])
            try db.execute(sql: "UPDATE voucher_draft SET updated_at = ?, version = version + 1 WHERE id = ?", arguments: [stamp.at, id])
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "draft.file", studio: current.studio,
                detail: "\(current.label) 附单据 \(fileName)（\(type.rawValue.uppercased())，\(content.count) 字节，SHA-256 \(digest)）")
            return DraftFile(sha256: digest, fileName: fileName, size: content.count, type: type, at: stamp.at, user: stamp.user)
        }
    }

    func removeDraftFile(id: Int64, sha256: String, stamp: Stamp) throws {
        try queue.write { db in
            let current = try Self.load(db, id: id)
            try DraftRules.checkMaker(current, user: stamp.user)
            try DraftRules.checkState(current, [.draft, .returned], step: "删除单据")
            guard let file = current.files.first(where: { $0.sha256 == sha256 }) else {
                throw Rejection(.evidenceMissing, field: "file", "\(current.label) 没有这个单据")
            }
            try db.execute(sql: "DELETE FROM draft_file WHERE draft_id = ? AND sha256 = ?", arguments: [id, sha256])
            try db.execute(sql: "UPDATE voucher_draft SET updated_at = ?, version = version + 1 WHERE id = ?", arguments: [stamp.at, id])
            try LedgerStore.appendLog(db, stamp: stamp, action: "draft.file", studio: current.studio, detail: "\(current.label) 删除单据 \(file.fileName)")
        }
    }

    func draftFile(id: Int64, sha256: String) throws -> (file: DraftFile, content: Data) {
        try queue.read { db in
            let current = try Self.load(db, id: id)
            guard let file = current.files.first(where: { $0.sha256 == sha256 }),
                let content = try Data.fetchOne(db, sql: "SELECT content FROM draft_file WHERE draft_id = ? AND sha256 = ?", arguments: [id, sha256])
            else {
                throw Rejection(.evidenceMissing, field: "file", "\(current.label) 没有这个单据")
            }
            return (file, content)
        }
    }

    // MARK: Reading a draft

    static func checkVersion(_ draft: StoredDraft, _ version: Int?) throws(Rejection) {
        if let version, version != draft.version {
            throw Rejection(.draftState, field: "version", "\(draft.label) 已被他人或在其他窗口修改过（当前第 \(draft.version) 版），请刷新后重试")
        }
    }

    static func summary(_ voucher: VoucherDraft) -> String {
        let total = voucher.lines.filter { $0.side == .debit }.reduce(Int64(0)) { $0 &+ $1.amount.fen }
        return "\(voucher.date.iso) \(voucher.voucherClass.rawValue) \(voucher.lines.first?.memo ?? "")，\(voucher.lines.count) 行，借方合计 \(Money(fen: total))"
    }

    static func load(_ db: Database, id: Int64) throws -> StoredDraft {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT d.*, s.code AS studio, v.period AS r_period, v.class AS r_class, v.number AS r_number
                FROM voucher_draft d JOIN studio s ON s.id = d.studio_id LEFT JOIN voucher v ON v.id = d.reverses_id WHERE d.id = ?
                """,
            arguments: [id])
        else {
            throw Rejection(.draftUnknown, field: "draft", "草稿 \(id) 不存在")
        }
        let studio: String = row["studio"]
        let stored = StoredRow(row, table: "voucher_draft")
        var voucher = try JSONDecoder().decode(VoucherDraft.self, from: Data((row["body"] as String).utf8))
        voucher.studio = studio
        var reverses: VoucherRef? = nil
        if let periodKey = row["r_period"] as Int?, let period = Period(key: periodKey) {
            let voucherClass: String = row["r_class"]
            reverses = try stored.build {
                VoucherRef(studio: studio, period: period, voucherClass: try VoucherClass.parse(voucherClass), number: row["r_number"])
            }
        }
        let state: String = row["state"]
        let posted = (row["posted"] as String).split(separator: ",").compactMap { item -> VoucherRef? in
            let parts = item.split(separator: "|")
            guard parts.count == 3, let period = try? Period.parse(String(parts[0])), let voucherClass = VoucherClass(rawValue: String(parts[1])),
                let number = Int(parts[2])
            else { return nil }
            return VoucherRef(studio: studio, period: period, voucherClass: voucherClass, number: number)
        }
        let files = try Row.fetchAll(
            db, sql: "SELECT sha256, file_name, type, length(content) AS size, at, user FROM draft_file WHERE draft_id = ? ORDER BY at, rowid",
            arguments: [id]
        ).map { file in
            DraftFile(
                sha256: file["sha256"], fileName: file["file_name"], size: file["size"],
                type: EvidenceType(rawValue: file["type"]) ?? .pdf, at: file["at"], user: file["user"])
        }
        return StoredDraft(
            id: id, state: try stored.build { try DraftState.parse(state) }, voucher: voucher, reverses: reverses, reason: row["reason"],
            maker: row["maker"], reviewer: row["reviewer"], reviewedAt: row["reviewed_at"], returnReason: row["return_reason"],
            returnedBy: row["returned_by"], createdAt: row["created_at"], updatedAt: row["updated_at"], version: row["version"],
            posted: posted, files: files)
    }
}
