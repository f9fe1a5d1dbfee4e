import FundCore

/// One studio's line of the reviewers' overview (总览): where it stands, its subsidy, what is
/// open. Every figure comes from the studio's books and records as of one day.
public struct StudioOverview: Sendable, Codable, Hashable {
    public let code: String
    public let name: String
    public let hostUnit: String
    public let hostUnitName: String
    public let county: String
    public let kind: HostUnitKind
    public let state: LifecycleState
    public let recognized: CalendarDate
    public let windowEnds: CalendarDate
    public let approvedSubsidyFen: Money
    /// 补助资金实际到位.
    public let subsidyReceivedFen: Money
    /// 补助资金已支出 (project spending charged to the subsidy fund).
    public let subsidySpentFen: Money
    /// 补助资金结余.
    public let subsidyBalanceFen: Money
    /// 应退补助资金 still owed back (a revoked studio's clawback not yet repaid).
    public let refundOwedFen: Money
    /// 预算执行率: spending against the budget, all funds; nil without a budget.
    public let executionRate: Percent?
    /// Findings not yet accepted, by severity.
    public let openViolations: Int
    public let openWarnings: Int
    public let openNotices: Int
    public let nextDeadline: DeadlineItem?
    /// The latest acceptance score's grade (优/良/中/差), nil before acceptance.
    public let acceptanceGrade: Grade?
    public let acceptanceScore: Score?

    public init(
        code: String, name: String, hostUnit: String, hostUnitName: String, county: String, kind: HostUnitKind, state: LifecycleState,
        recognized: CalendarDate, windowEnds: CalendarDate, approvedSubsidyFen: Money, subsidyReceivedFen: Money,
        subsidySpentFen: Money, subsidyBalanceFen: Money, refundOwedFen: Money, executionRate: Percent?, openViolations: Int, openWarnings: Int,
        openNotices: Int, nextDeadline: DeadlineItem?, acceptanceGrade: Grade?, acceptanceScore: Score?
    ) {
        self.code = code
        self.name = name
        self.hostUnit = hostUnit
        self.hostUnitName = hostUnitName
        self.county = county
        self.kind = kind
        self.state = state
        self.recognized = recognized
        self.windowEnds = windowEnds
        self.approvedSubsidyFen = approvedSubsidyFen
        self.subsidyReceivedFen = subsidyReceivedFen
        self.subsidySpentFen = subsidySpentFen
        self.subsidyBalanceFen = subsidyBalanceFen
        self.refundOwedFen = refundOwedFen
        self.executionRate = executionRate
        self.openViolations = openViolations
        self.openWarnings = openWarnings
        self.openNotices = openNotices
        self.nextDeadline = nextDeadline
        self.acceptanceGrade = acceptanceGrade
        self.acceptanceScore = acceptanceScore
    }

    public var hasViolations: Bool { openViolations > 0 }
}

/// The overview's JSON: the rows, their totals and the day.
public struct OverviewJSON: Sendable, Codable {
    public let asOf: CalendarDate
    public let studios: [StudioOverview]
    public let approvedSubsidyFen: Money
    public let subsidyReceivedFen: Money
    public let subsidySpentFen: Money
    public let subsidyBalanceFen: Money
    public let refundOwedFen: Money
}

public enum ReviewReports {
    /// 工作室总览: one row per studio and a totals row (the money columns summed, the finding
    /// counts added). The totals are computed here, once, and cross-checked: a renderer never adds.
    /// The overview's totals row: the money columns summed (overflow-checked), the finding
    /// counts added.
    public struct Totals: Sendable, Hashable {
        public var approved = Money.zero, received = Money.zero, spent = Money.zero, balance = Money.zero, owed = Money.zero
        public var violations = 0, warnings = 0, notices = 0
    }

    public static func totals(_ rows: [StudioOverview]) throws(Rejection) -> Totals {
        var totals = Totals()
        for row in rows {
            totals.approved = try totals.approved.adding(row.approvedSubsidyFen)
            totals.received = try totals.received.adding(row.subsidyReceivedFen)
            totals.spent = try totals.spent.adding(row.subsidySpentFen)
            totals.balance = try totals.balance.adding(row.subsidyBalanceFen)
            totals.owed = try totals.owed.adding(row.refundOwedFen)
            totals.violations += row.openViolations
            totals.warnings += row.openWarnings
            totals.notices += row.openNotices
        }
        return totals
    }

