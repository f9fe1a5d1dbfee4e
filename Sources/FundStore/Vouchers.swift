import FundCore
internal import GRDB

extension LedgerStore {
    /// Posts vouchers in one write transaction: all of them or none. The log gets one entry
    /// (`action`, `detail`) for the batch.
    @discardableResult
    public func post(
        _ drafts: [VoucherDraft], stamp: Stamp, action: String = "voucher.post", detail: String? = nil
    ) throws -> [PostedVoucher] {
        try queue.write { db in
            let session = try PostingSession(db: db, stamp: stamp)
            for draft in drafts { try session.post(draft, kind: .normal) }
            try session.flush()
            try Self.logPosted(db, session.posted, stamp: stamp, action: action, detail: detail)
            return session.posted
        }
    }

    /// Posts vouchers one by one, rejecting each bad one on its own (a rejection is returned,
    /// nothing of that voucher written); each good one commits in its own transaction.
    /// Tests and benchmarks use it to interleave valid and invalid input.
    public func postEach(_ draft: VoucherDraft, stamp: Stamp) throws -> Result<PostedVoucher, Rejection> {
        do {
            return .success(try post([draft], stamp: stamp)[0])
        } catch let rejection as Rejection {
            return .failure(rejection)
        }
    }

    static func logPosted(_ db: Database, _ posted: [PostedVoucher], stamp: Stamp, action: String, detail: String?) throws {
        let byStudio = Dictionary(grouping: posted, by: \.ref.studio)
        for (studio, vouchers) in byStudio.sorted(by: { $0.key < $1.key }) {
            let labels = vouchers.prefix(5).map { "\($0.ref.period.iso) \($0.ref.label)" }.joined(separator: "、")
            let more = vouchers.count > 5 ? " 等" : ""
            let text = detail.map { $0 + "；" } ?? ""
            try appendLog(
                db, stamp: stamp, action: action, studio: studio,
                detail: "\(text)记账 \(vouchers.count) 张凭证：\(labels)\(more)")
        }
    }

    /// Red-reverses a posted voucher (红字冲销) and optionally posts its correcting voucher,
    /// in one transaction. Returns the reversal and the correction.
    public func reverse(
        _ ref: VoucherRef, date: CalendarDate, reason: String, correction: VoucherDraft?, stamp: Stamp
    ) throws -> [PostedVoucher] {
        guard !reason.trimmingSpaces.isEmpty else {
            throw Rejection(.reasonMissing, field: "reason", "冲销必须说明原因（--reason）")
        }
        return try queue.write { db in
            let originalID = try Self.voucherID(db, ref: ref)
            let original = try Self.loadVouchers(db, whereSQL: "v.id = ?", arguments: [originalID])[0]
            if case .reversal = original.kind {
                throw Rejection(.reversalOfReversal, "\(ref) 本身是红字冲销凭证，不能再冲销；如需恢复，请重新编制正确凭证")
            }
            let reversedBy = try Int64.fetchOne(
                db, sql: "SELECT id FROM voucher WHERE link_id = ? AND kind = 'reversal'", arguments: [originalID])
            if reversedBy != nil {
                throw Rejection(.voucherAlreadyReversed, "\(ref) 已被冲销过，不能重复冲销")
            }
            let session = try PostingSession(db: db, stamp: stamp)
            let red = VoucherDraft.redReversal(of: original, date: date, preparer: stamp.user, reason: reason)
            try session.post(red, kind: .reversal(of: ref), original: (originalID, original))
            if var correction {
                guard correction.studio == ref.studio else {
                    throw Rejection(.studioUnknown, field: "studio", "订正凭证必须属于同一工作室 \(ref.studio)")
                }
                if correction.sourceRef == nil {
                    correction.sourceRef = "订正 \(original.draft.date.chinese) \(ref.label) 号凭证"
                }
                try session.post(correction, kind: .correction(of: ref), original: (originalID, original))
            }
            try session.flush()
            let labels = session.posted.map(\.ref.label).joined(separator: "、")
            try Self.appendLog(
                db, stamp: stamp, action: "voucher.reverse", studio: ref.studio,
                detail: "冲销 \(ref.period.iso) \(ref.label)，原因：\(reason)；生成 \(labels)")
            return session.posted
        }
    }

