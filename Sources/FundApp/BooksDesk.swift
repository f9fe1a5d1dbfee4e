import FundCore
import FundExchange
import FundReports
import FundStore
import Foundation

/// Keeping the books: posting, importing, reversing, closing and reopening months, and the
/// book views (科目余额表, 序时账, 明细账, one voucher).
public struct BooksDesk: Desk {
    let app: LedgerApp

    // MARK: Recording

    /// Posts the vouchers of a JSON file (one or many), all or nothing. Each must name a
    /// reviewer other than its preparer (R005) unless `allowUnreviewed`, which is logged (and
    /// the JE-002 finding stays on such vouchers).
    public func postVouchers(json data: Data, file: String, allowUnreviewed: Bool = false) throws -> [PostedVoucher] {
        let drafts = try VoucherJSON.read(data, file: file, defaultPreparer: user)
        do {
            for (index, draft) in drafts.enumerated() {
                try checkDate(draft, field: drafts.count > 1 ? "[\(index)].date" : "date")
            }
            let unreviewed = try checkReviewed(drafts, allowUnreviewed: allowUnreviewed) { index in
                drafts.count > 1 ? "第 \(index + 1) 张凭证（[\(index)].reviewer）" : "凭证（reviewer）"
            }
            try app.compliance.enforceBlocks(drafts)
            return try store.books.post(drafts, stamp: stamp(), detail: "来自 \(URL(fileURLWithPath: file).lastPathComponent)" + unreviewed)
        } catch let rejection as Rejection {
            throw LocatedRejection(file: file, line: nil, rejection: rejection)
        }
    }

    /// R005: refuses vouchers whose reviewer is blank or their preparer, unless allowed; then
    /// returns the note the log gets about them ("" when every voucher was reviewed).
    func checkReviewed(_ drafts: [VoucherDraft], allowUnreviewed: Bool, where place: (Int) -> String) throws(Rejection) -> String {
        let unreviewed = DraftRules.unreviewed(drafts)
        guard let first = unreviewed.first else { return "" }
        return try reviewNote(first: place(first), count: unreviewed.count, allowUnreviewed: allowUnreviewed)
    }

    /// R005 for `count` unreviewed vouchers, the first described by `first`: the refusal, or
    /// the log's note when allowed.
    func reviewNote(first: String, count: Int, allowUnreviewed: Bool) throws(Rejection) -> String {
        guard allowUnreviewed else {
            throw Rejection(
                .voucherUnreviewed, field: "reviewer",
                "\(first)未经他人审核：审核人为空或与制单人相同（\(DraftRules.reviewBasis)）；共 \(count) 张。"
                    + "确需记入未审核凭证（如系统迁移），请加 --allow-unreviewed（将记入操作日志并形成 JE-002 发现）")
        }
        return "；--allow-unreviewed：\(count) 张凭证未经他人审核"
    }

    public struct ImportResult: Sendable {
        public let vouchers: [PostedVoucher]
        public let lines: Int
    }

    /// Imports a voucher CSV for one studio: every row checked first, every error listed, and
    /// then all vouchers posted in one transaction, or nothing at all. Each voucher must name a
    /// reviewer other than its preparer (R005) unless `allowUnreviewed`.
    public func importVouchers(
        csv data: Data, file: String, studio: String, defaultFund: Fund? = nil, allowUnreviewed: Bool = false, hostCodes: Bool = false
    ) throws -> ImportResult {
        let imported = try prepareImport(csv: data, file: file, studio: studio, defaultFund: defaultFund, hostCodes: hostCodes)
        let note: String
        do {
            note = try checkReviewed(imported.map(\.draft), allowUnreviewed: allowUnreviewed) { index in
                "第 \(imported[index].fileLines[0]) 行起的凭证 \(imported[index].draft.sourceRef ?? "")"
            }
        } catch {
            let index = DraftRules.unreviewed(imported.map(\.draft))[0]
            throw LocatedRejection(file: file, line: imported[index].fileLines[0], rejection: error)
        }
        let posted = try store.books.post(
            imported.map(\.draft), stamp: stamp(), action: "voucher.import",
            detail: "导入 \(URL(fileURLWithPath: file).lastPathComponent)（\(imported.count) 张凭证）" + note)
        return ImportResult(vouchers: posted, lines: imported.reduce(0) { $0 + $1.draft.lines.count })
    }

