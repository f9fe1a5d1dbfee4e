import FundCore
@testable import FundRules
import FundTestSupport
import Testing

typealias T = TestLedger

/// A tiny ledger language for rule tests: each voucher a date, lines and header fields.
struct Books {
    var studio: Studio
    var drafts: [VoucherDraft] = []

    init(recognized: String = "2025-12-15", subsidy: Int64 = 3_000_000) throws {
        studio = try Studio(
            code: "S1", name: "测试工作室", hostUnit: CreditCode(T.hostCode), leader: "张师傅", field: "",
            recognized: CalendarDate.parse(recognized), approvedSubsidy: Money(fen: subsidy))
    }

    /// A voucher: `lines` as (account, fund, side, fen[, memo]).
    mutating func add(
        _ date: String, _ lines: [(String, Fund, Side, Int64)], memo: String = "测试分录", attachments: Int = 1,
        settlement: Settlement? = .bankTransfer, counterparty: String = "资阳某公司", preparer: String = "李会计",
        reviewer: String = "王主管", invoice: InvoiceKey? = nil
    ) {
        drafts.append(VoucherDraft(
            studio: "S1", date: T.date(date),
            lines: lines.map { VoucherLine(memo: memo, account: $0.0, fund: $0.1, side: $0.2, amount: Money(fen: $0.3), invoice: $0.2 == .debit && $0.0.hasPrefix("5") ? invoice : nil) },
            attachments: attachments, settlement: settlement, counterparty: counterparty, preparer: preparer, reviewer: reviewer))
    }

    /// Receipt of `fen` into the project account for `fund`.
    mutating func receive(_ date: String, _ fund: Fund, _ fen: Int64) {
        let revenue = ["subsidy": "400101", "enterprise": "400102", "self-raised": "400103"][fund.rawValue]!
        add(date, [("100201", fund, .debit, fen), (revenue, fund, .credit, fen)], memo: "收到\(fund.chineseName)")
    }

    /// Spending of `fen` on `account` paid from the project account.
    mutating func spend(
        _ date: String, _ account: String, _ fund: Fund, _ fen: Int64, memo: String = "支付项目费用", attachments: Int = 1,
        settlement: Settlement? = .bankTransfer, counterparty: String = "资阳某公司", preparer: String = "李会计",
        reviewer: String = "王主管", invoice: InvoiceKey? = nil
    ) {
        add(date, [(account, fund, .debit, fen), ("100201", fund, .credit, fen)], memo: memo, attachments: attachments,
            settlement: settlement, counterparty: counterparty, preparer: preparer, reviewer: reviewer, invoice: invoice)
    }

    var studioBooks: StudioBooks { StudioBooks(studio: studio, vouchers: T.posted(drafts)) }

    func findings(_ rule: any Rule, asOf: String = "2026-11-20", others: [StudioBooks] = []) throws -> [Finding] {
        let books = studioBooks
        let context = CheckContext(
            chart: try T.defaultChart(), policy: try T.policy2025(), calendar: try T.holidayCalendar(), asOf: T.date(asOf),
            invoiceUses: CheckContext.invoiceIndex([books] + others))
        let found = rule.evaluate(books, context)
        for finding in found {
            #expect(finding.rule == rule.code)
            #expect(finding.category == rule.category)
            #expect(finding.article == rule.article)
            #expect(!finding.message.isEmpty && !finding.remedy.isEmpty)
        }
        return found
    }
}
