@testable import FundApp
import FundCore
import FundExchange
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

typealias T = TestLedger

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let badFixtures = packageRoot.appendingPathComponent("Fixtures/bad")

struct BadFile: Sendable, CustomStringConvertible {
    let name: String
    let expected: [String]  // "LINE CODE", in line order
    var description: String { name }
}

@Suite("voucher CSV import through the app")
struct ImportTests {
    static let badFiles = [
        BadFile(name: "unbalanced.csv", expected: ["4 V006"]),
        BadFile(name: "bad-amount.csv", expected: ["7 M003"]),
        BadFile(name: "bad-date.csv", expected: ["4 D001", "5 D001"]),
        BadFile(name: "unknown-account.csv", expected: ["4 V008"]),
        BadFile(name: "non-leaf-account.csv", expected: ["4 V009"]),
        BadFile(name: "unknown-fund.csv", expected: ["6 V018", "7 V018"]),
        BadFile(name: "both-sides.csv", expected: ["4 I006"]),
        BadFile(name: "bad-invoice.csv", expected: ["6 V014"]),
        BadFile(name: "wrong-fund-account.csv", expected: ["3 V010"]),
        BadFile(name: "clearing-not-netted.csv", expected: ["4 V007"]),
        BadFile(name: "split-rows.csv", expected: ["8 I005", "9 I005"]),
        BadFile(name: "missing-column.csv", expected: ["1 I002"]),
        BadFile(name: "many-errors.csv", expected: ["4 V008", "7 M002", "9 V009", "11 V018", "12 V014"]),
    ]

    func appWithStudio() throws -> LedgerApp {
        try T.app(studios: ["ZY2025-001"])
    }

    func stateCounts(_ app: LedgerApp) throws -> [Int64] {
        try ["voucher", "posting", "op_log", "month_balance"].map {
            try app.store.unsafeScalarForTesting("SELECT count(*) FROM \($0)") ?? -1
        }
    }

    @Test(arguments: badFiles)
    func badFileIsRejectedWholeWithEveryErrorLocated(_ file: BadFile) throws {
        let app = try appWithStudio()
        let before = try stateCounts(app)
        let url = badFixtures.appendingPathComponent(file.name)
        do {
            _ = try app.books.importVouchers(csv: try Data(contentsOf: url), file: url.path, studio: "ZY2025-001", allowUnreviewed: true)
            Issue.record("\(file.name) must be rejected")
        } catch let list as RejectionList {
            let found = list.items.map { "\($0.line ?? 0) \($0.rejection.code.rawValue)" }
            #expect(found == file.expected)
            for item in list.items {
                #expect(item.file == url.path)
                #expect(item.description.hasPrefix(url.path + ":\(item.line ?? 0): ["))
                #expect(item.rejection.field != nil || item.rejection.code == .importColumnMissing, "\(item) names its field")
            }
        }
        #expect(try stateCounts(app) == before, "a rejected file writes nothing")
    }

    @Test(arguments: ["gb18030.csv", "utf8-bom.csv"])
    func encodedFilesImport(_ name: String) throws {
        let app = try appWithStudio()
        let url = badFixtures.appendingPathComponent(name)
        let result = try app.books.importVouchers(csv: try Data(contentsOf: url), file: url.path, studio: "ZY2025-001", allowUnreviewed: true)
        #expect(result.vouchers.count == (name == "gb18030.csv" ? 2 : 3))
        #expect(result.vouchers.allSatisfy { $0.draft.lines.allSatisfy { !$0.memo.isEmpty && !$0.memo.contains("\u{FFFD}") } })
        #expect(try app.admin.verify().isClean)
    }