    /// What raised each payable of the studio, from the books (ParallelEntries.PayableCategory).
    func payables(_ studio: String) -> ParallelEntries.PayableCategory {
        let store = self.store
        return { account, fund in try? store.registry.payableCategory(studio: studio, account: account, fund: fund) ?? nil }
    }

    /// The studio's budget accounting when it keeps one (平行记账), else nil.
    func parallelBooks(studio: String) throws -> (chart: ParallelChart, basis: BudgetBasis)? {
        let accounting = try store.registry.budgetAccounting(studio: studio)
        guard accounting.kept else { return nil }
        return (ParallelChart(chart: try store.register.chart()), accounting.basis)
    }

    /// `draft` with budget lines a public-institution studio's posting will accept: its own
    /// when they keep the invariants (an accountant's edit, such as moving 事业支出 to another
    /// category), else derived afresh from its financial lines (a new voucher, or budget lines
    /// left stale by a changed amount). Unchanged for other studios.
    public func withBudgetLines(_ draft: VoucherDraft) throws -> VoucherDraft {
        guard let budget = try parallelBooks(studio: draft.studio) else { return draft }
        let chart = budget.chart.chart
        if ParallelEntries.hasBudgetLines(draft, chart: chart), (try? ParallelEntries.check(draft, chart: chart)) != nil {
            return draft
        }
        var financial = draft
        financial.lines = draft.lines.filter { chart[$0.account]?.type.isBudget != true }
        return try ParallelEntries.withBudgetLines(financial, parallel: budget.chart, basis: budget.basis, payableCategory: payables(draft.studio))
    }

    /// Posts the year-end closing of a public-institution studio's budget accounts for `year`
    /// (年末预算收支结转, a 转 voucher dated 31 December): 预算收入 and 事业支出 into 本年收支结转
    /// and on into 累计结转, with 年初余额调整, 资金调剂 and 缴回资金. `reviewer` signs as 审核
    /// (R005, as for every voucher). Refused when the studio keeps no budget accounting or there
    /// is nothing to close.
    public func closeBudgetYear(studio: String, year: Int, reviewer: String, allowUnreviewed: Bool = false) throws -> [PostedVoucher] {
        guard let budget = try parallelBooks(studio: studio) else {
            throw Rejection(.budgetLinesNotKept, field: "studio", "工作室 \(studio) 不做预算会计（依托单位为企业，或科目表没有 6/7/8 类科目）")
        }
        guard let date = CalendarDate(year: year, month: 12, day: 31) else {
            throw Rejection(.periodInvalid, field: "year", "年度 \(year) 无效")
        }
        // The whole books, so that a later year's closing is seen.
        let snapshot = try app.statements.booksSnapshot(studio: studio, asOf: app.cutoff(nil))
        let chart = budget.chart.chart
        if let later = snapshot.vouchers.first(where: { voucher in
            voucher.draft.date > date && voucher.draft.lines.contains { chart[$0.account]?.role == .budgetClosing }
        }) {
            throw Rejection(
                .budgetYearOrder, field: "year",
                "工作室 \(studio) 已有 \(later.draft.date.year) 年的年末预算收支结转（\(later.ref)），不能再结转更早的 \(year) 年")
        }
        var sums: [String: Money] = [:]
        var earlier: [String: Money] = [:]
        for turnover in snapshot.turnovers where turnover.period <= date.period {
            let key = "\(turnover.fund.rawValue)|\(turnover.account)"
            let net = try turnover.debit.subtracting(turnover.credit)
            sums[key] = try (sums[key] ?? .zero).adding(net)
            if turnover.period.year < year { earlier[key] = try (earlier[key] ?? .zero).adding(net) }
        }
        // Earlier years must be closed first: their 预算收入 and 事业支出 left at zero.
        if let open = earlier.first(where: { key, balance in
            !balance.isZero && [.budgetRevenue, .budgetExpenditure].contains(chart[String(key.split(separator: "|")[1])]?.type)
        }) {
            throw Rejection(
                .budgetYearOrder, field: "year",
                "\(year - 1) 年及以前的预算收支尚未结转（如科目 \(open.key.split(separator: "|")[1])），请先结转以前年度")
        }
        let balances = sums.keys.sorted().compactMap { key -> (fund: Fund, account: String, balance: Money)? in
            let parts = key.split(separator: "|").map(String.init)
            guard let fund = Fund(rawValue: parts[0]) else { return nil }
            return (fund, parts[1], sums[key]!)
        }
        let lines = try ParallelEntries.yearEndLines(balances: balances, year: year, parallel: budget.chart, basis: budget.basis)
        guard !lines.isEmpty else {
            throw Rejection(.budgetNothingToClose, field: "year", "工作室 \(studio) \(year) 年没有需要结转的预算收支（已结转，或没有预算收支）")
        }
        let stamp = stamp()
        let draft = VoucherDraft(
            studio: studio, date: date, voucherClass: .zhuan, lines: lines, preparer: stamp.user, reviewer: reviewer.trimmingSpaces,
            poster: stamp.user)
        let note = try checkReviewed([draft], allowUnreviewed: allowUnreviewed) { _ in "\(year) 年末预算收支结转凭证" }
        return try store.books.post(
            [draft], stamp: stamp, action: "voucher.budget-close", detail: "\(year) 年末预算收支结转（平行记账）" + note)
    }

