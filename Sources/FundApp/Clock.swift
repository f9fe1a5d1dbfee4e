// FundApp: the use cases (set up books, record, import, reverse, close periods, report,
// verify, demo). The one engine both front ends call; the store and the clock come in
// through `init`. It holds no SQL and formats nothing for people.
import FundCore
import Foundation

/// Where "now" comes from. The demo and tests use a fixed clock so their output is stable.
public protocol LedgerClock: Sendable {
    /// ISO 8601 UTC instant.
    func instant() -> String
    /// Today in China (UTC+8), the day period closing compares against.
    func today() -> CalendarDate
    /// Unix seconds: what web sessions and login throttling measure time in.
    func seconds() -> Int64
}

extension LedgerClock {
    /// Derived from `instant()` (so a `FixedClock` stands still at its instant); 0 when the
    /// instant does not read.
    public func seconds() -> Int64 {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: instant()) else { return 0 }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }
}

public struct SystemClock: LedgerClock {
    public init() {}

    public func instant() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    public func seconds() -> Int64 {
        Int64(Date().timeIntervalSince1970.rounded(.down))
    }

    public func today() -> CalendarDate {
        let seconds = Int(Date().timeIntervalSince1970) + 8 * 3600
        return CalendarDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}

public struct FixedClock: LedgerClock {
    public let fixedInstant: String
    public let fixedToday: CalendarDate

    public init(instant: String, today: CalendarDate) {
        fixedInstant = instant
        fixedToday = today
    }

    public func instant() -> String { fixedInstant }
    public func today() -> CalendarDate { fixedToday }
}
