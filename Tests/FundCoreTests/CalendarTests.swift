import Testing

@testable import FundCore

@Suite("CalendarDate, Period and the construction window")
struct CalendarTests {
    @Test(
        "date parse forms",
        arguments: [
            ("2025-10-29", 2025, 10, 29),
            ("2025/10/29", 2025, 10, 29),
            ("2025.10.29", 2025, 10, 29),
            ("20251029", 2025, 10, 29),
            ("2025年10月29日", 2025, 10, 29),
            ("2025年1月5日", 2025, 1, 5),
            ("2025-1-5", 2025, 1, 5),
            (" 2025-10-29 ", 2025, 10, 29),
            ("2024-02-29", 2024, 2, 29),
            ("2000-02-29", 2000, 2, 29),
            ("1900-01-01", 1900, 1, 1),
            ("2999-12-31", 2999, 12, 31),
        ])
    func parses(text: String, year: Int, month: Int, dayOfMonth: Int) throws {
        #expect(try CalendarDate.parse(text) == day(year, month, dayOfMonth))
    }

    @Test(
        "dates that do not exist or are malformed are D001",
        arguments: [
            "2025-02-29", "2024-02-30", "1900-02-29", "2025-13-01", "2025-00-10", "2025-04-31",
            "2025-10-32", "2025-10-00", "abc", "", "  ", "2025-10", "2025-10-29-01", "20251329",
            "2025102", "1899-12-31", "3000-01-01", "0999-01-01", "2025--10", "2025-1a-05",
            "25-10-29",
        ])
    func rejects(text: String) {
        #expect(
            rejectionCode { () throws(Rejection) in try CalendarDate.parse(text) } == .dateInvalid)
    }

    @Test(
        "leap years",
        arguments: [
            (2000, true), (1900, false), (2024, true), (2025, false), (2100, false), (2400, true),
        ])
    func leapYears(year: Int, leap: Bool) {
        #expect(CalendarDate.isLeap(year) == leap)
        #expect(CalendarDate.daysIn(year: year, month: 2) == (leap ? 29 : 28))
        #expect((CalendarDate(year: year, month: 2, day: 29) != nil) == leap)
    }

    @Test(
        "ISO weekday and day number of known dates",
        arguments: [
            (day(2026, 11, 25), 3, 20_782),
            (day(2025, 10, 29), 3, 20_390),
            (day(2000, 1, 1), 6, 10_957),
            (day(1970, 1, 1), 4, 0),
            (day(1969, 12, 31), 3, -1),
            (day(2024, 2, 29), 4, 19_782),
            (day(1900, 1, 1), 1, -25_567),
            (day(2999, 12, 31), 2, 376_199),
        ])
    func weekdayAndDayNumber(date: CalendarDate, weekday: Int, dayNumber: Int) {
        #expect(date.weekday == weekday)
        #expect(date.dayNumber == dayNumber)
    }

    /// Walks every day of the supported years by plain calendar counting and checks that the
    /// day number advances by one and converts back.
    @Test func dayNumberRoundTripsOverTheWholeRange() {
        var date = day(1900, 1, 1)
        var expected = date.dayNumber
        var mismatches = 0
        while true {
            if date.dayNumber != expected || CalendarDate(dayNumber: expected) != date {
                mismatches += 1
            }
            let next =
                CalendarDate(year: date.year, month: date.month, day: date.day + 1)
                ?? CalendarDate(year: date.year, month: date.month + 1, day: 1)
                ?? CalendarDate(year: date.year + 1, month: 1, day: 1)
            guard let next else { break }
            date = next
            expected += 1
        }
        #expect(mismatches == 0)
        #expect(date == day(2999, 12, 31))
        #expect(date.weekday == 2)
    }

    @Test(
        "adding days",
        arguments: [
            (day(2025, 12, 31), 1, day(2026, 1, 1)),
            (day(2024, 2, 28), 1, day(2024, 2, 29)),
            (day(2025, 2, 28), 1, day(2025, 3, 1)),
            (day(2025, 3, 1), -1, day(2025, 2, 28)),
            (day(2025, 10, 29), 365, day(2026, 10, 29)),
            (day(2025, 10, 29), 0, day(2025, 10, 29)),
        ])
    func addingDays(start: CalendarDate, count: Int, end: CalendarDate) {
        #expect(start.adding(days: count) == end)
        #expect(start.days(until: end) == count)
    }

    @Test(
        "adding months clamps to the month's last day",
        arguments: [
            (day(2024, 1, 31), 1, day(2024, 2, 29)),
            (day(2024, 2, 29), 12, day(2025, 2, 28)),
            (day(2024, 2, 29), 48, day(2028, 2, 29)),
            (day(2025, 1, 31), 1, day(2025, 2, 28)),
            (day(2025, 3, 31), -1, day(2025, 2, 28)),
            (day(2025, 10, 31), 13, day(2026, 11, 30)),
            (day(2025, 12, 15), 1, day(2026, 1, 15)),
            (day(2025, 1, 15), -1, day(2024, 12, 15)),
            (day(2025, 5, 31), 0, day(2025, 5, 31)),
        ])
    func addingMonths(start: CalendarDate, count: Int, end: CalendarDate) {
        #expect(start.adding(months: count) == end)
    }

    @Test(
        "construction window: 2 years to the corresponding day, or the month end (民法典 第二百零一、二百零二条)",
        arguments: [
            (day(2025, 12, 15), day(2027, 12, 15)),
            (day(2024, 2, 29), day(2026, 2, 28)),
            (day(2025, 1, 1), day(2027, 1, 1)),
            (day(2025, 3, 1), day(2027, 3, 1)),
        ])
    func constructionWindow(recognized: CalendarDate, lastDay: CalendarDate) throws {
        let host = try CreditCode("91350100M000100Y43")
        let studio = try Studio(
            code: Fixture.studio, name: "数控加工技能大师工作室", hostUnit: host, leader: "张师傅",
            field: "数控加工", recognized: recognized, approvedSubsidy: Money(fen: 3_000_000))
        #expect(studio.constructionWindow.lowerBound == recognized)
        #expect(studio.constructionWindow.upperBound == lastDay)
    }

    /// A recognition date the initialiser accepts must not crash the window computation: either
    /// `Studio.init` refuses a date whose window leaves the supported years, or the window is
    /// computed. Runs in a child process because the failure mode is a trap.
    @Test func lateRecognitionDateDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            guard let host = try? CreditCode("91350100M000100Y43"),
                let recognized = CalendarDate(year: 2999, month: 6, day: 1),
                let studio = try? Studio(
                    code: "ZY2999-001", name: "工作室", hostUnit: host, leader: "张师傅", field: "",
                    recognized: recognized, approvedSubsidy: Money(fen: 3_000_000))
            else { return }
            _ = studio.constructionWindow
        }
    }

    @Test func textForms() {
        let date = day(2025, 1, 5)
        #expect(date.iso == "2025-01-05")
        #expect(date.compact == "20250105")
        #expect(date.chinese == "2025年1月5日")
        #expect(date.period == month(2025, 1))
        #expect(day(2024, 12, 31) < day(2025, 1, 1))
        #expect(day(2025, 1, 31) < day(2025, 2, 1))
    }

    @Test(
        "trimmingSpaces removes ASCII and Unicode white space at both ends only",
        arguments: [
            ("abc", "abc"), (" abc ", "abc"), ("\tabc\r\n", "abc"), ("\u{3000}资金\u{3000}", "资金"),
            ("abc\u{3000}", "abc"), ("\u{3000}abc", "abc"), ("\u{A0}x\u{A0}", "x"), ("a b", "a b"),
            ("", ""), ("   ", ""), ("\u{3000}", ""), ("资金", "资金"), ("x", "x"),
        ])
    func trimming(text: String, trimmed: String) {
        #expect(text.trimmingSpaces == trimmed)
    }

    // MARK: Period

    @Test(
        "period parse forms",
        arguments: [
            ("2025-10", 2025, 10), ("2025/10", 2025, 10), ("202510", 2025, 10),
            ("2025年10月", 2025, 10),
            ("2025-1", 2025, 1), ("2025.12", 2025, 12), (" 2025-10 ", 2025, 10),
        ])
    func periodParses(text: String, year: Int, monthOfYear: Int) throws {
        #expect(try Period.parse(text) == month(year, monthOfYear))
    }

    @Test(
        "malformed periods are D002",
        arguments: [
            "2025-13", "2025-00", "2025", "abc", "", "202513", "2025-10-01", "1899-12", "25-10",
        ])
    func periodRejects(text: String) {
        #expect(rejectionCode { () throws(Rejection) in try Period.parse(text) } == .periodInvalid)
    }

    @Test(
        "next and previous cross year boundaries",
        arguments: [
            (month(2025, 12), month(2026, 1)),
            (month(2025, 1), month(2025, 2)),
            (month(2024, 11), month(2024, 12)),
        ])
    func nextAndPrevious(period: Period, following: Period) {
        #expect(period.next == following)
        #expect(following.previous == period)
        #expect(period < following)
    }

    @Test func periodKeyRoundTrip() {
        var period = month(2023, 1)
        for _ in 0..<48 {
            #expect(Period(key: period.key) == period)
            #expect(period.key == period.year * 100 + period.month)
            period = period.next
        }
        #expect(month(2025, 10).key == 202510)
        #expect(Period(key: 202513) == nil)
        #expect(Period(key: 202500) == nil)
    }

    @Test func periodDays() {
        #expect(month(2024, 2).firstDay == day(2024, 2, 1))
        #expect(month(2024, 2).lastDay == day(2024, 2, 29))
        #expect(month(2025, 2).lastDay == day(2025, 2, 28))
        #expect(month(2025, 12).lastDay == day(2025, 12, 31))
        #expect(month(2025, 10).iso == "2025-10")
        #expect(month(2025, 1).chinese == "2025年1月")
    }
}
