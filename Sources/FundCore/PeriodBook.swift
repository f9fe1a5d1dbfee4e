/// The closing state of one studio's months, derived by replaying its close/reopen events.
/// Closing goes forward one month at a time from the start of the books and never ahead of
/// the calendar; reopening (反结账) takes back only the latest closed month and needs a reason.
/// Everything up to `closedThrough` is closed; every later month is open.
public struct PeriodBook: Sendable, Equatable {
    public enum Action: String, Sendable, Codable { case close, reopen }

    public private(set) var closed: [Period] = []

    public init() {}

    public var closedThrough: Period? { closed.last }

    public func isOpen(_ period: Period) -> Bool {
        guard let last = closed.last else { return true }
        return period > last
    }

    /// Closes `period`. `bookStart` is the first month of the books (the earlier of the
    /// recognition month and the first voucher's month); `today` rules out an early close.
    public mutating func close(_ period: Period, bookStart: Period, today: CalendarDate) throws(Rejection) {
        let expected = closed.last?.next ?? bookStart
        guard period == expected else {
            let detail = closed.last.map { "已结账至 \($0.chinese)" } ?? "账簿从 \(bookStart.chinese) 开始"
            throw Rejection(
                .periodCloseOutOfOrder, field: "period",
                "不能结账 \(period.chinese)：结账须按月顺序进行，\(detail)，下一个应结账的期间是 \(expected.chinese)")
        }
        guard today > period.lastDay else {
            throw Rejection(
                .periodNotEnded, field: "period",
                "不能结账 \(period.chinese)：该月尚未结束（今天是 \(today.chinese)），不得提前结账")
        }
        closed.append(period)
    }

    /// Reopens the latest closed month.
    public mutating func reopen(_ period: Period, reason: String) throws(Rejection) {
        guard !reason.trimmingSpaces.isEmpty else {
            throw Rejection(.reasonMissing, field: "reason", "反结账必须说明原因（--reason）")
        }
        guard let last = closed.last else {
            throw Rejection(.periodNotClosed, field: "period", "\(period.chinese) 未结账，无需反结账")
        }
        guard period == last else {
            let state = period < last ? "须先反结账 \(last.chinese)" : "\(period.chinese) 未结账"
            throw Rejection(.periodReopenNotLatest, field: "period", "只能反结账最近一个已结账期间（\(last.chinese)）：\(state)")
        }
        closed.removeLast()
    }

    /// Replays stored events. Stored events were valid when written; one that no longer
    /// applies means the event table was tampered with, which `verify` reports.
    public static func replay(_ events: [(Period, Action)]) -> (book: PeriodBook, inconsistent: [Int]) {
        var book = PeriodBook()
        var inconsistent: [Int] = []
        for (index, (period, action)) in events.enumerated() {
            switch action {
            case .close:
                if let last = book.closed.last, period != last.next { inconsistent.append(index) }
                book.closed.append(period)
            case .reopen:
                if book.closed.last != period { inconsistent.append(index) }
                if !book.closed.isEmpty { book.closed.removeLast() }
            }
        }
        return (book, inconsistent)
    }
}
