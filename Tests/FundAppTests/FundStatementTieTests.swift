@testable import FundApp
import FundCore
import FundReports
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// Issue 15 items 1–3 and issue 16 item 1: the 专项资金收支情况表 of a studio whose subsidy was
/// booked as a receivable before it arrived, bought equipment booked to 固定资产, earned
/// interest, lent 1,000 to the self-raised fund through 内部往来 and owes part of its subsidy
/// back: approved / booked / received / outstanding shown apart, 资金执行率 and 预算执行率 apart,
/// and the closing balance ties to the bank.
@Suite("fund statement ties to the bank")
struct FundStatementTieTests {
    typealias T = TestLedger

    static func books() throws -> LedgerApp {
        let app = try T.app()
        let stamp = Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        func voucher(_ date: String, _ lines: [VoucherLine], counterparty: String = "") -> VoucherDraft {
            VoucherDraft(
                studio: "S1", date: T.date(date), lines: lines, attachments: 1, settlement: .bankTransfer, counterparty: counterparty,
                preparer: "李会计", reviewer: "王主管")
        }
        _ = try app.store.books.post(
            [
                voucher("2025-12-20", [T.line("121802", .subsidy, .debit, 3_000_000), T.line("400101", .subsidy, .credit, 3_000_000)], counterparty: "资阳市财政局"),
                voucher("2026-01-05", [T.line("100201", .subsidy, .debit, 2_000_000), T.line("121802", .subsidy, .credit, 2_000_000)], counterparty: "资阳市财政局"),
                voucher("2026-01-10", [T.line("160101", .subsidy, .debit, 800_000), T.line("100201", .subsidy, .credit, 800_000)], counterparty: "资阳某机床公司"),
                voucher("2026-03-23", [T.line("100201", .subsidy, .debit, 1_234), T.line("409901", .subsidy, .credit, 1_234)], counterparty: "银行"),
                voucher("2026-04-22", [
                    T.line("1901", .subsidy, .debit, 100_000), T.line("100201", .subsidy, .credit, 100_000),
                    T.line("100201", .selfRaised, .debit, 100_000), T.line("1901", .selfRaised, .credit, 100_000),
                ]),
                voucher("2026-06-01", [T.line("300101", .subsidy, .debit, 300_000), T.line("230701", .subsidy, .credit, 300_000)], counterparty: "资阳市财政局"),
                voucher("2026-06-15", [T.line("230701", .subsidy, .debit, 200_000), T.line("100201", .subsidy, .credit, 200_000)], counterparty: "资阳市财政局"),
            ], stamp: stamp)
        _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 1_600_000), reason: "初始计划")
        return app
    }

    @Test func theSubsidyIsApprovedBookedReceivedAndOutstandingApart() throws {
        let app = try Self.books()
        let built = try app.statements.buildReport(ReportRequest(kind: .fundStatement, studio: "S1"))
        let value = try JSONDecoder().decode(FundStatement.self, from: built.json())
        let subsidy = try #require(value.funds.first { $0.fund == .subsidy })
        #expect(subsidy.plannedFen == Money(fen: 3_000_000))
        #expect(subsidy.bookedFen == Money(fen: 3_000_000))
        #expect(subsidy.receivedFen == Money(fen: 2_000_000))  // 10,000 still a receivable
        #expect(subsidy.outstandingFen == Money(fen: 1_000_000))
        #expect(subsidy.arrivalRate == Percent(hundredths: 6_667))
        // Item 1: the lathe on 160101 is equipment spending.
        #expect(subsidy.spentFen == Money(fen: 800_000))
        #expect(subsidy.lines.first { $0.category == .equipment }?.spentFen == Money(fen: 800_000))
        // Item 3: 资金执行率 = 8,000 / 20,000; 预算执行率 = 8,000 / 16,000.
        #expect(subsidy.fundExecutionRate == Percent(hundredths: 4_000))
        #expect(subsidy.executionRate == Percent(hundredths: 5_000))
        // Issue 16 item 1: 0 + 30,000 − 10,000 + 12.34 − 8,000 − 1,000 − 2,000 = 9,012.34, the bank.
        #expect(subsidy.openingFen == .zero)
        #expect(subsidy.balanceFen == Money(fen: 901_234))
        #expect(subsidy.refundOwedFen == Money(fen: 100_000))
        let movement = { (kind: FundStatement.Movement.Kind) in subsidy.movements.filter { $0.kind == kind }.map(\.amountFen.fen) }
        #expect(movement(.receipt) == [3_000_000])
        #expect(movement(.receivable) == [-1_000_000])
        #expect(movement(.interest) == [1_234])
        #expect(movement(.spending) == [-800_000])
        #expect(movement(.transferOut) == [-100_000])
        #expect(movement(.repayment) == [-200_000])
        let selfRaised = try #require(value.funds.first { $0.fund == .selfRaised })
        #expect(selfRaised.movements.first { $0.kind == .transferIn }?.amountFen == Money(fen: 100_000))
        #expect(selfRaised.balanceFen == Money(fen: 100_000))
        // The closing balance is the trial balance's bank and cash of the fund.
        let trial = try app.books.trialBalance(studio: "S1", fund: .subsidy, from: nil, to: Period(year: 2026, month: 11))
        let bank = trial.sections[0].rows.filter { ["100201", "100202", "1001"].contains($0.account) }.reduce(0) { $0 + $1.closing.fen }
        #expect(bank == subsidy.balanceFen.fen)
        // The page says so: the labels, the tie, and the 合计 row complete.
        let text = String(decoding: try built.json(), as: UTF8.self)
        #expect(!text.isEmpty)
        let summary = try #require(built.document.sections.first?.blocks.compactMap { block -> DocumentTable? in
            if case .table(let table) = block { return table }
            return nil
        }.first)
        #expect(summary.columns.map(\.title).contains("资金执行率") && summary.columns.map(\.title).contains("预算执行率"))
        let totals = try #require(summary.rows.last)
        #expect(!totals.cells.contains(.empty))
    }

    @Test func aStatementThatDoesNotTieToTheBankIsRefused() throws {
        let app = try Self.books()
        let snapshot = try app.statements.booksSnapshot(studio: "S1", asOf: T.date("2026-11-20"))
        let range = snapshot.periodRange
        let header = ReportHeader(
            studio: snapshot.studio, hostUnit: snapshot.hostUnit, chart: snapshot.chart, fund: nil, from: range.from, to: range.to,
            preparedOn: T.date("2026-11-20"))
        let policy = try T.policy2025()
        _ = try FundStatementReport.build(header, vouchers: snapshot.vouchers, turnovers: snapshot.turnovers, budget: [], policy: policy)
        // The ledger's bank balance lost the repayment: the figures no longer tie.
        let tampered = snapshot.turnovers.filter { !($0.account == "100201" && $0.period == Period(year: 2026, month: 6)!) }
        #expect(throws: ReportInconsistency.self) {
            _ = try FundStatementReport.build(header, vouchers: snapshot.vouchers, turnovers: tampered, budget: [], policy: policy)
        }
    }

    @Test func forbiddenSpendingIsMarkedOnItsRowAndInTheDetail() throws {
        let app = try T.app()
        _ = try app.store.books.post(
            [T.receipt(fund: .subsidy, fen: 3_000_000), T.simple(date: "2026-01-20", debit: "500107", credit: "100201", fund: .subsidy, fen: 100_000)],
            stamp: Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20")))
        let statement = try JSONDecoder().decode(
            FundStatement.self, from: try app.statements.buildReport(ReportRequest(kind: .fundStatement, studio: "S1")).json())
        let wages = try #require(statement.funds.first { $0.fund == .subsidy }?.lines.first { $0.category == .wages })
        #expect(wages.note == "不得由补助资金列支")
        let detail = try JSONDecoder().decode(
            ExpenseDetail.self, from: try app.statements.buildReport(ReportRequest(kind: .expenseDetail, studio: "S1")).json())
        #expect(detail.lines.first { $0.category == .wages }?.note == "不得由补助资金列支")
    }
}
