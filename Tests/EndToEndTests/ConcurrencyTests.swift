import Foundation
import Testing

/// Runs the built binary as a child process with a deadline, for tests that run many at once
/// or kill them. Output goes to pipes read to the end; a process still running at the deadline
/// is killed (and reported as a signal exit).
enum Child {
    struct Outcome: Sendable {
        let arguments: [String]
        let status: Int32
        let killed: Bool
        let stdout: String
        let stderr: String
        let seconds: Double
    }

    static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    /// Starts the binary; `started` gets its process id (to kill it from outside).
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String], deadline: Double,
        started: (Int32) -> Void = { _ in }
    ) throws -> Outcome {
        let process = EndToEndTests.process(arguments, in: directory, environment: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = now()
        try process.run()
        let pid = process.processIdentifier
        started(pid)
        // The watchdog kills only this child, by its id, and only while it has not been reaped.
        let finished = Flag()
        let watchdog = DispatchWorkItem {
            if !finished.isSet { kill(pid, SIGKILL) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(0, deadline - start), execute: watchdog)
        // Standard error is read on a thread of its own, so that neither pipe can fill up.
        let stderrData = Box<Data>(Data())
        let errHandle = err.fileHandleForReading
        let errDone = DispatchSemaphore(value: 0)
        Thread {
            stderrData.value = errHandle.readDataToEndOfFile()
            errDone.signal()
        }.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        finished.set()
        watchdog.cancel()
        return Outcome(
            arguments: arguments, status: process.terminationStatus,
            killed: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderrData.value, as: UTF8.self),
            seconds: now() - start)
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    final class Box<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
        func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
    }

    /// Runs `lanes` closures on threads of their own (not the cooperative pool: each blocks on
    /// child processes) and waits for all.
    static func inParallel(_ lanes: [@Sendable () -> Void]) {
        let done = DispatchSemaphore(value: 0)
        for lane in lanes {
            Thread {
                lane()
                done.signal()
            }.start()
        }
        for _ in lanes { done.wait() }
    }
}

/// Issue 12, "a busy office waits": several commands writing and reading one ledger file at
/// the same time, as separate processes (the lock that failed them is between processes).
/// Every command must succeed — writers wait for each other, readers for nobody — and the books
/// must come out whole: every voucher posted, numbered 1…n per studio and month, verify clean.
@Suite("end to end: a busy office waits", .serialized)
struct BusyOfficeTests {
    static let host = "91512002MA62K3B01N"
    static let writers = 4
    static let vouchersPerWriter = 15
    static let readers = 2

    /// One voucher of writer `w`, number `k`: a receipt into S1 (even writers) or S2 (odd),
    /// all in January 2026 so that every writer of a studio competes for the same numbers.
    static func voucherJSON(writer w: Int, index k: Int) -> String {
        let studio = w % 2 == 0 ? "S1" : "S2"
        let day = String(format: "2026-01-%02d", 1 + (w * vouchersPerWriter + k) % 28)
        let amount = "\(1 + w).\(String(format: "%02d", k))"
        return """
            [{"studio": "\(studio)", "date": "\(day)", "class": "记", "attachments": 1, "settlement": "bank-transfer",
              "counterparty": "资阳市财政局", "preparer": "李会计", "reviewer": "王主管",
              "lines": [{"memo": "写入者\(w)第\(k)张", "account": "100201", "fund": "subsidy", "side": "debit", "amount": "\(amount)"},
                        {"memo": "写入者\(w)第\(k)张", "account": "400101", "fund": "subsidy", "side": "credit", "amount": "\(amount)"}]}]
            """
    }

