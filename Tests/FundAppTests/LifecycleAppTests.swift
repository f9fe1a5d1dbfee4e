@testable import FundApp
import FundCore
import FundFixtures
import FundStore
import FundTestSupport
import Foundation
import Testing

private func day(_ text: String) -> CalendarDate { TestLedger.date(text) }

private func step(_ to: LifecycleState, _ date: String, ground: RevocationGround? = nil, deadline: String? = nil, score: Int64? = nil) -> LifecycleTransition {
    LifecycleTransition(
        to: to, date: day(date), by: "资阳市人力资源和社会保障局", note: "测试", ground: ground, deadline: deadline.map(day),
        score: score.map(Score.init(hundredths:)))
}

@Suite("Studio lifecycle in the books")
struct LifecycleAppTests {
    /// A clock late enough for every step of the walk-through (steps may not be dated after today).
    static let late = FixedClock(instant: "2028-12-31T01:00:00Z", today: day("2028-12-31"))

    /// Subsidy 30,000 received, 20,000 spent on equipment: 10,000 left in the subsidy account.
    func studioWithBooks(clock: any LedgerClock = LifecycleAppTests.late) throws -> LedgerApp {
        let app = try TestLedger.app(clock: clock)
        _ = try app.store.books.post(
            [
                TestLedger.receipt(fund: .subsidy, fen: 3_000_000),
                TestLedger.simple(date: "2026-01-10", debit: "500101", credit: "100201", fen: 2_000_000, memo: "购置培训设备"),
            ], stamp: Stamp(user: "测试员", at: "2026-01-10T01:00:00Z", today: day("2026-01-10")))
        return app
    }

    func subsidyBalance(_ app: LedgerApp, _ account: String) throws -> Money {
        var total = Money.zero
        for turnover in try app.store.books.turnovers(studio: "S1", fund: .subsidy) where turnover.account == account {
            total = try total.adding(turnover.debit).subtracting(turnover.credit)
        }
        return total
    }

