import ArgumentParser
import Foundation
import Testing
@testable import workshop_ledger

/// Every subcommand of the built binary, run once against one small ledger the way an
/// accountant and a bureau would use it, with formula text in memos to show every CSV defuses
/// it. The last test checks that no leaf command of the tree was left out.
@Suite("end to end: every subcommand", .serialized)
struct EveryCommandTests {
    let e2e = EndToEndTests()
    static let host = "91512002MA62K3B01N"

    /// The command paths this suite runs (and `demo`, which EndToEndTests runs, and `serve`,
    /// which WebServeTests runs with the browser tests).
    nonisolated(unsafe) static var ran: Set<String> = ["demo", "serve"]

    final class Ledger {
        let directory: URL
        let e2e: EndToEndTests

        init(_ e2e: EndToEndTests) throws {
            self.e2e = e2e
            directory = try e2e.temporaryDirectory()
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        var environment: [String: String] { ["WORKSHOP_LEDGER_DB": directory.appendingPathComponent("l.sqlite").path, "USER": "李会计"] }

        /// Runs a command; `expect` is the exit status it must end with.
        @discardableResult
        func run(_ arguments: [String], expect status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> EndToEndTests.Result {
            let result = try e2e.run(arguments, in: directory, environment: environment)
            #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
            EveryCommandTests.record(arguments)
            return result
        }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }

        func read(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }
    }

    static func record(_ arguments: [String]) {
        let groups: Set<String> = ["user", "host-unit", "studio", "voucher", "import", "period", "finding", "budget", "evidence", "keys", "activity", "target", "policy", "calendar", "confidential", "mapping"]
        guard let first = arguments.first else { return }
        if groups.contains(first), arguments.count > 1 {
            ran.insert("\(first) \(arguments[1])")
        } else if first == "export" {
            ran.insert(arguments.count > 1 && arguments[1] == "erp" ? "export erp" : "export data")
        } else if first == "audit-package" {
            ran.insert(arguments.count > 1 && arguments[1] == "verify" ? "audit-package verify" : "audit-package build")
        } else {
            ran.insert(first)
        }
    }

