import Foundation
import Testing

@testable import FundCore

private func day(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }

private let studio = try! Studio(
    code: "S1", name: "测试工作室", hostUnit: try! CreditCode(CreditCode.completing("91512002MA62K3B01")!), leader: "张师傅", field: "数控",
    recognized: day("2025-12-15"), approvedSubsidy: Money(fen: 3_000_000))

/// The app clock's day for these tests: after every date below.
private let today = day("2030-01-01")

/// The legal steps, written out independently of `LifecycleState.successors`.
private let legal: [LifecycleState?: Set<LifecycleState>] = [
    nil: [.applied, .recognized],
    .applied: [.initialReview],
    .initialReview: [.comprehensiveReview],
    .comprehensiveReview: [.publicNotice],
    .publicNotice: [.recognized],
    .recognized: [.underConstruction, .revoked],
    .underConstruction: [.acceptance, .revoked],
    .acceptance: [.accepted, .rectification, .revoked],
    .rectification: [.reinspection, .revoked],
    .reinspection: [.accepted, .revoked],
    .accepted: [.revoked],
    .revoked: [],
]

struct TransitionCase: CustomTestStringConvertible, Sendable {
    let from: LifecycleState?
    let to: LifecycleState
    var testDescription: String { "\(from?.rawValue ?? "none") → \(to.rawValue)" }
}

private let allPairs: [TransitionCase] = ([nil] + LifecycleState.allCases.map { Optional($0) }).flatMap { from in
    LifecycleState.allCases.map { TransitionCase(from: from, to: $0) }
}

/// A history that ends in `state`, each step on a plausible date.
private func history(reaching state: LifecycleState?) -> [LifecycleTransition] {
    guard let state else { return [] }
    let path: [LifecycleState: [(LifecycleState, String)]] = [
        .applied: [(.applied, "2025-10-01")],
        .initialReview: [(.applied, "2025-10-01"), (.initialReview, "2025-10-20")],
        .comprehensiveReview: [(.applied, "2025-10-01"), (.initialReview, "2025-10-20"), (.comprehensiveReview, "2025-11-10")],
        .publicNotice: [(.applied, "2025-10-01"), (.initialReview, "2025-10-20"), (.comprehensiveReview, "2025-11-10"), (.publicNotice, "2025-12-01")],
        .recognized: [(.recognized, "2025-12-15")],
        .underConstruction: [(.recognized, "2025-12-15"), (.underConstruction, "2025-12-20")],
        .acceptance: [(.recognized, "2025-12-15"), (.underConstruction, "2025-12-20"), (.acceptance, "2027-12-20")],
        .rectification: [(.recognized, "2025-12-15"), (.underConstruction, "2025-12-20"), (.acceptance, "2027-12-20"), (.rectification, "2027-12-25")],
        .reinspection: [(.recognized, "2025-12-15"), (.underConstruction, "2025-12-20"), (.acceptance, "2027-12-20"), (.rectification, "2027-12-25"), (.reinspection, "2028-06-25")],
        .accepted: [(.recognized, "2025-12-15"), (.underConstruction, "2025-12-20"), (.acceptance, "2027-12-20"), (.accepted, "2027-12-28")],
        .revoked: [(.recognized, "2025-12-15"), (.revoked, "2026-03-01")],
    ]
    return path[state]!.map { state, date in
        LifecycleTransition(
            to: state, date: day(date), by: "市人社局", ground: state == .revoked ? .fraud : nil,
            deadline: state == .rectification ? day("2028-06-25") : nil)
    }
}

/// A well-formed next step to `to` after `history`, dated so that only legality can fail.
private func step(to: LifecycleState, after history: [LifecycleTransition]) -> LifecycleTransition {
    let date: CalendarDate
    switch to {
    case .applied, .initialReview, .comprehensiveReview, .publicNotice: date = max(history.last?.date ?? day("2025-10-01"), day("2025-12-01"))
    case .recognized: date = studio.recognized
    case .acceptance: date = max(history.last?.date ?? studio.recognized, studio.constructionWindow.upperBound)
    case .reinspection: date = history.last(where: { $0.to == .rectification })?.deadline ?? studio.recognized
    default: date = max(history.last?.date ?? studio.recognized, studio.recognized).adding(days: 1)
    }
    let from = history.last?.to ?? (LifecycleState.entryStates.contains(to) ? nil : .recognized)
    return LifecycleTransition(
        to: to, date: date, by: "县人社局",
        ground: to == .revoked ? (from == .reinspection ? .failedReinspection : .violation) : nil,
        deadline: to == .rectification ? date.adding(months: 6) : nil)
}

