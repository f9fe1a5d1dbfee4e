/// The voucher invariants (ARCHITECTURE.md, invariants 1–3), as one ordered list of small
/// checks. Each throws the first rejection it finds; `validate` runs them in order. The store
/// runs the same function inside its write transaction and `verify` runs it again on what it
/// reads back.
public enum VoucherValidation {
    /// Validates a normal or correcting voucher against the chart.
    public static func validate(_ draft: VoucherDraft, chart: ChartOfAccounts) throws(Rejection) {
        try checkHeader(draft)
        try checkLineCount(draft)
        // The clearing legs are summed while each line's account is at hand (one chart lookup
        // per line); their check still comes last, so the first rejection stays the same.
        var clearing = ClearingNet()
        for (index, line) in draft.lines.enumerated() {
            let account = try checkLine(line, index: index, chart: chart, allowNegative: false)
            if account.role == .clearing { clearing.add(line.signedAmount) }
        }
        try checkBalancedPerFund(draft)
        try clearing.check()
    }

    /// Validates a red reversal: its lines must be the exact negatives of the original's, on
    /// the same accounts, funds and sides, in the same order.
    public static func validateReversal(
        _ reversal: VoucherDraft, of original: VoucherDraft, chart: ChartOfAccounts
    ) throws(Rejection) {
        try checkHeader(reversal)
        try checkLineCount(reversal)
        guard reversal.lines.count == original.lines.count else {
            throw Rejection(.reversalMismatch, "红字冲销凭证应有 \(original.lines.count) 行，与原凭证一致")
        }
        var clearing = ClearingNet()
        for (index, (red, blue)) in zip(reversal.lines, original.lines).enumerated() {
            let account = try checkLine(red, index: index, chart: chart, allowNegative: true)
            if account.role == .clearing { clearing.add(red.signedAmount) }
            let mirrors = red.account == blue.account && red.fund == blue.fund && red.side == blue.side
                && red.amount.fen == -blue.amount.fen && blue.amount.fen > 0
            guard mirrors else {
                throw Rejection(
                    .reversalMismatch, line: index,
                    "第 \(index + 1) 行不是原凭证对应行的红字（科目、资金来源、方向相同，金额取负）")
            }
        }
        try checkBalancedPerFund(reversal)
        try clearing.check()
    }

    public static func checkHeader(_ draft: VoucherDraft) throws(Rejection) {
        if draft.preparer.isBlankFast {
            throw Rejection(.preparerMissing, field: "preparer", "凭证缺少制单人")
        }
        try checkNameLength("preparer", draft.preparer)
        try checkNameLength("reviewer", draft.reviewer)
        try checkNameLength("poster", draft.poster)
        try checkNameLength("counterparty", draft.counterparty)
        // V030: the text hashed is the text stored and shown (TextFields.swift).
        try TextField.validate(draft.preparer, field: "preparer")
        try TextField.validate(draft.reviewer, field: "reviewer")
        try TextField.validate(draft.poster, field: "poster")
        try TextField.validate(draft.counterparty, field: "counterparty")
        if let sourceRef = draft.sourceRef { try TextField.validate(sourceRef, field: "sourceRef") }
        guard (0...Limits.attachmentsPerVoucherMax).contains(draft.attachments) else {
            throw Rejection(
                .attachmentsOutOfRange, field: "attachments",
                "附单据张数 \(draft.attachments) 超出范围（0–\(Limits.attachmentsPerVoucherMax)）")
        }
    }

    static func checkNameLength(_ name: String, _ value: String) throws(Rejection) {
        if exceeds(value, characters: Limits.nameLengthMax) {
            throw Rejection(.fieldTooLong, field: name, "\(name) 超过 \(Limits.nameLengthMax) 个字符")
        }
    }

