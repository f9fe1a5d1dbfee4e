import FundCore
@testable import FundRules
import FundTestSupport
import Testing

/// Issue 15: books that hold up in front of a CPA — capitalised equipment is spending, arrival
/// is cash, cash at the settlement point is allowed.
@Suite("issue 15: capitalised equipment, arrival in cash, cash at the settlement point")
struct CPABooksTests {
    // MARK: Item 1: capitalised equipment is spending of the fund that paid for it

    @Test func fixedAssetLeavesCarryTheEquipmentCategory() throws {
        let chart = try T.defaultChart()
        #expect(chart["160101"]?.category == .equipment)
        #expect(chart["160101"]?.role == .fixedAssets)
        // A chart stored before 1601's leaves had a category reads them as equipment.
        let stored = try ChartOfAccounts(chart.accounts.map { account in
            Account(
                code: account.code, name: account.name, type: account.type, normalSide: account.normalSide, role: account.role,
                category: account.role == .fixedAssets ? nil : account.declaredCategory, funds: account.funds)
        })
        #expect(stored["160101"]?.category == .equipment)
        // Other balance-sheet leaves still may not carry a category.
        let bad = chart.accounts.map { account in
            account.code == "100201"
                ? Account(code: account.code, name: account.name, type: account.type, normalSide: account.normalSide, role: account.role, category: .equipment, funds: account.funds)
                : account
        }
        #expect(throws: Rejection.self) { try ChartOfAccounts(bad) }
    }

    @Test func equipmentBookedToFixedAssetsIsCheckedLikeSpending() throws {
        var books = try Books(recognized: "2025-12-15")
        books.receive("2025-12-01", .subsidy, 3_000_000)
        // After the window, with no attachments: the window and the evidence rules see it.
        books.spend("2027-12-20", "160101", .subsidy, 2_000_000, attachments: 0)
        #expect(try books.findings(OutsideWindow(), asOf: "2028-01-31").count == 1)
        #expect(try books.findings(MissingEvidence(), asOf: "2028-01-31").count == 1)
        let facts = StudioFacts(books.studioBooks, chart: try T.defaultChart())
        #expect(facts.spending.map(\.category) == [.equipment])
        #expect(facts.vouchers[1].spentFen == 2_000_000)
    }

    @Test func equipmentPaidInCashAndBeyondTheSubsidyIsFound() throws {
        var books = try Books()
        books.receive("2025-12-20", .subsidy, 100_000)
        books.add("2025-12-22", [("1001", .subsidy, .debit, 100_000), ("100201", .subsidy, .credit, 100_000)])
        books.add("2026-01-05", [("160101", .subsidy, .debit, 150_000), ("1001", .subsidy, .credit, 150_000)], settlement: .cash)
        #expect(try books.findings(CashOverLimit()).count == 1)
        // 1,500 of equipment from a subsidy of which 1,000 arrived: overdrawn.
        #expect(try books.findings(OverdrawnFund()).count >= 1)
    }

    // MARK: Item 2: arrival is money in the bank, not a receivable

    @Test func aSubsidyBookedAsReceivableHasNotArrived() throws {
        var books = try Books(recognized: "2025-12-15")
        books.add("2025-12-20", [("121802", .subsidy, .debit, 3_000_000), ("400101", .subsidy, .credit, 3_000_000)], memo: "确认应收补助资金")
        let withheld = try books.findings(SubsidyShortfall(), asOf: "2026-04-30")
        #expect(withheld.count == 1)
        #expect(withheld.first?.amountFen == 3_000_000)
        #expect(withheld.first?.message.contains("挂应收") == true)
        // Spending it before the money arrives overdraws the subsidy.
        var spending = books
        spending.add("2026-01-10", [("500101", .subsidy, .debit, 500_000), ("230201", .subsidy, .credit, 500_000)])
        #expect(try spending.findings(OverdrawnFund()).count == 1)
        // Once the bank receives it, it has arrived (late: a notice).
        books.add("2026-04-10", [("100201", .subsidy, .debit, 3_000_000), ("121802", .subsidy, .credit, 3_000_000)], memo: "收到补助资金")
        let late = try books.findings(SubsidyShortfall(), asOf: "2026-04-30")
        #expect(late.count == 1 && late.first?.severity == .notice)
        #expect(late.first?.message.contains("2026-04-10") == true)
    }