    /// No formula may start a CSV field; the memos with formula text appear defused.
    static func expectDefused(_ csv: String, _ what: String, memo: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let records = csv.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n")
        for record in records {
            for field in record.split(separator: ",", omittingEmptySubsequences: false) {
                let text = field.hasPrefix("\"") ? field.dropFirst() : field[...]
                // Digits kept as text (="400101", an account or invoice code) show only the text.
                let keptText = field.hasPrefix("\"=\"\"") && field.hasSuffix("\"\"\"") && field.count > 7
                    && field.dropFirst(4).dropLast(3).allSatisfy { $0 == " " || $0 == "E" || ($0.isASCII && $0.isNumber) }
                if keptText { continue }
                if let first = text.first, "=+@".contains(first) {
                    Issue.record("\(what): live formula field \(field)", sourceLocation: sourceLocation)
                }
            }
        }
        if memo { #expect(csv.contains("'=HYPERLINK"), "\(what) holds the defused memo", sourceLocation: sourceLocation) }
    }

    static let vouchers = """
        [{"studio": "S1", "date": "2025-12-20", "class": "记", "attachments": 1, "settlement": "bank-transfer",
          "counterparty": "资阳市财政局", "preparer": "李会计", "reviewer": "王主管",
          "lines": [{"memo": "收到市级补助资金", "account": "100201", "fund": "subsidy", "side": "debit", "amount": "30000.00"},
                    {"memo": "收到市级补助资金", "account": "400101", "fund": "subsidy", "side": "credit", "amount": "30000.00"}]},
         {"studio": "S1", "date": "2026-01-10", "class": "记", "attachments": 1, "settlement": "bank-transfer",
          "counterparty": "资阳机床厂", "preparer": "李会计", "reviewer": "王主管",
          "lines": [{"memo": "=HYPERLINK(\\"http://x\\",\\"y\\")", "account": "500101", "fund": "subsidy", "side": "debit", "amount": "1000.00",
                     "invoiceNumber": "25512000000012345678"},
                    {"memo": "支付设备款", "account": "100201", "fund": "subsidy", "side": "credit", "amount": "1000.00"}]}]
        """

    static let importCSV = """
        日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,附单据数,制单人,审核人
        2026-02-05,记,1,发放工作室成员奖金,500107,补助资金,500.00,,1,李会计,王主管
        2026-02-05,记,1,-2+3+cmd|' /C calc'!A0,100201,补助资金,,500.00,1,李会计,王主管

        """

    @Test("every subcommand, in the order a studio's books are kept")
    func everySubcommand() throws {
        let l = try Ledger(e2e)
        try l.run(["init"])
        #expect(try JSONSerialization.jsonObject(with: Data(l.run(["accounts", "--format", "json"]).stdout.utf8)) is [Any])
        try l.run(["host-unit", "add", "--credit-code", Self.host, "--name", "资阳测试机械有限公司", "--kind", "enterprise", "--county", "雁江区"])
        #expect(try l.run(["host-unit", "list"]).stdout.contains("资阳测试机械有限公司"))
        try l.run(["studio", "add", "--code", "S1", "--name", "测试工作室", "--host-unit", Self.host, "--leader", "张师傅", "--recognized", "2025-12-15", "--subsidy", "30000"])
        #expect(try l.run(["studio", "list", "--format", "csv"]).stdout.contains("测试工作室"))

        // Recording.
        try l.write("v.json", Self.vouchers)
        #expect(try l.run(["voucher", "post", "v.json", "--allow-unreviewed"]).stdout.contains("已记账 S1 2026-01 记-0001"))
        try l.write("i.csv", Self.importCSV)
        let imported = try l.run(["import", "vouchers", "i.csv", "--studio", "S1", "--allow-unreviewed"])
        #expect(imported.stdout.contains("已导入 1 张凭证") && imported.stdout.contains("SUB-001"), "posting shows the finding it raises")
        #expect(try l.run(["voucher", "show", "记-1", "--studio", "S1", "--period", "2026-01"]).stdout.contains("HYPERLINK"))
        try l.run(["voucher", "show", "x-1", "--studio", "S1", "--period", "2026-01"], expect: 2)
        try l.run(["voucher", "show", "记-9", "--studio", "S1", "--period", "2026-01"], expect: 2)

        // Book views in several formats; every CSV defused.
        Self.expectDefused(try l.run(["journal", "--studio", "S1", "--format", "csv"]).stdout, "journal")
        try l.run(["balance", "--studio", "S1", "--format", "pdf", "--out", "b.pdf"])
        #expect(try l.read("b.pdf").prefix(4) == Data("%PDF".utf8))
        let early = try JSONSerialization.jsonObject(with: Data(l.run(["balance", "--studio", "S1", "--as-of", "2026-01-09", "--format", "json"]).stdout.utf8)) as? [String: Any]
        #expect(early?["to"] as? String == "2026-01")
        Self.expectDefused(try l.run(["ledger", "--studio", "S1", "--account", "5001", "--format", "csv"]).stdout, "ledger")

        // Months.
        try l.run(["period", "close", "2025-12", "--studio", "S1"])
        try l.run(["period", "close", "2026-01", "--studio", "S1"])
        #expect(try l.run(["period", "status", "--studio", "S1"]).stdout.contains("2026"))
        try l.run(["period", "reopen", "2026-01", "--studio", "S1", "--reason", "补记利息"])
        try l.run(["voucher", "reverse", "1", "--studio", "S1", "--period", "2026-01", "--reason", "误记", "--date", "2026-02-10", "--reviewer", "王主管"])

        // Compliance: a finding, explained by one person, decided by another.
        let check = try l.run(["check", "--studio", "S1", "--as-of", "2026-11-20", "--format", "json"], expect: 1)
        let findings = (try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        let key = try #require(findings.first { $0["rule"] as? String == "SUB-001" }?["key"] as? String)
        try l.run(["finding", "explain", key, "--text", "奖金已由依托单位退回"])
        try l.run(["finding", "reject", key, "--note", "未见退款凭证", "--user", "王主管"])
        try l.run(["finding", "explain", key, "--text", "退款见 2026-03 凭证"])
        try l.run(["finding", "accept", key, "--note", "已核对", "--user", "王主管"])
        try l.run(["finding", "accept", "SUB-001/S1", "--user", "王主管"], expect: 2)

        // Budgets and statements.
        try l.run(["budget", "set", "--studio", "S1", "--fund", "subsidy", "--category", "equipment", "--amount", "20000", "--reason", "初始计划"])
        try l.write("b.csv", "资金来源,支出类别,预算金额\n补助资金,技术研发,6000\n")
        try l.run(["budget", "import", "b.csv", "--studio", "S1"])
        #expect(try l.run(["budget", "show", "--studio", "S1"]).stdout.contains("20,000.00"))
        #expect(try l.run(["budget", "show", "--studio", "S1", "--history", "--format", "json"]).stdout.contains("amount"))
        for kind in ["trial-balance", "general-ledger", "journal", "subsidiary-ledger", "vouchers", "expense-detail", "fund-statement", "findings"] {
            let memo = ["journal", "subsidiary-ledger", "vouchers", "expense-detail"].contains(kind)
            Self.expectDefused(try l.run(["report", kind, "--studio", "S1", "--as-of", "2026-11-20", "--format", "csv"]).stdout, kind, memo: memo)
        }
        try l.run(["report", "fund-statement", "--studio", "S1", "--format", "xlsx", "--out", "f.xlsx"])
        #expect(try l.read("f.xlsx").prefix(2) == Data("PK".utf8))

        // Evidence, keys, the audit package and the exports.
        try l.write("scan.pdf", "%PDF-1.4 扫描件")
        try l.run(["evidence", "add", "scan.pdf", "--studio", "S1", "--voucher", "记-1", "--period", "2025-12"])
        #expect(try l.run(["evidence", "list", "--studio", "S1"]).stdout.contains("scan.pdf"))
        try l.run(["keys", "generate", "--host-unit", Self.host, "--key-file", "k.ed25519"])
        #expect(try l.run(["keys", "show", "--host-unit", Self.host]).stdout.contains("现行"))
        try l.run(["audit-package", "--studio", "S1", "--as-of", "2026-11-20", "--key-file", "k.ed25519", "--out", "p.zip"])
        #expect(try l.run(["audit-package", "verify", "p.zip"]).stdout.contains("核验通过"))
        #expect(try l.run(["verify", "--against", "p.zip"]).stdout.contains("全部通过"), "the books extend what was handed over")
        try l.run(["export", "ao", "--studio", "S1", "--as-of", "2026-11-20", "--out", "ao"])
        let ao = String(decoding: try l.read("ao/UTF-8/凭证库.csv"), as: UTF8.self)
        Self.expectDefused(ao, "AO 凭证库")
        try l.run(["export", "gbt24589", "--studio", "S1", "--out", "xml"])
        #expect(try l.run(["export", "hledger", "--studio", "S1", "--out", "-"]).stdout.contains("100201"))
        try l.run(["export", "beancount", "--studio", "S1", "--out", "l.beancount"])

        // Issue 18: the host unit's own chart both ways (mapping, ERP file, import in its codes).
        try l.write("m.csv", """
            科目编码,资金来源,依托单位科目编码,依托单位科目名称,项目编码,项目名称
            100201,补助资金,1002.01,银行存款-专户,P01,技能大师工作室补助资金
            400101,补助资金,5301.01,专项收入-补助,P01,技能大师工作室补助资金
            500101,补助资金,5301.02,专项支出-设备,P01,技能大师工作室补助资金

            """)
        try l.run(["export", "erp", "--format", "kingdee", "--studio", "S1", "--period", "2025-12..2026-01", "-o", "k.csv"], expect: 2)
        #expect(try l.run(["mapping", "import", "m.csv", "--host-unit", Self.host]).stdout.contains("第 1 版"))
        #expect(try l.run(["mapping", "list", "--host-unit", Self.host]).stdout.contains("1002.01"))
        #expect(try l.run(["export", "erp", "--format", "kingdee", "--studio", "S1", "--period", "2025-12..2026-01", "-o", "k.csv"]).stdout.contains("2 张凭证"))
        try l.run(["studio", "add", "--code", "S2", "--name", "对照导入工作室", "--host-unit", Self.host, "--leader", "张师傅", "--recognized", "2025-12-15", "--subsidy", "30000"])
        #expect(try l.run(["import", "vouchers", "k.csv", "--studio", "S2", "--host-codes"]).stdout.contains("已导入 2 张凭证"))

        // Issue 15: a policy version, a holiday schedule, a 涉密 host unit.
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/policy/policy-2025.json")
        let policy = try String(contentsOf: shipped, encoding: .utf8)
            .replacingOccurrences(of: "资人社规〔2025〕2号《资阳市技能大师工作室建设项目实施管理办法》", with: "资阳市技能大师工作室建设项目实施管理办法（测试载入）")
        try l.write("p.json", policy)
        #expect(try l.run(["policy", "add", "p.json"]).stdout.contains("第 1 版"))
        #expect(try l.run(["policy", "list"]).stdout.contains("ziyang-2025 第 1 版"))
        try l.write("bad.json", policy.replacingOccurrences(of: "\"cashLimitFen\": 100000", with: "\"cashLimitFen\": \"x\""))
        #expect(try l.run(["policy", "add", "bad.json"], expect: 2).stderr.contains("thresholds.cashLimitFen"))
        try l.write("2027.csv", "date,kind,name\n2027-10-01,holiday,国庆节\n")
        #expect(try l.run(["calendar", "add", "2027.csv"]).stdout.contains("2027"))
        #expect(try l.run(["calendar", "list"]).stdout.contains("2027"))
        try l.run(["confidential", "mark", "--host-unit", Self.host, "--basis", "涉密资格"])
        #expect(try l.run(["confidential", "list"]).stdout.contains("标记涉密"))
        #expect(try l.run(["confidential", "audit-package", "--studio", "S1", "--as-of", "2026-11-20", "--key-file", "k.ed25519", "--out", "c.zip"])
            .stdout.contains("电子单据未收录"))
        try l.run(["confidential", "mark", "--host-unit", Self.host, "--basis", "再次"], expect: 2)
        try l.run(["confidential", "lift", "--host-unit", Self.host, "--basis", "解密"])
        #expect(try l.run(["log", "--action", "policy.add"]).stdout.contains("ziyang-2025"))

        // The studio's life and its evaluation.
        try l.write("a.csv", "日期,类型,名称,数量,金额,是否达成,证明材料,备注\n2026-03-12,培训,刀工培训,24,,,签到表.pdf,\n")
        try l.run(["activity", "import", "a.csv", "--studio", "S1"])
        try l.run(["activity", "add", "--studio", "S1", "--date", "2026-04-02", "--kind", "apprentice", "--title", "带徒协议", "--quantity", "3"])
        #expect(try l.run(["activity", "list", "--studio", "S1"]).stdout.contains("刀工培训"))
        try l.run(["target", "set", "--studio", "S1", "--indicator", "satisfaction", "--target", "90", "--actual", "96"])
        #expect(try l.run(["target", "list", "--studio", "S1"]).stdout.contains("satisfaction"))
        #expect(try l.run(["evaluation", "--studio", "S1", "--as-of", "2026-11-20", "--out", "eval"]).stdout.contains("绩效自评得分"))
        try l.run(["studio", "notice", "S1", "--kind", "commendation", "--date", "2026-10-28", "--by", "市人社局"])
        try l.run(["studio", "change", "S1", "--kind", "leader", "--date", "2026-10-26", "--note", "领办人调任"])
        try l.run(["studio", "change", "S1", "--reported", "1", "--date", "2026-10-30"])
        try l.run(["studio", "change", "S1", "--decided", "1", "--date", "2026-11-05", "--note", "同意"])
        // 第十一条: the approved change of leader takes effect from its decision date.
        #expect(try l.run(["studio", "change-effect", "S1", "--change", "1", "--new-leader", "王师傅"]).stdout.contains("自 2026-11-05 起生效"))
        try l.run(["studio", "change-effect", "S1", "--change", "1", "--new-leader", "王师傅"], expect: 2)
        // 平行记账: a college's studio gets budget lines on its receipt, its basis and its year end.
        try l.run(["host-unit", "add", "--credit-code", "12512000MB1C72496Q", "--name", "资阳测试职业技术学院", "--kind", "college", "--county", "雁江区"])
        try l.run(["studio", "add", "--code", "C1", "--name", "学院工作室", "--host-unit", "12512000MB1C72496Q", "--leader", "张桂芳", "--recognized", "2025-11-20", "--subsidy", "30000"])
        #expect(try l.run(["studio", "budget-basis", "C1"]).stdout.contains("补助资金：660101；结转科目 8201"))
        #expect(try l.run(["studio", "budget-basis", "C1", "--fund", "补助资金", "--account", "600101"]).stdout.contains("补助资金：600101；结转科目 8101"))
        try l.write("c.json", Self.vouchers.replacingOccurrences(of: "\"S1\"", with: "\"C1\""))
        try l.run(["voucher", "post", "c.json", "--allow-unreviewed"])
        #expect(try l.run(["report", "budget-statement", "--studio", "C1", "--format", "csv"]).stdout.contains("600101"))
        #expect(try l.run(["voucher", "budget-close", "--studio", "C1", "--year", "2025", "--reviewer", "王主管"]).stdout.contains("年末预算收支结转"))
        try l.run(["voucher", "budget-close", "--studio", "S1", "--year", "2025", "--reviewer", "王主管"], expect: 2)
        let register = try l.run(["studio", "list", "--format", "csv"]).stdout
        #expect(register.contains("王师傅") && register.contains("2026-11-05"), "\(register)")
        #expect(try l.run(["deadlines", "--as-of", "2026-11-20", "--format", "json"]).stdout.hasPrefix("["))
        let overview = try l.run(["overview", "--as-of", "2026-11-20", "--format", "csv"]).stdout
        #expect(overview.contains("合计") && overview.contains("核定补助"))
        let revoked = try l.run(["studio", "advance", "S1", "--to", "revoked", "--date", "2026-11-25", "--by", "市人社局", "--ground", "fraud"])
        #expect(revoked.stdout.contains("已记账追回补助资金凭证"))
        #expect(try l.run(["studio", "status", "S1"]).stdout.contains("应退补助资金"))
        try l.run(["studio", "repay", "S1", "--date", "2026-11-26", "--amount", "29500"])
        #expect(try l.run(["studio", "status", "S1", "--format", "json"]).stdout.contains("\"refundOwedFen\" : 50000"))
        #expect(try l.run(["studio", "history", "S1"]).stdout.contains("第 1 号"))

        // The web desk's accounts.
        #expect(try l.run(["user", "add", "--name", "市人社局审核员", "--role", "bureau"]).stdout.contains("一次性密码"))
        #expect(try l.run(["user", "list", "--format", "csv"]).stdout.contains("市人社局审核员"))
        #expect(try l.run(["user", "reset-password", "--name", "市人社局审核员"]).stdout.contains("一次性密码"))
        #expect(try l.run(["user", "disable", "--name", "市人社局审核员"]).stdout.contains("已停用"))

        // The ledger as a whole.
        #expect(try l.run(["log", "--action", "voucher"]).stdout.contains("voucher"))
        #expect(try l.run(["verify"]).stdout.contains("全部通过"))
    }

    @Test("no leaf command of the tree is left out")
    func coverage() throws {
        func leaves(_ command: any ParsableCommand.Type, path: [String]) -> [String] {
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { return [path.joined(separator: " ")] }
            return subcommands.flatMap { sub in leaves(sub, path: path + [sub.configuration.commandName ?? sub._commandName]) }
        }
        let all = Set(leaves(WorkshopLedger.self, path: []))
        try everySubcommand()
        #expect(all.subtracting(Self.ran).isEmpty, "not run end to end: \(all.subtracting(Self.ran).sorted())")
    }
}
