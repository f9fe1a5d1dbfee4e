import FundCore
import FundReports
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

extension ReviewDesk {
    /// One row per studio in `studios` (nil: all), in code order.
    public func overview(studios selection: Set<String>?, asOf: CalendarDate? = nil) throws -> [StudioOverview] {
        let day = app.cutoff(asOf)
        let units = Dictionary(try store.register.hostUnits().map { ($0.creditCode, $0) }, uniquingKeysWith: { first, _ in first })
        let selected = try store.register.studios().filter { selection?.contains($0.code) ?? true }
        return try selected.map { studio in
            guard let unit = units[studio.hostUnit] else {
                throw Rejection(.hostUnitUnknown, field: "studio", "工作室 \(studio.code) 的依托单位未登记")
            }
            return try overviewRow(studio, unit: unit, day: day)
        }
    }

    func overviewRow(_ studio: Studio, unit: HostUnit, day: CalendarDate) throws -> StudioOverview {
        let snapshot = BooksSnapshot(
            studio: studio, hostUnit: unit, chart: try store.register.chart(), vouchers: try store.books.vouchers(studio: studio.code), asOf: day)
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
        let open = try app.compliance.check(studio: studio.code, asOf: day).findings.filter { $0.review?.status != .accepted }
        let deadlines = try app.lifecycle.deadlines(asOf: day, studio: studio.code)
        let next = deadlines.first { $0.overdue } ?? deadlines.first
        let score = try store.lifecycle.acceptanceScores(studio: studio.code).filter { $0.date <= day }.last?.score
        return StudioOverview(
            code: studio.code, name: studio.name, hostUnit: unit.creditCode.text, hostUnitName: unit.name, county: unit.county,
            kind: unit.kind, state: status.state, recognized: studio.recognized, windowEnds: studio.constructionWindow.upperBound,
            approvedSubsidyFen: studio.approvedSubsidy, subsidyReceivedFen: status.subsidyReceivedFen,
            subsidySpentFen: subsidy?.spentFen ?? .zero, subsidyBalanceFen: subsidy?.balanceFen ?? .zero,
            executionRate: Percent.ratio(statement.spentFen, budgetTotal),
            openViolations: open.filter { $0.severity == .violation }.count, openWarnings: open.filter { $0.severity == .warning }.count,
            openNotices: open.filter { $0.severity == .notice }.count, nextDeadline: next, acceptanceGrade: score.map(Grade.of),
            acceptanceScore: score)
    }

    /// The overview as a report (table, CSV, XLSX, PDF, JSON through the one dispatch).
    public func overviewReport(_ rows: [StudioOverview], asOf: CalendarDate? = nil, scope: String) throws -> AnyReport {
        try ReviewReports.overview(rows, asOf: app.cutoff(asOf), scope: scope)
    }

    /// The findings inbox: every finding of the studios not yet accepted, violations first,
    /// explained ones (waiting for a decision) before unexplained ones, then by studio and key.
    public func inbox(studios selection: Set<String>?, asOf: CalendarDate? = nil) throws -> [Finding] {
        let day = app.cutoff(asOf)
        let codes = try store.register.studios().map(\.code).filter { selection?.contains($0) ?? true }
        var findings: [Finding] = []
        if selection == nil {
            findings = try app.compliance.check(studio: nil, asOf: day).findings
        } else {
            for code in codes { findings += try app.compliance.check(studio: code, asOf: day).findings }
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
