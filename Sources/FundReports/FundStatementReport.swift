import FundCore

/// 专项资金收支情况表: for each fund, what was received (by source and date), what was spent on
/// each spending line against the studio's budget for it (资金使用计划), the balance, 资金到位率
/// and 预算执行率. Red reversals count with their sign, so the figures agree with the books.
public struct FundStatement: Sendable, Codable, Hashable {
    public struct Receipt: Sendable, Codable, Hashable {
        public let date: CalendarDate
        public let voucher: String
        public let source: String
        public let memo: String
        public let amountFen: Money
    }

    public struct SpendingLine: Sendable, Codable, Hashable {
        public let category: SpendingCategory
        public let categoryName: String
        public let eligibility: Eligibility
        /// nil: no budget line recorded for this fund and category.
        public let budgetFen: Money?
        public let spentFen: Money
        /// spent / budget.
        public let executionOfBudget: Percent?
        /// budget − spent (negative: over budget).
        public let remainingFen: Money?
    }

    public struct FundPart: Sendable, Codable, Hashable {
        public let fund: Fund
        /// Subsidy: the approved amount; other funds: the sum of their budget lines (nil if none).
        public let plannedFen: Money?
        public let receivedFen: Money
        public let receipts: [Receipt]
        public let lines: [SpendingLine]
        public let budgetTotalFen: Money
        public let spentFen: Money
        /// received − spent.
        public let balanceFen: Money
        /// 资金到位率 = received / planned.
        public let arrivalRate: Percent?
        /// 预算执行率 = spent / received (财预〔2020〕10号).
        public let executionRate: Percent?
    }

    public let studio: String
    public let from: Period
    public let to: Period
    public let approvedSubsidyFen: Money
    public let funds: [FundPart]
    public let receivedFen: Money
    public let spentFen: Money
    public let balanceFen: Money
}

public enum FundStatementReport {
    /// `vouchers`: the studio's posted vouchers (reversals included); `turnovers`: its month
    /// turnovers through `header.to`, used to cross-check the spending against the ledger.
    public static func build(
        _ header: ReportHeader, vouchers: [PostedVoucher], turnovers: [MonthTurnover], budget: [BudgetLine], policy: Policy
    ) throws -> BuiltReport<FundStatement> {
        let chart = header.chart
        var parts: [FundStatement.FundPart] = []
        for fund in header.funds {
            var receipts: [FundStatement.Receipt] = []
            var spent: [SpendingCategory: Money] = [:]
            for voucher in vouchers where voucher.ref.period >= header.from && voucher.ref.period <= header.to {
                for line in voucher.draft.lines where line.fund == fund {
                    guard let account = chart[line.account] else { continue }
                    if account.role == .fundReceipts {
                        receipts.append(.init(
                            date: voucher.draft.date, voucher: "\(voucher.ref.period.iso) \(voucher.ref.label)",
                            source: voucher.draft.counterparty, memo: line.memo, amountFen: line.signedAmount.negated))
                    } else if let category = account.category {
                        spent[category] = try (spent[category] ?? .zero).adding(line.signedAmount)
                    }
                }
            }
            let budgets = Dictionary(budget.filter { $0.fund == fund }.map { ($0.category, $0.amount) }, uniquingKeysWith: { $1 })
            var lines: [FundStatement.SpendingLine] = []
            for category in SpendingCategory.allCases where spent[category] != nil || budgets[category] != nil {
                let amount = spent[category] ?? .zero
                let planned = budgets[category]
                lines.append(.init(
                    category: category, categoryName: category.chineseName, eligibility: policy.eligibility(of: category, for: fund),
                    budgetFen: planned, spentFen: amount, executionOfBudget: planned.flatMap { Percent.ratio(amount, $0) },
                    remainingFen: try planned.map { try $0.subtracting(amount) }))
            }
            let received = try sum(receipts.map(\.amountFen))
            let spentTotal = try sum(lines.map(\.spentFen))
            // Cross-check the spending against the ledger's month balances.
            var ledgerSpent = Money.zero
            for turnover in turnovers where turnover.fund == fund && turnover.period >= header.from && turnover.period <= header.to {
                if chart[turnover.account]?.category != nil {
                    ledgerSpent = try ledgerSpent.adding(turnover.debit).subtracting(turnover.credit)
                }
            }
            guard ledgerSpent == spentTotal else {
                throw ReportInconsistency(
                    report: "专项资金收支情况表", detail: "\(fund.chineseName) 支出 \(spentTotal.plainString) 与账簿 \(ledgerSpent.plainString) 不符")
            }
            let budgetTotal = try sum(budgets.values)
            let planned: Money? = fund == .subsidy ? header.studio.approvedSubsidy : (budgets.isEmpty ? nil : budgetTotal)
            parts.append(.init(
                fund: fund, plannedFen: planned, receivedFen: received, receipts: receipts, lines: lines, budgetTotalFen: budgetTotal,
                spentFen: spentTotal, balanceFen: try received.subtracting(spentTotal),
                arrivalRate: planned.flatMap { Percent.ratio(received, $0) }, executionRate: Percent.ratio(spentTotal, received)))
        }
        let received = try sum(parts.map(\.receivedFen))
        let spent = try sum(parts.map(\.spentFen))
        let value = FundStatement(
            studio: header.studio.code, from: header.from, to: header.to, approvedSubsidyFen: header.studio.approvedSubsidy,
            funds: parts, receivedFen: received, spentFen: spent, balanceFen: try received.subtracting(spent))
        let document = ReportDocument(
            kind: .fundStatement, title: ReportKind.fundStatement.chineseTitle,
            titleBlock: header.titleBlock(extra: [LabeledValue("核定补助资金", header.studio.approvedSubsidy.groupedString + " 元")]),
            sections: [summarySection(value)] + parts.map(fundSection), signatures: header.statementSignatures,
            orientation: .landscape, fileStem: header.fileStem(.fundStatement))
        return BuiltReport(value: value, document: document)
    }

