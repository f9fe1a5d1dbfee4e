import Foundation
@testable import FundApp
import FundCore
import FundRender
import FundReports
@_spi(Testing) @testable import FundStore
import FundTestSupport
import Testing

/// Issue 18: 平行记账 for public-institution hosts (政府会计制度, 财会〔2017〕25号). A college
/// studio across its construction window: receipts, capitalised equipment, training spending,
/// an expense on credit paid later, an advance settled, a transfer between funds, a red
/// reversal and the year-end closing; every voucher gets its budget lines, the three budget
/// statements tie, `verify` and the checker agree.
@Suite("issue 18: 平行记账 for public-institution hosts", .serialized)
struct ParallelBooksTests {
    static let college = "12512000MB1C72496Q"

    static func collegeApp() throws -> LedgerApp {
        let app = try T.app(studios: ["S1"])
        _ = try app.register.addHostUnit(creditCode: college, name: "资阳测试职业技术学院", kind: "college", county: "雁江区")
        _ = try app.register.addStudio(
            code: "C1", name: "C1 中式烹调工作室", hostUnit: college, leader: "张桂芳", field: "中式烹调", recognized: "2025-11-20",
            subsidy: "30000")
        return app
    }

    static func voucher(_ date: String, _ lines: [VoucherLine], studio: String = "C1") -> VoucherDraft {
        VoucherDraft(studio: studio, date: T.date(date), lines: lines, attachments: 1, settlement: .bankTransfer, preparer: "赵敏", reviewer: "孙海涛")
    }

    /// The budget lines of a posted voucher, as (account, fund, side, fen).
    static func budgetLines(_ voucher: PostedVoucher, _ chart: ChartOfAccounts) -> [String] {
        voucher.draft.lines.filter { chart[$0.account]?.type.isBudget == true }
            .map { "\($0.side.chinese) \($0.account) \($0.fund.rawValue) \($0.amount.fen)" }
    }

    static let scenario: [VoucherDraft] = [
        voucher("2025-12-04", [T.line("100201", .selfRaised, .debit, 2_000_000), T.line("400103", .selfRaised, .credit, 2_000_000)]),
        voucher("2025-12-16", [T.line("100201", .subsidy, .debit, 3_000_000), T.line("400101", .subsidy, .credit, 3_000_000)]),
        // Capitalised equipment (固定资产), paid from the subsidy.
        voucher("2025-12-20", [T.line("160101", .subsidy, .debit, 1_200_000), T.line("100201", .subsidy, .credit, 1_200_000)]),
        // Training materials, paid from self-raised money.
        voucher("2025-12-22", [T.line("500104", .selfRaised, .debit, 200_000), T.line("100201", .selfRaised, .credit, 200_000)]),
        // Research materials on credit (no cash: no budget lines), paid in January.
        voucher("2025-12-24", [T.line("500102", .subsidy, .debit, 300_000), T.line("230201", .subsidy, .credit, 300_000)]),
        // An advance to the leader for travel, settled with 100.00 back.
        voucher("2025-12-26", [T.line("121801", .selfRaised, .debit, 80_000), T.line("100201", .selfRaised, .credit, 80_000)]),
        voucher("2026-01-08", [
            T.line("500106", .selfRaised, .debit, 70_000), T.line("100201", .selfRaised, .debit, 10_000), T.line("121801", .selfRaised, .credit, 80_000),
        ]),
        voucher("2026-01-10", [T.line("230201", .subsidy, .debit, 300_000), T.line("100201", .subsidy, .credit, 300_000)]),
        // 1,000.00 moved from self-raised money to enterprise support (内部往来).
        voucher("2026-01-12", [
            T.line("1901", .selfRaised, .debit, 100_000), T.line("100201", .selfRaised, .credit, 100_000),
            T.line("100201", .enterprise, .debit, 100_000), T.line("1901", .enterprise, .credit, 100_000),
        ]),
    ]

