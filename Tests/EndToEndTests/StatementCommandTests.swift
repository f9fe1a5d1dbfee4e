import Foundation
import Testing

/// report, budget, keys, evidence, audit-package and export through the built binary.
@Suite("end to end: statements and audit packages")
struct StatementCommandTests {
    let e2e = EndToEndTests()

    @Test func reportsPackagesAndExports() throws {
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try e2e.run(["demo", "--out", "out"], in: directory).status == 0)
        let db = ["--db", directory.appendingPathComponent("out/workshop-ledger.sqlite").path]
        // Report files named in Chinese, like the audit package's.
        for file in ["out/reports/ZY2025-001/ZY2025-001-记账凭证.pdf", "out/reports/ZY2025-003/ZY2025-003-专项资金收支情况表.xlsx",
                     "out/packages/ZY2025-002-audit-package.zip"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), "\(file)")
        }

        let report = try e2e.run(["report", "trial-balance", "--studio", "ZY2025-001", "--fund", "subsidy", "--format", "csv", "--encoding", "gb18030", "--out", "tb.csv"] + db, in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        let bytes = try Data(contentsOf: directory.appendingPathComponent("tb.csv"))
        #expect(String(data: bytes, encoding: .utf8) == nil && !bytes.starts(with: [0xEF, 0xBB, 0xBF]), "GB18030, no BOM")
        // --out a folder: the file is named after the report, in Chinese or, asked, in ASCII.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("files"), withIntermediateDirectories: true)
        let named = try e2e.run(["report", "trial-balance", "--studio", "ZY2025-001", "--fund", "subsidy", "--format", "pdf", "--out", "files/"] + db, in: directory)
        #expect(named.status == 0 && named.stdout.contains("files/ZY2025-001-科目余额表-补助资金.pdf"), "\(named.stdout) \(named.stderr)")
        let ascii = try e2e.run(["report", "general-ledger", "--studio", "ZY2025-001", "--format", "xlsx", "--out", "files/", "--ascii-names"] + db, in: directory)
        #expect(ascii.status == 0, "\(ascii.stderr)")
        for file in ["files/ZY2025-001-科目余额表-补助资金.pdf", "files/ZY2025-001-general-ledger.xlsx"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try e2e.run(["report", "journal", "--studio", "ZY2025-001", "--out", "j.txt", "--ascii-names"] + db, in: directory).status == 2)
        let json = try e2e.run(["report", "fund-statement", "--studio", "ZY2025-001", "--format", "json", "--out", "-"] + db, in: directory)
        #expect(json.status == 0 && json.stdout.contains("\"approvedSubsidyFen\" : 3000000"))
        // Bad input exits 2 and names the field.
        #expect(try e2e.run(["report", "balance-sheet", "--studio", "ZY2025-001", "--format", "pdf", "--out", "x.pdf"] + db, in: directory).status == 2)
        let unknown = try e2e.run(["report", "journal", "--studio", "NOPE", "--format", "pdf", "--out", "x.pdf"] + db, in: directory)
        #expect(unknown.status == 2 && unknown.stderr.contains("NOPE"))
        #expect(try e2e.run(["report", "journal", "--studio", "ZY2025-001", "--account", "1002", "--format", "pdf", "--out", "x.pdf"] + db, in: directory).status == 2)
        let budget = try e2e.run(["budget", "set", "--studio", "ZY2025-001", "--fund", "补助资金", "--category", "茶水", "--amount", "100"] + db, in: directory)
        #expect(budget.status == 2)

        // The package the demo wrote verifies; a changed copy does not, with exit 1.
        let package = directory.appendingPathComponent("out/packages/ZY2025-002-audit-package.zip")
        let verify = try e2e.run(["audit-package", "verify", package.path] + db, in: directory)
        #expect(verify.status == 0 && verify.stdout.contains("核验通过"), "\(verify.stdout) \(verify.stderr)")
        var tampered = try Data(contentsOf: package)
        tampered[tampered.count / 2] ^= 0x5A
        try tampered.write(to: directory.appendingPathComponent("tampered.zip"))
        let bad = try e2e.run(["audit-package", "verify", "tampered.zip"] + db, in: directory)
        #expect(bad.status == 1, "\(bad.stdout) \(bad.stderr)")
        let stranger = try e2e.run(["audit-package", "verify", package.path, "--public-key", String(repeating: "0", count: 64)] + db, in: directory)
        #expect(stranger.status == 1 && stranger.stderr.contains("不是登记的公钥"))

        // A new package from the command line, twice: identical bytes.
        for name in ["a.zip", "b.zip"] {
            let built = try e2e.run(["audit-package", "--studio", "ZY2025-001", "--as-of", "2026-06-30", "--key-file", "out/workshop-ledger.sqlite.keys/91512002MA62Q8K514.ed25519", "--out", name] + db, in: directory)
            #expect(built.status == 0, "\(built.stderr)")
        }
        #expect(try Data(contentsOf: directory.appendingPathComponent("a.zip")) == Data(contentsOf: directory.appendingPathComponent("b.zip")))

        let export = try e2e.run(["export", "hledger", "--studio", "ZY2025-003", "--as-of", "2026-11-20", "--out", "books.journal"] + db, in: directory)
        #expect(export.status == 0)
        let gbt = try e2e.run(["export", "gbt24589", "--studio", "ZY2025-003", "--out", "gbt"] + db, in: directory)
        #expect(gbt.status == 0 && FileManager.default.fileExists(atPath: directory.appendingPathComponent("gbt/总账.xml").path))
    }
}
