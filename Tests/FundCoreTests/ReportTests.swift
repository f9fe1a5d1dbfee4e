import Testing

@testable import FundCore

private func turnover(
    _ account: String, _ fund: Fund, _ period: Period, debit: Int64 = 0, credit: Int64 = 0
) -> MonthTurnover {
    MonthTurnover(
        studio: Fixture.studio, fund: fund, account: account, period: period,
        debit: Money(fen: debit),
        credit: Money(fen: credit))
}

/// October (before the range) receives the subsidy; November spends from two funds; December
/// (after the range) must not show.
private let turnovers: [MonthTurnover] = [
    turnover("100201", .subsidy, month(2025, 10), debit: 3_000_000),
    turnover("400101", .subsidy, month(2025, 10), credit: 3_000_000),
    turnover("500101", .subsidy, month(2025, 11), debit: 1_000_000),
    turnover("100201", .subsidy, month(2025, 11), credit: 1_000_000),
    turnover("100201", .enterprise, month(2025, 11), debit: 500_000),
    turnover("400102", .enterprise, month(2025, 11), credit: 500_000),
    turnover("500102", .enterprise, month(2025, 11), debit: 200_000),
    turnover("100201", .enterprise, month(2025, 11), credit: 200_000),
    turnover("500106", .subsidy, month(2025, 12), debit: 100),
    turnover("100201", .subsidy, month(2025, 12), credit: 100),
    turnover("500109", .selfRaised, month(2025, 11), debit: 700),
    turnover("100201", .selfRaised, month(2025, 11), credit: 700),
]

private func trialBalance(funds: [Fund] = [.subsidy, .enterprise]) throws -> TrialBalance {
    try TrialBalance.build(
        studio: Fixture.studio, chart: Fixture.chart, turnovers: turnovers, funds: funds,
        from: month(2025, 11),
        to: month(2025, 11))
}

private struct RowValues: Equatable, CustomStringConvertible {
    let account: String
    let opening: Int64, debit: Int64, credit: Int64, closing: Int64

    init(_ account: String, _ opening: Int64, _ debit: Int64, _ credit: Int64, _ closing: Int64) {
        self.account = account
        self.opening = opening
        self.debit = debit
        self.credit = credit
        self.closing = closing
    }

    init(_ row: TrialBalanceRow) {
        self.init(row.account, row.opening.fen, row.debit.fen, row.credit.fen, row.closing.fen)
    }

    var description: String { "\(account) \(opening) \(debit) \(credit) \(closing)" }
}

