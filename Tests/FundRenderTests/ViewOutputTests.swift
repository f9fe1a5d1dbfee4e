import FundCore
import FundReports
import FundTestSupport
import Foundation
import Testing

@testable import FundRender

/// The view builders against the JSON of the hand-made views they replaced (LedgerViews,
/// FindingViews, BudgetViews, deleted since): that JSON was recorded byte for byte into
/// Tests/FundRenderTests/PinnedViews/ while both existed, and the builders must still write it
/// (or, for the statements that took over `balance`/`ledger`, contain every key and value of
/// it). Every view also renders in every format.
@Suite("view builders through ReportOutput")
struct ViewOutputTests {
    static let period = Period(year: 2026, month: 1)!

    static func vouchers() -> [PostedVoucher] {
        var reversal = TestLedger.simple(date: "2026-01-20", debit: "500101", credit: "100201", fen: -123_450)
        reversal.counterparty = "焊材/五金店"
        reversal.sourceRef = "OA-2026/7"
        return TestLedger.posted([
            TestLedger.receipt(date: "2026-01-05", fund: .subsidy, fen: 3_000_000),
            TestLedger.simple(date: "2026-01-10", debit: "500101", credit: "100201", fen: 123_450, memo: "购焊机"),
            TestLedger.receipt(date: "2026-01-12", fund: .enterprise, fen: 500_000),
            reversal,
        ])
    }

    static func header(_ chart: ChartOfAccounts) throws -> ReportHeader {
        ReportHeader(
            studio: try Studio(
                code: "S1", name: "焊接工作室", hostUnit: try CreditCode(TestLedger.hostCode), leader: "张师傅", field: "焊接",
                recognized: TestLedger.date("2025-12-15"), approvedSubsidy: Money(fen: 3_000_000)),
            hostUnit: try HostUnit(creditCode: try CreditCode(TestLedger.hostCode), name: "资阳测试机械有限公司", kind: .enterprise, county: "雁江区"),
            chart: chart, fund: nil, from: period, to: period, preparedOn: TestLedger.date("2026-02-01"))
    }

    static func turnovers(_ vouchers: [PostedVoucher]) -> [MonthTurnover] {
        var sums: [String: (MonthTurnover)] = [:]
        for voucher in vouchers {
            for line in voucher.draft.lines {
                let key = "\(line.fund.rawValue)/\(line.account)"
                let old = sums[key]
                let debit = (old?.debit.fen ?? 0) + (line.side == .debit ? line.amount.fen : 0)
                let credit = (old?.credit.fen ?? 0) + (line.side == .credit ? line.amount.fen : 0)
                sums[key] = MonthTurnover(
                    studio: "S1", fund: line.fund, account: line.account, period: voucher.ref.period, debit: Money(fen: debit),
                    credit: Money(fen: credit))
            }
        }
        return sums.keys.sorted().map { sums[$0]! }
    }

    static func json(_ report: AnyReport) throws -> String {
        String(decoding: try ReportOutput.render(report, format: .json, generator: "t"), as: UTF8.self)
    }

    /// Every key of `part` is in `whole` with an equal value (recursively; arrays element-wise).
    static func contained(_ part: Any, in whole: Any, path: String = "$") -> [String] {
        switch (part, whole) {
        case (let part as [String: Any], let whole as [String: Any]):
            return part.flatMap { key, value in
                guard let other = whole[key] else { return ["\(path).\(key) missing"] }
                return contained(value, in: other, path: "\(path).\(key)")
            }
        case (let part as [Any], let whole as [Any]):
            guard part.count == whole.count else { return ["\(path): \(part.count) vs \(whole.count) elements"] }
            return zip(part, whole).enumerated().flatMap { index, pair in contained(pair.0, in: pair.1, path: "\(path)[\(index)]") }
        default:
            return (part as? NSObject) == (whole as? NSObject) ? [] : ["\(path): \(part) vs \(whole)"]
        }
    }

    static let pinnedDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("PinnedViews")

