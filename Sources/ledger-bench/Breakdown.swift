import FundApp
import FundCore
import FundRules
import FundStore
import Foundation

/// The check's steps timed one by one over every studio, as `LedgerApp.check` runs them:
/// reading the vouchers, building the books, working out the facts, then each rule. It reads
/// the raw store on purpose (a second connection to the same file): the read is one of the
/// steps measured.
func checkBreakdown(_ app: LedgerApp) throws {
    let store = try LedgerStore(path: app.databasePath)
    let day = Bench.checkAsOf
    let policies = try app.compliance.policies()
    let calendar = try app.compliance.holidayCalendar()
    let chart = try store.register.chart()
    let invoiceUses = try store.books.invoiceUses(asOf: day)
    var times: [(String, Double)] = [("read vouchers", 0), ("books", 0), ("facts", 0), ("free", 0)] + Catalogue.rules.map { ($0.code, 0) }
    var findings = 0
    for studio in try store.register.studios() {
        var vouchers: [PostedVoucher] = []
        times[0].1 += try seconds { vouchers = try store.books.vouchers(studio: studio.code) }
        vouchers.removeAll { $0.draft.date > day }
        var books: StudioBooks? = nil
        times[1].1 += seconds { books = StudioBooks(studio: studio, vouchers: vouchers) }
        guard let policy = Policy.inForce(on: studio.recognized, among: policies) else { continue }
        let context = CheckContext(chart: chart, policy: policy, calendar: calendar, asOf: day, invoiceUses: invoiceUses)
        var facts: StudioFacts? = nil
        times[2].1 += seconds { facts = StudioFacts(books!, chart: chart) }
        for (index, rule) in Catalogue.rules.enumerated() {
            times[4 + index].1 += seconds { findings += rule.evaluate(facts!, context).count }
        }
        times[3].1 += seconds {
            facts = nil
            books = nil
            vouchers = []
        }
    }
    let total = times.reduce(0) { $0 + $1.1 }
    print("breakdown (\(findings) findings, \(format(total, 3)) s):")
    for (step, time) in times.sorted(by: { $0.1 > $1.1 }) {
        print("  \(step)\(String(repeating: " ", count: max(1, 14 - step.count)))\(format(time * 1000, 1)) ms  \(format(time / total * 100, 1)) %")
    }
}
