import FundCore

// The books themselves: 总账, 明细账 and 序时账, laid out as Chinese account books are.

/// 总账: for each first-level account, the opening balance and, for each month with movement,
/// 本月合计 and 本年累计 with the balance and its direction.
public struct GeneralLedgerStatement: Sendable, Codable, Hashable {
    public struct Month: Sendable, Codable, Hashable {
        public let period: Period
        public let debitFen: Money
        public let creditFen: Money
        public let yearDebitFen: Money
        public let yearCreditFen: Money
        /// Debit-positive balance at the month's end.
        public let balanceFen: Money
        public let direction: BalanceDirection
    }

    public struct Account: Sendable, Codable, Hashable {
        public let code: String
        public let name: String
        public let openingFen: Money
        public let months: [Month]
        public let closingFen: Money
    }

    public let studio: String
    public let fund: Fund?
    public let from: Period
    public let to: Period
    public let accounts: [Account]
}

public enum GeneralLedgerReport {
    /// `turnovers`: the month turnovers of the funds in `header` for every month up to
    /// `header.to` (earlier months make the opening balance).
    public static func build(_ header: ReportHeader, turnovers: [MonthTurnover]) throws -> BuiltReport<GeneralLedgerStatement> {
        let funds = Set(header.funds)
        var byAccount: [String: [MonthTurnover]] = [:]
        for turnover in turnovers where funds.contains(turnover.fund) && turnover.period <= header.to {
            byAccount[String(turnover.account.prefix(4)), default: []].append(turnover)
        }
        var accounts: [GeneralLedgerStatement.Account] = []
        for code in byAccount.keys.sorted() {
            let rows = byAccount[code]!
            var opening = Money.zero
            var yearBefore = (debit: Money.zero, credit: Money.zero)
            var perMonth: [Period: (debit: Money, credit: Money)] = [:]
            for row in rows {
                if row.period < header.from {
                    opening = try opening.adding(row.debit).subtracting(row.credit)
                    if row.period.year == header.from.year {
                        yearBefore = (try yearBefore.debit.adding(row.debit), try yearBefore.credit.adding(row.credit))
                    }
                } else {
                    let current = perMonth[row.period] ?? (.zero, .zero)
                    perMonth[row.period] = (try current.debit.adding(row.debit), try current.credit.adding(row.credit))
                }
            }
            var balance = opening
            var year = yearBefore
            var yearOf = header.from.year
            var months: [GeneralLedgerStatement.Month] = []
            for period in perMonth.keys.sorted() {
                let movement = perMonth[period]!
                if period.year != yearOf {
                    year = (.zero, .zero)
                    yearOf = period.year
                }
                year = (try year.debit.adding(movement.debit), try year.credit.adding(movement.credit))
                balance = try balance.adding(movement.debit).subtracting(movement.credit)
                months.append(.init(
                    period: period, debitFen: movement.debit, creditFen: movement.credit, yearDebitFen: year.debit,
                    yearCreditFen: year.credit, balanceFen: balance, direction: BalanceDirection(balance: balance)))
            }
            if opening.isZero && months.isEmpty { continue }
            accounts.append(.init(
                code: code, name: header.chart[code]?.name ?? "（未知科目）", openingFen: opening, months: months, closingFen: balance))
        }
        // Cross-check: first-level closing balances of a self-balancing book net to zero.
        let net = try sum(accounts.map(\.closingFen))
        guard net.isZero else {
            throw ReportInconsistency(report: "总账", detail: "一级科目期末余额合计不为零（\(net.plainString)）")
        }
        let value = GeneralLedgerStatement(studio: header.studio.code, fund: header.fund, from: header.from, to: header.to, accounts: accounts)
        let tables = accounts.map { account -> Block in
            var rows = [Row(.body, [
                .date(header.from.firstDay), .text("期初余额"), .empty, .empty,
                .direction(BalanceDirection(balance: account.openingFen)), .money(account.openingFen.magnitude),
            ])]
            for month in account.months {
                rows.append(Row(.subtotal, [
                    .date(month.period.lastDay), .text("本月合计"), .money(month.debitFen), .money(month.creditFen),
                    .direction(month.direction), .money(month.balanceFen.magnitude),
                ]))
                rows.append(Row(.cumulative, [
                    .date(month.period.lastDay), .text("本年累计"), .money(month.yearDebitFen), .money(month.yearCreditFen),
                    .direction(month.direction), .money(month.balanceFen.magnitude),
                ]))
            }
            return .table(DocumentTable(
                name: "\(account.code) \(account.name)", caption: "会计科目：\(account.code) \(account.name)",
                columns: [
                    Column("日期", .date, width: 11), Column("摘要", .text, width: 20), Column("借方", .money, width: 15),
                    Column("贷方", .money, width: 15), Column("借或贷", .direction, width: 6), Column("余额", .money, width: 15),
                ],
                rows: rows))
        }
        // Without --fund the 总账 adds every fund together: its title says so (the other
        // statements list the funds apart, as the title block's default 资金 line says).
        let combined = header.fund == nil
        let titleBlock = header.titleBlock().map { item in
            combined && item.label == "资金" ? LabeledValue("资金", "全部资金合并") : item
        }
        let document = ReportDocument(
            kind: .generalLedger, title: combined ? "总账（全部资金合并）" : ReportKind.generalLedger.chineseTitle, titleBlock: titleBlock,
            sections: [DocumentSection(heading: nil, blocks: tables.isEmpty ? [.paragraph("本期间没有发生额。")] : tables)],
            signatures: header.statementSignatures, fileStem: header.fileStem(.generalLedger))
        return BuiltReport(value: value, document: document)
    }
}

