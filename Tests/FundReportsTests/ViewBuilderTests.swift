import FundCore
import FundTestSupport
import Foundation
import Testing

@testable import FundReports

/// The view builders: a document with the expected columns and a row per item, and the JSON the
/// CLI has always printed (keys checked on the encoded value).
@Suite("view builders")
struct ViewBuilderTests {
    // MARK: Helpers

    static func json(_ report: AnyReport) throws -> Any {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONSerialization.jsonObject(with: encoder.encode(report.value))
    }

    static func objects(_ report: AnyReport) throws -> [[String: Any]] {
        try #require(try json(report) as? [[String: Any]])
    }

    static func keys(_ object: [String: Any]) -> Set<String> { Set(object.keys) }

    static func onlyTable(_ report: AnyReport) throws -> DocumentTable {
        let tables = report.document.tables
        try #require(tables.count == 1)
        return tables[0]
    }

    static func paragraphs(_ document: ReportDocument) -> [String] {
        document.sections.flatMap(\.blocks).compactMap { block in
            if case .paragraph(let text) = block { return text }
            return nil
        }
    }

    static func facts(_ document: ReportDocument) -> [Fact] {
        document.sections.flatMap(\.blocks).flatMap { block -> [Fact] in
            if case .facts(let facts) = block { return facts }
            return []
        }
    }

    static let date = TestLedger.date
    static let period = Period(year: 2026, month: 1)!

    static func studio() throws -> Studio {
        try Studio(
            code: "S1", name: "焊接工作室", hostUnit: try CreditCode(TestLedger.hostCode), leader: "张师傅", field: "焊接", recognized: date("2025-12-15"),
            approvedSubsidy: Money(fen: 3_000_000))
    }

    static func hostUnit() throws -> HostUnit {
        try HostUnit(creditCode: try CreditCode(TestLedger.hostCode), name: "资阳测试机械有限公司", kind: .enterprise, county: "雁江区")
    }

    static func header(_ chart: ChartOfAccounts, fund: Fund? = nil) throws -> ReportHeader {
        ReportHeader(
            studio: try studio(), hostUnit: try hostUnit(), chart: chart, fund: fund, from: period, to: period,
            preparedOn: date("2026-02-01"))
    }

    static func vouchers() -> [PostedVoucher] {
        TestLedger.posted([
            TestLedger.receipt(date: "2026-01-05", fund: .subsidy, fen: 3_000_000),
            TestLedger.simple(date: "2026-01-10", debit: "500101", credit: "100201", fen: 123_450),
            TestLedger.receipt(date: "2026-01-12", fund: .enterprise, fen: 500_000),
        ])
    }

    // MARK: Registers

    @Test("accounts: a row per account, code and indented name, the JSON keys of `accounts --format json`")
    func accounts() throws {
        let chart = try TestLedger.defaultChart()
        let report = RegisterReports.accounts(chart)
        let table = try Self.onlyTable(report)
        #expect(table.columns.map(\.title) == ["科目编码", "科目名称", "类别", "方向", "用途/支出类别", "适用资金", "末级"])
        #expect(table.rows.count == chart.accounts.count)
        #expect(report.document.kind == .view(.accounts))
        let objects = try Self.objects(report)
        #expect(objects.count == chart.accounts.count)
        let all: Set = ["code", "name", "type", "normalSide", "role", "category", "funds", "leaf"]
        for object in objects {
            #expect(Self.keys(object).isSubset(of: all))
            #expect(Self.keys(object).isSuperset(of: ["code", "name", "type", "normalSide", "funds", "leaf"]))
        }
        #expect(objects.contains { $0["category"] != nil })
        #expect(objects.contains { $0["role"] != nil })
        let deep = try #require(chart.accounts.firstIndex { $0.level == 2 })
        #expect(table.rows[deep].indent == 1)
    }