    public static func overview(_ rows: [StudioOverview], asOf: CalendarDate, scope: String) throws(Rejection) -> AnyReport {
        let sums = try totals(rows)
        let (approved, received, spent, balance) = (sums.approved, sums.received, sums.spent, sums.balance)
        let (violations, warnings, notices) = (sums.violations, sums.warnings, sums.notices)
        let columns = [
            Column("编号", .code, width: 12), Column("工作室", .text, width: 24), Column("依托单位", .text, width: 22),
            Column("县（区）", .text, width: 8), Column("类型", .text, width: 10), Column("状态", .text, width: 10),
            Column("认定日期", .date, width: 11), Column("建设期止", .date, width: 11), Column("核定补助", .money, width: 13),
            Column("补助到位", .money, width: 13), Column("补助已支出", .money, width: 13), Column("补助结余", .money, width: 13),
            Column("应退补助", .money, width: 12),
            Column("预算执行率", .percent, width: 9), Column("违规", .count, width: 5), Column("预警", .count, width: 5),
            Column("提示", .count, width: 5), Column("下一期限", .text, width: 22), Column("验收等级", .text, width: 8),
        ]
        let count = rows.count
        var tableRows = rows.map { row in
            Row(.body, [
                .text(row.code), .text(row.name), .text(row.hostUnitName), .text(row.county), .text(row.kind.chineseName),
                .text(row.state.chineseName), .date(row.recognized), .date(row.windowEnds), .money(row.approvedSubsidyFen),
                .money(row.subsidyReceivedFen), .money(row.subsidySpentFen), .money(row.subsidyBalanceFen), .money(row.refundOwedFen),
                row.executionRate.map { .percent($0) } ?? .text("—"), .count(row.openViolations), .count(row.openWarnings),
                .count(row.openNotices),
                row.nextDeadline.map { .text("\($0.date.iso) \($0.kind.chineseName)\($0.overdue ? "（已逾期）" : "")") } ?? .text("—"),
                .text(row.acceptanceGrade.map { "\($0.rawValue)（\(row.acceptanceScore?.text ?? "")）" } ?? "—"),
            ])
        }
        let summed = Array(0..<count)
        tableRows.append(Row(.total, [
            .text("合计"), .text("\(count) 个工作室"), .empty, .empty, .empty, .empty, .empty, .empty,
            .moneySum(approved, rows: summed), .moneySum(received, rows: summed), .moneySum(spent, rows: summed),
            .moneySum(balance, rows: summed), .moneySum(sums.owed, rows: summed), .empty, .count(violations), .count(warnings), .count(notices), .empty, .empty,
        ]))
        let table = DocumentTable(name: "工作室总览", columns: columns, rows: tableRows)
        let blocks: [Block] = rows.isEmpty ? [.paragraph("授权范围内没有工作室")] : [.table(table)]
        let document = ReportDocument.view(
            .overview, titleBlock: [LabeledValue("范围", scope), LabeledValue("截至", asOf.iso)], blocks: blocks, orientation: .landscape)
        let value = OverviewJSON(
            asOf: asOf, studios: rows, approvedSubsidyFen: approved, subsidyReceivedFen: received, subsidySpentFen: spent,
            subsidyBalanceFen: balance, refundOwedFen: sums.owed)
        return AnyReport(document: document, value: value)
    }
}

/// One studio's spending per month and fund (net of red lines), as of a day: what the scope's
/// cumulative chart adds up.
public struct MonthlySpending: Sendable, Hashable {
    public let studio: String
    public let amounts: [Period: [Fund: Money]]

    public init(studio: String, amounts: [Period: [Fund: Money]]) {
        self.studio = studio
        self.amounts = amounts
    }

    /// From a studio's books as of their day: every line on a spending account.
    public static func of(_ books: BooksSnapshot) throws(Rejection) -> MonthlySpending {
        var amounts: [Period: [Fund: Money]] = [:]
        for turnover in books.turnovers where books.chart[turnover.account]?.category != nil {
            let net = try turnover.debit.subtracting(turnover.credit)
            amounts[turnover.period, default: [:]][turnover.fund] = try (amounts[turnover.period]?[turnover.fund] ?? .zero).adding(net)
        }
        return MonthlySpending(studio: books.studio.code, amounts: amounts)
    }
}

extension ReviewReports {
    /// 累计支出 across studios: a line per fund, month by month from the first month with
    /// spending to the as-of month, with the approved subsidies' total as the reference line.
    public static func spendingChart(_ spending: [MonthlySpending], approved: Money, studios: Int, asOf: CalendarDate) throws(Rejection) -> AnyReport {
        var monthly: [Period: [Fund: Money]] = [:]
        for studio in spending {
            for (period, funds) in studio.amounts where period <= asOf.period {
                for (fund, amount) in funds { monthly[period, default: [:]][fund] = try (monthly[period]?[fund] ?? .zero).adding(amount) }
            }
        }
        var months: [Period] = []
        if var month = monthly.keys.min() {
            while month <= asOf.period {
                months.append(month)
                month = month.next
            }
        }
        var series: [SpendingChart.Series] = []
        var totals: [String: Money] = [:]
        for fund in Fund.allCases {
            var running = Money.zero
            var points: [Money] = []
            for month in months {
                running = try running.adding(monthly[month]?[fund] ?? .zero)
                points.append(running)
            }
            series.append(SpendingChart.Series(name: fund.chineseName, points: points))
            totals[fund.rawValue] = running
        }
        let chart = SpendingChart(
            title: "授权范围内 \(studios) 个工作室累计支出", months: months, series: series,
            references: [SpendingChart.Reference(label: "核定补助合计 \(approved.groupedString)", amount: approved)],
            asOf: months.contains(asOf.period) ? asOf.period : nil)
        let blocks: [Block] = months.isEmpty ? [.paragraph("尚无支出")] : [.chart(chart)]
        let document = ReportDocument.view(.overview, titleBlock: [LabeledValue("截至", asOf.iso)], blocks: blocks, orientation: .landscape)
        return AnyReport(document: document, value: totals)
    }
}