@Suite("Lifecycle transitions")
struct LifecycleTransitionTests {
    @Test("every pair of states is legal exactly when the measures allow it", arguments: allPairs)
    func table(pair: TransitionCase) throws {
        #expect(Lifecycle.isLegal(from: pair.from, to: pair.to) == legal[pair.from]!.contains(pair.to))
        // With nothing recorded a studio is treated as recognised (`effective`): an entry step,
        // or any step a recognised studio may take (a legacy studio can be revoked).
        let expected = legal[pair.from]!.contains(pair.to) || (pair.from == nil && legal[.recognized]!.contains(pair.to))
        let past = history(reaching: pair.from)
        let next = step(to: pair.to, after: past)
        if expected {
            try Lifecycle.validate(next, after: past, studio: studio, today: today)
        } else {
            let error = #expect(throws: Rejection.self) { try Lifecycle.validate(next, after: past, studio: studio, today: today) }
            #expect(error?.code == .transitionIllegal)
            #expect(error?.message.contains("不能从") == true)
        }
    }

    @Test func aStudioWithNoRecordedHistoryIsRecognisedAndCanBeRevoked() throws {
        let revoke = LifecycleTransition(to: .revoked, date: day("2026-05-01"), by: "市人社局", ground: .fraud)
        try Lifecycle.validate(revoke, after: [], studio: studio, today: today)
        try Lifecycle.validate(LifecycleTransition(to: .underConstruction, date: day("2026-01-01"), by: "市人社局"), after: [], studio: studio, today: today)
        #expect(Lifecycle.from([], to: .revoked) == .recognized && Lifecycle.from([], to: .applied) == nil)
        // Failing re-inspection still needs a re-inspection.
        let failed = LifecycleTransition(to: .revoked, date: day("2026-05-01"), by: "市人社局", ground: .failedReinspection)
        #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(failed, after: [], studio: studio, today: today) })?.code == .revocationGroundInvalid)
        let accepted = LifecycleTransition(to: .accepted, date: day("2026-05-01"), by: "市人社局")
        #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(accepted, after: [], studio: studio, today: today) })?.code == .transitionIllegal)
    }

    @Test("acceptance only once the construction window has ended (第十四条)", arguments: [
        ("2027-12-14", false), ("2027-12-15", true), ("2028-01-10", true), ("2026-06-01", false),
    ])
    func acceptanceAfterTheWindow(date: String, allowed: Bool) throws {
        let next = LifecycleTransition(to: .acceptance, date: day(date), by: "县人社局")
        let past = history(reaching: .underConstruction)
        if allowed {
            try Lifecycle.validate(next, after: past, studio: studio, today: today)
        } else {
            #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(next, after: past, studio: studio, today: today) })?.code == .acceptanceBeforeWindowEnd)
        }
    }

    /// 第十四条 整改期满经再次考核 (issue 15, item 9): the rectification deadline is 2028-06-25.
    @Test("re-inspection and its failure not before the rectification deadline", arguments: [
        ("2028-06-24", false), ("2028-06-25", true), ("2028-07-01", true),
    ])
    func reinspectionAfterTheRectificationPeriod(date: String, allowed: Bool) throws {
        let past = history(reaching: .rectification)
        let reinspection = LifecycleTransition(to: .reinspection, date: day(date), by: "县人社局")
        let failed = LifecycleTransition(to: .revoked, date: day(date), by: "县人社局", ground: .failedReinspection)
        let afterEarlyReinspection = past + [LifecycleTransition(to: .reinspection, date: day("2028-06-20"), by: "县人社局")]
        if allowed {
            try Lifecycle.validate(reinspection, after: past, studio: studio, today: day("2030-01-01"))
            try Lifecycle.validate(failed, after: afterEarlyReinspection, studio: studio, today: day("2030-01-01"))
        } else {
            let early = #expect(throws: Rejection.self) { try Lifecycle.validate(reinspection, after: past, studio: studio, today: day("2030-01-01")) }
            #expect(early?.code == .reinspectionBeforeDeadline && early?.message.contains("第十四条") == true)
            let revoked = #expect(throws: Rejection.self) { try Lifecycle.validate(failed, after: afterEarlyReinspection, studio: studio, today: day("2030-01-01")) }
            #expect(revoked?.code == .reinspectionBeforeDeadline)
        }
    }

