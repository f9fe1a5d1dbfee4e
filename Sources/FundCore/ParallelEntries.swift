// 平行记账 (政府会计制度, 财会〔2017〕25号): a public institution keeps accrual financial
// accounting (classes 1–5) and cash-basis budget accounting (6 预算收入, 7 预算支出, 8 预算结余)
// side by side. Every voucher of a public-institution studio that moves a fund's cash carries
// its budget lines, in the same voucher, in the same fund; `derive` writes them from the
// financial lines and `check` is what posting and `verify` hold every such voucher to.
//
// The rule, per fund of a voucher: every financial line that is not cash or bank has a budget
// image (an account of classes 6–8, on the same side, same amount); the images are netted per
// account, and 资金结存 takes the cash movement. Because the financial lines of a fund balance,
// the images sum to minus the cash movement, so the budget lines balance and 资金结存 moves by
// exactly the cash. What each financial role's image is:
//
// | financial line                              | budget image                                  |
// |---------------------------------------------|-----------------------------------------------|
// | 专项资金收入 of the fund, its own 应收补助资金 | the fund's 预算收入 (`BudgetBasis`)             |
// | 其他收入—利息收入                            | 其他预算收入—利息预算收入                       |
// | 项目支出 of a category, 固定资产              | 事业支出 of that category                       |
// | 备用金及个人借款, loans (其他应收款项)        | 事业支出—暂付款项 (reclassified when settled)   |
// | 应付款项                                     | 事业支出 of the voucher's one spending category, else 其他支出 |
// | 应退补助资金                                 | 结转—归集上缴 / 缴回资金                        |
// | 内部往来 (between the project's funds)       | 结转—单位内部调剂 / 资金调剂                    |
// | 累计结余 (balances brought in)               | 结转—年初余额调整                               |
//
// So an accrual with no cash (an expense on credit, a receivable recognised) nets to nothing,
// a settled advance reclassifies 暂付款项 to its category, and a receipt or payment gives the
// textbook pair (借 资金结存 贷 预算收入; 借 事业支出 贷 资金结存). Advances are spent in the budget
// books when paid, not when settled: 政府会计制度 lets a unit record 暂付款 either way, and only
// this way does 资金结存 always equal the cash, which the check below relies on; the
// reconciliation statement lists the advances still open.

/// Which 预算收入 each fund's receipts are, per studio (政府会计制度 预算收入类): the subsidy is
/// 财政拨款预算收入 (6001) when the municipal finance bureau is the host's own level of
/// government and 非同级财政拨款预算收入 (6601) otherwise; enterprise support is 捐赠预算收入
/// (6609 其他预算收入) or another 其他预算收入; self-raised money is the unit's 事业预算收入 (6101).
public struct BudgetBasis: Hashable, Sendable {
    /// The 预算收入 leaf of each fund.
    public var revenue: [Fund: String]

    public init(revenue: [Fund: String]) {
        self.revenue = revenue
    }

    /// The defaults: 非同级财政拨款预算收入 for the subsidy (most hosts are county units paid by
    /// the municipal bureau), 捐赠预算收入 for enterprise support, 事业预算收入 for self-raised.
    public static let defaultRevenue: [Fund: String] = [.subsidy: "660101", .enterprise: "660901", .selfRaised: "610101"]

    /// The defaults, falling back to the chart's first 预算收入 leaf open to the fund where a
    /// chart does not have the default code.
    public static func defaults(chart: ChartOfAccounts) -> BudgetBasis {
        var revenue: [Fund: String] = [:]
        for fund in Fund.allCases {
            if let code = defaultRevenue[fund], let account = chart[code], account.role == .budgetReceipts, account.accepts(fund) {
                revenue[fund] = code
            } else if let account = chart.leaves(withRole: .budgetReceipts).first(where: { $0.accepts(fund) }) {
                revenue[fund] = account.code
            }
        }
        return BudgetBasis(revenue: revenue)
    }

    /// 财政拨款结转 (8101) for a fund received as 财政拨款预算收入 (6001), else 非财政拨款结转 (8201).
    public func carryoverRoot(_ fund: Fund) -> String {
        revenue[fund]?.hasPrefix("6001") == true ? "8101" : "8201"
    }

