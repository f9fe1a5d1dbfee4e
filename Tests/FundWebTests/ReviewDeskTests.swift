import FundApp
import FundCore
import FundTestSupport
import Foundation
import Testing

/// The review desk's views against the same figures worked out the slow way: the paged 序时账
/// against filtering every voucher, and the cached overview against the books after a change.
@Suite("Review desk")
struct ReviewDeskTests {
    @Test func journalPagesAreTheFilteredBooksInBookOrder() throws {
        let app = try WebFixture.app()
        let studio = WebFixture.own
        let all = try app.books.journal(studio: studio).sorted { ($0.draft.date, $0.ref) < ($1.draft.date, $1.ref) }
        let withText = try #require(all.first { $0.draft.lines.count > 1 }?.draft.lines[1].memo)
        let cases: [(JournalFilter, (PostedVoucher) -> Bool)] = [
            (JournalFilter(), { _ in true }),
            (JournalFilter(account: "5001"), { $0.draft.lines.contains { $0.account.hasPrefix("5001") } }),
            (JournalFilter(fund: .enterprise), { $0.draft.lines.contains { $0.fund == .enterprise } }),
            (JournalFilter(text: String(withText.prefix(2))), { v in
                v.draft.counterparty.contains(String(withText.prefix(2))) || v.ref.label.contains(String(withText.prefix(2)))
                    || v.draft.lines.contains { $0.memo.contains(String(withText.prefix(2))) }
            }),
            (JournalFilter(minimum: Money(fen: 100_000)), { v in v.draft.lines.filter { $0.side == .debit }.reduce(0) { $0 + $1.amount.fen } >= 100_000 }),
            (JournalFilter(maximum: Money(fen: 50_000)), { v in v.draft.lines.filter { $0.side == .debit }.reduce(0) { $0 + $1.amount.fen } <= 50_000 }),
            (JournalFilter(from: try Period.parse("2026-03"), to: try Period.parse("2026-06")), { v in
                v.ref.period >= (try! Period.parse("2026-03")) && v.ref.period <= (try! Period.parse("2026-06"))
            }),
        ]
        for (filter, matches) in cases {
            let expected = all.filter(matches).map(\.ref)
            var got: [VoucherRef] = []
            var page = 1
            while true {
                let found = try app.books.journalPage(studio: studio, filter: filter, page: page, pageSize: 7)
                #expect(found.total == expected.count, "\(filter)")
                got += found.vouchers.map(\.ref)
                if page >= found.pageCount { break }
                page += 1
            }
            #expect(got == expected, "\(filter)")
            #expect(!expected.isEmpty || filter.maximum != nil, "the case \(filter) selects something")
        }
        // A page past the end is the last page.
        let last = try app.books.journalPage(studio: studio, filter: JournalFilter(), page: 9_999, pageSize: 10)
        #expect(last.page == last.pageCount && last.vouchers.map(\.ref) == Array(all.map(\.ref).suffix(all.count - (last.pageCount - 1) * 10)))
    }

    @Test func theScopeChartEndsAtTheOverviewsSpending() throws {
        let app = try WebFixture.app()
        let rows = try app.review.overview(studios: nil)
        let totals = try #require(try app.review.spendingChart(studios: nil).value as? [String: Money])
        #expect(totals["subsidy"]?.fen == rows.reduce(0) { $0 + $1.subsidySpentFen.fen })
        let one = try #require(try app.review.spendingChart(studios: [WebFixture.own]).value as? [String: Money])
        #expect(one["subsidy"] == rows.first { $0.code == WebFixture.own }?.subsidySpentFen)
    }

    @Test func theCachedOverviewFollowsEveryChange() throws {
        let app = try WebFixture.app()
        let before = try #require(try app.review.overview(studios: nil).first { $0.code == WebFixture.own })
        #expect(try app.review.overview(studios: [WebFixture.own]) == [before], "one row is the same row")
        // A finding explained and accepted is no longer open.
        let open = try app.review.inbox(studios: [WebFixture.own]).filter { $0.severity == .violation }
        let finding = try #require(open.first)
        let accountant = app.acting(as: try #require(try app.accounts.list().first { $0.role == .accountant }))
        let bureau = app.acting(as: try #require(try app.accounts.list().first { $0.role == .bureau }))
        try accountant.compliance.note(finding: finding.key, action: .explain, text: "已补附件")
        try bureau.compliance.note(finding: finding.key, action: .accept, text: "")
        let after = try #require(try app.review.overview(studios: nil).first { $0.code == WebFixture.own })
        #expect(after.openViolations == before.openViolations - 1)
        #expect(try !app.review.inbox(studios: nil).contains { $0.key == finding.key })
        // A new voucher spending the subsidy shows at once.
        let spend = """
            [{"studio": "\(WebFixture.own)", "date": "2026-11-20", "class": "记", "preparer": "众诚会计", "attachments": 1,
              "lines": [{"account": "500103", "fund": "subsidy", "side": "debit", "amount": "100.00", "memo": "交流会场地费"},
                        {"account": "100201", "fund": "subsidy", "side": "credit", "amount": "100.00", "memo": "交流会场地费"}]}]
            """
        _ = try accountant.books.postVouchers(json: Data(spend.utf8), file: "spend.json", allowUnreviewed: true)
        let spent = try #require(try app.review.overview(studios: [WebFixture.own]).first)
        #expect(spent.subsidySpentFen.fen == after.subsidySpentFen.fen + 10_000)
        #expect(spent.subsidyBalanceFen.fen == after.subsidyBalanceFen.fen - 10_000)
    }
}
