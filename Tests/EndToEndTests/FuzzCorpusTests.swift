import Foundation
import Testing

/// Replays `Tests/Fuzz/corpus/` (see its README): every hostile input is rejected with exit 2,
/// never accepted, never an environment error (3), never a crash, and leaves the ledger as it was.
@Suite("end to end: the hostile-input corpus")
struct FuzzCorpusTests {
    static let host = "91512002MA62K3B01N"
    static let corpus = EndToEndTests.packageRoot.appendingPathComponent("Tests/Fuzz/corpus")

    @Test func everyHostileInputIsRejectedWithExit2() throws {
        let e2e = EndToEndTests()
        let directory = try e2e.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["WORKSHOP_LEDGER_DB": directory.appendingPathComponent("l.sqlite").path, "USER": "李会计"]
        let deadline = Child.now() + 120
        func run(_ arguments: [String]) throws -> Child.Outcome {
            try Child.run(arguments, in: directory, environment: environment, deadline: deadline)
        }
        for setup in [
            ["init"],
            ["host-unit", "add", "--credit-code", Self.host, "--name", "资阳测试机械有限公司", "--kind", "enterprise", "--county", "雁江区"],
            ["studio", "add", "--code", "S1", "--name", "测试工作室", "--host-unit", Self.host, "--leader", "张师傅", "--recognized", "2025-12-15", "--subsidy", "30000"],
        ] {
            #expect(try run(setup).status == 0)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(files.count >= 40, "the corpus at \(Self.corpus.path)")
        for file in files {
            let path = Self.corpus.appendingPathComponent(file).path
            let arguments: [String]
            if file.hasSuffix(".csv") {
                arguments = ["import", "vouchers", path, "--studio", "S1", "--allow-unreviewed"]
            } else if file.hasSuffix(".json") {
                arguments = ["voucher", "post", path, "--allow-unreviewed"]
            } else {
                continue
            }
            let outcome = try run(arguments)
            #expect(!outcome.killed && outcome.status == 2, "\(file): exit \(outcome.status)\(outcome.killed ? " (signal)" : ""): \(outcome.stderr.prefix(300))")
            #expect(outcome.stderr.hasPrefix("错误"), "\(file): \(outcome.stderr.prefix(300))")
        }
        let verify = try run(["verify", "--format", "json"])
        #expect(verify.status == 0, "\(verify.stdout)")
        let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        #expect(report?["vouchers"] as? Int == 0)
    }
}
