import FundApp
import FundCore
import FundExchange
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `ledger-bench peers [--scale 10000|100000|1000000]`: the same books in hledger, ledger and
/// beancount beside our own, each tool run as a whole process on every studio at once, with its
/// peak memory; every account total checked against ours (a mismatch fails the run, exit 1).
extension Bench {
    struct PeerRun {
        let tool: String
        let wall: Double
        let cpu: Double
        let peakMB: Double?
        let output: String
        let status: Int32
    }

    func peers(scale: Int) throws {
        let studios = scale >= 100_000 ? 100 : 10
        let vouchers = max(1, scale / studios)
        let directory = URL(fileURLWithPath: options.directory, isDirectory: true).appendingPathComponent("peers-\(scale)")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        print("ledger-bench peers: \(studios) studios × \(vouchers) vouchers, in \(directory.path)")
        let (app, path, lines, importTiming) = try makeBooks(in: directory, studios: studios, vouchers: vouchers)
        let importPeakMB = peakMemoryMB()
        let baseline = try RawSQLiteBaseline.insert(rows: lines, path: directory.appendingPathComponent("baseline.sqlite").path)
        try app.admin.checkpoint()
        let floor = try RawSQLiteBaseline.sameRows(ledger: path, path: directory.appendingPathComponent("floor.sqlite").path)
        precondition(floor.postings == lines, "the floor re-inserts every posting the import wrote")

        // Every studio exported and joined into one file per format.
        var journal = ""
        var directives = Set<String>()
        var opens: [String: (date: String, block: String)] = [:]
        var transactions = ""
        var options = ""
        let exportTiming = try measure {
            for index in 0..<studios {
                let hledger = String(decoding: try app.statements.export(.hledger, studio: "B\(index)")[0].data, as: UTF8.self)
                for line in hledger.split(separator: "\n", omittingEmptySubsequences: false) {
                    // A directive (commodity, account) once; the comment header once per studio.
                    if line.hasPrefix("commodity ") || line.hasPrefix("account ") {
                        if directives.insert(String(line)).inserted { journal += line + "\n" }
                    } else {
                        journal += line + "\n"
                    }
                }
                let beancount = String(decoding: try app.statements.export(.beancount, studio: "B\(index)")[0].data, as: UTF8.self)
                Self.joinBeancount(beancount, opens: &opens, options: &options, transactions: &transactions)
            }
        }
        let openText = opens.sorted { $0.key < $1.key }.map(\.value.block).joined()
        let journalURL = directory.appendingPathComponent("all.journal")
        let beancountURL = directory.appendingPathComponent("all.beancount")
        try Data(journal.utf8).write(to: journalURL)
        try Data((options + openText + transactions).utf8).write(to: beancountURL)
        print("exported and joined in \(format(exportTiming.wall, 2)) s: \(journalURL.lastPathComponent) "
            + "\(format(Double(journal.utf8.count) / 1e6)) MB, \(beancountURL.lastPathComponent)")

        // Our figures: the all-studio trial balance as a whole process, verify, import.
        let ours = try run(tool: "WorkshopLedger", [CommandLine.arguments[0], "tb-all", path])
        var verified = false
        let verifyTiming = try measure { verified = try app.admin.verify().isClean }
        precondition(verified, "the benchmark ledger verifies")
        let expected = try Self.ourTotals(app)

        var table: [[String]] = [["tool (whole process, every studio)", "wall s", "CPU s", "peak MB", "vs ours (wall)", "account totals"]]
        func row(_ run: PeerRun, agreement: String) {
            table.append([
                run.tool, format(run.wall, 2), format(run.cpu, 2), run.peakMB.map { format($0, 1) } ?? "—",
                run.tool == "WorkshopLedger" ? "1×" : Self.ratio(run.wall / max(ours.wall, 0.001)), agreement,
            ])
        }
        row(ours, agreement: "\(expected.count) accounts")
        var mismatches: [String] = []
        let chart = try app.register.chart()
        let hledgerNames = Dictionary(uniqueKeysWithValues: expected.keys.map { (HledgerExport.account($0.account, fund: $0.fund, chart: chart), $0) })
        if Self.installed("hledger") {
            let run = try run(tool: "hledger \(Self.version("hledger"))", ["hledger", "-f", journalURL.path, "balance", "--flat", "--no-total", "-O", "csv"])
            // "account","balance" — our account names hold no ASCII comma or quote.
            let found = Self.totals(run.output, separator: ",", accountFirst: true, names: hledgerNames)
            let agreement = Self.compare(found, expected)
            if agreement != "agree" { mismatches.append("hledger: \(agreement)") }
            row(run, agreement: run.status == 0 ? agreement : "exit \(run.status)")
        } else {
            table.append(["hledger: not installed (apt-get install hledger)", "", "", "", "", ""])
        }
        if Self.installed("ledger") {
            let run = try run(
                tool: "ledger \(Self.version("ledger"))",
                ["ledger", "-f", journalURL.path, "balance", "--flat", "--no-total", "--balance-format", "%(account)\t%(quantity(scrub(display_total)))\n"])
            let found = Self.totals(run.output, separator: "\t", accountFirst: true, names: hledgerNames)
            let agreement = Self.compare(found, expected)
            if agreement != "agree" { mismatches.append("ledger: \(agreement)") }
            row(run, agreement: run.status == 0 ? agreement : "exit \(run.status)")
        } else {
            table.append(["ledger: not installed (apt-get install ledger)", "", "", "", "", ""])
        }
        if Self.installed("bean-check") {
            let run = try run(tool: "bean-check (beancount \(Self.version("bean-check")))", ["bean-check", beancountURL.path])
            let beancountNames = Dictionary(uniqueKeysWithValues: expected.keys.map { (BeancountExport.account($0.account, fund: $0.fund, chart: chart), $0) })
            let sums = try self.run(tool: "beancount totals", ["python3", "-c", Self.beancountTotals, beancountURL.path])
            let found = Self.totals(sums.output, separator: "\t", accountFirst: true, names: beancountNames)
            let agreement = run.status == 0 ? Self.compare(found, expected) : "bean-check: \(run.output.prefix(300))"
            if agreement != "agree" { mismatches.append("beancount: \(agreement)") }
            row(run, agreement: agreement)
        } else {
            table.append(["bean-check: not installed (pip install beancount)", "", "", "", "", ""])
        }
        // Import judged CPU to CPU against raw SQLite (other load does not move it); verify by
        // wall, since its chains run on every core (CPU beside it is the work done).
        let importShare = Double(lines) / importTiming.cpu / (Double(lines) / baseline.cpu) * 100
        table.append([
            "our import (\(lines) postings, in process)", format(importTiming.wall, 2), format(importTiming.cpu, 2),
            format(importPeakMB, 1) + " (VmHWM after the import)",
            format(importShare, 1) + " % of raw SQLite by CPU (" + format(baseline.cpu, 2) + " s; "
                + format(baseline.wall / importTiming.wall * 100, 1) + " % by wall)",
            "target ≥ 50 % (CPU)",
        ])
        table.append([
            "raw SQLite, the import's own rows (\(floor.vouchers) vouchers + \(floor.postings) postings, ledger schema)",
            format(floor.timing.wall, 2), format(floor.timing.cpu, 2), "—",
            format(baseline.cpu / floor.timing.cpu * 100, 1) + " % of the posting-only baseline; the import at "
                + format(floor.timing.cpu / importTiming.cpu * 100, 1) + " % of it (CPU)",
            "the best any import of these rows can reach",
        ])
        table.append([
            "our verify (\(lines) postings, in process)", format(verifyTiming.wall, 2), format(verifyTiming.cpu, 2), "—",
            format(Double(lines) / verifyTiming.wall, 0) + " postings/s by wall (" + format(Double(lines) / verifyTiming.cpu, 0) + " by CPU)",
            "target ≥ 600,000/s (wall)",
        ])
        printTable(table)
        if !mismatches.isEmpty {
            print("account totals differ:\n" + mismatches.joined(separator: "\n"))
            exit(1)
        }
        print("every account total agrees between WorkshopLedger and each peer that ran")
    }

