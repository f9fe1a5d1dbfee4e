import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `workshop-ledger serve` as a process: the health check, graceful shutdown on SIGTERM, and
/// the browser tests (headless Chromium from Debian driven by Selenium, Tests/Browser) over
/// the demo books with one account per role.
@Suite("end to end: the web desk", .serialized)
struct WebServeTests {
    let e2e = EndToEndTests()

    static let password = "browser-test-password-7"

    /// The roles' accounts, each scoped to the demo's 雁江区 enterprise studio ZY2025-001.
    /// `key`: what the browser test calls the account (its role, or a second account of a role).
    static let accounts: [(key: String, role: String, name: String, scope: [String])] = [
        ("bureau", "bureau", "市人社局王审核", []),
        ("county", "county", "雁江区人社局李科长", ["--county", "雁江区"]),
        ("accountant", "accountant", "众诚机械赵会计", ["--host-unit", "91512002MA62Q8K514"]),
        ("supervisor", "supervisor", "众诚机械钱主管", ["--host-unit", "91512002MA62Q8K514"]),
        ("auditor", "auditor", "蜀审会计师事务所孙审计", ["--studio", "ZY2025-001", "--expires", "2099-12-31"]),
        ("admin", "admin", "信息中心周管理员", []),
        // The college's accountant (平行记账, issue 18).
        ("college-accountant", "accountant", "川中学院赵会计", ["--host-unit", "12512000MB1C72496Q"]),
    ]

    /// A port nothing listens on now.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socket, pointer, length) == 0 else { return -1 }
                return getsockname(socket, pointer, &length)
            }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// GET `url`: status and body, or nil when nothing answers.
    static func fetch(_ url: String) -> (Int, String)? {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String)?
        let task = URLSession.shared.dataTask(with: URL(string: url)!) { data, response, _ in
            if let response = response as? HTTPURLResponse { result = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self)) }
            done.signal()
        }
        task.resume()
        done.wait()
        return result
    }

    /// Runs the binary with `input` on standard input.
    func run(_ arguments: [String], in directory: URL, input: String) throws -> EndToEndTests.Result {
        let process = EndToEndTests.process(arguments, in: directory)
        let stdin = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return EndToEndTests.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A server on the demo books; `body` gets its address; then SIGTERM and a clean exit.
    func serving(_ body: (String, URL, URL) throws -> Void) throws {
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try e2e.run(["demo", "--out", "demo"], in: directory)
        try #require(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("演示账户"), "the demo prints its accounts")
        let db = directory.appendingPathComponent("demo/workshop-ledger.sqlite")
        for account in Self.accounts {
            let added = try run(
                ["user", "add", "--db", db.path, "--user", "测试", "--name", account.name, "--role", account.role, "--password-stdin"] + account.scope,
                in: directory, input: Self.password + "\n")
            try #require(added.status == 0, "user add \(account.name): \(added.stderr)")
        }
        let port = try Self.freePort()
        let server = EndToEndTests.process(
            ["serve", "--db", db.path, "--port", String(port), "--quiet"], in: directory)
        let out = Pipe(), err = Pipe()
        server.standardOutput = out
        server.standardError = err
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<300 where !ready {
            if let (status, text) = Self.fetch(base + "/healthz"), status == 200, text == "ok\n" { ready = true } else { usleep(100_000) }
        }
        try #require(ready, "the server answered /healthz")
        try body(base, db, directory)
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(server.terminationStatus == 0, "graceful shutdown on SIGTERM: \(stderr)")
        #expect(stdout.contains("网页服务已启动") && stdout.contains("网页服务已停止"), Comment(rawValue: stdout))
        #expect(Self.fetch(base + "/healthz") == nil, "nothing listens after the shutdown")
    }

    /// The demo's keys are where every later command looks, and its closing lines work as printed.
    @Test func whatTheDemoSuggestsWorks() throws {
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try e2e.run(["demo", "--out", "demo"], in: directory)
        try #require(demo.status == 0, "\(demo.stderr)")
        let suggested = demo.stdout.components(separatedBy: "======== 接下来可以试试 ========").last ?? ""
        let commands = suggested.split(separator: "\n").filter { $0.hasPrefix("workshop-ledger ") }
        #expect(commands.count == 3, "\(suggested)")
        for command in commands where !command.contains(" serve ") {
            let arguments = command.split(separator: "#")[0].split(separator: " ").dropFirst().map(String.init)
            let result = try e2e.run(arguments, in: directory)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        let db = directory.appendingPathComponent("demo/workshop-ledger.sqlite").path
        let built = try e2e.run(["audit-package", "build", "--db", db, "--studio", "ZY2025-002", "--out", "p.zip"], in: directory)
        #expect(built.status == 0, "a package signed with the demo's key, no --key-file: \(built.stderr)")
        #expect(FileManager.default.fileExists(atPath: db + ".keys"))
        // The bureau's summary: every studio, what was received, spent and is owed back, totals.
        let csv = try e2e.run(["report", "overview", "--db", db, "--as-of", "2026-11-20", "--format", "csv"], in: directory)
        #expect(csv.status == 0, "\(csv.stderr)")
        let revoked = try #require(csv.stdout.split(whereSeparator: \.isNewline).first { $0.hasPrefix("ZY2025-002,") })
        #expect(revoked.contains("已撤销") && !revoked.contains(",0.00,0.00,"), "\(revoked)")
        #expect(csv.stdout.contains("应退补助") && csv.stdout.contains("合计"))
        for format in ["pdf", "xlsx", "html", "json", "table"] {
            let out = try e2e.run(["report", "overview", "--db", db, "--county", "雁江区", "--format", format, "--out", "overview.\(format)"], in: directory)
            #expect(out.status == 0, "\(format): \(out.stderr)")
        }
        #expect(try e2e.run(["report", "overview", "--db", db, "--studio", "ZY2025-001"], in: directory).status == 2)
        #expect(try e2e.run(["report", "trial-balance", "--db", db], in: directory).status == 2, "a statement needs --studio")
        #expect(try e2e.run(["report", "overview", "--db", db, "--county", "成都市"], in: directory).status == 2)
    }

    @Test func browsersUseTheDeskAsEachRole() throws {
        try serving { base, db, directory in
            var accounts: [String: [String: String]] = [:]
            for account in Self.accounts { accounts[account.key] = ["name": account.name, "password": Self.password] }
            let file = directory.appendingPathComponent("accounts.json")
            try JSONSerialization.data(withJSONObject: accounts).write(to: file)
            let screenshots = EndToEndTests.packageRoot.appendingPathComponent(".build/screenshots")
            try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
            let script = EndToEndTests.packageRoot.appendingPathComponent("Tests/Browser/browser_test.py")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", script.path, "--base", base, "--accounts", file.path, "--out", screenshots.path, "--cli", EndToEndTests.binary.path,
                "--db", db.path,
            ]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(
                process.terminationStatus == 0,
                "browser tests (need Debian's chromium and chromium-driver, and selenium from PyPI):\n\(stdout)\n\(stderr)")
            #expect(stdout.contains("all browser checks passed"))
            for name in ["overview.png", "studio.png"] {
                #expect(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent(name).path), "screenshot \(name)")
            }
        }
    }
}