    @Test("each kind of voucher gets the budget lines of 政府会计制度, and nothing where no cash moves")
    func derivedLines() throws {
        let app = try Self.collegeApp()
        let chart = try app.register.chart()
        let posted = try app.store.books.post(Self.scenario, stamp: Stamp(user: "赵敏", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20")))
        let lines = posted.map { Self.budgetLines($0, chart) }
        #expect(lines[0] == ["借 800102 self-raised 2000000", "贷 610101 self-raised 2000000"], "自筹 → 事业预算收入")
        #expect(lines[1] == ["借 800102 subsidy 3000000", "贷 660101 subsidy 3000000"], "补助 → 非同级财政拨款预算收入 by default")
        #expect(lines[2] == ["借 720101 subsidy 1200000", "贷 800102 subsidy 1200000"], "固定资产 → 事业支出—培训设施设备购置")
        #expect(lines[3] == ["借 720104 self-raised 200000", "贷 800102 self-raised 200000"])
        #expect(lines[4].isEmpty, "an expense on credit moves no cash")
        #expect(lines[5] == ["借 720198 self-raised 80000", "贷 800102 self-raised 80000"], "an advance is spent (暂付款项) when paid")
        #expect(lines[6] == ["借 800102 self-raised 10000", "借 720106 self-raised 70000", "贷 720198 self-raised 80000"], "settled: reclassified")
        #expect(lines[7] == ["借 720102 subsidy 300000", "贷 800102 subsidy 300000"], "a payable paid alone: 事业支出 of what raised it (技术研发)")
        #expect(lines[8] == [
            "借 800102 enterprise 100000", "贷 820106 enterprise 100000", "借 820106 self-raised 100000", "贷 800102 self-raised 100000",
        ], "资金调剂 under 非财政拨款结转, fund by fund")
        #expect(try app.admin.verify().isClean)
        // The doors (import, the voucher desk) look the payable up in the books the same way.
        let paying = Self.voucher("2026-02-10", [T.line("230201", .subsidy, .debit, 100), T.line("100201", .subsidy, .credit, 100)])
        #expect(try app.books.withBudgetLines(paying).lines.map(\.account) == ["230201", "100201", "720102", "800102"])
    }