    /// Issue 15, item 8: recovery is 第十四条's, not 第十条's; for fraud it is the revocation's
    /// decision; where the measures are silent nothing is said.
    @Test func recoveryIsCitedOnItsTrueBasis() {
        #expect(RevocationGround.failedReinspection.recoveryBasis?.contains("第十四条") == true)
        #expect(RevocationGround.fraud.recoveryBasis?.contains("撤销决定") == true)
        #expect(RevocationGround.fraud.recoveryBasis?.contains("按第十条规定追回") == false)
        for ground in RevocationGround.allCases where !ground.clawsBack { #expect(ground.recoveryBasis == nil) }
    }

    @Test func noStepDatedAfterToday() throws {
        let next = LifecycleTransition(to: .underConstruction, date: day("2026-11-21"), by: "市人社局")
        let past = history(reaching: .recognized)
        let error = #expect(throws: Rejection.self) { try Lifecycle.validate(next, after: past, studio: studio, today: day("2026-11-20")) }
        #expect(error?.code == .lifecycleDateOrder && error?.field == "date" && error?.message.contains("晚于今天") == true)
        try Lifecycle.validate(next, after: past, studio: studio, today: day("2026-11-21"))
    }

    @Test func revokedIsTerminalAndSaysSo() {
        let error = #expect(throws: Rejection.self) {
            try Lifecycle.validate(step(to: .underConstruction, after: history(reaching: .revoked)), after: history(reaching: .revoked), studio: studio, today: today)
        }
        #expect(error?.message.contains("撤销是终局状态") == true)
    }

    @Test func revocationNeedsAGroundAndFailedReinspectionOnlyAfterReinspection() {
        let past = history(reaching: .underConstruction)
        let noGround = LifecycleTransition(to: .revoked, date: day("2026-05-01"), by: "市人社局")
        #expect(throws: Rejection(.revocationGroundInvalid, field: "ground", "撤销须注明事由（--ground）")) {
            try Lifecycle.validate(noGround, after: past, studio: studio, today: today)
        }
        let early = LifecycleTransition(to: .revoked, date: day("2026-05-01"), by: "市人社局", ground: .failedReinspection)
        #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(early, after: past, studio: studio, today: today) })?.code == .revocationGroundInvalid)
        #expect(RevocationGround.fraud.clawsBack && RevocationGround.failedReinspection.clawsBack)
        #expect(!RevocationGround.leaderLeft.clawsBack && !RevocationGround.violation.clawsBack)
    }

    @Test func datesMustRunForwardAndRecognitionMatchesRegistration() {
        let past = history(reaching: .underConstruction)
        let backwards = LifecycleTransition(to: .acceptance, date: day("2025-12-19"), by: "县人社局")
        #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(backwards, after: past, studio: studio, today: today) })?.code == .lifecycleDateOrder)
        let wrongDay = LifecycleTransition(to: .recognized, date: day("2025-12-16"), by: "市人社局")
        #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(wrongDay, after: [], studio: studio, today: today) })?.code == .recognitionDateMismatch)
        let noBy = LifecycleTransition(to: .recognized, date: day("2025-12-15"), by: " ")
        #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(noBy, after: [], studio: studio, today: today) })?.code == .actorMissing)
    }

    @Test("the 7-day public notice must run before recognition", arguments: [
        // Issue 15, item 14: counted from its first day, a notice from 12-08 ends 12-14.
        ("2025-12-08", true), ("2025-12-09", false), ("2025-12-01", true),
    ])
    func publicNotice(start: String, allowed: Bool) throws {
        let past = history(reaching: .comprehensiveReview) + [LifecycleTransition(to: .publicNotice, date: day(start), by: "市人社局")]
        let recognize = LifecycleTransition(to: .recognized, date: day("2025-12-15"), by: "市人社局")
        if allowed {
            try Lifecycle.validate(recognize, after: past, studio: studio, today: today)
        } else {
            #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(recognize, after: past, studio: studio, today: today) })?.code == .noticePeriodNotOver)
        }
    }

    @Test("a rectification deadline is after the decision and at most 6 months later", arguments: [
        ("2027-12-25", "2028-06-25", true), ("2027-12-25", "2028-06-26", false), ("2027-12-25", "2027-12-25", false),
        ("2027-12-31", "2028-06-30", true), ("2027-12-31", "2028-07-01", false),
    ])
    func rectificationDeadline(date: String, deadline: String, allowed: Bool) throws {
        let past = history(reaching: .acceptance)
        let next = LifecycleTransition(to: .rectification, date: day(date), by: "县人社局考核验收组", deadline: day(deadline))
        if allowed {
            try Lifecycle.validate(next, after: past, studio: studio, today: today)
        } else {
            #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(next, after: past, studio: studio, today: today) })?.code == .rectificationDeadlineInvalid)
        }
    }

    @Test func scoresOnlyOnInspectionResults() throws {
        let scored = LifecycleTransition(to: .accepted, date: day("2027-12-28"), by: "县人社局", score: Score(hundredths: 8_650))
        try Lifecycle.validate(scored, after: history(reaching: .acceptance), studio: studio, today: today)
        let misplaced = LifecycleTransition(to: .acceptance, date: day("2027-12-28"), by: "县人社局", score: Score(hundredths: 8_650))
        #expect((#expect(throws: Rejection.self) { try Lifecycle.validate(misplaced, after: history(reaching: .underConstruction), studio: studio, today: today) })?.code == .scoreOutOfRange)
    }

    @Test func statesParseFromCodesAndChinese() throws {
        for state in LifecycleState.allCases {
            #expect(try LifecycleState.parse(state.rawValue) == state)
        }
        #expect(try LifecycleState.parse("限期整改") == .rectification)
        #expect(try LifecycleState.parse("reinspection") == .reinspection)
        #expect((#expect(throws: Rejection.self) { try LifecycleState.parse("closed") })?.code == .lifecycleStateUnknown)
    }
}

