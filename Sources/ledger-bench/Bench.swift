import FundApp
import FundCore
import Foundation
import GRDBSQLite

/// The main benchmark run.
struct Bench {
    let options: Options
    let clock: FixedClock
    var rows: [[String]] = []

    init(options: Options, clock: FixedClock) {
        self.options = options
        self.clock = clock
    }

    static let creditCode = CreditCode.completing("91512002MA62K3B01")!
    /// The end of the generated books' construction window: the check looks at all of it.
    static let checkAsOf = CalendarDate(year: 2021, month: 12, day: 31)!

    func run() throws {
        let directory = URL(fileURLWithPath: options.directory, isDirectory: true)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        print("ledger-bench: \(options.studios) studios × \(options.vouchers) vouchers, in \(directory.path)")

        let (app, path, lineCount, importTiming) = try makeBooks(in: directory, studios: options.studios, vouchers: options.vouchers)
        let importPeakMB = peakMemoryMB()

        let baselinePath = directory.appendingPathComponent("baseline.sqlite").path
        let baseline = try RawSQLiteBaseline.insert(rows: lineCount, path: baselinePath)
        let floor = try RawSQLiteBaseline.sameRows(ledger: path, path: directory.appendingPathComponent("floor.sqlite").path)
        precondition(floor.postings == lineCount, "the floor re-inserts every posting the import wrote")

        // Targets are judged on the figure other load on the machine does not move where one
        // exists: CPU seconds (all threads). The last column says which figure a target uses.
        var table: [[String]] = [["stage", "items", "wall s", "CPU s", "rate (items/s, wall / CPU)", "baseline", "result", "target (judged on)"]]
        let importRates = Rates(items: lineCount, importTiming)
        let baselineRates = Rates(items: lineCount, baseline)
        let importShare = importRates.cpu / baselineRates.cpu * 100
        table.append([
            "CSV import (postings)", "\(lineCount)", format(importTiming.wall, 2), format(importTiming.cpu, 2), importRates.text,
            "raw SQLite " + baselineRates.text + " rows/s",
            format(importShare, 1) + " % by CPU (" + format(importRates.wall / baselineRates.wall * 100, 1) + " % by wall); peak "
                + format(importPeakMB, 0) + " MB (VmHWM after the import)",
            "≥ 50 % of raw SQLite (CPU to CPU) — " + (importShare >= 50 ? "met" : "not met") + "; peak ≤ 300 MB — "
                + (importPeakMB <= 300 ? "met" : "not met"),
        ])
        table.append(Self.floorRow(floor, baseline: baseline, importTiming: importTiming))

        // One studio's trial balance: median of 21 runs, first studio and last studio.
        var samples: [Timing] = []
        for run in 0..<21 {
            let studio = run % 2 == 0 ? "B0" : "B\(options.studios - 1)"
            samples.append(try measure { _ = try app.books.trialBalance(studio: studio) })
        }
        samples.sort { $0.wall < $1.wall }
        let groupBy = try RawSQLiteBaseline.groupBy(path: path, studioID: 1)
        table.append([
            "trial balance, one studio (median of 21)", "1", format(samples[10].wall, 4), format(samples[10].cpu, 4),
            Rates(items: 1, samples[10]).text, "GROUP BY postings " + format(groupBy.wall, 4) + " s wall, " + format(groupBy.cpu, 4) + " s CPU",
            format(groupBy.cpu / max(samples[10].cpu, 1e-6), 0) + "× less CPU", "< 0.020 s (CPU)",
        ])

        try app.admin.checkpoint()
        let childCPU = cpuSeconds()
        let child = try runChild(database: path)
        let childCPUSeconds = cpuSeconds() - childCPU
        let allGroupBy = try RawSQLiteBaseline.groupBy(path: path, studioID: nil)
        table.append([
            "trial balance, all \(options.studios) studios (a child process, start-up included in CPU)", "\(options.studios)", child.seconds,
            format(childCPUSeconds, 3),
            format(Double(options.studios) / (Double(child.seconds) ?? 1), 0),
            "GROUP BY postings " + format(allGroupBy.wall, 2) + " s wall, " + format(allGroupBy.cpu, 2) + " s CPU", "peak \(child.memory) MB",
            "< 0.5 s (the child's own wall; its CPU beside), < 100 MB",
        ])
        var checked: CheckResult? = nil
        let checkTiming = try measure { checked = try app.compliance.check(studio: nil, asOf: Self.checkAsOf) }
        let checkTime = checkTiming.wall
        let vouchers = checked?.summary.vouchers ?? 0
        let perMillion = checkTime * 1e6 / Double(max(1, vouchers))
        table.append([
            "check --all (every rule)", "\(vouchers) vouchers", format(checkTime, 2), format(checkTiming.cpu, 2), Rates(items: vouchers, checkTiming).text,
            "", "\(checked?.findings.count ?? 0) findings, " + format(perMillion, 2) + " s per 10^6 vouchers (wall), "
                + format(checkTiming.cpu * 1e6 / Double(max(1, vouchers)), 2) + " s CPU",
            "< 5 s per 10^6 vouchers (wall) — " + (perMillion < 5 ? "met" : "not met"),
        ])
        var clean = false
        let verifyTiming = try measure { clean = try app.admin.verify().isClean }
        let verifyTime = verifyTiming.wall
        precondition(clean, "the benchmark ledger verifies")
        let verifyRates = Rates(items: lineCount, verifyTiming)
        table.append([
            "verify (all invariants, hash chains; chains on every core)", "\(lineCount)", format(verifyTime, 2), format(verifyTiming.cpu, 2),
            verifyRates.text, "", "", "≥ 600,000 postings/s (wall: the chains run in parallel, so CPU measures the work, not the wait) — "
                + (verifyRates.wall >= 600_000 ? "met" : "not met"),
        ])
        table += try statementRows(app: app)
        table += try packageRows(directory: directory, studios: min(options.studios, 10))
        printTable(table)
        let megabytes = Double(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0) / 1e6
        print("database size: \(format(megabytes)) MB")
        print("every studio's trial balance balances: \(child.balanced)")
    }