    /// Checks that `code` may be `fund`'s 预算收入 in `chart`.
    public static func validate(_ code: String, fund: Fund, chart: ChartOfAccounts) throws(Rejection) {
        guard let account = chart[code], account.isLeaf, account.role == .budgetReceipts, account.accepts(fund) else {
            throw Rejection(
                .budgetChartMissing, field: "account",
                "科目 \(code) 不是\(fund.chineseName)可用的预算收入末级科目（科目用途 budget-receipts）")
        }
    }
}

/// A studio's budget accounting as the books keep it.
public struct BudgetAccounting: Sendable, Equatable {
    /// Whether the studio keeps budget accounting (its host unit is a public institution and
    /// the chart has budget accounts).
    public let kept: Bool
    public let hostUnitKind: HostUnitKind
    public let basis: BudgetBasis

    public init(kept: Bool, hostUnitKind: HostUnitKind, basis: BudgetBasis) {
        self.kept = kept
        self.hostUnitKind = hostUnitKind
        self.basis = basis
    }
}

/// The budget accounts the rule needs, found once per chart by role.
public struct ParallelChart: Sendable {
    public let chart: ChartOfAccounts
    public let cash: Account?
    let otherReceipts: Account?
    let advances: Account?
    let spending: [SpendingCategory: Account]
    /// Leaves of 8101 / 8201 by role.
    let carryover: [String: [AccountRole: Account]]

    public init(chart: ChartOfAccounts) {
        self.chart = chart
        cash = chart.leaves(withRole: .budgetCash).first
        otherReceipts = chart.leaves(withRole: .budgetOtherReceipts).first
        advances = chart.leaves(withRole: .budgetAdvances).first
        var spending: [SpendingCategory: Account] = [:]
        for account in chart.leaves(withRole: .budgetSpending) {
            if let category = account.budgetCategory, spending[category] == nil { spending[category] = account }
        }
        self.spending = spending
        var carryover: [String: [AccountRole: Account]] = [:]
        for account in chart.leaves where account.type == .budgetBalance {
            guard let role = account.role, role != .budgetCash else { continue }
            let root = String(account.code.prefix(4))
            if carryover[root, default: [:]][role] == nil { carryover[root, default: [:]][role] = account }
        }
        self.carryover = carryover
    }

    /// Whether the chart has budget accounting at all (a 资金结存 leaf).
    public var keepsBudget: Bool { cash != nil }

    /// The 结转 leaf of `role` for `fund`.
    public func carryover(_ role: AccountRole, fund: Fund, basis: BudgetBasis) -> Account? {
        carryover[basis.carryoverRoot(fund)]?[role]
    }

    public func spending(_ category: SpendingCategory) -> Account? { spending[category] }
}

public enum ParallelEntries {
    /// Cash and bank: the money budget accounting follows.
    @inline(__always)
    public static func isCash(_ account: Account) -> Bool { account.role == .cash || account.role == .bank }

    /// The voucher's 借方合计 of its financial lines: its amount, which its budget lines restate.
    public static func financialDebits(_ draft: VoucherDraft, chart: ChartOfAccounts) -> Money {
        Money(fen: draft.lines.reduce(Int64(0)) { total, line in
            line.side == .debit && chart[line.account]?.type.isBudget != true ? total &+ line.amount.fen : total
        })
    }

    /// The same for the credit side.
    public static func financialCredits(_ draft: VoucherDraft, chart: ChartOfAccounts) -> Money {
        Money(fen: draft.lines.reduce(Int64(0)) { total, line in
            line.side == .credit && chart[line.account]?.type.isBudget != true ? total &+ line.amount.fen : total
        })
    }

    /// Whether the voucher has any line on a budget account.
    public static func hasBudgetLines(_ draft: VoucherDraft, chart: ChartOfAccounts) -> Bool {
        draft.lines.contains { chart[$0.account]?.type.isBudget == true }
    }