    /// The recorded JSON of a legacy view.
    static func pinned(_ name: String) throws -> String {
        try String(contentsOf: pinnedDirectory.appendingPathComponent("\(name).json"), encoding: .utf8)
    }

    /// `WORKSHOP_LEDGER_REGENERATE_GOLDEN=1` rewrites the file (after an intended change; review
    /// the diff as with the golden reports).
    static func expectPinned(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if ProcessInfo.processInfo.environment["WORKSHOP_LEDGER_REGENERATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: pinnedDirectory.appendingPathComponent("\(name).json"))
        }
        #expect(actual == (try pinned(name)), "\(name).json", sourceLocation: sourceLocation)
    }

    static func parse(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test("journal and voucher JSON: byte for byte the `journal`/`voucher show` JSON")
    func journalJSON() throws {
        let chart = try TestLedger.defaultChart()
        let vouchers = Self.vouchers()
        let built = try JournalReport.build(try Self.header(chart), vouchers: vouchers)
        let journal = try Self.json(AnyReport(document: built.document, value: JournalVouchersJSON(vouchers: built.value.vouchers)))
        try Self.expectPinned(journal, "journal")
        // The statement's own JSON holds the same vouchers.
        #expect(Self.contained(try Self.parse(journal), in: try Self.parse(Self.json(AnyReport(built)))).isEmpty)
        for voucher in vouchers {
            let view = try AuditViews.voucher(voucher, chart: chart, followUps: [])
            try Self.expectPinned(try Self.json(view), "voucher-\(voucher.ref.number)")
        }
    }

    @Test("trial balance statement JSON contains every key and value of `balance --format json`")
    func trialBalanceJSON() throws {
        let chart = try TestLedger.defaultChart()
        let balance = try TrialBalance.build(
            studio: "S1", chart: chart, turnovers: Self.turnovers(Self.vouchers()), funds: Fund.allCases, from: Self.period, to: Self.period)
        let statement = try Self.json(AnyReport(TrialBalanceReport.build(try Self.header(chart), balance)))
        let view = try Self.pinned("balance")
        let missing = Self.contained(try Self.parse(view), in: try Self.parse(statement))
        #expect(missing.isEmpty, "\(missing.prefix(5))")
    }

    @Test("one-account 明细账 statement JSON contains every key and value of `ledger --format json`")
    func ledgerJSON() throws {
        let chart = try TestLedger.defaultChart()
        let account = try #require(chart["1002"])
        var entries: [LedgerEntry] = []
        for voucher in Self.vouchers() {
            for (index, line) in voucher.draft.lines.enumerated() where line.account.hasPrefix("1002") {
                entries.append(LedgerEntry(ref: voucher.ref, date: voucher.draft.date, lineNumber: index + 1, line: line, counterparty: ""))
            }
        }
        let ledger = try AccountLedger.build(account: account, turnovers: [], entries: entries, from: Self.period)
        let statement = try Self.json(AnyReport(SubsidiaryLedgerReport.build(try Self.header(chart), ledgers: [ledger])))
        let view = try Self.pinned("ledger")
        let missing = Self.contained(try Self.parse(view), in: try Self.parse(statement))
        #expect(missing.isEmpty, "\(missing.prefix(5))")
    }

    static func findings() -> [Finding] {
        let voucher = vouchers()[1]
        return [
            Finding(
                rule: "SUB-001", category: .ineligibleSpending, severity: .violation, studio: "S1", voucher: voucher, line: 1,
                fund: .subsidy, amount: Money(fen: 123_450), article: "第八条", message: "支出不符合 \"范围\"", remedy: "整改/退回"),
            Finding(
                rule: "EVI-002", category: .missingEvidence, severity: .notice, studio: "S1", voucher: nil, fund: nil, amount: .zero,
                article: "第十四条", message: "缺少单据", remedy: "补充"),
        ]
    }

    @Test("check, budget, log, deadlines, verification JSON: byte for byte today's views")
    func otherJSON() throws {
        var summary = CheckSummary()
        summary.findings = 2
        summary.bySeverity = ["violation": 1, "notice": 1]
        summary.asOf = "2026-02-01"
        let result = CheckResult(findings: Self.findings(), summary: summary)
        try Self.expectPinned(try Self.json(AuditViews.check(result)), "check")
        let raised = Self.findings()
        try Self.expectPinned(try Self.json(AuditViews.raisedFindings(raised)), "raised-findings")

        let lines = [
            try BudgetLine(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 1_000_000)),
            try BudgetLine(studio: "S1", fund: .enterprise, category: .rnd, amount: Money(fen: 70_000)),
        ]
        try Self.expectPinned(try Self.json(BudgetReports.current(lines, studio: "S1")), "budget")
        let revisions = [BudgetRevision(line: lines[0], revision: 1, at: "2026-01-01T00:00:00Z", user: "甲", reason: "初设")]
        try Self.expectPinned(try Self.json(BudgetReports.history(revisions, studio: "S1")), "budget-history")

        let entries = [LogEntry(sequence: 1, at: "2026-01-01T00:00:00Z", user: "甲", action: "voucher", studio: "S1", detail: "记账 a/b", hash: "ab")]
        try Self.expectPinned(try Self.json(AuditViews.log(entries)), "log")

        let studio = try Studio(
            code: "S1", name: "焊接工作室", hostUnit: try CreditCode(TestLedger.hostCode), leader: "张师傅", field: "", recognized: TestLedger.date("2025-12-15"),
            approvedSubsidy: Money(fen: 3_000_000))
        let items = Deadlines.items(studio: studio, history: [], changes: [
            StudioChange(id: 1, studio: "S1", kind: .leader, eventDate: TestLedger.date("2026-03-01"), detail: "调动"),
        ], asOf: TestLedger.date("2026-03-10"))
        try Self.expectPinned(try Self.json(StudioReports.deadlines(items, asOf: TestLedger.date("2026-03-10"))), "deadlines")

        var report = VerificationReport()
        report.problems = [VerificationProblem(code: .chainBroken, studio: "S1", voucher: nil, message: "链断")]
        try Self.expectPinned(try Self.json(AuditViews.verification(report)), "verification")

        let chart = try TestLedger.defaultChart()
        let accounts = try Self.parse(Self.json(RegisterReports.accounts(chart))) as? [[String: Any]]
        #expect(accounts?.count == chart.accounts.count)
    }

