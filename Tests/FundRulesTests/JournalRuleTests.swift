import FundCore
@testable import FundRules
import FundTestSupport
import Testing

@Suite("execution and journal-entry rules")
struct JournalRuleTests {
    @Test(arguments: [(490_000 as Int64, false), (500_000, false), (510_000, true)])
    func periodEndSurge(_ lateFen: Int64, _ fires: Bool) throws {
        // 2026: 1,000,000 in total, `lateFen` of it in November and December.
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 5_000_000)
        books.spend("2026-03-10", "500101", .enterprise, 1_000_000 - lateFen)
        books.spend("2026-11-10", "500101", .enterprise, lateFen)
        #expect(try books.findings(PeriodEndSurge(), asOf: "2027-01-05").filter { $0.message.hasPrefix("2026") }.count == (fires ? 1 : 0))
        #expect(try books.findings(PeriodEndSurge(), asOf: "2026-12-30").isEmpty, "a year still running is not judged")
    }

    @Test func surgeOverTheConstructionPeriod() throws {
        var books = try Books(recognized: "2025-12-15")
        books.receive("2025-12-20", .enterprise, 5_000_000)
        books.spend("2026-06-10", "500101", .enterprise, 400_000)
        books.spend("2027-10-20", "500101", .enterprise, 600_000)  // in the window's last two months
        let found = try books.findings(PeriodEndSurge(), asOf: "2028-01-05")
        #expect(found.contains { $0.message.hasPrefix("建设期") })
    }

    @Test(arguments: [(599_000 as Int64, true), (600_000, false)])
    func lowExecution(_ spentFen: Int64, _ fires: Bool) throws {
        // 3,000,000 available in the first construction year; 20 % is 600,000.
        var books = try Books(recognized: "2025-12-15")
        books.receive("2025-12-20", .subsidy, 3_000_000)
        books.spend("2026-06-10", "500101", .subsidy, spentFen)
        #expect(try books.findings(LowExecution(), asOf: "2026-12-15").count == (fires ? 1 : 0))
        #expect(try books.findings(LowExecution(), asOf: "2026-12-13").isEmpty, "the first year has not ended yet")
    }

    @Test func staleBalance() throws {
        var books = try Books(recognized: "2025-12-15")
        books.receive("2025-12-20", .enterprise, 3_000_000)
        books.add("2026-01-14", [("121801", .enterprise, .debit, 200_000), ("100201", .enterprise, .credit, 200_000)])
        #expect(try books.findings(StaleBalance(), asOf: "2028-01-13").isEmpty == false, "open after the window ended")
        #expect(try books.findings(StaleBalance(), asOf: "2027-06-30").isEmpty, "moved 17 months ago, window still running")
        books.add("2026-01-23", [("500106", .enterprise, .debit, 200_000), ("121801", .enterprise, .credit, 200_000)])
        #expect(try books.findings(StaleBalance(), asOf: "2028-06-30").isEmpty, "settled advances are not stale")
    }

    @Test(arguments: [
        ("2026-08-15", true),  // a Saturday
        ("2026-02-14", false),  // a Saturday that is a make-up working day (春节 调休)
        ("2026-02-16", true),  // a Monday in the Spring Festival
        ("2026-10-09", false),  // a Friday after 国庆
        ("2026-10-10", false),  // a Saturday make-up working day
    ])
    func weekendHoliday(_ date: String, _ fires: Bool) throws {
        var books = try Books()
        books.receive(date, .enterprise, 10_000)
        let found = try books.findings(WeekendHoliday())
        #expect(found.count == (fires ? 1 : 0))
    }

    /// Issue 15, item 13: a year the calendar has no schedule for is said, not silently treated
    /// as plain weekdays.
    @Test func aYearWithoutAHolidayScheduleIsReported() throws {
        var books = try Books()
        books.receive("2026-10-09", .enterprise, 10_000)
        books.receive("2027-01-04", .enterprise, 10_000)
        books.receive("2027-02-08", .enterprise, 10_000)
        let found = try books.findings(WeekendHoliday(), asOf: "2027-03-01")
        #expect(found.count == 1)
        #expect(found.first?.voucher == nil && found.first?.message.contains("未收录 2027 年") == true)
        #expect(found.first?.message.contains("2 张凭证") == true)
        #expect(try T.holidayCalendar().covers(year: 2026) && !(try T.holidayCalendar().covers(year: 2018)))
    }

    @Test(arguments: [("杨静", "杨静", true), ("杨静", "何军", false), ("杨静", "", true), ("杨静", "  ", true), ("杨静", " 杨静 ", true)])
    func selfApproval(_ preparer: String, _ reviewer: String, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 3_000_000)
        books.spend("2026-04-14", "500101", .enterprise, 10_000, preparer: preparer, reviewer: reviewer)
        #expect(try books.findings(SelfApproval()).count == (fires ? 1 : 0))
    }

    @Test func benfordConformingDataPassesAndFabricatedDataFails() throws {
        var natural = try Books()
        natural.receive("2025-12-20", .enterprise, 9_000_000_000)
        // Amounts growing geometrically follow Benford's law closely.
        var yuan: Int64 = 1_000
        for index in 0..<400 {
            natural.spend("2026-0\(1 + index % 9)-1\(index % 9)", "500101", .enterprise, yuan * 100)
            yuan = yuan * 10_173 / 10_000  // geometric growth, 1.73 % a step: ten cycles of digits
        }
        #expect(try natural.findings(BenfordFirstDigit()).isEmpty)
        var fabricated = try Books()
        fabricated.receive("2025-12-20", .enterprise, 9_000_000_000)
        for index in 0..<400 {
            fabricated.spend("2026-0\(1 + index % 9)-1\(index % 9)", "500101", .enterprise, Int64(9_000 + index) * 100)
        }
        #expect(try fabricated.findings(BenfordFirstDigit()).count == 1)
        var few = try Books()
        for index in 0..<299 { few.spend("2026-01-1\(index % 9)", "500101", .enterprise, 900_000) }
        #expect(try few.findings(BenfordFirstDigit()).isEmpty, "fewer lines than the test needs")
    }

    @Test func firstDigit() {
        #expect(BenfordFirstDigit.firstDigit(123_456) == 1)
        #expect(BenfordFirstDigit.firstDigit(999) == nil)
        #expect(BenfordFirstDigit.firstDigit(1_000) == 1)
        #expect(BenfordFirstDigit.firstDigit(98_765_400) == 9)
    }
}

@Suite("period-end surge counts the year from recognition")
struct SurgeRecognitionTests {
    @Test(arguments: [("2025-11-18", false), ("2025-10-31", true)])
    func studioRecognisedLateInTheYear(_ recognized: String, _ fires: Bool) throws {
        var books = try Books(recognized: recognized)
        books.receive("2025-11-20", .enterprise, 5_000_000)
        books.spend("2025-12-10", "500101", .enterprise, 1_000_000)
        #expect(try books.findings(PeriodEndSurge(), asOf: "2026-01-10").count == (fires ? 1 : 0))
    }
}
