/// One posting as the books list it: the voucher it belongs to and the line.
public struct LedgerEntry: Sendable, Hashable {
    public let ref: VoucherRef
    public let date: CalendarDate
    public let lineNumber: Int
    public let line: VoucherLine
    public let counterparty: String

    public init(ref: VoucherRef, date: CalendarDate, lineNumber: Int, line: VoucherLine, counterparty: String) {
        self.ref = ref
        self.date = date
        self.lineNumber = lineNumber
        self.line = line
        self.counterparty = counterparty
    }
}

/// A row of a 明细账: an entry, or one of the customary summary lines.
public struct AccountLedgerRow: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case opening, entry, monthTotal = "month-total", yearTotal = "year-total"
    }

    public let kind: Kind
    public let date: CalendarDate?
    public let ref: VoucherRef?
    public let memo: String
    public let fund: Fund?
    public let debit: Money
    public let credit: Money
    /// Debit-positive running balance after this row.
    public let balance: Money

    /// 借 / 贷 / 平, from the sign of the balance.
    public var direction: String {
        balance.isZero ? "平" : (balance.isNegative ? "贷" : "借")
    }
}

/// 明细账 of one account (or a parent and all its leaves): opening balance, every entry with a
/// running balance, and 本月合计 / 本年累计 after each month, as Chinese books print them.
public struct AccountLedger: Sendable, Hashable {
    public let account: Account
    public let rows: [AccountLedgerRow]

    /// Builds the 明细账 of `account` and its leaves with the opening balance and the year's
    /// turnover so far taken from month turnovers before `from` (others are ignored).
    public static func build(
        account: Account, turnovers: [MonthTurnover], entries: [LedgerEntry], from: Period
    ) throws(Rejection) -> AccountLedger {
        var opening = Money.zero
        var year = (debit: Money.zero, credit: Money.zero)
        for turnover in turnovers where turnover.period < from && turnover.account.hasPrefix(account.code) {
            opening = try opening.adding(turnover.debit).subtracting(turnover.credit)
            if turnover.period.year == from.year {
                year = (try year.debit.adding(turnover.debit), try year.credit.adding(turnover.credit))
            }
        }
        return try build(account: account, opening: opening, openingYearTurnover: year, entries: entries, from: from)
    }

    /// `entries` must be in book order and all dated from `from` on; `opening` is the balance
    /// before the first month; `openingYearTurnover` the debit and credit of the same year
    /// before `from` (so 本年累计 starts right when the range begins mid-year).
    public static func build(
        account: Account, opening: Money, openingYearTurnover: (debit: Money, credit: Money),
        entries: [LedgerEntry], from: Period
    ) throws(Rejection) -> AccountLedger {
        var rows = [AccountLedgerRow(kind: .opening, date: from.firstDay, ref: nil, memo: "期初余额", fund: nil, debit: .zero, credit: .zero, balance: opening)]
        var balance = opening
        var month = (debit: Money.zero, credit: Money.zero)
        var year = openingYearTurnover
        var yearOfTotals = from.year
        var current: Period? = nil
        func closeMonth(_ period: Period) {
            rows.append(AccountLedgerRow(kind: .monthTotal, date: period.lastDay, ref: nil, memo: "本月合计", fund: nil, debit: month.debit, credit: month.credit, balance: balance))
            rows.append(AccountLedgerRow(kind: .yearTotal, date: period.lastDay, ref: nil, memo: "本年累计", fund: nil, debit: year.debit, credit: year.credit, balance: balance))
        }
        for entry in entries {
            let period = entry.ref.period
            precondition(period >= from, "ledger entries start at the range's first month")
            if let open = current, open != period {
                closeMonth(open)
                month = (.zero, .zero)
            }
            // 本年累计 restarts with each new year, including when the range's first entry
            // falls in a later year than `from`.
            if period.year != yearOfTotals {
                year = (.zero, .zero)
                yearOfTotals = period.year
            }
            current = period
            let debit = entry.line.side == .debit ? entry.line.amount : .zero
            let credit = entry.line.side == .credit ? entry.line.amount : .zero
            balance = try balance.adding(debit).subtracting(credit)
            month = (try month.debit.adding(debit), try month.credit.adding(credit))
            year = (try year.debit.adding(debit), try year.credit.adding(credit))
            rows.append(AccountLedgerRow(kind: .entry, date: entry.date, ref: entry.ref, memo: entry.line.memo, fund: entry.line.fund, debit: debit, credit: credit, balance: balance))
        }
        if let open = current { closeMonth(open) }
        return AccountLedger(account: account, rows: rows)
    }
}
