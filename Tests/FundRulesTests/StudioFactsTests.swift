import FundCore
@testable import FundRules
import FundTestSupport
import Testing

/// `StudioFacts` precomputes what the rules used to derive each on their own: it must give the
/// same lines, spending, sums and payments as those derivations (`CheckContext.spending(_:)`,
/// `spent(_:)`, `payments(_:)`, `role(_:)`, `category(_:)`).
@Suite("studio facts equal the per-rule derivations")
struct StudioFactsTests {
    func context(_ books: StudioBooks) throws -> CheckContext {
        CheckContext(
            chart: try T.defaultChart(), policy: try T.policy2025(), calendar: try T.holidayCalendar(), asOf: T.date("2028-01-20"),
            invoiceUses: CheckContext.invoiceIndex([books]))
    }

    /// The seeded studio (one finding of each kind) plus a reversed voucher, a correction, a cash
    /// payment, an unknown account code and a payee with padding.
    func books() throws -> StudioBooks {
        var b = try SeededStudioTests().seeded()
        b.spend("2026-05-06", "500105", .enterprise, 30_000, settlement: .cash, counterparty: "　资阳某超市 ")
        b.add("2026-05-07", [("999999", .enterprise, .debit, 100), ("100201", .enterprise, .credit, 100)])
        var vouchers = T.posted(b.drafts)
        let wrong = vouchers[4]
        let red = VoucherDraft.redReversal(of: wrong, date: T.date("2026-05-20"), preparer: "李会计", reason: "误用补助资金")
        vouchers.append(PostedVoucher(
            ref: VoucherRef(studio: "S1", period: red.period, voucherClass: .ji, number: 90), draft: red, kind: .reversal(of: wrong.ref),
            postedBy: "u", postedAt: "t", sequence: vouchers.count + 1, previousHash: "", hash: ""))
        var correction = wrong.draft
        correction.date = T.date("2026-05-20")
        vouchers.append(PostedVoucher(
            ref: VoucherRef(studio: "S1", period: correction.period, voucherClass: .ji, number: 91), draft: correction,
            kind: .correction(of: wrong.ref), postedBy: "u", postedAt: "t", sequence: vouchers.count + 1, previousHash: "", hash: ""))
        return StudioBooks(studio: b.studio, vouchers: vouchers)
    }

    @Test func factsMatchTheDerivations() throws {
        let books = try books()
        let context = try context(books)
        let facts = StudioFacts(books, chart: context.chart)
        #expect(facts.vouchers.count == books.effective.count)
        #expect(books.effective.count == books.vouchers.count - 2, "the reversal and the voucher it reverses drop out")

        var lineCount = 0
        var spendingCount = 0
        for (position, voucher) in books.effective.enumerated() {
            let summary = facts.vouchers[position]
            let lines = voucher.draft.lines
            #expect(summary.date == voucher.draft.date)
            #expect(summary.lines == lineCount..<(lineCount + lines.count))
            for (offset, line) in lines.enumerated() {
                let fact = facts.lines[lineCount + offset]
                #expect(fact.voucher == position && fact.number == offset + 1)
                #expect(fact.fund == line.fund && fact.side == line.side && fact.fen == line.amount.fen)
                #expect(fact.signedFen == line.signedAmount.fen)
                #expect(fact.role == context.role(line) && fact.category == context.category(line))
                #expect(fact.account.map { context.chart.accounts[$0].code } == context.chart[line.account]?.code)
                #expect(fact.hasInvoice == (line.invoice != nil))
                #expect(facts.value(fact) == line)
            }
            lineCount += lines.count

            let spending = context.spending(voucher)
            #expect(summary.spending == spendingCount..<(spendingCount + spending.count))
            #expect(facts.spending[summary.spending].map(\.number) == spending.map(\.line))
            #expect(facts.spending[summary.spending].map(\.fen) == spending.map(\.value.amount.fen))
            #expect(facts.spending[summary.spending].map(\.category) == spending.map(\.category))
            spendingCount += spending.count
            #expect(summary.spentFen == context.spent(voucher).fen)

            let cashOut = lines.filter { $0.side == .credit && context.role($0) == .cash }.reduce(0) { $0 + $1.amount.fen }
            #expect(summary.cashOutFen == cashOut)
            #expect(summary.attachments == voucher.draft.attachments && summary.settlement == voucher.draft.settlement)
            let moneyRoles: [AccountRole?] = [.bank, .cash]
            #expect(summary.receivesMoney == lines.contains { $0.side == .debit && $0.amount.fen > 0 && moneyRoles.contains(context.role($0)) })
            #expect(summary.paysMoney == lines.contains { $0.side == .credit && $0.amount.fen > 0 && moneyRoles.contains(context.role($0)) })
            #expect(summary.creditsSpending == lines.contains { $0.side == .credit && $0.amount.fen > 0 && context.category($0) != nil })
            #expect(summary.creditsPayables == lines.contains { $0.side == .credit && $0.amount.fen > 0 && context.role($0) == .payables })
            #expect(summary.hasInvoice == lines.contains { $0.invoice != nil })
        }
        #expect(facts.lines.count == lineCount && facts.spending.count == spendingCount)
        #expect(facts.lines.contains { $0.account == nil }, "the unknown account is kept, unclassified")
        #expect(facts.payments == context.payments(books))
        #expect(facts.payments.contains { $0.counterparty == "资阳某超市" })
    }

    @Test func eligibilityTableIsThePolicy() throws {
        let policy = try T.policy2025()
        let chart = try T.defaultChart()
        let table = EligibilityTable(policy, chart: chart)
        var checked = 0
        for (position, account) in chart.accounts.enumerated() {
            guard let category = account.category else { continue }
            for fund in Fund.allCases {
                let line = LineFacts(
                    voucher: 0, number: 1, fund: fund, side: .debit, fen: 1, account: position, role: account.role, category: category,
                    hasInvoice: false)
                #expect(table[line] == policy.eligibility(of: category, for: fund))
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    /// Each rule run on its own (facts derived for it) finds what the whole catalogue finds for it.
    @Test func rulesAloneAgreeWithTheCatalogue() throws {
        let books = try books()
        let context = try context(books)
        let all = Catalogue.check(books, context)
        for rule in Catalogue.rules {
            #expect(rule.evaluate(books, context) == all.filter { $0.rule == rule.code }, "\(rule.code)")
        }
    }
}