    @Test("host units, studios, signing keys and evidence: a row per item, typed cells, JSON keys")
    func registers() throws {
        let units = RegisterReports.hostUnits([try Self.hostUnit()])
        #expect(try Self.onlyTable(units).columns.map(\.title) == ["统一社会信用代码", "名称", "类型", "县（区）"])
        #expect(try Self.keys(Self.objects(units)[0]) == ["creditCode", "name", "kind", "county"])

        let studios = RegisterReports.studios([try Self.studio()])
        let studioTable = try Self.onlyTable(studios)
        #expect(studioTable.columns.map(\.title) == ["编号", "名称", "领办人", "认定日期", "建设期止", "核定补助"])
        #expect(studioTable.rows[0].cells[3] == .date(Self.date("2025-12-15")))
        #expect(studioTable.rows[0].cells[5] == .money(Money(fen: 3_000_000)))
        let studioJSON = try Self.objects(studios)[0]
        #expect(studioJSON["approvedSubsidyFen"] as? Int == 3_000_000)
        #expect(studioJSON["constructionEnds"] as? String == "2027-12-15")

        let keys = [
            SigningKey(hostUnit: "H", publicKeyHex: "aa", at: "2026-01-01T00:00:00Z", user: "甲", fingerprint: "f1"),
            SigningKey(hostUnit: "H", publicKeyHex: "bb", at: "2026-02-01T00:00:00Z", user: "乙", fingerprint: "f2"),
        ]
        let signing = RegisterReports.signingKeys(keys, hostUnit: "H")
        let signingRows = try Self.onlyTable(signing).rows
        #expect(signingRows.map { $0.cells[0] } == [.text("已替换"), .text("现行")])
        #expect(try Self.objects(signing).map { $0["current"] as? Bool } == [false, true])

        let ref = VoucherRef(studio: "S1", period: Self.period, voucherClass: .ji, number: 3)
        let evidence = RegisterReports.evidence(
            [EvidenceFile(voucher: ref, sha256: String(repeating: "c", count: 64), size: 1234, fileName: "发票.pdf", at: "t", user: "u")],
            studio: "S1")
        let evidenceTable = try Self.onlyTable(evidence)
        #expect(evidenceTable.rows.count == 1)
        #expect(evidenceTable.rows[0].cells[1] == .text("记-0003"))
        #expect(evidenceTable.rows[0].cells[3] == .count(1234))
        #expect(try Self.keys(Self.objects(evidence)[0]) == ["studio", "period", "voucher", "fileName", "size", "sha256", "at", "user"])
    }

    // MARK: Studios

    @Test("studio status: the lines `studio status` prints, as facts; JSON is the status")
    func status() throws {
        let status = StudioStatus(
            studio: "S1", name: "焊接工作室", state: .underConstruction, recorded: true, since: Self.date("2025-12-15"),
            constructionWindow: Self.date("2025-12-15")...Self.date("2027-12-15"), approvedSubsidyFen: Money(fen: 3_000_000),
            subsidyReceivedFen: Money(fen: 1_500_000), refundOwedFen: Money(fen: 10_000), warnings: 1, commendations: 0, openChanges: 2,
            rectificationDeadline: nil)
        let report = StudioReports.status(status)
        #expect(report.document.title == "S1 焊接工作室")
        let facts = Self.facts(report.document)
        #expect(facts.map(\.label) == ["状态", "建设期", "核定补助", "应退补助资金"])
        #expect(facts[2].value == .text("30,000.00 元，已到位 15,000.00 元"))
        #expect(Self.paragraphs(report.document) == ["警告 1 次，通报表扬 0 次，未办结变动 2 项"])
        let object = try #require(try Self.json(report) as? [String: Any])
        #expect(object["studio"] as? String == "S1")
        #expect(object["refundOwedFen"] as? Int == 10_000)
    }

    @Test("studio history: lifecycle records, then changes, a row each")
    func history() throws {
        let transition = LifecycleTransition(
            to: .underConstruction, date: Self.date("2025-12-15"), by: "市人社局", note: "", ground: nil, deadline: nil, score: nil)
        let records = [LifecycleRecord(id: 1, kind: "transition", transition: transition, at: "t", user: "u")]
        let changes = [StudioChange(id: 1, studio: "S1", kind: .leader, eventDate: Self.date("2026-03-01"), detail: "领办人调动")]
        let report = StudioReports.history(studio: "S1", records: records, changes: changes)
        let table = try Self.onlyTable(report)
        #expect(table.columns.map(\.title) == ["日期", "事项", "决定单位", "说明"])
        #expect(table.rows.count == 2)
        #expect(table.rows[1].cells[1] == .text("第 1 号\(ChangeKind.leader.chineseName)"))
        #expect(try Self.objects(report).map { $0["kind"] as? String } == ["transition", "change"])
    }