    static func rate(_ percent: Percent?) -> Cell { percent.map { .percent($0) } ?? .text("—") }

    static func summarySection(_ value: FundStatement) -> DocumentSection {
        var rows = value.funds.map { part in
            Row(.body, [
                .text(part.fund.chineseName), Cell.amount(part.plannedFen), .money(part.receivedFen), rate(part.arrivalRate),
                .money(part.spentFen), rate(part.executionRate), .money(part.balanceFen),
            ])
        }
        let all = Array(rows.indices)
        let planned = value.funds.compactMap(\.plannedFen)
        let plannedTotal = try? sum(planned)
        rows.append(Row(.total, [
            .text("合计"), plannedTotal.map { .moneySum($0, rows: all) } ?? .empty, .moneySum(value.receivedFen, rows: all),
            .text(""), .moneySum(value.spentFen, rows: all), rate(Percent.ratio(value.spentFen, value.receivedFen)),
            .moneySum(value.balanceFen, rows: all),
        ]))
        return DocumentSection(heading: "一、资金收支总体情况", blocks: [
            .table(DocumentTable(
                name: "总体情况",
                columns: [
                    Column("资金来源", .text, width: 14), Column("计划（核定）金额", .money, width: 16), Column("实际到位", .money, width: 16),
                    Column("资金到位率", .percent, width: 11), Column("实际支出", .money, width: 16), Column("预算执行率", .percent, width: 11),
                    Column("结余", .money, width: 16),
                ],
                rows: rows)),
            .paragraph("说明：补助资金的计划金额为核定补助额，企业支持资金和自筹资金为资金使用计划合计；资金到位率 = 实际到位 ÷ 计划金额，预算执行率 = 实际支出 ÷ 实际到位；红字冲销凭证按负数计入。"),
        ])
    }

    static func fundSection(_ part: FundStatement.FundPart) -> DocumentSection {
        var receiptRows = part.receipts.map { receipt in
            Row(.body, [.date(receipt.date), .text(receipt.voucher), .text(receipt.source), .text(receipt.memo), .money(receipt.amountFen)])
        }
        receiptRows.append(Row(.total, [.empty, .empty, .empty, .text("到位合计"), .moneySum(part.receivedFen, rows: Array(receiptRows.indices))]))
        var lineRows = part.lines.map { line in
            Row(.body, [
                .text(line.categoryName), .text(line.eligibility.chineseName), Cell.amount(line.budgetFen), .money(line.spentFen),
                rate(line.executionOfBudget), Cell.amount(line.remainingFen),
            ])
        }
        let all = Array(lineRows.indices)
        let budgeted = all.filter { part.lines[$0].budgetFen != nil }
        lineRows.append(Row(.total, [
            .text("支出合计"), .empty, .moneySum(part.budgetTotalFen, rows: budgeted), .moneySum(part.spentFen, rows: all),
            rate(Percent.ratio(part.spentFen, part.budgetTotalFen)), .empty,
        ]))
        let name = part.fund.chineseName
        return DocumentSection(heading: "\(name)收支情况", blocks: [
            .facts([
                Fact("计划（核定）金额", Cell.amount(part.plannedFen)), Fact("实际到位", .money(part.receivedFen)),
                Fact("资金到位率", rate(part.arrivalRate)), Fact("实际支出", .money(part.spentFen)),
                Fact("预算执行率", rate(part.executionRate)), Fact("结余", .money(part.balanceFen)),
            ]),
            .table(DocumentTable(
                name: "\(name)到位", caption: "资金到位明细",
                columns: [
                    Column("到账日期", .date, width: 11), Column("凭证", .code, width: 16), Column("拨付单位", .text, width: 24),
                    Column("摘要", .text, width: 28), Column("金额", .money, width: 16),
                ],
                rows: receiptRows)),
            .table(DocumentTable(
                name: "\(name)支出", caption: "按支出类别的使用情况（对照资金使用计划）",
                columns: [
                    Column("支出类别", .text, width: 16), Column("政策属性", .text, width: 8), Column("预算金额", .money, width: 16),
                    Column("实际支出", .money, width: 16), Column("执行率", .percent, width: 10), Column("预算结余", .money, width: 16),
                ],
                rows: lineRows)),
        ], startsNewPage: true)
    }
}

