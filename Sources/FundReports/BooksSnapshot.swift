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