    @Test("4 writer and 2 reader processes on one file: every command exits 0, the books are whole")
    func writersAndReadersShareOneFile() throws {
        let e2e = EndToEndTests()
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["WORKSHOP_LEDGER_DB": directory.appendingPathComponent("l.sqlite").path, "USER": "李会计"]
        let deadline = Child.now() + 60
        func setup(_ arguments: [String]) throws {
            let outcome = try Child.run(arguments, in: directory, environment: environment, deadline: deadline)
            #expect(outcome.status == 0, "\(arguments.joined(separator: " ")): \(outcome.stderr)")
        }
        try setup(["init"])
        try setup(["host-unit", "add", "--credit-code", Self.host, "--name", "资阳测试机械有限公司", "--kind", "enterprise", "--county", "雁江区"])
        for code in ["S1", "S2"] {
            try setup(["studio", "add", "--code", code, "--name", "\(code) 工作室", "--host-unit", Self.host, "--leader", "张师傅", "--recognized", "2025-12-15", "--subsidy", "30000"])
        }
        for w in 0..<Self.writers {
            for k in 0..<Self.vouchersPerWriter {
                try Data(Self.voucherJSON(writer: w, index: k).utf8).write(to: directory.appendingPathComponent("v-\(w)-\(k).json"))
            }
        }

        let outcomes = Child.Box<[Child.Outcome]>([])
        let failures = Child.Box<[String]>([])
        let writersLeft = Child.Box<Int>(Self.writers)
        @Sendable func record(_ result: Result<Child.Outcome, any Error>, _ arguments: [String]) {
            switch result {
            case .success(let outcome): outcomes.update { $0.append(outcome) }
            case .failure(let error): failures.update { $0.append("\(arguments.joined(separator: " ")): \(error)") }
            }
        }
        let readCommands: [[String]] = [
            ["balance", "--studio", "S1", "--format", "json"],
            ["journal", "--studio", "S2", "--format", "csv"],
            ["verify"],
            ["journal", "--studio", "S1", "--format", "json"],
            ["balance", "--studio", "S2"],
        ]
        var lanes: [@Sendable () -> Void] = []
        for w in 0..<Self.writers {
            lanes.append {
                for k in 0..<Self.vouchersPerWriter {
                    let arguments = ["voucher", "post", "v-\(w)-\(k).json", "--allow-unreviewed"]
                    record(Result { try Child.run(arguments, in: directory, environment: environment, deadline: deadline) }, arguments)
                }
                writersLeft.update { $0 -= 1 }
            }
        }
        for r in 0..<Self.readers {
            lanes.append {
                var i = r
                repeat {
                    let arguments = readCommands[i % readCommands.count]
                    record(Result { try Child.run(arguments, in: directory, environment: environment, deadline: deadline) }, arguments)
                    i += 1
                } while writersLeft.value > 0 && Child.now() < deadline
            }
        }
        let start = Child.now()
        Child.inParallel(lanes)
        let seconds = Child.now() - start

        #expect(failures.value.isEmpty, "\(failures.value)")
        let all = outcomes.value
        let writes = all.filter { $0.arguments.first == "voucher" }
        let reads = all.filter { $0.arguments.first != "voucher" }
        #expect(writes.count == Self.writers * Self.vouchersPerWriter)
        #expect(reads.count >= Self.readers)
        for outcome in all where outcome.status != 0 || outcome.killed {
            Issue.record("\(outcome.arguments.joined(separator: " ")) exited \(outcome.status) after \(outcome.seconds) s: \(outcome.stderr)")
        }
        #expect(!all.contains { $0.stderr.contains("database is locked") || $0.stderr.contains("占用") })
        print("busy office: \(writes.count) writes and \(reads.count) reads in \(String(format: "%.1f", seconds)) s, slowest write \(String(format: "%.2f", writes.map(\.seconds).max() ?? 0)) s")

        // The books are whole: verify clean, every voucher there, numbers 1…n per studio.
        let verify = try Child.run(["verify", "--format", "json"], in: directory, environment: environment, deadline: deadline + 30)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        #expect(report?["vouchers"] as? Int == Self.writers * Self.vouchersPerWriter)
        for (studio, writersOfStudio) in [("S1", [0, 2]), ("S2", [1, 3])] {
            let journal = try Child.run(["journal", "--studio", studio, "--format", "json"], in: directory, environment: environment, deadline: deadline + 30)
            #expect(journal.status == 0)
            let object = try JSONSerialization.jsonObject(with: Data(journal.stdout.utf8)) as? [String: Any]
            // The journal lists lines, each naming its voucher ("记-0007") and memo.
            let lines = object?["lines"] as? [[String: Any]] ?? []
            let labels = Set(lines.compactMap { $0["voucher"] as? String })
            let numbers = labels.compactMap { $0.split(separator: "-").last.flatMap { Int($0) } }.sorted()
            let expected = writersOfStudio.count * Self.vouchersPerWriter
            #expect(numbers == Array(1...expected), "\(studio) numbers \(numbers)")
            let memos = Set(lines.compactMap { $0["memo"] as? String })
            for w in writersOfStudio {
                for k in 0..<Self.vouchersPerWriter {
                    #expect(memos.contains("写入者\(w)第\(k)张"), "\(studio) lacks writer \(w)'s voucher \(k)")
                }
            }
        }
    }
}