    /// The voucher with its budget lines appended, when it has none yet; unchanged when it has
    /// some (they were written or edited by hand, and `check` decides).
    ///
    /// `payableCategory`: for a payable paid in a voucher that names no spending, the spending
    /// category of what raised it (the books' latest credit to that payable and fund, when its
    /// voucher spent on one category); nil leaves such a payment in 事业支出—其他支出.
    public static func withBudgetLines(
        _ draft: VoucherDraft, parallel: ParallelChart, basis: BudgetBasis, payableCategory: PayableCategory? = nil
    ) throws(Rejection) -> VoucherDraft {
        guard !hasBudgetLines(draft, chart: parallel.chart) else { return draft }
        let lines = try derive(draft, parallel: parallel, basis: basis, payableCategory: payableCategory)
        guard !lines.isEmpty else { return draft }
        var result = draft
        result.lines += lines
        return result
    }

    /// The budget lines of `draft`'s financial lines, fund by fund, debits before credits.
    /// What raised a payable: (payable account, fund) → the spending category, when one.
    public typealias PayableCategory = (_ account: String, _ fund: Fund) -> SpendingCategory?

    public static func derive(
        _ draft: VoucherDraft, parallel: ParallelChart, basis: BudgetBasis, payableCategory: PayableCategory? = nil
    ) throws(Rejection) -> [VoucherLine] {
        let chart = parallel.chart
        var result: [VoucherLine] = []
        for fund in draft.funds {
            let lines = draft.lines.filter { $0.fund == fund && chart[$0.account]?.type.isBudget == false }
            var cash = Money.zero
            var cashMemo: String?
            var images: [(account: String, fen: Money, memo: String)] = []
            // The one spending category of this fund's lines, for a payable's image.
            let categories = Set(lines.compactMap { chart[$0.account]?.category })
            for line in lines {
                guard let account = chart[line.account] else { continue }
                if isCash(account) {
                    cash = try cash.adding(line.signedAmount)
                    if cashMemo == nil { cashMemo = line.memo }
                    continue
                }
                let image = try self.image(
                    of: account, fund: fund, categories: categories, parallel: parallel, basis: basis, payableCategory: payableCategory)
                if let index = images.firstIndex(where: { $0.account == image.code }) {
                    images[index].fen = try images[index].fen.adding(line.signedAmount)
                } else {
                    images.append((image.code, line.signedAmount, line.memo))
                }
            }
            if cash.fen == 0 {
                // No cash moved: budget accounting records nothing, except that settling an
                // advance (or a loan) moves its 事业支出 from 暂付款项 to what it was spent on.
                result += try reclassification(lines, fund: fund, parallel: parallel)
                continue
            }
            var fundLines: [VoucherLine] = []
            if cash.fen != 0 {
                guard let cashAccount = parallel.cash else {
                    throw Rejection(.budgetChartMissing, field: "account", "科目表没有资金结存（科目用途 budget-cash），无法平行记账")
                }
                fundLines.append(line(cashAccount.code, fund: fund, signed: cash, memo: cashMemo ?? ""))
            }
            for image in images where image.fen.fen != 0 {
                fundLines.append(line(image.account, fund: fund, signed: image.fen, memo: image.memo))
            }
            result += fundLines.filter { $0.side == .debit } + fundLines.filter { $0.side == .credit }
        }
        return result
    }

    /// A fund's lines that move no cash: the advances credited (settled) are spent on the
    /// voucher's spending lines, in order, as far as they go (借 事业支出—category 贷 事业支出—暂付款项).
    static func reclassification(_ lines: [VoucherLine], fund: Fund, parallel: ParallelChart) throws(Rejection) -> [VoucherLine] {
        let chart = parallel.chart
        var settled = Money.zero
        for line in lines {
            guard let account = chart[line.account], account.role == .advances || (account.role == .receivables && !account.isReceivable(of: fund))
            else { continue }
            settled = try settled.subtracting(line.signedAmount)
        }
        guard settled.fen > 0, let advances = parallel.advances else { return [] }
        var remaining = settled
        var debits: [VoucherLine] = []
        for line in lines where remaining.fen > 0 {
            guard let category = chart[line.account]?.category, line.side == .debit, line.amount.fen > 0 else { continue }
            guard let leaf = parallel.spending(category) else {
                throw Rejection(.budgetChartMissing, field: "account", "科目表没有预算会计科目“事业支出—\(category.chineseName)”")
            }
            let amount = min(line.amount, remaining)
            remaining = try remaining.subtracting(amount)
            if let index = debits.firstIndex(where: { $0.account == leaf.code }) {
                debits[index] = Self.line(leaf.code, fund: fund, signed: try debits[index].amount.adding(amount), memo: debits[index].memo)
            } else {
                debits.append(Self.line(leaf.code, fund: fund, signed: amount, memo: line.memo))
            }
        }
        let total = try settled.subtracting(remaining)
        guard total.fen > 0 else { return [] }
        return debits + [Self.line(advances.code, fund: fund, signed: total.negated, memo: debits[0].memo)]
    }

