import FundCore
internal import GRDB
internal import GRDBSQLite
import Foundation

extension LedgerStore {
    static func logPosted(_ db: Database, _ posted: [PostedVoucher], stamp: Stamp, action: String, detail: String?) throws {
        var summary = PostedSummary()
        for voucher in posted { summary.add(voucher) }
        try logPosted(db, summary, stamp: stamp, action: action, detail: detail)
    }

    /// The log entry per studio for vouchers posted together: how many, and the first five.
    static func logPosted(_ db: Database, _ summary: PostedSummary, stamp: Stamp, action: String, detail: String?) throws {
        for (studio, entry) in summary.byStudio.sorted(by: { $0.key < $1.key }) {
            let labels = entry.first.joined(separator: "、")
            let more = entry.count > 5 ? " 等" : ""
            let text = detail.map { $0 + "；" } ?? ""
            try appendLog(
                db, stamp: stamp, action: action, studio: studio,
                detail: "\(text)记账 \(entry.count) 张凭证：\(labels)\(more)")
        }
    }

    static func voucherID(_ db: Database, ref: VoucherRef) throws -> Int64 {
        let (studioID, _) = try studioRow(db, code: ref.studio)
        guard let id = try Int64.fetchOne(
            db, sql: "SELECT id FROM voucher WHERE studio_id = ? AND period = ? AND class = ? AND number = ?",
            arguments: [studioID, ref.period.key, ref.voucherClass.rawValue, ref.number])
        else {
            throw Rejection(.voucherUnknown, field: "voucher", "凭证 \(ref) 不存在")
        }
        return id
    }

    /// Reads vouchers with their lines, in book order. Stored rows that no longer decode into
    /// domain values (a tampered file) are reported by `verify`; here they throw
    /// `StoreCorruption` naming the voucher or posting row.
    ///
    /// Two statements step side by side in the same order: the vouchers, and their lines (the
    /// voucher index walked again, no voucher row read). Columns are read by position straight
    /// from the SQLite statements: reading every voucher of a studio is the bulk of
    /// `check --all`, and going through `Row` values cost more than the rules themselves. A
    /// voucher's lines are decoded before its own columns, so a broken line is what is reported.
    static func loadVouchers(_ db: Database, whereSQL: String, arguments: StatementArguments) throws -> [PostedVoucher] {
        let voucherStatement = try db.cachedStatement(
            sql: """
                SELECT v.id, s.code, v.period, v.class, v.number, v.date, v.kind, l.period, l.class, l.number,
                    v.attachments, v.settlement, v.counterparty, v.preparer, v.reviewer, v.poster, v.source_ref,
                    v.posted_by, v.posted_at, v.seq, v.prev_hash, v.hash
                FROM voucher v JOIN studio s ON s.id = v.studio_id LEFT JOIN voucher l ON l.id = v.link_id
                WHERE \(whereSQL) ORDER BY v.studio_id, v.period, v.class, v.number
                """)
        let lineStatement = try db.cachedStatement(
            sql: """
                SELECT p.voucher_id, p.memo, p.account, p.fund, p.side, p.amount_fen, p.invoice_code, p.invoice_number, p.line_no
                FROM voucher v JOIN posting p ON p.voucher_id = v.id
                WHERE \(whereSQL) ORDER BY v.studio_id, v.period, v.class, v.number, p.line_no
                """)
        let shared = SharedText()
        let voucherRows = try Row.fetchCursor(voucherStatement, arguments: arguments)
        let lineRows = try Row.fetchCursor(lineStatement, arguments: arguments)
        let v = StatementColumns(voucherStatement.sqliteStatement, shared: shared)
        let p = StatementColumns(lineStatement.sqliteStatement, shared: shared)
        var vouchers: [PostedVoucher] = []
        var lineRowReady = try lineRows.next() != nil
        while try voucherRows.next() != nil {
            let id = v.int64(0)
            var lines: [VoucherLine] = []
            lines.reserveCapacity(4)
            while lineRowReady && p.int64(0) == id {
                let code = p.optionalText(6)
                let number = p.optionalText(7)
                do {
                    lines.append(VoucherLine(
                        memo: p.sharedText(1), account: p.sharedText(2), fund: try p.fund(3), side: try p.side(4),
                        amount: Money(fen: p.int64(5)),
                        invoice: code == nil && number == nil ? nil : try InvoiceKey.parse(code: code ?? "", number: number ?? "")))
                } catch {
                    // posting has no row id of its own (WITHOUT ROWID): its key names it.
                    throw StoreCorruption(table: "posting", rowID: nil, message: "voucher_id \(id)，line_no \(p.int64(8))：\(error)")
                }
                lineRowReady = try lineRows.next() != nil
            }
            do {
                vouchers.append(try voucher(v, lines: lines))
            } catch {
                throw StoreCorruption(table: "voucher", rowID: id, message: "\(error)")
            }
        }
        return vouchers
    }

