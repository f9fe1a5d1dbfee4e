@testable import FundApp
import FundCore
import FundReports
import FundStore
import FundTestSupport
import Foundation
import Testing

private func day(_ text: String) -> CalendarDate { TestLedger.date(text) }

@Suite("Performance evaluation")
struct EvaluationTests {
    /// Subsidy 30,000 received and 24,000 spent on equipment (no equipment budget), and an
    /// activity record whose every score is computed by hand below.
    func sampleStudio(satisfaction: Bool = true) throws -> LedgerApp {
        let app = try TestLedger.app()
        _ = try app.store.books.post(
            [
                TestLedger.receipt(fund: .subsidy, fen: 3_000_000),
                TestLedger.simple(date: "2026-01-12", debit: "500101", credit: "100201", fen: 2_400_000, memo: "购置数控实训设备"),
            ], stamp: Stamp(user: "测试员", at: "2026-01-12T01:00:00Z", today: day("2026-01-12")))
        var activities: [Activity] = []
        for (index, achieved) in [true, true, true, false].enumerated() {
            activities.append(try Activity(studio: "S1", date: day("2026-02-0\(index + 2)"), kind: .apprentice, title: "徒弟\(index + 1)", achieved: achieved))
        }
        for month in 3...8 {
            activities.append(try Activity(studio: "S1", date: day("2026-0\(month)-10"), kind: .training, title: "数控车削培训", quantity: 20, evidence: "签到表.pdf"))
        }
        activities.append(try Activity(
            studio: "S1", date: day("2026-05-20"), kind: .project, title: "薄壁件车削工艺改进", amount: Money(fen: 3_210_000), achieved: true))
        for (index, units) in [3, 3, 2, 2].enumerated() {
            activities.append(try Activity(studio: "S1", date: day("2026-06-1\(index)"), kind: .exchange, title: "技艺交流", quantity: units))
        }
        try app.store.lifecycle.addActivities(activities, source: "测试", stamp: Stamp(user: "测试员", at: "2026-09-01T01:00:00Z", today: day("2026-09-01")))
        _ = try app.lifecycle.setTarget(studio: "S1", indicator: "premises", target: "100", actual: "85", note: "")
        if satisfaction { _ = try app.lifecycle.setTarget(studio: "S1", indicator: "satisfaction", target: "90", actual: "95", note: "") }
        return app
    }

    @Test func handComputedScores() throws {
        let app = try sampleStudio()
        let built = try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"))
        let scores = Dictionary(uniqueKeysWithValues: built.value.lines.map { ($0.id, $0.scoreHundredths) })
        let expected: [String: Int64] = [
            "apprentices": 480,  // 6 × 4/5
            "training-sessions": 400, "trainees": 400,  // 6 sessions, 120 trainees: on target
            "projects": 200,  // 4 × 1/2
            "exchanges": 400, "rules": 0,
            "certification-rate": 375,  // 4 × 75 % / 80 %
            "project-acceptance": 300,
            "compliance": 500,  // no confirmed violations
            "timeliness": 600, "equipment-cost": 0,  // all spent in the window; equipment bought with no budget
            "economic-benefit": 642,  // 10 × 32,100 / 50,000
            "awards": 0, "units-reached": 500, "equipment-in-use": 0,
            "premises": 425,  // qualitative 85 %
            "satisfaction": 1_000,  // 95 % ≥ 90 %
            "execution": 800,  // 24,000 / 30,000 = 80 %
        ]
        #expect(built.value.confirmedViolations == 0)
        #expect(scores == expected)
        #expect(built.value.categories.map(\.scoreHundredths) == [3_655, 1_567, 1_000, 800])
        #expect(built.value.totalHundredths == 7_022)
        #expect(built.value.grade == .fair)
        let equipment = built.value.lines.first { $0.id == "equipment-cost" }!
        #expect(equipment.deviationReason.hasPrefix("无预算支出") && equipment.actualHundredths == nil)
        let apprentices = built.value.lines.first { $0.id == "apprentices" }!
        #expect(apprentices.deviationReason == "实际 4人，低于目标 5人，完成 80.00%")
    }

