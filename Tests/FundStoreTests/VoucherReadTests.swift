@testable import FundApp
import FundCore
import FundStore
import FundTestSupport
import Testing

/// Vouchers read back from the store (one joined query, columns read by position) are the
/// vouchers that were posted: every field, lines in order, invoices, links, in book order.
@Suite("reading posted vouchers back")
struct VoucherReadTests {
    func stamp() -> Stamp { Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20")) }

    @Test func vouchersReadBackAsPosted() throws {
        let app = try T.app(studios: ["S1", "S2"])
        let store = app.store
        let equipment = VoucherDraft(
            studio: "S1", date: T.date("2026-01-12"), voucherClass: .fu,
            lines: [
                T.line("500101", .subsidy, .debit, 10_000, memo: "购置设备（分资金列支）", invoice: .digital(number: "26512000004177864031")),
                T.line("500105", .subsidy, .debit, 2_000, memo: "资料费", invoice: .legacy(code: "5100221130", number: "12345678")),
                T.line("100201", .subsidy, .credit, 12_000, memo: "支付设备款"),
            ],
            attachments: 3, settlement: .officialCard, counterparty: "资阳某供应商有限公司", preparer: "李会计", reviewer: "王主管",
            poster: "赵出纳", sourceRef: "ERP-2026-001")
        var cash = T.simple(date: "2026-01-05", debit: "1001", credit: "100201", fund: .enterprise, fen: 50_000, memo: "提取备用金")
        cash.settlement = nil
        cash.voucherClass = .zhuan
        let drafts = [
            T.receipt(date: "2025-12-20", fund: .subsidy, fen: 3_000_000),
            T.receipt(studio: "S2", date: "2025-12-21", fund: .subsidy, fen: 3_000_000),
            T.receipt(date: "2026-01-03", fund: .enterprise, fen: 200_000),
            equipment, cash,
            T.simple(date: "2026-01-08", debit: "500102", credit: "100201", fen: 5_000),
            T.simple(studio: "S2", date: "2026-02-02", debit: "500101", credit: "100201", fen: 7_000),
        ]
        let posted = try store.books.post(drafts, stamp: stamp())
        let wrong = posted[5]
        var correction = T.simple(date: "2026-01-20", debit: "500101", credit: "100201", fen: 5_000)
        correction.sourceRef = nil
        let followUps = try store.books.reverse(wrong.ref, date: T.date("2026-01-20"), reason: "科目错误", correction: correction, stamp: stamp())
        #expect(followUps.map(\.kind) == [.reversal(of: wrong.ref), .correction(of: wrong.ref)])

        let all = posted + followUps
        // Book order: month, class as stored text, number.
        func bookOrder(_ a: PostedVoucher, _ b: PostedVoucher) -> Bool {
            (a.ref.period, a.ref.voucherClass.rawValue, a.ref.number) < (b.ref.period, b.ref.voucherClass.rawValue, b.ref.number)
        }
        for studio in ["S1", "S2"] {
            #expect(try store.books.vouchers(studio: studio) == all.filter { $0.ref.studio == studio }.sorted(by: bookOrder))
        }
        let january = Period(year: 2026, month: 1)!
        #expect(try store.books.vouchers(studio: "S1", from: january, to: january) == all.filter { $0.ref.studio == "S1" && $0.ref.period == january }.sorted(by: bookOrder))
        #expect(try store.books.vouchers(studio: "S1", from: Period(year: 2027, month: 1)!, to: nil).isEmpty)
        #expect(try store.books.voucher(posted[3].ref) == posted[3])
        #expect(try store.books.followUps(of: wrong.ref) == followUps)
        #expect(try app.admin.verify().isClean)
    }
}