    /// Generates `studios` voucher files of `vouchers` vouchers each and imports them through
    /// `import vouchers`' own path (the file streamed from disk); returns the ledger, its file,
    /// the posting lines and the import's timing. The process's peak memory (VmHWM) is read
    /// right after: nothing before the import holds much, so it is the import's peak.
    func makeBooks(in directory: URL, studios: Int, vouchers: Int) throws -> (app: LedgerApp, path: String, lines: Int, timing: Timing) {
        let generator = VoucherFileGenerator(vouchers: vouchers)
        var files: [URL] = []
        var lineCount = 0
        let generation = try seconds {
            for index in 0..<studios {
                let url = directory.appendingPathComponent("studio-\(index).csv")
                let lines = try generator.write(to: url, seed: UInt64(index + 1))
                files.append(url)
                lineCount += lines
            }
        }
        print("generated \(lineCount) posting lines in \(format(generation, 2)) s")
        let path = directory.appendingPathComponent("bench.sqlite").path
        let app = try LedgerApp(path: path, clock: clock, user: "bench")
        _ = try app.register.initialize()
        _ = try app.register.addHostUnit(creditCode: Self.creditCode, name: "基准测试单位", kind: "enterprise", county: "雁江区")
        for index in 0..<studios {
            _ = try app.register.addStudio(
                code: "B\(index)", name: "基准工作室\(index)", hostUnit: Self.creditCode, leader: "张师傅", field: "数控",
                recognized: "2020-01-01", subsidy: "30000")
        }
        var imported = 0
        // The generated books are an ERP load: their vouchers name no second reviewer.
        let timing = try measure {
            for (index, url) in files.enumerated() {
                imported += try app.books.importVouchers(csvFile: url.path, file: url.path, studio: "B\(index)", allowUnreviewed: true).lines
            }
        }
        precondition(imported == lineCount, "every generated line is imported")
        return (app, path, lineCount, timing)
    }

