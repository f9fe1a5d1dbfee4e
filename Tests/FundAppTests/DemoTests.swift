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

    @Test("the demo's accounts: one per role, each signs in at once and sees its scope")
    func demoAccounts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Demo.build(in: directory)
        let accounts = try Demo.addAccounts(app: result.app)
        #expect(accounts.map(\.role) == [.bureau, .county, .accountant, .supervisor, .auditor, .admin])
        #expect(accounts.map(\.name).first == "市人社局审核员" && accounts.map(\.name).last == "系统管理员")
        #expect(accounts[1].scope == .county("雁江区"))
        #expect(accounts[2].scope == .hostUnit("91512002MA62Q8K514") && accounts[3].scope == accounts[2].scope)
        #expect(accounts[4].scope == .studios(["ZY2025-001", "ZY2025-002"]) && accounts[4].expires == CalendarDate(year: 2027, month: 12, day: 31))
        #expect(Set(accounts.map(\.password)).count == 6)
        let desk = result.app.accounts
        for account in accounts {
            let session = try desk.login(name: account.name, password: account.password)
            #expect(!session.account.mustChangePassword, "\(account.name)")
            let visible = try desk.places().filter { Access.covers(session.account.scope, $0) }.map(\.code)
            switch account.role {
            case .bureau: #expect(visible.count == 4)
            case .county: #expect(visible == ["ZY2024-001", "ZY2025-001", "ZY2025-003"])
            case .accountant, .supervisor: #expect(visible == ["ZY2024-001", "ZY2025-001"])
            case .auditor: #expect(visible == ["ZY2025-001", "ZY2025-002"])
            case .admin: #expect(visible.isEmpty)
            }
        }
        #expect(try result.app.admin.verify().isClean)
    }
}
