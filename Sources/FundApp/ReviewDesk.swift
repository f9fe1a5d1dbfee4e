import FundCore
import FundReports
import FundStore
import Foundation

/// The reviewers' desk: the overview of studios (总览), the findings inbox and the deadlines,
/// each over a set of studios (an account's scope; nil: every studio) as of one day. The web
/// desk's overview, inbox and deadline pages and the CLI's `overview` are these.
public struct ReviewDesk: Desk {
    let app: LedgerApp
}

extension LedgerApp {
    public var review: ReviewDesk { ReviewDesk(app: self) }
}

/// Views that are costly to build and read often (the overview's rows, the whole ledger's
/// check), kept with the `ChangeMark` and day they were built for. Any write to the books or
/// to a chained record changes the mark, so nothing stale is ever served; a reader that finds
/// the mark moved builds again.
final class ViewCache: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [String: (mark: ChangeMark, day: CalendarDate, row: StudioOverview, spending: MonthlySpending)] = [:]
    private var check: (mark: ChangeMark, day: CalendarDate, result: CheckResult)?
    /// Charts of recent studio sets (a scope, a filtered overview), a few kept.
    private var charts: [(mark: ChangeMark, day: CalendarDate, studios: Set<String>?, chart: AnyReport)] = []

    func chart(mark: ChangeMark, day: CalendarDate, studios: Set<String>?) -> AnyReport? {
        lock.withLock { charts.first { $0.mark == mark && $0.day == day && $0.studios == studios }?.chart }
    }

    func store(_ chart: AnyReport, mark: ChangeMark, day: CalendarDate, studios: Set<String>?) {
        lock.withLock {
            charts.removeAll { $0.mark != mark || $0.day != day || $0.studios == studios }
            charts.insert((mark, day, studios, chart), at: 0)
            if charts.count > 16 { charts.removeLast() }
        }
    }

    func rows(_ codes: [String], mark: ChangeMark, day: CalendarDate) -> [String: (row: StudioOverview, spending: MonthlySpending)] {
        lock.withLock {
            var found: [String: (row: StudioOverview, spending: MonthlySpending)] = [:]
            for code in codes {
                if let entry = rows[code], entry.mark == mark, entry.day == day { found[code] = (entry.row, entry.spending) }
            }
            return found
        }
    }

    func store(_ new: [(row: StudioOverview, spending: MonthlySpending)], mark: ChangeMark, day: CalendarDate) {
        lock.withLock { for item in new { rows[item.row.code] = (mark, day, item.row, item.spending) } }
    }

    func check(mark: ChangeMark, day: CalendarDate) -> CheckResult? {
        lock.withLock { check.flatMap { $0.mark == mark && $0.day == day ? $0.result : nil } }
    }

    func store(_ result: CheckResult, mark: ChangeMark, day: CalendarDate) {
        lock.withLock { check = (mark, day, result) }
    }
}

extension ReviewDesk {
    /// One row per studio in `studios` (nil: all), in code order. Rows are built once per change
    /// of the books and day; building many at once checks the whole ledger in one pass.
    public func overview(studios selection: Set<String>?, asOf: CalendarDate? = nil) throws -> [StudioOverview] {
        try overviewWithSpending(studios: selection, asOf: asOf).map(\.row)
    }

    /// 累计支出 of the studios (nil: all) as a chart, from the same cached books as the overview.
    public func spendingChart(studios selection: Set<String>?, asOf: CalendarDate? = nil) throws -> AnyReport {
        let day = app.cutoff(asOf)
        let mark = try store.admin.changeMark()
        if let cached = app.cache.chart(mark: mark, day: day, studios: selection) { return cached }
        let built = try overviewWithSpending(studios: selection, asOf: day)
        var approved = Money.zero
        for item in built { approved = try approved.adding(item.row.approvedSubsidyFen) }
        let chart = try ReviewReports.spendingChart(built.map(\.spending), approved: approved, studios: built.count, asOf: day)
        app.cache.store(chart, mark: mark, day: day, studios: selection)
        return chart
    }

    func overviewWithSpending(studios selection: Set<String>?, asOf: CalendarDate?) throws -> [(row: StudioOverview, spending: MonthlySpending)] {
        let day = app.cutoff(asOf)
        let mark = try store.admin.changeMark()
        // Each studio as of the day: its leader and host unit after the changes in effect then.
        let selected = if let selection, selection.count == 1, let code = selection.first {
            [try app.register.studio(code: code, asOf: day)]
        } else {
            try app.register.studioHistories().filter { selection?.contains($0.original.code) ?? true }.map { $0.asOf(day) }
        }
        var rows = app.cache.rows(selected.map(\.code), mark: mark, day: day)
        let missing = selected.filter { rows[$0.code] == nil }
        if !missing.isEmpty {
            let units = Dictionary(try store.register.hostUnits().map { ($0.creditCode, $0) }, uniquingKeysWith: { first, _ in first })
            let findings = missing.count == 1
                ? try app.compliance.check(studio: missing[0].code, asOf: day).findings
                : try wholeCheck(day: day, mark: mark).findings
            let open = Dictionary(grouping: findings.filter { $0.review?.status != .accepted }, by: \.studio)
            let deadlines = Dictionary(
                grouping: missing.count == 1 ? try app.lifecycle.deadlines(asOf: day, studio: missing[0].code) : try app.lifecycle.deadlines(asOf: day),
                by: \.studio)
            let chart = try store.register.chart()
            var built: [(row: StudioOverview, spending: MonthlySpending)] = []
            for studio in missing {
                guard let unit = units[studio.hostUnit] else {
                    throw Rejection(.hostUnitUnknown, field: "studio", "工作室 \(studio.code) 的依托单位未登记")
                }
                built.append(try overviewRow(studio, unit: unit, chart: chart, day: day, open: open[studio.code] ?? [], deadlines: deadlines[studio.code] ?? []))
            }
            app.cache.store(built, mark: mark, day: day)
            for item in built { rows[item.row.code] = item }
        }
        return selected.compactMap { rows[$0.code] }
    }

