import FundCore

/// 专项资金收支情况表: for each fund, what was approved, booked and received in cash (by source
/// and date), what was spent on each spending line against the studio's budget for it (资金使用
/// 计划), and how the fund's money moved from its opening to its closing balance — receipts,
/// interest, spending, transfers through 内部往来, repayments of 应退补助资金 — with the closing
/// balance tied to the bank and cash balance of the 科目余额表 (the report refuses to print
/// otherwise). 资金到位率 counts money in the bank, not receipts booked against 应收补助资金;
/// 资金执行率 = spent ÷ received, 预算执行率 = spent ÷ budget (财预〔2020〕10号). Red reversals
/// count with their sign, so the figures agree with the books.
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
        /// What the page says beside the line: forbidden spending is marked.
        public let note: String
    }

    /// One line of the movement of a fund's money (bank and cash) over the period: signed,
    /// money in positive, money out negative.
    public struct Movement: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable {
            case receipt, receivable, interest, spending, transferIn = "transfer-in", transferOut = "transfer-out"
            case repayment, payables = "other-accounts", adjustment
        }

        public let kind: Kind
        public let label: String
        public let amountFen: Money
    }

    public struct FundPart: Sendable, Codable, Hashable {
        public let fund: Fund
        /// Subsidy: the approved amount; other funds: the sum of their budget lines (nil if none).
        public let plannedFen: Money?
        /// Receipts booked to the fund's receipts accounts (400101 …), by source.
        public let bookedFen: Money
        /// Money that reached the fund's bank or cash: booked less what still sits in the fund's
        /// own receivable (应收补助资金).
        public let receivedFen: Money
        /// planned − received, not below 0 (nil without a plan).
        public let outstandingFen: Money?
        public let receipts: [Receipt]
        public let lines: [SpendingLine]
        public let budgetTotalFen: Money
        public let spentFen: Money
        /// The fund's bank and cash at the start of the period.
        public let openingFen: Money
        /// Opening to closing, line by line.
        public let movements: [Movement]
        /// The fund's bank and cash at the end of the period: opening + movements, equal to the
        /// 科目余额表's bank and cash balance of the fund.
        public let balanceFen: Money
        /// 应退补助资金 still owed at the end of the period (credit balance of refund-due accounts).
        public let refundOwedFen: Money
        /// 资金到位率 = received / planned.
        public let arrivalRate: Percent?
        /// 资金执行率 = spent / received.
        public let fundExecutionRate: Percent?
        /// What 预算执行率 divides by: the fund's budget lines, or without any the planned amount.
        public let budgetBasisFen: Money?
        /// 预算执行率 = spent / budget (财预〔2020〕10号: 全年执行数 ÷ 全年预算数).
        public let executionRate: Percent?
    }

    public let studio: String
    public let from: Period
    public let to: Period
    public let approvedSubsidyFen: Money
    public let funds: [FundPart]
    public let bookedFen: Money
    public let receivedFen: Money
    public let spentFen: Money
    public let balanceFen: Money
}

