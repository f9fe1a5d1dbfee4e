// FundRules: the compliance checker. An ordered catalogue of pure rules over a snapshot of one
// studio's books; each rule has a stable code, a category, a severity, the article it enforces and
// thresholds from the policy, and returns findings as values. Rules never read the database.
import FundCore

/// One studio's books as the rules see them.
public struct StudioBooks: Sendable {
    public let studio: Studio
    /// Every posted voucher, in book order.
    public let vouchers: [PostedVoucher]
    /// The vouchers that still stand: red reversals and the vouchers they reverse cancel out, so
    /// fixing the books makes a finding disappear.
    public let effective: [PostedVoucher]
    /// Whether the studio keeps budget accounting (平行记账: its host unit is a public
    /// institution and the chart has classes 6–8); BUD-001 checks only such studios.
    public var keepsBudget: Bool

    public init(studio: Studio, vouchers: [PostedVoucher], keepsBudget: Bool = false) {
        self.studio = studio
        self.keepsBudget = keepsBudget
        self.vouchers = vouchers
        let reversed = Set(vouchers.compactMap { voucher -> VoucherRef? in
            if case .reversal(let original) = voucher.kind { return original }
            return nil
        })
        // Every reversal puts its original in `reversed`: with none, every voucher stands.
        let standing = reversed.isEmpty ? Array(vouchers.indices) : vouchers.indices.filter { index in
            if case .reversal = vouchers[index].kind { return false }
            return !reversed.contains(vouchers[index].ref)
        }
        // Sort positions, not the vouchers themselves: moving large values is the cost. Dates
        // compare as one integer each. The reference breaks ties: within one studio (the usual
        // case) as integers too — period and class (in `VoucherClass` order), then number.
        // (Fields are read through indices: mapping over the vouchers would copy each one.)
        let days = vouchers.indices.map { vouchers[$0].draft.date.year * 10_000 + vouchers[$0].draft.date.month * 100 + vouchers[$0].draft.date.day }
        if let studio = vouchers.first?.ref.studio, vouchers.indices.allSatisfy({ vouchers[$0].ref.studio == studio }) {
            let classes = VoucherClass.allCases
            let keys = vouchers.indices.map { index in
                let ref = vouchers[index].ref
                return ((ref.period.year * 100 + ref.period.month) * classes.count + classes.firstIndex(of: ref.voucherClass)!, ref.number)
            }
            effective = standing.sorted { (days[$0], keys[$0].0, keys[$0].1) < (days[$1], keys[$1].0, keys[$1].1) }.map { vouchers[$0] }
        } else {
            effective = standing.sorted {
                days[$0] != days[$1] ? days[$0] < days[$1] : vouchers[$0].ref < vouchers[$1].ref
            }.map { vouchers[$0] }
        }
    }
}

/// What every rule may consult besides the studio's books.
public struct CheckContext: Sendable {
    public let chart: ChartOfAccounts
    public let policy: Policy
    public let calendar: HolidayCalendar
    public let asOf: CalendarDate
    /// Every voucher using each invoice key, across all studios (for duplicate invoices).
    public let invoiceUses: [InvoiceKey: [VoucherRef]]

    public init(chart: ChartOfAccounts, policy: Policy, calendar: HolidayCalendar, asOf: CalendarDate, invoiceUses: [InvoiceKey: [VoucherRef]]) {
        self.chart = chart
        self.policy = policy
        self.calendar = calendar
        self.asOf = asOf
        self.invoiceUses = invoiceUses
    }

    /// Invoice keys by the vouchers that use them (each voucher once), from every studio's books
    /// (the store has the same index as one query: `LedgerStore.invoiceUses`).
    public static func invoiceIndex(_ books: [StudioBooks]) -> [InvoiceKey: [VoucherRef]] {
        var index: [InvoiceKey: [VoucherRef]] = [:]
        for studio in books {
            for voucher in studio.effective {
                for key in Set(voucher.draft.lines.compactMap(\.invoice)) { index[key, default: []].append(voucher.ref) }
            }
        }
        return index
    }
}

/// A rule of the catalogue.
public protocol Rule: Sendable {
    var code: String { get }
    var category: FindingCategory { get }
    var severity: Severity { get }
    var article: String { get }
    /// Short Chinese title for the catalogue and reports.
    var title: String { get }
    /// The rule's findings on a studio, read from facts worked out once for the whole catalogue.
    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding]
}

extension Rule {
    /// The rule on its own over one studio's books.
    public func evaluate(_ books: StudioBooks, _ context: CheckContext) -> [Finding] {
        evaluate(StudioFacts(books, chart: context.chart), context)
    }

    func finding(
        _ books: StudioBooks, _ voucher: PostedVoucher?, line: Int? = nil, fund: Fund?, amount: Money, message: String, remedy: String,
        severity override: Severity? = nil
    ) -> Finding {
        Finding(
            rule: code, category: category, severity: override ?? severity, studio: books.studio.code, voucher: voucher, line: line,
            fund: fund, amount: amount, article: article, message: message, remedy: remedy)
    }
}

public enum Catalogue {
    /// Every rule, in the order findings are reported.
    public static let rules: [any Rule] = [
        IneligibleSpending(), NeedsJustification(), OutsideWindow(), FundDiversion(), OverdrawnFund(),
        SubsidyShortfall(), SubsidyOverCap(), DuplicateInvoice(), MissingEvidence(), CashOverLimit(), SplitPayment(),
        PeriodEndSurge(), RoundAmountRetail(), AllowanceMemo(), IndividualPayment(), ReceiptNetting(),
        IncomeInPayables(), StaleBalance(), LowExecution(), WeekendHoliday(), SelfApproval(), BenfordFirstDigit(), MissingParallelEntries(),
    ]

    /// Runs the catalogue over one studio: the facts every rule reads are worked out once.
    public static func check(_ books: StudioBooks, _ context: CheckContext) -> [Finding] {
        let facts = StudioFacts(books, chart: context.chart)
        return rules.flatMap { $0.evaluate(facts, context) }
    }
}

/// Helpers the rules share: account roles and categories of a line. `spending(_:)`, `spent(_:)`
/// and `payments(_:)` are the definitions `StudioFacts` precomputes (the tests hold them equal);
/// rules read the facts.
extension CheckContext {
    func category(_ line: VoucherLine) -> SpendingCategory? { chart[line.account]?.category }
    func role(_ line: VoucherLine) -> AccountRole? { chart[line.account]?.role }
    func name(_ line: VoucherLine) -> String { "\(line.account) \(chart[line.account]?.name ?? "")" }

    /// Expense debits (spending) of a voucher, with their 1-based line numbers.
    func spending(_ voucher: PostedVoucher) -> [(line: Int, value: VoucherLine, category: SpendingCategory)] {
        voucher.draft.lines.enumerated().compactMap { index, line in
            guard line.side == .debit, line.amount.fen > 0, let category = category(line) else { return nil }
            return (index + 1, line, category)
        }
    }

    func spent(_ voucher: PostedVoucher) -> Money {
        Money(fen: spending(voucher).reduce(0) { $0 + $1.value.amount.fen })
    }
}

func yuan(_ money: Money) -> String { money.groupedString }
