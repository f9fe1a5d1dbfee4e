import FundCore
import FundFixtures
import FundReports
import FundStore
import Foundation

/// Setting up: the chart, host units and studios.
public struct RegisterDesk: Desk {
    let app: LedgerApp

    /// Installs the chart (the shipped default, or `chartFile`) into a new database.
    public func initialize(chartFile: URL? = nil) throws -> ChartOfAccounts {
        let url = chartFile ?? FixturesBundle.defaultChart
        let text = try String(contentsOf: url, encoding: .utf8)
        let chart = try ChartOfAccounts.parseCSV(text, file: url.path)
        try store.register.installChart(chart, source: chartFile == nil ? "default-chart.csv" : url.lastPathComponent, stamp: stamp())
        return chart
    }

    /// Gives a ledger begun before budget accounting the default chart's classes 6–8, so its
    /// public-institution studios keep 平行记账 from now on (BUD-001 then reports what their
    /// earlier vouchers lack). Returns how many accounts were added.
    public func addBudgetAccounts() throws -> Int {
        let url = FixturesBundle.defaultChart
        let chart = try ChartOfAccounts.parseCSV(try String(contentsOf: url, encoding: .utf8), file: url.path)
        return try store.register.addBudgetAccounts(from: chart, stamp: stamp())
    }

    public func addHostUnit(creditCode: String, name: String, kind: String, county: String) throws -> HostUnit {
        let unit = try HostUnit(
            creditCode: try CreditCode(creditCode), name: name, kind: try HostUnitKind.parse(kind), county: county)
        try store.register.addHostUnit(unit, stamp: stamp())
        return unit
    }

    /// Marks a host unit 涉密 (第十二条), or lifts the marking: an append-only chained row,
    /// logged. Its studios' evidence files then stay out of audit packages and exports unless
    /// included on purpose, and every report and package says so.
    public func markHostUnit(creditCode: String, confidential: Bool, basis: String, date: CalendarDate?) throws -> HostUnitMarking {
        let marking = HostUnitMarking(
            hostUnit: try CreditCode(creditCode), confidential: confidential, basis: basis, date: date ?? clock.today())
        try TextField.validate(basis, field: "basis")
        try store.registry.markHostUnit(marking, stamp: stamp())
        return marking
    }

    /// The host unit's 涉密 marking in force, or nil when it is not marked.
    public func confidentiality(hostUnit: CreditCode) throws -> HostUnitMarking? {
        let last = try store.registry.markings().last { $0.hostUnit == hostUnit }
        return last?.confidential == true ? last : nil
    }

    /// The studio's budget accounting (平行记账): kept when its host unit is a public
    /// institution and the chart has classes 6–8; each fund's 预算收入.
    public func budgetAccounting(studio: String) throws -> BudgetAccounting {
        try store.registry.budgetAccounting(studio: studio)
    }

    /// Makes `account` the 预算收入 of `fund`'s receipts (e.g. 600101 财政拨款预算收入 for a
    /// municipal unit paid by its own finance bureau) for vouchers posted from now on.
    public func setBudgetRevenue(studio: String, fund: String, account: String) throws -> BudgetAccounting {
        let parsed = try parseField("fund") { () throws(Rejection) in try Fund.parse(fund) }
        try store.registry.setBudgetRevenue(studio: studio, fund: parsed, account: account.trimmingSpaces, stamp: stamp())
        return try budgetAccounting(studio: studio)
    }

    /// Every marking recorded (marked and lifted), in order.
    public func markings() throws -> [HostUnitMarking] { try store.registry.markings() }

    public func addStudio(
        code: String, name: String, hostUnit: String, leader: String, field: String, recognized: String, subsidy: String
    ) throws -> Studio {
        let studio = try Studio(
            code: code, name: name, hostUnit: try CreditCode(hostUnit), leader: leader, field: field,
            recognized: try CalendarDate.parse(recognized), approvedSubsidy: try parseField("subsidy") { () throws(Rejection) in try Money.parse(subsidy) })
        try store.register.addStudio(studio, stamp: stamp())
        return studio
    }

    public func chart() throws -> ChartOfAccounts { try store.register.chart() }

    public func hostUnits() throws -> [HostUnit] { try store.register.hostUnits() }

    /// Every studio as it is now: the leader and host unit of the last approved change in
    /// effect (第十一条), or as registered.
    public func studios() throws -> [Studio] { try studioHistories().map(\.current) }

    /// Every studio's history (registered row and changes in effect), by code.
    public func studioHistories() throws -> [StudioHistory] {
        let effects = Dictionary(grouping: try store.lifecycle.changeEffects(studio: nil), by: \.studio)
        return try store.register.studios().map { StudioHistory(studio: $0, effects: effects[$0.code] ?? []) }
    }

    /// The studio as it is now (its current leader and host unit).
    public func studio(code: String) throws -> Studio { try studioHistory(code: code).current }

    /// The studio as of `date`: a report dated (or ending) before a change of leader or host
    /// unit shows the old ones, from the change's decision date the new ones.
    public func studio(code: String, asOf date: CalendarDate) throws -> Studio { try studioHistory(code: code).asOf(date) }

    /// The registered studio and the approved changes of leader and host unit in effect.
    public func studioHistory(code: String) throws -> StudioHistory {
        StudioHistory(studio: try store.register.studio(code: code), effects: try store.lifecycle.changeEffects(studio: code))
    }

    /// The studio's history of leaders and host units as a register report (沿革).
    public func studioHistoryReport(code: String) throws -> AnyReport {
        RegisterReports.studioHistory(try studioHistory(code: code), hostUnits: try store.register.hostUnits())
    }
}