public enum FundStatementReport {
    /// `vouchers`: the studio's posted vouchers (reversals included); `turnovers`: its month
    /// turnovers through `header.to`, used to cross-check spending and the closing balance
    /// against the ledger (the 科目余额表 is built from them).
    public static func build(
        _ header: ReportHeader, vouchers: [PostedVoucher], turnovers: [MonthTurnover], budget: [BudgetLine], policy: Policy
    ) throws -> BuiltReport<FundStatement> {
        let chart = header.chart
        var parts: [FundStatement.FundPart] = []
        for fund in header.funds {
            var receipts: [FundStatement.Receipt] = []
            var spent: [SpendingCategory: Money] = [:]
            var flows: [FundStatement.Movement.Kind: Money] = [:]
            func flow(_ kind: FundStatement.Movement.Kind, _ amount: Money) throws {
                flows[kind] = try (flows[kind] ?? .zero).adding(amount)
            }
            for voucher in vouchers where voucher.ref.period >= header.from && voucher.ref.period <= header.to {
                for line in voucher.draft.lines where line.fund == fund {
                    // Budget accounting (平行记账) restates the same cash; it is its own statement.
                    guard let account = chart[line.account], !account.type.isBudget else { continue }
                    // What the line does to the fund's bank and cash: the other side of it.
                    let effect = line.signedAmount.negated
                    if account.role == .bank || account.role == .cash { continue }
                    if account.role == .fundReceipts {
                        receipts.append(.init(
                            date: voucher.draft.date, voucher: "\(voucher.ref.period.iso) \(voucher.ref.label)",
                            source: voucher.draft.counterparty, memo: line.memo, amountFen: effect))
                    } else if let category = account.category {
                        spent[category] = try (spent[category] ?? .zero).adding(line.signedAmount)
                    } else if account.isReceivable(of: fund) {
                        try flow(.receivable, effect)
                    } else if account.role == .otherIncome {
                        try flow(.interest, effect)
                    } else if account.role == .clearing {
                        try flow(line.signedAmount.fen > 0 ? .transferOut : .transferIn, effect)
                    } else if account.role == .refundDue && line.signedAmount.fen > 0 {
                        try flow(.repayment, effect)
                    } else if account.role == .refundDue || account.role == .fundBalance {
                        try flow(.adjustment, effect)
                    } else {
                        try flow(.payables, effect)
                    }
                }
            }
            let budgets = Dictionary(budget.filter { $0.fund == fund }.map { ($0.category, $0.amount) }, uniquingKeysWith: { $1 })
            var lines: [FundStatement.SpendingLine] = []
            for category in SpendingCategory.allCases where spent[category] != nil || budgets[category] != nil {
                let amount = spent[category] ?? .zero
                let planned = budgets[category]
                let eligibility = policy.eligibility(of: category, for: fund)
                lines.append(.init(
                    category: category, categoryName: category.chineseName, eligibility: eligibility,
                    budgetFen: planned, spentFen: amount, executionOfBudget: planned.flatMap { Percent.ratio(amount, $0) },
                    remainingFen: try planned.map { try $0.subtracting(amount) },
                    note: eligibility == .forbidden && !amount.isZero ? forbiddenNote(fund) : ""))
            }
            let booked = try sum(receipts.map(\.amountFen))
            let received = try booked.adding(flows[.receivable] ?? .zero)
            let spentTotal = try sum(lines.map(\.spentFen))
            // Cross-check the spending against the ledger's month balances, and read the fund's
            // bank and cash (opening, closing) and 应退补助资金 from them as the 科目余额表 does.
            var ledgerSpent = Money.zero
            var opening = Money.zero
            var ledgerClosing = Money.zero
            var refundOwed = Money.zero
            for turnover in turnovers where turnover.fund == fund && turnover.period <= header.to {
                guard let account = chart[turnover.account] else { continue }
                let net = try turnover.debit.subtracting(turnover.credit)
                if account.category != nil && turnover.period >= header.from {
                    ledgerSpent = try ledgerSpent.adding(net)
                }
                if account.role == .bank || account.role == .cash {
                    ledgerClosing = try ledgerClosing.adding(net)
                    if turnover.period < header.from { opening = try opening.adding(net) }
                }
                if account.role == .refundDue { refundOwed = try refundOwed.subtracting(net) }
            }
            guard ledgerSpent == spentTotal else {
                throw ReportInconsistency(
                    report: "专项资金收支情况表", detail: "\(fund.chineseName) 支出 \(spentTotal.plainString) 与账簿 \(ledgerSpent.plainString) 不符")
            }
            var movements: [FundStatement.Movement] = []
            var bySource: [(String, Money)] = []
            for receipt in receipts {
                let source = receipt.source.trimmingSpaces.isEmpty ? "未注明拨付单位" : receipt.source
                if let index = bySource.firstIndex(where: { $0.0 == source }) {
                    bySource[index].1 = try bySource[index].1.adding(receipt.amountFen)
                } else {
                    bySource.append((source, receipt.amountFen))
                }
            }
            for (source, amount) in bySource { movements.append(.init(kind: .receipt, label: "收到\(fund.chineseName)：\(source)", amountFen: amount)) }
            if bySource.isEmpty { movements.append(.init(kind: .receipt, label: "收到\(fund.chineseName)", amountFen: .zero)) }
            if let change = flows[.receivable], !change.isZero {
                movements.append(.init(
                    kind: .receivable, label: change.fen < 0 ? "已入账未到账（应收款项增加）" : "应收款项到账", amountFen: change))
            }
            movements.append(.init(kind: .interest, label: "利息收入", amountFen: flows[.interest] ?? .zero))
            for line in lines where !line.spentFen.isZero {
                movements.append(.init(kind: .spending, label: "支出：\(line.categoryName)", amountFen: line.spentFen.negated))
            }
            movements.append(.init(kind: .transferIn, label: "内部往来转入（自其他资金）", amountFen: flows[.transferIn] ?? .zero))
            movements.append(.init(kind: .transferOut, label: "内部往来转出（至其他资金）", amountFen: flows[.transferOut] ?? .zero))
            if fund == .subsidy || flows[.repayment] != nil {
                movements.append(.init(kind: .repayment, label: "退回应退补助资金", amountFen: flows[.repayment] ?? .zero))
            }
            if let other = flows[.payables], !other.isZero {
                movements.append(.init(kind: .payables, label: "往来款项变动（备用金、应付款等）", amountFen: other))
            }
            if let adjustment = flows[.adjustment], !adjustment.isZero {
                movements.append(.init(kind: .adjustment, label: "结余调整（依托单位补足应退差额等）", amountFen: adjustment))
            }
            let closing = try opening.adding(try sum(movements.map(\.amountFen)))
            guard closing == ledgerClosing else {
                throw ReportInconsistency(
                    report: "专项资金收支情况表",
                    detail: "\(fund.chineseName) 期末结余 \(closing.plainString) 与科目余额表银行存款及库存现金 \(ledgerClosing.plainString) 不符")
            }
            let budgetTotal = try sum(budgets.values)
            let planned: Money? = fund == .subsidy ? header.studio.approvedSubsidy : (budgets.isEmpty ? nil : budgetTotal)
            let basis: Money? = budgets.isEmpty ? planned : budgetTotal
            parts.append(.init(
                fund: fund, plannedFen: planned, bookedFen: booked, receivedFen: received,
                outstandingFen: try planned.map { max(try $0.subtracting(received), .zero) }, receipts: receipts, lines: lines,
                budgetTotalFen: budgetTotal, spentFen: spentTotal, openingFen: opening, movements: movements, balanceFen: closing,
                refundOwedFen: refundOwed, arrivalRate: planned.flatMap { Percent.ratio(received, $0) },
                fundExecutionRate: Percent.ratio(spentTotal, received), budgetBasisFen: basis,
                executionRate: basis.flatMap { Percent.ratio(spentTotal, $0) }))
        }
        let value = FundStatement(
            studio: header.studio.code, from: header.from, to: header.to, approvedSubsidyFen: header.studio.approvedSubsidy,
            funds: parts, bookedFen: try sum(parts.map(\.bookedFen)), receivedFen: try sum(parts.map(\.receivedFen)),
            spentFen: try sum(parts.map(\.spentFen)), balanceFen: try sum(parts.map(\.balanceFen)))
        let document = ReportDocument(
            kind: .fundStatement, title: ReportKind.fundStatement.chineseTitle,
            titleBlock: header.titleBlock(extra: [LabeledValue("核定补助资金", header.studio.approvedSubsidy.groupedString + " 元")]),
            sections: [summarySection(value)] + parts.map(fundSection), signatures: header.statementSignatures,
            orientation: .landscape, fileStem: header.fileStem(.fundStatement))
        return BuiltReport(value: value, document: document)
    }

