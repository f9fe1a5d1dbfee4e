@testable import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Testing

typealias T = TestLedger

@Suite("Ledger store: numbering, append-only, reversal, periods")
struct StoreTests {
    let app: LedgerApp
    var store: LedgerStore { app.store }

    init() throws {
        app = try T.app(studios: ["S1", "S2"])
    }

    func counts() throws -> (vouchers: Int64, postings: Int64, log: Int64, balances: Int64) {
        (
            try store.unsafeScalarForTesting("SELECT count(*) FROM voucher") ?? -1,
            try store.unsafeScalarForTesting("SELECT count(*) FROM posting") ?? -1,
            try store.unsafeScalarForTesting("SELECT count(*) FROM op_log") ?? -1,
            try store.unsafeScalarForTesting("SELECT coalesce(sum(debit_fen) * 7 + sum(credit_fen), 0) FROM month_balance") ?? -1
        )
    }

    @Test func numbersRunPerStudioClassAndMonth() throws {
        var drafts = [
            T.receipt(date: "2025-12-20", fund: .subsidy, fen: 3_000_000),
            T.receipt(date: "2025-12-21", fund: .enterprise, fen: 100_000),
            T.receipt(studio: "S2", date: "2025-12-21", fund: .subsidy, fen: 3_000_000),
            T.receipt(date: "2026-01-05", fund: .selfRaised, fen: 50_000),
        ]
        var payment = T.simple(date: "2025-12-22", debit: "500101", credit: "100201", fen: 10_000)
        payment.voucherClass = .fu
        drafts.append(payment)
        drafts.append(T.simple(date: "2025-12-23", debit: "500102", credit: "100201", fen: 20_000))
        let posted = try store.books.post(drafts, stamp: Stamp(user: "u", at: "2026-01-01T00:00:00Z", today: T.date("2026-01-01")))
        #expect(posted.map(\.ref.label) == ["记-0001", "记-0002", "记-0001", "记-0001", "付-0001", "记-0003"])
        #expect(posted.map(\.ref.studio) == ["S1", "S1", "S2", "S1", "S1", "S1"])
        #expect(posted.map(\.sequence) == [1, 2, 1, 3, 4, 5])
        // A second transaction continues the numbers.
        let next = try store.books.post([T.simple(date: "2025-12-28", debit: "500102", credit: "100201", fen: 1)], stamp: stamp())
        #expect(next[0].ref.label == "记-0004")
        #expect(next[0].previousHash == posted[5].hash)
    }