@Suite("Deadline rules")
struct DeadlineRuleTests {
    @Test("change report: 30 days after the event", arguments: [
        ("2026-01-31", "2026-03-02"), ("2024-02-10", "2024-03-11"), ("2025-02-10", "2025-03-12"), ("2025-12-15", "2026-01-14"),
    ])
    func changeReport(event: String, due: String) {
        #expect(Deadlines.changeReportDue(event: day(event)) == day(due))
    }

    @Test("bureau decision: 30 days after the report", arguments: [("2026-03-02", "2026-04-01"), ("2028-02-01", "2028-03-02")])
    func changeDecision(report: String, due: String) {
        #expect(Deadlines.changeDecisionDue(report: day(report)) == day(due))
    }

    @Test("public notice: 7 days counted from its first day (公示期 X月X日至X月X日; issue 15, item 14)", arguments: [
        ("2026-01-05", "2026-01-11", "2026-01-12"), ("2024-02-26", "2024-03-03", "2024-03-04"), ("2025-02-26", "2025-03-04", "2025-03-05"),
        ("2025-12-29", "2026-01-04", "2026-01-05"),
    ])
    func publicNotice(start: String, last: String, recognition: String) {
        #expect(Deadlines.publicNoticeEnd(start: day(start)) == day(last))
        #expect(Deadlines.earliestRecognition(noticeStart: day(start)) == day(recognition))
        #expect(day(start).days(until: day(last)) + 1 == Deadlines.publicNoticeDays)
    }

    @Test func thePublicNoticeNamesItsDays() {
        #expect(Deadlines.publicNoticePeriodText(start: day("2026-01-05")) == "公示期 2026年1月5日至2026年1月11日")
    }

    @Test("rectification: at most 6 months, month ends clamped", arguments: [
        ("2025-08-31", "2026-02-28"), ("2027-08-31", "2028-02-29"), ("2026-03-15", "2026-09-15"), ("2025-12-31", "2026-06-30"),
        ("2028-02-29", "2028-08-29"),
    ])
    func rectification(from: String, latest: String) {
        #expect(Deadlines.rectificationDeadlineMax(from: day(from)) == day(latest))
    }

    @Test("construction window: 2 years, ending on the corresponding day or the month's last (民法典 第二百零二条)", arguments: [
        ("2025-12-15", "2027-12-15"), ("2025-01-01", "2027-01-01"), ("2024-02-29", "2026-02-28"), ("2026-03-01", "2028-03-01"),
        ("2026-02-28", "2028-02-28"), ("2027-02-28", "2029-02-28"), ("2025-12-31", "2027-12-31"),
    ])
    func construction(recognized: String, last: String) throws {
        #expect(Deadlines.constructionEnd(recognized: day(recognized)) == day(last))
        let registered = try Studio(
            code: "S9", name: "窗口", hostUnit: studio.hostUnit, leader: "张", field: "数控", recognized: day(recognized),
            approvedSubsidy: .zero)
        #expect(registered.constructionWindow == day(recognized)...day(last))
    }

