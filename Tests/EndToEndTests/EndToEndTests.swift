import Foundation
import Testing

/// Runs the built `workshop-ledger` binary as a user would: the demo, a bad import, tampering.
@Suite("end to end: the built binary")
struct EndToEndTests {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("workshop-ledger")
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built binary, set up to run `arguments` in `directory` (the ledger only from
    /// `--db` or `environment`, never the caller's `WORKSHOP_LEDGER_DB`).
    static func process(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["WORKSHOP_LEDGER_DB"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return process
    }

    /// Runs the binary; `input`, when given, is its standard input.
    func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Self.process(arguments, in: directory, environment: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wl-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func demoBuildsVerifiesAndPrintsTrialBalances() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "built binary at \(Self.binary.path)")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try run(["demo", "--out", "out"], in: directory)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("科目余额表"))
        #expect(demo.stdout.contains("【补助资金账】"))
        #expect(demo.stdout.contains("【合并（全部资金）】"))
        #expect(demo.stdout.contains("校验：全部通过"))
        let database = directory.appendingPathComponent("out/workshop-ledger.sqlite").path
        #expect(FileManager.default.fileExists(atPath: database))

        let verify = try run(["verify", "--db", database], in: directory)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("全部通过"))

        let json = try run(["balance", "--db", database, "--studio", "ZY2025-003", "--format", "json"], in: directory)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let sections = object?["sections"] as? [[String: Any]] ?? []
        #expect(sections.map { $0["fund"] as? String } == ["subsidy", "enterprise", "self-raised", "combined"])
        for section in sections {
            #expect(section["balanced"] as? Bool == true)
            let rows = section["rows"] as? [[String: Any]] ?? []
            #expect(rows.allSatisfy { $0["openingFen"] is Int && $0["closingFen"] is Int && $0["account"] is String })
        }

        #expect(demo.stdout.contains("合规检查"))
        let check = try run(["check", "--db", database, "--all", "--as-of", "2026-11-20", "--format", "json"], in: directory)
        #expect(check.status == 1, "violations exit 1")
        let checked = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        let findings = checked?["findings"] as? [[String: Any]] ?? []
        // The ten seeded findings and the bonus's memo; the clawback carries the deciding bureau
        // as its reviewer (issue 15 item 5), so no JE-002 on it.
        #expect(findings.count == 11)
        #expect(findings.allSatisfy { ($0["rule"] as? String) != nil && ($0["article"] as? String)?.contains("第") == true && $0["amountFen"] is Int })
        #expect((checked?["summary"] as? [String: Any])?["studios"] as? Int == 4)
        let clean = try run(["check", "--db", database, "--studio", "ZY2025-003", "--as-of", "2026-11-20"], in: directory)
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("未发现问题"))
        #expect(try run(["check", "--db", database], in: directory).status == 2, "neither --studio nor --all")
        #expect(try run(["check", "--db", database, "--all", "--as-of", "2026-13-01"], in: directory).status == 2)

        // One web desk account per role, each with its own random password.
        let accounts = Self.demoAccounts(demo.stdout)
        #expect(accounts.map(\.role) == ["bureau", "county", "accountant", "supervisor", "auditor", "admin"])
        #expect(accounts.first { $0.role == "auditor" }?.line.contains("2027-12-31") == true)
        #expect(Set(accounts.map(\.password)).count == 6 && accounts.allSatisfy { $0.password.count == 16 })
        let users = try run(["user", "list", "--db", database, "--format", "json"], in: directory)
        let listed = try JSONSerialization.jsonObject(with: Data(users.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(listed.count == 6 && listed.allSatisfy { $0["mustChangePassword"] as? Bool == false && $0["status"] as? String == "active" })

        // Demo runs twice to the same books: it starts from a fresh database each time. Only
        // the demo accounts' passwords differ (random each time).
        let again = try run(["demo", "--out", "out"], in: directory)
        #expect(again.status == 0)
        #expect(Self.demoAccounts(again.stdout).map(\.password) != accounts.map(\.password))
        #expect(Self.withoutPasswords(again.stdout) == Self.withoutPasswords(demo.stdout))
        #expect(Self.withoutPasswords(demo.stdout) != demo.stdout)
    }

    /// The rows of demo's 演示账户 table: name, role, the line, the password (its last column).
    static func demoAccounts(_ stdout: String) -> [(name: String, role: String, line: String, password: String)] {
        let lines = stdout.components(separatedBy: "\n")
        guard let header = lines.firstIndex(of: "======== 演示账户 ========") else { return [] }
        // The header line, the note, the column titles and the rule come first.
        return lines[(header + 4)...].prefix { !$0.isEmpty }.map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            return (fields.first ?? "", fields.count > 1 ? fields[1] : "", line, fields.last ?? "")
        }
    }

    /// Demo's output with the accounts' passwords cut off.
    static func withoutPasswords(_ stdout: String) -> String {
        var text = stdout
        for account in demoAccounts(stdout) { text = text.replacingOccurrences(of: account.password, with: "") }
        return text
    }

    @Test func badImportNamesFileLineAndFieldAndWritesNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let env = ["WORKSHOP_LEDGER_DB": directory.appendingPathComponent("l.sqlite").path]
        #expect(try run(["init"], in: directory, environment: env).status == 0)
        #expect(try run(["host-unit", "add", "--credit-code", "91512002MA62K3B01N", "--name", "测试单位", "--kind", "enterprise", "--county", "雁江区"], in: directory, environment: env).status == 0)
        #expect(try run(["studio", "add", "--code", "S1", "--name", "测试工作室", "--host-unit", "91512002MA62K3B01N", "--leader", "张三", "--recognized", "2025-12-15", "--subsidy", "30000"], in: directory, environment: env).status == 0)
        let csv = """
            日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,制单人
            2026-01-05,记,1,收到补助资金,100201,补助资金,30000.00,,李会计
            2026-01-05,记,1,收到补助资金,400101,补助资金,,30000.00,李会计
            2026-01-06,记,2,购置设备,500101,补助资金,12.345,,李会计
            2026-01-06,记,2,购置设备,100201,补助资金,,12.35,李会计

            """
        try Data(csv.utf8).write(to: directory.appendingPathComponent("bad.csv"))
        let result = try run(["import", "vouchers", "bad.csv", "--studio", "S1"], in: directory, environment: env)
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.csv:4: [M003] 字段 借方金额"))
        #expect(try run(["journal", "--studio", "S1", "--format", "csv"], in: directory, environment: env).stdout.split(separator: "\n").count == 1)
        let missing = try run(["balance", "--studio", "S1", "--db", "nope.sqlite"], in: directory)
        #expect(missing.status == 3)
    }

    @Test func helpIsChinese() throws {
        let help = try run(["--help"], in: FileManager.default.temporaryDirectory)
        #expect(help.status == 0)
        #expect(help.stdout.contains("技能大师工作室"))
        for command in ["init", "voucher", "import", "period", "balance", "journal", "ledger", "verify", "log", "demo"] {
            #expect(help.stdout.contains(command))
        }
    }
}
