import FundCore
import FundExchange
import FundFixtures
import FundStore
import Foundation

/// The use cases over one ledger database.
public final class LedgerApp: Sendable {
    /// The generator version written into reports and packages.
    public static let version = "0.3.0"

    public let store: LedgerStore
    public let clock: any LedgerClock
    public let user: String
    /// An edited policy that replaces the shipped versions (`--policy FILE`).
    public let policyFile: URL?

    public init(store: LedgerStore, clock: any LedgerClock = SystemClock(), user: String, policyFile: URL? = nil) {
        self.store = store
        self.clock = clock
        self.user = user
        self.policyFile = policyFile
    }

    /// Opens the database file at `path`, creating it if needed.
    public convenience init(path: String, clock: any LedgerClock = SystemClock(), user: String, policyFile: URL? = nil) throws {
        self.init(store: try LedgerStore(path: path), clock: clock, user: user, policyFile: policyFile)
    }

    func stamp() -> Stamp {
        Stamp(user: user, at: clock.instant(), today: clock.today())
    }

    // MARK: Setting up

    /// Installs the chart (the shipped default, or `chartFile`) into a new database.
    public func initialize(chartFile: URL? = nil) throws -> ChartOfAccounts {
        let url = chartFile ?? FixturesBundle.defaultChart
        let text = try String(contentsOf: url, encoding: .utf8)
        let chart = try ChartOfAccounts.parseCSV(text, file: url.path)
        try store.installChart(chart, source: chartFile == nil ? "default-chart.csv" : url.lastPathComponent, stamp: stamp())
        return chart
    }

    public func addHostUnit(creditCode: String, name: String, kind: String, county: String) throws -> HostUnit {
        let unit = try HostUnit(
            creditCode: try CreditCode(creditCode), name: name, kind: try HostUnitKind.parse(kind), county: county)
        try store.addHostUnit(unit, stamp: stamp())
        return unit
    }

    public func addStudio(
        code: String, name: String, hostUnit: String, leader: String, field: String, recognized: String, subsidy: String
    ) throws -> Studio {
        let studio = try Studio(
            code: code, name: name, hostUnit: try CreditCode(hostUnit), leader: leader, field: field,
            recognized: try CalendarDate.parse(recognized), approvedSubsidy: try parseField("subsidy") { () throws(Rejection) in try Money.parse(subsidy) })
        try store.addStudio(studio, stamp: stamp())
        return studio
    }

    // MARK: Recording

    /// Posts the vouchers of a JSON file (one or many), all or nothing.
    public func postVouchers(json data: Data, file: String) throws -> [PostedVoucher] {
        let drafts = try VoucherJSON.read(data, file: file, defaultPreparer: user)
        do {
            try enforceBlocks(drafts)
            return try store.post(drafts, stamp: stamp(), detail: "来自 \(URL(fileURLWithPath: file).lastPathComponent)")
        } catch let rejection as Rejection {
            throw LocatedRejection(file: file, line: nil, rejection: rejection)
        }
    }

    public struct ImportResult: Sendable {
        public let vouchers: [PostedVoucher]
        public let lines: Int
    }

    /// Imports a voucher CSV for one studio: every row checked first, every error listed, and
    /// then all vouchers posted in one transaction, or nothing at all.
    public func importVouchers(csv data: Data, file: String, studio: String, defaultFund: Fund? = nil) throws -> ImportResult {
        let chart = try store.chart()
        _ = try store.studio(code: studio)
        let reader = VoucherCSVReader(file: file, studio: studio, chart: chart, defaultFund: defaultFund)
        let imported = try reader.read(data)
        let book = try store.periodBook(studio: studio)
        var closed: [LocatedRejection] = []
        for voucher in imported where !book.isOpen(voucher.draft.period) {
            closed.append(LocatedRejection(
                file: file, line: voucher.fileLines[0],
                rejection: Rejection(.periodClosed, field: "日期", "\(voucher.draft.period.chinese) 已结账，不能导入凭证 \(voucher.draft.sourceRef ?? "")")))
        }
        if !closed.isEmpty {
            throw RejectionList(items: Array(closed.prefix(Limits.importErrorsMax)), truncated: closed.count > Limits.importErrorsMax)
        }
        try enforceBlocks(imported.map(\.draft))
        let posted = try store.post(
            imported.map(\.draft), stamp: stamp(), action: "voucher.import",
            detail: "导入 \(URL(fileURLWithPath: file).lastPathComponent)（\(imported.count) 张凭证）")
        return ImportResult(vouchers: posted, lines: imported.reduce(0) { $0 + $1.draft.lines.count })
    }

