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

    /// This calendar with `other`'s schedules laid over it: for each year `other` covers, this
    /// calendar's days of that year are replaced by `other`'s (a later load of a year is a new
    /// version of it); `other`'s stray days in a neighbouring year are added.
    public func merging(_ other: HolidayCalendar) -> HolidayCalendar {
        let replaced = Set(other.coveredYears)
        var merged = self
        merged.holidays = merged.holidays.filter { !replaced.contains($0.key.year) }.merging(other.holidays) { _, new in new }
        merged.workdays = merged.workdays.filter { !replaced.contains($0.year) }.union(other.workdays)
        return merged
    }

    /// A State Council schedule for `calendar add`: read as `parseCSV`, and it must cover at
    /// least one year (name 国庆节 on 1 October) and hold no date outside the years it covers
    /// and their neighbours (元旦's make-up day can fall in the December before). Nothing is
    /// assumed for a year the file does not cover.
    public static func parseSchedule(_ text: String, file: String) throws(LocatedRejection) -> HolidayCalendar {
        let calendar = try parseCSV(text, file: file)
        let years = calendar.coveredYears
        guard !years.isEmpty else {
            throw LocatedRejection(
                file: file, line: nil,
                rejection: Rejection(.calendarInvalid, field: "date", "文件未收录任何一年的完整放假安排（每年的安排都有 10 月 1 日国庆节）"))
        }
        let allowed = Set(years.flatMap { [$0 - 1, $0, $0 + 1] })
        if let records = try? CSVText.parse(text.strippingBOM) {
            for record in records.dropFirst() {
                guard let date = try? CalendarDate.parse(record.fields[0]), !allowed.contains(date.year) else { continue }
                throw LocatedRejection(
                    file: file, line: record.line,
                    rejection: Rejection(
                        .calendarInvalid, field: "date",
                        "\(date.iso) 不在本文件收录的年份（\(years.map(String.init).joined(separator: "、"))）及其前后一年内：未收录年份的安排不能附带载入"))
            }
        }
        return calendar
    }
}