@Suite("Trial balance")
struct TrialBalanceTests {
    @Test func subsidySection() throws {
        let section = try trialBalance().sections[0]
        #expect(section.fund == .subsidy)
        #expect(
            section.rows.map(RowValues.init) == [
                RowValues("1002", 3_000_000, 0, 1_000_000, 2_000_000),
                RowValues("100201", 3_000_000, 0, 1_000_000, 2_000_000),
                RowValues("4001", -3_000_000, 0, 0, -3_000_000),
                RowValues("400101", -3_000_000, 0, 0, -3_000_000),
                RowValues("5001", 0, 1_000_000, 0, 1_000_000),
                RowValues("500101", 0, 1_000_000, 0, 1_000_000),
            ])
        #expect(section.rows.map(\.isLeaf) == [false, true, false, true, false, true])
        #expect(section.rows.map(\.level) == [1, 2, 1, 2, 1, 2])
        #expect(section.rows[2].normalSide == .credit)
        #expect(
            section.totals
                == TrialBalanceTotals(
                    opening: .zero, debit: Money(fen: 1_000_000), credit: Money(fen: 1_000_000),
                    closing: .zero))
        #expect(section.totals.isBalanced)
    }

    @Test func enterpriseSectionStartsFromZero() throws {
        let section = try trialBalance().sections[1]
        #expect(section.fund == .enterprise)
        #expect(
            section.rows.map(RowValues.init) == [
                RowValues("1002", 0, 500_000, 200_000, 300_000),
                RowValues("100201", 0, 500_000, 200_000, 300_000),
                RowValues("4001", 0, 0, 500_000, -500_000),
                RowValues("400102", 0, 0, 500_000, -500_000),
                RowValues("5001", 0, 200_000, 0, 200_000),
                RowValues("500102", 0, 200_000, 0, 200_000),
            ])
        #expect(section.totals.isBalanced)
    }

    @Test func combinedSectionIsTheSumOfTheFunds() throws {
        let balance = try trialBalance()
        #expect(balance.sections.map(\.fund) == [.subsidy, .enterprise, nil])
        let combined = balance.sections[2]
        var expected: [String: RowValues] = [:]
        for row in balance.sections[0...1].flatMap(\.rows) {
            let old = expected[row.account] ?? RowValues(row.account, 0, 0, 0, 0)
            expected[row.account] = RowValues(
                row.account, old.opening + row.opening.fen, old.debit + row.debit.fen,
                old.credit + row.credit.fen, old.closing + row.closing.fen)
        }
        #expect(
            combined.rows.map(RowValues.init) == expected.values.sorted { $0.account < $1.account })
        #expect(combined.totals.debit == Money(fen: 1_700_000))
        #expect(combined.totals.credit == Money(fen: 1_700_000))
        #expect(combined.totals.isBalanced)
        // The self-raised fund was not asked for and must not leak into the combined section.
        #expect(!combined.rows.contains { $0.account == "500109" })
    }

    @Test func singleFundHasNoCombinedSection() throws {
        let balance = try trialBalance(funds: [.selfRaised])
        #expect(balance.sections.count == 1)
        #expect(
            balance.sections[0].rows.map(RowValues.init) == [
                RowValues("1002", 0, 0, 700, -700),
                RowValues("100201", 0, 0, 700, -700),
                RowValues("5001", 0, 700, 0, 700),
                RowValues("500109", 0, 700, 0, 700),
            ])
    }

    @Test func laterRangeCarriesEverythingIntoOpening() throws {
        let balance = try TrialBalance.build(
            studio: Fixture.studio, chart: Fixture.chart, turnovers: turnovers, funds: [.subsidy],
            from: month(2026, 1), to: month(2026, 1))
        let rows = balance.sections[0].rows
        #expect(rows.allSatisfy { $0.debit.isZero && $0.credit.isZero && $0.opening == $0.closing })
        #expect(rows.first { $0.account == "100201" }?.opening == Money(fen: 1_999_900))
        #expect(balance.sections[0].totals.isBalanced)
    }

    @Test func threeLevelAccountsRollUpToEveryAncestor() throws {
        let chart = try ChartOfAccounts.parseCSV(
            """
            code,name,type,side,role,category,funds
            1002,银行存款,asset,debit,,,
            100201,专户,asset,debit,,,
            10020101,专户一,asset,debit,bank,,
            10020102,专户二,asset,debit,bank,,
            4001,收入,revenue,credit,fund-receipts,,
            """, file: "chart.csv")
        let balance = try TrialBalance.build(
            studio: Fixture.studio, chart: chart,
            turnovers: [
                turnover("10020101", .subsidy, month(2025, 11), debit: 100),
                turnover("10020102", .subsidy, month(2025, 11), debit: 50),
                turnover("4001", .subsidy, month(2025, 11), credit: 150),
            ],
            funds: [.subsidy], from: month(2025, 11), to: month(2025, 11))
        #expect(
            balance.sections[0].rows.map(RowValues.init) == [
                RowValues("1002", 0, 150, 0, 150),
                RowValues("100201", 0, 150, 0, 150),
                RowValues("10020101", 0, 100, 0, 100),
                RowValues("10020102", 0, 50, 0, 50),
                RowValues("4001", 0, 0, 150, -150),
            ])
        #expect(balance.sections[0].totals.debit == Money(fen: 150))
    }
}

// MARK: - 明细账

private func entry(_ date: CalendarDate, number: Int, _ side: Side, _ fen: Int64) -> LedgerEntry {
    let ref = VoucherRef(
        studio: Fixture.studio, period: date.period, voucherClass: .ji, number: number)
    return LedgerEntry(
        ref: ref, date: date, lineNumber: 1, line: line("100201", side, fen, memo: "摘要\(number)"),
        counterparty: "")
}

private struct LedgerRowValues: Equatable, CustomStringConvertible {
    let kind: AccountLedgerRow.Kind
    let date: CalendarDate?
    let debit: Int64, credit: Int64, balance: Int64

    init(
        _ kind: AccountLedgerRow.Kind, _ date: CalendarDate?, _ debit: Int64, _ credit: Int64,
        _ balance: Int64
    ) {
        self.kind = kind
        self.date = date
        self.debit = debit
        self.credit = credit
        self.balance = balance
    }

    init(_ row: AccountLedgerRow) {
        self.init(row.kind, row.date, row.debit.fen, row.credit.fen, row.balance.fen)
    }

    var description: String { "\(kind) \(date?.iso ?? "-") \(debit) \(credit) \(balance)" }
}

