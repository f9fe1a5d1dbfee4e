@testable import FundApp
import FundCore
import FundRender
import FundExchange
import FundReports
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// Report builders over real books, with figures worked out by hand.
@Suite("statements")
struct StatementTests {
    /// S1: subsidy 30,000 received (2025-12), enterprise 10,000 received; equipment 12,000
    /// from subsidy (2026-01), wages 1,000 from subsidy (forbidden), travel 500 from enterprise
    /// (2026-02), then the wages voucher reversed in red (2026-03).
    static func books() throws -> LedgerApp {
        let app = try TestLedger.app()
        _ = try app.store.books.post(
            [
                TestLedger.receipt(fund: .subsidy, fen: 3_000_000),
                TestLedger.receipt(date: "2025-12-22", fund: .enterprise, fen: 1_000_000),
                TestLedger.simple(date: "2026-01-10", debit: "500101", credit: "100201", fund: .subsidy, fen: 1_200_000, memo: "购置数控车床"),
                TestLedger.simple(date: "2026-01-20", debit: "500107", credit: "100201", fund: .subsidy, fen: 100_000, memo: "发放工资"),
                TestLedger.simple(date: "2026-02-05", debit: "500106", credit: "100201", fund: .enterprise, fen: 50_000, memo: "赴成都交流差旅"),
            ], stamp: Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: TestLedger.date("2026-11-20")))
        _ = try app.books.reverse(
            VoucherRef(studio: "S1", period: try Period.parse("2026-01"), voucherClass: .ji, number: 2),
            date: TestLedger.date("2026-03-02"), reason: "工资不得列支补助资金", correction: nil, allowUnreviewed: true)
        _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 2_000_000), reason: "初始计划")
        _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: .rnd, amount: Money(fen: 1_000_000), reason: "初始计划")
        _ = try app.statements.setBudget(studio: "S1", fund: .enterprise, category: .travel, amount: Money(fen: 40_000), reason: "初始计划")
        return app
    }

    static func decode<T: Decodable>(_ type: T.Type, _ built: AnyReport) throws -> T {
        try JSONDecoder().decode(type, from: built.json())
    }

    @Test("专项资金收支情况表: received, spent by line against budget, rates, reversal netted")
    func fundStatement() throws {
        let app = try Self.books()
        let built = try app.statements.buildReport(ReportRequest(kind: .fundStatement, studio: "S1"))
        let value = try Self.decode(FundStatement.self, built)
        let subsidy = try #require(value.funds.first { $0.fund == .subsidy })
        #expect(subsidy.plannedFen == Money(fen: 3_000_000))
        #expect(subsidy.receivedFen == Money(fen: 3_000_000))
        #expect(subsidy.receipts.count == 1)
        // wages 1,000 posted and reversed: spending 12,000 only
        #expect(subsidy.spentFen == Money(fen: 1_200_000))
        #expect(subsidy.balanceFen == Money(fen: 1_800_000))
        #expect(subsidy.arrivalRate == Percent(hundredths: 10_000))
        #expect(subsidy.executionRate == Percent(hundredths: 4_000))  // 12,000 / 30,000
        let equipment = try #require(subsidy.lines.first { $0.category == .equipment })
        #expect(equipment.budgetFen == Money(fen: 2_000_000))
        #expect(equipment.executionOfBudget == Percent(hundredths: 6_000))
        #expect(equipment.remainingFen == Money(fen: 800_000))
        let wages = try #require(subsidy.lines.first { $0.category == .wages })
        #expect(wages.spentFen == .zero)
        #expect(wages.eligibility == .forbidden)
        let rnd = try #require(subsidy.lines.first { $0.category == .rnd })
        #expect(rnd.spentFen == .zero && rnd.budgetFen == Money(fen: 1_000_000))
        let enterprise = try #require(value.funds.first { $0.fund == .enterprise })
        #expect(enterprise.plannedFen == Money(fen: 40_000))  // the budget lines' total
        #expect(enterprise.arrivalRate == Percent(hundredths: 250_000))  // 10,000 / 400
        #expect(enterprise.spentFen == Money(fen: 50_000))
        let travel = try #require(enterprise.lines.first)
        #expect(travel.remainingFen == Money(fen: -10_000))  // over budget by 100
        #expect(value.receivedFen == Money(fen: 4_000_000))
        #expect(value.spentFen == Money(fen: 1_250_000))
        let selfRaised = try #require(value.funds.first { $0.fund == .selfRaised })
        #expect(selfRaised.plannedFen == nil && selfRaised.arrivalRate == nil && selfRaised.executionRate == nil)
    }

    @Test("科目余额表: split columns, leaf totals as formulas over the leaf rows, balanced")
    func trialBalance() throws {
        let app = try Self.books()
        let built = try app.statements.buildReport(ReportRequest(kind: .trialBalance, studio: "S1", fund: .subsidy))
        let value = try Self.decode(TrialBalanceStatement.self, built)
        let section = try #require(value.sections.first)
        #expect(value.sections.count == 1 && section.fund == .subsidy && section.balanced)
        let bank = try #require(section.lines.first { $0.account == "100201" })
        #expect(bank.debitFen == Money(fen: 3_000_000))
        #expect(bank.creditFen == Money(fen: 1_200_000))  // 12,000 + 1,000 − 1,000 (red)
        #expect(bank.closingDebitFen == Money(fen: 1_800_000))
        let revenue = try #require(section.lines.first { $0.account == "400101" })
        #expect(revenue.closingCreditFen == Money(fen: 3_000_000) && revenue.closingDebitFen == .zero)
        #expect(section.totals.debitFen == section.totals.creditFen)
        #expect(section.totals.closingDebitFen == Money(fen: 3_000_000))  // bank 18,000 + equipment 12,000
        let table = try #require(built.document.tables.first)
        let total = try #require(table.rows.last)
        #expect(total.role == .total)
        guard case .moneySum(let closingDebit, let rows) = total.cells[6] else {
            Issue.record("closing debit total is a sum cell")
            return
        }
        #expect(closingDebit == Money(fen: 3_000_000))
        // The sum covers exactly the leaf rows (not 1002, which would count the bank twice).
        let leafCodes = rows.map { table.rows[$0].cells[0] }
        #expect(leafCodes.contains(.text("100201")) && !leafCodes.contains(.text("1002")))
        #expect(rows.reduce(Money.zero) { (try? $0.adding(table.rows[$1].cells[6].money ?? .zero)) ?? $0 } == closingDebit)
    }

    @Test("总账 and 明细账: 本月合计 / 本年累计 and running balances with 借/贷")
    func ledgers() throws {
        let app = try Self.books()
        let general = try Self.decode(
            GeneralLedgerStatement.self, try app.statements.buildReport(ReportRequest(kind: .generalLedger, studio: "S1", fund: .subsidy)))
        let bank = try #require(general.accounts.first { $0.code == "1002" })
        #expect(bank.months.map(\.period.iso) == ["2025-12", "2026-01", "2026-03"])
        #expect(bank.months[1].yearDebitFen == .zero && bank.months[1].yearCreditFen == Money(fen: 1_300_000))  // new year restarts
        #expect(bank.months[2].yearCreditFen == Money(fen: 1_200_000))  // the red −1,000 reduces the year's credits
        #expect(bank.closingFen == Money(fen: 1_800_000) && bank.months.last?.direction == .debit)
        let revenue = try #require(general.accounts.first { $0.code == "4001" })
        #expect(revenue.months.last?.direction == .credit)

        let subsidiary = try Self.decode(
            SubsidiaryLedgerStatement.self,
            try app.statements.buildReport(ReportRequest(kind: .subsidiaryLedger, studio: "S1", fund: .subsidy, account: "100201")))
        let lines = try #require(subsidiary.accounts.first).lines
        #expect(lines.first?.kind == .opening)
        #expect(lines.filter { $0.kind == .entry }.map(\.balanceFen.fen) == [3_000_000, 1_800_000, 1_700_000, 1_800_000])
        #expect(lines.filter { $0.kind == .monthTotal }.count == 3)
        #expect(lines.last?.kind == .yearTotal && lines.last?.balanceFen == Money(fen: 1_800_000))
    }

    @Test("支出明细表 lists every spending line with eligibility; the red line is negative")
    func expenseDetail() throws {
        let app = try Self.books()
        let value = try Self.decode(ExpenseDetail.self, try app.statements.buildReport(ReportRequest(kind: .expenseDetail, studio: "S1")))
        #expect(value.lines.count == 4)
        let red = try #require(value.lines.first { $0.amountFen.isNegative })
        #expect(red.amountFen == Money(fen: -100_000) && red.note.hasPrefix("冲销 2026-01 记-0002") && red.eligibility == .forbidden)
        #expect(value.totalsFen["subsidy"] == Money(fen: 1_200_000))
        #expect(value.totalFen == Money(fen: 1_250_000))
    }

    @Test("记账凭证 prints carry both totals and the reversal note")
    func voucherPrints() throws {
        let app = try Self.books()
        let built = try app.statements.buildReport(ReportRequest(kind: .vouchers, studio: "S1"))
        let prints = built.document.sections.flatMap(\.blocks).compactMap { block -> VoucherPrint? in
            if case .voucher(let print) = block { return print }
            return nil
        }
        #expect(prints.count == 6)
        let red = try #require(prints.first { $0.note != nil })
        #expect(red.debitTotal == Money(fen: -100_000) && red.note?.contains("2026年1月 记-0002") == true)
        #expect(prints.allSatisfy { $0.debitTotal == $0.creditTotal })
        #expect(prints[0].signatures.map(\.label) == ["会计主管", "记账", "审核", "出纳", "制单"])
        #expect(prints[0].signatures.last?.value == "李会计")
    }

    @Test("the spending chart runs over the whole window and stops at the as-of month")
    func spendingChart() throws {
        let app = try Self.books()
        let built = try app.statements.buildReport(ReportRequest(kind: .spendingChart, studio: "S1", asOf: TestLedger.date("2026-02-15")))
        let value = try Self.decode(SpendingCurve.self, built)
        #expect(value.points.map(\.period.iso) == ["2025-12", "2026-01", "2026-02"])
        #expect(value.points[1].cumulativeFen["subsidy"] == Money(fen: 1_300_000))
        #expect(value.points[2].cumulativeFen["enterprise"] == Money(fen: 50_000))
        guard case .chart(let chart) = built.document.sections[0].blocks[0] else {
            Issue.record("the first block is the chart")
            return
        }
        #expect(chart.months.first?.iso == "2025-12" && chart.months.last?.iso == "2027-12")  // window 2025-12-15 … 2027-12-14
        #expect(chart.series.allSatisfy { $0.points.count == 3 })
        #expect(chart.references.first?.amount == Money(fen: 3_000_000))
    }

    @Test("the findings report groups by severity and article and shows the reviews")
    func findingsReport() throws {
        let app = try Self.books()
        _ = try app.store.books.post(
            [TestLedger.simple(date: "2026-04-10", debit: "500108", credit: "100201", fund: .subsidy, fen: 80_000, memo: "招待")],
            stamp: Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: TestLedger.date("2026-11-20")))
        let result = try app.compliance.check(studio: "S1", asOf: TestLedger.date("2026-11-20"))
        let entertainment = try #require(result.findings.first { $0.rule == "SUB-001" })
        try app.compliance.note(finding: entertainment.key, action: .explain, text: "误记，将调整至自筹资金")
        let value = try Self.decode(
            FindingsStatement.self, try app.statements.buildReport(ReportRequest(kind: .findings, studio: "S1", asOf: TestLedger.date("2026-11-20"))))
        #expect(value.groups.first?.severity == .violation)
        #expect(value.groups.flatMap(\.findings).count == result.findings.count)
        let reviewed = value.groups.flatMap(\.findings).first { $0.key == entertainment.key }
        #expect(reviewed?.review?.explanation == "误记，将调整至自筹资金")
        let order = value.groups.filter { $0.severity == .violation }.map(\.article)
        #expect(order == order.sorted(by: FindingsReport.articleOrder))
    }

    @Test("budget revisions are kept and logged; an unchanged amount writes nothing")
    func budgets() throws {
        let app = try Self.books()
        #expect(try app.statements.setBudget(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 2_000_000), reason: "") == 0)
        #expect(try app.statements.setBudget(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 2_500_000), reason: "增购设备") == 1)
        let current = try app.statements.budget(studio: "S1")
        #expect(current.first { $0.fund == .subsidy && $0.category == .equipment }?.amount == Money(fen: 2_500_000))
        let history = try app.statements.budgetHistory(studio: "S1").filter { $0.line.category == .equipment }
        #expect(history.map(\.revision) == [1, 2])
        let log = try app.admin.log(studio: "S1", action: "budget.set")
        #expect(log.count == 4)
        #expect(log.last?.detail.contains("20000.00 → 25000.00") == true && log.last?.detail.contains("增购设备") == true)
        #expect(throws: (any Error).self) { try app.store.unsafeExecuteForTesting("UPDATE budget_revision SET amount_fen = 1") }
        #expect(throws: (any Error).self) { try app.store.unsafeExecuteForTesting("DELETE FROM budget_revision") }
        #expect(try app.admin.verify().isClean)
    }

    @Test("a bad budget CSV names file, line and column, and writes nothing")
    func budgetImport() throws {
        let app = try TestLedger.app()
        let csv = "资金来源,支出类别,预算金额\n补助资金,培训设施设备,20000\n补助,茶水,100\n企业支持资金,差旅,-5\n补助资金,培训设施设备,1\n"
        do {
            _ = try app.statements.importBudget(csv: Data(csv.utf8), file: "plan.csv", studio: "S1", reason: "")
            Issue.record("the import is rejected")
        } catch let error as RejectionList {
            #expect(error.items.map(\.line) == [3, 4, 5])
            #expect(error.items.map(\.rejection.field) == ["支出类别", "预算金额", "支出类别"])
            #expect(error.items.allSatisfy { $0.file == "plan.csv" })
            #expect(error.items[2].rejection.message.contains("第 2 行"))
        }
        #expect(try app.statements.budget(studio: "S1").isEmpty)
        let good = "fund,category,amount\nsubsidy,equipment,\"20,000.00\"\n自筹,带徒传技培训,800\n"
        #expect(try app.statements.importBudget(csv: TextEncoding.encode(good, as: .gb18030), file: "plan.csv", studio: "S1", reason: "") == 2)
        #expect(try app.statements.budget(studio: "S1").map(\.amount.fen) == [2_000_000, 80_000])
    }
}