/// 明细账: for each account, every posting with a running balance, 本月合计 and 本年累计.
public struct SubsidiaryLedgerStatement: Sendable, Codable, Hashable {
    public struct Line: Sendable, Codable, Hashable {
        public let kind: AccountLedgerRow.Kind
        public let date: CalendarDate?
        public let voucher: String?
        public let memo: String
        public let fund: Fund?
        public let debitFen: Money
        public let creditFen: Money
        public let balanceFen: Money
        public let direction: BalanceDirection
    }

    public struct Account: Sendable, Codable, Hashable {
        public let code: String
        public let name: String
        public let lines: [Line]
    }

    public let studio: String
    public let fund: Fund?
    public let from: Period
    public let to: Period
    public let accounts: [Account]
    /// With exactly one account: that account's code, chart name and rows in the
    /// `ledger --format json` shape (so `ledger` can print this statement's JSON). Otherwise nil
    /// (and absent from the JSON).
    public let account: String?
    public let name: String?
    public let rows: [AccountLedgerRowJSON]?
}

public enum SubsidiaryLedgerReport {
    public static func build(_ header: ReportHeader, ledgers: [AccountLedger]) throws -> BuiltReport<SubsidiaryLedgerStatement> {
        var accounts: [SubsidiaryLedgerStatement.Account] = []
        var blocks: [Block] = []
        let showFund = header.fund == nil
        for ledger in ledgers {
            let lines = ledger.rows.map { row in
                SubsidiaryLedgerStatement.Line(
                    kind: row.kind, date: row.date, voucher: row.ref?.label, memo: row.memo, fund: row.fund,
                    debitFen: row.debit, creditFen: row.credit, balanceFen: row.balance,
                    direction: BalanceDirection(balance: row.balance))
            }
            // Cross-check: opening + entries = the balance on the last line.
            var running = ledger.rows.first?.balance ?? .zero
            for row in ledger.rows where row.kind == .entry {
                running = try running.adding(row.debit).subtracting(row.credit)
            }
            guard running == (ledger.rows.last?.balance ?? .zero) else {
                throw ReportInconsistency(report: "明细账", detail: "\(ledger.account.code) 余额与发生额不符")
            }
            let account = SubsidiaryLedgerStatement.Account(code: ledger.account.code, name: header.accountPath(ledger.account.code), lines: lines)
            accounts.append(account)
            blocks.append(.table(table(account, showFund: showFund)))
        }
        let single = ledgers.count == 1 ? ledgers[0] : nil
        let value = SubsidiaryLedgerStatement(
            studio: header.studio.code, fund: header.fund, from: header.from, to: header.to, accounts: accounts,
            account: single?.account.code, name: single?.account.name, rows: single?.rows.map(AccountLedgerRowJSON.init))
        let document = ReportDocument(
            kind: .subsidiaryLedger, title: ReportKind.subsidiaryLedger.chineseTitle, titleBlock: header.titleBlock(),
            sections: [DocumentSection(heading: nil, blocks: blocks.isEmpty ? [.paragraph("本期间没有发生额。")] : blocks)],
            signatures: header.statementSignatures, orientation: .landscape, fileStem: header.fileStem(.subsidiaryLedger))
        return BuiltReport(value: value, document: document)
    }

