@testable import FundApp
import FundCore
import FundRender
import FundReports
import FundStore
import FundTestSupport
import Foundation
import Testing

@Suite("book views: trial balance, 明细账, 序时账 over ranges")
struct BookViewTests {
    let app: LedgerApp

    init() throws {
        app = try T.app()
        try app.store.books.post(
            [
                T.receipt(date: "2025-12-20", fund: .subsidy, fen: 3_000_000),
                T.simple(date: "2026-01-08", debit: "500101", credit: "100201", fen: 1_000_000),
                T.simple(date: "2026-02-08", debit: "500102", credit: "100201", fen: 200_000),
                T.simple(date: "2026-03-08", debit: "500103", credit: "100201", fund: .subsidy, fen: 50_000),
                T.receipt(date: "2026-03-09", fund: .enterprise, fen: 70_000),
            ], stamp: Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20")))
    }

    @Test func openingComesFromEarlierMonths() throws {
        let march = Period(year: 2026, month: 3)!
        let balance = try app.books.trialBalance(studio: "S1", fund: .subsidy, from: march, to: march)
        let bank = try #require(balance.sections[0].rows.first { $0.account == "100201" })
        #expect(bank.opening == Money(fen: 1_800_000))
        #expect(bank.debit == .zero)
        #expect(bank.credit == Money(fen: 50_000))
        #expect(bank.closing == Money(fen: 1_750_000))
        #expect(balance.sections.count == 1, "one fund asked, one section")
        #expect(balance.sections[0].totals.isBalanced)
    }

    @Test func rangeBackwardsIsRejected() throws {
        #expect(throws: Rejection.self) {
            _ = try app.books.trialBalance(studio: "S1", from: Period(year: 2026, month: 3)!, to: Period(year: 2026, month: 1)!)
        }
    }

    @Test func subsidiaryLedgerOfAParentFromMidYear() throws {
        let ledger = try app.books.accountLedger(studio: "S1", account: "5001", fund: nil, from: Period(year: 2026, month: 2)!, to: nil)
        #expect(ledger.account.code == "5001")
        #expect(ledger.rows.first?.kind == .opening)
        #expect(ledger.rows.first?.balance == Money(fen: 1_000_000))
        let entries = ledger.rows.filter { $0.kind == .entry }
        #expect(entries.map(\.debit.fen) == [200_000, 50_000])
        let yearTotals = ledger.rows.filter { $0.kind == .yearTotal }
        // 本年累计 includes January, before the range began.
        #expect(yearTotals.map(\.debit.fen) == [1_200_000, 1_250_000])
        #expect(ledger.rows.last?.balance == Money(fen: 1_250_000))
        #expect(ledger.rows.last?.direction == "借")
    }

    func rendered(_ report: AnyReport, _ format: OutputFormat) throws -> String {
        String(decoding: try LedgerApp.render(report, format: format), as: UTF8.self)
    }

    @Test func viewsRenderInEveryFormat() throws {
        let balance = try app.books.balanceReport(studio: "S1")
        let table = try rendered(balance, .table)
        #expect(table.contains("【补助资金账】") && table.contains("17,500.00") && table.contains("合计"))
        #expect(table.contains("【自筹资金账】\n（本期间无余额和发生额）"))
        let csv = try rendered(balance, .csv)
        #expect(csv.contains("\"=\"\"  100201\"\"\",项目资金专户,,,30000.00,12500.00,17500.00,\r\n"), "\(csv)")
        let object = try JSONSerialization.jsonObject(with: try LedgerApp.render(try app.books.journalReport(studio: "S1"), format: .json)) as? [String: Any]
        let vouchers = object?["vouchers"] as? [[String: Any]] ?? []
        #expect(vouchers.count == 5)
        #expect((vouchers.first?["lines"] as? [[String: Any]])?.first?["amountFen"] as? Int == 3_000_000)
        let ledgerCSV = try rendered(try app.books.ledgerReport(studio: "S1", account: "100201", fund: .subsidy), .csv)
        #expect(ledgerCSV.contains("本月合计"))
        #expect(ledgerCSV.contains("本年累计"))
        for format in [OutputFormat.html, .xlsx, .pdf] {
            let bytes = try LedgerApp.render(balance, format: format)
            #expect(bytes.count > 500, "\(format)")
        }
        #expect(try LedgerApp.render(balance, format: .pdf).prefix(4) == Data("%PDF".utf8))
        #expect(try LedgerApp.render(balance, format: .xlsx).prefix(2) == Data("PK".utf8))
    }
}