    /// Reads and checks a voucher CSV for one studio without writing: every row, closed
    /// months, dates and the policy's blocks; every error listed (RejectionList).
    ///
    /// `hostCodes`: the file's account codes are the host unit's own, read through its account
    /// mapping (ERPDesk); the mapping's project codes and names name funds in a 核算项目 column
    /// either way.
    func prepareImport(csv data: Data, file: String, studio: String, defaultFund: Fund? = nil, hostCodes: Bool = false) throws -> [ImportedVoucher] {
        let chart = try store.register.chart()
        let mapping = try app.erp.mapping(forStudio: studio, file: file, required: hostCodes)
        let reader = VoucherCSVReader(file: file, studio: studio, chart: chart, defaultFund: defaultFund, mapping: mapping, hostCodes: hostCodes)
        var imported = try reader.read(data)
        // 平行记账: a public-institution studio's vouchers get their budget lines now, so the
        // preview shows them; lines the file already has are kept and checked.
        if let budget = try parallelBooks(studio: studio) {
            var errors: [LocatedRejection] = []
            imported = imported.map { voucher in
                do throws(Rejection) {
                    return try Self.withBudgetLines(voucher, budget, chart: chart, payableCategory: payables(studio))
                } catch {
                    errors.append(LocatedRejection(file: file, line: voucher.fileLines[0], rejection: Self.labelled(error, voucher)))
                    return voucher
                }
            }
            if !errors.isEmpty {
                throw RejectionList(items: Array(errors.prefix(Limits.importErrorsMax)), truncated: errors.count > Limits.importErrorsMax)
            }
        }
        let book = try store.books.periodBook(studio: studio)
        var closed: [LocatedRejection] = []
        for voucher in imported where !book.isOpen(voucher.draft.period) {
            closed.append(Self.closedRejection(voucher, file: file))
        }
        let dateRule = VoucherDateRule(today: clock.today(), recognized: try store.register.studio(code: studio).recognized)
        for voucher in imported {
            do { try dateRule.check(voucher.draft.date, field: "日期") } catch {
                closed.append(LocatedRejection(file: file, line: voucher.fileLines[0], rejection: Self.labelled(error, voucher)))
            }
        }
        if !closed.isEmpty {
            throw RejectionList(items: Array(closed.prefix(Limits.importErrorsMax)), truncated: closed.count > Limits.importErrorsMax)
        }
        try app.compliance.enforceBlocks(imported.map(\.draft))
        return imported
    }