    static func line(_ account: String, fund: Fund, signed: Money, memo: String) -> VoucherLine {
        VoucherLine(memo: memo, account: account, fund: fund, side: signed.fen > 0 ? .debit : .credit, amount: signed.fen > 0 ? signed : signed.negated)
    }

    /// The budget account a financial line of `account` is mirrored on.
    static func image(
        of account: Account, fund: Fund, categories: Set<SpendingCategory>, parallel: ParallelChart, basis: BudgetBasis,
        payableCategory: PayableCategory?
    ) throws(Rejection) -> Account {
        func need(_ found: Account?, _ what: String) throws(Rejection) -> Account {
            guard let found else {
                throw Rejection(
                    .budgetChartMissing, field: "account",
                    "科目 \(account.code) \(account.name) 的\(fund.chineseName)分录需要预算会计科目“\(what)”，科目表中没有")
            }
            return found
        }
        if let category = account.category {
            return try need(parallel.spending(category), "事业支出—\(category.chineseName)")
        }
        switch account.role {
        case .fundReceipts?:
            return try need(basis.revenue[fund].flatMap { parallel.chart[$0] }, "\(fund.chineseName)预算收入")
        case .receivables? where account.isReceivable(of: fund):
            return try need(basis.revenue[fund].flatMap { parallel.chart[$0] }, "\(fund.chineseName)预算收入")
        case .receivables?, .advances?:
            return try need(parallel.advances, "事业支出—暂付款项")
        case .otherIncome?:
            return try need(parallel.otherReceipts, "其他预算收入—利息预算收入")
        case .payables?:
            let category = categories.count == 1 ? categories.first! : (categories.isEmpty ? payableCategory?(account.code, fund) : nil) ?? .other
            return try need(parallel.spending(category), "事业支出—\(category.chineseName)")
        case .refundDue?:
            return try need(parallel.carryover(.budgetReturn, fund: fund, basis: basis), "结转—缴回资金")
        case .clearing?:
            return try need(parallel.carryover(.budgetTransfer, fund: fund, basis: basis), "结转—资金调剂")
        case .fundBalance?:
            return try need(parallel.carryover(.budgetOpening, fund: fund, basis: basis), "结转—年初余额调整")
        default:
            return try need(nil, "（科目用途 \(account.role?.rawValue ?? "无") 无对应规则）")
        }
    }

    /// What posting and `verify` hold a public-institution studio's voucher to, per fund: the
    /// budget lines balance (V034), and 资金结存 moves by exactly the fund's cash and bank
    /// movement (V035). A fund that moves no cash and has no budget lines passes.
    ///
    /// One exception: a fund whose lines in the voucher are all budget lines on 资金结存 and
    /// 结转—年初余额调整 (the 补记 of a fund's budget books begun late: 借 资金结存 贷 年初余额调整 for
    /// the cash they do not yet hold, what BUD-001 asks for) only has to balance.
    public static func check(_ draft: VoucherDraft, chart: ChartOfAccounts) throws(Rejection) {
        for fund in draft.funds {
            var budget = Money.zero
            var cash = Money.zero
            var budgetCash = Money.zero
            var catchUp = true
            for line in draft.lines where line.fund == fund {
                guard let account = chart[line.account] else { continue }
                if account.type.isBudget {
                    budget = try budget.adding(line.signedAmount)
                    if account.role == .budgetCash { budgetCash = try budgetCash.adding(line.signedAmount) }
                    catchUp = catchUp && (account.role == .budgetCash || account.role == .budgetOpening)
                } else {
                    catchUp = false
                    if isCash(account) { cash = try cash.adding(line.signedAmount) }
                }
            }
            if catchUp && budget.fen == 0 { continue }
            guard budget.fen == 0 else {
                throw Rejection(
                    .budgetLinesUnbalanced, field: "lines",
                    "\(fund.chineseName)的预算会计分录借贷不平（差额 \(budget.groupedString) 元）：平行记账的预算分录应自相平衡")
            }
            guard budgetCash == cash else {
                throw Rejection(
                    .budgetCashMismatch, field: "lines",
                    "\(fund.chineseName)的货币资金变动 \(cash.groupedString) 元，资金结存变动 \(budgetCash.groupedString) 元：平行记账要求两者相等（政府会计制度）")
            }
        }
    }

