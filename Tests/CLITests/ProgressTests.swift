import Foundation
import Synchronization
import Testing
@testable import workshop_ledger

/// Progress on long work (issue 16, item 10): a line on a terminal's stderr, nothing anywhere
/// else.
@Suite("progress on stderr")
struct ProgressTests {
    final class Written: Sendable {
        let texts = Mutex<[String]>([])
        var all: [String] { texts.withLock { $0 } }
        func append(_ text: String) { texts.withLock { $0.append(text) } }
    }

    @Test("the line says what is being done and for how long", arguments: [
        (0, "正在校验账簿…（已用 0 秒）"), (5, "正在校验账簿…（已用 5 秒）"), (65, "正在校验账簿…（已用 1 分 05 秒）"),
        (600, "正在校验账簿…（已用 10 分 00 秒）"),
    ])
    func line(seconds: Int, text: String) {
        #expect(Progress.line("校验账簿", elapsedSeconds: seconds) == text)
    }

    @Test("not a terminal: nothing is written, however long the work")
    func quietOffATerminal() {
        let written = Written()
        let progress = Progress(isTerminal: false, write: { written.append($0) }, delay: .milliseconds(10), interval: .milliseconds(10))
        let result = progress.run("校验账簿") { () -> Int in
            Thread.sleep(forTimeInterval: 0.2)
            return 7
        }
        #expect(result == 7)
        #expect(written.all.isEmpty)
    }

    @Test("a terminal: the line is rewritten in place while the work runs, then erased")
    func aLineOnATerminal() {
        let written = Written()
        let progress = Progress(isTerminal: true, write: { written.append($0) }, delay: .milliseconds(10), interval: .milliseconds(20))
        progress.run("生成审计资料包") { Thread.sleep(forTimeInterval: 0.3) }
        let texts = written.all
        #expect(texts.count >= 3, "\(texts)")
        #expect(texts.dropLast().allSatisfy { $0.hasPrefix(Progress.rewind + "正在生成审计资料包…（已用 ") }, "\(texts)")
        #expect(texts.last == Progress.rewind)
        // Work that ends before the delay leaves no trace.
        let quick = Written()
        Progress(isTerminal: true, write: { quick.append($0) }, delay: .seconds(5)).run("校验账簿") {}
        #expect(quick.all.isEmpty)
    }

    /// The built binary on the demo books, with stderr a pipe: `verify` and `check --all`
    /// write no progress.
    @Test("verify and check --all with stderr piped write nothing to stderr")
    func verifyIsQuietWhenPiped() throws {
        var built = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if built.lastPathComponent.hasSuffix(".xctest") { built.deleteLastPathComponent() }
        let binary = built.appendingPathComponent("workshop-ledger")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("demo/workshop-ledger.sqlite").path
        for arguments in [["demo", "--out", directory.appendingPathComponent("demo").path], ["verify", "--db", db], ["check", "--all", "--db", db]] {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            // stdout to /dev/null: reading one pipe to its end while the other fills would
            // deadlock once the output outgrows the pipe's buffer (the demo's books did).
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus != 3 && process.terminationStatus < 64, "\(arguments): \(String(decoding: errData, as: UTF8.self))")
            #expect(!String(decoding: errData, as: UTF8.self).contains("正在"), "\(arguments)")
        }
    }
}
