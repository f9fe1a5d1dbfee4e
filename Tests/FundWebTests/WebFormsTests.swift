import FundApp
import FundCore
import FundTestSupport
import FundWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The forms write what they say, under the signed-in account, and a refused form writes nothing.
@Suite("Web desk forms")
struct WebFormsTests {
    @Test func theHostUnitKeepsItsRecords() async throws {
        let app = try WebFixture.app()
        let code = WebFixture.own
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            let accountant = try await client.signIn(WebFixture.names[.accountant]!)
            let budget = try await client.post(
                "/studios/\(code)/budget", ["fund": "enterprise", "category": "rnd", "amount": "12,345.60", "reason": "研发计划调整"], as: accountant)
            #expect(budget.status == .seeOther)
            let activity = try await client.post(
                "/studios/\(code)/activities", ["date": "2026-11-18", "kind": "training", "title": "数控车床操作培训", "quantity": "25"], as: accountant)
            #expect(activity.status == .seeOther)
            let bad = try await client.post(
                "/studios/\(code)/activities", ["date": "2026-13-01", "kind": "training", "title": "日期有误", "quantity": "3"], as: accountant)
            #expect(bad.status == .badRequest)
            #expect(String(buffer: bad.body).contains("字段 date"))
            let supervisor = try await client.signIn(WebFixture.names[.supervisor]!)
            let page = String(buffer: try await client.get("/studios/\(code)", as: supervisor).body)
            #expect(page.contains("结账至月份"), "the supervisor sees the closing form")
        }
        let line = try #require(try app.statements.budget(studio: code).first { $0.fund == .enterprise && $0.category == .rnd })
        #expect(line.amount == Money(fen: 1_234_560))
        #expect(try app.lifecycle.activities(studio: code).contains { $0.title == "数控车床操作培训" && $0.quantity == 25 })
        #expect(try !app.lifecycle.activities(studio: code).contains { $0.title == "日期有误" })
        let entries = try app.admin.log(studio: code).filter { $0.user == WebFixture.names[.accountant]! }
        #expect(entries.map(\.action) == ["budget.set", "activity.add"])
    }

    @Test func aCountyRecordsAcceptanceButCannotRevoke() async throws {
        let app = try WebFixture.app()
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            let county = try await client.signIn(WebFixture.names[.county]!)
            let revoke = try await client.post(
                "/studios/ZY2024-001/lifecycle/acceptance", ["to": "revoked", "date": "2026-11-20", "ground": "fraud"], as: county)
            #expect(revoke.status == .badRequest, "revocation is not an acceptance step")
            #expect(try await client.post("/studios/ZY2024-001/lifecycle/municipal", ["to": "revoked", "date": "2026-11-20"], as: county).status == .forbidden)
            let note = try await client.post(
                "/studios/\(WebFixture.own)/supervision", ["date": "2026-11-19", "text": "现场查看设备台账，<b>要求</b>补齐验收单"], as: county)
            #expect(note.status == .seeOther)
            let page = String(buffer: try await client.get("/studios/\(WebFixture.own)/lifecycle", as: county).body)
            #expect(page.contains("现场查看设备台账，&lt;b&gt;要求&lt;/b&gt;补齐验收单") && page.contains(WebFixture.names[.county]!))
            let future = try await client.post("/studios/\(WebFixture.own)/supervision", ["date": "2026-12-30", "text": "未来"], as: county)
            #expect(future.status == .badRequest)
        }
        let notes = try app.lifecycle.supervisionNotes(studio: WebFixture.own)
        #expect(notes.map(\.user) == [WebFixture.names[.county]!])
        #expect(try app.admin.log(action: "supervision.note").map(\.user) == [WebFixture.names[.county]!])
        #expect(try app.admin.verify().isClean, "the note is in the row chain")
        #expect(try app.lifecycle.records(studio: "ZY2024-001").allSatisfy { $0.transition.to != .revoked })
    }
}
