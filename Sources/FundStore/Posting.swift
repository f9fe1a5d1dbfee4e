import FundCore
internal import GRDB

/// The state one write transaction keeps per studio while it posts vouchers: numbering
/// counters, the chain head and the period book, read once and advanced in memory.
///
/// Rows are written in batches: `post` numbers, hashes and checks a voucher at once, and
/// queues its voucher row and posting rows; they are inserted many rows to a statement when a
/// batch fills, before the session reads the voucher table, and at `flush()`, which every
/// caller runs before its transaction commits. One statement per row cost more than SQLite's
/// work for the row: each run rebuilds the lookup tables of the `IN (…)` checks of the schema
/// and goes through GRDB's per-statement bookkeeping.
final class PostingSession {
    /// A class, so advancing counters mutates in place instead of copying the dictionary.
    final class StudioState {
        let id: Int64
        let studio: Studio
        var headSequence: Int
        var headHash: String
        let periods: PeriodBook
        /// The studio's budget basis when the chart has budget accounts (平行记账), nil otherwise.
        let budget: BudgetBasis?
        /// The host unit's kind over time (第十一条 changes in effect from their dates): a voucher
        /// keeps budget accounting when, on its date, the host unit is a public institution.
        let hostKinds: [(from: CalendarDate?, kind: HostUnitKind)]
        var nextNumber: [NumberingKey: Int] = [:]

        init(
            id: Int64, studio: Studio, headSequence: Int, headHash: String, periods: PeriodBook, budget: BudgetBasis?,
            hostKinds: [(from: CalendarDate?, kind: HostUnitKind)]
        ) {
            self.id = id
            self.studio = studio
            self.headSequence = headSequence
            self.headHash = headHash
            self.periods = periods
            self.budget = budget
            self.hostKinds = hostKinds
        }

        /// Whether the host unit on `date` is an enterprise.
        func enterpriseHost(on date: CalendarDate) -> Bool {
            (hostKinds.last { $0.from.map { $0 <= date } ?? true } ?? hostKinds[0]).kind == .enterprise
        }
    }

    /// Month and voucher class: each pair numbers its vouchers from 1.
    struct NumberingKey: Hashable {
        let period: Int
        let voucherClass: VoucherClass

        // By case, not by raw value: a raw-value enum's synthesized hash hashes its string.
        func hash(into hasher: inout Hasher) {
            hasher.combine(period)
            hasher.combine(VoucherClass.allCases.firstIndex(of: voucherClass))
        }
    }

    struct BalanceKey: Hashable {
        let studioID: Int64
        let fund: Fund
        let account: String
        let period: Int

        // The fund by case, not by raw value (see `NumberingKey`).
        func hash(into hasher: inout Hasher) {
            hasher.combine(studioID)
            hasher.combine(Fund.allCases.firstIndex(of: fund))
            hasher.combine(account)
            hasher.combine(period)
        }
    }

    /// A voucher row waiting to be inserted.
    struct PendingVoucher {
        let id: Int64
        let studioID: Int64
        let linkID: Int64?
        let voucher: PostedVoucher
    }

    /// A posting row waiting to be inserted.
    struct PendingPosting {
        let voucherID: Int64
        let lineNumber: Int
        let studioID: Int64
        let period: Int
        let line: VoucherLine
    }

    let db: Database
    let chart: ChartOfAccounts
    let parallel: ParallelChart
    let stamp: Stamp
    var studios: [String: StudioState] = [:]
    var balanceDelta: [BalanceKey: (debit: Int64, credit: Int64)] = [:]
    /// The vouchers posted, in order; left empty for an import that streams its vouchers
    /// (`keepsPosted` false), which keeps only `summary`.
    var posted: [PostedVoucher] = []
    let keepsPosted: Bool
    var summary = PostedSummary()
    /// The id the next voucher gets: what SQLite would give a row inserted without one (one
    /// past the largest id), assigned here so that rows can wait in `pendingVouchers`.
    var nextVoucherID: Int64
    var pendingVouchers: [PendingVoucher] = []
    var pendingPostings: [PendingPosting] = []

    init(db: Database, stamp: Stamp, keepsPosted: Bool = true) throws {
        self.db = db
        self.keepsPosted = keepsPosted
        self.stamp = stamp
        self.chart = try LedgerStore.loadChart(db)
        self.parallel = ParallelChart(chart: chart)
        nextVoucherID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM voucher") ?? 0) + 1
    }

    /// The state of the studio `code`, read from the database the first time.
    func state(for code: String) throws -> StudioState {
        if let state = studios[code] { return state }
        try writePending()
        let (id, studio) = try LedgerStore.studioRow(db, code: code)
        let head = try Row.fetchOne(
            db, sql: "SELECT seq, hash FROM voucher WHERE studio_id = ? ORDER BY seq DESC LIMIT 1", arguments: [id])
        let state = StudioState(
            id: id, studio: studio, headSequence: head?["seq"] ?? 0, headHash: head?["hash"] ?? Canonical.genesis,
            periods: try LedgerStore.periodBook(db, studioID: id),
            budget: parallel.keepsBudget ? try LedgerStore.budgetBasis(db, studio: code, chart: chart) : nil,
            hostKinds: try LedgerStore.hostUnitKinds(db, studio: studio))
        studios[code] = state
        return state
    }