    /// 财预〔2020〕10号's form scores 预算执行率 = 全年执行数 ÷ 全年预算数: with a budget of
    /// 40,000 and 30,000 received, 24,000 spent scores on 60 %, not on 24,000 ÷ 30,000 = 80 %
    /// (which the statement shows apart as 资金执行率). Issue 15, item 3.
    @Test func executionIsScoredOnTheBudgetNotOnTheMoneyReceived() throws {
        let app = try sampleStudio()
        _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 4_000_000), reason: "计划")
        let built = try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"))
        let execution = try #require(built.value.lines.first { $0.id == "execution" })
        #expect(execution.actualHundredths == 6_000)
        #expect(execution.scoreHundredths == 600)
        let subsidy = try #require(built.value.funds.first { $0.fund == .subsidy })
        #expect(subsidy.executionRate == Percent(hundredths: 6_000))
        #expect(subsidy.fundExecutionRate == Percent(hundredths: 8_000))
        // The self-evaluation form prints both, each under its own name (资金执行率 80 %, 预算执行率 60 %).
        let table = try #require(built.selfEvaluation.tables.first { $0.name == "预算执行" })
        #expect(table.columns.map(\.title)[5...6] == ["资金执行率", "预算执行率"])
        let row = try #require(table.rows.first { $0.cells[0] == .text(Fund.subsidy.chineseName) })
        #expect(row.cells[5] == .percent(Percent(hundredths: 8_000)) && row.cells[6] == .percent(Percent(hundredths: 6_000)))
    }

    /// 满意度 with neither a target nor an actual is unset: its 10 points go to the 产出
    /// indicators in proportion to their points (each × 60/50), not scored 0.
    @Test func anUnsetManualIndicatorMovesItsPointsToOutput() throws {
        // The sample studio without its satisfaction target.
        let studio = try sampleStudio(satisfaction: false)
        let built = try studio.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"))
        let lines = Dictionary(uniqueKeysWithValues: built.value.lines.map { ($0.id, $0) })
        let satisfaction = lines["satisfaction"]!
        #expect(satisfaction.unset && satisfaction.pointsHundredths == 0 && satisfaction.setPointsHundredths == 1_000)
        #expect(satisfaction.scoreHundredths == 0 && satisfaction.targetHundredths == nil && satisfaction.actualHundredths == nil)
        #expect(satisfaction.deviationReason == "未设定，分值计入产出指标")
        let output = built.value.lines.filter { $0.category == "output" }
        #expect(output.map(\.pointsHundredths) == [720, 480, 480, 480, 480, 480, 480, 360, 600, 720, 720])
        #expect(output.reduce(0) { $0 + $1.pointsHundredths } == 6_000)
        #expect(built.value.lines.reduce(0) { $0 + $1.pointsHundredths } == 10_000)
        #expect(output.map(\.scoreHundredths) == [576, 480, 480, 240, 480, 0, 450, 360, 600, 720, 0])
        #expect(built.value.categories.map(\.pointsHundredths) == [6_000, 3_000, 0, 1_000])
        #expect(built.value.categories.map(\.scoreHundredths) == [4_386, 1_567, 0, 800])
        #expect(built.value.totalHundredths == 6_753)
        // premises has its target: only satisfaction moved.
        #expect(lines["premises"]!.unset == false && lines["premises"]!.pointsHundredths == 500)

        // The self-evaluation table and evaluation.json say so.
        let table = built.selfEvaluation.sections.flatMap(\.blocks).compactMap { block -> DocumentTable? in
            if case .table(let table) = block, table.name == "绩效指标" { return table }
            return nil
        }.first!
        let row = table.rows.first { $0.cells.contains(.text("学员（徒弟）满意度")) }!
        #expect(row.cells == [
            .text("满意度指标"), .text("服务对象满意度指标"), .text("学员（徒弟）满意度"), .text("未设定"), .text("—"), .decimal(hundredths: 0), .decimal(hundredths: 0),
            .text("未设定，分值计入产出指标"),
        ])
        #expect(table.rows.first { $0.cells.contains(.text("带徒人数")) }?.cells[5] == .decimal(hundredths: 720))
        #expect(table.rows.first { $0.cells.contains(.text("满意度指标小计")) }?.cells[5] == .decimalSum(hundredths: 0, rows: [18]))
        #expect(table.rows.first { $0.cells.contains(.text("产出指标小计")) }?.cells[5] == .decimalSum(hundredths: 6_000, rows: Array(0...10)))
        let json = try JSONSerialization.jsonObject(with: built.json) as? [String: Any]
        let jsonLines = json?["lines"] as? [[String: Any]] ?? []
        let jsonSatisfaction = jsonLines.first { $0["id"] as? String == "satisfaction" }
        #expect(jsonSatisfaction?["unset"] as? Bool == true)
        #expect(jsonSatisfaction?["pointsHundredths"] as? Int == 0 && jsonSatisfaction?["setPointsHundredths"] as? Int == 1_000)
        #expect(jsonLines.first { $0["id"] as? String == "apprentices" }?["pointsHundredths"] as? Int == 720)
        #expect(json?["totalHundredths"] as? Int == 6_753)
    }

    /// 带徒人数 counts apprentices (the rows' 徒弟人数), not rows: one row for a group of three
    /// apprentices and one for a single apprentice make 4 people. (No targets are set, so
    /// 满意度 and 场所 are unset and their 15 points raise 带徒人数 to 7.80: 7.80 × 4/5 = 6.24.)
    @Test func apprenticesAreCountedByQuantity() throws {
        let app = try TestLedger.app()
        try app.store.lifecycle.addActivities(
            [
                try Activity(studio: "S1", date: day("2026-02-02"), kind: .apprentice, title: "2026 届徒弟（3 人）", quantity: 3),
                try Activity(studio: "S1", date: day("2026-02-03"), kind: .apprentice, title: "徒弟 张三"),
            ], source: "测试", stamp: Stamp(user: "测试员", at: "2026-09-01T01:00:00Z", today: day("2026-09-01")))
        let line = try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20")).value.lines.first { $0.id == "apprentices" }!
        #expect(line.actualHundredths == 400)
        #expect(line.pointsHundredths == 780 && line.scoreHundredths == 624)
        #expect(line.source == "活动记录：带徒传技徒弟人数合计")
    }

    @Test func equipmentCostScoresFullOnlyWithoutSpendingAndByBudgetOtherwise() throws {
        // No equipment bought: full marks (6, plus its share of the unset 满意度 and 场所: 7.80).
        let empty = try TestLedger.app()
        let none = try empty.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20")).value.lines.first { $0.id == "equipment-cost" }!
        #expect(none.scoreHundredths == 780 && none.pointsHundredths == 780 && none.deviationReason == "未发生设备购置支出，按满分计")
        // 24,000 spent against a 20,000 budget: 6 × 100/120 = 5.00.
        let app = try sampleStudio()
        _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 2_000_000), reason: "测试")
        let over = try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20")).value.lines.first { $0.id == "equipment-cost" }!
        #expect(over.scoreHundredths == 500 && over.actualHundredths == 12_000)
    }

    /// The fixture adds exactly two violations (entertainment charged to the subsidy, a 2025
    /// policy block); "confirmed" means a violation finding whose explanation no reviewer has
    /// accepted, so one accepted explanation leaves one, and a pending or rejected one counts.
    @Test func confirmedViolationsAreDeducted() throws {
        let app = try sampleStudio()
        _ = try app.store.books.post(
            [
                TestLedger.simple(date: "2026-03-03", debit: "500108", credit: "100201", fen: 50_000, memo: "工作餐费"),
                TestLedger.simple(date: "2026-03-04", debit: "500108", credit: "100201", fen: 30_000, memo: "接待餐费"),
            ],
            stamp: Stamp(user: "测试员", at: "2026-03-04T01:00:00Z", today: day("2026-03-04")))
        let findings = try app.compliance.check(studio: "S1", asOf: day("2026-11-20")).findings
        let violations = findings.filter { $0.severity == .violation }
        #expect(violations.count == 2)
        let built = try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"))
        #expect(built.value.confirmedViolations == 2)
        let compliance = built.value.lines.first { $0.id == "compliance" }!
        #expect(compliance.actualHundredths == 200)
        #expect(compliance.scoreHundredths == 300)  // 5 − 2 × 1
        #expect(compliance.deviationReason == "合规检查确认违规 2 项（说明未获接受），每项扣 1 分")
        // 70.22 less 2 points, plus 0.27 from 执行率 (24,800 / 30,000 = 82.67 % → 8.27).
        #expect(built.value.lines.first { $0.id == "execution" }!.scoreHundredths == 827)
        #expect(built.value.totalHundredths == 6_849)
        // The report's 违规事项 name each voucher as every other report does: 2026-03 记-0002 第1行.
        let listed = try #require(built.report.tables.first { $0.name == "违规事项" }).rows.map { $0.cells[0] }
        #expect(listed.count == 2 && listed.allSatisfy { cell in
            if case .text(let text) = cell { return text.hasPrefix("2026-03 记-000") && text.hasSuffix("行") }
            return false
        }, "\(listed)")

        // One explanation accepted by a reviewer: no longer confirmed. The other, explained
        // and rejected, still is.
        let (accepted, rejected) = (violations[0].key, violations[1].key)
        let stamp = Stamp(user: "会计", at: "2026-11-01T01:00:00Z", today: day("2026-11-01"))
        let reviewer = Stamp(user: "审核人", at: "2026-11-02T01:00:00Z", today: day("2026-11-02"))
        try app.store.compliance.addFindingNote(key: accepted, studio: "S1", action: "explain", text: "已调整至自筹资金", stamp: stamp)
        try app.store.compliance.addFindingNote(key: accepted, studio: "S1", action: "accept", text: "", stamp: reviewer)
        try app.store.compliance.addFindingNote(key: rejected, studio: "S1", action: "explain", text: "工作需要", stamp: stamp)
        try app.store.compliance.addFindingNote(key: rejected, studio: "S1", action: "reject", text: "不属于补助资金开支范围", stamp: reviewer)
        let reviewed = try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"))
        #expect(reviewed.value.confirmedViolations == 1)
        #expect(reviewed.value.lines.first { $0.id == "compliance" }!.scoreHundredths == 400)  // 5 − 1 × 1
        #expect(reviewed.value.totalHundredths == 6_949)
    }

    @Test func packageReadsBackInRealClients() throws {
        let app = try sampleStudio()
        try app.lifecycle.advance(studio: "S1", transition: LifecycleTransition(to: .recognized, date: day("2025-12-15"), by: "市人社局"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try app.evaluation.write(studio: "S1", asOf: day("2026-11-20"), into: directory).files
        #expect(written.map(\.lastPathComponent) == [
            "S1-绩效自评表.xlsx", "S1-绩效自评表.pdf", "S1-绩效评价报告.pdf", "S1-绩效评价报告.html", "evaluation.json",
        ])
        let cells = try ExternalTool.python(
            """
            import sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    print("|".join("" if v is None else str(v) for v in row))
            """, [written[0].path])
        #expect(cells.contains("总分"))
        #expect(cells.contains("70.22"))
        #expect(cells.contains("带徒人数"))
        #expect(cells.contains("实际 4人，低于目标 5人，完成 80.00%"))
        for pdf in [written[1], written[2]] {
            let text = try ExternalTool.run("pdftotext", ["-layout", pdf.path, "-"]).stdout
            #expect(text.contains("70.22"))
        }
        let report = try ExternalTool.run("pdftotext", [written[2].path, "-"]).stdout
        for heading in ["一、基本情况和绩效目标", "二、绩效评价工作开展情况", "三、综合评价结论", "四、绩效指标分析", "六、有关建议", "七、其他需要说明的问题"] {
            #expect(report.contains(heading), "\(heading)")
        }
        let html = try String(contentsOf: written[3], encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("评价等级为“中”"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: written[4])) as? [String: Any]
        #expect(json?["totalHundredths"] as? Int == 7_022)
    }

    /// A studio scored on four manual indicators (one category, points as given), each with
    /// a target and an actual typed in: its evaluation as of 2026-11-20.
    func manualStudio(_ lines: [(points: Int, target: String, actual: String)]) throws -> PerformanceEvaluation {
        let (app, file) = try manualApp(lines)
        defer { try? FileManager.default.removeItem(at: file) }
        return try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"), indicators: file).value
    }

    /// The ledger of `manualStudio` and its indicator file (the caller removes it).
    func manualApp(_ lines: [(points: Int, target: String, actual: String)]) throws -> (LedgerApp, URL) {
        let app = try TestLedger.app()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("indicators-\(UUID().uuidString).json")
        let indicators = lines.enumerated().map { index, line in
            """
            {"id": "q\(index + 1)", "category": "output", "group": "数量指标", "name": "指标\(index + 1)", "unit": "件",
             "kind": "quantitative", "points": \(line.points), "measure": "manual"}
            """
        }
        let json = """
            {"name": "舍入测试", "categories": [{"id": "output", "name": "产出指标", "weight": 100}],
             "indicators": [\(indicators.joined(separator: ","))]}
            """
        try Data(json.utf8).write(to: file)
        for (index, line) in lines.enumerated() {
            _ = try app.lifecycle.setTarget(studio: "S1", indicator: "q\(index + 1)", target: line.target, actual: line.actual, note: "", indicators: file)
        }
        return (app, file)
    }

    /// 35 × 4.80/6 = 28.00, 35 × 5.49/6 = 32.025 (32.03 shown), 20 × 5.99/6 = 19.9666… (19.97
    /// shown), 10 at target: exactly 89.991666…, so 89.99 and 良, though the rounded lines add
    /// up to 90.00.
    @Test func theTotalIsTheExactSumRoundedOnceJustBelow90() throws {
        let value = try manualStudio([(35, "6", "4.80"), (35, "6", "5.49"), (20, "6", "5.99"), (10, "1", "1")])
        #expect(value.lines.map(\.scoreHundredths) == [2_800, 3_203, 1_997, 1_000])
        #expect(value.lines.map(\.exactScore.description) == ["2800", "3202+1/2", "1996+2/3", "1000"])
        #expect(value.lines.reduce(0) { $0 + $1.scoreHundredths } == 9_000)
        #expect(value.totalHundredths == 8_999)
        #expect(value.grade == .good)
        #expect(value.categories.map(\.scoreHundredths) == [8_999])
    }

    /// The 绩效自评表 adds up on paper (issue 16, item 5): the lines of the case above print
    /// 28.00, 32.02, 19.97 and 10.00 (the hundredth left over by rounding down goes to the
    /// largest remainder, 2/3), which add up to the printed 小计 and 总分 89.99, the exact total
    /// rounded once; in the XLSX the 小计 and 总分 are =SUM formulas over number cells.
    @Test func theSelfEvaluationAddsUpOnPaper() throws {
        let (app, file) = try manualApp([(35, "6", "4.80"), (35, "6", "5.49"), (20, "6", "5.99"), (10, "1", "1")])
        defer { try? FileManager.default.removeItem(at: file) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try app.evaluation.write(studio: "S1", asOf: day("2026-11-20"), indicators: file, into: directory).files
        let xlsx = try #require(written.first { $0.pathExtension == "xlsx" })
        // Per row of the 绩效指标 sheet below its header: the first cell, then 分值 and 得分 as
        // stored (a number or a formula) and as cached.
        let rows = try ExternalTool.python(
            """
            import sys, openpyxl
            formulas = openpyxl.load_workbook(sys.argv[1])["绩效指标"]
            values = openpyxl.load_workbook(sys.argv[1], data_only=True)["绩效指标"]
            started = False
            for f, v in zip(formulas.iter_rows(), values.iter_rows()):
                if f[0].value == "一级指标":
                    started = True
                    continue
                if started and f[0].value:
                    kind = "number" if isinstance(f[6].value, (int, float)) else "text"
                    shown = v[6].value if v[6].value is None or isinstance(v[6].value, str) else f"{v[6].value:.2f}"
                    print(f[0].value, kind, f[5].value, f[6].value, shown, sep="|")
                if f[0].value == "总分":
                    break
            """, [xlsx.path]).split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { $0[0] } == ["产出指标", "产出指标", "产出指标", "产出指标", "产出指标小计", "总分"])
        #expect(rows.prefix(4).map { $0[1] } == ["number", "number", "number", "number"])
        #expect(rows.prefix(4).map { $0[4] } == ["28.00", "32.02", "19.97", "10.00"])
        #expect(rows[4][2] == "=SUM(F6:F9)" && rows[4][3] == "=SUM(G6:G9)" && rows[4][4] == "89.99")
        #expect(rows[5][2] == "=SUM(F10)" && rows[5][3] == "=SUM(G10)" && rows[5][4] == "89.99")
        for pdf in written where pdf.pathExtension == "pdf" {
            let text = try ExternalTool.run("pdftotext", ["-layout", pdf.path, "-"]).stdout
            #expect(!text.contains("32.03") && !text.contains("90.00 分"), "\(pdf.lastPathComponent)")
        }
    }

    /// The forms a reviewer reads: grade bands that do not overlap, amounts with thousands
    /// separators, the 合计 row of 预算执行 complete.
    @Test func theFormsReadAsAReviewerExpects() throws {
        let built = try sampleStudio().evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"))
        let paragraphs = built.report.sections.flatMap(\.blocks).compactMap { block -> String? in
            if case .paragraph(let text) = block { return text }
            return nil
        }
        #expect(paragraphs.contains { $0.contains("（90 分（含）以上为优，80 分（含）至 90 分为良，60 分（含）至 80 分为中，60 分以下为差）") })
        #expect(!paragraphs.joined().contains("80–90"))
        #expect(paragraphs.contains { $0.contains("技术革新产生经济效益实际 32,100.00 元") })
        let indicators = try #require(built.selfEvaluation.tables.first { $0.name == "绩效指标" })
        let benefit = try #require(indicators.rows.first { $0.cells[2] == .text("技术革新产生经济效益") })
        #expect(benefit.cells[3] == .text("50,000.00 元") && benefit.cells[4] == .text("32,100.00 元"))
        let budget = try #require(built.selfEvaluation.tables.first { $0.name == "预算执行" })
        let total = try #require(budget.rows.last)
        #expect(total.role == .total)
        #expect(!total.cells.contains(.empty), "\(total.cells)")
        let planned = try #require(total.cells[1].money)
        let received = try #require(total.cells[2].money)
        #expect(total.cells[3] == Percent.ratio(received, planned).map { .percent($0) })
        // Issue 15, item 3: both rates, labelled exactly; 预算执行率 divides by the budget, not receipts.
        #expect(budget.columns.map(\.title).contains("资金执行率") && budget.columns.map(\.title).contains("预算执行率"))
        #expect(budget.caption?.contains("资金执行率 = 实际支出 ÷ 实际到位") == true && budget.caption?.contains("预算执行率 = 实际支出 ÷ 预算数") == true)
        #expect(budget.caption?.contains("预算执行率 = 实际支出 ÷ 实际到位") == false)
        let subsidy = try #require(built.value.funds.first { $0.fund == .subsidy })
        let subsidyRow = try #require(budget.rows.first { $0.cells[0] == .text(Fund.subsidy.chineseName) })
        #expect(subsidyRow.cells[5] == subsidy.fundExecutionRate.map { .percent($0) })
        #expect(subsidyRow.cells[6] == subsidy.executionRate.map { .percent($0) })
        let basis = built.value.funds.compactMap(\.budgetBasisFen).reduce(Money.zero) { try! $0.adding($1) }
        let spent = try #require(total.cells[4].money)
        #expect(total.cells[5] == Percent.ratio(spent, received).map { .percent($0) })
        #expect(total.cells[6] == Percent.ratio(spent, basis).map { .percent($0) })
    }

    /// 25 × 2.41/3 = 20.0833… twice (20.08 shown), 25 × 2.98/3 = 24.8333… (24.83 shown), 25 at
    /// target: exactly 90.00 and 优, though the rounded lines add up to 89.99.
    @Test func theTotalIsTheExactSumRoundedOnceExactly90() throws {
        let value = try manualStudio([(25, "3", "2.41"), (25, "3", "2.41"), (25, "3", "2.98"), (25, "1", "1")])
        #expect(value.lines.map(\.scoreHundredths) == [2_008, 2_008, 2_483, 2_500])
        #expect(value.lines.reduce(0) { $0 + $1.scoreHundredths } == 8_999)
        #expect(value.totalHundredths == 9_000)
        #expect(value.grade == .excellent)
    }

    /// The boundary on one 100-point indicator: exactly 89.99 is 良, exactly 90.00 is 优, and
    /// 89.995 (100 × 179.99/200) rounds half up, once, to 90.00: 优.
    @Test("grade boundary 89.99 / 90.00", arguments: [("89.99", "100", 8_999, Grade.good), ("90", "100", 9_000, .excellent), ("179.99", "200", 9_000, .excellent), ("179.98", "200", 8_999, .good)])
    func gradeBoundary(actual: String, target: String, total: Int64, grade: Grade) throws {
        let value = try manualStudio([(100, target, actual)])
        #expect(value.totalHundredths == total)
        #expect(value.grade == grade)
    }

    @Test func anEditedIndicatorFileReplacesTheDefault() throws {
        let app = try sampleStudio()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("indicators-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let json = """
            {"name": "只看执行率", "categories": [{"id": "budget", "name": "预算执行率", "weight": 100}],
             "indicators": [{"id": "execution", "category": "budget", "group": "预算执行率", "name": "补助资金预算执行率",
                             "unit": "%", "kind": "quantitative", "points": 100, "measure": "ledger:execution", "defaultTarget": "100"}]}
            """
        try Data(json.utf8).write(to: file)
        #expect(try app.evaluation.evaluate(studio: "S1", asOf: day("2026-11-20"), indicators: file).value.totalHundredths == 8_000)
        try Data(json.replacingOccurrences(of: "\"weight\": 100", with: "\"weight\": 90").utf8).write(to: file)
        let error = #expect(throws: LocatedRejection.self) { try app.evaluation.evaluate(studio: "S1", indicators: file) }
        #expect(error?.rejection.code == .indicatorSetInvalid)
    }
}