    /// The check over every studio as of `day`, once per change of the books.
    func wholeCheck(day: CalendarDate, mark: ChangeMark) throws -> CheckResult {
        if let cached = app.cache.check(mark: mark, day: day) { return cached }
        let result = try app.compliance.check(studio: nil, asOf: day)
        app.cache.store(result, mark: mark, day: day)
        return result
    }

    func overviewRow(
        _ studio: Studio, unit: HostUnit, chart: ChartOfAccounts, day: CalendarDate, open: [Finding], deadlines: [DeadlineItem]
    ) throws -> (row: StudioOverview, spending: MonthlySpending) {
        let snapshot = BooksSnapshot(studio: studio, hostUnit: unit, chart: chart, vouchers: try store.books.vouchers(studio: studio.code), asOf: day)
        let range = snapshot.periodRange
        let header = ReportHeader(
            studio: studio, hostUnit: unit, chart: snapshot.chart, fund: nil, from: range.from, to: range.to, preparedOn: day)
        let statement = try FundStatementReport.build(
            header, vouchers: snapshot.vouchers, turnovers: snapshot.turnovers, budget: store.compliance.budget(studio: studio.code),
            policy: app.statements.policy(for: studio)).value
        let subsidy = statement.funds.first { $0.fund == .subsidy }
        var budgetTotal = Money.zero
        for part in statement.funds { budgetTotal = try budgetTotal.adding(part.budgetTotalFen) }
        let status = try app.lifecycle.status(studio: studio.code, asOf: day)
        let next = deadlines.first { $0.overdue } ?? deadlines.first
        let score = try store.lifecycle.acceptanceScores(studio: studio.code).filter { $0.date <= day }.last?.score
        let row = StudioOverview(
            code: studio.code, name: studio.name, hostUnit: unit.creditCode.text, hostUnitName: unit.name, county: unit.county,
            kind: unit.kind, state: status.state, recognized: studio.recognized, windowEnds: studio.constructionWindow.upperBound,
            approvedSubsidyFen: studio.approvedSubsidy, subsidyReceivedFen: status.subsidyReceivedFen,
            subsidySpentFen: subsidy?.spentFen ?? .zero, subsidyBalanceFen: subsidy?.balanceFen ?? .zero, refundOwedFen: status.refundOwedFen,
            executionRate: Percent.ratio(statement.spentFen, budgetTotal),
            openViolations: open.filter { $0.severity == .violation }.count, openWarnings: open.filter { $0.severity == .warning }.count,
            openNotices: open.filter { $0.severity == .notice }.count, nextDeadline: next, acceptanceGrade: score.map(Grade.of),
            acceptanceScore: score)
        return (row, try MonthlySpending.of(snapshot))
    }

    /// The overview of every studio, or of one county's, as `report overview` and `overview`
    /// print it.
    public func countyOverviewReport(county: String?, asOf: CalendarDate? = nil) throws -> AnyReport {
        var rows = try overview(studios: nil, asOf: asOf)
        if let county {
            rows = rows.filter { $0.county == county }
            if rows.isEmpty, !(try store.register.hostUnits().contains { $0.county == county }) {
                throw Rejection(.scopeInvalid, field: "county", "没有依托单位在“\(county)”")
            }
        }
        return try overviewReport(rows, asOf: asOf, scope: county.map { "\($0)的工作室" } ?? "全部工作室")
    }

    /// The overview as a report (table, CSV, XLSX, PDF, JSON through the one dispatch).
    public func overviewReport(_ rows: [StudioOverview], asOf: CalendarDate? = nil, scope: String) throws -> AnyReport {
        try ReviewReports.overview(rows, asOf: app.cutoff(asOf), scope: scope)
    }

    /// The findings inbox: every finding of the studios not yet accepted, violations first,
    /// explained ones (waiting for a decision) before unexplained ones, then by studio and key.
    public func inbox(studios selection: Set<String>?, asOf: CalendarDate? = nil) throws -> [Finding] {
        let day = app.cutoff(asOf)
        let findings: [Finding]
        if let selection, selection.count == 1, let code = selection.first {
            findings = try app.compliance.check(studio: code, asOf: day).findings
        } else {
            findings = try wholeCheck(day: day, mark: try store.admin.changeMark()).findings.filter { selection?.contains($0.studio) ?? true }
        }
        func waiting(_ finding: Finding) -> Int { finding.review?.status == .explained ? 0 : 1 }
        return findings.filter { $0.review?.status != .accepted }.sorted {
            ($0.severity, waiting($0), $0.studio, $0.key) < ($1.severity, waiting($1), $1.studio, $1.key)
        }
    }

    /// Deadlines of the studios, overdue first, then by date.
    public func deadlines(studios selection: Set<String>?, asOf: CalendarDate? = nil) throws -> [DeadlineItem] {
        try app.lifecycle.deadlines(asOf: asOf).filter { selection?.contains($0.studio) ?? true }
            .sorted { ($0.overdue ? 0 : 1, $0.date, $0.studio) < ($1.overdue ? 0 : 1, $1.date, $1.studio) }
    }
}
