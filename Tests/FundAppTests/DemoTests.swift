@testable import FundApp
import FundCore
import FundStore
import FundTestSupport
import Foundation
import Testing

@Suite("demo books")
struct DemoTests {
    @Test func demoBuildsBalancedVerifiedBooks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Demo.build(in: directory)
        let app = result.app
        #expect(result.studios.count == 4)
        let kinds = Set(try app.store.register.hostUnits().map(\.kind))
        #expect(kinds == Set(HostUnitKind.allCases))
        for studio in result.studios {
            let balance = try app.books.trialBalance(studio: studio)
            #expect(balance.sections.count == 4)
            for section in balance.sections { #expect(section.totals.isBalanced, "\(studio) \(String(describing: section.fund))") }
            let funds = Set(try app.books.journal(studio: studio).flatMap { $0.draft.lines.map(\.fund) })
            #expect(funds == Set(Fund.allCases), "\(studio) uses all three funds")
        }
        let all = result.studios.flatMap { (try? app.books.journal(studio: $0)) ?? [] }
        #expect(all.contains { $0.draft.funds.count > 1 }, "a purchase split across funds")
        #expect(all.contains { if case .reversal = $0.kind { return true } else { return false } })
        #expect(all.contains { if case .correction = $0.kind { return true } else { return false } })
        #expect(try result.studios.contains { try app.store.books.periodBook(studio: $0).closedThrough != nil }, "a closed month")
        let report = try app.admin.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.vouchers == result.vouchers)
    }
}
