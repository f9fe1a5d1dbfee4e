@testable import FundApp
import FundCore
import FundExchange
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// Issue 17: a voucher file on disk is imported a chunk at a time, each voucher posted into the
/// one open transaction as it is read. It must store exactly what the whole-file import stores,
/// and refuse exactly what it refuses, with the same error list, writing nothing.
@Suite("voucher import streamed from a file")
struct StreamedImportTests {
    static let header = "日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,附单据数,结算方式,往来单位,制单人,审核人\n"

    /// `count` vouchers of two or four lines over January to October 2026; `bad` replaces
    /// the rows of the given voucher indexes with a row whose amount does not parse, and
    /// `unbalanced` makes those vouchers' credit one fen short.
    static func file(count: Int, bad: Set<Int> = [], unbalanced: Set<Int> = [], reviewer: String = "王主管") -> String {
        var text = header
        for index in 0..<count {
            let month = 1 + index * 10 / max(count, 1)
            let date = "2026-\(month < 10 ? "0" : "")\(month)-\(10 + index % 15)"
            let head = "\(date),记,\(index + 1),"
            if bad.contains(index) {
                text += head + "坏金额,500101,补助资金,12.3x,,1,银行转账,某单位,李会计,\(reviewer)\n"
                continue
            }
            let fen = 100 + (index * 7919) % 90_000
            let short = unbalanced.contains(index) ? 1 : 0
            if index == 0 {
                text += head + "收到补助资金,100201,补助资金,3000000.00,,1,银行转账,资阳市财政局,李会计,\(reviewer)\n"
                text += head + "收到补助资金,400101,补助资金,,3000000.00,,,,,\n"
            } else if index % 2 == 0 {
                text += head + "支付项目费用,500102,补助资金,\(money(fen)),,1,银行转账,某供应商,李会计,\(reviewer)\n"
                text += head + "支付项目费用,100201,补助资金,,\(money(fen - short)),,,,,\n"
            } else {
                text += head + "购置材料（分资金列支）,500104,补助资金,\(money(fen)),,2,银行转账,某厂,李会计,\(reviewer)\n"
                text += head + "购置材料（分资金列支）,500104,自筹资金,\(money(fen)),,,,,,\n"
                text += head + "支付材料款,100201,补助资金,,\(money(fen - short)),,,,,\n"
                text += head + "支付材料款,100201,自筹资金,,\(money(fen)),,,,,\n"
            }
        }
        return text
    }

    static func money(_ fen: Int) -> String { "\(fen / 100).\(fen % 100 < 10 ? "0" : "")\(fen % 100)" }

    static let college = "12512000MB1C72496Q"

    /// S1 under an enterprise host; C1 under a college, which keeps budget accounts (平行记账).
    static func app() throws -> LedgerApp {
        let app = try T.app(studios: ["S1"])
        _ = try app.register.addHostUnit(creditCode: college, name: "资阳测试职业技术学院", kind: "college", county: "雁江区")
        _ = try app.register.addStudio(
            code: "C1", name: "C1 中式烹调工作室", hostUnit: college, leader: "张桂芳", field: "中式烹调", recognized: "2025-11-20",
            subsidy: "30000")
        // Money of their own in both studios, so that every later voucher has a fund to draw on.
        return app
    }

