import Foundation
import Testing

@testable import FundCore

// 第十一条: an approved change of leader or host unit takes effect from its decision date; the
// studio as of a day is the registered row with the effects dated on or before it applied.

private func day(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }

private let oldHost = try! CreditCode(CreditCode.completing("91512002MA62K3B01")!)
private let newHost = try! CreditCode(CreditCode.completing("12512002MB0000001")!)

private let studio = try! Studio(
    code: "S1", name: "测试工作室", hostUnit: oldHost, leader: "张师傅", field: "数控", recognized: day("2025-12-15"),
    approvedSubsidy: Money(fen: 3_000_000))

private func change(_ id: Int, _ kind: ChangeKind, decided: String? = "2026-04-10", decision: String = "同意变更") -> StudioChange {
    StudioChange(
        id: id, studio: "S1", kind: kind, eventDate: day("2026-03-01"), detail: "", reported: day("2026-03-20"),
        decided: decided.map(day), decision: decided == nil ? nil : decision)
}

@Suite("Studio history (第十一条 changes in effect)")
struct StudioHistoryTests {
    let effects = [
        StudioChangeEffect(id: 2, studio: "S1", change: 2, effective: day("2026-09-01"), target: .hostUnit(newHost)),
        StudioChangeEffect(id: 1, studio: "S1", change: 1, effective: day("2026-04-10"), target: .leader("王师傅")),
    ]

    @Test func asOfADayAppliesTheEffectsDatedOnOrBeforeIt() {
        let history = StudioHistory(studio: studio, effects: effects)
        #expect(history.effects.map(\.id) == [1, 2], "in effect order, whatever order they came in")
        let before = history.asOf(day("2026-04-09"))
        #expect(before.leader == "张师傅" && before.hostUnit == oldHost)
        let onTheDay = history.asOf(day("2026-04-10"))
        #expect(onTheDay.leader == "王师傅" && onTheDay.hostUnit == oldHost)
        let after = history.asOf(day("2026-12-31"))
        #expect(after.leader == "王师傅" && after.hostUnit == newHost)
        #expect(history.current == after)
        // Identity stays: code, name, recognition, subsidy.
        #expect(after.code == studio.code && after.name == studio.name && after.recognized == studio.recognized)
        #expect(after.approvedSubsidy == studio.approvedSubsidy && after.constructionWindow == studio.constructionWindow)
        #expect(StudioHistory(studio: studio, effects: []).current == studio)
    }

    @Test func theStretchesOfLeadersAndHostUnits() {
        let history = StudioHistory(studio: studio, effects: effects)
        #expect(history.leaders.map(\.value) == ["张师傅", "王师傅"])
        #expect(history.leaders.map(\.from) == [day("2025-12-15"), day("2026-04-10")])
        #expect(history.leaders.map(\.change) == [nil, 1])
        #expect(history.hostUnits.map(\.value) == [oldHost.text, newHost.text])
        #expect(history.hostUnits.map(\.from) == [day("2025-12-15"), day("2026-09-01")])
    }

    @Test func aDecidedApprovedLeaderOrHostUnitChangeTakesEffectOnItsDecisionDate() throws {
        let today = day("2026-12-01")
        #expect(try StudioChangeEffect.validate(change(1, .leader), target: .leader("王师傅"), studio: studio, earlier: [], today: today) == day("2026-04-10"))
        #expect(try StudioChangeEffect.validate(change(2, .hostUnit), target: .hostUnit(newHost), studio: studio, earlier: [], today: today) == day("2026-04-10"))
    }

    @Test("refused: other changes, undecided, refused by the bureau, wrong target, repeated, future, same value, out of order", arguments: [
        (change(1, .other), StudioChangeTarget.leader("王师傅"), [StudioChangeEffect](), RejectionCode.changeNotApproved, "change"),
        (change(1, .leader, decided: nil), .leader("王师傅"), [], .changeNotApproved, "change"),
        (change(1, .leader, decision: "不予认定"), .leader("王师傅"), [], .changeNotApproved, "change"),
        (change(1, .hostUnit, decision: "经研究，不同意变更举办单位"), .hostUnit(newHost), [], .changeNotApproved, "change"),
        (change(1, .leader), .hostUnit(newHost), [], .changeEffectInvalid, "new-leader"),
        (change(1, .hostUnit), .leader("王师傅"), [], .changeEffectInvalid, "new-host-unit"),
        (change(1, .leader), .leader("王师傅"), [StudioChangeEffect(id: 1, studio: "S1", change: 1, effective: day("2026-04-10"), target: .leader("王师傅"))],
         .changeEffectInvalid, "change"),
        (change(1, .leader, decided: "2027-01-05"), .leader("王师傅"), [], .changeEffectInvalid, "change"),
        (change(1, .leader), .leader("张师傅"), [], .changeEffectInvalid, "new-leader"),
        (change(1, .hostUnit), .hostUnit(oldHost), [], .changeEffectInvalid, "new-host-unit"),
        (change(3, .leader), .leader("赵师傅"), [StudioChangeEffect(id: 1, studio: "S1", change: 2, effective: day("2026-05-01"), target: .hostUnit(newHost))],
         .changeEffectInvalid, "change"),
    ])
    func refused(change: StudioChange, target: StudioChangeTarget, earlier: [StudioChangeEffect], code: RejectionCode, field: String) {
        let rejection = #expect(throws: Rejection.self) {
            try StudioChangeEffect.validate(change, target: target, studio: studio, earlier: earlier, today: day("2026-12-01"))
        }
        #expect(rejection?.code == code, "\(String(describing: rejection))")
        #expect(rejection?.field == field, "\(String(describing: rejection))")
        #expect(rejection.map { !$0.message.isEmpty && $0.message.unicodeScalars.contains { $0.value > 0x4E00 } } == true)
    }

    @Test func typedTargetsAreChecked() throws {
        #expect(try StudioChangeTarget.leader(parsing: "  王师傅 ") == .leader("王师傅"))
        #expect((#expect(throws: Rejection.self) { try StudioChangeTarget.leader(parsing: "  ") })?.field == "new-leader")
        #expect(try StudioChangeTarget.hostUnit(parsing: newHost.text) == .hostUnit(newHost))
        let bad = #expect(throws: Rejection.self) { try StudioChangeTarget.hostUnit(parsing: "12512002MB0000009") }
        #expect(bad?.field == "new-host-unit" && bad?.message.hasPrefix("新依托单位") == true)
    }
}
