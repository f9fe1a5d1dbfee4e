import FundCore
internal import GRDB
internal import GRDBSQLite

/// The state one write transaction keeps per studio while it posts vouchers: numbering
/// counters, the chain head and the period book, read once and advanced in memory.
///
/// `post` numbers, hashes and checks a voucher and inserts its voucher row and posting rows at
/// once, each through one prepared single-row INSERT the session keeps, bound and stepped
/// straight through the SQLite C API (`RowInsert`). The month turnover is added up in memory
/// and written at `flush()`, which every caller runs before its transaction commits.
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
    /// past the largest id), assigned here so that the voucher's postings can name it.
    var nextVoucherID: Int64
    /// Set when writing a voucher failed part-way (a row refused, a turnover overflowing): the
    /// rows written so far and the turnover in memory no longer agree, so the session posts
    /// nothing more and `flush` refuses, and the caller's transaction rolls back.
    private(set) var failed = false
    let voucherInsert: RowInsert
    let postingInsert: RowInsert

    init(db: Database, stamp: Stamp, keepsPosted: Bool = true) throws {
        self.db = db
        self.keepsPosted = keepsPosted
        self.stamp = stamp
        self.chart = try LedgerStore.loadChart(db)
        self.parallel = ParallelChart(chart: chart)
        nextVoucherID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM voucher") ?? 0) + 1
        voucherInsert = try RowInsert(db: db, table: "voucher", columns: Self.voucherColumns)
        postingInsert = try RowInsert(db: db, table: "posting", columns: Self.postingColumns)
    }

    /// The state of the studio `code`, read from the database the first time.
    func state(for code: String) throws -> StudioState {
        if let state = studios[code] { return state }
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
        try checkNotFailed()
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
                    // Only a payable paid on its own asks; this session's rows are already in.
                    LedgerStore.payableCategory(db, studioID: studioID, account: account, fund: fund, chart: chart)
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
        try insert(voucher, linkID: try linkID(kind, original: original), studioID: state.id)
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
            return try LedgerStore.voucherID(db, ref: kind.link!)
        }
    }

    /// Inserts the voucher's rows (the voucher first, so its postings' references hold) and
    /// adds its lines to the month turnover.
    private func insert(_ voucher: PostedVoucher, linkID: Int64?, studioID: Int64) throws {
        do {
            try insertRows(voucher, linkID: linkID, studioID: studioID)
        } catch {
            failed = true
            throw error
        }
    }

    private func checkNotFailed() throws {
        if failed {
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "an earlier voucher of this posting session failed to be written")
        }
    }

    private func insertRows(_ voucher: PostedVoucher, linkID: Int64?, studioID: Int64) throws {
        let voucherID = nextVoucherID
        let period = voucher.ref.period.key
        let draft = voucher.draft
        var fundNet = PerFund<Int64>(0)
        for line in draft.lines {
            let key = BalanceKey(studioID: studioID, fund: line.fund, account: line.account, period: period)
            var delta = balanceDelta[key] ?? (0, 0)
            if line.side == .debit {
                delta.debit = try Money(fen: delta.debit).adding(line.amount).fen
            } else {
                delta.credit = try Money(fen: delta.credit).adding(line.amount).fen
            }
            balanceDelta[key] = delta
            fundNet[line.fund] += line.signedAmount.fen
        }
        // Invariant 2, checked a second time on what is being written.
        precondition(Fund.allCases.allSatisfy { fundNet[$0] == 0 }, "a validated voucher must balance per fund")
        let row = voucherInsert
        row.bind(voucherID); row.bind(studioID); row.bind(voucher.sequence); row.bind(period)
        row.bind(voucher.ref.voucherClass.rawValue); row.bind(voucher.ref.number); row.bind(draft.date.iso)
        row.bind(voucher.kind.code); row.bind(linkID); row.bind(draft.attachments); row.bind(draft.settlement?.rawValue)
        row.bind(draft.counterparty); row.bind(draft.preparer); row.bind(draft.reviewer); row.bind(draft.poster)
        row.bind(draft.sourceRef); row.bind(voucher.postedBy); row.bind(voucher.postedAt); row.bind(voucher.previousHash)
        row.bind(voucher.hash)
        try row.insert(db)
        let posting = postingInsert
        for (index, line) in draft.lines.enumerated() {
            posting.bind(voucherID); posting.bind(index + 1); posting.bind(studioID); posting.bind(period); posting.bind(line.account)
            posting.bind(line.fund.rawValue); posting.bind(line.side.rawValue); posting.bind(line.amount.fen); posting.bind(line.memo)
            posting.bind(line.invoice?.code); posting.bind(line.invoice?.number)
            try posting.insert(db)
        }
        nextVoucherID += 1
    }

    static let voucherColumns = [
        "id", "studio_id", "seq", "period", "class", "number", "date", "kind", "link_id", "attachments",
        "settlement", "counterparty", "preparer", "reviewer", "poster", "source_ref", "posted_by", "posted_at",
        "prev_hash", "hash",
    ]

    static let postingColumns = [
        "voucher_id", "line_no", "studio_id", "period", "account", "fund", "side", "amount_fen", "memo",
        "invoice_code", "invoice_number",
    ]

    /// Adds this session's turnover to the materialised month balances.
    func flush() throws {
        try checkNotFailed()
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

/// One prepared single-row `INSERT INTO table (columns) VALUES (?, …)`, kept for a session,
/// its values bound and the statement stepped straight through the SQLite C API.
///
/// Stepping past GRDB skips its per-statement bookkeeping: transaction observers and
/// `ValueObservation` would not see these inserts (the ledger registers none), and GRDB's
/// refusal to run a statement once SQLite has rolled the transaction back by itself (after a
/// disk-full or I/O error) is made here: `insert` refuses outside a transaction, so a row can
/// never be committed on its own.
///
/// Going through GRDB's `execute` for every row (its per-statement bookkeeping) or building
/// `StatementArguments` (every value boxed in an existential and copied twice) cost more than
/// SQLite's own work for the row; multi-row `VALUES (…), (…)` statements, tried before, cost
/// SQLite about a tenth more per row than one row stepped again and again. A binding mistake
/// cannot pass quietly: the count of bound values is checked for every row, and a refused
/// row throws SQLite's error as GRDB would.
final class RowInsert {
    let sql: String
    let columnCount: Int32
    let statement: Statement
    private var bound: Int32 = 0

    init(db: Database, table: String, columns: [String]) throws {
        sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        columnCount = Int32(columns.count)
        statement = try db.makeStatement(sql: sql)
    }

    /// Binds the next column's value.
    func bind(_ value: some StatementBinding) {
        bound += 1
        let code = value.bind(to: statement.sqliteStatement, at: bound)
        precondition(code == SQLITE_OK, "SQLite refused to bind parameter \(bound) of \(sql) (code \(code))")
    }

    /// Inserts the row whose values were bound.
    func insert(_ db: Database) throws {
        precondition(bound == columnCount, "an INSERT gets one value per column")
        bound = 0
        guard db.isInsideTransaction else {
            sqlite3_clear_bindings(statement.sqliteStatement)
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted", sql: sql)
        }
        let sqliteStatement = statement.sqliteStatement
        let code = sqlite3_step(sqliteStatement)
        if code != SQLITE_DONE {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            let extended = sqlite3_extended_errcode(db.sqliteConnection)
            sqlite3_reset(sqliteStatement)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: sql)
        }
        sqlite3_reset(sqliteStatement)
    }
}