    /// The voucher on the current row of `loadVouchers`' voucher statement.
    private static func voucher(_ c: StatementColumns, lines: consuming [VoucherLine]) throws -> PostedVoucher {
        let studio = c.sharedText(1)
        let voucherClass = try c.voucherClass(3)
        let periodKey = c.int(2)
        guard let period = Period(key: periodKey) else {
            throw Rejection(.periodInvalid, "stored period \(periodKey) is invalid")
        }
        let ref = VoucherRef(studio: studio, period: period, voucherClass: voucherClass, number: c.int(4))
        var kind = VoucherKind.normal
        if !c.isNull(7), let linkPeriod = Period(key: c.int(7)) {
            let link = VoucherRef(studio: studio, period: linkPeriod, voucherClass: try c.voucherClass(8), number: c.int(9))
            kind = c.equals(6, "reversal") ? .reversal(of: link) : .correction(of: link)
        }
        let draft = VoucherDraft(
            studio: studio, date: try c.date(5), voucherClass: voucherClass, lines: lines,
            attachments: c.int(10), settlement: try c.settlement(11),
            counterparty: c.sharedText(12), preparer: c.sharedText(13), reviewer: c.sharedText(14), poster: c.sharedText(15),
            sourceRef: c.optionalText(16))
        return PostedVoucher(
            ref: ref, draft: draft, kind: kind, postedBy: c.sharedText(17), postedAt: c.sharedText(18),
            sequence: c.int(19), previousHash: c.sharedText(20), hash: c.sharedText(21))
    }

    /// The posting line on a row that has the posting's columns (and its id as `id`).
    static func line(from row: Row, _ column: ColumnIndex? = nil) throws -> VoucherLine {
        let c = column ?? ColumnIndex(row)
        let stored = StoredRow(row, table: "posting")
        let code: String? = try stored.value(at: c["invoice_code"], "invoice_code")
        let number: String? = try stored.value(at: c["invoice_number"], "invoice_number")
        let memo: String = try stored.value(at: c["memo"], "memo")
        let account: String = try stored.value(at: c["account"], "account")
        let fund: String = try stored.value(at: c["fund"], "fund")
        let side: String = try stored.value(at: c["side"], "side")
        let amount: Int64 = try stored.value(at: c["amount_fen"], "amount_fen")
        return try stored.build {
            VoucherLine(
                memo: memo, account: account, fund: try Fund.parse(fund), side: try Side.parse(side), amount: Money(fen: amount),
                invoice: code == nil && number == nil ? nil : try InvoiceKey.parse(code: code ?? "", number: number ?? ""))
        }
    }
}

/// Column positions of a result set, looked up once per query: GRDB's by-name access folds
/// case on every call, which dominated reading millions of rows.
struct ColumnIndex {
    let positions: [String: Int]