    /// `text.count > limit`, without counting characters (which walks grapheme clusters) when
    /// the UTF-8 length already settles it: a character takes at least one byte.
    static func exceeds(_ text: String, characters limit: Int) -> Bool {
        text.utf8.count > limit && text.count > limit
    }

    static func checkLineCount(_ draft: VoucherDraft) throws(Rejection) {
        if draft.lines.isEmpty { throw Rejection(.voucherNoLines, field: "lines", "凭证没有分录") }
        if draft.lines.count == 1 {
            throw Rejection(.voucherSingleLine, field: "lines", "凭证只有一行分录，有借必有贷")
        }
        if draft.lines.count > Limits.linesPerVoucherMax {
            throw Rejection(
                .voucherTooManyLines, field: "lines",
                "凭证有 \(draft.lines.count) 行分录，超过上限 \(Limits.linesPerVoucherMax)")
        }
    }

    /// Checks one line and returns its account.
    static func checkLine(
        _ line: VoucherLine, index: Int, chart: ChartOfAccounts, allowNegative: Bool
    ) throws(Rejection) -> Account {
        let number = index + 1
        let memo = line.memo.trimmingSpacesFast
        if memo.isEmpty { throw Rejection(.memoEmpty, field: "memo", line: index, "第 \(number) 行缺少摘要") }
        try TextField.validate(line.memo, field: "memo", allowTab: true, line: index)
        if exceeds(memo, characters: Limits.memoLengthMax) {
            throw Rejection(.memoTooLong, field: "memo", line: index, "第 \(number) 行摘要超过 \(Limits.memoLengthMax) 个字符")
        }
        guard let account = chart[line.account] else {
            throw Rejection(.accountUnknown, field: "account", line: index, "第 \(number) 行科目编码 \(line.account) 不存在")
        }
        guard account.isLeaf else {
            throw Rejection(
                .accountNotLeaf, field: "account", line: index,
                "第 \(number) 行科目 \(account.code) \(account.name) 不是末级科目，只有末级科目可以记账")
        }
        guard account.accepts(line.fund) else {
            let allowed = account.funds.map(\.chineseName).joined(separator: "、")
            throw Rejection(
                .accountFundRestricted, field: "fund", line: index,
                "第 \(number) 行科目 \(account.code) \(account.name) 只用于\(allowed)，不能记入\(line.fund.chineseName)")
        }
        if line.amount.isZero {
            throw Rejection(.amountZero, field: "amount", line: index, "第 \(number) 行金额为零")
        }
        if line.amount.isNegative && !allowNegative {
            throw Rejection(
                .redLinesOutsideReversal, field: "amount", line: index,
                "第 \(number) 行金额为负：红字金额只能由冲销（voucher reverse）生成")
        }
        guard line.amount.fen >= -Limits.lineAmountFenMax, line.amount.fen <= Limits.lineAmountFenMax else {
            throw Rejection(
                .amountTooLarge, field: "amount", line: index,
                "第 \(number) 行金额 \(line.amount.plainString) 超过单行上限 \(Money(fen: Limits.lineAmountFenMax).plainString)")
        }
        return account
    }

    /// Invariant 2: every fund's book balances on its own.
    static func checkBalancedPerFund(_ draft: VoucherDraft) throws(Rejection) {
        var debit = PerFund<Money>(.zero)
        var credit = PerFund<Money>(.zero)
        for line in draft.lines {
            if line.side == .debit {
                debit[line.fund] = try debit[line.fund].adding(line.amount)
            } else {
                credit[line.fund] = try credit[line.fund].adding(line.amount)
            }
        }
        for fund in Fund.allCases {
            let d = debit[fund]
            let c = credit[fund]
            if d != c {
                throw Rejection(
                    .fundUnbalanced, field: "lines",
                    "\(fund.chineseName)借贷不平衡：借方 \(d.plainString)，贷方 \(c.plainString)，差额 \((try d.subtracting(c)).plainString)")
            }
        }
    }

