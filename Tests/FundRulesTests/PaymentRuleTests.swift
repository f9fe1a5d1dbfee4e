import FundCore
@testable import FundRules
import FundTestSupport
import Testing

@Suite("evidence and payment rules")
struct PaymentRuleTests {
    static let invoice = InvoiceKey.digital(number: "26512000004177864031")

    @Test func duplicateInvoiceAcrossStudiosCountsVouchersNotLines() throws {
        var books = try Books()
        books.receive("2025-12-20", .subsidy, 3_000_000)
        books.receive("2025-12-20", .enterprise, 3_000_000)
        // One purchase split across two funds carries its invoice on both expense lines: one use.
        books.add("2026-01-05", [("500101", .subsidy, .debit, 200_000), ("500101", .enterprise, .debit, 280_000),
                                 ("100201", .subsidy, .credit, 200_000), ("100201", .enterprise, .credit, 280_000)], invoice: Self.invoice)
        #expect(try books.findings(DuplicateInvoice()).isEmpty)
        var other = try Books()
        other.studio = try Studio(code: "S2", name: "另一工作室", hostUnit: CreditCode(T.hostCode), leader: "李", field: "", recognized: T.date("2025-12-15"), approvedSubsidy: Money(fen: 3_000_000))
        other.drafts = [VoucherDraft(studio: "S2", date: T.date("2026-02-05"), lines: [
            VoucherLine(memo: "材料", account: "500105", fund: .enterprise, side: .debit, amount: Money(fen: 50_000), invoice: Self.invoice),
            VoucherLine(memo: "材料", account: "100201", fund: .enterprise, side: .credit, amount: Money(fen: 50_000)),
        ], attachments: 1, preparer: "周丽")]
        #expect(try books.findings(DuplicateInvoice(), others: [other.studioBooks]).isEmpty, "the first use is not a finding")
        let context = CheckContext(chart: try T.defaultChart(), policy: try T.policy2025(), calendar: HolidayCalendar(), asOf: T.date("2026-11-20"),
                                   invoiceUses: CheckContext.invoiceIndex([books.studioBooks, other.studioBooks]))
        let found = DuplicateInvoice().evaluate(other.studioBooks, context)
        #expect(found.count == 1)
        #expect(found[0].studio == "S2" && found[0].message.contains("工作室 S1"))
    }

    @Test(arguments: [(0, true), (1, false)])
    func missingEvidence(_ attachments: Int, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 3_000_000)
        books.spend("2026-01-05", "500105", .enterprise, 56_000, attachments: attachments)
        #expect(try books.findings(MissingEvidence()).count == (fires ? 1 : 0))
        // A receipt without attachments moves money too (issue 15, item 7).
        var receipt = try Books()
        receipt.add("2026-01-05", [("100201", .enterprise, .debit, 1_000), ("400102", .enterprise, .credit, 1_000)], attachments: 0)
        #expect(try receipt.findings(MissingEvidence()).count == 1)
    }

    @Test(arguments: [
        (99_999 as Int64, "500105", Settlement.cash, false), (100_000, "500105", .cash, false), (100_001, "500105", .cash, true), (150_000, "500106", .cash, false),
        (150_000, "500107", .cash, false), (150_000, "500105", .bankTransfer, false), (150_000, "500105", .officialCard, false),
    ])
    func cashOverLimit(_ fen: Int64, _ account: String, _ settlement: Settlement, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 3_000_000)
        books.spend("2026-01-05", account, .enterprise, fen, settlement: settlement)
        #expect(try books.findings(CashOverLimit()).count == (fires ? 1 : 0))
    }

    @Test func cashAccountCreditCountsEvenWithoutSettlement() throws {
        var books = try Books()
        books.add("2026-01-05", [("500105", .enterprise, .debit, 120_000), ("1001", .enterprise, .credit, 120_000)], settlement: nil)
        #expect(try books.findings(CashOverLimit()).count == 1)
    }

    @Test(arguments: [
        ([986_000, 974_000, 992_000] as [Int64], [12, 15, 20], 1),  // the seeded case: three just under 10,000 within 10 days
        ([500_000, 499_000], [1, 11], 0),  // sum 9,990: not above the threshold
        ([600_000, 500_000], [1, 12], 0),  // 11 days apart: outside the window
        ([600_000, 500_000], [1, 11], 1),  // 10 days apart: inside
        ([1_000_000, 500_000], [1, 2], 0),  // one payment at the threshold is approved on its own
    ])
    func splitPayment(_ amounts: [Int64], _ days: [Int], _ expected: Int) throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 10_000_000)
        for (fen, day) in zip(amounts, days) {
            books.spend("2026-05-\(day < 10 ? "0" : "")\(day)", "500101", .enterprise, fen, counterparty: "资阳市雁江区华兴五金机电经营部")
        }
        #expect(try books.findings(SplitPayment()).count == expected)
    }

    @Test(arguments: [
        ("资阳市雁江区好又多超市", 80_000 as Int64, true), ("资阳市雁江区好又多超市", 80_050, false), ("资阳机床厂", 80_000, false),
        ("资阳万达购物中心", 100_000, true),
    ])
    func roundAmountRetail(_ payee: String, _ fen: Int64, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .subsidy, 3_000_000)
        books.spend("2026-05-13", "500105", .subsidy, fen, counterparty: payee)
        #expect(try books.findings(RoundAmountRetail()).count == (fires ? 1 : 0))
    }

    @Test(arguments: [
        ("发放工作室成员奖金", Fund.subsidy, true), ("技能津贴", .subsidy, true), ("节日福利", .subsidy, true),
        ("交通补贴", .subsidy, true), ("购置数控车床（补助资金）", .subsidy, false), ("发放工作室成员奖金", .enterprise, false),
    ])
    func allowanceMemo(_ memo: String, _ fund: Fund, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", fund, 3_000_000)
        books.spend("2026-04-24", "500101", fund, 300_000, memo: memo)
        #expect(try books.findings(AllowanceMemo()).count == (fires ? 1 : 0))
    }

    @Test(arguments: [
        ("王志刚", 1_000_001 as Int64, true), ("王志刚", 1_000_000, false), ("资阳机床厂", 2_000_000, false),
        ("欧阳建国", 1_500_000, true), ("Zhang", 1_500_000, false),
    ])
    func individualPayment(_ payee: String, _ fen: Int64, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 5_000_000)
        books.spend("2026-03-04", "500102", .enterprise, fen, counterparty: payee)
        #expect(try books.findings(IndividualPayment()).count == (fires ? 1 : 0))
    }

    @Test func receiptNettingAndIncomeInPayables() throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 500_000)
        books.add("2026-03-04", [("100201", .enterprise, .debit, 20_000), ("500102", .enterprise, .credit, 20_000)])
        books.add("2026-03-05", [("100201", .enterprise, .debit, 30_000), ("230799", .enterprise, .credit, 30_000)])
        let netting = try books.findings(ReceiptNetting())
        #expect(netting.count == 1 && netting[0].voucher?.number == 1 && netting[0].line == 2)
        let parked = try books.findings(IncomeInPayables())
        #expect(parked.count == 1 && parked[0].amountFen == 30_000)
        // Paying a payable (Dr payables, Cr bank) is neither.
        var paying = try Books()
        paying.add("2026-03-05", [("230201", .enterprise, .debit, 30_000), ("100201", .enterprise, .credit, 30_000)])
        #expect(try paying.findings(IncomeInPayables()).isEmpty)
        #expect(try paying.findings(ReceiptNetting()).isEmpty)
    }
}