    init(_ row: Row) {
        positions = Dictionary(row.columnNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    subscript(_ name: String) -> Int {
        guard let position = positions[name] else { preconditionFailure("query has no column \(name)") }
        return position
    }
}

/// Positional column reads on the current row of a statement GRDB is stepping. Text decodes as
/// GRDB decodes it (`String(cString:)`: up to the first NUL, invalid UTF-8 repaired).
private struct StatementColumns {
    let statement: SQLiteStatement
    let shared: SharedText

    init(_ statement: SQLiteStatement, shared: SharedText) {
        self.statement = statement
        self.shared = shared
    }

    // One C-API call per column read: each takes the connection's mutex.

    func isNull(_ index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }
    func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(statement, index) }
    func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(statement, index)) }

    /// The text as a C string; nil for NULL.
    func cString(_ index: Int32) -> UnsafePointer<UInt8>? { sqlite3_column_text(statement, index) }

    /// The bytes of a C string, up to its NUL (as `String(cString:)` reads it).
    static func bytes(_ text: UnsafePointer<UInt8>?) -> UnsafeBufferPointer<UInt8> {
        guard let text else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)))
    }

    func text(_ index: Int32) -> String { String(decoding: Self.bytes(cString(index)), as: UTF8.self) }
    /// The text, sharing storage with an equal text read before (memos, payees, stamps repeat).
    func sharedText(_ index: Int32) -> String { shared.text(Self.bytes(cString(index))) }
    func optionalText(_ index: Int32) -> String? { cString(index).map { String(decoding: Self.bytes($0), as: UTF8.self) } }

    /// Whether a C string is `literal`: its bytes, then the NUL (never reading past the NUL).
    static func equals(_ text: UnsafePointer<UInt8>?, _ literal: StaticString) -> Bool {
        guard let text else { return false }
        let expected = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount where text[offset] != expected[offset] { return false }
        return text[literal.utf8CodeUnitCount] == 0
    }

    func equals(_ index: Int32, _ literal: StaticString) -> Bool { Self.equals(cString(index), literal) }

    func fund(_ index: Int32) throws(Rejection) -> Fund {
        let text = cString(index)
        if Self.equals(text, "subsidy") { return .subsidy }
        if Self.equals(text, "enterprise") { return .enterprise }
        if Self.equals(text, "self-raised") { return .selfRaised }
        return try Fund.parse(String(decoding: Self.bytes(text), as: UTF8.self))
    }

    /// `Settlement.parse` of the text (nil for NULL), the stored values recognised from their bytes.
    func settlement(_ index: Int32) throws(Rejection) -> Settlement? {
        guard let text = cString(index) else { return nil }
        if Self.equals(text, "bank-transfer") { return .bankTransfer }
        if Self.equals(text, "cash") { return .cash }
        if Self.equals(text, "official-card") { return .officialCard }
        if Self.equals(text, "other") { return .other }
        return try Settlement.parse(String(decoding: Self.bytes(text), as: UTF8.self))
    }

    func side(_ index: Int32) throws(Rejection) -> Side {
        let text = cString(index)
        if Self.equals(text, "debit") { return .debit }
        if Self.equals(text, "credit") { return .credit }
        return try Side.parse(String(decoding: Self.bytes(text), as: UTF8.self))
    }

    /// `VoucherClass.parse` of the text, the stored classes recognised from their bytes.
    func voucherClass(_ index: Int32) throws(Rejection) -> VoucherClass {
        let text = cString(index)
        if Self.equals(text, "记") { return .ji }
        if Self.equals(text, "收") { return .shou }
        if Self.equals(text, "付") { return .fu }
        if Self.equals(text, "转") { return .zhuan }
        return try VoucherClass.parse(String(decoding: Self.bytes(text), as: UTF8.self))
    }

    /// `CalendarDate.parse` of the text, a valid ISO date ("2025-10-29") read from its bytes.
    func date(_ index: Int32) throws(Rejection) -> CalendarDate {
        let stored = Self.bytes(cString(index))
        if stored.count == 10, stored[4] == 0x2D, stored[7] == 0x2D {
            var fields = (0, 0, 0)
            var digits = true
            for (position, byte) in stored.enumerated() where position != 4 && position != 7 {
                guard byte >= 0x30 && byte <= 0x39 else { digits = false; break }
                let digit = Int(byte - 0x30)
                switch position {
                case 0..<4: fields.0 = fields.0 * 10 + digit
                case 5..<7: fields.1 = fields.1 * 10 + digit
                default: fields.2 = fields.2 * 10 + digit
                }
            }
            if digits, let date = CalendarDate(year: fields.0, month: fields.1, day: fields.2) { return date }
        }
        return try CalendarDate.parse(String(decoding: stored, as: UTF8.self))
    }
}