    /// Validates and appends one voucher. `original` is the voucher a red reversal reverses.
    @discardableResult
    func post(_ given: VoucherDraft, kind: VoucherKind, original: (id: Int64, voucher: PostedVoucher)? = nil) throws -> PostedVoucher {
        let state = try state(for: given.studio)
        var draft = given
        if case .reversal = kind {
            // The exact mirror of a posted voucher, whatever regime it was posted under.
            precondition(original != nil, "a reversal names its original")
            try VoucherValidation.validateReversal(draft, of: original!.voucher.draft, chart: chart)
        } else {
            // 平行记账: a voucher of a public institution's (on the voucher's date) gets its
            // budget lines here when no door derived them first (the lifecycle's vouchers, the
            // CLI's JSON), and is held to them.
            let enterprise = state.enterpriseHost(on: draft.date)
            if let basis = state.budget, !enterprise {
                let studioID = state.id
                draft = try ParallelEntries.withBudgetLines(draft, parallel: parallel, basis: basis) { [self] account, fund in
                    // Only a payable paid on its own asks: the batch's queued rows first.
                    guard (try? writePending()) != nil else { return nil }
                    return LedgerStore.payableCategory(db, studioID: studioID, account: account, fund: fund, chart: chart)
                }
            }
            try VoucherValidation.validate(draft, chart: chart)
            if enterprise {
                try ParallelEntries.checkNone(draft, chart: chart)
            } else if state.budget != nil {
                try ParallelEntries.check(draft, chart: chart)
            }
        }
        let period = draft.period
        guard state.periods.isOpen(period) else {
            throw Rejection(
                .periodClosed, field: "date",
                "\(period.chinese) 已结账，不能再记账（如确需补记，请先反结账并说明原因）")
        }
        let counterKey = NumberingKey(period: period.key, voucherClass: draft.voucherClass)
        let number: Int
        if let next = state.nextNumber[counterKey] {
            number = next
        } else {
            try writePending()
            let last = try Int.fetchOne(
                db, sql: "SELECT max(number) FROM voucher WHERE studio_id = ? AND period = ? AND class = ?",
                arguments: [state.id, period.key, draft.voucherClass.rawValue]) ?? 0
            number = last + 1
        }
        guard number <= Limits.vouchersPerMonthMax else {
            throw Rejection(.voucherNumberingFull, "\(period.chinese) \(draft.voucherClass.rawValue) 字凭证编号已满")
        }
        let ref = VoucherRef(studio: draft.studio, period: period, voucherClass: draft.voucherClass, number: number)
        let sequence = state.headSequence + 1
        let text = Canonical.voucherText(
            ref: ref, draft: draft, kind: kind, postedBy: stamp.user, postedAt: stamp.at, sequence: sequence,
            previousHash: state.headHash)
        let hash = LedgerStore.sha256Hex(text)
        let previous = state.headHash
        let voucher = PostedVoucher(
            ref: ref, draft: draft, kind: kind, postedBy: stamp.user, postedAt: stamp.at, sequence: sequence,
            previousHash: previous, hash: hash)
        try queue(voucher, linkID: try linkID(kind, original: original), studioID: state.id)
        state.nextNumber[counterKey] = number + 1
        state.headSequence = sequence
        state.headHash = hash
        if keepsPosted { posted.append(voucher) }
        summary.add(voucher)
        return voucher
    }

    private func linkID(_ kind: VoucherKind, original: (id: Int64, voucher: PostedVoucher)?) throws -> Int64? {
        switch kind {
        case .normal: return nil
        case .reversal, .correction:
            if let original { return original.id }
            try writePending()
            return try LedgerStore.voucherID(db, ref: kind.link!)
        }
    }

    /// Queues the voucher's rows and adds its lines to the month turnover.
    private func queue(_ voucher: PostedVoucher, linkID: Int64?, studioID: Int64) throws {
        let voucherID = nextVoucherID
        let period = voucher.ref.period.key
        var fundNet = PerFund<Int64>(0)
        for (index, line) in voucher.draft.lines.enumerated() {
            let key = BalanceKey(studioID: studioID, fund: line.fund, account: line.account, period: period)
            var delta = balanceDelta[key] ?? (0, 0)
            if line.side == .debit {
                delta.debit = try Money(fen: delta.debit).adding(line.amount).fen
            } else {
                delta.credit = try Money(fen: delta.credit).adding(line.amount).fen
            }
            balanceDelta[key] = delta
            fundNet[line.fund] += line.signedAmount.fen
            pendingPostings.append(
                PendingPosting(voucherID: voucherID, lineNumber: index + 1, studioID: studioID, period: period, line: line))
        }
        // Invariant 2, checked a second time on what is being written.
        precondition(Fund.allCases.allSatisfy { fundNet[$0] == 0 }, "a validated voucher must balance per fund")
        pendingVouchers.append(PendingVoucher(id: voucherID, studioID: studioID, linkID: linkID, voucher: voucher))
        nextVoucherID += 1
        if pendingVouchers.count >= Self.voucherInsert.rowsMax { try writePending() }
    }

