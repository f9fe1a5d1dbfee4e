import FundApp
import FundCore
import FundExchange
import FundRender
import FundReports
import Foundation
import Testing

/// The CSV, HTML and JSON of every report of the sample studios, byte for byte against the
/// files in Fixtures/golden/. After an intended change, regenerate them with
///
///     WORKSHOP_LEDGER_REGENERATE_GOLDEN=1 swift test --filter GoldenTests
///
/// and review the diff like any other change.
@Suite("golden reports", .serialized)
struct GoldenTests {
    static let golden = packageRoot.appendingPathComponent("Fixtures/golden")
    static let regenerate = ProcessInfo.processInfo.environment["WORKSHOP_LEDGER_REGENERATE_GOLDEN"] == "1"
    static let formats: [OutputFormat] = [.csv, .html, .json]

    @Test("every report of every sample studio matches its golden file")
    func reportsMatchGoldenFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try Demo.build(in: directory)
        let written = try Demo.writeReports(app: demo.app, studios: demo.studios, into: directory.appendingPathComponent("reports"), formats: Self.formats)
        // The two public-institution studios (a training base, a college) also have the three
        // budget statements (平行记账).
        #expect(written.count == (demo.studios.count * ReportKind.bookKinds.count + 2 * ReportKind.budgetKinds.count) * Self.formats.count)
        var compared = 0
        for file in written {
            let relative = file.deletingLastPathComponent().lastPathComponent + "/" + file.lastPathComponent
            let goldenFile = Self.golden.appendingPathComponent(relative)
            let actual = try Data(contentsOf: file)
            if Self.regenerate {
                try FileManager.default.createDirectory(at: goldenFile.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: goldenFile)
                continue
            }
            guard let expected = try? Data(contentsOf: goldenFile) else {
                Issue.record("no golden file \(relative): run with WORKSHOP_LEDGER_REGENERATE_GOLDEN=1")
                continue
            }
            if actual != expected {
                let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, expected.count)
                Issue.record("\(relative) differs from its golden file at byte \(firstDifference) (\(actual.count) vs \(expected.count) bytes)")
            }
            compared += 1
        }
        if !Self.regenerate {
            #expect(compared == written.count)
            // No stale golden files either (parallel/ holds ParallelBooksTests' own).
            let goldenFiles = try FileManager.default.subpathsOfDirectory(atPath: Self.golden.path).filter { $0.contains(".") && !$0.hasSuffix("README.md") && !$0.hasPrefix("parallel/") }
            #expect(goldenFiles.count == written.count)
        }
    }

    @Test("CSV starts with a BOM, or is GB18030 on request; JSON amounts are integers of fen")
    func encodings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try Demo.build(in: directory)
        let built = try demo.app.statements.buildReport(ReportRequest(kind: .fundStatement, studio: demo.studios[0]))
        let utf8 = try LedgerApp.render(built, format: .csv)
        #expect(Array(utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let gb = try LedgerApp.render(built, format: .csv, encoding: .gb18030)
        #expect(gb.first != 0xEF)
        // 专 in GB18030 is D7 A8.
        #expect(Array(gb.prefix(2)) == [0xD7, 0xA8])
        let json = try JSONSerialization.jsonObject(with: built.json()) as? [String: Any]
        #expect(json?["approvedSubsidyFen"] as? Int == 3_000_000)
    }
}