    /// Runs a whole process under GNU time (wall, user + system CPU, peak resident memory);
    /// without it, wall time alone.
    func run(tool: String, _ arguments: [String]) throws -> PeerRun {
        let timeFile = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-time-\(getpid())")
        let hasTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hasTime ? "/usr/bin/time" : "/usr/bin/env")
        process.arguments = hasTime ? ["-f", "%e %U %S %M", "-o", timeFile.path] + arguments : arguments
        let out = Pipe()
        // Standard error to a file, so that reading standard output to its end cannot block on it.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-err-\(getpid())")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = out
        process.standardError = errorHandle
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorHandle.close()
        let errors = (try? Data(contentsOf: errorFile)) ?? Data()
        try? FileManager.default.removeItem(at: errorFile)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var text = String(decoding: output, as: UTF8.self)
        if process.terminationStatus != 0 { text += String(decoding: errors, as: UTF8.self) }
        if hasTime, let measured = try? String(contentsOf: timeFile, encoding: .utf8) {
            let fields = measured.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            try? FileManager.default.removeItem(at: timeFile)
            if fields.count >= 4 {
                return PeerRun(tool: tool, wall: fields[0], cpu: fields[1] + fields[2], peakMB: fields[3] / 1024, output: text, status: process.terminationStatus)
            }
        }
        return PeerRun(tool: tool, wall: wall, cpu: .nan, peakMB: nil, output: text, status: process.terminationStatus)
    }

    /// 0.4×, 2.3×, 17×: a decimal where a whole number would hide the difference.
    static func ratio(_ value: Double) -> String { format(value, value < 10 ? 1 : 0) + "×" }

    struct TotalKey: Hashable {
        let fund: Fund
        let account: String
    }

    /// Every leaf account's net movement (debit − credit, fen) per fund over all the books,
    /// from our own trial balances.
    static func ourTotals(_ app: LedgerApp) throws -> [TotalKey: Int64] {
        var totals: [TotalKey: Int64] = [:]
        for balance in try app.books.trialBalancesAllStudios() {
            for section in balance.sections {
                guard let fund = section.fund else { continue }
                for row in section.rows where row.isLeaf {
                    totals[TotalKey(fund: fund, account: row.account), default: 0] += row.debit.fen - row.credit.fen
                }
            }
        }
        return totals.filter { $0.value != 0 }
    }

    /// Account totals from a peer's "account<TAB>amount" lines, mapped back to (fund, account)
    /// by the exported names; amounts parsed as decimal text into fen, never through a Double.
    static func totals(_ output: String, separator: Character, accountFirst: Bool, names: [String: TotalKey]) -> [TotalKey: Int64] {
        var found: [TotalKey: Int64] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: separator, maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            guard fields.count == 2, let key = names[fields[0]] else { continue }
            let number = fields[1].replacingOccurrences(of: "CNY", with: "").replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
            guard let fen = fen(number) else { continue }
            found[key, default: 0] += fen
        }
        return found.filter { $0.value != 0 }
    }

    static func fen(_ text: String) -> Int64? {
        var text = Substring(text)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let digits = String(parts[1].prefix(2)).padding(toLength: 2, withPad: "0", startingAt: 0)
            guard let value = Int64(digits), parts[1].dropFirst(2).allSatisfy({ $0 == "0" }) else { return nil }
            cents = value
        }
        return (negative ? -1 : 1) * (whole * 100 + cents)
    }

    static func compare(_ found: [TotalKey: Int64], _ expected: [TotalKey: Int64]) -> String {
        let differing = Set(found.keys).union(expected.keys).filter { found[$0] != expected[$0] }
        guard let first = differing.sorted(by: { ($0.fund.rawValue, $0.account) < ($1.fund.rawValue, $1.account) }).first else { return "agree" }
        return "\(differing.count) differ, e.g. \(first.fund.rawValue) \(first.account): ours \(expected[first] ?? 0) fen, theirs \(found[first] ?? 0) fen"
    }

    /// Joins one studio's beancount file into the whole: options once, each account opened once
    /// on its earliest date, the transactions as they are.
    static func joinBeancount(_ text: String, opens: inout [String: (date: String, block: String)], options: inout String, transactions: inout String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let parts = line.split(separator: " ")
            if line.hasPrefix("option ") {
                if options.isEmpty || !options.contains(String(line)) { options += line + "\n" }
                index += 1
            } else if parts.count >= 3, parts[1] == "open" {
                var block = String(line) + "\n"
                index += 1
                while index < lines.count, lines[index].hasPrefix("  ") {
                    block += lines[index] + "\n"
                    index += 1
                }
                let account = String(parts[2])
                let date = String(parts[0])
                if let existing = opens[account], existing.date <= date { continue }
                opens[account] = (date, block)
            } else {
                transactions += line + "\n"
                index += 1
            }
        }
    }

    static func installed(_ tool: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sh", "-c", "command -v \(tool)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func version(_ tool: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = tool == "bean-check" ? ["python3", "-c", "import beancount; print(beancount.__version__)"] : [tool, "--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "?" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "hledger 1.25", "Ledger 3.3.0-…": the first word that starts with a digit.
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," }).first { $0.first?.isNumber == true }.map(String.init) ?? "?"
    }

    /// Every account's total from beancount's own loader (the postings' units), one per line.
    static let beancountTotals = """
        import sys
        from beancount import loader
        entries, errors, _ = loader.load_file(sys.argv[1])
        totals = {}
        for entry in entries:
            for posting in getattr(entry, "postings", None) or []:
                totals[posting.account] = totals.get(posting.account, 0) + posting.units.number
        for account, number in sorted(totals.items()):
            print(f"{account}\\t{number}")
        """
}
