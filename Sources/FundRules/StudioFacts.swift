import FundCore

/// One line of a standing voucher, classified once: the chart's role and spending category for
/// its account, its fund, side and amount. A plain value (no strings), so rules can scan
/// hundreds of thousands of them without reference counting.
public struct LineFacts: Sendable, Hashable {
    /// Position of the line's voucher in `StudioBooks.effective` (and `StudioFacts.vouchers`).
    public let voucher: Int
    /// 1-based line number within the voucher, as findings cite it.
    public let number: Int
    public let fund: Fund
    public let side: Side
    public let fen: Int64
    /// The account's position in `ChartOfAccounts.accounts`; nil when the chart lacks the code.
    public let account: Int?
    public let role: AccountRole?
    public let category: SpendingCategory?
    public let hasInvoice: Bool

    /// +fen for a debit, −fen for a credit (`VoucherLine.signedAmount`).
    public var signedFen: Int64 { side == .debit ? fen : -fen }

    /// Money coming into bank or cash.
    var isMoneyIn: Bool { side == .debit && fen > 0 && (role == .bank || role == .cash) }
    /// Money leaving bank or cash.
    var isMoneyOut: Bool { side == .credit && fen > 0 && (role == .bank || role == .cash) }
}

/// One standing voucher, summarised once for every rule.
public struct VoucherFacts: Sendable, Hashable {
    public let date: CalendarDate
    /// Its lines: a range of `StudioFacts.lines`.
    public let lines: Range<Int>
    /// Its spending lines (expense debits): a range of `StudioFacts.spending`.
    public let spending: Range<Int>
    /// What it spends: the sum of its spending lines (`CheckContext.spent`).
    public let spentFen: Int64
    /// The sum of its cash credits (money paid out of cash, whatever the settlement says).
    public let cashOutFen: Int64
    public let attachments: Int
    public let settlement: Settlement?
    /// A debit into bank or cash.
    public let receivesMoney: Bool
    /// A credit out of bank or cash.
    public let paysMoney: Bool
    /// A positive credit to a spending account.
    public let creditsSpending: Bool
    /// A positive credit to a payables account.
    public let creditsPayables: Bool
    /// Any line carries an invoice key.
    public let hasInvoice: Bool
}

/// A payment: money leaving bank or cash for spending, with its payee.
struct Payment: Sendable, Hashable {
    /// Position of the voucher in `StudioBooks.effective`.
    let voucher: Int
    let amount: Money
    let counterparty: String
}

/// What the rules need to know about a studio's standing vouchers, worked out once per check
/// instead of by each rule: every line's account role and spending category, the spending lines,
/// what each voucher spends, and the payments. Everything is in book order (`books.effective`),
/// and positions refer back to `books.effective` for what a finding has to quote.
public struct StudioFacts: Sendable {
    public let books: StudioBooks
    /// One per standing voucher, at the same position as in `books.effective`.
    public let vouchers: [VoucherFacts]
    /// Every line of every standing voucher, voucher after voucher.
    public let lines: [LineFacts]
    /// The spending lines (positive expense debits), voucher after voucher: what
    /// `CheckContext.spending(_:)` gives for each voucher.
    public let spending: [LineFacts]
    /// Vouchers paying for spending out of bank or cash, in book order.
    let payments: [Payment]