    /// Red-reverses a voucher, optionally posting a correcting voucher from JSON, atomically.
    /// The reversal names the acting user as 制单 and 记账 and `reviewer` as 审核: someone
    /// other than the acting user (R005) unless `allowUnreviewed`, which is logged.
    public func reverse(
        _ ref: VoucherRef, date: CalendarDate?, reason: String, correction: (data: Data, file: String)?, reviewer: String? = nil,
        allowUnreviewed: Bool = false
    ) throws -> [PostedVoucher] {
        var draft: VoucherDraft? = nil
        if let correction {
            let drafts = try VoucherJSON.read(correction.data, file: correction.file, defaultPreparer: user)
            guard drafts.count == 1 else {
                throw LocatedRejection(file: correction.file, line: nil, rejection: Rejection(.voucherJSONInvalid, "订正凭证文件应只含一张凭证"))
            }
            draft = drafts[0]
            do { try checkDate(drafts[0], field: "date") } catch {
                throw LocatedRejection(file: correction.file, line: nil, rejection: error)
            }
        }
        let day = date ?? clock.today()
        try TextField.validate(reason, field: "reason")
        try VoucherDateRule(today: clock.today(), recognized: try? store.register.studio(code: ref.studio).recognized)
            .check(day, field: "date")
        let reviewerName = try reviewer.map { try LedgerApp.personName($0, field: "reviewer", label: "审核人（--reviewer）") } ?? ""
        let signOff = SignOff(preparer: user, reviewer: reviewerName, poster: user)
        let checked = [VoucherDraft(studio: ref.studio, date: day, lines: [], preparer: user, reviewer: reviewerName)] + (draft.map { [$0] } ?? [])
        _ = try checkReviewed(checked, allowUnreviewed: allowUnreviewed) { index in
            index == 0 ? "红字冲销凭证（--reviewer）" : "订正凭证（reviewer）"
        }
        return try store.books.reverse(ref, date: day, reason: reason, correction: draft, signOff: signOff, stamp: stamp())
    }

    /// D003: the voucher's date is one these books can carry, by today and the studio's
    /// recognition date (an unknown studio is left to the store's S003).
    func checkDate(_ draft: VoucherDraft, field: String) throws(Rejection) {
        let recognized = try? store.register.studio(code: draft.studio).recognized
        try VoucherDateRule(today: clock.today(), recognized: recognized).check(draft.date, field: field)
    }

    /// Closes a month. Once the host unit has a signing key, the close is signed: its private
    /// key (`keyFile`, default its default file) signs the chain heads as closed, and a close
    /// without the key is refused before anything is written. Returns whether it was signed.
    @discardableResult
    public func closePeriod(_ period: Period, studio: String, keyFile: URL? = nil) throws -> Bool {
        // The host unit that keeps the books now signs the close (after a host-unit change in
        // effect, 第十一条, the new one, whichever month is closed).
        let hostUnit = try app.register.studio(code: studio).hostUnit
        let signed = try store.evidence.signingKeys(hostUnit: hostUnit).isEmpty
            ? nil : try app.packages.signingKey(for: hostUnit, file: keyFile)
        try store.books.closePeriod(period, studio: studio, stamp: stamp())
        if let signed {
            try app.packages.signCheckpoint(studio: studio, hostUnit: hostUnit.description, kind: "close", label: period.iso, key: signed)
        }
        return signed != nil
    }

    public func reopenPeriod(_ period: Period, studio: String, reason: String) throws {
        try TextField.validate(reason, field: "reason")
        try store.books.reopenPeriod(period, studio: studio, reason: reason, stamp: stamp())
    }