    /// The year-end closing voucher's lines (年末预算收支结转, 政府会计制度): per fund, each
    /// 预算收入 and 事业支出 leaf's balance into 结转—本年收支结转, which then, with 年初余额调整,
    /// 资金调剂 and 缴回资金, goes into 累计结转; afterwards 累计结转 equals 资金结存. `balances`
    /// are each (fund, account)'s debit-positive balance at the year's end. Empty when there is
    /// nothing to close.
    public static func yearEndLines(
        balances: [(fund: Fund, account: String, balance: Money)], year: Int, parallel: ParallelChart, basis: BudgetBasis
    ) throws(Rejection) -> [VoucherLine] {
        let chart = parallel.chart
        let memo = "\(year) 年末预算收支结转"
        var result: [VoucherLine] = []
        for fund in Fund.allCases {
            let own = balances.filter { $0.fund == fund && $0.balance.fen != 0 }
            guard !own.isEmpty else { continue }
            guard let closing = parallel.carryover(.budgetClosing, fund: fund, basis: basis),
                let carried = parallel.carryover(.budgetCarried, fund: fund, basis: basis)
            else {
                throw Rejection(.budgetChartMissing, field: "account", "科目表没有\(fund.chineseName)的结转—本年收支结转或累计结转科目")
            }
            var lines: [VoucherLine] = []
            var throughClosing = Money.zero  // debit-positive, on 本年收支结转
            var intoCarried = Money.zero     // debit-positive, moved to 累计结转 directly
            for entry in own {
                guard let account = chart[entry.account] else { continue }
                let closeTo: Bool
                switch account.type {
                case .budgetRevenue, .budgetExpenditure: closeTo = true
                case .budgetBalance where [.budgetOpening, .budgetTransfer, .budgetReturn].contains(account.role): closeTo = false
                default: continue
                }
                // The leaf's balance goes out on its opposite side.
                lines.append(line(entry.account, fund: fund, signed: entry.balance.negated, memo: memo))
                if closeTo { throughClosing = try throughClosing.adding(entry.balance) } else { intoCarried = try intoCarried.adding(entry.balance) }
            }
            guard !lines.isEmpty else { continue }
            if throughClosing.fen != 0 {
                // Into 本年收支结转, then out of it into 累计结转.
                lines.append(line(closing.code, fund: fund, signed: throughClosing, memo: memo))
                lines.append(line(closing.code, fund: fund, signed: throughClosing.negated, memo: memo))
            }
            let total = try throughClosing.adding(intoCarried)
            if total.fen != 0 { lines.append(line(carried.code, fund: fund, signed: total, memo: memo)) }
            result += lines.filter { $0.side == .debit } + lines.filter { $0.side == .credit }
        }
        return result
    }

    /// An enterprise host keeps no budget accounting (V036).
    public static func checkNone(_ draft: VoucherDraft, chart: ChartOfAccounts) throws(Rejection) {
        if let line = draft.lines.first(where: { chart[$0.account]?.type.isBudget == true }) {
            throw Rejection(
                .budgetLinesNotKept, field: "account",
                "科目 \(line.account) 是预算会计科目：依托单位为企业的工作室不做预算会计（平行记账只用于事业单位）")
        }
    }
}