    /// The import stage alone, `runs` times into fresh books, each beside a raw-SQLite
    /// baseline of the same rows taken right after it.
    func importOnly() throws {
        let directory = URL(fileURLWithPath: options.directory, isDirectory: true)
        for run in 0..<max(1, options.runs) {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // Writing 5 to clear_refs resets VmHWM to the current resident size, which still holds
            // what malloc kept from the runs before: the first run's peak is the import's own.
            try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
            let (_, _, lines, timing) = try makeBooks(in: directory, studios: options.studios, vouchers: options.vouchers)
            let peak = peakMemoryMB()
            let baseline = try RawSQLiteBaseline.insert(rows: lines, path: directory.appendingPathComponent("baseline.sqlite").path)
            let floor = try RawSQLiteBaseline.sameRows(
                ledger: directory.appendingPathComponent("bench.sqlite").path, path: directory.appendingPathComponent("floor.sqlite").path)
            precondition(floor.postings == lines, "the floor re-inserts every posting the import wrote")
            print(
                "import run \(run + 1): \(lines) postings, \(format(timing.wall, 2)) s wall, \(format(timing.cpu, 2)) s CPU; "
                    + "raw SQLite \(format(baseline.wall, 2)) s wall, \(format(baseline.cpu, 2)) s CPU: "
                    + "\(format(baseline.cpu / timing.cpu * 100, 1)) % by CPU, \(format(baseline.wall / timing.wall * 100, 1)) % by wall; "
                    + "the import's own rows by SQLite alone \(format(floor.timing.cpu, 2)) s CPU (\(format(baseline.cpu / floor.timing.cpu * 100, 1)) % of "
                    + "the posting-only baseline; the import at \(format(floor.timing.cpu / timing.cpu * 100, 1)) % of it); peak \(format(peak, 0)) MB")
        }
    }

    /// The row of the import's floor: the same voucher, posting and month-balance rows written by
    /// SQLite alone into the ledger's schema (`RawSQLiteBaseline.sameRows`), beside the posting-only
    /// baseline: the share of that baseline an import of these rows could reach at best.
    static func floorRow(_ floor: (timing: Timing, vouchers: Int, postings: Int), baseline: Timing, importTiming: Timing) -> [String] {
        let postings = Double(floor.postings)
        return [
            "raw SQLite, the import's own rows (\(floor.vouchers) vouchers + \(floor.postings) postings, ledger schema, FKs on)",
            "\(floor.postings)", format(floor.timing.wall, 2), format(floor.timing.cpu, 2),
            format(postings / floor.timing.wall, 0) + " / " + format(postings / floor.timing.cpu, 0),
            "posting rows only " + format(baseline.cpu, 2) + " s CPU",
            "floor at " + format(baseline.cpu / floor.timing.cpu * 100, 1) + " % of the posting-only baseline; import at "
                + format(floor.timing.cpu / importTiming.cpu * 100, 1) + " % of this floor (CPU)",
            "the best any import of these rows can reach",
        ]
    }

    /// Items per second by wall and by CPU seconds.
    struct Rates {
        let wall: Double
        let cpu: Double
        init(items: Int, _ timing: Timing) {
            wall = Double(items) / max(timing.wall, 1e-9)
            cpu = Double(items) / max(timing.cpu, 1e-9)
        }
        var text: String { format(wall, 0) + " / " + format(cpu, 0) }
    }

    func runChild(database: String) throws -> (seconds: String, memory: String, balanced: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["tb-all", database]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let fields = output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 4 else { return ("?", "?", "?") }
        return (fields[1], fields[2], fields[3])
    }

    func printTable(_ table: [[String]]) {
        var widths = Array(repeating: 0, count: table[0].count)
        for row in table { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        for (number, row) in table.enumerated() {
            let cells = row.enumerated().map { index, cell in
                "| " + cell + String(repeating: " ", count: widths[index] - cell.count) + " "
            }
            print(cells.joined() + "|")
            if number == 0 { print(widths.map { "|" + String(repeating: "-", count: $0 + 2) }.joined() + "|") }
        }
    }
}
