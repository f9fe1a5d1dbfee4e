import FundApp
import FundCore
import Foundation

/// A clock tests move by hand: sessions, idle and absolute timeouts, login locks and the day
/// an auditor's grant ends are all measured against it.
public final class SteppingClock: LedgerClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64

    /// Starts at `seconds` (unix time).
    public init(seconds: Int64) { now = seconds }

    /// Starts at an ISO 8601 UTC instant such as "2026-11-20T01:00:00Z".
    public convenience init(instant: String) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        self.init(seconds: Int64(formatter.date(from: instant)!.timeIntervalSince1970))
    }

    public func seconds() -> Int64 { lock.withLock { now } }

    public func instant() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds())))
    }

    /// The day in China (UTC+8).
    public func today() -> CalendarDate {
        let local = seconds() + 8 * 3600
        return CalendarDate(dayNumber: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// Moves the clock on by `seconds`.
    public func advance(by seconds: Int64) { lock.withLock { now += seconds } }

    /// Sets the clock to `seconds` (unix time).
    public func set(_ seconds: Int64) { lock.withLock { now = seconds } }
}