    // MARK: Item 4: cash at the settlement point is allowed

    @Test(arguments: [(100_000 as Int64, false), (100_001, true)])
    func cashAtTheSettlementPointIsAllowed(_ fen: Int64, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 3_000_000)
        books.spend("2026-01-05", "500105", .enterprise, fen, settlement: .cash)
        let found = try books.findings(CashOverLimit())
        #expect(found.count == (fires ? 1 : 0))
    }

    /// 第五条's exemptions are facts of the books: 个人劳务报酬 is a category, a purchase from a
    /// person a settlement; a memo saying so exempts nothing.
    @Test func theRegulationsExemptionsAreCategoriesAndSettlements() throws {
        var labour = try Books()
        labour.receive("2025-12-20", .enterprise, 3_000_000)
        labour.spend("2026-01-05", "500114", .enterprise, 150_000, settlement: .cash, counterparty: "王师傅")
        #expect(try labour.findings(CashOverLimit()).isEmpty)
        var purchase = try Books()
        purchase.receive("2025-12-20", .enterprise, 3_000_000)
        purchase.add("2026-01-04", [("1001", .enterprise, .debit, 150_000), ("100201", .enterprise, .credit, 150_000)])
        purchase.add(
            "2026-01-05", [("500105", .enterprise, .debit, 150_000), ("1001", .enterprise, .credit, 150_000)], settlement: .cashFromIndividual,
            counterparty: "李大爷")
        #expect(try purchase.findings(CashOverLimit()).isEmpty)
        var memo = try Books()
        memo.receive("2025-12-20", .enterprise, 3_000_000)
        memo.spend("2026-01-05", "500105", .enterprise, 150_000, memo: "向个人收购竹编原料", settlement: .cash, counterparty: "李大爷")
        #expect(try memo.findings(CashOverLimit()).count == 1)
        #expect(try Settlement.parse("现金（向个人收购）") == .cashFromIndividual)
        #expect(try Settlement.parse("cash-individual-purchase") == .cashFromIndividual)
        #expect(try T.policy2025().thresholds.cashExemptCategories.contains(.labour))
        #expect(try T.defaultChart()["500114"]?.category == .labour)
    }

    // MARK: Item 7: evidence on every voucher that moves money

    @Test func receiptsAdvancesAndTransfersNeedEvidenceToo() throws {
        var books = try Books()
        books.add("2025-12-20", [("100201", .subsidy, .debit, 3_000_000), ("400101", .subsidy, .credit, 3_000_000)], attachments: 0)
        books.add("2026-01-05", [("121801", .subsidy, .debit, 200_000), ("100201", .subsidy, .credit, 200_000)], attachments: 0)
        books.add("2026-01-06", [
            ("1901", .subsidy, .debit, 100_000), ("100201", .subsidy, .credit, 100_000),
            ("100201", .selfRaised, .debit, 100_000), ("1901", .selfRaised, .credit, 100_000),
        ], attachments: 0)
        // Not money: a clawback decision (Dr 300101 / Cr 230701) needs no bank slip.
        books.add("2026-01-07", [("300101", .subsidy, .debit, 50_000), ("230701", .subsidy, .credit, 50_000)], attachments: 0)
        books.add("2026-01-08", [("100201", .enterprise, .debit, 1_000), ("400102", .enterprise, .credit, 1_000)], attachments: 1)
        let found = try books.findings(MissingEvidence())
        #expect(found.map(\.amountFen) == [3_000_000, 200_000, 100_000])
        #expect(found.map { $0.message.hasPrefix("收款") || $0.message.hasPrefix("付款") || $0.message.hasPrefix("资金划转") } == [true, true, true])
    }

    @Test func aTravelAdvanceInCashIsNotSpending() throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 3_000_000)
        books.add("2026-01-04", [("1001", .enterprise, .debit, 300_000), ("100201", .enterprise, .credit, 300_000)])
        books.add("2026-01-05", [("121801", .enterprise, .debit, 300_000), ("1001", .enterprise, .credit, 300_000)], settlement: .cash)
        #expect(try books.findings(CashOverLimit()).isEmpty)
    }
}