    @Test func fromApplicationToRevocationWithClawbackAndRepayment() throws {
        let app = try studioWithBooks()
        for next in [
            step(.applied, "2025-10-01"), step(.initialReview, "2025-10-20"), step(.comprehensiveReview, "2025-11-10"),
            step(.publicNotice, "2025-12-01"), step(.recognized, "2025-12-15"), step(.underConstruction, "2025-12-20"),
            step(.acceptance, "2027-12-20"), step(.rectification, "2027-12-25", deadline: "2028-06-25", score: 5_800),
        ] {
            #expect(try app.lifecycle.advance(studio: "S1", transition: next).isEmpty)
        }
        #expect(try app.lifecycle.deadlines(asOf: day("2028-06-01")).map(\.kind) == [.rectificationDue])
        try app.lifecycle.advance(studio: "S1", transition: step(.reinspection, "2028-06-26"))
        let clawback = try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2028-06-30", ground: .failedReinspection, score: 5_500))
        #expect(clawback.count == 1)
        let lines = clawback[0].draft.lines
        #expect(lines.map(\.account) == ["300101", "230701"])
        #expect(lines.map(\.side) == [.debit, .credit])
        #expect(lines.allSatisfy { $0.fund == .subsidy && $0.amount == Money(fen: 3_000_000) })
        var status = try app.lifecycle.status(studio: "S1")
        #expect(status.state == .revoked)
        #expect(status.refundOwedFen == Money(fen: 3_000_000))
        #expect(try subsidyBalance(app, "230701") == Money(fen: -3_000_000))
        #expect(try app.admin.verify().isClean)
        #expect(try app.store.lifecycle.acceptanceScores(studio: "S1").map(\.score.hundredths) == [5_800, 5_500])
        // Issue 15, item 8: the recovery after a failed re-inspection is 第十四条's, not 第十条's.
        let owedText = try reportText(app, asOf: "2028-06-30").text
        #expect(owedText.contains("按第十四条规定追回全部补助资金，应退补助资金 30,000.00 元尚未退回") && !owedText.contains("第十条"))

        // Not before the clawback, and not while the host unit's money is not in the books.
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.repay(studio: "S1", date: day("2028-06-29"), amount: nil) })?.code == .repaymentDateInvalid)
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.repay(studio: "S1", date: day("2029-01-01"), amount: nil) })?.code == .repaymentDateInvalid)
        let unfunded = #expect(throws: Rejection.self) { try app.lifecycle.repay(studio: "S1", date: day("2028-07-05"), amount: nil) }
        #expect(unfunded?.code == .shortfallNotFunded && unfunded?.field == "shortfall-fund")
        #expect(unfunded?.message.contains("差额 20000.00 元") == true)
        // The host unit pays 20,000 of its own into its basic account (自筹资金) on 07-01.
        _ = try app.store.books.post(
            [TestLedger.simple(date: "2028-07-03", debit: "100202", credit: "400103", fund: .selfRaised, fen: 2_000_000, memo: "依托单位拨入自筹资金补足应退款")],
            stamp: Stamp(user: "测试员", at: "2028-07-03T01:00:00Z", today: day("2028-07-03")))
        // Balances are read as of the repayment day: on 07-02 the money had not arrived.
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.repay(studio: "S1", date: day("2028-07-02"), amount: nil) })?.code == .shortfallNotFunded)

        // 10,000 from the subsidy account, the other 20,000 borne by the host unit's self-raised money.
        let repaid = try app.lifecycle.repay(studio: "S1", date: day("2028-07-05"), amount: nil)
        let repayLines = repaid[0].draft.lines
        #expect(repayLines.map(\.account) == ["230701", "100201", "300101", "300101", "100202"])
        #expect(repayLines.map(\.fund) == [.subsidy, .subsidy, .subsidy, .selfRaised, .selfRaised])
        #expect(repayLines.map(\.side) == [.debit, .credit, .credit, .debit, .credit])
        #expect(repayLines.map(\.amount.fen) == [3_000_000, 1_000_000, 2_000_000, 2_000_000, 2_000_000])
        status = try app.lifecycle.status(studio: "S1")
        #expect(status.refundOwedFen == .zero)
        #expect(try subsidyBalance(app, "230701") == .zero)
        #expect(try subsidyBalance(app, "100201") == .zero)
        // No fund's bank is negative and 内部往来 is not left open in any fund.
        for fund in Fund.allCases {
            var bank = Money.zero
            var clearing = Money.zero
            for turnover in try app.store.books.turnovers(studio: "S1", fund: fund) {
                let net = try turnover.debit.subtracting(turnover.credit)
                if turnover.account.hasPrefix("1002") { bank = try bank.adding(net) }
                if turnover.account == "1901" { clearing = try clearing.adding(net) }
            }
            #expect(!bank.isNegative, "\(fund.rawValue) bank \(bank.plainString)")
            #expect(clearing.isZero, "\(fund.rawValue) 1901 \(clearing.plainString)")
        }
        let findings = try app.compliance.check(studio: "S1", asOf: day("2028-07-31")).findings
        #expect(!findings.contains { $0.rule == "FND-001" }, "\(findings.filter { $0.rule == "FND-001" }.map(\.message))")
        #expect(!findings.contains { $0.category == .fundDiversion })
        // Issue 15, item 5: the clawback and the repayment carry a second person, the bureau
        // whose revocation they carry out, so JE-002 does not fire on them.
        #expect(clawback[0].draft.preparer == "测试员" && clawback[0].draft.reviewer == "资阳市人力资源和社会保障局")
        #expect(repaid[0].draft.reviewer == "资阳市人力资源和社会保障局")
        #expect(!findings.contains { $0.rule == "JE-002" }, "\(findings.filter { $0.rule == "JE-002" }.map(\.message))")
        #expect(try app.admin.verify().isClean)
        for section in try app.books.trialBalance(studio: "S1").sections {
            #expect(section.totals.isBalanced, "\(section.fund?.rawValue ?? "all") book balances")
        }
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.repay(studio: "S1", date: day("2028-07-06"), amount: nil) })?.code == .nothingOwed)
        let logged = try app.admin.log(studio: "S1").map(\.action)
        #expect(logged.filter { $0 == "studio.advance" }.count == 10)
        #expect(logged.filter { $0 == "studio.repay" }.count == 1)
        #expect(logged.contains("voucher.clawback") && logged.contains("studio.repay"))
    }

    @Test func aPolicyBlockStopsTheClawbackAndNothingIsRecorded() throws {
        let books = try studioWithBooks()
        // The 2025 policy, with postings on weekends and holidays blocked.
        var policy = try JSONSerialization.jsonObject(
            with: Data(contentsOf: FixturesBundle.policyDirectory.appendingPathComponent("policy-2025.json"))) as! [String: Any]
        policy["block"] = ["weekend-holiday"]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("policy-block-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: policy).write(to: file)
        let app = LedgerApp(store: books.store, clock: Self.late, user: "测试员", policyFile: file)
        let before = try app.store.books.vouchers(studio: "S1").count
        do {
            // 2026-03-07 is a Saturday: the clawback voucher dated that day raises JE-001.
            _ = try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-07", ground: .fraud))
            Issue.record("the blocked clawback is refused")
        } catch let error as Rejection {
            #expect(error.code == .postingBlocked, "\(error)")
        }
        #expect(try app.store.books.vouchers(studio: "S1").count == before)
        #expect(try app.lifecycle.status(studio: "S1").state != .revoked)
        #expect(try app.store.lifecycle.lifecycleHistory(studio: "S1").isEmpty)
        // On a working day the same revocation goes through.
        #expect(try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-09", ground: .fraud)).count == 1)
    }

    @Test func aLegacyStudioWithNoHistoryCanBeRevokedWithItsClawback() throws {
        let app = try studioWithBooks()
        #expect(try app.store.lifecycle.lifecycleHistory(studio: "S1").isEmpty)
        let clawback = try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-01", ground: .fraud))
        #expect(clawback.count == 1)
        #expect(try app.lifecycle.status(studio: "S1").state == .revoked)
        #expect(try app.lifecycle.status(studio: "S1").refundOwedFen == Money(fen: 3_000_000))
    }

    @Test func anOpenSubsidyReceivableIsNotClawedBackButWrittenOff() throws {
        let app = try TestLedger.app(clock: Self.late)
        // 30,000 accrued on recognition, 12,000 of it received; 18,000 still receivable.
        _ = try app.store.books.post(
            [
                TestLedger.simple(date: "2025-12-15", debit: "121802", credit: "400101", fen: 3_000_000, memo: "应收市级补助资金"),
                TestLedger.simple(date: "2025-12-30", debit: "100201", credit: "121802", fen: 1_200_000, memo: "收到补助资金"),
            ], stamp: Stamp(user: "测试员", at: "2026-01-10T01:00:00Z", today: day("2026-01-10")))
        let clawback = try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-01", ground: .fraud))
        let lines = clawback[0].draft.lines
        #expect(lines.map(\.account) == ["300101", "230701", "400101", "121802"])
        #expect(lines.map(\.amount.fen) == [1_200_000, 1_200_000, 1_800_000, 1_800_000])
        #expect(try app.lifecycle.status(studio: "S1").refundOwedFen == Money(fen: 1_200_000))
        #expect(try subsidyBalance(app, "121802") == .zero)
        #expect(try subsidyBalance(app, "400101") == Money(fen: -1_200_000))
        _ = try app.lifecycle.repay(studio: "S1", date: day("2026-03-05"), amount: nil)
        #expect(try subsidyBalance(app, "100201") == .zero && app.lifecycle.status(studio: "S1").refundOwedFen == .zero)
        #expect(try app.admin.verify().isClean)
    }

    @Test func aClawbackInAClosedMonthIsPostedInTheFirstOpenOne() throws {
        let app = try studioWithBooks()
        try app.lifecycle.advance(studio: "S1", transition: step(.recognized, "2025-12-15"))
        for month in ["2025-12", "2026-01", "2026-02", "2026-03"] { try app.books.closePeriod(try Period.parse(month), studio: "S1") }
        let clawback = try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-10", ground: .fraud))
        #expect(clawback.map(\.draft.date) == [day("2026-04-01")])
        #expect(try app.store.lifecycle.lifecycleHistory(studio: "S1").last?.date == day("2026-03-10"))
        #expect(try app.lifecycle.status(studio: "S1").refundOwedFen == Money(fen: 3_000_000))
        // Read as of 03-20 nothing is owed yet: the clawback is dated 04-01.
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.repay(studio: "S1", date: day("2026-03-20"), amount: nil) })?.code == .nothingOwed)
        #expect(try app.admin.verify().isClean)
    }

    @Test func noStepOrRepaymentAfterToday() throws {
        let app = try studioWithBooks(clock: TestLedger.clock)  // today 2026-11-20
        let error = #expect(throws: Rejection.self) {
            try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-11-21", ground: .fraud))
        }
        #expect(error?.code == .lifecycleDateOrder && error?.message.contains("晚于今天") == true)
        #expect(try app.store.lifecycle.lifecycleHistory(studio: "S1").isEmpty)
        #expect(try app.store.books.vouchers(studio: "S1").count == 2)
        try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-11-20", ground: .fraud))
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.repay(studio: "S1", date: day("2026-11-21"), amount: nil) })?.code == .repaymentDateInvalid)
    }

    func reportText(_ app: LedgerApp, asOf: String) throws -> (owed: Money, text: String) {
        let built = try app.evaluation.evaluate(studio: "S1", asOf: day(asOf))
        let text = built.report.sections.flatMap(\.blocks).compactMap { block -> String? in
            if case .paragraph(let text) = block { return text }
            return nil
        }.joined(separator: "\n")
        return (built.value.refundOwedFen, text)
    }

    @Test func theEvaluationReadsWhatWasOwedAsOfItsDayAndCitesTheRightArticle() throws {
        let app = try studioWithBooks()
        try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-02", ground: .fraud))
        let before = try reportText(app, asOf: "2026-02-27")
        #expect(before.owed == .zero && !before.text.contains("应退补助资金"))
        let after = try reportText(app, asOf: "2026-03-10")
        #expect(after.owed == Money(fen: 3_000_000))
        // Issue 15, item 8: 第十条 only disqualifies; the recovery is the revocation's decision.
        #expect(!after.text.contains("按第十条规定") && !after.text.contains("按第十四条规定"))
        #expect(after.text.contains("依第十条取消资格，追回全部补助资金系撤销决定所定"))
        #expect(after.text.contains("应退补助资金 30,000.00 元尚未退回"))

        let other = try studioWithBooks()
        try other.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-02", ground: .leaderLeft))
        let noClawback = try reportText(other, asOf: "2026-03-10")
        // The measures say nothing of recovery on this ground: nothing is printed about it.
        #expect(noClawback.text.contains("撤销事由：") && !noClawback.text.contains("追回") && !noClawback.text.contains("不涉及"))
    }

    /// Issue 15, item 2: 到位 is money in the subsidy's bank, not a receivable. A subsidy booked
    /// Dr 应收补助资金 / Cr 补助资金收入 shows 0 received until the bank receives it.
    @Test func theStatusCountsCashArrivalNotAReceivable() throws {
        let app = try TestLedger.app(clock: Self.late)
        let stamp = Stamp(user: "测试员", at: "2026-01-10T01:00:00Z", today: day("2026-01-10"))
        _ = try app.store.books.post(
            [TestLedger.simple(date: "2026-01-05", debit: "121802", credit: "400101", fen: 5_000_000, memo: "确认应收补助资金")], stamp: stamp)
        #expect(try app.lifecycle.status(studio: "S1", asOf: day("2026-01-06")).subsidyReceivedFen == .zero)
        _ = try app.store.books.post(
            [TestLedger.simple(date: "2026-01-08", debit: "100201", credit: "121802", fen: 2_000_000, memo: "收到补助资金")], stamp: stamp)
        #expect(try app.lifecycle.status(studio: "S1", asOf: day("2026-01-07")).subsidyReceivedFen == .zero)
        #expect(try app.lifecycle.status(studio: "S1", asOf: day("2026-01-08")).subsidyReceivedFen == Money(fen: 2_000_000))
        let overview = try app.review.overview(studios: ["S1"], asOf: day("2026-01-08"))
        #expect(overview.first?.subsidyReceivedFen == Money(fen: 2_000_000))
    }

    /// Issue 15, item 5: when the acting user is the decision-maker, they cannot review their
    /// own voucher: the reviewer stays blank and JE-002 says so.
    @Test func theDecisionMakerIsNoReviewerOfTheirOwnClawback() throws {
        let app = try LedgerApp(store: studioWithBooks().store, clock: Self.late, user: "资阳市人力资源和社会保障局")
        let clawback = try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-02", ground: .fraud))
        #expect(clawback.count == 1 && clawback[0].draft.reviewer.isEmpty)
        let findings = try app.compliance.check(studio: "S1", asOf: day("2026-03-31")).findings
        #expect(findings.contains { $0.rule == "JE-002" && $0.voucher == FindingVoucher(clawback[0]) })
    }

    @Test func illegalStepsChangeNothing() throws {
        let app = try studioWithBooks()
        try app.lifecycle.advance(studio: "S1", transition: step(.recognized, "2025-12-15"))
        let before = try app.admin.log().count
        let error = #expect(throws: Rejection.self) { try app.lifecycle.advance(studio: "S1", transition: step(.accepted, "2026-01-01")) }
        #expect(error?.code == .transitionIllegal)
        #expect(try app.admin.log().count == before)
        #expect(try app.store.lifecycle.lifecycleHistory(studio: "S1").count == 1)
    }

    @Test func revocationWithoutClawbackGroundPostsNothing() throws {
        let app = try studioWithBooks()
        try app.lifecycle.advance(studio: "S1", transition: step(.recognized, "2025-12-15"))
        #expect(try app.lifecycle.advance(studio: "S1", transition: step(.revoked, "2026-03-01", ground: .leaderLeft)).isEmpty)
        #expect(try app.lifecycle.status(studio: "S1").refundOwedFen == .zero)
        #expect((#expect(throws: Rejection.self) {
            try app.lifecycle.notice(.warning, studio: "S1", date: day("2026-03-02"), by: "市人社局", note: "")
        })?.code == .noticeNotAllowed)
    }

    @Test func changesAndTheirDeadlines() throws {
        let app = try TestLedger.app()
        let change = try app.lifecycle.recordChange(studio: "S1", kind: .leader, date: day("2026-01-31"), detail: "领办人退休，由李师傅接替")
        #expect(change.reportDue == day("2026-03-02"))
        #expect(try app.lifecycle.deadlines(asOf: day("2026-03-05")).map(\.overdue) == [true])
        _ = try app.lifecycle.recordChangeReported(studio: "S1", id: change.id, date: day("2026-02-20"), note: "")
        // Due 2026-03-22, a Sunday: listed on Monday 03-23 (民法典 第二百零三条).
        #expect(try app.lifecycle.deadlines(asOf: day("2026-03-05")).map(\.date) == [day("2026-03-23")])
        _ = try app.lifecycle.recordChangeDecided(studio: "S1", id: change.id, date: day("2026-03-10"), note: "同意变更领办人")
        #expect(try app.lifecycle.deadlines(asOf: day("2026-03-05")).isEmpty)
        #expect((#expect(throws: Rejection.self) {
            try app.lifecycle.recordChangeDecided(studio: "S1", id: change.id, date: day("2026-03-11"), note: "")
        })?.code == .changeUnknown)
    }

    /// Issue 15, item 10: a warning with a rectification deadline (警告并限期整改, 第九条(三)) can
    /// be ordered at any time during construction; it is listed in the deadlines and the
    /// overview until the bureau's next record on or after the deadline settles it.
    @Test func aWarningOrdersRectificationDuringConstruction() throws {
        let app = try TestLedger.app()
        try app.lifecycle.advance(studio: "S1", transition: step(.recognized, "2025-12-15"))
        try app.lifecycle.advance(studio: "S1", transition: step(.underConstruction, "2025-12-20"))
        try app.lifecycle.notice(studio: "S1", kind: "warning", date: "2026-03-02", by: "市人社局", note: "台账不全", deadline: "2026-05-29")
        #expect(try app.lifecycle.records(studio: "S1").last?.transition.deadline == day("2026-05-29"))
        #expect(try app.lifecycle.deadlines(asOf: day("2026-03-01")).isEmpty)
        let listed = try app.lifecycle.deadlines(asOf: day("2026-04-01"))
        #expect(listed.map(\.kind) == [.orderedRectificationDue])
        #expect(listed.map(\.date) == [day("2026-05-29")] && listed.map(\.overdue) == [false])
        #expect(try app.lifecycle.status(studio: "S1", asOf: day("2026-04-01")).orderedRectificationDeadline == day("2026-05-29"))
        #expect(try app.review.overview(studios: ["S1"], asOf: day("2026-04-01")).first?.nextDeadline?.kind == .orderedRectificationDue)
        #expect(try app.lifecycle.deadlines(asOf: day("2026-06-05")).map(\.overdue) == [true])
        // Only a warning orders rectification, and its deadline comes after it.
        #expect((#expect(throws: Rejection.self) {
            try app.lifecycle.notice(studio: "S1", kind: "commendation", date: "2026-03-02", by: "市人社局", note: "", deadline: "2026-05-29")
        })?.code == .rectificationDeadlineInvalid)
        #expect((#expect(throws: Rejection.self) {
            try app.lifecycle.notice(studio: "S1", kind: "warning", date: "2026-03-02", by: "市人社局", note: "", deadline: "2026-03-02")
        })?.code == .rectificationDeadlineInvalid)
        // The bureau's follow-up on or after the deadline settles the order.
        try app.lifecycle.notice(.commendation, studio: "S1", date: day("2026-06-05"), by: "市人社局", note: "整改到位")
        #expect(try app.lifecycle.deadlines(asOf: day("2026-06-10")).isEmpty)
        #expect(try app.lifecycle.status(studio: "S1", asOf: day("2026-06-10")).orderedRectificationDeadline == nil)
    }

    @Test func activityImportIsAllOrNothingWithLocatedErrors() throws {
        let app = try TestLedger.app()
        let good = "日期,类型,名称,数量,金额,是否达成,证明材料\n2026-03-01,培训,数控车床操作培训,25,,,签到表.pdf\n2026-03-05,带徒,徒弟甲,1,,是,\n"
        #expect(try app.lifecycle.importActivities(csv: Data(good.utf8), file: "a.csv", studio: "S1").count == 2)
        let bad = "日期,类型,名称,数量,金额,是否达成\n2026-04-01,培训,培训,x,,\n2026-04-31,培训,培训,1,,\n2026-04-02,跳舞,舞会,1,,\n2026-04-03,带徒,徒弟乙,1,,也许\n2026-04-04,培训,好培训,3,,\n"
        let error = #expect(throws: RejectionList.self) { try app.lifecycle.importActivities(csv: Data(bad.utf8), file: "b.csv", studio: "S1") }
        #expect(error?.items.map(\.line) == [2, 3, 4, 5])
        #expect(error?.items.map(\.rejection.field) == ["数量", "日期", "类型", "是否达成"])
        #expect(try app.store.lifecycle.activities(studio: "S1").count == 2)
    }

    /// Importing the same file twice would double every count of the evaluation: a row naming
    /// an activity already recorded, or an earlier row of the same file (same date, kind and
    /// title), is rejected with L023 at its line, and nothing is written.
    @Test func duplicateActivitiesAreRejectedWithinAFileAndAgainstTheRecord() throws {
        let app = try TestLedger.app()
        let good = "日期,类型,名称,数量,金额,是否达成,证明材料\n2026-03-01,培训,数控车床操作培训,25,,,签到表.pdf\n2026-03-05,带徒,徒弟甲,1,,是,\n"
        #expect(try app.lifecycle.importActivities(csv: Data(good.utf8), file: "a.csv", studio: "S1").count == 2)
        let again = #expect(throws: RejectionList.self) { try app.lifecycle.importActivities(csv: Data(good.utf8), file: "a2.csv", studio: "S1") }
        #expect(again?.items.map(\.file) == ["a2.csv", "a2.csv"])
        #expect(again?.items.map(\.line) == [2, 3])
        #expect(again?.items.map(\.rejection.code) == [.activityDuplicate, .activityDuplicate])
        #expect(again?.items.map(\.rejection.field) == ["名称", "名称"])
        #expect(again?.items.first?.rejection.message.contains("活动 2026-03-01 培训“数控车床操作培训” 已登记") == true)
        // Twice in one file (the same title on another day, or another kind, is another activity).
        let twice = "日期,类型,名称,数量\n2026-04-01,培训,钳工培训,10\n2026-04-02,培训,钳工培训,12\n2026-04-01,交流,钳工培训,2\n2026-04-01,培训,钳工培训,10\n"
        let within = #expect(throws: RejectionList.self) { try app.lifecycle.importActivities(csv: Data(twice.utf8), file: "b.csv", studio: "S1") }
        #expect(within?.items.map(\.line) == [5])
        #expect(within?.items.first?.rejection.code == .activityDuplicate)
        #expect(within?.items.first?.rejection.message.contains("与第 2 行重复") == true)
        #expect(try app.store.lifecycle.activities(studio: "S1").count == 2)
        // One at a time (activity add), and the store itself, refuse it too.
        let duplicate = try Activity(studio: "S1", date: day("2026-03-05"), kind: .apprentice, title: "徒弟甲")
        #expect((#expect(throws: Rejection.self) { try app.lifecycle.addActivity(duplicate) })?.code == .activityDuplicate)
        let fresh = try Activity(studio: "S1", date: day("2026-03-06"), kind: .apprentice, title: "徒弟乙")
        #expect((#expect(throws: Rejection.self) {
            try app.store.lifecycle.addActivities([fresh, fresh], source: "测试", stamp: Stamp(user: "测试员", at: "2026-03-06T01:00:00Z", today: day("2026-03-06")))
        })?.code == .activityDuplicate)
        #expect(try app.store.lifecycle.activities(studio: "S1").count == 2)
    }
}

