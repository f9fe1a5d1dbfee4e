@testable import FundApp
import FundCore
import FundReports
import FundStore
import FundTestSupport
import Foundation
import Testing

// 第十一条: an approved change of leader or host unit is recorded as effective from its decision
// date. The studio keeps its identity; the register shows the history; reports dated from then
// on show the new leader and host unit; the new host unit's accounts see the studio, the old
// one's no longer do.

private func day(_ text: String) -> CalendarDate { TestLedger.date(text) }

@Suite("changes take effect (第十一条)")
struct ChangeEffectTests {
    static let newHost = TestLedger.otherHostCode
    static let strong = "Gong-Jiang-2026!"

    /// S1 and S2 of host unit 1 (雁江区), a second host unit (安岳县), S1 with its subsidy in the
    /// books; as the bureau (市人社局审核员), on 2026-11-20.
    func ledger() throws -> LedgerApp {
        let app = try TestLedger.app(studios: ["S1", "S2"], user: "市人社局审核员")
        _ = try app.register.addHostUnit(creditCode: Self.newHost, name: "安岳县职业技能公共实训基地", kind: "training-base", county: "安岳县")
        _ = try app.store.books.post(
            [TestLedger.receipt(fund: .subsidy, fen: 3_000_000)], stamp: Stamp(user: "测试员", at: "2025-12-20T01:00:00Z", today: day("2025-12-20")))
        return app
    }

    /// Records change `kind` of S1 on `event`, reported and decided (with `decision`) on the next days given.
    @discardableResult
    func decided(_ app: LedgerApp, _ kind: String, event: String, reported: String?, decided: String?, decision: String = "同意") throws -> Int {
        let change = try app.lifecycle.change(studio: "S1", step: .new(kind: kind), date: event, note: "")
        if let reported { _ = try app.lifecycle.change(studio: "S1", step: .reported(id: change.id), date: reported, note: "") }
        if let decided { _ = try app.lifecycle.change(studio: "S1", step: .decided(id: change.id), date: decided, note: decision) }
        return change.id
    }