/// Recently read texts, so that a text read again is the first one again instead of being
/// decoded (validated, and past 15 bytes allocated) anew: books repeat their memos, accounts, payees,
/// preparers and posting stamps on thousands of vouchers, and each voucher's previous hash is
/// the hash read just before. A small direct-mapped table; a text is reused only when its bytes
/// are equal, so the result is always the text decoded.
private final class SharedText {
    private static let slotCount = 1024
    /// (byte count, text) per slot; a count of -1 marks an empty slot. Unsafe storage: the
    /// class is used by one reader at a time, and this skips exclusivity checks per access.
    private let slots: UnsafeMutablePointer<(count: Int, text: String)>

    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: (-1, ""), count: Self.slotCount)
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return "" }
        // The slot: from the first and last eight bytes and the length (equality is checked below).
        var head: UInt64 = 0
        var tail: UInt64 = 0
        if bytes.count >= 8 {
            head = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
            tail = UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self)
        } else {
            for byte in bytes { head = head << 8 | UInt64(byte) }
        }
        let mixed = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(bytes.count)
        let entry = slots + Int(truncatingIfNeeded: (mixed ^ (mixed >> 29)) & UInt64(Self.slotCount - 1))
        if entry.pointee.count == bytes.count,
            entry.pointee.text.utf8.withContiguousStorageIfAvailable({ memcmp($0.baseAddress!, base, bytes.count) == 0 }) == true
        {
            return entry.pointee.text
        }
        let text = String(decoding: bytes, as: UTF8.self)
        entry.pointee = (bytes.count, text)
        return text
    }
}

// MARK: - Periods

extension LedgerStore {
    static func periodEvents(_ db: Database, studioID: Int64) throws -> [(Period, PeriodBook.Action)] {
        try PeriodEventRecord.fetchAll(
            db, sql: "SELECT id, period, action FROM period_event WHERE studio_id = ? ORDER BY id", arguments: [studioID]
        ).map { ($0.period, $0.action) }
    }

    static func periodBook(_ db: Database, studioID: Int64) throws -> PeriodBook {
        PeriodBook.replay(try periodEvents(db, studioID: studioID)).book
    }

    /// The first month of a studio's books: its recognition month, or an earlier voucher's.
    static func bookStart(_ db: Database, studioID: Int64, studio: Studio) throws -> Period {
        let first = try Int.fetchOne(db, sql: "SELECT min(period) FROM voucher WHERE studio_id = ?", arguments: [studioID])
        let recognized = studio.recognized.period
        guard let first, let firstPeriod = Period(key: first) else { return recognized }
        return min(firstPeriod, recognized)
    }
}

