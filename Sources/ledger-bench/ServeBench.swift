import FundApp
import FundCore
import FundWeb
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The web desk under load: `ledger-bench serve-only [--studios N] [--vouchers M] [--big K]
/// [--dir PATH] [--seconds S]`. Builds (once, kept in PATH) a ledger of N studios of M vouchers
/// and one studio of K vouchers, serves it in this process, signs in as a bureau reviewer and
/// loads the overview, a studio page and a 序时账 page of the big studio with wrk (Debian's),
/// beside the time the same figures take the CLI's way (a fresh app, nothing cached).
extension Bench {
    static let bigStudio = "BIG"

    func serveOnly() throws {
        let directory = URL(fileURLWithPath: options.directory, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("serve.sqlite").path
        let marker = directory.appendingPathComponent("serve.params")
        let parameters = "\(options.studios) \(options.vouchers) \(options.big)"
        if (try? String(contentsOf: marker, encoding: .utf8)) != parameters {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let timing = try measure { try buildServeLedger(path: path) }
            try parameters.write(to: marker, atomically: true, encoding: .utf8)
            print("built \(path) in \(format(timing.wall, 1)) s")
        }
        let app = try LedgerApp(path: path, clock: clock, user: "bench")
        let name = "基准审核员", password = "bench-password-2026"
        if try !app.accounts.list().contains(where: { $0.name == name }) {
            _ = try app.accounts.add(NewAccountForm(name: name, role: "bureau"), password: password)
        }
        let token = try app.accounts.login(name: name, password: password).token
        let studios = try app.register.studios().count
        let vouchers = try app.books.journalPage(studio: Self.bigStudio, filter: JournalFilter(), page: 1).total
        print("ledger-bench serve: \(studios) studios, \(options.studios) × \(options.vouchers) + \(vouchers) vouchers in \(Self.bigStudio)")

        // The CLI's way: a fresh app for each (nothing cached), the same calls the commands make.
        var table: [[String]] = [["page", "web p50 ms", "web p99 ms", "requests/s", "non-2xx", "CLI way (fresh app) wall s", "CLI CPU s", "target (p99)"]]
        let middle = "B\(options.studios / 2)"
        let overviewCLI = try measure {
            let fresh = try LedgerApp(path: path, clock: clock, user: "bench")
            _ = try LedgerApp.render(try fresh.review.overviewReport(try fresh.review.overview(studios: nil), scope: "全部工作室"), format: .table)
        }
        let studioCLI = try measure {
            let fresh = try LedgerApp(path: path, clock: clock, user: "bench")
            _ = try LedgerApp.render(try fresh.lifecycle.statusReport(studio: middle), format: .table)
            _ = try fresh.review.overview(studios: [middle])
        }
        let journalCLI = try measure {
            let fresh = try LedgerApp(path: path, clock: clock, user: "bench")
            _ = try LedgerApp.render(try fresh.books.journalReport(studio: Self.bigStudio), format: .table)
        }

        let port = 18_000 + Int(getpid() % 1000)
        let base = "http://127.0.0.1:\(port)"
        let configuration = WebConfiguration(port: port, accessLog: false)
        Task { try await WebDesk.serve(app: app, configuration: configuration) }
        var ready = false
        for _ in 0..<300 where !ready {
            if Self.fetch(base + "/healthz", token: nil)?.0 == 200 { ready = true } else { usleep(50_000) }
        }
        precondition(ready, "the server answers")
        // The first overview after a change builds every row (and the check) once.
        let cold = measure { precondition(Self.fetch(base + "/overview", token: token)?.0 == 200, "overview answers") }
        print("first overview after a change (builds and caches every row): \(format(cold.wall, 2)) s wall, \(format(cold.cpu, 2)) s CPU")
        let pages: [(String, String, Timing, String)] = [
            ("overview (\(studios) studios)", "/overview", overviewCLI, "< 50 ms"),
            ("studio page (\(middle))", "/studios/\(middle)", studioCLI, "< 30 ms"),
            ("序时账 page 1 of \(Self.bigStudio) (50 of \(vouchers) vouchers)", "/studios/\(Self.bigStudio)/journal", journalCLI, "< 30 ms"),
            ("序时账 page 1000 of \(Self.bigStudio)", "/studios/\(Self.bigStudio)/journal?page=1000", journalCLI, "< 30 ms"),
        ]
        for (title, uri, cli, target) in pages {
            guard let load = try Self.wrk(base + uri, token: token, seconds: options.seconds) else {
                print("wrk not found (apt-get install wrk): the serve stage needs it")
                return
            }
            let met = load.p99 < (Double(target.filter(\.isNumber)) ?? 0) ? " — met" : " — not met"
            table.append([
                title, format(load.p50, 2), format(load.p99, 2), format(load.rate, 0), "\(load.errors)",
                uri.contains("journal") ? format(cli.wall, 2) + " (whole 序时账)" : format(cli.wall, 2), format(cli.cpu, 2), target + met,
            ])
        }
        printTable(table)
    }

    /// The ledger the serve stage reads: host units in three counties, N studios of M vouchers and
    /// one studio of K, imported through the same path as `import vouchers`.
    func buildServeLedger(path: String) throws {
        let app = try LedgerApp(path: path, clock: clock, user: "bench")
        _ = try app.register.initialize()
        let counties = ["雁江区", "安岳县", "乐至县"]
        var units: [String] = []
        for index in 0..<9 {
            let code = CreditCode.completing("91512002MA62K3B0\(index)")!
            _ = try app.register.addHostUnit(creditCode: code, name: "基准依托单位\(index)", kind: "enterprise", county: counties[index % 3])
            units.append(code)
        }
        let generator = VoucherFileGenerator(vouchers: options.vouchers)
        for index in 0...options.studios {
            let code = index == options.studios ? Self.bigStudio : "B\(index)"
            _ = try app.register.addStudio(
                code: code, name: "基准工作室\(index)", hostUnit: units[index % units.count], leader: "张师傅", field: "数控",
                recognized: "2020-01-01", subsidy: "30000")
            let (text, _) = index == options.studios
                ? VoucherFileGenerator(vouchers: options.big).file(seed: 99_999) : generator.file(seed: UInt64(index + 1))
            _ = try app.books.importVouchers(csv: Data(text.utf8), file: "\(code).csv", studio: code, allowUnreviewed: true)
            if index % 100 == 0 { print("  imported \(index + 1) studios") }
        }
        try app.admin.checkpoint()
    }

    /// GET `url` with the session cookie: status and body.
    static func fetch(_ url: String, token: String?) -> (Int, String)? {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("\(WebDesk.sessionCookie)=\(token)", forHTTPHeaderField: "Cookie") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String)?
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let response = response as? HTTPURLResponse { result = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self)) }
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    struct Load {
        var p50: Double
        var p99: Double
        var rate: Double
        var errors: Int
    }

    /// wrk with two connections for `seconds`: latency percentiles in ms and requests per second.
    static func wrk(_ url: String, token: String, seconds: Int) throws -> Load? {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t2", "-c2", "-d\(seconds)s", "--latency", "-H", "Cookie: \(WebDesk.sessionCookie)=\(token)", url]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func milliseconds(_ value: Substring) -> Double {
            let number = Double(value.prefix { $0.isNumber || $0 == "." }) ?? .nan
            if value.hasSuffix("us") { return number / 1000 }
            if value.hasSuffix("ms") { return number }
            if value.hasSuffix("s") { return number * 1000 }
            return number
        }
        var load = Load(p50: .nan, p99: .nan, rate: .nan, errors: 0)
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { continue }
            if fields[0] == "50%" { load.p50 = milliseconds(fields[1]) }
            if fields[0] == "99%" { load.p99 = milliseconds(fields[1]) }
            if fields[0] == "Requests/sec:" { load.rate = Double(fields[1]) ?? .nan }
            if line.contains("Non-2xx") { load.errors = Int(fields.last ?? "") ?? 0 }
        }
        return load
    }
}