/// 支出明细表: every line on a spending account, with its voucher, counterparty, invoice,
/// attachments, category and the category's eligibility for the line's fund.
public struct ExpenseDetail: Sendable, Codable, Hashable {
    public struct Line: Sendable, Codable, Hashable {
        public let date: CalendarDate
        public let voucher: String
        public let line: Int
        public let fund: Fund
        public let account: String
        public let category: SpendingCategory
        public let eligibility: Eligibility
        public let memo: String
        public let counterparty: String
        public let invoice: String?
        public let attachments: Int
        /// Debit-positive: credits and red reversals reduce spending.
        public let amountFen: Money
        public let note: String
    }

    public let studio: String
    public let from: Period
    public let to: Period
    public let lines: [Line]
    public let totalsFen: [String: Money]
    public let totalFen: Money
}

public enum ExpenseDetailReport {
    public static func build(_ header: ReportHeader, vouchers: [PostedVoucher], policy: Policy) throws -> BuiltReport<ExpenseDetail> {
        let funds = Set(header.funds)
        var lines: [ExpenseDetail.Line] = []
        for voucher in vouchers where voucher.ref.period >= header.from && voucher.ref.period <= header.to {
            let note: String = switch voucher.kind {
            case .normal: ""
            case .reversal(let original): "冲销 \(original.period.iso) \(original.label)"
            case .correction(let original): "订正 \(original.period.iso) \(original.label)"
            }
            for (index, line) in voucher.draft.lines.enumerated() where funds.contains(line.fund) {
                guard let category = header.chart[line.account]?.category else { continue }
                lines.append(.init(
                    date: voucher.draft.date, voucher: voucher.ref.label, line: index + 1, fund: line.fund, account: line.account,
                    category: category, eligibility: policy.eligibility(of: category, for: line.fund), memo: line.memo,
                    counterparty: voucher.draft.counterparty, invoice: line.invoice?.description, attachments: voucher.draft.attachments,
                    amountFen: line.signedAmount, note: note))
            }
        }
        var totals: [String: Money] = [:]
        var sections: [DocumentSection] = []
        for fund in header.funds {
            let own = lines.filter { $0.fund == fund }
            let total = try sum(own.map(\.amountFen))
            totals[fund.rawValue] = total
            guard !own.isEmpty else { continue }
            var rows = own.map { line in
                Row(.body, [
                    .date(line.date), .text(line.voucher), .text(line.memo), .text(line.category.chineseName),
                    .text(line.eligibility.chineseName), .text(line.counterparty), line.invoice.map { .text($0) } ?? .empty,
                    .count(line.attachments), .money(line.amountFen), .text(line.note),
                ])
            }
            rows.append(Row(.total, [
                .empty, .empty, .text("\(fund.chineseName)支出合计"), .empty, .empty, .empty, .empty, .empty,
                .moneySum(total, rows: Array(rows.indices)), .empty,
            ]))
            sections.append(DocumentSection(heading: "\(fund.chineseName)支出", blocks: [
                .table(DocumentTable(
                    name: fund.chineseName,
                    columns: [
                        Column("日期", .date, width: 11), Column("凭证字号", .code, width: 9), Column("摘要", .text, width: 26),
                        Column("支出类别", .text, width: 14), Column("政策属性", .text, width: 8), Column("往来单位", .text, width: 20),
                        Column("发票", .code, width: 22), Column("附件", .count, width: 5), Column("金额", .money, width: 14),
                        Column("备注", .text, width: 16),
                    ],
                    rows: rows)),
            ], startsNewPage: !sections.isEmpty))
        }
        let total = try sum(lines.map(\.amountFen))
        let value = ExpenseDetail(studio: header.studio.code, from: header.from, to: header.to, lines: lines, totalsFen: totals, totalFen: total)
        let document = ReportDocument(
            kind: .expenseDetail, title: ReportKind.expenseDetail.chineseTitle, titleBlock: header.titleBlock(),
            sections: sections.isEmpty ? [DocumentSection(heading: nil, blocks: [.paragraph("本期间没有支出。")])] : sections,
            signatures: header.statementSignatures, orientation: .landscape, fileStem: header.fileStem(.expenseDetail))
        return BuiltReport(value: value, document: document)
    }
}