    func stamp(_ today: String = "2026-11-20") -> Stamp {
        Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: T.date(today))
    }

    @Test func postedDataCannotBeUpdatedOrDeleted() throws {
        try store.books.post([T.receipt(fund: .subsidy, fen: 3_000_000)], stamp: stamp())
        try store.books.closePeriod(Period(year: 2025, month: 12)!, studio: "S1", stamp: stamp())
        for sql in [
            "UPDATE posting SET amount_fen = 1", "DELETE FROM posting", "UPDATE voucher SET date = '2025-12-21'",
            "DELETE FROM voucher", "UPDATE op_log SET user = 'x'", "DELETE FROM op_log", "DELETE FROM period_event",
            "UPDATE period_event SET action = 'reopen'", "DELETE FROM host_unit", "UPDATE account SET name = 'x'",
        ] {
            #expect(throws: (any Error).self, "\(sql) must be refused") { try store.unsafeExecuteForTesting(sql) }
        }
        #expect(try store.admin.verify().isClean)
    }

    @Test func aBatchIsAllOrNothing() throws {
        let before = try counts()
        let good = T.receipt(fund: .subsidy, fen: 3_000_000)
        let bad = T.simple(debit: "500101", credit: "100201", fen: 0)
        #expect(throws: Rejection.self) { try store.books.post([good, bad], stamp: stamp()) }
        #expect(try counts() == before)
    }

    @Test func redReversalMirrorsTheOriginalAndRestoresBalances() throws {
        try store.books.post([T.receipt(fund: .subsidy, fen: 3_000_000)], stamp: stamp())
        let balanceBefore = try app.books.trialBalance(studio: "S1", to: Period(year: 2026, month: 1))
        let wrong = try store.books.post([T.simple(date: "2026-01-08", debit: "500107", credit: "100201", fen: 500_000)], stamp: stamp())[0]
        let posted = try store.books.reverse(wrong.ref, date: T.date("2026-01-20"), reason: "误记工资", correction: nil, stamp: stamp())
        #expect(posted.count == 1)
        let red = posted[0]
        #expect(red.kind == .reversal(of: wrong.ref))
        #expect(red.ref.label == "记-0002")
        #expect(red.draft.lines.map(\.amount.fen) == [-500_000, -500_000])
        #expect(red.draft.lines.map(\.side) == [.debit, .credit])
        #expect(red.draft.lines[0].memo == "注销 2026年1月8日 记-0001 号凭证")
        let balanceAfter = try app.books.trialBalance(studio: "S1", to: Period(year: 2026, month: 1))
        // Closing balances as if the wrong voucher never happened; turnover not inflated.
        let closing = { (tb: TrialBalance) in tb.sections.flatMap { $0.rows.map { "\($0.account)=\($0.closing.fen)" } } }
        #expect(closing(balanceAfter) == closing(balanceBefore))
        let january = try app.books.trialBalance(studio: "S1", fund: .subsidy, from: Period(year: 2026, month: 1), to: Period(year: 2026, month: 1))
        #expect(january.sections[0].totals.debit == .zero)
        #expect(try store.admin.verify().isClean)
    }

    @Test func reversalRules() throws {
        try store.books.post([T.receipt(fund: .subsidy, fen: 3_000_000)], stamp: stamp())
        let original = try store.books.post([T.simple(date: "2026-01-08", debit: "500107", credit: "100201", fen: 500_000)], stamp: stamp())[0]
        func code(_ body: () throws -> Void) -> RejectionCode? {
            do { try body(); return nil } catch let rejection as Rejection { return rejection.code } catch { return nil }
        }
        #expect(code { _ = try store.books.reverse(original.ref, date: T.date("2026-01-20"), reason: "  ", correction: nil, stamp: stamp()) } == .reasonMissing)
        let red = try store.books.reverse(original.ref, date: T.date("2026-01-20"), reason: "误记", correction: nil, stamp: stamp())[0]
        #expect(code { _ = try store.books.reverse(original.ref, date: T.date("2026-01-21"), reason: "再冲", correction: nil, stamp: stamp()) } == .voucherAlreadyReversed)
        #expect(code { _ = try store.books.reverse(red.ref, date: T.date("2026-01-21"), reason: "冲红字", correction: nil, stamp: stamp()) } == .reversalOfReversal)
        let missing = VoucherRef(studio: "S1", period: Period(year: 2026, month: 1)!, voucherClass: .ji, number: 99)
        #expect(code { _ = try store.books.reverse(missing, date: T.date("2026-01-21"), reason: "x", correction: nil, stamp: stamp()) } == .voucherUnknown)
    }

    /// 会计基础工作规范 第五十一条: an error of an earlier year is corrected with a blue voucher in
    /// the current year, not reversed in red; and a reversal cannot predate its original.
    @Test func redReversalStaysInTheOriginalsYearAndAfterIt() throws {
        try store.books.post([T.receipt(date: "2025-12-20", fund: .subsidy, fen: 3_000_000)], stamp: stamp())
        let december = try store.books.post([T.simple(date: "2025-12-29", debit: "500107", credit: "100201", fen: 500_000)], stamp: stamp())[0]
        func rejection(_ body: () throws -> Void) -> Rejection? {
            do { try body(); return nil } catch let rejection as Rejection { return rejection } catch { return nil }
        }
        let acrossYears = rejection { _ = try store.books.reverse(december.ref, date: T.date("2026-01-05"), reason: "误记工资", correction: nil, stamp: stamp()) }
        #expect(acrossYears?.code == .reversalAcrossYears)
        #expect(acrossYears?.message.contains("会计基础工作规范") == true && acrossYears?.message.contains("第五十一条") == true)
        let early = rejection { _ = try store.books.reverse(december.ref, date: T.date("2025-12-28"), reason: "误记工资", correction: nil, stamp: stamp()) }
        #expect(early?.code == .reversalBeforeOriginal)
        // Nothing was written; within the year, on or after the original's day, it posts.
        let red = try store.books.reverse(december.ref, date: T.date("2025-12-29"), reason: "误记工资", correction: nil, stamp: stamp())
        #expect(red.count == 1 && red[0].draft.date == T.date("2025-12-29"))
        #expect(try store.admin.verify().isClean)
    }

    @Test func reversalWithCorrectionIsOneTransaction() throws {
        try store.books.post([T.receipt(fund: .subsidy, fen: 3_000_000), T.receipt(fund: .enterprise, fen: 1_000_000)], stamp: stamp())
        let original = try store.books.post([T.simple(date: "2026-01-08", debit: "500102", credit: "100201", fen: 300_000)], stamp: stamp())[0]
        let before = try counts()
        let badCorrection = T.simple(date: "2026-01-20", debit: "5001", credit: "100201", fund: .enterprise, fen: 300_000)
        #expect(throws: Rejection.self) {
            try store.books.reverse(original.ref, date: T.date("2026-01-20"), reason: "应由企业资金列支", correction: badCorrection, stamp: stamp())
        }
        #expect(try counts() == before, "a failed correction leaves no red voucher behind")
        let correction = T.simple(date: "2026-01-20", debit: "500102", credit: "100201", fund: .enterprise, fen: 300_000, memo: "订正 研发费改由企业支持资金列支")
        let posted = try store.books.reverse(original.ref, date: T.date("2026-01-20"), reason: "应由企业资金列支", correction: correction, stamp: stamp())
        #expect(posted.map(\.kind) == [.reversal(of: original.ref), .correction(of: original.ref)])
        // 第五十一条: the correction's 摘要 names the voucher it corrects; the source reference stays empty.
        #expect(posted[1].draft.lines.map(\.memo) == Array(repeating: "订正 2026年1月8日 记-0001 号凭证：研发费改由企业支持资金列支", count: 2))
        #expect(posted[1].draft.sourceRef == nil)
        #expect(try store.books.followUps(of: original.ref).count == 2)
        let subsidy = try app.books.trialBalance(studio: "S1", fund: .subsidy).sections[0]
        #expect(subsidy.rows.first { $0.account == "500102" } == nil || subsidy.rows.first { $0.account == "500102" }!.closing == .zero)
    }

    @Test func closedPeriodsTakeNoPostingsAndCloseInOrder() throws {
        try store.books.post([T.receipt(date: "2025-12-20", fund: .subsidy, fen: 3_000_000)], stamp: stamp())
        func code(_ body: () throws -> Void) -> RejectionCode? {
            do { try body(); return nil } catch let rejection as Rejection { return rejection.code } catch { return nil }
        }
        let december = Period(year: 2025, month: 12)!
        #expect(code { try store.books.closePeriod(december.next, studio: "S1", stamp: stamp()) } == .periodCloseOutOfOrder)
        #expect(code { try store.books.closePeriod(december, studio: "S1", stamp: stamp("2025-12-31")) } == .periodNotEnded)
        try store.books.closePeriod(december, studio: "S1", stamp: stamp("2026-01-01"))
        let before = try counts()
        #expect(code { try store.books.post([T.receipt(date: "2025-12-30", fund: .enterprise, fen: 1)], stamp: stamp()) } == .periodClosed)
        #expect(code { try store.books.post([T.receipt(date: "2025-11-30", fund: .enterprise, fen: 1)], stamp: stamp()) } == .periodClosed)
        #expect(try counts() == before)
        // Another studio's books are not affected.
        try store.books.post([T.receipt(studio: "S2", date: "2025-12-30", fund: .enterprise, fen: 1)], stamp: stamp())
        try store.books.closePeriod(december.next, studio: "S1", stamp: stamp())
        #expect(code { try store.books.reopenPeriod(december, studio: "S1", reason: "补记", stamp: stamp()) } == .periodReopenNotLatest)
        #expect(code { try store.books.reopenPeriod(december.next, studio: "S1", reason: "", stamp: stamp()) } == .reasonMissing)
        try store.books.reopenPeriod(december.next, studio: "S1", reason: "补记一月利息", stamp: stamp())
        try store.books.post([T.simple(date: "2026-01-31", debit: "100201", credit: "409901", fen: 1234)], stamp: stamp())
        #expect(try store.books.periodBook(studio: "S1").closedThrough == december)
        let reopen = try store.admin.log(action: "period.reopen")
        #expect(reopen.count == 1)
        #expect(reopen[0].detail.contains("补记一月利息"))
        #expect(try store.admin.verify().isClean)
    }

    @Test func logIsChainedAndNamesWhoDidWhat() throws {
        try store.books.post([T.receipt(fund: .subsidy, fen: 3_000_000)], stamp: Stamp(user: "李会计", at: "2026-01-02T03:04:05Z", today: T.date("2026-01-02")))
        let entries = try store.admin.log(studio: "S1", user: "李会计")
        #expect(entries.count == 1)
        #expect(entries[0].action == "voucher.post")
        #expect(entries[0].at == "2026-01-02T03:04:05Z")
        #expect(entries[0].detail.contains("记-0001"))
    }
}
