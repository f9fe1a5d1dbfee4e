import FundCore
@testable import FundRules
import FundTestSupport
import Testing

@Suite("spending rules: eligibility, window, diversion, overdraft, shortfall")
struct SpendingRuleTests {
    @Test(arguments: [
        ("500107", Fund.subsidy, true), ("500108", .subsidy, true), ("500109", .subsidy, true), ("500110", .subsidy, true),
        ("500111", .subsidy, true), ("500112", .subsidy, true), ("500113", .subsidy, true),
        ("500101", .subsidy, false), ("500102", .subsidy, false), ("500103", .subsidy, false), ("500104", .subsidy, false),
        ("500107", .enterprise, false), ("500111", .enterprise, true), ("500111", .selfRaised, true),
    ])
    func ineligibleSpending(_ account: String, _ fund: Fund, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", fund, 3_000_000)
        books.spend("2026-01-12", account, fund, 300_000)
        let found = try books.findings(IneligibleSpending())
        #expect(found.count == (fires ? 1 : 0))
        if fires {
            #expect(found[0].severity == .violation)
            #expect(found[0].line == 1)
            #expect(found[0].amountFen == 300_000)
            #expect(found[0].voucher?.number == 1 && found[0].voucher?.period == "2026-01")
        }
    }

    @Test func reversingTheWrongVoucherMakesTheFindingDisappear() throws {
        var books = try Books()
        books.receive("2025-12-20", .subsidy, 3_000_000)
        books.spend("2026-01-12", "500107", .subsidy, 300_000)
        let original = T.posted(books.drafts)
        #expect(try books.findings(IneligibleSpending()).count == 1)
        let red = VoucherDraft.redReversal(of: original[1], date: T.date("2026-01-20"), preparer: "李会计", reason: "误用补助资金")
        var vouchers = original
        let redRef = VoucherRef(studio: "S1", period: red.period, voucherClass: .ji, number: 2)
        vouchers.append(PostedVoucher(ref: redRef, draft: red, kind: .reversal(of: original[1].ref), postedBy: "u", postedAt: "t", sequence: 3, previousHash: "", hash: ""))
        let snapshot = StudioBooks(studio: books.studio, vouchers: vouchers)
        #expect(snapshot.effective.map(\.ref) == [original[0].ref])
    }