    /// The mark beside forbidden spending (第九条(一): 挤占 of the fund).
    static func forbiddenNote(_ fund: Fund) -> String { "不得由\(fund.chineseName)列支" }

    static func rate(_ percent: Percent?) -> Cell { percent.map { .percent($0) } ?? .text("—") }

    static func summarySection(_ value: FundStatement) -> DocumentSection {
        var rows = value.funds.map { part in
            Row(.body, [
                .text(part.fund.chineseName), Cell.amount(part.plannedFen), .money(part.bookedFen), .money(part.receivedFen),
                Cell.amount(part.outstandingFen), rate(part.arrivalRate), .money(part.spentFen), rate(part.fundExecutionRate),
                rate(part.executionRate), .money(part.balanceFen),
            ])
        }
        let all = Array(rows.indices)
        let plannedRows = all.filter { value.funds[$0].plannedFen != nil }
        let plannedTotal = try? sum(value.funds.compactMap(\.plannedFen))
        let receivedOfPlanned = try? sum(plannedRows.map { value.funds[$0].receivedFen })
        let outstandingTotal = try? sum(value.funds.compactMap(\.outstandingFen))
        let basisTotal = try? sum(value.funds.compactMap(\.budgetBasisFen))
        rows.append(Row(.total, [
            .text("合计"), plannedRows.isEmpty ? .empty : plannedTotal.map { .moneySum($0, rows: plannedRows) } ?? .empty,
            .moneySum(value.bookedFen, rows: all), .moneySum(value.receivedFen, rows: all),
            plannedRows.isEmpty ? .empty : outstandingTotal.map { .moneySum($0, rows: plannedRows) } ?? .empty,
            rate(plannedTotal.flatMap { total in receivedOfPlanned.flatMap { Percent.ratio($0, total) } }),
            .moneySum(value.spentFen, rows: all), rate(Percent.ratio(value.spentFen, value.receivedFen)),
            rate(basisTotal.flatMap { Percent.ratio(value.spentFen, $0) }), .moneySum(value.balanceFen, rows: all),
        ]))
        return DocumentSection(heading: "一、资金收支总体情况", blocks: [
            .table(DocumentTable(
                name: "总体情况",
                columns: [
                    Column("资金来源", .text, width: 12), Column("计划（核定）金额", .money, width: 14), Column("已入账", .money, width: 14),
                    Column("实际到位", .money, width: 14), Column("未到位", .money, width: 13), Column("资金到位率", .percent, width: 10),
                    Column("实际支出", .money, width: 14), Column("资金执行率", .percent, width: 10), Column("预算执行率", .percent, width: 10),
                    Column("期末结余", .money, width: 14),
                ],
                rows: rows)),
            .paragraph(
                "说明：补助资金的计划金额为核定补助额，企业支持资金和自筹资金为资金使用计划合计；已入账为记入资金收入科目的金额，"
                    + "实际到位为进入该资金银行存款和库存现金的金额（已入账减仍挂应收款项的部分），未到位 = 计划金额 − 实际到位；"
                    + "资金到位率 = 实际到位 ÷ 计划金额，资金执行率 = 实际支出 ÷ 实际到位，预算执行率 = 实际支出 ÷ 预算数"
                    + "（资金使用计划合计，未编计划的按计划金额；财预〔2020〕10号）；期末结余为该资金银行存款和库存现金余额，"
                    + "与科目余额表一致；支出含固定资产（培训设施设备）购置；红字冲销凭证按负数计入。"),
        ])
    }

