// ledger-bench: measures WorkshopLedger against a baseline taken in the same run. Not a test:
// it prints a table of figures; nothing here asserts a time.
//
//   swift run -c release ledger-bench [--studios N] [--vouchers M] [--dir PATH]
//   ledger-bench check-only DATABASE [--runs N] [--breakdown]   (the check stage alone, on an existing
//   ledger, for profiling; --breakdown times its steps: reading, books, facts, each rule)
//   ledger-bench packages-only [--studios N] [--dir PATH] [--runs N] [--breakdown]   (the audit-package
//   stage alone, on studios of 1,000 vouchers made once in PATH; --breakdown times each statement's
//   build and each render on its own)
//   ledger-bench serve-only [--studios 1000] [--vouchers 1000] [--big 100000] [--dir PATH] [--seconds 5]
//   (the web desk under wrk: overview, a studio page and 序时账 pages of the big studio, logged in,
//   beside the same figures the CLI's way)
//   ledger-bench verify-only DATABASE [--runs N] [--full-chains]   (verify alone on an existing ledger, for
//   profiling; --full-chains: every voucher through the full check, as before the fast chain lane)
//   ledger-bench import-only [--studios N] [--vouchers M] [--dir PATH] [--runs N]   (the import stage
//   alone, beside the raw-SQLite baseline, run after run: the loop to profile)
//   ledger-bench peers [--scale 10000|100000|1000000] [--dir PATH]   (the same books in hledger,
//   ledger and beancount beside ours, each a whole process with its peak memory; every account
//   total compared, a mismatch exits 1)
//
// Stages: CSV import through FundApp (parse, validate, hash, post) against raw SQLite inserts of
// the same posting rows through the C API; one studio's trial balance; every studio's trial
// balance (run in a child process so its peak memory is its own).
import FundApp
import FundCore
@_spi(Testing) import FundStore
import Foundation
import GRDBSQLite

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var studios = 10
    var vouchers = 10_000
    var directory = "/tmp/ledger-bench"
    var mode = "run"
    var database = ""
    var runs = 3
    var breakdown = false
    /// verify-only: every voucher through the full check (the chain walk before the fast lane).
    var fullChains = false
    /// serve-only: the vouchers of the one big studio, and how long wrk loads each page.
    var big = 100_000
    var seconds = 5
    /// peers: the vouchers in all (10 studios below 10^5, else 100).
    var scale = 10_000

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--studios": studios = Int(iterator.next() ?? "") ?? studios
            case "--vouchers": vouchers = Int(iterator.next() ?? "") ?? vouchers
            case "--dir": directory = iterator.next() ?? directory
            case "--runs": runs = Int(iterator.next() ?? "") ?? runs
            case "--breakdown": breakdown = true
            case "--full-chains": fullChains = true
            case "--big": big = Int(iterator.next() ?? "") ?? big
            case "--seconds": seconds = Int(iterator.next() ?? "") ?? seconds
            case "serve-only": mode = "serve-only"
            case "tb-all": mode = "tb-all"; database = iterator.next() ?? ""
            case "check-only": mode = "check-only"; database = iterator.next() ?? ""
            case "verify-only": mode = "verify-only"; database = iterator.next() ?? ""
            case "packages-only": mode = "packages-only"
            case "import-only": mode = "import-only"
            case "peers": mode = "peers"
            case "--scale": scale = Int(iterator.next() ?? "") ?? scale
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    try measure(body).wall
}

/// Wall-clock seconds and CPU seconds (every thread of this process, and of any child it
/// waited for) of one stage: CPU beside wall shows how much of the two cores a stage used.
struct Timing {
    var wall: Double
    var cpu: Double
}

func measure(_ body: () throws -> Void) rethrows -> Timing {
    let cpuStart = cpuSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Timing(wall: wall, cpu: cpuSeconds() - cpuStart)
}

/// CPU time of this process (every thread, `processCPUSeconds`) and of the children it has
/// waited for.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    let children = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return processCPUSeconds() + children
}

/// Peak resident memory of this process image. `getrusage`'s ru_maxrss survives `exec`, so a
/// child spawned by a big parent would report the parent's size; /proc's VmHWM starts afresh.
func peakMemoryMB() -> Double {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    {
        return kib / 1024
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
}

/// CPU time of every thread of this process so far: the work done, whatever else the machine runs.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}

let options = Options(CommandLine.arguments)
let clock = FixedClock(instant: "2026-11-20T01:00:00Z", today: CalendarDate(year: 2026, month: 11, day: 20)!)

if options.mode == "tb-all" {
    // Child process: open the database, build every studio's trial balance, report time and memory.
    let app = try LedgerApp(path: options.database, clock: clock, user: "bench")
    var balances: [TrialBalance] = []
    let elapsed = try seconds { balances = try app.books.trialBalancesAllStudios() }
    let balanced = balances.allSatisfy { $0.sections.allSatisfy(\.totals.isBalanced) }
    print("\(balances.count) \(format(elapsed, 4)) \(format(peakMemoryMB())) \(balanced)")
    exit(0)
}

if options.mode == "check-only" {
    // The check stage alone, as the benchmark runs it, on a ledger it (or anything) made: the
    // loop to profile (perf record / valgrind --tool=callgrind) without re-importing.
    let app = try LedgerApp(path: options.database, clock: clock, user: "bench")
    for _ in 0..<max(1, options.runs) {
        var checked: CheckResult? = nil
        let cpuBefore = processCPUSeconds()
        let elapsed = try seconds { checked = try app.compliance.check(studio: nil, asOf: Bench.checkAsOf) }
        let cpu = processCPUSeconds() - cpuBefore
        let vouchers = checked?.summary.vouchers ?? 0
        print(
            "check --all: \(vouchers) vouchers, \(checked?.findings.count ?? 0) findings, \(format(elapsed, 3)) s, "
                + "\(format(elapsed * 1e6 / Double(max(1, vouchers)), 2)) s per 10^6 vouchers (CPU time of all threads \(format(cpu, 3)) s)")
    }
    if options.breakdown { try checkBreakdown(app) }
    exit(0)
}

if options.mode == "verify-only" {
    // `verify` alone on an existing ledger, for profiling.
    let app = try LedgerApp(path: options.database, clock: clock, user: "bench")
    // --full-chains: the same verify with every voucher through the full check, to compare.
    let store = options.fullChains ? try LedgerStore(path: options.database) : nil
    for _ in 0..<max(1, options.runs) {
        var report: VerificationReport? = nil
        let timing = try measure {
            if let store {
                report = try store.verifyForTesting(workers: ProcessInfo.processInfo.activeProcessorCount, fastChains: false)
            } else {
                report = try app.admin.verify()
            }
        }
        let postings = report?.postings ?? 0
        print(
            "verify: \(postings) postings, \(report?.problems.count ?? -1) problems, \(format(timing.wall, 3)) s wall, \(format(timing.cpu, 3)) s CPU, "
                + "\(format(Double(postings) / timing.wall, 0)) postings/s by wall, \(format(Double(postings) / timing.cpu, 0)) by CPU")
    }
    exit(0)
}

if options.mode == "serve-only" {
    try Bench(options: options, clock: clock).serveOnly()
    exit(0)
}

if options.mode == "peers" {
    try Bench(options: options, clock: clock).peers(scale: options.scale)
    exit(0)
}

if options.mode == "import-only" {
    try Bench(options: options, clock: clock).importOnly()
    exit(0)
}

if options.mode == "packages-only" {
    try Bench(options: options, clock: clock).packagesOnly()
    exit(0)
}

try Bench(options: options, clock: clock).run()
