@testable import FundApp
import FundCore
import FundTestSupport
import Foundation
import Testing

/// `check --all` reads the next studio's books while it checks the current one: the result must
/// be exactly the studios checked one at a time, in order.
@Suite("checking every studio equals checking them one by one")
struct CheckAllTests {
    @Test func allStudiosInOrder() throws {
        let (app, directory) = try CheckTests.demo()
        defer { try? FileManager.default.removeItem(at: directory) }
        for day in ["2026-03-31", "2026-11-20", "2028-01-20"] {
            let all = try app.compliance.check(studio: nil, asOf: T.date(day))
            let studios = try app.store.register.studios().map(\.code)
            #expect(studios.count == 4)  // the demo's four sample studios
            let one = try studios.map { try app.compliance.check(studio: $0, asOf: T.date(day)) }
            #expect(all.findings == one.flatMap(\.findings))
            #expect(all.summary.studios == studios.count)
            #expect(all.summary.vouchers == one.map(\.summary.vouchers).reduce(0, +))
            #expect(all.summary.findings == one.map(\.summary.findings).reduce(0, +))
            #expect(all.summary.violationFen == one.map(\.summary.violationFen).reduce(0, +))
        }
    }
}