    /// Red-reverses a voucher, optionally posting a correcting voucher from JSON, atomically.
    public func reverse(
        _ ref: VoucherRef, date: CalendarDate?, reason: String, correction: (data: Data, file: String)?
    ) throws -> [PostedVoucher] {
        var draft: VoucherDraft? = nil
        if let correction {
            let drafts = try VoucherJSON.read(correction.data, file: correction.file, defaultPreparer: user)
            guard drafts.count == 1 else {
                throw LocatedRejection(file: correction.file, line: nil, rejection: Rejection(.voucherJSONInvalid, "订正凭证文件应只含一张凭证"))
            }
            draft = drafts[0]
        }
        return try store.reverse(ref, date: date ?? clock.today(), reason: reason, correction: draft, stamp: stamp())
    }

    public func closePeriod(_ period: Period, studio: String) throws {
        try store.closePeriod(period, studio: studio, stamp: stamp())
    }

    public func reopenPeriod(_ period: Period, studio: String, reason: String) throws {
        try store.reopenPeriod(period, studio: studio, reason: reason, stamp: stamp())
    }

    // MARK: Reading

    /// 科目余额表 for one studio. Without a range it covers every month with activity.
    public func trialBalance(studio: String, fund: Fund? = nil, from: Period? = nil, to: Period? = nil) throws -> TrialBalance {
        let chart = try store.chart()
        let (low, high) = try range(studio: studio, from: from, to: to)
        let turnovers = try store.turnovers(studio: studio, fund: fund, through: high)
        return try TrialBalance.build(
            studio: studio, chart: chart, turnovers: turnovers, funds: fund.map { [$0] } ?? Fund.allCases, from: low, to: high)
    }

    /// The trial balances of every studio, read one studio at a time (each by its own key
    /// prefix of the month balances), so memory holds one studio's turnover, not everyone's.
    public func trialBalancesAllStudios(through: Period? = nil) throws -> [TrialBalance] {
        let chart = try store.chart()
        var balances: [TrialBalance] = []
        for studio in try store.studios() {
            let rows = try store.turnovers(studio: studio.code, through: through)
            guard let low = rows.map(\.period).min(), let last = rows.map(\.period).max() else { continue }
            balances.append(
                try TrialBalance.build(
                    studio: studio.code, chart: chart, turnovers: rows, funds: Fund.allCases, from: low, to: through ?? last))
        }
        return balances
    }

    public func journal(studio: String, from: Period? = nil, to: Period? = nil) throws -> [PostedVoucher] {
        try store.vouchers(studio: studio, from: from, to: to)
    }

    /// 明细账 of one account (a parent code covers all its leaves).
    public func accountLedger(studio: String, account code: String, fund: Fund?, from: Period?, to: Period?) throws -> AccountLedger {
        let chart = try store.chart()
        guard let account = chart[code] else {
            throw Rejection(.accountUnknown, field: "account", "科目编码 \(code) 不存在")
        }
        let (low, high) = try range(studio: studio, from: from, to: to)
        let turnovers = try store.turnovers(studio: studio, fund: fund, through: high)
        let entries = try store.ledgerEntries(studio: studio, accountPrefix: code, fund: fund, from: low, to: high)
        return try AccountLedger.build(account: account, turnovers: turnovers, entries: entries, from: low)
    }

    /// The months a book view covers: the given bounds, else the studio's months with activity
    /// (or its recognition month when it has none).
    func range(studio: String, from: Period?, to: Period?) throws -> (Period, Period) {
        let active = try store.activeRange(studio: studio)
        let recognized = try store.studio(code: studio).recognized.period
        let low = from ?? active?.lowerBound ?? recognized
        let high = to ?? max(active?.upperBound ?? low, low)
        guard low <= high else {
            throw Rejection(.periodInvalid, field: "from", "起始期间 \(low.iso) 晚于截止期间 \(high.iso)")
        }
        return (low, high)
    }

    public func verify() throws -> VerificationReport { try store.verify() }

    public func log(studio: String? = nil, user: String? = nil, action: String? = nil) throws -> [LogEntry] {
        try store.log(studio: studio, user: user, action: action)
    }
}

/// Runs `body`, naming `field` on any rejection it throws.
func parseField<T>(_ field: String, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
    do { return try body() } catch { throw Rejection(error.code, field: field, error.message) }
}
