/// Turnover of one account in one fund of one studio in one month, as the store keeps it.
public struct MonthTurnover: Sendable, Hashable {
    public let studio: String
    public let fund: Fund
    public let account: String
    public let period: Period
    public let debit: Money
    public let credit: Money

    public init(studio: String, fund: Fund, account: String, period: Period, debit: Money, credit: Money) {
        self.studio = studio
        self.fund = fund
        self.account = account
        self.period = period
        self.debit = debit
        self.credit = credit
    }
}

/// One row of a 科目余额表. Balances are debit-positive: a credit balance is negative, which
/// renderers show as 贷 with the magnitude.
public struct TrialBalanceRow: Sendable, Hashable, Codable {
    public let account: String
    public let name: String
    public let level: Int
    public let isLeaf: Bool
    public let normalSide: Side
    public let opening: Money
    public let debit: Money
    public let credit: Money
    public let closing: Money
}

public struct TrialBalanceTotals: Sendable, Hashable, Codable {
    public let opening: Money
    public let debit: Money
    public let credit: Money
    public let closing: Money

    /// Opening and closing balances sum to zero and debits equal credits.
    public var isBalanced: Bool { opening.isZero && closing.isZero && debit == credit }
}

/// A trial balance for one fund, or for all funds combined (`fund == nil`).
public struct TrialBalanceSection: Sendable, Hashable {
    public let fund: Fund?
    public let rows: [TrialBalanceRow]
    public let totals: TrialBalanceTotals
}

/// 科目余额表 of one studio over a range of months: a section per fund and a combined one.
public struct TrialBalance: Sendable, Hashable {
    public let studio: String
    public let from: Period
    public let to: Period
    public let sections: [TrialBalanceSection]

    /// Builds the trial balance from month turnovers (all months up to `to`; earlier months
    /// make the opening balance). Rows cover leaves with any balance or movement and their
    /// parents, in code order; totals add the leaves only.
    public static func build(
        studio: String, chart: ChartOfAccounts, turnovers: [MonthTurnover], funds: [Fund], from: Period, to: Period
    ) throws(Rejection) -> TrialBalance {
        precondition(from <= to, "a range of months runs forward")
        var sections: [TrialBalanceSection] = []
        for fund in funds {
            sections.append(try section(fund: fund, chart: chart, turnovers: turnovers.filter { $0.fund == fund }, from: from, to: to))
        }
        if funds.count > 1 {
            sections.append(try section(fund: nil, chart: chart, turnovers: turnovers.filter { funds.contains($0.fund) }, from: from, to: to))
        }
        return TrialBalance(studio: studio, from: from, to: to, sections: sections)
    }

    struct Accumulator {
        var opening = Money.zero
        var debit = Money.zero
        var credit = Money.zero

        mutating func add(_ turnover: MonthTurnover, before from: Period) throws(Rejection) {
            if turnover.period < from {
                opening = try opening.adding(turnover.debit).subtracting(turnover.credit)
            } else {
                debit = try debit.adding(turnover.debit)
                credit = try credit.adding(turnover.credit)
            }
        }

        mutating func add(_ other: Accumulator) throws(Rejection) {
            opening = try opening.adding(other.opening)
            debit = try debit.adding(other.debit)
            credit = try credit.adding(other.credit)
        }

        var closing: Money {
            get throws(Rejection) { try opening.adding(debit).subtracting(credit) }
        }

        var isEmpty: Bool { opening.isZero && debit.isZero && credit.isZero }
    }

    static func section(
        fund: Fund?, chart: ChartOfAccounts, turnovers: [MonthTurnover], from: Period, to: Period
    ) throws(Rejection) -> TrialBalanceSection {
        var byAccount: [String: Accumulator] = [:]
        for turnover in turnovers where turnover.period <= to {
            try byAccount[turnover.account, default: Accumulator()].add(turnover, before: from)
        }
        var totals = Accumulator()
        var withParents = byAccount
        for (code, value) in byAccount {
            try totals.add(value)
            var parent = chart[code]?.parentCode
            while let parentCode = parent {
                try withParents[parentCode, default: Accumulator()].add(value)
                parent = chart[parentCode]?.parentCode
            }
        }
        var rows: [TrialBalanceRow] = []
        for (code, value) in withParents.sorted(by: { $0.key < $1.key }) where !(value.isEmpty) {
            let account = chart[code]
            rows.append(
                TrialBalanceRow(
                    account: code, name: account?.name ?? "（未知科目）", level: account?.level ?? 1,
                    isLeaf: account?.isLeaf ?? true, normalSide: account?.normalSide ?? .debit,
                    opening: value.opening, debit: value.debit, credit: value.credit, closing: try value.closing))
        }
        let sectionTotals = TrialBalanceTotals(
            opening: totals.opening, debit: totals.debit, credit: totals.credit, closing: try totals.closing)
        return TrialBalanceSection(fund: fund, rows: rows, totals: sectionTotals)
    }
}