    /// Inserts the queued rows: the vouchers first, so their postings' references hold.
    func writePending() throws {
        try Self.voucherInsert.run(pendingVouchers, db: db) { row, bind in
            let voucher = row.voucher
            let draft = voucher.draft
            bind(row.id); bind(row.studioID); bind(voucher.sequence); bind(voucher.ref.period.key)
            bind(voucher.ref.voucherClass.rawValue); bind(voucher.ref.number); bind(draft.date.iso)
            bind(voucher.kind.code); bind(row.linkID); bind(draft.attachments); bind(draft.settlement?.rawValue)
            bind(draft.counterparty); bind(draft.preparer); bind(draft.reviewer); bind(draft.poster)
            bind(draft.sourceRef); bind(voucher.postedBy); bind(voucher.postedAt); bind(voucher.previousHash)
            bind(voucher.hash)
        }
        pendingVouchers.removeAll(keepingCapacity: true)
        try Self.postingInsert.run(pendingPostings, db: db) { row, bind in
            let line = row.line
            bind(row.voucherID); bind(row.lineNumber); bind(row.studioID); bind(row.period); bind(line.account)
            bind(line.fund.rawValue); bind(line.side.rawValue); bind(line.amount.fen); bind(line.memo)
            bind(line.invoice?.code); bind(line.invoice?.number)
        }
        pendingPostings.removeAll(keepingCapacity: true)
    }

    static let voucherInsert = BatchInsert(
        table: "voucher",
        columns: [
            "id", "studio_id", "seq", "period", "class", "number", "date", "kind", "link_id", "attachments",
            "settlement", "counterparty", "preparer", "reviewer", "poster", "source_ref", "posted_by", "posted_at",
            "prev_hash", "hash",
        ],
        rowsMax: 32)

    static let postingInsert = BatchInsert(
        table: "posting",
        columns: [
            "voucher_id", "line_no", "studio_id", "period", "account", "fund", "side", "amount_fen", "memo",
            "invoice_code", "invoice_number",
        ],
        rowsMax: 96)

    /// Writes the queued rows, then adds this session's turnover to the materialised month
    /// balances.
    func flush() throws {
        try writePending()
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO month_balance (studio_id, fund, account, period, debit_fen, credit_fen)
                VALUES (?,?,?,?,?,?)
                ON CONFLICT (studio_id, fund, account, period) DO UPDATE SET
                    debit_fen = debit_fen + excluded.debit_fen,
                    credit_fen = credit_fen + excluded.credit_fen
                """)
        for (key, delta) in balanceDelta {
            try statement.execute(arguments: [key.studioID, key.fund.rawValue, key.account, key.period, delta.debit, delta.credit])
        }
        balanceDelta = [:]
    }
}

/// What the log says of vouchers posted together, per studio: how many, and the labels of
/// the first five.
struct PostedSummary {
    var byStudio: [String: (count: Int, first: [String])] = [:]
    var total = 0

    mutating func add(_ voucher: PostedVoucher) {
        total += 1
        var entry = byStudio[voucher.ref.studio] ?? (0, [])
        entry.count += 1
        if entry.first.count < 5 { entry.first.append("\(voucher.ref.period.iso) \(voucher.ref.label)") }
        byStudio[voucher.ref.studio] = entry
    }
}

/// A multi-row `INSERT INTO table (columns) VALUES (…), (…), …` of up to `rowsMax` rows.
struct BatchInsert: Sendable {
    let table: String
    let columns: [String]
    let rowsMax: Int

    func sql(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ",")
    }

    /// Inserts `rows`, `rowsMax` to a statement; `bind` binds one row's values in column order.
    ///
    /// Values are bound straight onto the SQLite statement (`StatementBinding`), after
    /// `setUncheckedArguments` with no arguments has reset it and cleared its bindings;
    /// `execute()` then runs it with those bindings. Building `StatementArguments` instead
    /// boxed every value in an existential and copied it twice. A binding mistake cannot pass
    /// quietly: the count of bound values is checked for every statement.
    func run<Row>(_ rows: [Row], db: Database, bind: (Row, inout Binder) -> Void) throws {
        var start = 0
        while start < rows.count {
            let end = min(start + rowsMax, rows.count)
            let statement = try db.cachedStatement(sql: sql(rows: end - start))
            statement.setUncheckedArguments(StatementArguments())
            var binder = Binder(statement: statement.sqliteStatement)
            for row in rows[start..<end] { bind(row, &binder) }
            precondition(Int(binder.count) == (end - start) * columns.count, "an INSERT gets one value per column and row")
            try statement.execute()
            start = end
        }
    }

    /// Binds values to consecutive parameters, from the first.
    struct Binder {
        let statement: SQLiteStatement
        var count: Int32 = 0

        mutating func callAsFunction(_ value: some StatementBinding) {
            count += 1
            let code = value.bind(to: statement, at: count)
            precondition(code == 0, "SQLite refused to bind parameter \(count) (code \(code))")
        }
    }
}