    @Test("deadlines: JSON is the items array; a row per item; none says so")
    func deadlines() throws {
        let items = Deadlines.items(studio: try Self.studio(), history: [], changes: [
            StudioChange(id: 1, studio: "S1", kind: .leader, eventDate: Self.date("2026-03-01"), detail: "领办人调动"),
        ], asOf: Self.date("2026-03-10"))
        try #require(!items.isEmpty)
        let report = StudioReports.deadlines(items, asOf: Self.date("2026-03-10"))
        #expect(try Self.onlyTable(report).rows.count == items.count)
        let objects = try Self.objects(report)
        #expect(objects.count == items.count)
        #expect(Self.keys(objects[0]) == ["studio", "date", "kind", "detail", "overdue", "daysLeft"])
        #expect(Self.paragraphs(StudioReports.deadlines([], asOf: Self.date("2026-03-10")).document) == ["没有到期或逾期事项"])
    }

    @Test("activities and targets: a row per item, counts and amounts typed")
    func activitiesAndTargets() throws {
        let activity = try Activity(
            studio: "S1", date: Self.date("2026-04-01"), kind: .training, title: "焊工培训", quantity: 30, amount: .zero,
            achieved: nil, evidence: nil, note: "")
        let activities = StudioReports.activities([activity], studio: "S1")
        let table = try Self.onlyTable(activities)
        #expect(table.columns.map(\.title) == ["日期", "类型", "名称", "数量", "金额", "达成", "证明材料"])
        #expect(table.rows[0].cells[3] == .count(30))
        #expect(table.rows[0].cells[4] == .empty)
        #expect(try Self.objects(activities).count == 1)

        let setJSON = """
            {"name": "测试指标", "categories": [{"id": "output", "name": "产出指标", "weight": 100}],
             "indicators": [
               {"id": "trainees", "category": "output", "group": "数量指标", "name": "培训人次", "unit": "人次", "kind": "quantitative",
                "points": 60, "measure": "sum:training", "defaultTarget": "100"},
               {"id": "satisfaction", "category": "output", "group": "满意度", "name": "学员满意度", "unit": "%", "kind": "quantitative",
                "points": 40, "measure": "manual"}]}
            """
        let set = try JSONDecoder().decode(IndicatorSet.self, from: Data(setJSON.utf8))
        let target = try PerformanceTarget(studio: "S1", indicator: "satisfaction", target: 9_000, actual: nil, note: "")
        let targets = StudioReports.targets(set, targets: [target], studio: "S1")
        let targetTable = try Self.onlyTable(targets)
        #expect(targetTable.columns.map(\.title) == ["指标编号", "二级指标", "三级指标", "分值", "目标值", "单位", "数据来源"])
        #expect(targetTable.rows.count == 2)
        #expect(targetTable.rows[0].cells[4] == .text("100（默认）"))
        #expect(targetTable.rows[1].cells[4] == .text(Scoring.quantityText(9_000)))
        let objects = try Self.objects(targets)
        #expect(objects[1]["target"] as? Int == 9_000)
        #expect(objects[0]["target"] == nil)
    }

    // MARK: Budgets

    @Test("budget: a 合计 per fund added by the builder, JSON as `budget show` prints it")
    func budget() throws {
        let lines = [
            try BudgetLine(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 1_000_000)),
            try BudgetLine(studio: "S1", fund: .enterprise, category: .equipment, amount: Money(fen: 70_000)),
            try BudgetLine(studio: "S1", fund: .subsidy, category: .apprenticeTraining, amount: Money(fen: 250_050)),
        ]
        let report = try BudgetReports.current(lines, studio: "S1")
        let table = try Self.onlyTable(report)
        #expect(table.columns.map(\.title) == ["资金来源", "支出类别", "预算金额"])
        #expect(table.rows.count == 5)
        let totals = table.rows.filter { $0.role == .subtotal }
        #expect(totals.map { $0.cells[0] } == [.text("补助资金合计"), .text("\(Fund.enterprise.chineseName)合计")])
        #expect(totals[0].cells[2] == .moneySum(Money(fen: 1_250_050), rows: [0, 2]))
        #expect(totals[1].cells[2] == .moneySum(Money(fen: 70_000), rows: [1]))
        let objects = try Self.objects(report)
        #expect(objects.count == 3)
        #expect(Self.keys(objects[0]) == ["fund", "category", "amountFen"])
        #expect(objects[2]["amountFen"] as? String == "250050")

        // Lines read back from a tampered store skip validation: the totals must not wrap.
        let huge = #"{"studio": "S1", "fund": "subsidy", "category": "equipment", "amount": 4611686018427387904}"#
        let hugeLine = try JSONDecoder().decode(BudgetLine.self, from: Data(huge.utf8))
        let overflow = [hugeLine, hugeLine]
        #expect(throws: Rejection.self) { try BudgetReports.current(overflow, studio: "S1") }
        #expect(Self.paragraphs(try BudgetReports.current([], studio: "S1").document).count == 1)