    @Test func anUndecidedAnOtherOrARefusedChangeDoesNotTakeEffectAndNothingIsWritten() throws {
        let app = try ledger()
        let undecided = try decided(app, "leader", event: "2026-03-01", reported: "2026-03-10", decided: nil)
        let other = try decided(app, "other", event: "2026-03-02", reported: "2026-03-10", decided: "2026-04-01")
        let refused = try decided(app, "host-unit", event: "2026-03-03", reported: "2026-03-10", decided: "2026-04-02", decision: "不予认定")
        let logged = try app.admin.log().count
        for (id, leader, host) in [(undecided, "王师傅", nil), (other, "王师傅", nil), (refused, nil, Self.newHost)] as [(Int, String?, String?)] {
            let rejection = #expect(throws: Rejection.self) {
                try app.lifecycle.changeEffect(studio: "S1", change: "\(id)", newLeader: leader, newHostUnit: host)
            }
            #expect(rejection?.code == .changeNotApproved && rejection?.field == "change", "\(String(describing: rejection))")
        }
        // An unknown change, a change of another studio's number, both or neither target, an unregistered host unit.
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.changeEffect(studio: "S1", change: "9", newLeader: "王师傅", newHostUnit: nil) })?.code == .changeUnknown)
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.changeEffect(studio: "S2", change: "\(undecided)", newLeader: "王师傅", newHostUnit: nil) })?.code == .changeUnknown)
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.changeEffect(studio: "S1", change: "x", newLeader: "王师傅", newHostUnit: nil) })?.field == "change")
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.changeEffect(studio: "S1", change: "1", newLeader: nil, newHostUnit: " ") })?.code == .changeEffectInvalid)
        let unregistered = try decided(app, "host-unit", event: "2026-03-04", reported: "2026-03-10", decided: "2026-04-03")
        let unknownHost = #expect(throws: Rejection.self) {
            try app.lifecycle.changeEffect(studio: "S1", change: "\(unregistered)", newLeader: nil, newHostUnit: CreditCode.completing("91512002MA62K3C01")!)
        }
        #expect(unknownHost?.code == .hostUnitUnknown && unknownHost?.field == "new-host-unit")
        #expect(try app.store.lifecycle.changeEffects(studio: nil).isEmpty)
        #expect(try app.admin.log().count == logged + 3, "only the three change steps of the last change were logged")
        #expect(try app.register.studio(code: "S1").leader == "张师傅")
    }

    @Test func anApprovedLeaderChangeTakesEffectOnItsDecisionDateAndTheReportsFollow() throws {
        let app = try ledger()
        let id = try decided(app, "leader", event: "2026-03-01", reported: "2026-03-10", decided: "2026-04-10")
        let effect = try app.lifecycle.changeEffect(studio: "S1", change: "\(id)", newLeader: " 王师傅 ", newHostUnit: nil)
        #expect(effect.effective == day("2026-04-10") && effect.target == .leader("王师傅") && effect.user == "市人社局审核员")
        // Once only.
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.changeEffect(studio: "S1", change: "\(id)", newLeader: "赵师傅", newHostUnit: nil) })?.code == .changeEffectInvalid)

        #expect(try app.register.studio(code: "S1").leader == "王师傅")
        #expect(try app.register.studio(code: "S1", asOf: day("2026-04-09")).leader == "张师傅")
        #expect(try app.register.studio(code: "S2").leader == "张师傅", "another studio is untouched")
        // The evaluation report names the leader as of its day.
        #expect(try evaluationText(app, asOf: "2026-04-09").contains("领办人张师傅"))
        #expect(try evaluationText(app, asOf: "2026-04-10").contains("领办人王师傅"))

        let entry = try #require(try app.admin.log().last)
        #expect(entry.action == "studio.change.effect" && entry.studio == "S1")
        #expect(entry.detail.contains("2026-04-10") && entry.detail.contains("张师傅") && entry.detail.contains("王师傅"))
        #expect(try app.admin.verify().isClean)
    }

    @Test func anApprovedHostUnitChangeMovesHeadersScopeAndTheRegister() throws {
        let app = try ledger()
        let accounts = app.accounts
        let oldAccountant = try accounts.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: Self.strong).account
        let newAccountant = try accounts.add(NewAccountForm(name: "周会计", role: "accountant", hostUnit: Self.newHost), password: Self.strong).account
        let newCounty = try accounts.add(NewAccountForm(name: "安岳县人社局", role: "county", county: "安岳县"), password: Self.strong).account
        #expect(try accounts.authorize(oldAccountant, .editStudio, studio: "S1") == .allow)
        #expect(try accounts.authorize(newAccountant, .editStudio, studio: "S1").isAllowed == false)
        #expect(try accounts.authorize(newCounty, .acceptanceStep, studio: "S1").isAllowed == false)

        let id = try decided(app, "host-unit", event: "2026-05-01", reported: "2026-05-20", decided: "2026-06-15", decision: "同意变更举办单位")
        _ = try app.lifecycle.changeEffect(studio: "S1", change: "\(id)", newLeader: nil, newHostUnit: Self.newHost)

        // Scope: the old host unit's accounts no longer see S1, the new one's (and its county) do; S2 stays.
        #expect(try accounts.authorize(oldAccountant, .editStudio, studio: "S1").isAllowed == false)
        #expect(try accounts.authorize(oldAccountant, .editStudio, studio: "S2") == .allow)
        #expect(try accounts.authorize(newAccountant, .editStudio, studio: "S1") == .allow)
        #expect(try accounts.authorize(newCounty, .acceptanceStep, studio: "S1") == .allow)
        let places = try accounts.places()
        #expect(places.map(\.code) == ["S1", "S2"])
        #expect(places.first { $0.code == "S1" } == StudioPlace(code: "S1", hostUnit: Self.newHost, county: "安岳县"))
        #expect(try app.vouchers.studios(of: newAccountant) == ["S1"])

        // Statements: 编制单位 is the host unit as of the statement's day.
        #expect(try preparedBy(app, asOf: "2026-06-14") == "资阳测试机械有限公司")
        #expect(try preparedBy(app, asOf: "2026-06-15") == "安岳县职业技能公共实训基地")
        #expect(try evaluationText(app, asOf: "2026-06-14").contains("由资阳测试机械有限公司"))
        #expect(try evaluationText(app, asOf: "2026-06-30").contains("由安岳县职业技能公共实训基地"))

        // The register: the list shows the current host unit and the change with its date; the
        // studio's history shows both host units with their dates.
        let list = try app.register.studiosReport()
        let json = try #require(list.value as? [RegisterReports.StudioJSON])
        #expect(json.first { $0.code == "S1" }?.hostUnit == Self.newHost)
        #expect(json.first { $0.code == "S1" }?.changes?.map(\.effective) == [day("2026-06-15")])
        #expect(json.first { $0.code == "S2" }?.changes == nil)
        #expect(list.document.sections.flatMap(\.blocks).count == 2, "the studios and the changes in effect")
        let history = try app.register.studioHistoryReport(code: "S1")
        let stretches = try #require(history.value as? [RegisterReports.StudioStretchJSON])
        #expect(stretches.filter { $0.kind == "host-unit" }.map(\.value) == [TestLedger.hostCode, Self.newHost])
        #expect(stretches.filter { $0.kind == "host-unit" }.map(\.until) == [day("2026-06-15"), nil])
        #expect(stretches.filter { $0.kind == "leader" }.map(\.value) == ["张师傅"])
        #expect(try app.admin.verify().isClean)
    }

    @Test func aLaterChangeMayNotBeDatedBeforeOneAlreadyInEffect() throws {
        let app = try ledger()
        let early = try decided(app, "leader", event: "2026-03-01", reported: "2026-03-10", decided: "2026-04-10")
        let late = try decided(app, "host-unit", event: "2026-03-02", reported: "2026-03-10", decided: "2026-05-10")
        _ = try app.lifecycle.changeEffect(studio: "S1", change: "\(late)", newLeader: nil, newHostUnit: Self.newHost)
        let rejection = #expect(throws: Rejection.self) { try app.lifecycle.changeEffect(studio: "S1", change: "\(early)", newLeader: "王师傅", newHostUnit: nil) }
        #expect(rejection?.code == .changeEffectInvalid)
    }

    @Test func aPackageIsSignedByTheHostUnitItNamesAsOfItsDay() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-change-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try ledger()
        let oldKey = directory.appendingPathComponent("old.ed25519")
        let newKey = directory.appendingPathComponent("new.ed25519")
        _ = try app.packages.generateSigningKey(hostUnit: TestLedger.hostCode, file: oldKey)
        _ = try app.packages.generateSigningKey(hostUnit: Self.newHost, file: newKey)
        let id = try decided(app, "host-unit", event: "2026-05-01", reported: "2026-05-20", decided: "2026-06-15")
        _ = try app.lifecycle.changeEffect(studio: "S1", change: "\(id)", newLeader: nil, newHostUnit: Self.newHost)

        let before = try app.packages.auditPackage(studio: "S1", asOf: day("2026-06-14"), keyFile: oldKey)
        #expect(AuditPackage.verify(before).manifest?.hostUnit.creditCode == TestLedger.hostCode)
        #expect(try app.packages.verifyPackage(before, publicKey: nil).verification.isClean)
        let after = try app.packages.auditPackage(studio: "S1", asOf: day("2026-11-20"), keyFile: newKey)
        #expect(AuditPackage.verify(after).manifest?.hostUnit.creditCode == Self.newHost)
        #expect(try app.packages.verifyPackage(after, publicKey: nil).verification.isClean)
        // The old unit's key no longer signs the studio's books after the change.
        let refused = #expect(throws: Rejection.self) { try app.packages.auditPackage(studio: "S1", asOf: day("2026-11-20"), keyFile: oldKey) }
        #expect(refused?.code == .signingKeyMismatch)
        #expect(try app.admin.verify().isClean)
    }

    func preparedBy(_ app: LedgerApp, asOf: String) throws -> String? {
        let report = try app.statements.buildReport(ReportRequest(kind: .trialBalance, studio: "S1", asOf: day(asOf)))
        return report.document.titleBlock.first { $0.label == "编制单位" }?.value
    }

    func evaluationText(_ app: LedgerApp, asOf: String) throws -> String {
        let built = try app.evaluation.evaluate(studio: "S1", asOf: day(asOf))
        return built.report.sections.flatMap(\.blocks).compactMap { block -> String? in
            if case .paragraph(let text) = block { return text }
            return nil
        }.joined(separator: "\n")
    }
}
