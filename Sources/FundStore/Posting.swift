import FundCore
internal import GRDB

/// The state one write transaction keeps per studio while it posts vouchers: numbering
/// counters, the chain head and the period book, read once and advanced in memory.
final class PostingSession {
    /// A class, so advancing counters mutates in place instead of copying the dictionary.
    final class StudioState {
        let id: Int64
        let studio: Studio
        var headSequence: Int
        var headHash: String
        let periods: PeriodBook
        var nextNumber: [String: Int] = [:]

        init(id: Int64, studio: Studio, headSequence: Int, headHash: String, periods: PeriodBook) {
            self.id = id
            self.studio = studio
            self.headSequence = headSequence
            self.headHash = headHash
            self.periods = periods
        }
    }

    struct BalanceKey: Hashable {
        let studioID: Int64
        let fund: Fund
        let account: String
        let period: Int
    }

    let db: Database
    let chart: ChartOfAccounts
    let stamp: Stamp
    var studios: [String: StudioState] = [:]
    var balanceDelta: [BalanceKey: (debit: Int64, credit: Int64)] = [:]
    var posted: [PostedVoucher] = []

    init(db: Database, stamp: Stamp) throws {
        self.db = db
        self.stamp = stamp
        self.chart = try LedgerStore.loadChart(db)
    }

    func loadState(for code: String) throws {
        if studios[code] != nil { return }
        let (id, studio) = try LedgerStore.studioRow(db, code: code)
        let head = try Row.fetchOne(
            db, sql: "SELECT seq, hash FROM voucher WHERE studio_id = ? ORDER BY seq DESC LIMIT 1", arguments: [id])
        let state = StudioState(
            id: id, studio: studio, headSequence: head?["seq"] ?? 0, headHash: head?["hash"] ?? Canonical.genesis,
            periods: try LedgerStore.periodBook(db, studioID: id))
        studios[code] = state
    }

    /// Validates and appends one voucher. `original` is the voucher a red reversal reverses.
    @discardableResult
    func post(_ draft: VoucherDraft, kind: VoucherKind, original: (id: Int64, voucher: PostedVoucher)? = nil) throws -> PostedVoucher {
        try loadState(for: draft.studio)
        let state = studios[draft.studio]!
        if case .reversal = kind {
            precondition(original != nil, "a reversal names its original")
            try VoucherValidation.validateReversal(draft, of: original!.voucher.draft, chart: chart)
        } else {
            try VoucherValidation.validate(draft, chart: chart)
        }
        let period = draft.period
        guard state.periods.isOpen(period) else {
            throw Rejection(
                .periodClosed, field: "date",
                "\(period.chinese) 已结账，不能再记账（如确需补记，请先反结账并说明原因）")
        }
        let counterKey = "\(period.key)\(draft.voucherClass.rawValue)"
        let number: Int
        if let next = state.nextNumber[counterKey] {
            number = next
        } else {
            let last = try Int.fetchOne(
                db, sql: "SELECT max(number) FROM voucher WHERE studio_id = ? AND period = ? AND class = ?",
                arguments: [state.id, period.key, draft.voucherClass.rawValue]) ?? 0
            number = last + 1
        }
        guard number <= Limits.vouchersPerMonthMax else {
            throw Rejection(.voucherNumberingFull, "\(period.chinese) \(draft.voucherClass.rawValue) 字凭证编号已满")
        }
        let ref = VoucherRef(studio: draft.studio, period: period, voucherClass: draft.voucherClass, number: number)
        let sequence = state.headSequence + 1
        let text = Canonical.voucherText(
            ref: ref, draft: draft, kind: kind, postedBy: stamp.user, postedAt: stamp.at, sequence: sequence,
            previousHash: state.headHash)
        let hash = LedgerStore.sha256Hex(text)
        let previous = state.headHash
        let voucherID = try insert(
            draft, ref: ref, kind: kind, linkID: try linkID(kind, original: original),
            studioID: state.id, sequence: sequence, previous: previous, hash: hash)
        try insertLines(draft, voucherID: voucherID, studioID: state.id, period: period.key)
        state.nextNumber[counterKey] = number + 1
        state.headSequence = sequence
        state.headHash = hash
        let voucher = PostedVoucher(
            ref: ref, draft: draft, kind: kind, postedBy: stamp.user, postedAt: stamp.at, sequence: sequence,
            previousHash: previous, hash: hash)
        posted.append(voucher)
        return voucher
    }

    private func linkID(_ kind: VoucherKind, original: (id: Int64, voucher: PostedVoucher)?) throws -> Int64? {
        switch kind {
        case .normal: return nil
        case .reversal, .correction:
            if let original { return original.id }
            return try LedgerStore.voucherID(db, ref: kind.link!)
        }
    }

    private func insert(
        _ draft: VoucherDraft, ref: VoucherRef, kind: VoucherKind, linkID: Int64?, studioID: Int64,
        sequence: Int, previous: String, hash: String
    ) throws -> Int64 {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO voucher (studio_id, seq, period, class, number, date, kind, link_id, attachments,
                    settlement, counterparty, preparer, reviewer, poster, source_ref, posted_by, posted_at,
                    prev_hash, hash)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
        try statement.execute(arguments: [
            studioID, sequence, ref.period.key, ref.voucherClass.rawValue, ref.number, draft.date.iso, kind.code,
            linkID, draft.attachments, draft.settlement?.rawValue, draft.counterparty, draft.preparer,
            draft.reviewer, draft.poster, draft.sourceRef, stamp.user, stamp.at, previous, hash,
        ])
        return db.lastInsertedRowID
    }

    private func insertLines(_ draft: VoucherDraft, voucherID: Int64, studioID: Int64, period: Int) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO posting (voucher_id, line_no, studio_id, period, account, fund, side, amount_fen,
                    memo, invoice_code, invoice_number)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)
                """)
        var fundNet: [Fund: Int64] = [:]
        for (index, line) in draft.lines.enumerated() {
            try statement.execute(arguments: [
                voucherID, index + 1, studioID, period, line.account, line.fund.rawValue, line.side.rawValue,
                line.amount.fen, line.memo, line.invoice?.code, line.invoice?.number,
            ])
            let key = BalanceKey(studioID: studioID, fund: line.fund, account: line.account, period: period)
            var delta = balanceDelta[key] ?? (0, 0)
            if line.side == .debit {
                delta.debit = try Money(fen: delta.debit).adding(line.amount).fen
            } else {
                delta.credit = try Money(fen: delta.credit).adding(line.amount).fen
            }
            balanceDelta[key] = delta
            fundNet[line.fund, default: 0] += line.signedAmount.fen
        }
        // Invariant 2, checked a second time on what is being written.
        precondition(fundNet.values.allSatisfy { $0 == 0 }, "a validated voucher must balance per fund")
    }

    /// Adds this session's turnover to the materialised month balances.
    func flush() throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO month_balance (studio_id, fund, account, period, debit_fen, credit_fen)
                VALUES (?,?,?,?,?,?)
                ON CONFLICT (studio_id, fund, account, period) DO UPDATE SET
                    debit_fen = debit_fen + excluded.debit_fen,
                    credit_fen = credit_fen + excluded.credit_fen
                """)
        for (key, delta) in balanceDelta {
            try statement.execute(arguments: [key.studioID, key.fund.rawValue, key.account, key.period, delta.debit, delta.credit])
        }
        balanceDelta = [:]
    }
}
