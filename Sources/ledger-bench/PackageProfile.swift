import FundApp
import FundCore
import FundExchange
import FundRender
import FundReports
import Foundation

extension Bench {
    /// The audit-package stage alone, for profiling: packages for every studio, `runs` times,
    /// and with `--breakdown` each statement's build and render timed on its own (one core).
    func packagesOnly() throws {
        let directory = URL(fileURLWithPath: options.directory, isDirectory: true)
        let studios = min(options.studios, 10)
        let (app, keyFile) = try packageLedger(directory: directory, studios: studios, vouchers: 1_000)
        for _ in 0..<max(1, options.runs) {
            let cpuBefore = processCPUSeconds()
            let elapsed = try seconds {
                for index in 0..<studios { _ = try app.packages.auditPackage(studio: "P\(index)", asOf: Self.checkAsOf, keyFile: keyFile) }
            }
            let cpu = processCPUSeconds() - cpuBefore
            print("packages: \(studios) studios, \(format(elapsed, 2)) s, \(format(elapsed * 1000 / Double(studios), 0)) ms per studio "
                + "(CPU time of all threads \(format(cpu * 1000 / Double(studios), 0)) ms per studio)")
        }
        guard options.breakdown else { return }
        let kinds: [ReportKind] = [.fundStatement, .expenseDetail, .trialBalance, .generalLedger, .subsidiaryLedger, .journal, .vouchers, .findings, .spendingChart]
        var rows: [(String, Double)] = []
        for kind in kinds {
            var built: AnyReport? = nil
            let build = try seconds { built = try app.statements.buildReport(ReportRequest(kind: kind, studio: "P0", asOf: Self.checkAsOf)) }
            rows.append(("\(kind.rawValue) build", build))
            for format in [OutputFormat.pdf, .xlsx] {
                var bytes = 0
                let time = try median(3) { bytes = try LedgerApp.render(built!, format: format).count }
                rows.append(("\(kind.rawValue) \(format.rawValue) (\(bytes / 1024) KB)", time.wall))
            }
        }
        let total = rows.reduce(0) { $0 + $1.1 }
        print("one studio, each step alone (\(format(total * 1000, 0)) ms in all):")
        for (step, time) in rows.sorted(by: { $0.1 > $1.1 }) {
            print("  \(step)\(String(repeating: " ", count: max(1, 36 - step.count)))\(format(time * 1000, 1)) ms")
        }
    }
}