@Suite("Account ledger (明细账)")
struct AccountLedgerTests {
    @Test func runningBalanceAndSummaryRows() throws {
        let account = try #require(Fixture.chart["100201"])
        let ledger = try AccountLedger.build(
            account: account, opening: Money(fen: 3_000_000),
            openingYearTurnover: (debit: Money(fen: 3_000_000), credit: .zero),
            entries: [
                entry(day(2025, 11, 3), number: 1, .credit, 1_000_000),
                entry(day(2025, 11, 20), number: 2, .debit, 500_000),
                entry(day(2025, 12, 5), number: 1, .credit, 200_000),
                entry(day(2026, 1, 10), number: 1, .debit, 100),
            ],
            from: month(2025, 11))
        #expect(
            ledger.rows.map(LedgerRowValues.init) == [
                LedgerRowValues(.opening, day(2025, 11, 1), 0, 0, 3_000_000),
                LedgerRowValues(.entry, day(2025, 11, 3), 0, 1_000_000, 2_000_000),
                LedgerRowValues(.entry, day(2025, 11, 20), 500_000, 0, 2_500_000),
                LedgerRowValues(.monthTotal, day(2025, 11, 30), 500_000, 1_000_000, 2_500_000),
                LedgerRowValues(.yearTotal, day(2025, 11, 30), 3_500_000, 1_000_000, 2_500_000),
                LedgerRowValues(.entry, day(2025, 12, 5), 0, 200_000, 2_300_000),
                LedgerRowValues(.monthTotal, day(2025, 12, 31), 0, 200_000, 2_300_000),
                LedgerRowValues(.yearTotal, day(2025, 12, 31), 3_500_000, 1_200_000, 2_300_000),
                LedgerRowValues(.entry, day(2026, 1, 10), 100, 0, 2_300_100),
                LedgerRowValues(.monthTotal, day(2026, 1, 31), 100, 0, 2_300_100),
                LedgerRowValues(.yearTotal, day(2026, 1, 31), 100, 0, 2_300_100),
            ])
        #expect(
            ledger.rows.map(\.memo) == [
                "期初余额", "摘要1", "摘要2", "本月合计", "本年累计", "摘要1", "本月合计", "本年累计", "摘要1", "本月合计",
                "本年累计",
            ])
        #expect(ledger.rows[1].ref?.number == 1)
        #expect(ledger.rows[1].fund == .subsidy)
        #expect(ledger.rows[3].fund == nil)
    }

    /// `openingYearTurnover` belongs to the year of `from`; when the first entry falls in a later
    /// year, 本年累计 of that year must start from zero like every other new year.
    @Test func firstEntryInALaterYearStartsANewYearTotal() throws {
        let account = try #require(Fixture.chart["100201"])
        let ledger = try AccountLedger.build(
            account: account, opening: Money(fen: 3_000_000),
            openingYearTurnover: (debit: Money(fen: 3_000_000), credit: .zero),
            entries: [entry(day(2026, 1, 10), number: 1, .debit, 100)],
            from: month(2025, 11))
        #expect(
            ledger.rows.map(LedgerRowValues.init) == [
                LedgerRowValues(.opening, day(2025, 11, 1), 0, 0, 3_000_000),
                LedgerRowValues(.entry, day(2026, 1, 10), 100, 0, 3_000_100),
                LedgerRowValues(.monthTotal, day(2026, 1, 31), 100, 0, 3_000_100),
                LedgerRowValues(.yearTotal, day(2026, 1, 31), 100, 0, 3_000_100),
            ])
    }

    @Test func noEntriesGivesOnlyTheOpeningRow() throws {
        let account = try #require(Fixture.chart["100201"])
        let ledger = try AccountLedger.build(
            account: account, opening: Money(fen: 42),
            openingYearTurnover: (debit: .zero, credit: .zero),
            entries: [], from: month(2025, 11))
        #expect(
            ledger.rows.map(LedgerRowValues.init) == [
                LedgerRowValues(.opening, day(2025, 11, 1), 0, 0, 42)
            ])
    }

    @Test(
        "direction follows the balance sign",
        arguments: [(Int64(1), "借"), (-1, "贷"), (0, "平")])
    func direction(balance: Int64, text: String) {
        let row = AccountLedgerRow(
            kind: .opening, date: nil, ref: nil, memo: "", fund: nil, debit: .zero, credit: .zero,
            balance: Money(fen: balance))
        #expect(row.direction == text)
    }
}