extension LedgerStore {
    /// Queues a red reversal of `ref` (and its correction) in `session`, inside the caller's
    /// write transaction: refused for a reversal, or a voucher already reversed.
    static func reverse(
        _ ref: VoucherRef, date: CalendarDate, reason: String, correction: VoucherDraft?, signOff: SignOff, session: PostingSession,
        db: Database
    ) throws {
        let originalID = try voucherID(db, ref: ref)
        let original = try loadVouchers(db, whereSQL: "v.id = ?", arguments: [originalID])[0]
        if case .reversal = original.kind {
            throw Rejection(.reversalOfReversal, "\(ref) 本身是红字冲销凭证，不能再冲销；如需恢复，请重新编制正确凭证")
        }
        let reversedBy = try Int64.fetchOne(
            db, sql: "SELECT id FROM voucher WHERE link_id = ? AND kind = 'reversal'", arguments: [originalID])
        if reversedBy != nil {
            throw Rejection(.voucherAlreadyReversed, "\(ref) 已被冲销过，不能重复冲销")
        }
        try VoucherDraft.checkReversalDate(date, of: original)
        let red = VoucherDraft.redReversal(
            of: original, date: date, preparer: signOff.preparer, reviewer: signOff.reviewer, poster: signOff.poster, reason: reason)
        try session.post(red, kind: .reversal(of: ref), original: (originalID, original))
        if var correction {
            guard correction.studio == ref.studio else {
                throw Rejection(.studioUnknown, field: "studio", "订正凭证必须属于同一工作室 \(ref.studio)")
            }
            // 会计基础工作规范 第五十一条: the correcting voucher says in its 摘要 which voucher it
            // corrects. A memo that does not already begin so gets the words in front, where
            // they fit; the source reference stays the ERP's own number.
            let note = "订正 \(original.draft.date.chinese) \(ref.label) 号凭证："
            correction.lines = correction.lines.map { line in
                var memo = line.memo.trimmingSpaces
                guard !memo.contains(ref.label) else { return line }
                if memo.hasPrefix("订正") { memo = String(memo.dropFirst(2)).trimmingCharacters(in: CharacterSet(charactersIn: " ：:")) }
                guard (note + memo).count <= Limits.memoLengthMax else { return line }
                return VoucherLine(memo: note + memo, account: line.account, fund: line.fund, side: line.side, amount: line.amount, invoice: line.invoice)
            }
            try session.post(correction, kind: .correction(of: ref), original: (originalID, original))
        }
    }

    static func logReversal(_ db: Database, ref: VoucherRef, reason: String, posted: [PostedVoucher], stamp: Stamp) throws {
        let labels = posted.map(\.ref.label).joined(separator: "、")
        try appendLog(
            db, stamp: stamp, action: "voucher.reverse", studio: ref.studio,
            detail: "冲销 \(ref.period.iso) \(ref.label)，原因：\(reason)；生成 \(labels)")
    }
}

extension SQLiteBooks {
    /// Posts vouchers in one write transaction: all of them or none. The log gets one entry
    /// (`action`, `detail`) for the batch.
    @discardableResult
    func post(
        _ drafts: [VoucherDraft], stamp: Stamp, action: String, detail: String?
    ) throws -> [PostedVoucher] {
        try queue.write { db in
            let session = try PostingSession(db: db, stamp: stamp)
            for draft in drafts { try session.post(draft, kind: .normal) }
            try session.flush()
            try LedgerStore.logPosted(db, session.posted, stamp: stamp, action: action, detail: detail)
            return session.posted
        }
    }

    func postStream(
        stamp: Stamp, action: String, _ produce: (_ post: (VoucherDraft) throws -> PostedVoucher) throws -> String?
    ) throws -> Int {
        try queue.write { db in
            let session = try PostingSession(db: db, stamp: stamp, keepsPosted: false)
            let detail = try produce { draft in try session.post(draft, kind: .normal) }
            try session.flush()
            try LedgerStore.logPosted(db, session.summary, stamp: stamp, action: action, detail: detail)
            return session.summary.total
        }
    }