    /// Invariant 2, second half: money moves between funds only through the clearing account,
    /// and the clearing legs of one voucher net to zero across funds. The legs are added up as
    /// the lines are checked; an overflow while adding is reported here, in the same order.
    struct ClearingNet {
        var net = Money.zero
        var touched = false
        var overflowed = false

        mutating func add(_ amount: Money) {
            touched = true
            if overflowed { return }
            do { net = try net.adding(amount) } catch { overflowed = true }
        }

        func check() throws(Rejection) {
            guard touched else { return }
            if overflowed { throw Money.overflowRejection }
            if !net.isZero {
                throw Rejection(
                    .clearingNotNetted, field: "lines",
                    "内部往来各资金之间未对冲为零（净额 \(net.plainString)）：资金之间划转须在两个资金账中各记一笔")
            }
        }
    }
}

/// One value per fund, held inline: a voucher is checked twice on every post, and three
/// stored values cost nothing next to allocating a dictionary each time.
public struct PerFund<Value> {
    private var subsidy: Value
    private var enterprise: Value
    private var selfRaised: Value

    public init(_ initial: Value) {
        subsidy = initial
        enterprise = initial
        selfRaised = initial
    }

    public subscript(fund: Fund) -> Value {
        get {
            switch fund {
            case .subsidy: return subsidy
            case .enterprise: return enterprise
            case .selfRaised: return selfRaised
            }
        }
        set {
            switch fund {
            case .subsidy: subsidy = newValue
            case .enterprise: enterprise = newValue
            case .selfRaised: selfRaised = newValue
            }
        }
    }
}

extension VoucherDraft {
    /// The red reversal (红字冲销) of `original`: same accounts, funds and sides, amounts
    /// negated, memo "注销 2025年11月3日 记-0003 号凭证".
    /// When a red reversal may be dated (会计基础工作规范 第五十一条): in the accounting year of
    /// the voucher it cancels — an error found in a closed earlier year is corrected with a blue
    /// correcting voucher in the current year, not by reversing the old one — and not before the
    /// voucher it cancels. Checked when a reversal is posted; reversals already in the books
    /// stay as they are.
    public static func checkReversalDate(_ date: CalendarDate, of original: PostedVoucher) throws(Rejection) {
        let posted = original.draft.date
        if date < posted {
            throw Rejection(
                .reversalBeforeOriginal, field: "date",
                "冲销日期 \(date.iso) 早于被冲销凭证 \(original.ref.period.iso) \(original.ref.label) 的日期 \(posted.iso)：红字冲销不能早于原凭证")
        }
        if date.year != posted.year {
            throw Rejection(
                .reversalAcrossYears, field: "date",
                "\(original.ref.period.iso) \(original.ref.label) 属于 \(posted.year) 年度，不能在 \(date.year) 年用红字冲销："
                    + "按《会计基础工作规范》第五十一条，发现以前年度记账凭证有错误的，应当用蓝字填制一张更正的记账凭证"
                    + "（摘要写明“更正 \(posted.chinese) \(original.ref.label) 号凭证”），不冲销原凭证")
        }
    }

    public static func redReversal(
        of original: PostedVoucher, date: CalendarDate, preparer: String, reviewer: String = "", poster: String = "", reason: String
    ) -> VoucherDraft {
        let memo = "注销 \(original.draft.date.chinese) \(original.ref.label) 号凭证"
        let lines = original.draft.lines.map {
            VoucherLine(memo: memo, account: $0.account, fund: $0.fund, side: $0.side, amount: $0.amount.negated, invoice: nil)
        }
        return VoucherDraft(
            studio: original.draft.studio, date: date, voucherClass: original.ref.voucherClass, lines: lines,
            attachments: 0, settlement: original.draft.settlement, counterparty: original.draft.counterparty,
            preparer: preparer, reviewer: reviewer, poster: poster, sourceRef: "冲销原因：" + reason)
    }
}
