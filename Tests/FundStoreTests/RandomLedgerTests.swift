@testable import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Testing

/// Posts thousands of seeded random vouchers, valid and invalid, and checks after every step that
/// a rejected voucher changed nothing, and at the end that every fund book balances and that the
/// database's sums equal a model kept in Swift.
@Suite("seeded random ledger")
struct RandomLedgerTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    enum Mutation: CaseIterable {
        case none, unbalance, zero, unknownAccount, parentAccount, wrongFundAccount, clearingOneSided, negative, emptyMemo, noPreparer
    }

    struct Key: Hashable { let studio: String; let fund: Fund; let account: String }

    static let studios = ["R1", "R2", "R3"]
    static let expenses = ["500101", "500102", "500103", "500104", "500105", "500106", "500107", "500199"]

    func makeVoucher(_ rng: inout SplitMix) -> VoucherDraft {
        let studio = rng.pick(Self.studios)
        let month = 1 + rng.below(8)  // 2026-01 … 2026-08
        let date = T.date("2026-\(month < 10 ? "0" : "")\(month)-\(1 + rng.below(28))")
        let fen = Int64(1 + rng.below(2_000_000))
        let fund = rng.pick(Fund.allCases)
        var lines: [VoucherLine]
        switch rng.below(4) {
        case 0:
            let revenue = ["subsidy": "400101", "enterprise": "400102", "self-raised": "400103"][fund.rawValue]!
            lines = [T.line("100201", fund, .debit, fen), T.line(revenue, fund, .credit, fen)]
        case 1:
            lines = [T.line(rng.pick(Self.expenses), fund, .debit, fen), T.line(rng.pick(["100201", "1001", "230201"]), fund, .credit, fen)]
        case 2:
            let other = rng.pick(Fund.allCases.filter { $0 != fund })
            let second = Int64(1 + rng.below(500_000))
            lines = [
                T.line("500101", fund, .debit, fen), T.line("500101", other, .debit, second),
                T.line("100201", fund, .credit, fen), T.line("100201", other, .credit, second),
            ]
        default:
            let other = rng.pick(Fund.allCases.filter { $0 != fund })
            lines = [
                T.line("1901", fund, .debit, fen), T.line("100201", fund, .credit, fen),
                T.line("100201", other, .debit, fen), T.line("1901", other, .credit, fen),
            ]
        }
        return VoucherDraft(studio: studio, date: date, lines: lines, attachments: rng.below(4), preparer: "会计\(rng.below(3))")
    }

    func mutate(_ draft: inout VoucherDraft, _ mutation: Mutation, _ rng: inout SplitMix) {
        let index = rng.below(draft.lines.count)
        let old = draft.lines[index]
        func replace(account: String? = nil, fund: Fund? = nil, fen: Int64? = nil, memo: String? = nil) {
            draft.lines[index] = VoucherLine(
                memo: memo ?? old.memo, account: account ?? old.account, fund: fund ?? old.fund, side: old.side,
                amount: Money(fen: fen ?? old.amount.fen), invoice: nil)
        }
        switch mutation {
        case .none: break
        case .unbalance: replace(fen: old.amount.fen + 1)
        case .zero: replace(fen: 0)
        case .unknownAccount: replace(account: "500198")
        case .parentAccount: replace(account: "5001")
        case .wrongFundAccount: replace(account: old.fund == .subsidy ? "400102" : "400101")
        case .clearingOneSided:
            draft.lines = [T.line("1901", old.fund, .debit, 100), T.line("100201", old.fund, .credit, 100)]
        case .negative: replace(fen: -old.amount.fen)
        case .emptyMemo: replace(memo: " ")
        case .noPreparer: draft.preparer = ""
        }
    }

    func state(_ store: LedgerStore) throws -> [Int64] {
        try ["SELECT count(*) FROM voucher", "SELECT count(*) FROM posting", "SELECT count(*) FROM op_log",
             "SELECT coalesce(sum(debit_fen), 0) FROM month_balance", "SELECT coalesce(sum(credit_fen), 0) FROM month_balance"]
            .map { try store.unsafeScalarForTesting($0) ?? -1 }
    }

    @Test(arguments: [20_251_029 as UInt64, 7])
    func randomVouchersKeepEveryBookBalanced(seed: UInt64) throws {
        let app = try T.app(studios: Self.studios)
        let store = app.store
        var rng = SplitMix(state: seed)
        var model: [Key: Int64] = [:]
        var closedThrough: [String: Period] = [:]
        var accepted = 0
        var rejected = 0
        let far = Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: T.date("2027-01-01"))
        for step in 0..<2_500 {
            if step % 400 == 399 {
                let studio = rng.pick(Self.studios)
                let next = closedThrough[studio]?.next ?? Period(year: 2025, month: 12)!
                try store.books.closePeriod(next, studio: studio, stamp: far)
                closedThrough[studio] = next
            }
            var draft = makeVoucher(&rng)
            let mutation: Mutation = rng.below(3) == 0 ? rng.pick(Array(Mutation.allCases.dropFirst())) : .none
            mutate(&draft, mutation, &rng)
            let periodClosed = closedThrough[draft.studio].map { draft.period <= $0 } ?? false
            let before = try state(store)
            switch try store.books.postEach(draft, stamp: far) {
            case .success(let posted):
                #expect(mutation == .none && !periodClosed, "step \(step): \(mutation) must be rejected")
                accepted += 1
                for line in posted.draft.lines {
                    model[Key(studio: draft.studio, fund: line.fund, account: line.account), default: 0] += line.signedAmount.fen
                }
            case .failure(let rejection):
                #expect(mutation != .none || (periodClosed && rejection.code == .periodClosed), "step \(step): \(rejection)")
                #expect(try state(store) == before, "step \(step): a rejected voucher changed the database")
                rejected += 1
            }
        }
        #expect(accepted > 1_000)
        #expect(rejected > 500)
        for studio in Self.studios {
            let balance = try app.books.trialBalance(studio: studio)
            for section in balance.sections {
                #expect(section.totals.isBalanced, "\(studio) \(section.fund?.rawValue ?? "combined") must balance")
            }
            for section in balance.sections {
                guard let fund = section.fund else { continue }
                for row in section.rows where row.isLeaf {
                    #expect(row.closing.fen == model[Key(studio: studio, fund: fund, account: row.account)] ?? 0)
                }
            }
        }
        // SQL sums over the raw postings equal the Swift model, fund by fund.
        for fund in Fund.allCases {
            let sql = "SELECT coalesce(sum(CASE side WHEN 'debit' THEN amount_fen ELSE -amount_fen END), 0) FROM posting WHERE fund = '\(fund.rawValue)' AND account LIKE '5%'"
            let modelSum = model.filter { $0.key.fund == fund && $0.key.account.hasPrefix("5") }.values.reduce(0, +)
            #expect(try store.unsafeScalarForTesting(sql) == modelSum)
        }
        let report = try store.admin.verify()
        #expect(report.isClean, "\(report.problems.prefix(5))")
        #expect(report.vouchers == accepted)
    }
}