    public func voucher(_ ref: VoucherRef) throws -> PostedVoucher {
        try queue.read { db in
            let id = try Self.voucherID(db, ref: ref)
            return try Self.loadVouchers(db, whereSQL: "v.id = ?", arguments: [id])[0]
        }
    }

    /// A studio's vouchers in book order (period, class, number), optionally for a range of months.
    public func vouchers(studio: String, from: Period? = nil, to: Period? = nil) throws -> [PostedVoucher] {
        try queue.read { db in
            let (id, _) = try Self.studioRow(db, code: studio)
            return try Self.loadVouchers(
                db, whereSQL: "v.studio_id = ? AND v.period BETWEEN ? AND ?",
                arguments: [id, from?.key ?? 0, to?.key ?? 999_999])
        }
    }

    /// The vouchers reversing or correcting `ref`.
    public func followUps(of ref: VoucherRef) throws -> [PostedVoucher] {
        try queue.read { db in
            let id = try Self.voucherID(db, ref: ref)
            return try Self.loadVouchers(db, whereSQL: "v.link_id = ?", arguments: [id])
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
    /// domain values (a tampered file) are reported by `verify`; here they throw.
    static func loadVouchers(_ db: Database, whereSQL: String, arguments: StatementArguments) throws -> [PostedVoucher] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT v.*, s.code AS studio_code, l.period AS link_period, l.class AS link_class, l.number AS link_number
                FROM voucher v JOIN studio s ON s.id = v.studio_id LEFT JOIN voucher l ON l.id = v.link_id
                WHERE \(whereSQL) ORDER BY v.studio_id, v.period, v.class, v.number
                """,
            arguments: arguments)
        guard !rows.isEmpty else { return [] }
        var linesByVoucher: [Int64: [VoucherLine]] = [:]
        let ids = rows.map { $0["id"] as Int64 }
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[chunk..<min(chunk + 500, ids.count)])
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT * FROM posting WHERE voucher_id IN (\(marks)) ORDER BY voucher_id, line_no",
                arguments: StatementArguments(slice))
            var columns: ColumnIndex? = nil
            while let row = try cursor.next() {
                let c = columns ?? ColumnIndex(row)
                columns = c
                linesByVoucher[row[c["voucher_id"]], default: []].append(try line(from: row, c))
            }
        }
        let c = ColumnIndex(rows[0])
        return try rows.map { row in try voucher(from: row, c, lines: linesByVoucher[row[c["id"]]] ?? []) }
    }

    static func line(from row: Row, _ column: ColumnIndex? = nil) throws -> VoucherLine {
        let c = column ?? ColumnIndex(row)
        let code: String? = row[c["invoice_code"]]
        let number: String? = row[c["invoice_number"]]
        return VoucherLine(
            memo: row[c["memo"]], account: row[c["account"]], fund: try Fund.parse(row[c["fund"]]),
            side: try Side.parse(row[c["side"]]), amount: Money(fen: row[c["amount_fen"]]),
            invoice: code == nil && number == nil ? nil : try InvoiceKey.parse(code: code ?? "", number: number ?? ""))
    }

    static func voucher(from row: Row, _ c: ColumnIndex, lines: [VoucherLine]) throws -> PostedVoucher {
        let studio: String = row[c["studio_code"]]
        let voucherClass = try VoucherClass.parse(row[c["class"]])
        guard let period = Period(key: row[c["period"]]) else {
            throw Rejection(.periodInvalid, "stored period \(row[c["period"]] as Int) is invalid")
        }
        let ref = VoucherRef(studio: studio, period: period, voucherClass: voucherClass, number: row[c["number"]])
        var kind = VoucherKind.normal
        if let linkPeriod = (row[c["link_period"]] as Int?).flatMap(Period.init(key:)) {
            let link = VoucherRef(
                studio: studio, period: linkPeriod, voucherClass: try VoucherClass.parse(row[c["link_class"]]),
                number: row[c["link_number"]])
            kind = (row[c["kind"]] as String) == "reversal" ? .reversal(of: link) : .correction(of: link)
        }
        let settlement: String? = row[c["settlement"]]
        let draft = VoucherDraft(
            studio: studio, date: try CalendarDate.parse(row[c["date"]]), voucherClass: voucherClass, lines: lines,
            attachments: row[c["attachments"]], settlement: try settlement.map(Settlement.parse),
            counterparty: row[c["counterparty"]], preparer: row[c["preparer"]], reviewer: row[c["reviewer"]],
            poster: row[c["poster"]], sourceRef: row[c["source_ref"]])
        return PostedVoucher(
            ref: ref, draft: draft, kind: kind, postedBy: row[c["posted_by"]], postedAt: row[c["posted_at"]],
            sequence: row[c["seq"]], previousHash: row[c["prev_hash"]], hash: row[c["hash"]])
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

// MARK: - Periods

extension LedgerStore {
    static func periodEvents(_ db: Database, studioID: Int64) throws -> [(Period, PeriodBook.Action)] {
        try Row.fetchAll(
            db, sql: "SELECT period, action FROM period_event WHERE studio_id = ? ORDER BY id", arguments: [studioID]
        ).compactMap { row in
            guard let period = Period(key: row["period"]), let action = PeriodBook.Action(rawValue: row["action"])
            else { return nil }
            return (period, action)
        }
    }

    static func periodBook(_ db: Database, studioID: Int64) throws -> PeriodBook {
        PeriodBook.replay(try periodEvents(db, studioID: studioID)).book
    }

    public func periodBook(studio: String) throws -> PeriodBook {
        try queue.read { db in try Self.periodBook(db, studioID: try Self.studioRow(db, code: studio).id) }
    }

    /// The first month of a studio's books: its recognition month, or an earlier voucher's.
    static func bookStart(_ db: Database, studioID: Int64, studio: Studio) throws -> Period {
        let first = try Int.fetchOne(db, sql: "SELECT min(period) FROM voucher WHERE studio_id = ?", arguments: [studioID])
        let recognized = studio.recognized.period
        guard let first, let firstPeriod = Period(key: first) else { return recognized }
        return min(firstPeriod, recognized)
    }

    public func closePeriod(_ period: Period, studio code: String, stamp: Stamp) throws {
        try queue.write { db in
            let (id, studio) = try Self.studioRow(db, code: code)
            var book = try Self.periodBook(db, studioID: id)
            try book.close(period, bookStart: try Self.bookStart(db, studioID: id, studio: studio), today: stamp.today)
            try db.execute(
                sql: "INSERT INTO period_event (studio_id, period, action, reason, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [id, period.key, "close", "", stamp.at, stamp.user])
            try Self.appendLog(db, stamp: stamp, action: "period.close", studio: code, detail: "结账 \(period.chinese)")
        }
    }

    public func reopenPeriod(_ period: Period, studio code: String, reason: String, stamp: Stamp) throws {
        try queue.write { db in
            let (id, _) = try Self.studioRow(db, code: code)
            var book = try Self.periodBook(db, studioID: id)
            try book.reopen(period, reason: reason)
            try db.execute(
                sql: "INSERT INTO period_event (studio_id, period, action, reason, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [id, period.key, "reopen", reason.trimmingSpaces, stamp.at, stamp.user])
            try Self.appendLog(
                db, stamp: stamp, action: "period.reopen", studio: code,
                detail: "反结账 \(period.chinese)，原因：\(reason.trimmingSpaces)")
        }
    }
}

extension LedgerStore {
    /// Every invoice key in the books up to `asOf`, with the vouchers using it (each voucher
    /// once), leaving out red reversals and the vouchers they reversed — one indexed query
    /// instead of reading every studio's vouchers.
    public func invoiceUses(asOf: CalendarDate) throws -> [InvoiceKey: [VoucherRef]] {
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
                let code: String? = row[4]
                guard let key = try InvoiceKey.parse(code: code ?? "", number: row[5]),
                    let period = Period(key: row[1])
                else { continue }
                uses[key, default: []].append(
                    VoucherRef(studio: row[0], period: period, voucherClass: try VoucherClass.parse(row[2]), number: row[3]))
            }
            return uses
        }
    }
}