    /// Red-reverses a posted voucher (红字冲销) and optionally posts its correcting voucher,
    /// in one transaction. Returns the reversal and the correction. The reversal carries
    /// `signOff`'s preparer, reviewer and poster.
    func reverse(
        _ ref: VoucherRef, date: CalendarDate, reason: String, correction: VoucherDraft?, signOff: SignOff, stamp: Stamp
    ) throws -> [PostedVoucher] {
        guard !reason.trimmingSpaces.isEmpty else {
            throw Rejection(.reasonMissing, field: "reason", "冲销必须说明原因（--reason）")
        }
        return try queue.write { db in
            let session = try PostingSession(db: db, stamp: stamp)
            try LedgerStore.reverse(ref, date: date, reason: reason, correction: correction, signOff: signOff, session: session, db: db)
            try session.flush()
            try LedgerStore.logReversal(
                db, ref: ref, reason: reason + (signOff.reviewer.isEmpty ? "（未经他人审核：--allow-unreviewed）" : "；审核 \(signOff.reviewer)"),
                posted: session.posted, stamp: stamp)
            return session.posted
        }
    }

    func voucher(_ ref: VoucherRef) throws -> PostedVoucher {
        try queue.read { db in
            let id = try LedgerStore.voucherID(db, ref: ref)
            return try LedgerStore.loadVouchers(db, whereSQL: "v.id = ?", arguments: [id])[0]
        }
    }

    /// A studio's vouchers in book order (period, class, number), optionally for a range of months.
    func vouchers(studio: String, from: Period?, to: Period?) throws -> [PostedVoucher] {
        try queue.read { db in
            let (id, _) = try LedgerStore.studioRow(db, code: studio)
            return try LedgerStore.loadVouchers(
                db, whereSQL: "v.studio_id = ? AND v.period BETWEEN ? AND ?",
                arguments: [id, from?.key ?? 0, to?.key ?? 999_999])
        }
    }

    func journalPage(_ query: VoucherQuery, offset: Int, limit: Int) throws -> (vouchers: [PostedVoucher], total: Int) {
        try queue.read { db in
            let (id, _) = try LedgerStore.studioRow(db, code: query.studio)
            // Months as a range of days, so that the studio and the days are all the index
            // `voucher_book_order` needs: counting and skipping read the index alone.
            let last = query.to.map { min($0.lastDay, query.through) } ?? query.through
            var clauses = ["v.studio_id = ?", "v.date BETWEEN ? AND ?"]
            var arguments: StatementArguments = [id, query.from?.firstDay.iso ?? "0000-01-01", last.iso]
            if let prefix = query.accountPrefix {
                clauses.append("EXISTS (SELECT 1 FROM posting p WHERE p.voucher_id = v.id AND substr(p.account, 1, ?) = ?)")
                arguments += [prefix.count, prefix]
            }
            if let fund = query.fund {
                clauses.append("EXISTS (SELECT 1 FROM posting p WHERE p.voucher_id = v.id AND p.fund = ?)")
                arguments += [fund.rawValue]
            }
            if let text = query.text {
                clauses.append("""
                    (instr(v.counterparty, ?) > 0 OR instr(v.class || '-' || v.number, ?) > 0
                     OR EXISTS (SELECT 1 FROM posting p WHERE p.voucher_id = v.id AND instr(p.memo, ?) > 0))
                    """)
                arguments += [text, text, text]
            }
            if query.minimumFen != nil || query.maximumFen != nil {
                clauses.append("""
                    (SELECT coalesce(sum(p.amount_fen), 0) FROM posting p WHERE p.voucher_id = v.id AND p.side = 'debit') BETWEEN ? AND ?
                    """)
                arguments += [query.minimumFen ?? Int64.min, query.maximumFen ?? Int64.max]
            }
            let filter = clauses.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM voucher v WHERE \(filter)", arguments: arguments) ?? 0
            // Book order, as the `voucher_book_order` index keeps it (migration v11).
            let ids = try Int64.fetchAll(
                db, sql: "SELECT v.id FROM voucher v WHERE \(filter) ORDER BY v.date, \(Schema.classRank("v.class")), v.number LIMIT ? OFFSET ?",
                arguments: arguments + [limit, offset])
            guard !ids.isEmpty else { return ([], total) }
            let vouchers = try LedgerStore.loadVouchers(
                db, whereSQL: "v.id IN (\(ids.map { _ in "?" }.joined(separator: ",")))", arguments: StatementArguments(ids))
            return (vouchers.sorted { ($0.draft.date, $0.ref) < ($1.draft.date, $1.ref) }, total)
        }
    }