        let revision = BudgetRevision(line: lines[0], revision: 1, at: "2026-01-01T00:00:00Z", user: "甲", reason: "初设")
        let history = BudgetReports.history([revision], studio: "S1")
        #expect(try Self.onlyTable(history).rows.count == 1)
        #expect(try Self.keys(Self.objects(history)[0]) == ["line", "revision", "at", "user", "reason"])
    }

    // MARK: Audit views

    @Test("log: columns 序号 … 哈希, JSON the entries")
    func log() throws {
        let entries = [LogEntry(sequence: 7, at: "2026-01-01T00:00:00Z", user: "甲", action: "voucher", studio: "S1", detail: "记账", hash: "ab")]
        let report = AuditViews.log(entries)
        let table = try Self.onlyTable(report)
        #expect(table.columns.map(\.title) == ["序号", "时间", "操作人", "操作", "工作室", "内容", "哈希"])
        #expect(table.rows[0].cells[0] == .count(7))
        #expect(try Self.keys(Self.objects(report)[0]) == ["sequence", "at", "user", "action", "studio", "detail", "hash"])
    }

    static func finding(_ severity: Severity, fen: Int64) -> Finding {
        Finding(
            rule: "SUB-001", category: .ineligibleSpending, severity: severity, studio: "S1", voucher: vouchers()[1], line: 1,
            fund: .subsidy, amount: Money(fen: fen), article: "第八条", message: "说明", remedy: "整改")
    }

    @Test("check: JSON exactly findings and summary; findings grouped by severity; the summary lines")
    func check() throws {
        var summary = CheckSummary()
        summary.findings = 2
        summary.bySeverity = ["violation": 1, "notice": 1]
        summary.violationFen = 123_450
        summary.asOf = "2026-02-01"
        summary.policies = ["2025"]
        let result = CheckResult(findings: [Self.finding(.notice, fen: 1), Self.finding(.violation, fen: 123_450)], summary: summary)
        let report = AuditViews.check(result)
        let object = try #require(try Self.json(report) as? [String: Any])
        #expect(Self.keys(object) == ["findings", "summary"])
        #expect((object["findings"] as? [Any])?.count == 2)
        let table = try Self.onlyTable(report)
        #expect(table.rows.map(\.role) == [.group, .body, .group, .body])
        #expect(table.rows[0].cells[0] == .text("违规 1 项"))
        #expect(table.rows[1].cells[7] == .money(Money(fen: 123_450)))
        #expect(table.columns.prefix(14).map(\.title) == [
            "编号", "严重程度", "规则", "类别", "工作室", "凭证", "资金来源", "金额", "条款", "说明", "整改建议", "处理状态", "情况说明", "审核意见",
        ])
        let lines = Self.paragraphs(report.document)
        #expect(lines.count == 2)
        #expect(lines[1] == "共 2 项：违规 1，预警 0，提示 1；违规涉及金额 1,234.50 元")

        let clean = AuditViews.check(CheckResult(findings: [], summary: CheckSummary()))
        #expect(Self.paragraphs(clean.document).first == "未发现问题")
        #expect(clean.document.tables.isEmpty)
    }

    @Test("raised findings: the notice line, then the findings")
    func raised() throws {
        let report = AuditViews.raisedFindings([Self.finding(.warning, fen: 5)])
        #expect(Self.paragraphs(report.document).first == "注意：本次记账的凭证有 1 项合规发现（已照实记账，请按提示处理）：")
        #expect(try Self.onlyTable(report).rows.count == 2)
        let object = try #require(try Self.json(report) as? [String: Any])
        #expect(object["summary"] as? Int == 1)
    }

    @Test("verification: counts line, problems, verdict; JSON the report")
    func verification() throws {
        var report = VerificationReport()
        report.studios = 1
        report.vouchers = 3
        let clean = AuditViews.verification(report)
        #expect(Self.paragraphs(clean.document) == ["校验 1 个工作室、3 张凭证、0 行分录、0 条操作日志", "全部通过"])
        report.problems = [VerificationProblem(code: .hashMismatch, studio: "S1", voucher: "2026-01 记-0001", message: "哈希不符")]
        let broken = AuditViews.verification(report)
        #expect(Self.paragraphs(broken.document).last == "发现 1 个问题")
        #expect(try Self.onlyTable(broken).rows.count == 1)
        let object = try #require(try Self.json(broken) as? [String: Any])
        #expect(Self.keys(object) == ["studios", "vouchers", "postings", "logEntries", "problems"])
    }

    @Test("voucher: the print with totals added by the builder, follow-ups, journal JSON of the one voucher")
    func voucher() throws {
        let chart = try TestLedger.defaultChart()
        let posted = Self.vouchers()
        let report = try AuditViews.voucher(posted[1], chart: chart, followUps: [posted[2]])
        let print = try #require(report.document.sections.flatMap(\.blocks).compactMap { block -> VoucherPrint? in
            if case .voucher(let print) = block { return print }
            return nil
        }.first)
        #expect(print.debitTotal == Money(fen: 123_450))
        #expect(print.creditTotal == Money(fen: 123_450))
        #expect(print.lines.count == 2)
        #expect(Self.paragraphs(report.document).last?.hasPrefix("已被 2026-01 记-0003 ") == true)
        let object = try #require(try Self.json(report) as? [String: Any])
        let vouchers = try #require(object["vouchers"] as? [[String: Any]])
        #expect(vouchers.count == 1)
        #expect(Self.keys(vouchers[0]).isSuperset(of: [
            "studio", "period", "class", "number", "label", "date", "kind", "attachments", "settlement", "counterparty", "preparer",
            "reviewer", "poster", "postedBy", "postedAt", "hash", "lines",
        ]))
        let line = try #require((vouchers[0]["lines"] as? [[String: Any]])?.first)
        #expect(Self.keys(line).isSuperset(of: ["line", "memo", "account", "name", "fund", "side", "amountFen"]))
    }

    @Test("period status: closed through a month, or none")
    func periodStatus() throws {
        let open = AuditViews.periodStatus(studio: "S1", book: PeriodBook())
        #expect(Self.paragraphs(open.document) == ["S1 尚未结账，所有期间均可记账"])
        let object = try #require(try Self.json(open) as? [String: Any])
        #expect(object["studio"] as? String == "S1")
        #expect((object["closed"] as? [Any])?.isEmpty == true)
    }

    // MARK: Statements' JSON shapes

    @Test("trial balance JSON: rows and totals carry the `balance --format json` keys and the old ones")
    func trialBalanceJSON() throws {
        let chart = try TestLedger.defaultChart()
        let turnovers = [
            MonthTurnover(studio: "S1", fund: .subsidy, account: "100201", period: Self.period, debit: Money(fen: 3_000_000), credit: Money(fen: 123_450)),
            MonthTurnover(studio: "S1", fund: .subsidy, account: "400101", period: Self.period, debit: .zero, credit: Money(fen: 3_000_000)),
            MonthTurnover(studio: "S1", fund: .subsidy, account: "500101", period: Self.period, debit: Money(fen: 123_450), credit: .zero),
        ]
        let balance = try TrialBalance.build(studio: "S1", chart: chart, turnovers: turnovers, funds: Fund.allCases, from: Self.period, to: Self.period)
        let built = try TrialBalanceReport.build(try Self.header(chart), balance)
        let object = try #require(try Self.json(AnyReport(built)) as? [String: Any])
        #expect(object["studio"] as? String == "S1")
        #expect(object["from"] as? String == "2026-01")
        #expect(object["to"] as? String == "2026-01")
        let sections = try #require(object["sections"] as? [[String: Any]])
        #expect(sections.map { $0["fund"] as? String } == ["subsidy", "enterprise", "self-raised", "combined"])
        let rowKeys: Set = ["fund", "account", "name", "level", "leaf", "openingFen", "debitFen", "creditFen", "closingFen"]
        let oldKeys: Set = [
            "account", "name", "level", "isLeaf", "openingDebitFen", "openingCreditFen", "debitFen", "creditFen", "closingDebitFen",
            "closingCreditFen",
        ]
        for section in sections {
            #expect(section["balanced"] as? Bool == true)
            let rows = try #require(section["rows"] as? [[String: Any]])
            for row in rows { #expect(Self.keys(row) == rowKeys) }
            let lines = try #require(section["lines"] as? [[String: Any]])
            #expect(lines.count == rows.count)
            for line in lines { #expect(Self.keys(line).isSuperset(of: oldKeys)) }
            let totals = try #require(section["totals"] as? [String: Any])
            #expect(Self.keys(totals).isSuperset(of: rowKeys.union(oldKeys)))
            #expect(totals["name"] as? String == "合计")
        }
        let subsidy = try #require(sections[0]["rows"] as? [[String: Any]])
        let bank = try #require(subsidy.first { $0["account"] as? String == "100201" })
        #expect(bank["closingFen"] as? Int == 3_000_000 - 123_450)
        #expect(bank["fund"] as? String == "subsidy")
        let revenue = try #require(subsidy.first { $0["account"] as? String == "400101" })
        #expect(revenue["closingFen"] as? Int == -3_000_000)
        let combinedTotals = try #require(sections[3]["totals"] as? [String: Any])
        #expect(combinedTotals["fund"] as? String == "combined")
        #expect(combinedTotals["debitFen"] as? Int == 3_123_450)

        // A fund without balances or movement says so, as `balance` did.
        let empty = built.document.sections[2]
        #expect(empty.heading == "\(Fund.selfRaised.chineseName)账")
        #expect(empty.blocks.first == .paragraph("（本期间无余额和发生额）"))
        #expect(Self.paragraphs(built.document) == Array(repeating: "（本期间无余额和发生额）", count: 2))  // enterprise, self-raised

        // Decodes back, "combined" as no fund.
        let data = try JSONEncoder().encode(built.value)
        let decoded = try JSONDecoder().decode(TrialBalanceStatement.self, from: data)
        #expect(decoded == built.value)
    }

    @Test("journal JSON carries the `journal --format json` vouchers; a one-account 明细账 the `ledger` keys")
    func journalAndLedgerJSON() throws {
        let chart = try TestLedger.defaultChart()
        let posted = Self.vouchers()
        let journal = try JournalReport.build(try Self.header(chart), vouchers: posted)
        let object = try #require(try Self.json(AnyReport(journal)) as? [String: Any])
        let vouchers = try #require(object["vouchers"] as? [[String: Any]])
        #expect(vouchers.count == 3)
        #expect(vouchers[1]["label"] as? String == "记-0002")
        #expect(object["lines"] != nil)
        let subsidyOnly = try JournalReport.build(try Self.header(chart, fund: .enterprise), vouchers: posted)
        #expect(subsidyOnly.value.vouchers.map(\.label) == ["记-0003"])

        let account = try #require(chart["100201"])
        var entries: [LedgerEntry] = []
        for voucher in posted {
            for (index, line) in voucher.draft.lines.enumerated() where line.account == "100201" {
                entries.append(LedgerEntry(ref: voucher.ref, date: voucher.draft.date, lineNumber: index + 1, line: line, counterparty: ""))
            }
        }
        let ledger = try AccountLedger.build(account: account, turnovers: [], entries: entries, from: Self.period)
        let one = try SubsidiaryLedgerReport.build(try Self.header(chart), ledgers: [ledger])
        let single = try #require(try Self.json(AnyReport(one)) as? [String: Any])
        #expect(single["account"] as? String == "100201")
        #expect(single["name"] as? String == account.name)
        let rows = try #require(single["rows"] as? [[String: Any]])
        #expect(rows.count == ledger.rows.count)
        #expect(Self.keys(rows[1]).isSuperset(of: ["kind", "date", "voucher", "memo", "fund", "debitFen", "creditFen", "direction", "balanceFen"]))
        #expect(rows[1]["voucher"] as? String == "2026-01 记-0001")
        let two = try SubsidiaryLedgerReport.build(try Self.header(chart), ledgers: [ledger, ledger])
        let many = try #require(try Self.json(AnyReport(two)) as? [String: Any])
        #expect(many["rows"] == nil && many["account"] == nil)
    }

    @Test("kinds: the report command keeps its 14 statements (3 of them budget accounting); views are document kinds only")
    func kinds() {
        #expect(ReportKind.reportCommandKinds == ReportKind.allCases)
        #expect(ReportKind.reportCommandKinds.count == 14)
        #expect(ReportKind.bookKinds.count == 9)
        #expect(!ReportKind.bookKinds.contains(.selfEvaluation))
        for kind in ReportKind.allCases { #expect(DocumentKind.statement(kind).reportKind == kind) }
        #expect(Set(ViewKind.allCases.map(\.rawValue)).isDisjoint(with: ReportKind.allCases.map(\.rawValue)), "names tell kinds apart")
        #expect(ViewKind.allCases.allSatisfy { $0.rawValue.allSatisfy(\.isASCII) && !$0.chineseTitle.isEmpty })
    }
}
