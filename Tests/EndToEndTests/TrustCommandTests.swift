import Foundation
import Testing

/// `audit-package verify` pins the signer, a package is not cut from tampered books, `--out`
/// never clobbers the ledger, and an interrupted command exits 130/143.
@Suite("end to end: trust")
struct TrustCommandTests {
    let e2e = EndToEndTests()

    @Test func packagesOutputsAndTamperedBooks() throws {
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try e2e.run(["demo", "--out", "out"], in: directory).status == 0)
        let database = directory.appendingPathComponent("out/workshop-ledger.sqlite").path
        let db = ["--db", database]
        let package = "out/packages/ZY2025-002-audit-package.zip"

        // Not pinned (no ledger here, no --public-key): exit 1, and it says how to pin.
        let unpinned = try e2e.run(["audit-package", "verify", package], in: directory)
        #expect(unpinned.status == 1, "\(unpinned.stdout) \(unpinned.stderr)")
        #expect(unpinned.stderr.contains("未能确认签名人") && unpinned.stderr.contains("--public-key") && unpinned.stderr.contains("--db"))
        #expect(!unpinned.stdout.contains("核验通过"))
        let pinned = try e2e.run(["audit-package", "verify", package] + db, in: directory)
        #expect(pinned.status == 0 && pinned.stdout.contains("核验通过") && pinned.stdout.contains("已比对"), "\(pinned.stdout) \(pinned.stderr)")

        // --out never clobbers: the database, its -wal, the key folder's key, a device, a folder.
        let key = "out/workshop-ledger.sqlite.keys/91512002MA62Q8K514.ed25519"
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        for (out, code) in [(database, "O001"), (database + "-wal", "O001"), (database + "-shm", "O001"), (key, "O001"),
                            ("out/workshop-ledger.sqlite.keys/p.zip", "O001"), ("/dev/null", "O002"), ("out/packages", "O002")] {
            let built = try e2e.run(["audit-package", "--studio", "ZY2025-001", "--as-of", "2026-06-30", "--key-file", key, "--out", out] + db, in: directory)
            #expect(built.status == 2 && built.stderr.contains("[\(code)]") && built.stderr.contains("out"), "\(out): \(built.stderr)")
            let report = try e2e.run(["report", "trial-balance", "--studio", "ZY2025-001", "--format", "csv", "--out", out] + db, in: directory)
            if out != "out/workshop-ledger.sqlite.keys/p.zip" { #expect(report.status == 2 && report.stderr.contains("[\(code)]"), "\(out): \(report.stderr)") }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(try e2e.run(["verify"] + db, in: directory).status == 0)
        let log = try e2e.run(["log", "--format", "csv"] + db, in: directory).stdout
        let built = try e2e.run(["audit-package", "--studio", "ZY2025-001", "--as-of", "2026-06-30", "--key-file", key, "--out", "ok.zip"] + db, in: directory)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(try e2e.run(["log", "--format", "csv"] + db, in: directory).stdout.count > log.count, "logged after the write")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)

        // Tampered books (a posting amount, guards dropped): no package, exit 1 with the X-code.
        let script = """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("DROP TRIGGER posting_no_update")
            c.execute("UPDATE posting SET amount_fen = amount_fen + 100 WHERE line_no = 1 AND voucher_id = (SELECT min(p.voucher_id) FROM posting p JOIN studio s ON s.id = p.studio_id WHERE s.code = 'ZY2025-001')")
            c.commit()
            """
        try script.write(to: directory.appendingPathComponent("tamper.py"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory.appendingPathComponent("tamper.py").path, database]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let refused = try e2e.run(["audit-package", "--studio", "ZY2025-001", "--as-of", "2026-06-30", "--key-file", key, "--out", "bad.zip"] + db, in: directory)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("[X001]") || refused.stderr.contains("[X006]"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("bad.zip").path))
    }

    @Test("SIGTERM and SIGINT end a command with 143 and 130 through the cleanup handler")
    func signals() throws {
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try e2e.run(["init", "--db", "l.sqlite"], in: directory).status == 0)
        for (signal, status) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            // `voucher post -` waits on standard input: a command caught in the middle.
            let process = EndToEndTests.process(["voucher", "post", "-", "--db", "l.sqlite", "--allow-unreviewed"], in: directory)
            let input = Pipe()
            process.standardInput = input
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: 0.5)
            kill(process.processIdentifier, signal)
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()
            #expect(process.terminationReason == .exit && process.terminationStatus == status, "\(process.terminationReason.rawValue) \(process.terminationStatus)")
            #expect(String(decoding: stderr, as: UTF8.self).contains("未写完的输出文件已删除"))
        }
    }
}