    @Test func importIntoAClosedMonthIsRefusedWhole() throws {
        let app = try appWithStudio()
        try app.store.books.closePeriod(Period(year: 2025, month: 12)!, studio: "ZY2025-001", stamp: Stamp(user: "u", at: "x", today: T.date("2026-11-20")))
        let url = badFixtures.appendingPathComponent("utf8-bom.csv")
        #expect(throws: RejectionList.self) {
            _ = try app.books.importVouchers(csv: try Data(contentsOf: url), file: url.path, studio: "ZY2025-001", allowUnreviewed: true)
        }
        #expect(try app.books.journal(studio: "ZY2025-001").isEmpty)
    }

    @Test func unknownStudioIsRefused() throws {
        let app = try appWithStudio()
        let url = badFixtures.appendingPathComponent("utf8-bom.csv")
        #expect(throws: Rejection.self) {
            _ = try app.books.importVouchers(csv: try Data(contentsOf: url), file: url.path, studio: "NOPE", allowUnreviewed: true)
        }
    }

    @Test func sourceReferenceKeepsTheERPNumberWhileTheLedgerRenumbers() throws {
        let app = try appWithStudio()
        let csv = """
            凭证字号,日期,摘要,科目代码,金额,方向,制单人
            记-7,2026-01-05,收到补助资金,100201,"30,000.00",借,李会计
            记-7,2026-01-05,收到补助资金,400101,"30,000.00",贷,李会计
            记-9,2026-01-06,购置设备,500101,1200,D,李会计
            记-9,2026-01-06,购置设备,100201,1200,C,李会计

            """
        let result = try app.books.importVouchers(csv: Data(csv.utf8), file: "erp.csv", studio: "ZY2025-001", defaultFund: .subsidy, allowUnreviewed: true)
        #expect(result.vouchers.map(\.ref.label) == ["记-0001", "记-0002"])
        #expect(result.vouchers.map(\.draft.sourceRef) == ["记-7", "记-9"])
        #expect(result.lines == 4)
        #expect(try app.admin.log(action: "voucher.import").count == 1)
    }
}

@Suite("voucher JSON")
struct VoucherJSONTests {
    @Test func postsOneOrManyAllOrNothing() throws {
        let app = try T.app()
        let two = """
            [{"studio":"S1","date":"2026-01-05","preparer":"李会计","lines":[
              {"memo":"收到补助资金","account":"100201","fund":"subsidy","side":"debit","amount":"30000"},
              {"memo":"收到补助资金","account":"400101","fund":"补助资金","side":"贷","amountFen":3000000}]},
             {"studio":"S1","date":"2026-01-06","lines":[
              {"memo":"购置设备","account":"500101","fund":"subsidy","side":"debit","amount":"12.345"},
              {"memo":"购置设备","account":"100201","fund":"subsidy","side":"credit","amount":"12.35"}]}]
            """
        do {
            _ = try app.books.postVouchers(json: Data(two.utf8), file: "two.json", allowUnreviewed: true)
            Issue.record("the second voucher's amount must be rejected")
        } catch let error as LocatedRejection {
            #expect(error.rejection.code == .moneyTooManyDecimals)
            #expect(error.rejection.field == "[1].lines[0].amount")
            #expect(error.file == "two.json")
        }
        #expect(try app.books.journal(studio: "S1").isEmpty)
        let fixed = two.replacingOccurrences(of: "12.345", with: "12.35")
        let posted = try app.books.postVouchers(json: Data(fixed.utf8), file: "two.json", allowUnreviewed: true)
        #expect(posted.count == 2)
        #expect(posted[1].draft.preparer == "测试员", "a missing preparer defaults to the user")
    }

    @Test(arguments: [
        ("{not json", RejectionCode.voucherJSONInvalid),
        (#"{"studio":"S1","date":"2026-02-30","preparer":"a","lines":[]}"#, .dateInvalid),
        (#"{"studio":"S1","date":"2026-02-03","preparer":"a","lines":[{"memo":"m","account":"100201","fund":"gov","side":"debit","amount":"1"}]}"#, .fundUnknown),
        (#"{"studio":"S1","date":"2026-02-03","preparer":"a","lines":[{"memo":"m","account":"100201","fund":"subsidy","side":"up","amount":"1"}]}"#, .sideUnknown),
        (#"{"studio":"S9","date":"2026-02-03","preparer":"a","lines":[{"memo":"m","account":"100201","fund":"subsidy","side":"debit","amount":"1"},{"memo":"m","account":"400101","fund":"subsidy","side":"credit","amount":"1"}]}"#, .studioUnknown),
    ])
    func rejectsBadJSON(_ text: String, _ code: RejectionCode) throws {
        let app = try T.app()
        do {
            _ = try app.books.postVouchers(json: Data(text.utf8), file: "v.json", allowUnreviewed: true)
            Issue.record("must be rejected")
        } catch let error as LocatedRejection {
            #expect(error.rejection.code == code)
        }
    }
}
