import FundApp
import FundCore
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
    /// Subsidy 30,000 received, 20,000 spent on equipment: 10,000 left in the subsidy account.
    func studioWithBooks() throws -> LedgerApp {
        let app = try TestLedger.app()
        _ = try app.store.post(
            [
                TestLedger.receipt(fund: .subsidy, fen: 3_000_000),
                TestLedger.simple(date: "2026-01-10", debit: "500101", credit: "100201", fen: 2_000_000, memo: "购置培训设备"),
            ], stamp: Stamp(user: "测试员", at: "2026-01-10T01:00:00Z", today: day("2026-01-10")))
        return app
    }

    func subsidyBalance(_ app: LedgerApp, _ account: String) throws -> Money {
        var total = Money.zero
        for turnover in try app.store.turnovers(studio: "S1", fund: .subsidy) where turnover.account == account {
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
            #expect(try app.advance(studio: "S1", transition: next).isEmpty)
        }
        #expect(try app.deadlines(asOf: day("2028-06-01")).map(\.kind) == [.rectificationDue])
        try app.advance(studio: "S1", transition: step(.reinspection, "2028-06-20"))
        let clawback = try app.advance(studio: "S1", transition: step(.revoked, "2028-06-30", ground: .failedReinspection, score: 5_500))
        #expect(clawback.count == 1)
        let lines = clawback[0].draft.lines
        #expect(lines.map(\.account) == ["300101", "230701"])
        #expect(lines.map(\.side) == [.debit, .credit])
        #expect(lines.allSatisfy { $0.fund == .subsidy && $0.amount == Money(fen: 3_000_000) })
        var status = try app.status(studio: "S1")
        #expect(status.state == .revoked)
        #expect(status.refundOwedFen == Money(fen: 3_000_000))
        #expect(try subsidyBalance(app, "230701") == Money(fen: -3_000_000))
        #expect(try app.verify().isClean)
        #expect(try app.store.acceptanceScores(studio: "S1").map(\.score.hundredths) == [5_800, 5_500])

        // 10,000 from the subsidy account, the other 20,000 made up from the self-raised fund.
        let repaid = try app.repay(studio: "S1", date: day("2028-07-05"), amount: nil)
        let repayLines = repaid[0].draft.lines
        #expect(repayLines.map(\.account) == ["230701", "100201", "1901", "1901", "100202"])
        #expect(repayLines.map(\.amount.fen) == [3_000_000, 1_000_000, 2_000_000, 2_000_000, 2_000_000])
        status = try app.status(studio: "S1")
        #expect(status.refundOwedFen == .zero)
        #expect(try subsidyBalance(app, "230701") == .zero)
        #expect(try subsidyBalance(app, "100201") == .zero)
        #expect(try app.verify().isClean)
        for section in try app.trialBalance(studio: "S1").sections {
            #expect(section.totals.isBalanced, "\(section.fund?.rawValue ?? "all") book balances")
        }
        #expect((#expect(throws: Rejection.self) { try app.repay(studio: "S1", date: day("2028-07-06"), amount: nil) })?.code == .nothingOwed)
        let logged = try app.log(studio: "S1").map(\.action)
        #expect(logged.filter { $0 == "studio.advance" }.count == 10)
        #expect(logged.contains("voucher.clawback") && logged.contains("studio.repay"))
    }

    @Test func illegalStepsChangeNothing() throws {
        let app = try studioWithBooks()
        try app.advance(studio: "S1", transition: step(.recognized, "2025-12-15"))
        let before = try app.log().count
        let error = #expect(throws: Rejection.self) { try app.advance(studio: "S1", transition: step(.accepted, "2026-01-01")) }
        #expect(error?.code == .transitionIllegal)
        #expect(try app.log().count == before)
        #expect(try app.store.lifecycleHistory(studio: "S1").count == 1)
    }

    @Test func revocationWithoutClawbackGroundPostsNothing() throws {
        let app = try studioWithBooks()
        try app.advance(studio: "S1", transition: step(.recognized, "2025-12-15"))
        #expect(try app.advance(studio: "S1", transition: step(.revoked, "2026-03-01", ground: .leaderLeft)).isEmpty)
        #expect(try app.status(studio: "S1").refundOwedFen == .zero)
        #expect((#expect(throws: Rejection.self) {
            try app.notice(.warning, studio: "S1", date: day("2026-03-02"), by: "市人社局", note: "")
        })?.code == .noticeNotAllowed)
    }

    @Test func changesAndTheirDeadlines() throws {
        let app = try TestLedger.app()
        let change = try app.recordChange(studio: "S1", kind: .leader, date: day("2026-01-31"), detail: "领办人退休，由李师傅接替")
        #expect(change.reportDue == day("2026-03-02"))
        #expect(try app.deadlines(asOf: day("2026-03-05")).map(\.overdue) == [true])
        _ = try app.recordChangeReported(studio: "S1", id: change.id, date: day("2026-02-20"), note: "")
        #expect(try app.deadlines(asOf: day("2026-03-05")).map(\.date) == [day("2026-03-22")])
        _ = try app.recordChangeDecided(studio: "S1", id: change.id, date: day("2026-03-10"), note: "同意变更领办人")
        #expect(try app.deadlines(asOf: day("2026-03-05")).isEmpty)
        #expect((#expect(throws: Rejection.self) {
            try app.recordChangeDecided(studio: "S1", id: change.id, date: day("2026-03-11"), note: "")
        })?.code == .changeUnknown)
    }

    @Test func activityImportIsAllOrNothingWithLocatedErrors() throws {
        let app = try TestLedger.app()
        let good = "日期,类型,名称,数量,金额,是否达成,证明材料\n2026-03-01,培训,数控车床操作培训,25,,,签到表.pdf\n2026-03-05,带徒,徒弟甲,1,,是,\n"
        #expect(try app.importActivities(csv: Data(good.utf8), file: "a.csv", studio: "S1").count == 2)
        let bad = "日期,类型,名称,数量,金额,是否达成\n2026-04-01,培训,培训,x,,\n2026-04-31,培训,培训,1,,\n2026-04-02,跳舞,舞会,1,,\n2026-04-03,带徒,徒弟乙,1,,也许\n2026-04-04,培训,好培训,3,,\n"
        let error = #expect(throws: RejectionList.self) { try app.importActivities(csv: Data(bad.utf8), file: "b.csv", studio: "S1") }
        #expect(error?.items.map(\.line) == [2, 3, 4, 5])
        #expect(error?.items.map(\.rejection.field) == ["数量", "日期", "类型", "是否达成"])
        #expect(try app.store.activities(studio: "S1").count == 2)
    }
}

@Suite("Demo lifecycle")
struct DemoLifecycleTests {
    @Test func demoHasAnAcceptedAndARevokedStudioWithTheirPackages() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-demo-life-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try Demo.build(in: directory)
        #expect(try demo.app.status(studio: "ZY2025-003").state == .accepted)
        let revoked = try demo.app.status(studio: "ZY2025-002")
        #expect(revoked.state == .revoked && revoked.refundOwedFen == Money(fen: 3_000_000))
        #expect(try demo.app.store.acceptanceScores(studio: "ZY2025-003").map(\.score) == [Score(hundredths: 9_250)])
        let written = try Demo.writeEvaluations(demo, into: directory.appendingPathComponent("evaluation"))
        #expect(written.count == 10)
        #expect(try demo.app.evaluation(studio: "ZY2025-003", asOf: TestLedger.date("2027-11-24")).value.grade == .excellent)
        #expect(try demo.app.verify().isClean)
    }
}