    static func table(_ account: SubsidiaryLedgerStatement.Account, showFund: Bool) -> DocumentTable {
        var columns = [Column("日期", .date, width: 11), Column("凭证字号", .code, width: 9), Column("摘要", .text, width: 34)]
        if showFund { columns.append(Column("资金", .text, width: 12)) }
        columns += [
            Column("借方", .money, width: 15), Column("贷方", .money, width: 15), Column("借或贷", .direction, width: 6),
            Column("余额", .money, width: 15),
        ]
        var rows: [Row] = []
        var monthStart = 0
        for line in account.lines {
            var cells: [Cell] = [line.date.map { .date($0) } ?? .empty, line.voucher.map { .text($0) } ?? .empty, .text(line.memo)]
            if showFund { cells.append(line.fund.map { .text($0.chineseName) } ?? .empty) }
            switch line.kind {
            case .opening:
                cells += [.empty, .empty, .direction(line.direction), .money(line.balanceFen.magnitude)]
                rows.append(Row(.body, cells))
                monthStart = rows.count
            case .entry:
                cells += [
                    line.debitFen.isZero ? .empty : .money(line.debitFen), line.creditFen.isZero ? .empty : .money(line.creditFen),
                    .direction(line.direction), .money(line.balanceFen.magnitude),
                ]
                rows.append(Row(.body, cells))
            case .monthTotal:
                let entries = Array(monthStart..<rows.count)
                cells += [
                    .moneySum(line.debitFen, rows: entries), .moneySum(line.creditFen, rows: entries), .direction(line.direction),
                    .money(line.balanceFen.magnitude),
                ]
                rows.append(Row(.subtotal, cells))
            case .yearTotal:
                cells += [.money(line.debitFen), .money(line.creditFen), .direction(line.direction), .money(line.balanceFen.magnitude)]
                rows.append(Row(.cumulative, cells))
                monthStart = rows.count
            }
        }
        return DocumentTable(
            name: "\(account.code)", caption: "会计科目：\(account.code) \(account.name)", columns: columns, rows: rows)
    }
}

/// 序时账: every voucher line in book order, with the total of debits and credits.
public struct JournalStatement: Sendable, Codable, Hashable {
    public struct Line: Sendable, Codable, Hashable {
        public let date: CalendarDate
        public let voucher: String
        public let line: Int
        public let memo: String
        public let account: String
        public let accountName: String
        public let fund: Fund
        public let debitFen: Money
        public let creditFen: Money
    }

    public let studio: String
    public let from: Period
    public let to: Period
    public let lines: [Line]
    public let debitTotalFen: Money
    public let creditTotalFen: Money
    /// The vouchers of the range that have a line in the report's funds, whole, in the
    /// `journal --format json` shape.
    public let vouchers: [JournalVoucherJSON]
}

public enum JournalReport {
    public static func build(_ header: ReportHeader, vouchers: [PostedVoucher]) throws -> BuiltReport<JournalStatement> {
        let funds = Set(header.funds)
        var lines: [JournalStatement.Line] = []
        var voucherValues: [JournalVoucherJSON] = []
        for voucher in vouchers where voucher.ref.period >= header.from && voucher.ref.period <= header.to {
            if voucher.draft.lines.contains(where: { funds.contains($0.fund) }) {
                voucherValues.append(JournalVoucherJSON(voucher, chart: header.chart))
            }
            for (index, line) in voucher.draft.lines.enumerated() where funds.contains(line.fund) {
                lines.append(.init(
                    date: voucher.draft.date, voucher: voucher.ref.label, line: index + 1, memo: line.memo, account: line.account,
                    accountName: header.accountPath(line.account), fund: line.fund,
                    debitFen: line.side == .debit ? line.amount : .zero, creditFen: line.side == .credit ? line.amount : .zero))
            }
        }
        let debit = try sum(lines.map(\.debitFen))
        let credit = try sum(lines.map(\.creditFen))
        guard debit == credit else {
            throw ReportInconsistency(report: "序时账", detail: "借方合计 \(debit.plainString) ≠ 贷方合计 \(credit.plainString)")
        }
        let value = JournalStatement(studio: header.studio.code, from: header.from, to: header.to, lines: lines, debitTotalFen: debit, creditTotalFen: credit,
            vouchers: voucherValues)
        var rows = lines.map { line in
            Row(.body, [
                .date(line.date), .text(line.voucher), .text(line.memo), .text(line.account), .text(line.accountName),
                .text(line.fund.chineseName), line.debitFen.isZero ? .empty : .money(line.debitFen),
                line.creditFen.isZero ? .empty : .money(line.creditFen),
            ])
        }
        let all = Array(rows.indices)
        rows.append(Row(.total, [.empty, .empty, .text("合计"), .empty, .empty, .empty, .moneySum(debit, rows: all), .moneySum(credit, rows: all)]))
        let table = DocumentTable(
            name: "序时账",
            columns: [
                Column("日期", .date, width: 11), Column("凭证字号", .code, width: 9), Column("摘要", .text, width: 30),
                Column("科目编码", .code, width: 10), Column("科目名称", .text, width: 26), Column("资金", .text, width: 12),
                Column("借方", .money, width: 15), Column("贷方", .money, width: 15),
            ],
            rows: rows)
        let document = ReportDocument(
            kind: .journal, title: ReportKind.journal.chineseTitle, titleBlock: header.titleBlock(),
            sections: [DocumentSection(heading: nil, blocks: [.table(table)])], signatures: header.statementSignatures,
            orientation: .landscape, fileStem: header.fileStem(.journal))
        return BuiltReport(value: value, document: document)
    }
}