@Suite("Demo lifecycle")
struct DemoLifecycleTests {
    @Test func demoHasAnAcceptedAndARevokedStudioWithTheirPackages() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-demo-life-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try Demo.build(in: directory)
        // Accepted in 2026, before the demo's today (2026-11-20): no step is dated after today.
        #expect(try demo.app.lifecycle.status(studio: "ZY2024-001").state == .accepted)
        #expect(try demo.app.lifecycle.status(studio: "ZY2025-003").state == .underConstruction)
        let revoked = try demo.app.lifecycle.status(studio: "ZY2025-002")
        #expect(revoked.state == .revoked && revoked.refundOwedFen == Money(fen: 3_000_000))
        #expect(try demo.app.store.lifecycle.acceptanceScores(studio: "ZY2024-001").map(\.score) == [Score(hundredths: 9_250)])
        for studio in demo.studios {
            #expect(try demo.app.store.lifecycle.lifecycleHistory(studio: studio).allSatisfy { $0.date <= TestLedger.date("2026-11-20") })
        }
        let written = try Demo.writeEvaluations(demo, into: directory.appendingPathComponent("evaluation"))
        #expect(written.count == 10)
        #expect(try demo.app.evaluation.evaluate(studio: "ZY2024-001", asOf: TestLedger.date("2026-09-21")).value.grade == .excellent)
        let findings = try demo.app.compliance.check(studio: "ZY2024-001", asOf: TestLedger.date("2026-11-20")).findings
        #expect(findings.filter { $0.severity == .violation }.isEmpty, "\(findings.map(\.message))")
        #expect(try demo.app.admin.verify().isClean)
    }
}
