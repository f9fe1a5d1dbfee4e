import FundCore
import Foundation

/// One studio's books as statements and exports see them: every posted voucher up to a day (reversals
/// included, as the books hold them), with the chart and the registration data.
public struct BooksSnapshot: Sendable {
    public let studio: Studio
    public let hostUnit: HostUnit
    public let chart: ChartOfAccounts
    public let vouchers: [PostedVoucher]
    public let asOf: CalendarDate

    public init(studio: Studio, hostUnit: HostUnit, chart: ChartOfAccounts, vouchers: [PostedVoucher], asOf: CalendarDate) {
        self.studio = studio
        self.hostUnit = hostUnit
        self.chart = chart
        self.vouchers = vouchers.filter { $0.draft.date <= asOf }
        self.asOf = asOf
    }

    /// Leaf accounts that carry postings, in code order.
    package var postedAccounts: [String] {
        Array(Set(vouchers.flatMap { $0.draft.lines.map(\.account) })).sorted()
    }

    /// The first voucher date (or the recognition date for empty books).
    package var firstDate: CalendarDate {
        vouchers.map(\.draft.date).min() ?? studio.recognized
    }

    /// "收到补助资金" or, when lines differ, the first line's memo.
    package static func description(_ voucher: PostedVoucher) -> String {
        voucher.draft.lines.first?.memo ?? ""
    }

    /// The lines on the other side of the voucher from `index` (对方科目), codes joined by "、".
    package static func counterAccounts(_ voucher: PostedVoucher, line index: Int) -> String {
        let side = voucher.draft.lines[index].side
        var codes: [String] = []
        for line in voucher.draft.lines where line.side != side && !codes.contains(line.account) { codes.append(line.account) }
        return codes.joined(separator: "、")
    }
}

extension BooksSnapshot {
    /// Month turnovers per fund and leaf account, derived from the vouchers (red lines reduce
    /// the turnover of their side, as the books do).
    public var turnovers: [MonthTurnover] {
        struct Key: Hashable { let fund: Fund; let account: String; let period: Period }
        var sums: [Key: (debit: Int64, credit: Int64)] = [:]
        for voucher in vouchers {
            for line in voucher.draft.lines {
                let key = Key(fund: line.fund, account: line.account, period: voucher.ref.period)
                var value = sums[key] ?? (0, 0)
                if line.side == .debit { value.debit += line.amount.fen } else { value.credit += line.amount.fen }
                sums[key] = value
            }
        }
        return sums.map { key, value in
            MonthTurnover(
                studio: studio.code, fund: key.fund, account: key.account, period: key.period, debit: Money(fen: value.debit),
                credit: Money(fen: value.credit))
        }.sorted { ($0.period, $0.fund, $0.account) < ($1.period, $1.fund, $1.account) }
    }

    /// The months the books cover: first voucher month through the as-of month.
    public var periodRange: (from: Period, to: Period) {
        let from = vouchers.map(\.ref.period).min() ?? studio.recognized.period
        return (from, max(from, asOf.period))
    }

    /// 科目余额表 over the whole books, a section per fund and a combined one.
    public func trialBalance() throws(Rejection) -> TrialBalance {
        let range = periodRange
        return try TrialBalance.build(
            studio: studio.code, chart: chart, turnovers: turnovers, funds: Fund.allCases, from: range.from, to: range.to)
    }
}