    /// Which months of a studio are closed.
    public func periodBook(studio: String) throws -> PeriodBook {
        try store.books.periodBook(studio: studio)
    }

    // MARK: Reading

    /// A voucher named by its number as people write it: "3", "记-3", "记-0003" (the class may
    /// also come apart, `--class 记`). Bad text is V029; a well-formed number that names no
    /// voucher is V020.
    public static func voucherRef(number: String, studio: String, period: Period, voucherClass: String?) throws -> VoucherRef {
        var classText = voucherClass ?? "记"
        var numberText = number.trimmingCharacters(in: .whitespaces)
        var classGiven = true
        if let dash = numberText.firstIndex(where: { $0 == "-" }) {
            classText = String(numberText[..<dash])
            numberText = String(numberText[numberText.index(after: dash)...])
            classGiven = !classText.isEmpty
        }
        guard classGiven, numberText.allSatisfy(\.isASCII), let value = Int(numberText), value > 0, value <= Limits.vouchersPerMonthMax else {
            throw Rejection(.voucherNumberInvalid, field: "number", "凭证号“\(number)”无效（应为正整数，如 3 或 记-0003）")
        }
        let parsedClass = try parseField("class") { () throws(Rejection) in try VoucherClass.parse(classText) }
        return VoucherRef(studio: studio, period: period, voucherClass: parsedClass, number: value)
    }

    /// One posted voucher and the reversals and corrections that follow it.
    public func voucher(_ ref: VoucherRef) throws -> (voucher: PostedVoucher, followUps: [PostedVoucher]) {
        let voucher = try store.books.voucher(ref)
        return (voucher, try store.books.followUps(of: voucher.ref))
    }

    /// 科目余额表 for one studio as of a day (default today). Without a range it covers every
    /// month with activity up to the as-of month. The month balances hold whole months, so they
    /// serve when every month in range ends by the as-of day; otherwise the turnovers come from
    /// the vouchers dated up to the day, as every statement takes them.
    public func trialBalance(
        studio: String, fund: Fund? = nil, from: Period? = nil, to: Period? = nil, asOf: CalendarDate? = nil
    ) throws -> TrialBalance {
        let day = app.cutoff(asOf)
        let chart = try store.register.chart()
        var (low, high) = try range(studio: studio, from: from, to: to)
        high = max(low, min(high, day.period))
        let turnovers: [MonthTurnover]
        if high.lastDay <= day {
            turnovers = try store.books.turnovers(studio: studio, fund: fund, through: high)
        } else {
            turnovers = try app.statements.booksSnapshot(studio: studio, asOf: day).turnovers
                .filter { fund == nil || $0.fund == fund }
        }
        return try TrialBalance.build(
            studio: studio, chart: chart, turnovers: turnovers, funds: fund.map { [$0] } ?? Fund.allCases, from: low, to: high)
    }

    /// The trial balances of every studio, read one studio at a time (each by its own key
    /// prefix of the month balances), so memory holds one studio's turnover, not everyone's.
    public func trialBalancesAllStudios(through: Period? = nil) throws -> [TrialBalance] {
        let chart = try store.register.chart()
        var balances: [TrialBalance] = []
        for studio in try store.register.studios() {
            let rows = try store.books.turnovers(studio: studio.code, through: through)
            guard let low = rows.map(\.period).min(), let last = rows.map(\.period).max() else { continue }
            balances.append(
                try TrialBalance.build(
                    studio: studio.code, chart: chart, turnovers: rows, funds: Fund.allCases, from: low, to: through ?? last))
        }
        return balances
    }

    public func journal(studio: String, from: Period? = nil, to: Period? = nil) throws -> [PostedVoucher] {
        try store.books.vouchers(studio: studio, from: from, to: to)
    }