    @Test(arguments: [("500104", true), ("500105", true), ("500106", true), ("500199", true), ("500101", false)])
    func needsJustification(_ account: String, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .subsidy, 3_000_000)
        books.spend("2026-01-12", account, .subsidy, 100_000)
        #expect(try books.findings(NeedsJustification()).count == (fires ? 1 : 0))
        // From the enterprise fund only "other" spending needs a justification.
        var enterprise = try Books()
        enterprise.receive("2025-12-20", .enterprise, 3_000_000)
        enterprise.spend("2026-01-12", account, .enterprise, 100_000)
        #expect(try enterprise.findings(NeedsJustification()).count == (account == "500199" ? 1 : 0))
    }

    @Test(arguments: [("2025-12-14", true), ("2025-12-15", false), ("2027-12-15", false), ("2027-12-16", true)])
    func outsideWindow(_ date: String, _ fires: Bool) throws {
        var books = try Books(recognized: "2025-12-15")
        books.receive("2025-12-01", .subsidy, 3_000_000)
        books.spend(date, "500101", .subsidy, 100_000)
        #expect(try books.findings(OutsideWindow(), asOf: "2028-01-31").count == (fires ? 1 : 0))
    }

    @Test func receiptsOutsideTheWindowAreNotSpending() throws {
        var books = try Books(recognized: "2025-12-15")
        books.receive("2025-12-01", .enterprise, 100_000)
        #expect(try books.findings(OutsideWindow()).isEmpty)
    }

    @Test func subsidyMovedToAnotherFundIsDiversion() throws {
        var books = try Books()
        books.receive("2025-12-20", .subsidy, 3_000_000)
        books.add("2026-02-03", [("1901", .subsidy, .debit, 500_000), ("100201", .subsidy, .credit, 500_000),
                                 ("100201", .selfRaised, .debit, 500_000), ("1901", .selfRaised, .credit, 500_000)])
        let found = try books.findings(FundDiversion())
        #expect(found.count == 1)
        #expect(found[0].fund == .subsidy && found[0].amountFen == 500_000 && found[0].line == 1)
    }

    @Test func moneyIntoTheSubsidyFundAndSubsidyReceivableAreNotDiversion() throws {
        var books = try Books()
        books.add("2025-12-16", [("121802", .subsidy, .debit, 3_000_000), ("400101", .subsidy, .credit, 3_000_000)])
        books.add("2026-02-03", [("1901", .enterprise, .debit, 500_000), ("100201", .enterprise, .credit, 500_000),
                                 ("100201", .subsidy, .debit, 500_000), ("1901", .subsidy, .credit, 500_000)])
        #expect(try books.findings(FundDiversion()).isEmpty)
        var lent = try Books()
        lent.receive("2025-12-20", .subsidy, 3_000_000)
        lent.add("2026-02-03", [("121899", .subsidy, .debit, 200_000), ("100201", .subsidy, .credit, 200_000)])
        #expect(try lent.findings(FundDiversion()).count == 1)
    }

    @Test func overdrawnFund() throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 100_000)
        books.spend("2026-01-05", "500101", .enterprise, 100_000)
        #expect(try books.findings(OverdrawnFund()).isEmpty, "spending exactly what arrived is not an overdraft")
        books.spend("2026-01-06", "500101", .enterprise, 1)
        let found = try books.findings(OverdrawnFund())
        #expect(found.count == 1)
        #expect(found[0].fund == .enterprise && found[0].amountFen == 1)
    }

    @Test func subsidySpentBeyondReceivedIsOverdrawnEvenIfPaidFromCreditors() throws {
        var books = try Books()
        books.receive("2025-12-20", .subsidy, 1_000_000)
        books.add("2026-01-05", [("500101", .subsidy, .debit, 1_000_001), ("230201", .subsidy, .credit, 1_000_001)])
        let found = try books.findings(OverdrawnFund())
        #expect(found.map(\.amountFen) == [1])
    }

    @Test(arguments: [
        (3_000_000 as Int64, "2026-01-10", 0), (2_999_999, "2026-01-10", 1), (3_000_000, "2026-06-10", 1),
    ])
    func subsidyShortfall(_ received: Int64, _ date: String, _ expected: Int) throws {
        var books = try Books(recognized: "2025-12-15")
        books.receive(date, .subsidy, received)
        let found = try books.findings(SubsidyShortfall(), asOf: "2026-11-20")
        #expect(found.count == expected)
        if received < 3_000_000 { #expect(found.first?.severity == .warning && found.first?.amountFen == 1) }
        if date == "2026-06-10" { #expect(found.first?.severity == .notice) }
    }

    @Test(arguments: [(3_000_000 as Int64, 3_000_000 as Int64, 0), (3_000_001, 0, 1), (3_000_000, 3_000_001, 1)])
    func subsidyOverCap(_ approved: Int64, _ received: Int64, _ expected: Int) throws {
        var books = try Books(subsidy: approved)
        if received > 0 { books.receive("2025-12-20", .subsidy, received) }
        let found = try books.findings(SubsidyOverCap())
        #expect(found.count == expected)
        #expect(found.allSatisfy { $0.amountFen == 1 })
    }

    @Test func shortfallIsNotJudgedBeforeTheArrivalPeriodEnds() throws {
        let books = try Books(recognized: "2025-12-15")
        #expect(try books.findings(SubsidyShortfall(), asOf: "2026-03-15").isEmpty)
        #expect(try books.findings(SubsidyShortfall(), asOf: "2026-03-16").count == 1)
    }
}
