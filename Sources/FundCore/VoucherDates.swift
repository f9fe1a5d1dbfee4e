/// Which dates a voucher may carry (D003), given the day it is posted on and the studio's
/// recognition date. A date the calendar knows can still be no date of these books: 1970-01-01
/// from an empty spreadsheet cell or 2099 from a typo would open or block months for good in
/// append-only books. Checked when a voucher is posted or imported (the app's clock gives
/// `today`); `verify` does not re-run it, since "today" moves.
public struct VoucherDateRule: Sendable, Equatable {
    /// The first day any voucher may carry.
    public static let earliest = CalendarDate(year: 2000, month: 1, day: 1)!
    /// How far after today a voucher may be dated (an invoice dated at the start of next month).
    public static let daysAheadMax = 31
    /// How long before recognition a studio's books may start: one calendar year.
    public static let yearsBeforeRecognitionMax = 1

    public let today: CalendarDate
    /// The studio's recognition date; nil when the studio is not known (the rule then checks
    /// the fixed bounds only).
    public let recognized: CalendarDate?

    public init(today: CalendarDate, recognized: CalendarDate?) {
        self.today = today
        self.recognized = recognized
    }

    public func check(_ date: CalendarDate, field: String = "date", line: Int? = nil) throws(Rejection) {
        if date < Self.earliest {
            throw Rejection(
                .dateImplausible, field: field, line: line,
                "日期 \(date.iso) 早于 \(Self.earliest.iso)，不是本账簿可能的业务日期（是否为空单元格或格式错误？）")
        }
        let latest = today.adding(days: Self.daysAheadMax)
        if latest < date {
            throw Rejection(
                .dateImplausible, field: field, line: line,
                "日期 \(date.iso) 晚于今天（\(today.iso)）\(Self.daysAheadMax) 天以上，不能预先记账；请核对年份")
        }
        if let recognized {
            let first = recognized.adding(years: -Self.yearsBeforeRecognitionMax)
            if date < first {
                throw Rejection(
                    .dateImplausible, field: field, line: line,
                    "日期 \(date.iso) 早于工作室认定日期 \(recognized.iso) 一年以上（最早 \(first.iso)），不属于本工作室的项目账；请核对年份")
            }
        }
    }
}