    /// 明细账 of one account (a parent code covers all its leaves).
    public func accountLedger(studio: String, account code: String, fund: Fund?, from: Period?, to: Period?) throws -> AccountLedger {
        let chart = try store.register.chart()
        guard let account = chart[code] else {
            throw Rejection(.accountUnknown, field: "account", "科目编码 \(code) 不存在")
        }
        let (low, high) = try range(studio: studio, from: from, to: to)
        let turnovers = try store.books.turnovers(studio: studio, fund: fund, through: high)
        let entries = try store.books.ledgerEntries(studio: studio, accountPrefix: code, fund: fund, from: low, to: high)
        return try AccountLedger.build(account: account, turnovers: turnovers, entries: entries, from: low)
    }

    /// The months a book view covers: the given bounds, else the studio's months with activity
    /// (or its recognition month when it has none).
    func range(studio: String, from: Period?, to: Period?) throws -> (Period, Period) {
        let active = try store.books.activeRange(studio: studio)
        let recognized = try store.register.studio(code: studio).recognized.period
        let low = from ?? active?.lowerBound ?? recognized
        let high = to ?? max(active?.upperBound ?? low, low)
        guard low <= high else {
            throw Rejection(.periodInvalid, field: "from", "起始期间 \(low.iso) 晚于截止期间 \(high.iso)")
        }
        return (low, high)
    }
}

/// What `importVouchers(csvFile:)` returns: the file's vouchers were posted, and are not kept.
public struct FileImportResult: Sendable {
    public let studio: String
    public let vouchers: Int
    public let lines: Int
    /// The latest voucher date; with `posted`, enough to list the findings the import raised
    /// (`raisedReport`).
    public let latestDate: CalendarDate?
    /// The posted vouchers by month, class and number, packed into one integer each (a set of
    /// `FindingVoucher`s, three strings each, was a large share of a big import's memory).
    let keys: Set<Int>

    static func key(period: Period, voucherClass: VoucherClass, number: Int) -> Int {
        (period.key * 8 + (VoucherClass.allCases.firstIndex(of: voucherClass) ?? 7)) * 1_000_000 + number
    }

    /// Whether `voucher` is one this import posted.
    public func posted(_ voucher: FindingVoucher) -> Bool {
        guard let period = try? Period.parse(voucher.period), let voucherClass = VoucherClass(rawValue: voucher.class) else { return false }
        return keys.contains(Self.key(period: period, voucherClass: voucherClass, number: voucher.number))
    }
}

