@testable import FundApp
import FundCore
import FundTestSupport
import Testing

/// Host units and studios: every rejection the registration can raise, by code.
@Suite("registering host units and studios")
struct RegistrationTests {
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let code: RejectionCode
        let action: @Sendable (LedgerApp) throws -> Void
    }

    static let valid = T.hostCode

    static let cases: [Case] = [
        Case(description: "host unit twice", code: .hostUnitDuplicate) {
            _ = try $0.register.addHostUnit(creditCode: valid, name: "又一家", kind: "enterprise", county: "雁江区")
        },
        Case(description: "credit code check character", code: .creditCodeCheck) {
            _ = try $0.register.addHostUnit(creditCode: String(valid.dropLast()) + (valid.last == "0" ? "1" : "0"), name: "甲", kind: "college", county: "安岳县")
        },
        Case(description: "unknown kind", code: .hostUnitKindUnknown) {
            _ = try $0.register.addHostUnit(creditCode: T.otherHostCode, name: "甲", kind: "hospital", county: "安岳县")
        },
        Case(description: "empty host-unit name", code: .fieldEmpty) {
            _ = try $0.register.addHostUnit(creditCode: T.otherHostCode, name: "  ", kind: "college", county: "安岳县")
        },
        Case(description: "studio of an unregistered host unit", code: .hostUnitUnknown) {
            _ = try $0.register.addStudio(code: "S9", name: "工作室", hostUnit: T.otherHostCode, leader: "李四", field: "", recognized: "2025-12-01", subsidy: "30000")
        },
        Case(description: "studio code twice", code: .studioDuplicate) {
            _ = try $0.register.addStudio(code: "S1", name: "工作室", hostUnit: valid, leader: "李四", field: "", recognized: "2025-12-01", subsidy: "30000")
        },
        Case(description: "studio code with spaces", code: .studioCodeInvalid) {
            _ = try $0.register.addStudio(code: "S 2", name: "工作室", hostUnit: valid, leader: "李四", field: "", recognized: "2025-12-01", subsidy: "30000")
        },
        Case(description: "negative subsidy", code: .subsidyOutOfRange) {
            _ = try $0.register.addStudio(code: "S2", name: "工作室", hostUnit: valid, leader: "李四", field: "", recognized: "2025-12-01", subsidy: "-1")
        },
        Case(description: "subsidy with three decimals", code: .moneyTooManyDecimals) {
            _ = try $0.register.addStudio(code: "S2", name: "工作室", hostUnit: valid, leader: "李四", field: "", recognized: "2025-12-01", subsidy: "30000.001")
        },
        Case(description: "leader too long", code: .fieldTooLong) {
            _ = try $0.register.addStudio(code: "S2", name: "工作室", hostUnit: valid, leader: String(repeating: "李", count: 101), field: "", recognized: "2025-12-01", subsidy: "30000")
        },
        Case(description: "recognition date not a date", code: .dateInvalid) {
            _ = try $0.register.addStudio(code: "S2", name: "工作室", hostUnit: valid, leader: "李四", field: "", recognized: "2025-02-29", subsidy: "30000")
        },
        Case(description: "chart installed twice", code: .accountDuplicate) { _ = try $0.register.initialize() },
    ]

    @Test(arguments: cases)
    func rejected(_ example: Case) throws {
        let app = try T.app()
        let before = try app.admin.log().count
        do {
            try example.action(app)
            Issue.record("\(example) must be rejected")
        } catch let rejection as Rejection {
            #expect(rejection.code == example.code, "\(rejection)")
        }
        #expect(try app.admin.log().count == before, "a rejected registration writes nothing")
    }

    @Test func registrationIsLogged() throws {
        let app = try T.app()
        let actions = try app.admin.log().map(\.action)
        #expect(actions == ["chart.install", "host-unit.add", "studio.add"])
        let studio = try app.store.register.studio(code: "S1")
        #expect(studio.constructionWindow.upperBound == T.date("2027-12-15"))
        #expect(studio.approvedSubsidy == Money(fen: 3_000_000))
    }
}
