import FundApp
import FundCore
import FundTestSupport
import FundWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// 第十一条 on the web desk: the bureau records an approved host-unit change as taking effect;
/// the studio moves to the new host unit's scope and its pages show the history.
@Suite("changes take effect on the web desk")
struct ChangeEffectWebTests {
    @Test func theBureauRecordsAHostUnitChangeAndTheStudioMovesToTheNewHostUnit() async throws {
        let app = try WebFixture.app()
        let code = WebFixture.own
        let newHost = try app.register.studio(code: WebFixture.foreign).hostUnit
        let change = try app.lifecycle.change(studio: code, step: .new(kind: "host-unit"), date: "2026-10-01", note: "领办人调入新单位")
        _ = try app.lifecycle.change(studio: code, step: .reported(id: change.id), date: "2026-10-15", note: "")
        _ = try app.lifecycle.change(studio: code, step: .decided(id: change.id), date: "2026-11-01", note: "同意变更举办单位")
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            let accountant = try await client.signIn(WebFixture.names[.accountant]!)
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            #expect(try await client.get("/studios/\(code)", as: accountant).status == .ok)
            let form = String(buffer: try await client.get("/studios/\(code)/lifecycle", as: bureau).body)
            #expect(form.contains("lifecycle/change-effect") && form.contains("变更生效"))
            // Not the accountant's to record; a form without its token is refused.
            #expect(try await client.post(
                "/studios/\(code)/lifecycle/change-effect", ["change": "\(change.id)", "new-host-unit": newHost.text], as: accountant).status == .forbidden)
            #expect(try await client.post(
                "/studios/\(code)/lifecycle/change-effect", ["change": "\(change.id)", "new-host-unit": newHost.text, "_csrf": "x"], as: bureau).status != .seeOther)
            let recorded = try await client.post(
                "/studios/\(code)/lifecycle/change-effect", ["change": "\(change.id)", "new-host-unit": newHost.text], as: bureau)
            #expect(recorded.status == .seeOther)
            let again = try await client.post(
                "/studios/\(code)/lifecycle/change-effect", ["change": "\(change.id)", "new-host-unit": newHost.text], as: bureau)
            #expect(again.status == .badRequest && String(buffer: again.body).contains("L027"))

            // The old host unit's accountant no longer reaches the studio.
            #expect(try await client.get("/studios/\(code)", as: accountant).status != .ok)
            let page = String(buffer: try await client.get("/studios/\(code)/lifecycle", as: bureau).body)
            #expect(page.contains("领办人与依托单位沿革") && page.contains(newHost.text) && page.contains("2026-11-01"))
            let summary = String(buffer: try await client.get("/studios/\(code)", as: bureau).body)
            #expect(summary.contains("领办人与依托单位沿革") && summary.contains(newHost.text))
        }
        #expect(try app.register.studio(code: code).hostUnit == newHost)
        #expect(try app.admin.verify().isClean)
    }
}
