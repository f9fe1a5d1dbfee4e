import Foundation
import Testing
import FundTestSupport

/// `kill -9` at random moments of a large import and of an audit package: the ledger must come
/// out whole every time — `verify` clean, the import all there or not at all — and take the
/// next import. The kill times come from a fixed seed (printed), so a failure can be replayed.
@Suite("end to end: kill -9 during import and audit package", .serialized)
struct CrashLoopTests {
    static let host = "91512002MA62K3B01N"
    static let seed: UInt64 = 20_261_204
    static let kills = 12
    /// Kills that hit `audit-package` instead of `import vouchers` (every fourth).
    static func killsPackage(_ round: Int) -> Bool { round % 4 == 3 }
    static let importVouchers = 1_000

    /// `count` two-line vouchers for S1, January to June 2026, numbered through the file.
    static func csv(count: Int, tag: String) -> String {
        var text = "日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,制单人\n"
        text.reserveCapacity(count * 120)
        for n in 1...count {
            let month = 1 + (n - 1) * 6 / count
            let date = String(format: "2026-%02d-%02d", month, 1 + n % 28)
            let amount = String(format: "%d.%02d", 1 + n % 500, n % 100)
            text += "\(date),记,\(n),\(tag)收到补助资金\(n),100201,补助资金,\(amount),,李会计\n"
            text += "\(date),记,\(n),\(tag)收到补助资金\(n),400101,补助资金,,\(amount),李会计\n"
        }
        return text
    }

    @Test("12 kills at seeded random moments: verify clean, imports atomic, the next import succeeds")
    func killsLeaveTheBooksWhole() throws {
        let e2e = EndToEndTests()
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["WORKSHOP_LEDGER_DB": directory.appendingPathComponent("l.sqlite").path, "USER": "李会计"]
        let suiteDeadline = Child.now() + 120
        @discardableResult
        func run(_ arguments: [String], deadline: Double? = nil) throws -> Child.Outcome {
            try Child.run(arguments, in: directory, environment: environment, deadline: deadline ?? suiteDeadline)
        }
        func expectOK(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let outcome = try run(arguments)
            #expect(outcome.status == 0, "\(arguments.joined(separator: " ")): \(outcome.stderr)", sourceLocation: sourceLocation)
        }
        /// Vouchers in the ledger, after `verify` (which must pass) has read them all.
        func verifiedCount(sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
            let verify = try run(["verify", "--format", "json"])
            #expect(verify.status == 0, "verify after a kill: \(verify.stdout)\(verify.stderr)", sourceLocation: sourceLocation)
            let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
            return report?["vouchers"] as? Int ?? -1
        }

        try expectOK(["init"])
        try expectOK(["host-unit", "add", "--credit-code", Self.host, "--name", "资阳测试机械有限公司", "--kind", "enterprise", "--county", "雁江区"])
        try expectOK(["studio", "add", "--code", "S1", "--name", "测试工作室", "--host-unit", Self.host, "--leader", "张师傅", "--recognized", "2025-12-15", "--subsidy", "30000"])
        try expectOK(["keys", "generate", "--host-unit", Self.host, "--key-file", "k.ed25519"])
        try Data(Self.csv(count: Self.importVouchers, tag: "").utf8).write(to: directory.appendingPathComponent("big.csv"))
        try Data(Self.csv(count: 3, tag: "续").utf8).write(to: directory.appendingPathComponent("small.csv"))
        let bigImport = ["import", "vouchers", "big.csv", "--studio", "S1", "--allow-unreviewed"]
        let smallImport = ["import", "vouchers", "small.csv", "--studio", "S1", "--allow-unreviewed"]
        let package = ["audit-package", "--studio", "S1", "--as-of", "2026-11-20", "--key-file", "k.ed25519", "--out", "p.zip"]

        // Untouched runs first, to learn how long each takes on this machine.
        let first = try run(bigImport)
        #expect(first.status == 0, "\(first.stderr)")
        let firstPackage = try run(package)
        #expect(firstPackage.status == 0, "\(firstPackage.stderr)")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("p.zip"))
        var expected = Self.importVouchers
        #expect(try verifiedCount() == expected)

        var random = SeededGenerator(seed: Self.seed)
        var killed = 0
        var committedBeforeKill = 0
        let start = Child.now()
        for round in 0..<Self.kills {
            let target = Self.killsPackage(round) ? package : bigImport
            let typical = Self.killsPackage(round) ? firstPackage.seconds : first.seconds
            // Most of a run is the write (parsing, validating, posting); the kill lands anywhere in it.
            let delay = Double.random(in: 0.02...max(0.05, 0.9 * typical), using: &random)
            let outcome = try run(target, deadline: Child.now() + delay)
            if outcome.killed { killed += 1 } else {
                #expect(outcome.status == 0, "round \(round) (seed \(Self.seed)): \(outcome.stderr)")
            }

            let count = try verifiedCount()
            if Self.killsPackage(round) {
                #expect(count == expected, "round \(round) (seed \(Self.seed)): a killed package changed the books")
                let zip = directory.appendingPathComponent("p.zip")
                if FileManager.default.fileExists(atPath: zip.path) {
                    let check = try run(["audit-package", "verify", "p.zip"])
                    #expect(check.status == 0, "round \(round) (seed \(Self.seed)): a package left by a kill does not verify: \(check.stdout)")
                    try FileManager.default.removeItem(at: zip)
                }
            } else {
                #expect(
                    count == expected || count == expected + Self.importVouchers,
                    "round \(round) (seed \(Self.seed), kill after \(delay) s): \(count) vouchers, expected \(expected) or \(expected + Self.importVouchers)")
                if count == expected + Self.importVouchers {
                    expected = count
                    if outcome.killed { committedBeforeKill += 1 }
                }
            }

            // The next import goes through.
            let next = try run(smallImport)
            #expect(next.status == 0, "round \(round) (seed \(Self.seed)): the import after a kill: \(next.stderr)")
            expected += 3
        }
        #expect(try verifiedCount() == expected)
        print("crash loop (seed \(Self.seed), import \(String(format: "%.2f", first.seconds)) s, package \(String(format: "%.2f", firstPackage.seconds)) s): \(killed) of \(Self.kills) runs killed (\(committedBeforeKill) imports committed just before the kill), \(expected) vouchers, \(String(format: "%.1f", Child.now() - start)) s")
        #expect(killed >= Self.kills / 2, "most kills should land while the command runs")
    }
}