    /// Every view, for the all-formats run.
    static func views() throws -> [AnyReport] {
        let chart = try TestLedger.defaultChart()
        let vouchers = Self.vouchers()
        let studio = try Studio(
            code: "S1", name: "焊接工作室", hostUnit: try CreditCode(TestLedger.hostCode), leader: "张师傅", field: "", recognized: TestLedger.date("2025-12-15"),
            approvedSubsidy: Money(fen: 3_000_000))
        let status = StudioStatus(
            studio: "S1", name: "焊接工作室", state: .rectification, recorded: false, since: TestLedger.date("2026-01-01"),
            constructionWindow: studio.constructionWindow, approvedSubsidyFen: Money(fen: 3_000_000), subsidyReceivedFen: .zero,
            refundOwedFen: Money(fen: 1), warnings: 0, commendations: 1, openChanges: 0, rectificationDeadline: TestLedger.date("2026-06-30"))
        let ref = vouchers[1].ref
        var summary = CheckSummary()
        summary.asOf = "2026-02-01"
        var problems = VerificationReport()
        problems.problems = [VerificationProblem(code: .hashMismatch, studio: "S1", voucher: "2026-01 记-0002", message: "哈希不符")]
        let activity = try Activity(studio: "S1", date: TestLedger.date("2026-04-01"), kind: .project, title: "工艺改进", amount: Money(fen: 5_000_000), achieved: true)
        return [
            RegisterReports.accounts(chart),
            RegisterReports.hostUnits([]),
            RegisterReports.studios([studio]),
            RegisterReports.signingKeys([SigningKey(hostUnit: "H", publicKeyHex: String(repeating: "ab", count: 32), at: "t", user: "u", fingerprint: "f")], hostUnit: "H"),
            RegisterReports.evidence([EvidenceFile(voucher: ref, sha256: String(repeating: "0", count: 64), size: 9, fileName: "a.pdf", at: "t", user: "u")], studio: "S1"),
            StudioReports.status(status),
            StudioReports.history(studio: "S1", records: [], changes: []),
            StudioReports.deadlines([], asOf: TestLedger.date("2026-03-10")),
            StudioReports.activities([activity], studio: "S1"),
            try BudgetReports.current([try BudgetLine(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 100))], studio: "S1"),
            BudgetReports.history([], studio: "S1"),
            AuditViews.log([]),
            AuditViews.check(CheckResult(findings: Self.findings(), summary: summary)),
            AuditViews.check(CheckResult(findings: [], summary: summary)),
            AuditViews.raisedFindings(Self.findings()),
            AuditViews.verification(VerificationReport()),
            AuditViews.verification(problems),
            try AuditViews.voucher(vouchers[3], chart: chart, followUps: [vouchers[2]]),
            AuditViews.periodStatus(studio: "S1", book: PeriodBook()),
            UserReports.users([
                WebAccount(
                    id: 1, name: "王主管", role: .bureau, scope: .all, expires: nil, disabled: false, mustChangePassword: true,
                    createdAt: "2026-11-20T01:00:00Z", createdBy: "系统管理员"),
                WebAccount(
                    id: 2, name: "=审计员", role: .auditor, scope: .studios(["S1", "S2"]), expires: TestLedger.date("2026-12-31"),
                    disabled: true, mustChangePassword: false, createdAt: "2026-11-20T01:00:00Z", createdBy: "系统管理员"),
            ], today: TestLedger.date("2026-11-20")),
            UserReports.users([], today: TestLedger.date("2026-11-20")),
        ]
    }

    @Test("every view renders in every format", arguments: OutputFormat.allCases)
    func everyViewEveryFormat(_ format: OutputFormat) throws {
        for report in try Self.views() {
            let data = try ReportOutput.render(report, format: format, encoding: .gb18030, generator: "测试")
            #expect(!data.isEmpty, "\(report.document.kind) \(format)")
            let ascii = report.document.fileStem.allSatisfy(\.isASCII)
            #expect(ascii)
            if format == .pdf { #expect(data.starts(with: Array("%PDF".utf8))) }
            if format == .xlsx { #expect(data.starts(with: Array("PK".utf8))) }
        }
    }

    @Test("the terminal text of a few views")
    func terminalText() throws {
        let chart = try TestLedger.defaultChart()
        let vouchers = Self.vouchers()
        let voucher = TextRenderer.render(try AuditViews.voucher(vouchers[1], chart: chart, followUps: [vouchers[3]]).document)
        #expect(voucher.hasPrefix("记账凭证　工作室：S1　期间：2026-01　单位：元\n记-0002　2026年1月10日　附单据 1 张\n"))
        #expect(voucher.contains("合计") && voucher.contains("1,234.50"))
        #expect(voucher.contains("已被 2026-01 记-0004 订正\n") || voucher.contains("已被 2026-01 记-0004 红字冲销\n"))
        let budget = TextRenderer.render(try BudgetReports.current([
            try BudgetLine(studio: "S1", fund: .subsidy, category: .equipment, amount: Money(fen: 100_000)),
            try BudgetLine(studio: "S1", fund: .subsidy, category: .rnd, amount: Money(fen: 23_456)),
        ], studio: "S1").document)
        let lines = budget.components(separatedBy: "\n")
        let totalLine = try #require(lines.last { $0.hasPrefix("补助资金合计") })
        #expect(totalLine.hasSuffix("1,234.56"))
        #expect(lines[lines.firstIndex(of: totalLine)! - 1].allSatisfy { $0 == "-" || $0 == " " })
        let clean = TextRenderer.render(AuditViews.check(CheckResult(findings: [], summary: CheckSummary())).document)
        #expect(clean.contains("\n未发现问题\n"))
    }
}