    static func write(_ text: String, encoding: TextEncoding = .utf8) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).csv")
        try TextEncoding.encode(text, as: encoding).write(to: url)
        return url
    }

    /// Every stored row of the tables an import writes, every column quoted as SQLite quotes it.
    static func dump(_ app: LedgerApp) throws -> [String: [String]] {
        var tables: [String: [String]] = [:]
        for table in ["voucher", "posting", "month_balance", "op_log"] {
            let columns = try app.store.unsafeStringsForTesting("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid")
            let select = columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
            tables[table] = try app.store.unsafeStringsForTesting("SELECT \(select) FROM \(table) ORDER BY 1")
        }
        return tables
    }

    func errors(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return ["accepted"]
        } catch let list as RejectionList {
            return list.items.map(\.description) + (list.truncated ? ["…truncated"] : [])
        } catch {
            return ["\(type(of: error)): \(error)"]
        }
    }

    @Test(arguments: [("S1", TextEncoding.utf8), ("C1", .utf8), ("S1", .gb18030)])
    func streamedImportStoresEveryByteTheWholeFileImportStores(_ studio: String, _ encoding: TextEncoding) throws {
        let text = Self.file(count: 600)
        let url = try Self.write(text, encoding: encoding)
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try Self.app()
        let streamed = try Self.app()
        let before = try Self.dump(streamed)
        #expect(try Self.dump(whole) == before)
        let wholeResult = try whole.books.importVouchers(csv: try Data(contentsOf: url), file: "f.csv", studio: studio)
        let streamedResult = try streamed.books.importVouchers(csvFile: url.path, file: "f.csv", studio: studio)
        #expect(streamedResult.vouchers == 600 && wholeResult.vouchers.count == 600)
        #expect(streamedResult.lines == wholeResult.lines)
        #expect(wholeResult.vouchers.map(FindingVoucher.init).allSatisfy(streamedResult.posted))
        let after = try Self.dump(streamed)
        #expect(after == (try Self.dump(whole)))
        #expect(after["voucher"]!.count == before["voucher"]!.count + 600)
        if studio == "C1" { #expect(streamedResult.lines > 3 * 600 / 2 * 2, "budget lines were added") }
        #expect(try streamed.admin.verify().isClean)
        // And a second file goes on numbering after the first in both.
        _ = try whole.books.importVouchers(csv: try Data(contentsOf: url), file: "f.csv", studio: studio)
        _ = try streamed.books.importVouchers(csvFile: url.path, file: "f.csv", studio: studio)
        #expect(try Self.dump(streamed) == (try Self.dump(whole)))
    }

    /// Rows go in through one prepared single-row INSERT per table, stepped through the C API
    /// (`RowInsert`). A row SQLite itself refuses — here a trigger the test plants, refusing
    /// the posting of 1,234.56 — must fail the whole import with SQLite's message and leave
    /// every table as it was; the same file without that voucher then imports, and `verify` is
    /// clean.
    @Test(arguments: ["S1", "C1"])
    func rowSQLiteRefusesFailsTheWholeImport(_ studio: String) throws {
        let app = try Self.app()
        let fen = 123_456
        try app.store.unsafeExecuteForTesting("""
            CREATE TRIGGER test_refuses_posting BEFORE INSERT ON posting WHEN NEW.amount_fen = \(fen)
            BEGIN SELECT RAISE(ABORT, 'test trigger refuses this posting'); END
            """)
        var text = Self.file(count: 200)
        let refused = "2026-10-27,记,500,被拒的凭证,500102,补助资金,\(Self.money(fen)),,1,银行转账,某供应商,李会计,王主管\n"
            + "2026-10-27,记,500,被拒的凭证,100201,补助资金,,\(Self.money(fen)),,,,,\n"
        text += refused + "2026-10-28,记,501,之后的凭证,500102,补助资金,1.00,,1,银行转账,某供应商,李会计,王主管\n"
            + "2026-10-28,记,501,之后的凭证,100201,补助资金,,1.00,,,,,\n"
        let url = try Self.write(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let before = try Self.dump(app)
        let messages = errors { _ = try app.books.importVouchers(csvFile: url.path, file: "f.csv", studio: studio) }
        #expect(messages.contains { $0.contains("test trigger refuses this posting") }, "\(messages)")
        #expect(try Self.dump(app) == before, "nothing written")
        // The whole-file path the same.
        let wholeMessages = errors { _ = try app.books.importVouchers(csv: Data(text.utf8), file: "f.csv", studio: studio) }
        #expect(wholeMessages.contains { $0.contains("test trigger refuses this posting") }, "\(wholeMessages)")
        #expect(try Self.dump(app) == before, "nothing written")
        // Without the refused voucher the file imports, through the same session code.
        let accepted = try Self.write(text.replacingOccurrences(of: refused, with: ""))
        defer { try? FileManager.default.removeItem(at: accepted) }
        let result = try app.books.importVouchers(csvFile: accepted.path, file: "f.csv", studio: studio)
        #expect(result.vouchers == 201)
        #expect(try Self.dump(app)["voucher"]!.count == before["voucher"]!.count + 201)
        try app.store.unsafeExecuteForTesting("DROP TRIGGER test_refuses_posting")
        #expect(try app.admin.verify().isClean)
    }

    static let refusedFiles: [(name: String, text: String)] = [
        ("bad first voucher", file(count: 300, bad: [0])),
        ("bad middle voucher", file(count: 300, bad: [150])),
        ("bad last row", file(count: 300) + "2026-10-28,记,999,坏行,500101,补助资金,abc,,,,,李会计,王主管\n"),
        ("errors at start, middle and end", file(count: 300, bad: [1, 151, 299], unbalanced: [2, 152, 298])),
        ("more errors than are listed", file(count: 600, bad: Set(stride(from: 1, to: 600, by: 3)), unbalanced: Set(stride(from: 2, to: 600, by: 3)))),
        ("a voucher number used twice", file(count: 50) + "2026-01-10,记,3,重复,500102,补助资金,1.00,,,,,李会计,王主管\n2026-01-10,记,3,重复,100201,补助资金,,1.00,,,,,\n"),
        ("unreviewed", file(count: 40, reviewer: "")),
        ("quote error at the end", file(count: 100) + "2026-10-28,记,999,坏\"引号,500101,补助资金,1,,,,,李会计,王主管\n"),
        ("header only", header),
        ("empty", ""),
    ]

    @Test(arguments: refusedFiles.indices)
    func refusedFileListsTheSameErrorsAndWritesNothing(_ index: Int) throws {
        let (name, text) = Self.refusedFiles[index]
        let url = try Self.write(text)
        defer { try? FileManager.default.removeItem(at: url) }
        for studio in ["S1", "C1"] {
            let whole = try Self.app()
            let streamed = try Self.app()
            let before = try Self.dump(streamed)
            let wholeErrors = errors { _ = try whole.books.importVouchers(csv: try Data(contentsOf: url), file: "f.csv", studio: studio) }
            let streamedErrors = errors { _ = try streamed.books.importVouchers(csvFile: url.path, file: "f.csv", studio: studio) }
            #expect(wholeErrors != ["accepted"], "\(name) is refused")
            #expect(streamedErrors == wholeErrors, "\(name), \(studio)")
            #expect(try Self.dump(streamed) == before, "\(name): nothing written")
        }
    }

    @Test(arguments: ImportTests.badFiles)
    func badFixturesListTheSameErrors(_ file: BadFile) throws {
        let url = badFixtures.appendingPathComponent(file.name)
        let whole = try Self.app()
        let streamed = try Self.app()
        let before = try Self.dump(streamed)
        let wholeErrors = errors { _ = try whole.books.importVouchers(csv: try Data(contentsOf: url), file: url.path, studio: "ZY2025-001") }
        let streamedErrors = errors { _ = try streamed.books.importVouchers(csvFile: url.path, file: url.path, studio: "ZY2025-001") }
        #expect(streamedErrors == wholeErrors)
        #expect(try Self.dump(streamed) == before)
    }

    @Test func closedMonthIsRefusedWholeWithTheSameErrors() throws {
        let url = try Self.write(Self.file(count: 100))
        defer { try? FileManager.default.removeItem(at: url) }
        var lists: [[String]] = []
        for streamedPath in [false, true] {
            let app = try Self.app()
            try app.store.books.closePeriod(Period(year: 2025, month: 12)!, studio: "S1", stamp: Stamp(user: "u", at: "x", today: T.date("2026-11-20")))
            try app.store.books.closePeriod(Period(year: 2026, month: 1)!, studio: "S1", stamp: Stamp(user: "u", at: "x", today: T.date("2026-11-20")))
            let before = try Self.dump(app)
            lists.append(errors {
                if streamedPath {
                    _ = try app.books.importVouchers(csvFile: url.path, file: "f.csv", studio: "S1", allowUnreviewed: true)
                } else {
                    _ = try app.books.importVouchers(csv: try Data(contentsOf: url), file: "f.csv", studio: "S1", allowUnreviewed: true)
                }
            })
            #expect(try Self.dump(app) == before)
        }
        #expect(lists[0] == lists[1])
        #expect(lists[0].first?.contains("[P002]") == true || lists[0].first?.contains("已结账") == true)
    }
}