    @Test func oneRuleForEveryPeriod() {
        // Days: the start day is not counted; months and years: the corresponding day.
        // The public notice alone counts its first day (its terms name both days).
        #expect(Deadlines.end(of: day("2026-01-05"), days: 6) == Deadlines.publicNoticeEnd(start: day("2026-01-05")))
        #expect(Deadlines.end(of: day("2026-01-31"), days: 30) == Deadlines.changeReportDue(event: day("2026-01-31")))
        #expect(Deadlines.end(of: day("2024-02-29"), months: 24) == Deadlines.constructionEnd(recognized: day("2024-02-29")))
        #expect(Deadlines.end(of: day("2025-08-31"), months: 6) == Deadlines.rectificationDeadlineMax(from: day("2025-08-31")))
    }

    @Test("a last day on a holiday or weekend moves to the next working day (第二百零三条)", arguments: [
        ("2025-10-01", "2025-10-09"),  // 国庆 1–8, back at work on the 9th
        ("2026-01-31", "2026-02-02"),  // a Saturday
        ("2026-03-02", "2026-03-02"),  // a Monday: unchanged
        ("2025-09-28", "2025-09-28"),  // a Sunday that is a make-up working day
    ])
    func holidays(last: String, moved: String) throws {
        #expect(Deadlines.movedToWorkingDay(day(last), calendar: try holidayCalendar()) == day(moved))
    }

    /// Issue 15, item 13: a deadline in a year the calendar does not cover says so.
    @Test func aDeadlineInAYearWithoutAScheduleSaysSo() throws {
        let change = StudioChange(id: 1, studio: "S1", kind: .other, eventDate: day("2027-03-01"), detail: "场所变更")
        let listed = Deadlines.items(studio: studio, history: [], changes: [change], asOf: day("2027-03-05"), calendar: try holidayCalendar())
        #expect(listed.count == 1 && listed.first?.detail.contains("未收录 2027 年放假安排") == true)
        let covered = StudioChange(id: 2, studio: "S1", kind: .other, eventDate: day("2026-03-02"), detail: "场所变更")
        let inCovered = Deadlines.items(studio: studio, history: [], changes: [covered], asOf: day("2026-03-05"), calendar: try holidayCalendar())
        #expect(inCovered.first?.detail.contains("未收录") == false)
    }

    @Test func theDeadlineListMovesHolidayDeadlinesButNotTheWindow() throws {
        // Change on 2025-09-01: report due 2025-10-01 (国庆), listed as 2025-10-09.
        let change = StudioChange(id: 1, studio: "S1", kind: .other, eventDate: day("2025-09-01"), detail: "场所变更")
        let listed = Deadlines.items(studio: studio, history: [], changes: [change], asOf: day("2025-09-15"), calendar: try holidayCalendar())
        #expect(listed.map(\.date) == [day("2025-10-09")])
        #expect(listed[0].detail.contains("2025-10-01 为休息日，顺延至 2025-10-09"))
        #expect(Deadlines.items(studio: studio, history: [], changes: [change], asOf: day("2025-09-15")).map(\.date) == [day("2025-10-01")])
        #expect(change.reportDue == day("2025-10-01"))
    }

    @Test func itemsForAStudio() {
        let change = StudioChange(id: 1, studio: "S1", kind: .leader, eventDate: day("2026-01-31"), detail: "领办人退休")
        let early = Deadlines.items(studio: studio, history: [], changes: [change], asOf: day("2026-02-15"))
        #expect(early.map(\.kind) == [.changeReportDue])
        #expect(early[0].date == day("2026-03-02") && !early[0].overdue && early[0].daysLeft == 15)
        let late = Deadlines.items(studio: studio, history: [], changes: [change], asOf: day("2026-03-05"))
        #expect(late[0].overdue && late[0].daysLeft == -3)
        var reported = change
        reported.reported = day("2026-02-20")
        #expect(Deadlines.items(studio: studio, history: [], changes: [reported], asOf: day("2026-03-05")).map(\.date) == [day("2026-03-22")])
        // The construction window shows within 90 days of its end (2027-12-15).
        #expect(Deadlines.items(studio: studio, history: [], changes: [], asOf: day("2027-09-16")).map(\.kind) == [.constructionEnds])
        #expect(Deadlines.items(studio: studio, history: [], changes: [], asOf: day("2027-09-15")).isEmpty)
        let rectifying = history(reaching: .rectification)
        let items = Deadlines.items(studio: studio, history: rectifying, changes: [change], asOf: day("2028-01-10"))
        #expect(items.map(\.kind) == [.changeReportDue, .rectificationDue])
        #expect(items.map(\.date) == [day("2026-03-02"), day("2028-06-25")])
    }
}