extension BooksDesk {
    /// Imports a voucher CSV file from disk for one studio, in bounded memory: the file is read
    /// 1 MB at a time and each voucher, once its last row is read and it passes the checks
    /// `importVouchers(csv:)` makes (rows, budget lines, closed months, dates, R005), is posted
    /// into the one write transaction the import holds open. After the first error nothing
    /// more is written, but the reading goes on to the end so that every error is listed,
    /// the same list the whole-file import gives; then the transaction rolls back. Kept in
    /// memory: the identity of each voucher (numbering conflicts, I009) and the errors.
    ///
    /// When a policy blocks categories of findings, the rules must see the studio's books with
    /// every new voucher added before anything is written (`enforceBlocks`); that holds the
    /// books in memory anyway, and such a ledger imports through the whole-file path.
    public func importVouchers(
        csvFile path: String, file: String, studio: String, defaultFund: Fund? = nil, allowUnreviewed: Bool = false,
        hostCodes: Bool = false
    ) throws -> FileImportResult {
        if try app.compliance.policies().contains(where: { !$0.block.isEmpty }) {
            let result = try importVouchers(
                csv: Data(contentsOf: URL(fileURLWithPath: path)), file: file, studio: studio, defaultFund: defaultFund,
                allowUnreviewed: allowUnreviewed, hostCodes: hostCodes)
            return FileImportResult(
                studio: studio, vouchers: result.vouchers.count, lines: result.lines, latestDate: result.vouchers.map(\.draft.date).max(),
                keys: Set(result.vouchers.map { FileImportResult.key(period: $0.ref.period, voucherClass: $0.ref.voucherClass, number: $0.ref.number) }))
        }
        let chart = try store.register.chart()
        let mapping = try app.erp.mapping(forStudio: studio, file: file, required: hostCodes)
        let source = try VoucherFileSource(path: path, file: file)
        let reader = VoucherCSVReader(file: file, studio: studio, chart: chart, defaultFund: defaultFund, mapping: mapping, hostCodes: hostCodes)
        // What the whole-file import looks up after reading, looked up first; a failure is
        // thrown where that import would throw it.
        let budget = Result { try parallelBooks(studio: studio) }
        let book = Result { try store.books.periodBook(studio: studio) }
        let recognized = Result { try store.register.studio(code: studio).recognized }
        var checks = ImportChecks(file: file)
        let today = clock.today()
        var lines = 0
        var keys = Set<Int>()
        var latest: CalendarDate? = nil
        var postingFailure: Rejection? = nil
        var stopped = false  // nothing more is posted
        if case .failure = budget { stopped = true }
        if case .failure = book { stopped = true }
        if case .failure = recognized { stopped = true }
        try store.books.postStream(stamp: stamp(), action: "voucher.import") { post in
            try reader.stream(file: source) { read, clean in
                let voucher = read
                if case .success(.some) = budget {
                    // A file's own budget lines are checked here; the rest get theirs when
                    // posted (PostingSession), where a payable paid on its own finds what
                    // raised it even earlier in this file.
                    do throws(Rejection) {
                        if ParallelEntries.hasBudgetLines(voucher.draft, chart: chart) { try ParallelEntries.check(voucher.draft, chart: chart) }
                    } catch {
                        checks.budget.add(LocatedRejection(file: file, line: voucher.fileLines[0], rejection: Self.labelled(error, voucher)))
                    }
                }
                if case .success(let book) = book, !book.isOpen(voucher.draft.period) {
                    checks.closed.add(Self.closedRejection(voucher, file: file))
                }
                if case .success(let recognized) = recognized {
                    do throws(Rejection) {
                        try VoucherDateRule(today: today, recognized: recognized).check(voucher.draft.date, field: "日期")
                    } catch {
                        checks.dates.add(LocatedRejection(file: file, line: voucher.fileLines[0], rejection: Self.labelled(error, voucher)))
                    }
                }
                if !DraftRules.unreviewed([voucher.draft]).isEmpty {
                    if checks.unreviewed == 0 { checks.firstUnreviewed = voucher }
                    checks.unreviewed += 1
                }
                if stopped || !clean || !checks.clean || (checks.unreviewed > 0 && !allowUnreviewed) {
                    stopped = true
                    return
                }
                do {
                    let posted = try post(voucher.draft)
                    keys.insert(FileImportResult.key(period: posted.ref.period, voucherClass: posted.ref.voucherClass, number: posted.ref.number))
                    latest = max(latest ?? posted.draft.date, posted.draft.date)
                    lines += posted.draft.lines.count  // with the budget lines posting gave it
                } catch let rejection as Rejection {
                    postingFailure = rejection
                    stopped = true
                }
            }
            // Thrown in the order the whole-file import throws them.
            _ = try budget.get()
            try checks.budget.throwIfAny()
            _ = try book.get()
            _ = try recognized.get()
            var closed = checks.closed
            closed.append(checks.dates)
            try closed.throwIfAny()
            var note = ""
            if let first = checks.firstUnreviewed {
                do throws(Rejection) {
                    note = try reviewNote(
                        first: "第 \(first.fileLines[0]) 行起的凭证 \(first.draft.sourceRef ?? "")", count: checks.unreviewed,
                        allowUnreviewed: allowUnreviewed)
                } catch {
                    throw LocatedRejection(file: file, line: first.fileLines[0], rejection: error)
                }
            }
            if let postingFailure { throw postingFailure }
            return "导入 \(URL(fileURLWithPath: file).lastPathComponent)（\(keys.count) 张凭证）" + note
        }
        return FileImportResult(studio: studio, vouchers: keys.count, lines: lines, latestDate: latest, keys: keys)
    }