    /// The vouchers reversing or correcting `ref`.
    func followUps(of ref: VoucherRef) throws -> [PostedVoucher] {
        try queue.read { db in
            let id = try LedgerStore.voucherID(db, ref: ref)
            return try LedgerStore.loadVouchers(db, whereSQL: "v.link_id = ?", arguments: [id])
        }
    }

    func periodBook(studio: String) throws -> PeriodBook {
        try queue.read { db in try LedgerStore.periodBook(db, studioID: try LedgerStore.studioRow(db, code: studio).id) }
    }

    func closePeriod(_ period: Period, studio code: String, stamp: Stamp) throws {
        try queue.write { db in
            let (id, studio) = try LedgerStore.studioRow(db, code: code)
            var book = try LedgerStore.periodBook(db, studioID: id)
            try book.close(period, bookStart: try LedgerStore.bookStart(db, studioID: id, studio: studio), today: stamp.today)
            try db.execute(
                sql: "INSERT INTO period_event (studio_id, period, action, reason, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [id, period.key, "close", "", stamp.at, stamp.user])
            try LedgerStore.appendLog(db, stamp: stamp, action: "period.close", studio: code, detail: "结账 \(period.chinese)")
        }
    }

    func reopenPeriod(_ period: Period, studio code: String, reason: String, stamp: Stamp) throws {
        try queue.write { db in
            let (id, _) = try LedgerStore.studioRow(db, code: code)
            var book = try LedgerStore.periodBook(db, studioID: id)
            try book.reopen(period, reason: reason)
            try db.execute(
                sql: "INSERT INTO period_event (studio_id, period, action, reason, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [id, period.key, "reopen", reason.trimmingSpaces, stamp.at, stamp.user])
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "period.reopen", studio: code,
                detail: "反结账 \(period.chinese)，原因：\(reason.trimmingSpaces)")
        }
    }

    /// Every invoice key in the books up to `asOf`, with the vouchers using it (each voucher
    /// once), leaving out red reversals and the vouchers they reversed — one indexed query
    /// instead of reading every studio's vouchers.
    func invoiceUses(asOf: CalendarDate) throws -> [InvoiceKey: [VoucherRef]] {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT s.code, v.period, v.class, v.number, p.invoice_code, p.invoice_number
                    FROM posting p JOIN voucher v ON v.id = p.voucher_id JOIN studio s ON s.id = v.studio_id
                    WHERE p.invoice_number IS NOT NULL AND v.date <= ? AND v.kind <> 'reversal'
                      AND NOT EXISTS (SELECT 1 FROM voucher r WHERE r.link_id = v.id AND r.kind = 'reversal' AND r.date <= ?)
                    ORDER BY v.date, s.code, v.period, v.class, v.number
                    """,
                arguments: [asOf.iso, asOf.iso])
            var uses: [InvoiceKey: [VoucherRef]] = [:]
            for row in rows {
                let stored = StoredRow(row, table: "posting", idColumn: nil)
                let code: String? = try stored.value("invoice_code")
                let number: String = try stored.value("invoice_number")
                guard let key = try stored.build({ try InvoiceKey.parse(code: code ?? "", number: number) }) else { continue }
                let voucherClass: VoucherClass = try stored.code("class")
                uses[key, default: []].append(
                    VoucherRef(studio: try stored.value("code"), period: try stored.period("period"), voucherClass: voucherClass,
                               number: try stored.value("number")))
            }
            return uses
        }
    }
}