    static func fundSection(_ part: FundStatement.FundPart) -> DocumentSection {
        var receiptRows = part.receipts.map { receipt in
            Row(.body, [.date(receipt.date), .text(receipt.voucher), .text(receipt.source), .text(receipt.memo), .money(receipt.amountFen)])
        }
        receiptRows.append(Row(.total, [.empty, .empty, .empty, .text("入账合计"), .moneySum(part.bookedFen, rows: Array(receiptRows.indices))]))
        var lineRows = part.lines.map { line in
            Row(.body, [
                .text(line.categoryName), .text(line.eligibility.chineseName), Cell.amount(line.budgetFen), .money(line.spentFen),
                rate(line.executionOfBudget), Cell.amount(line.remainingFen), line.note.isEmpty ? .empty : .text(line.note),
            ])
        }
        let all = Array(lineRows.indices)
        let budgeted = all.filter { part.lines[$0].budgetFen != nil }
        let remaining = budgeted.isEmpty ? nil : try? part.budgetTotalFen.subtracting(part.spentFen)
        lineRows.append(Row(.total, [
            .text("支出合计"), .empty, budgeted.isEmpty ? .empty : .moneySum(part.budgetTotalFen, rows: budgeted),
            .moneySum(part.spentFen, rows: all), rate(Percent.ratio(part.spentFen, part.budgetTotalFen)), Cell.amount(remaining), .empty,
        ]))
        var movementRows = [Row(.body, [.text("期初余额（银行存款及库存现金）"), .money(part.openingFen)])]
        for movement in part.movements {
            // Money out reads 减, money in 加; a line with nothing on it keeps its natural sign.
            let outflow: Set<FundStatement.Movement.Kind> = [.spending, .transferOut, .repayment, .receivable]
            let negative = movement.amountFen.fen < 0 || (movement.amountFen.isZero && outflow.contains(movement.kind))
            let sign = negative ? "减：" : "加："
            movementRows.append(Row(.body, indent: 1, [.text(sign + movement.label), .money(movement.amountFen)]))
        }
        movementRows.append(Row(.total, [.text("期末余额"), .moneySum(part.balanceFen, rows: Array(movementRows.indices))]))
        movementRows.append(Row(.body, [.text("核对：科目余额表银行存款及库存现金期末余额"), .money(part.balanceFen)]))
        if !part.refundOwedFen.isZero {
            movementRows.append(Row(.body, [.text("附：尚欠应退补助资金（未退回）"), .money(part.refundOwedFen)]))
        }
        let name = part.fund.chineseName
        return DocumentSection(heading: "\(name)收支情况", blocks: [
            .facts([
                Fact("计划（核定）金额", Cell.amount(part.plannedFen)), Fact("已入账", .money(part.bookedFen)),
                Fact("实际到位", .money(part.receivedFen)), Fact("未到位", Cell.amount(part.outstandingFen)),
                Fact("资金到位率", rate(part.arrivalRate)), Fact("实际支出", .money(part.spentFen)),
                Fact("资金执行率", rate(part.fundExecutionRate)), Fact("预算执行率", rate(part.executionRate)),
                Fact("期末结余", .money(part.balanceFen)),
            ]),
            .table(DocumentTable(
                name: "\(name)到位", caption: "资金入账明细",
                columns: [
                    Column("入账日期", .date, width: 11), Column("凭证", .code, width: 16), Column("拨付单位", .text, width: 24),
                    Column("摘要", .text, width: 28), Column("金额", .money, width: 16),
                ],
                rows: receiptRows)),
            .table(DocumentTable(
                name: "\(name)支出", caption: "按支出类别的使用情况（对照资金使用计划）",
                columns: [
                    Column("支出类别", .text, width: 16), Column("政策属性", .text, width: 8), Column("预算金额", .money, width: 16),
                    Column("实际支出", .money, width: 16), Column("预算执行率", .percent, width: 10), Column("预算结余", .money, width: 16),
                    Column("备注", .text, width: 18),
                ],
                rows: lineRows)),
            .table(DocumentTable(
                name: "\(name)收支平衡", caption: "资金收支平衡（与银行存款核对）",
                columns: [Column("项目", .text, width: 44), Column("金额", .money, width: 18)],
                rows: movementRows)),
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
                let eligibility = policy.eligibility(of: category, for: line.fund)
                let forbidden = eligibility == .forbidden ? FundStatementReport.forbiddenNote(line.fund) : ""
                lines.append(.init(
                    date: voucher.draft.date, voucher: voucher.ref.label, line: index + 1, fund: line.fund, account: line.account,
                    category: category, eligibility: eligibility, memo: line.memo,
                    counterparty: voucher.draft.counterparty, invoice: line.invoice?.description, attachments: voucher.draft.attachments,
                    amountFen: line.signedAmount, note: [note, forbidden].filter { !$0.isEmpty }.joined(separator: "；")))
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
