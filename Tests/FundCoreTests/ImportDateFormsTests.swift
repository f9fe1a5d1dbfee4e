import FundCore
import Testing

@Suite("dates as ERP exports write them")
struct ImportDateFormsTests {
    @Test(arguments: [
        ("2025-11-03 00:00:00", "2025-11-03"), ("2025-11-03 08:30", "2025-11-03"), ("2025/11/3 00:00:00", "2025-11-03"),
    ])
    func dateWithTimeOfDay(_ text: String, _ iso: String) throws {
        #expect(try CalendarDate.parse(text).iso == iso)
    }

    @Test(arguments: ["2025-11-03 24:00", "2025-11-03 00:60:00", "2025-11-03 noon", "2025-11-03 0:00", "2025-11-03 00:00:00:00"])
    func badTimeOfDayIsRejected(_ text: String) {
        #expect(throws: Rejection(.dateInvalid, "日期“\(text)”无效（应为 YYYY-MM-DD 格式的实际日期）")) { try CalendarDate.parse(text) }
    }

    @Test(arguments: [("1989-12-31", false), ("1990-01-01", true), ("2900-12-31", true), ("2901-01-01", false)])
    func recognitionDateRange(_ text: String, _ accepted: Bool) throws {
        let make = {
            try Studio(
                code: "S1", name: "工作室", hostUnit: CreditCode(CreditCode.completing("91512002MA62K3B01")!), leader: "张三",
                field: "", recognized: CalendarDate.parse(text), approvedSubsidy: Money(fen: 3_000_000))
        }
        if accepted {
            #expect(try make().constructionWindow.upperBound > CalendarDate.parse(text))
        } else {
            #expect(throws: Rejection.self) { try make() }
        }
    }
}