    /// The findings the vouchers of a file import raised, as `ComplianceDesk.raisedReport`
    /// lists them for posted vouchers.
    public func raisedReport(_ result: FileImportResult) throws -> AnyReport? {
        guard let latest = result.latestDate, result.vouchers > 0 else { return nil }
        let raised = try app.compliance.check(studio: result.studio, asOf: max(clock.today(), latest)).findings
            .filter { $0.voucher.map(result.posted) ?? false }
        return raised.isEmpty ? nil : AuditViews.raisedFindings(raised)
    }

    /// The errors of one kind an import collects: the first `Limits.importErrorsMax`, and how
    /// many there were.
    struct ErrorList {
        let file: String
        var items: [LocatedRejection] = []
        var count = 0

        mutating func add(_ error: LocatedRejection) {
            count += 1
            if items.count <= Limits.importErrorsMax { items.append(error) }
        }

        mutating func append(_ other: ErrorList) {
            for item in other.items { add(item) }
            count += other.count - other.items.count
        }

        func throwIfAny() throws(RejectionList) {
            guard count > 0 else { return }
            throw RejectionList(items: Array(items.prefix(Limits.importErrorsMax)), truncated: count > Limits.importErrorsMax)
        }
    }

    /// The checks a streamed import makes on each voucher after reading it.
    struct ImportChecks {
        var budget, closed, dates: ErrorList
        var unreviewed = 0
        var firstUnreviewed: ImportedVoucher? = nil

        init(file: String) { (budget, closed, dates) = (ErrorList(file: file), ErrorList(file: file), ErrorList(file: file)) }

        var clean: Bool { budget.count == 0 && closed.count == 0 && dates.count == 0 }
    }

    /// 平行记账: the voucher with its budget lines (derived, or its own checked).
    static func withBudgetLines(
        _ voucher: ImportedVoucher, _ budget: (chart: ParallelChart, basis: BudgetBasis), chart: ChartOfAccounts,
        payableCategory: ParallelEntries.PayableCategory? = nil
    ) throws(Rejection) -> ImportedVoucher {
        let draft = try ParallelEntries.withBudgetLines(voucher.draft, parallel: budget.chart, basis: budget.basis, payableCategory: payableCategory)
        try ParallelEntries.check(draft, chart: chart)
        return ImportedVoucher(draft: draft, fileLines: voucher.fileLines)
    }

    /// A rejection about one voucher of a file, named by its number in the file.
    static func labelled(_ error: Rejection, _ voucher: ImportedVoucher) -> Rejection {
        Rejection(error.code, field: error.field, "凭证 \(voucher.draft.sourceRef ?? "")：" + error.message)
    }

    static func closedRejection(_ voucher: ImportedVoucher, file: String) -> LocatedRejection {
        LocatedRejection(
            file: file, line: voucher.fileLines[0],
            rejection: Rejection(.periodClosed, field: "日期", "\(voucher.draft.period.chinese) 已结账，不能导入凭证 \(voucher.draft.sourceRef ?? "")"))
    }
}

/// Looking after the ledger as a whole: verification, the operation log.
public struct AdminDesk: Desk {
    let app: LedgerApp

    public func verify() throws -> VerificationReport { try store.admin.verify() }

    /// Folds the write-ahead log into the database file (benchmarks, before copying a file).
    public func checkpoint() throws { try store.admin.checkpoint() }

    /// The operation log; `user` is matched in its stored, normalised form (`PersonName`), so
    /// `--by "周丽 "` finds what 周丽 did.
    public func log(studio: String? = nil, user: String? = nil, action: String? = nil) throws -> [LogEntry] {
        try store.admin.log(studio: studio, user: user.map(PersonName.normalized), action: action)
    }
}
