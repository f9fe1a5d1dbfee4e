import Foundation
import Testing

/// `workshop-ledger user …` through the built binary: a password from standard input, the
/// one-time password, the listing in several formats, disabling, resetting, and rejections
/// that exit 2 naming their field.
@Suite("end to end: user commands")
struct UserCommandTests {
    let e2e = EndToEndTests()
    static let host = "91512002MA62K3B01N"

    @Test func userCommands() throws {
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let env = ["WORKSHOP_LEDGER_DB": directory.appendingPathComponent("l.sqlite").path, "USER": "系统管理员"]
        func run(_ arguments: [String], input: String? = nil, expect status: Int32 = 0) throws -> EndToEndTests.Result {
            let result = try e2e.run(arguments, in: directory, environment: env, input: input)
            #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        _ = try run(["init"])
        _ = try run(["host-unit", "add", "--credit-code", Self.host, "--name", "测试单位", "--kind", "enterprise", "--county", "雁江区"])
        _ = try run(["studio", "add", "--code", "S1", "--name", "测试工作室", "--host-unit", Self.host, "--leader", "张三", "--recognized", "2025-12-15", "--subsidy", "30000"])

        // A password from standard input (first line): not one-time, never printed.
        let password = "Qiao-Jiang-8831"
        let given = try run(["user", "add", "--name", "李会计", "--role", "accountant", "--host-unit", Self.host, "--password-stdin"], input: password + "\r\nsecond line\n")
        #expect(given.stdout.contains("已新增账户 李会计") && !given.stdout.contains("一次性密码") && !given.stdout.contains(password))
        // No password given: a one-time password, printed once and marked.
        let oneTime = try run(["user", "add", "--name", "审计员", "--role", "auditor", "--studio", "S1", "--expires", "2027-12-31"])
        let marked = try #require(oneTime.stdout.components(separatedBy: "\n").first { $0.hasPrefix("一次性密码") })
        let temporary = String(try #require(marked.split(separator: "：").last))
        #expect(temporary.count == 16)
        #expect(oneTime.stdout.contains("首次登录后须修改密码"))

        let table = try run(["user", "list"]).stdout
        #expect(table.contains("用户与授权") && table.contains("李会计") && table.contains("审计员") && table.contains("2027-12-31"))
        #expect(table.contains("用户名") && table.contains("授权范围") && table.contains("启用"))
        let csv = try run(["user", "list", "--format", "csv"]).stdout
        #expect(csv.contains("用户名,角色,授权范围,有效期至,状态,创建时间,创建人"))
        let json = try run(["user", "list", "--format", "json"]).stdout
        let accounts = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        #expect(accounts.map { $0["name"] as? String } == ["审计员", "李会计"])
        #expect(accounts.map { $0["mustChangePassword"] as? Bool } == [true, false])
        #expect(accounts.map { $0["createdBy"] as? String } == ["系统管理员", "系统管理员"])
        for text in [table, csv, json] { #expect(!text.contains("$2") && !text.contains(password) && !text.contains(temporary)) }
        let file = directory.appendingPathComponent("users.xlsx").path
        _ = try run(["user", "list", "--format", "xlsx", "--out", file])
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).starts(with: Array("PK".utf8)))

        let reset = try run(["user", "reset-password", "--name", "李会计"])
        let newOneTime = String(try #require(reset.stdout.components(separatedBy: "\n").first { $0.hasPrefix("一次性密码") }?.split(separator: "：").last))
        #expect(newOneTime.count == 16 && newOneTime != temporary)
        #expect(try run(["user", "disable", "--name", "李会计"]).stdout.contains("已停用账户 李会计"))
        #expect(try run(["user", "list", "--format", "json"]).stdout.contains("\"status\" : \"disabled\""))
        let log = try run(["log", "--action", "user", "--format", "json"]).stdout
        for action in ["user.add", "user.reset-password", "user.disable"] { #expect(log.contains("\"\(action)\"")) }
        #expect(!log.contains(password) && !log.contains(temporary) && !log.contains(newOneTime) && !log.contains("$2"))

        // Rejections exit 2 and name the field; nothing is added.
        let role = try run(["user", "add", "--name", "张三", "--role", "boss"], expect: 2)
        #expect(role.stderr.contains("[W001] 字段 role"))
        #expect(try run(["user", "add", "--name", "张三", "--role", "county", "--county", "安岳县"], expect: 2).stderr.contains("[W002] 字段 county"))
        #expect(try run(["user", "add", "--name", "张三", "--role", "auditor", "--studio", "S9"], expect: 2).stderr.contains("[W002] 字段 studio"))
        #expect(try run(["user", "add", "--name", "李会计", "--role", "bureau"], expect: 2).stderr.contains("[W004] 字段 name"))
        let weak = try run(["user", "add", "--name", "张三", "--role", "bureau", "--password-stdin"], input: "short\n", expect: 2)
        #expect(weak.stderr.contains("[W005] 字段 password") && !weak.stderr.contains("short"))
        #expect(try run(["user", "add", "--name", "张三", "--role", "bureau", "--password-stdin"], input: "", expect: 2).stderr.contains("字段 password"))
        #expect(try run(["user", "disable", "--name", "赵六"], expect: 2).stderr.contains("[W003] 字段 name"))
        #expect(try run(["user", "add", "--name", "张三"], expect: 2).stderr.contains("--role"))
        #expect(try run(["user", "list", "--format", "json"]).stdout.components(separatedBy: "\"name\"").count == 3)
    }
}
