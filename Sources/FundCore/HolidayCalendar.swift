/// China's official working calendar: public holidays and the weekend days that are make-up
/// working days (调休上班). A date is a non-working day when it is a holiday, or a Saturday or
/// Sunday that is not a make-up working day.
public struct HolidayCalendar: Sendable, Equatable {
    public private(set) var holidays: [CalendarDate: String] = [:]
    public private(set) var workdays: Set<CalendarDate> = []

    public init() {}

    public func isNonWorking(_ date: CalendarDate) -> Bool {
        if holidays[date] != nil { return true }
        return date.weekday >= 6 && !workdays.contains(date)
    }

    /// Why `date` is not a working day: "春节" or "周六"/"周日".
    public func reason(_ date: CalendarDate) -> String? {
        if let name = holidays[date] { return name }
        guard date.weekday >= 6, !workdays.contains(date) else { return nil }
        return date.weekday == 6 ? "周六" : "周日"
    }

    /// Whether the calendar holds the State Council's schedule for `year`. Every year's schedule
    /// names 国庆节 from 1 October, so that day marks a year as covered (a schedule's stray days in
    /// a neighbouring year — 2018-12-30 for 元旦 2019 — do not).
    public func covers(year: Int) -> Bool {
        guard let national = CalendarDate(year: year, month: 10, day: 1) else { return false }
        return holidays[national] != nil
    }

    /// The years the calendar covers, in order.
    public var coveredYears: [Int] {
        holidays.keys.filter { $0.month == 10 && $0.day == 1 }.map(\.year).sorted()
    }

    /// Reads `date,kind,name` CSV (kind `holiday` or `workday`).
    public static func parseCSV(_ text: String, file: String) throws(LocatedRejection) -> HolidayCalendar {
        var calendar = HolidayCalendar()
        let records: [CSVRecord]
        do { records = try CSVText.parse(text.strippingBOM) } catch { throw LocatedRejection(file: file, line: nil, rejection: error) }
        for record in records.dropFirst() {
            guard record.fields.count == 3 else {
                throw LocatedRejection(file: file, line: record.line, rejection: Rejection(.importFieldCount, "应有 3 列：date,kind,name"))
            }
            let date: CalendarDate
            do { date = try CalendarDate.parse(record.fields[0]) } catch {
                throw LocatedRejection(file: file, line: record.line, rejection: error)
            }
            switch record.fields[1].trimmingSpaces {
            case "holiday": calendar.holidays[date] = record.fields[2].trimmingSpaces
            case "workday": calendar.workdays.insert(date)
            default:
                throw LocatedRejection(file: file, line: record.line, rejection: Rejection(.importDirection, field: "kind", "kind 应为 holiday 或 workday"))
            }
        }
        return calendar
    }
}