    public init(_ books: StudioBooks, chart: ChartOfAccounts) {
        self.books = books
        // Account code → chart position: one lookup per line instead of one per rule and line.
        var positions: [String: Int] = [:]
        positions.reserveCapacity(chart.accounts.count)
        for (position, account) in chart.accounts.enumerated() { positions[account.code] = position }
        let roles = chart.accounts.map(\.role)
        let categories = chart.accounts.map(\.category)

        var vouchers: [VoucherFacts] = []
        var lines: [LineFacts] = []
        var spending: [LineFacts] = []
        var payments: [Payment] = []
        vouchers.reserveCapacity(books.effective.count)
        lines.reserveCapacity(books.effective.count * 3)
        for index in books.effective.indices {
            let firstLine = lines.count
            let firstSpending = spending.count
            var spent: Int64 = 0
            var cashOut: Int64 = 0
            var receivesMoney = false, paysMoney = false, creditsSpending = false, creditsPayables = false, hasInvoice = false
            for (offset, line) in books.effective[index].draft.lines.enumerated() {
                let account = positions[line.account]
                let facts = LineFacts(
                    voucher: index, number: offset + 1, fund: line.fund, side: line.side, fen: line.amount.fen, account: account,
                    role: account.flatMap { roles[$0] }, category: account.flatMap { categories[$0] }, hasInvoice: line.invoice != nil)
                lines.append(facts)
                if facts.side == .debit && facts.fen > 0 && facts.category != nil {
                    spending.append(facts)
                    spent += facts.fen
                }
                if facts.side == .credit && facts.role == .cash { cashOut += facts.fen }
                receivesMoney = receivesMoney || facts.isMoneyIn
                paysMoney = paysMoney || facts.isMoneyOut
                creditsSpending = creditsSpending || (facts.side == .credit && facts.fen > 0 && facts.category != nil)
                creditsPayables = creditsPayables || (facts.side == .credit && facts.fen > 0 && facts.role == .payables)
                hasInvoice = hasInvoice || facts.hasInvoice
            }
            let draft = books.effective[index].draft
            vouchers.append(VoucherFacts(
                date: draft.date, lines: firstLine..<lines.count, spending: firstSpending..<spending.count, spentFen: spent,
                cashOutFen: cashOut, attachments: draft.attachments, settlement: draft.settlement,
                receivesMoney: receivesMoney, paysMoney: paysMoney, creditsSpending: creditsSpending,
                creditsPayables: creditsPayables, hasInvoice: hasInvoice))
            if paysMoney && spent != 0 {
                payments.append(Payment(voucher: index, amount: Money(fen: spent), counterparty: draft.counterparty.trimmingSpacesFast))
            }
        }
        self.vouchers = vouchers
        self.lines = lines
        self.spending = spending
        self.payments = payments
    }

    /// The voucher's 借方合计 of its financial lines: a public-institution voucher's budget
    /// lines (平行记账) restate the same money and are not added again.
    public func financialDebits(_ position: Int) -> Money {
        Money(fen: lines[vouchers[position].lines].reduce(0) { total, line in
            line.side == .debit && line.role?.isBudget != true ? total + line.fen : total
        })
    }

    /// The posted voucher at `position` of `books.effective`, for what a finding quotes.
    func voucher(_ position: Int) -> PostedVoucher { books.effective[position] }

    /// The full line behind `line` (memo, account code, invoice).
    func value(_ line: LineFacts) -> VoucherLine { books.effective[line.voucher].draft.lines[line.number - 1] }
}

extension Rule {
    /// A finding about the voucher at `position` of the standing vouchers (or about the studio).
    func finding(
        _ facts: StudioFacts, _ position: Int?, line: Int? = nil, fund: Fund?, amount: Money, message: String, remedy: String,
        severity override: Severity? = nil
    ) -> Finding {
        finding(
            facts.books, position.map { facts.books.effective[$0] }, line: line, fund: fund, amount: amount, message: message,
            remedy: remedy, severity: override)
    }
}

/// A policy's eligibility judgements for each chart account (by position) and fund, so rules
/// do not look them up by name per line.
struct EligibilityTable {
    /// Per account position: the judgement for each fund (in `slot` order); nil without a category.
    private let byAccount: [[Eligibility]?]

    init(_ policy: Policy, chart: ChartOfAccounts) {
        byAccount = chart.accounts.map { account in
            account.category.map { category in Self.funds.map { policy.eligibility(of: category, for: $0) } }
        }
    }

    private static let funds: [Fund] = [.subsidy, .enterprise, .selfRaised]

    private static func slot(_ fund: Fund) -> Int {
        switch fund {
        case .subsidy: return 0
        case .enterprise: return 1
        case .selfRaised: return 2
        }
    }

    /// `Policy.eligibility(of:for:)` for a spending line (its account has a category).
    subscript(_ line: LineFacts) -> Eligibility {
        byAccount[line.account!]![Self.slot(line.fund)]
    }
}