    @Test("the three budget statements tie, a red reversal and the year-end closing included; BUD-001 and verify stay clean")
    func statementsTie() throws {
        let app = try Self.collegeApp()
        let stamp = Stamp(user: "赵敏", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        let posted = try app.store.books.post(Self.scenario, stamp: stamp)
        // The training voucher red-reversed within its year: its budget lines are reversed with it.
        let reversal = try app.books.reverse(posted[3].ref, date: T.date("2025-12-28"), reason: "误记", correction: nil, reviewer: "孙海涛")
        let chart = try app.register.chart()
        #expect(Self.budgetLines(reversal[0], chart) == ["借 720104 self-raised -200000", "贷 800102 self-raised -200000"])
        // The 2025 closing: 预算收入 and 事业支出 into 本年收支结转, on into 累计结转.
        let closing = try app.books.closeBudgetYear(studio: "C1", year: 2025, reviewer: "孙海涛")
        #expect(closing.count == 1 && closing[0].draft.voucherClass == .zhuan && closing[0].draft.date == T.date("2025-12-31"))
        #expect(try app.admin.verify().isClean)
        #expect(try app.compliance.check(studio: "C1").findings.filter { $0.rule == "BUD-001" }.isEmpty)

        // 2025: the closing is not income or spending of the year.
        let year2025 = try app.statements.buildReport(ReportRequest(kind: .budgetStatement, studio: "C1", from: Period(year: 2025, month: 11)!, to: Period(year: 2025, month: 12)!))
        let value = try #require(year2025.value as? BudgetStatementValue)
        let subsidy = try #require(value.parts.first { $0.fund == "subsidy" })
        #expect(subsidy.revenueFen == Money(fen: 3_000_000) && subsidy.spendingFen == Money(fen: 1_200_000))
        #expect(subsidy.closingBudgetCashFen == Money(fen: 1_800_000) && subsidy.closingCashFen == Money(fen: 1_800_000))
        // Accrual surplus 30,000 − 3,000 (research on credit) = 27,000; budget surplus 18,000;
        // the difference: equipment bought 12,000, payables up 3,000 (negative).
        #expect(subsidy.accrualSurplusFen == Money(fen: 2_700_000) && subsidy.budgetSurplusFen == Money(fen: 1_800_000))
        #expect(subsidy.fixedAssetsFen == Money(fen: 1_200_000) && subsidy.payablesFen == Money(fen: -300_000))
        let selfRaised = try #require(value.parts.first { $0.fund == "self-raised" })
        #expect(selfRaised.advancesFen == Money(fen: 80_000), "an advance still open at the year's end")
        // Whole window: the statements build in every format and tie (they refuse otherwise).
        for kind in ReportKind.budgetKinds {
            for format in [OutputFormat.csv, .html, .json, .xlsx, .pdf] {
                #expect(try !app.statements.renderReport(ReportRequest(kind: kind, studio: "C1"), format: format).isEmpty)
            }
        }
        let whole = try #require(try app.statements.buildReport(ReportRequest(kind: .budgetCarryover, studio: "C1")).value as? BudgetStatementValue)
        let combined = try #require(whole.parts.last)
        #expect(combined.fund == "combined" && combined.transferFen.isZero, "transfers between funds cancel out")
        #expect(combined.closingBudgetCashFen == combined.closingCashFen)
        // After the closing, 累计结转 equals 资金结存 for each fund.
        let balances = try app.statements.buildReport(ReportRequest(kind: .trialBalance, studio: "C1", to: Period(year: 2025, month: 12)!))
        let trial = try #require(balances.value as? TrialBalanceStatement)
        for section in trial.sections where section.fund != nil {
            let carried = section.rows.first { $0.account == "820105" }?.closingFen.negated ?? .zero
            let cash = section.rows.first { $0.account == "800102" }?.closingFen ?? .zero
            #expect(carried == cash, "\(section.title)")
            #expect(section.balanced)
        }
        // The three statements of the whole window as golden CSVs (Fixtures/golden/parallel/;
        // WORKSHOP_LEDGER_REGENERATE_GOLDEN=1 rewrites them).
        for kind in ReportKind.budgetKinds {
            let csv = try app.statements.renderReport(ReportRequest(kind: kind, studio: "C1"), format: .csv)
            let golden = GoldenTests.golden.appendingPathComponent("parallel/C1-\(kind.chineseTitle).csv")
            if GoldenTests.regenerate {
                try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
                try csv.write(to: golden)
            } else {
                #expect(csv == (try? Data(contentsOf: golden)), "\(golden.lastPathComponent) differs from its golden file")
            }
        }
        // Enterprise studios have no budget statements.
        #expect(throws: Rejection.self) { try app.statements.buildReport(ReportRequest(kind: .budgetStatement, studio: "S1")) }
        #expect(try app.statements.bookKinds(studio: "S1") == ReportKind.bookKinds)
        #expect(try app.statements.bookKinds(studio: "C1") == ReportKind.bookKinds + ReportKind.budgetKinds)
    }

    @Test("posting refuses budget lines that do not restate the cash (V035, V034) and budget lines of an enterprise (V036)")
    func postingRefuses() throws {
        let app = try Self.collegeApp()
        let stamp = Stamp(user: "赵敏", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        let wrongCash = Self.voucher("2025-12-16", [
            T.line("100201", .subsidy, .debit, 3_000_000), T.line("400101", .subsidy, .credit, 3_000_000),
            T.line("800102", .subsidy, .debit, 2_000_000), T.line("660101", .subsidy, .credit, 2_000_000),
        ])
        #expect { try app.store.books.post([wrongCash], stamp: stamp) } throws: { ($0 as? Rejection)?.code == .budgetCashMismatch }
        let enterprise = Self.voucher("2026-01-10", [
            T.line("100201", .subsidy, .debit, 100), T.line("400101", .subsidy, .credit, 100),
            T.line("800102", .subsidy, .debit, 100), T.line("660101", .subsidy, .credit, 100),
        ], studio: "S1")
        #expect { try app.store.books.post([enterprise], stamp: stamp) } throws: { ($0 as? Rejection)?.code == .budgetLinesNotKept }
        // An accountant's edit that keeps the invariants is kept (事业支出 moved to 技术研发) ...
        let edited = Self.voucher("2026-01-10", [
            T.line("230201", .subsidy, .debit, 300_000), T.line("100201", .subsidy, .credit, 300_000),
            T.line("720102", .subsidy, .debit, 300_000), T.line("800102", .subsidy, .credit, 300_000),
        ])
        #expect(try app.books.withBudgetLines(edited) == edited)
        // ... and stale ones are derived afresh from the financial lines.
        var stale = edited
        stale.lines[0] = T.line("230201", .subsidy, .debit, 250_000)
        stale.lines[1] = T.line("100201", .subsidy, .credit, 250_000)
        let fresh = try app.books.withBudgetLines(stale)
        #expect(fresh.lines.count == 4 && fresh.lines[2].amount == Money(fen: 250_000))
        // The basis: a municipal unit's subsidy is 财政拨款预算收入, carried over in 8101.
        let basis = try app.register.setBudgetRevenue(studio: "C1", fund: "补助资金", account: "600101")
        #expect(basis.basis.revenue[.subsidy] == "600101" && basis.basis.carryoverRoot(.subsidy) == "8101")
        let posted = try app.store.books.post([Self.scenario[1]], stamp: stamp)
        #expect(Self.budgetLines(posted[0], try app.register.chart()) == ["借 800102 subsidy 3000000", "贷 600101 subsidy 3000000"])
        #expect(throws: Rejection.self) { try app.register.setBudgetRevenue(studio: "C1", fund: "补助资金", account: "660901") }
        #expect(throws: Rejection.self) { try app.register.setBudgetRevenue(studio: "S1", fund: "补助资金", account: "600101") }
    }

    @Test("verify re-derives 平行记账 from the stored rows (X018); BUD-001 stays quiet on kept books")
    func verifyAndRule() throws {
        let app = try Self.collegeApp()
        let stamp = Stamp(user: "赵敏", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        _ = try app.store.books.post(Array(Self.scenario.prefix(3)), stamp: stamp)
        // A budget line's amount changed behind the ledger's back: the chain and 平行记账 both say so.
        try app.store.unsafeExecuteForTesting("DROP TRIGGER posting_no_update")
        try app.store.unsafeExecuteForTesting("UPDATE posting SET amount_fen = amount_fen + 1 WHERE account = '720101'")
        let codes = Set(try app.admin.verify().problems.map(\.code))
        #expect(codes.contains(.parallelBroken) && codes.contains(.hashMismatch))
        try app.store.unsafeExecuteForTesting("UPDATE posting SET amount_fen = amount_fen - 1 WHERE account = '720101'")
        #expect(try app.admin.verify().isClean)
        #expect(try app.compliance.check(studio: "C1").findings.filter { $0.rule == "BUD-001" }.isEmpty)
    }

    @Test("a ledger begun before budget accounting: init --add-budget-accounts, BUD-001 names the gap, a 补记 voucher clears it, old vouchers still reverse")
    func legacyLedger() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let chartFile = directory.appendingPathComponent("chart-1-5.csv")
        let text = try String(contentsOf: packageRoot.appendingPathComponent("Fixtures/chart/default-chart.csv"), encoding: .utf8)
        try Data(text.split(separator: "\n").filter { !"678".contains($0.first!) }.joined(separator: "\n").utf8).write(to: chartFile)
        let app = LedgerApp(store: try LedgerStore(), clock: T.clock, user: "赵敏")
        _ = try app.register.initialize(chartFile: chartFile)
        _ = try app.register.addHostUnit(creditCode: Self.college, name: "资阳测试职业技术学院", kind: "college", county: "雁江区")
        _ = try app.register.addStudio(
            code: "C1", name: "C1 工作室", hostUnit: Self.college, leader: "张桂芳", field: "中式烹调", recognized: "2025-11-20", subsidy: "30000")
        let stamp = Stamp(user: "赵敏", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        let old = try app.store.books.post(Array(Self.scenario.prefix(3)), stamp: stamp)
        #expect(old.allSatisfy { Self.budgetLines($0, try! app.register.chart()).isEmpty }, "no budget accounts yet: no budget lines")
        #expect(try !app.register.budgetAccounting(studio: "C1").kept)

        #expect(try app.register.addBudgetAccounts() == 41)
        #expect(try app.register.addBudgetAccounts() == 0)
        #expect(try app.admin.verify().isClean, "the added accounts are in the row chain")
        #expect(try app.register.budgetAccounting(studio: "C1").kept)
        let gap = try app.compliance.check(studio: "C1").findings.filter { $0.rule == "BUD-001" }
        #expect(gap.count == 1 && gap[0].message.contains("3 张凭证") && gap[0].amountFen == 3_800_000, "\(gap.map(\.message))")
        // An old voucher still reverses (its mirror has no budget lines either).
        _ = try app.books.reverse(old[2].ref, date: T.date("2025-12-28"), reason: "误记", correction: nil, reviewer: "孙海涛")
        // The 补记: 借 资金结存 贷 结转—年初余额调整 for each fund's cash, budget lines only.
        let catchUp = Self.voucher("2025-12-31", [
            T.line("800102", .subsidy, .debit, 3_000_000), T.line("820101", .subsidy, .credit, 3_000_000),
            T.line("800102", .selfRaised, .debit, 2_000_000), T.line("820101", .selfRaised, .credit, 2_000_000),
        ])
        _ = try app.store.books.post([catchUp], stamp: stamp)
        #expect(try app.compliance.check(studio: "C1").findings.filter { $0.rule == "BUD-001" }.isEmpty)
        // From now on the studio's vouchers carry their budget lines.
        let next = try app.store.books.post([Self.scenario[3]], stamp: stamp)
        #expect(Self.budgetLines(next[0], try app.register.chart()) == ["借 720104 self-raised 200000", "贷 800102 self-raised 200000"])
        #expect(try app.admin.verify().isClean)
        _ = try app.statements.renderReport(ReportRequest(kind: .budgetStatement, studio: "C1"), format: .csv)
    }

    @Test("no cash, no budget lines, except an advance settled: 暂付款项 into the categories it paid for; the year end in order")
    func noCashAndYearOrder() throws {
        let app = try Self.collegeApp()
        let stamp = Stamp(user: "赵敏", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        let chart = try app.register.chart()
        let posted = try app.store.books.post([
            Self.scenario[0],
            Self.voucher("2025-12-10", [T.line("121801", .selfRaised, .debit, 100_000), T.line("100201", .selfRaised, .credit, 100_000)]),
            // Settled without cash: 700 travel and 300 materials.
            Self.voucher("2025-12-20", [
                T.line("500106", .selfRaised, .debit, 70_000), T.line("500105", .selfRaised, .debit, 30_000), T.line("121801", .selfRaised, .credit, 100_000),
            ]),
            // Two categories on credit: nothing (no cash moved).
            Self.voucher("2025-12-22", [
                T.line("500104", .selfRaised, .debit, 10_000), T.line("500105", .selfRaised, .debit, 5_000), T.line("230201", .selfRaised, .credit, 15_000),
            ]),
            // A refund owed recognised without cash: nothing.
            Self.voucher("2025-12-23", [T.line("300101", .selfRaised, .debit, 1_000), T.line("230799", .selfRaised, .credit, 1_000)]),
        ], stamp: stamp)
        #expect(Self.budgetLines(posted[2], chart) == ["借 720106 self-raised 70000", "借 720105 self-raised 30000", "贷 720198 self-raised 100000"])
        #expect(Self.budgetLines(posted[3], chart).isEmpty && Self.budgetLines(posted[4], chart).isEmpty)
        // Nothing in 2024; 2025 closes; closing 2024 afterwards is refused, 2025 twice is nothing to close.
        #expect { try app.books.closeBudgetYear(studio: "C1", year: 2024, reviewer: "孙海涛") } throws: { ($0 as? Rejection)?.code == .budgetNothingToClose }
        _ = try app.books.closeBudgetYear(studio: "C1", year: 2025, reviewer: "孙海涛")
        #expect { try app.books.closeBudgetYear(studio: "C1", year: 2025, reviewer: "孙海涛") } throws: { ($0 as? Rejection)?.code == .budgetNothingToClose }
        #expect { try app.books.closeBudgetYear(studio: "C1", year: 2024, reviewer: "孙海涛") } throws: { ($0 as? Rejection)?.code == .budgetYearOrder }
        #expect(try app.admin.verify().isClean)
    }
}
