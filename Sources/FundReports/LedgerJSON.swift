import FundCore

// The JSON shapes of the ledger views (`journal`, `voucher show`, `ledger`), kept here so that
// the statements (序时账, 明细账) and the one-voucher view carry them unchanged.

/// One posted voucher as `journal --format json` lists it: the voucher's own fields, amounts in
/// fen, account names from the chart.
public struct JournalVoucherJSON: Sendable, Codable, Hashable {
    public struct Line: Sendable, Codable, Hashable {
        public let line: Int
        public let memo: String
        public let account: String
        public let name: String
        public let fund: String
        public let side: String
        public let amountFen: Int64
        public let invoice: String?
    }

    public let studio: String
    public let period: String
    public let `class`: String
    public let number: Int
    public let label: String
    public let date: String
    public let kind: String
    public let link: String?
    public let attachments: Int
    public let settlement: String?
    public let counterparty: String
    public let preparer: String
    public let reviewer: String
    public let poster: String
    public let sourceRef: String?
    public let postedBy: String
    public let postedAt: String
    public let hash: String
    public let lines: [Line]

    public init(_ voucher: PostedVoucher, chart: ChartOfAccounts) {
        let draft = voucher.draft
        studio = voucher.ref.studio
        period = voucher.ref.period.iso
        `class` = voucher.ref.voucherClass.rawValue
        number = voucher.ref.number
        label = voucher.ref.label
        date = draft.date.iso
        kind = voucher.kind.code
        link = voucher.kind.link.map { "\($0.period.iso) \($0.label)" }
        attachments = draft.attachments
        settlement = draft.settlement?.rawValue
        counterparty = draft.counterparty
        preparer = draft.preparer
        reviewer = draft.reviewer
        poster = draft.poster
        sourceRef = draft.sourceRef
        postedBy = voucher.postedBy
        postedAt = voucher.postedAt
        hash = voucher.hash
        lines = draft.lines.enumerated().map { index, line in
            Line(
                line: index + 1, memo: line.memo, account: line.account, name: chart[line.account]?.name ?? "",
                fund: line.fund.rawValue, side: line.side.rawValue, amountFen: line.amount.fen, invoice: line.invoice?.description)
        }
    }
}

/// `{"vouchers": [...]}`: what `journal --format json` and `voucher show --format json` print.
public struct JournalVouchersJSON: Sendable, Codable, Hashable {
    public let vouchers: [JournalVoucherJSON]

    public init(vouchers: [JournalVoucherJSON]) {
        self.vouchers = vouchers
    }
}

/// One row of `ledger --format json` (明细账 of one account): balances debit-positive, the
/// voucher as "2025-11 记-0003".
public struct AccountLedgerRowJSON: Sendable, Codable, Hashable {
    public let kind: String
    public let date: String?
    public let voucher: String?
    public let memo: String
    public let fund: String?
    public let debitFen: Int64
    public let creditFen: Int64
    public let direction: String
    public let balanceFen: Int64

    public init(_ row: AccountLedgerRow) {
        kind = row.kind.rawValue
        date = row.date?.iso
        voucher = row.ref.map { "\($0.period.iso) \($0.label)" }
        memo = row.memo
        fund = row.fund?.rawValue
        debitFen = row.debit.fen
        creditFen = row.credit.fen
        direction = row.direction
        balanceFen = row.balance.fen
    }
}
