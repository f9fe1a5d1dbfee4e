import FundCore

// The budget-accounting statements of a public-institution studio (政府会计制度, 平行记账):
// 项目预算收入支出表, 预算结转结余变动表 and 本期预算结余与本期盈余差异调节表. All three come
// from one pass over the period's vouchers (`BudgetFigures`), skipping the year-end closing
// vouchers (those with a 本年收支结转 line), and are cross-checked against the month balances
// like the other statements: the budget revenue and spending against the turnovers of classes
// 6 and 7, 资金结存 against the fund's bank and cash, and the two surpluses against each other.
//
// Why the reconciliation ties: within a fund every voucher's financial lines balance, so the
// accrual surplus (收入 − 支出, classes 4 and 5) equals the change of cash plus the change of
// every other balance-sheet account; its budget lines balance too and 资金结存 moves by the
// cash, so the budget surplus (预算收入 − 预算支出) equals the change of cash plus the 结转
// movements. Their difference is therefore exactly the listed balance-sheet changes (fixed
// assets bought, advances, receivables, payables …) and the 结转 movements.

/// The budget figures of one fund (or all funds) over a report's months.
public struct BudgetFigures: Sendable, Codable, Hashable {
    public struct Line: Sendable, Codable, Hashable {
        public let account: String
        public let name: String
        public let amountFen: Money
    }

    /// The fund's raw value, or "combined".
    public let fund: String
    public let title: String
    /// 预算收入 by leaf (credit-positive) and its total.
    public let revenue: [Line]
    public let revenueFen: Money
    /// 事业支出 by leaf (debit-positive) and its total.
    public let spending: [Line]
    public let spendingFen: Money
    /// 本期预算收支差额 (预算结余).
    public let budgetSurplusFen: Money
    /// 结转 movements other than the year-end closing, credit-positive: 年初余额调整, 资金调剂,
    /// 缴回资金, 累计结转.
    public let openingAdjustmentFen: Money
    public let transferFen: Money
    public let returnFen: Money
    public let carriedFen: Money
    /// 资金结存 at the start and end of the months, and the bank and cash at the end.
    public let openingBudgetCashFen: Money
    public let closingBudgetCashFen: Money
    public let closingCashFen: Money
    /// Bank and cash moved without budget lines (vouchers posted before the studio kept budget
    /// accounting, BUD-001): over the months, and in all up to their end (bank and cash less
    /// 资金结存). Zero for books kept in parallel from the start.
    public let unparalleledFen: Money
    public let unparalleledTotalFen: Money
    /// The financial side over the same months: 收入, 支出, 本期盈余.
    public let accrualRevenueFen: Money
    public let accrualExpenseFen: Money
    public let accrualSurplusFen: Money
    /// Changes of the non-cash balance-sheet accounts (debit-positive) behind the difference.
    public let fixedAssetsFen: Money
    public let advancesFen: Money
    public let receivablesFen: Money
    public let payablesFen: Money
    public let refundDueFen: Money
    public let clearingFen: Money
    public let fundBalanceFen: Money
}

/// The three statements' value: the figures per fund and combined.
public struct BudgetStatementValue: Sendable, Codable, Hashable {
    public let studio: String
    public let from: Period
    public let to: Period
    /// 财政拨款结转 (8101) or 非财政拨款结转 (8201) per fund, and each fund's 预算收入 leaf.
    public let basis: [String: String]
    public let parts: [BudgetFigures]
}

public enum BudgetStatementReport {
    /// Whether a voucher is a year-end closing (结转) of budget revenue and spending.
    static func isClosing(_ voucher: PostedVoucher, chart: ChartOfAccounts) -> Bool {
        voucher.draft.lines.contains { chart[$0.account]?.role == .budgetClosing }
    }

    /// The figures per fund of `header.funds` and combined, cross-checked against `turnovers`.
    public static func figures(
        _ header: ReportHeader, vouchers: [PostedVoucher], turnovers: [MonthTurnover], basis: BudgetBasis
    ) throws -> BudgetStatementValue {
        let inRange = vouchers.filter { $0.ref.period >= header.from && $0.ref.period <= header.to }
        var parts: [BudgetFigures] = []
        for fund in header.funds {
            parts.append(try part(fund: [fund], title: fund.chineseName, key: fund.rawValue, header, vouchers: inRange, turnovers: turnovers))
        }
        if header.fund == nil {
            parts.append(try part(fund: Fund.allCases, title: "合计（全部资金）", key: "combined", header, vouchers: inRange, turnovers: turnovers))
        }
        var basisText: [String: String] = [:]
        for fund in header.funds {
            let revenue = basis.revenue[fund].map { "\($0) \(header.accountPath($0))" } ?? "—"
            basisText[fund.rawValue] = "\(revenue)；结转科目 \(basis.carryoverRoot(fund)) \(header.accountPath(basis.carryoverRoot(fund)))"
        }
        return BudgetStatementValue(studio: header.studio.code, from: header.from, to: header.to, basis: basisText, parts: parts)
    }

    static func part(
        fund funds: [Fund], title: String, key: String, _ header: ReportHeader, vouchers: [PostedVoucher], turnovers: [MonthTurnover]
    ) throws -> BudgetFigures {
        let chart = header.chart
        var revenue: [String: Money] = [:]
        var spending: [String: Money] = [:]
        var closingSix = Money.zero
        var closingSeven = Money.zero
        var carry: [AccountRole: Money] = [:]
        var bs: [String: Money] = [:]
        var accrualRevenue = Money.zero
        var accrualExpense = Money.zero
        func add(_ dictionary: inout [String: Money], _ key: String, _ amount: Money) throws {
            dictionary[key] = try (dictionary[key] ?? .zero).adding(amount)
        }
        for voucher in vouchers {
            let closing = isClosing(voucher, chart: chart)
            for line in voucher.draft.lines where funds.contains(line.fund) {
                guard let account = chart[line.account] else { continue }
                let signed = line.signedAmount
                switch account.type {
                case .budgetRevenue:
                    if closing { closingSix = try closingSix.adding(signed.negated) } else { try add(&revenue, account.code, signed.negated) }
                case .budgetExpenditure:
                    if closing { closingSeven = try closingSeven.adding(signed) } else { try add(&spending, account.code, signed) }
                case .budgetBalance:
                    guard !closing, let role = account.role, role != .budgetCash else { continue }
                    carry[role] = try (carry[role] ?? .zero).adding(signed.negated)
                case .revenue:
                    accrualRevenue = try accrualRevenue.adding(signed.negated)
                case .expense:
                    accrualExpense = try accrualExpense.adding(signed)
                case .asset, .liability, .netAssets:
                    guard !ParallelEntries.isCash(account) else { continue }
                    let group: String
                    switch account.role {
                    case .fixedAssets?: group = "fixed"
                    case .advances?: group = "advances"
                    case .receivables? where account.isReceivable(of: line.fund): group = "receivables"
                    case .receivables?: group = "advances"
                    case .payables?: group = "payables"
                    case .refundDue?: group = "refund"
                    case .clearing?: group = "clearing"
                    default: group = "fundBalance"
                    }
                    try add(&bs, group, signed)
                }
            }
        }
        // The turnovers: the same budget revenue and spending (closing included), 资金结存 and
        // the bank and cash.
        var turnoverSix = Money.zero
        var turnoverSeven = Money.zero
        var openingBudgetCash = Money.zero
        var closingBudgetCash = Money.zero
        var openingCash = Money.zero
        var closingCash = Money.zero
        for turnover in turnovers where funds.contains(turnover.fund) && turnover.period <= header.to {
            guard let account = chart[turnover.account] else { continue }
            let net = try turnover.debit.subtracting(turnover.credit)
            let inRange = turnover.period >= header.from
            if account.type == .budgetRevenue && inRange { turnoverSix = try turnoverSix.subtracting(net) }
            if account.type == .budgetExpenditure && inRange { turnoverSeven = try turnoverSeven.adding(net) }
            if account.role == .budgetCash {
                closingBudgetCash = try closingBudgetCash.adding(net)
                if !inRange { openingBudgetCash = try openingBudgetCash.adding(net) }
            }
            if ParallelEntries.isCash(account) {
                closingCash = try closingCash.adding(net)
                if !inRange { openingCash = try openingCash.adding(net) }
            }
        }
        let revenueTotal = try sum(revenue.values)
        let spendingTotal = try sum(spending.values)
        let report = ReportKind.budgetStatement.chineseTitle
        guard try revenueTotal.adding(closingSix) == turnoverSix, try spendingTotal.adding(closingSeven) == turnoverSeven else {
            throw ReportInconsistency(
                report: report, detail: "\(title) 预算收入 \(revenueTotal.plainString)／预算支出 \(spendingTotal.plainString) 与账簿本期发生额不符")
        }
        // What moved the bank and cash without budget lines: shown, never hidden (BUD-001).
        let unparalleledTotal = try closingCash.subtracting(closingBudgetCash)
        let unparalleled = try unparalleledTotal.subtracting(try openingCash.subtracting(openingBudgetCash))
        let surplus = try revenueTotal.subtracting(spendingTotal)
        let movement = try sum([carry[.budgetOpening], carry[.budgetTransfer], carry[.budgetReturn], carry[.budgetCarried]].compactMap { $0 })
        guard try openingBudgetCash.adding(surplus).adding(movement) == closingBudgetCash else {
            throw ReportInconsistency(report: report, detail: "\(title) 期初资金结存 + 预算收支差额 + 结转调整 ≠ 期末资金结存")
        }
        let accrualSurplus = try accrualRevenue.subtracting(accrualExpense)
        let differences = try sum(bs.values).adding(movement).adding(unparalleled)
        guard try surplus.adding(differences) == accrualSurplus else {
            throw ReportInconsistency(
                report: ReportKind.budgetReconciliation.chineseTitle,
                detail: "\(title) 本期预算结余 \(surplus.plainString) 经调节后与本期盈余 \(accrualSurplus.plainString) 不符")
        }
        func lines(_ amounts: [String: Money]) -> [BudgetFigures.Line] {
            amounts.keys.sorted().compactMap { code in
                guard let amount = amounts[code], !amount.isZero else { return nil }
                return BudgetFigures.Line(account: code, name: header.accountPath(code), amountFen: amount)
            }
        }
        return BudgetFigures(
            fund: key, title: title, revenue: lines(revenue), revenueFen: revenueTotal, spending: lines(spending), spendingFen: spendingTotal,
            budgetSurplusFen: surplus, openingAdjustmentFen: carry[.budgetOpening] ?? .zero, transferFen: carry[.budgetTransfer] ?? .zero,
            returnFen: carry[.budgetReturn] ?? .zero, carriedFen: carry[.budgetCarried] ?? .zero, openingBudgetCashFen: openingBudgetCash,
            closingBudgetCashFen: closingBudgetCash, closingCashFen: closingCash, unparalleledFen: unparalleled,
            unparalleledTotalFen: unparalleledTotal, accrualRevenueFen: accrualRevenue,
            accrualExpenseFen: accrualExpense, accrualSurplusFen: accrualSurplus, fixedAssetsFen: bs["fixed"] ?? .zero,
            advancesFen: bs["advances"] ?? .zero, receivablesFen: bs["receivables"] ?? .zero, payablesFen: bs["payables"] ?? .zero,
            refundDueFen: bs["refund"] ?? .zero, clearingFen: bs["clearing"] ?? .zero, fundBalanceFen: bs["fundBalance"] ?? .zero)
    }

    static let basisNote =
        "说明：依托单位为事业单位，按《政府会计制度》（财会〔2017〕25号）平行记账：财务会计（权责发生制）之外，"
        + "凡纳入预算管理的现金收支同时记入预算会计（收付实现制）。预算收入、预算支出为本期发生额，不含年末预算收支结转凭证；"
        + "资金结存期末余额与银行存款及库存现金期末余额核对一致。暂付款项（备用金、借出款项）在付出时记入事业支出—暂付款项，报销时转入相应支出类别。"

    static func basisFacts(_ value: BudgetStatementValue, _ header: ReportHeader) -> [Fact] {
        header.funds.map { Fact("\($0.chineseName)预算收入", .text(value.basis[$0.rawValue] ?? "—")) }
    }

    // MARK: 项目预算收入支出表

    public static func build(
        _ header: ReportHeader, vouchers: [PostedVoucher], turnovers: [MonthTurnover], basis: BudgetBasis
    ) throws -> BuiltReport<BudgetStatementValue> {
        let value = try figures(header, vouchers: vouchers, turnovers: turnovers, basis: basis)
        var sections = [DocumentSection(heading: nil, blocks: [.facts(basisFacts(value, header)), .paragraph(basisNote)])]
        for part in value.parts {
            var rows = [Row(.group, [.text("一、预算收入"), .empty, .empty])]
            let revenueStart = rows.count
            rows += part.revenue.map { Row(.body, indent: 1, [.text($0.name), .text($0.account), .money($0.amountFen)]) }
            let revenueRows = Array(revenueStart..<rows.count)
            rows.append(Row(.subtotal, [.text("预算收入合计"), .empty, .moneySum(part.revenueFen, rows: revenueRows)]))
            let revenueTotalRow = rows.count - 1
            rows.append(Row(.group, [.text("二、预算支出（事业支出）"), .empty, .empty]))
            let spendingStart = rows.count
            rows += part.spending.map { Row(.body, indent: 1, [.text($0.name), .text($0.account), .money($0.amountFen)]) }
            let spendingRows = Array(spendingStart..<rows.count)
            rows.append(Row(.subtotal, [.text("预算支出合计"), .empty, .moneySum(part.spendingFen, rows: spendingRows)]))
            let spendingTotalRow = rows.count - 1
            _ = (revenueTotalRow, spendingTotalRow)
            rows.append(Row(.total, [.text("三、本期预算收支差额（预算结余）"), .empty, .money(part.budgetSurplusFen)]))
            rows.append(Row(.group, [.text("四、资金结存"), .empty, .empty]))
            rows.append(Row(.body, indent: 1, [.text("期初资金结存"), .text("8001"), .money(part.openingBudgetCashFen)]))
            rows.append(Row(.body, indent: 1, [.text("加：本期预算收支差额"), .empty, .money(part.budgetSurplusFen)]))
            if !part.openingAdjustmentFen.isZero {
                rows.append(Row(.body, indent: 1, [.text("加：年初余额调整"), .empty, .money(part.openingAdjustmentFen)]))
            }
            if !part.transferFen.isZero {
                rows.append(Row(.body, indent: 1, [.text("加：资金调剂（调入为正、调出为负）"), .empty, .money(part.transferFen)]))
            }
            if !part.returnFen.isZero {
                rows.append(Row(.body, indent: 1, [.text("加：缴回资金（缴回为负）"), .empty, .money(part.returnFen)]))
            }
            if !part.carriedFen.isZero {
                rows.append(Row(.body, indent: 1, [.text("加：累计结转调整"), .empty, .money(part.carriedFen)]))
            }
            rows.append(Row(.total, [.text("期末资金结存"), .text("8001"), .money(part.closingBudgetCashFen)]))
            rows.append(Row(.body, [.text("核对：银行存款及库存现金期末余额"), .empty, .money(part.closingCashFen)]))
            if !part.unparalleledTotalFen.isZero {
                rows.append(Row(.body, [.text("差额：未平行记账的货币资金（见 BUD-001，应补记预算分录）"), .empty, .money(part.unparalleledTotalFen)]))
            }
            sections.append(DocumentSection(heading: part.title, blocks: [
                .table(DocumentTable(
                    name: part.title,
                    columns: [Column("项目", .text, width: 40), Column("科目", .code, width: 10), Column("本期金额", .money, width: 18)],
                    rows: rows))
            ]))
        }
        let document = ReportDocument(
            kind: .budgetStatement, title: ReportKind.budgetStatement.chineseTitle, titleBlock: header.titleBlock(), sections: sections,
            signatures: header.statementSignatures, orientation: .portrait, fileStem: header.fileStem(.budgetStatement))
        return BuiltReport(value: value, document: document)
    }

    // MARK: 预算结转结余变动表

    public static func buildCarryover(
        _ header: ReportHeader, vouchers: [PostedVoucher], turnovers: [MonthTurnover], basis: BudgetBasis
    ) throws -> BuiltReport<BudgetStatementValue> {
        let value = try figures(header, vouchers: vouchers, turnovers: turnovers, basis: basis)
        let rows = value.parts.map { part in
            Row(part.fund == "combined" ? .total : .body, [
                .text(part.title), .money(part.openingBudgetCashFen), .money(part.openingAdjustmentFen), .money(part.revenueFen),
                .money(part.spendingFen), .money(part.transferFen), .money(part.returnFen), .money(part.carriedFen),
                .money(part.closingBudgetCashFen),
            ])
        }
        let document = ReportDocument(
            kind: .budgetCarryover, title: ReportKind.budgetCarryover.chineseTitle, titleBlock: header.titleBlock(),
            sections: [DocumentSection(heading: nil, blocks: [
                .facts(basisFacts(value, header)),
                .table(DocumentTable(
                    name: "结转结余变动",
                    columns: [
                        Column("资金来源", .text, width: 16), Column("年初结转结余", .money, width: 14), Column("年初余额调整", .money, width: 13),
                        Column("本期预算收入", .money, width: 14), Column("本期预算支出", .money, width: 14),
                        Column("资金调剂", .money, width: 12), Column("缴回资金", .money, width: 12), Column("其他结转", .money, width: 12),
                        Column("期末结转结余", .money, width: 14),
                    ],
                    rows: rows)),
                .paragraph(
                    "说明：期末结转结余 = 年初结转结余 + 年初余额调整 + 本期预算收入 − 本期预算支出 + 资金调剂 + 缴回资金 + 其他结转"
                        + "（调出、缴回为负数），与资金结存期末余额、银行存款及库存现金期末余额一致。补助资金按非同级财政拨款收取的"
                        + "记入非财政拨款结转（8201），按同级财政拨款收取的记入财政拨款结转（8101）；年末预算收支结转凭证不计入本期收支。"),
            ])],
            signatures: header.statementSignatures, orientation: .landscape, fileStem: header.fileStem(.budgetCarryover))
        return BuiltReport(value: value, document: document)
    }

    // MARK: 本期预算结余与本期盈余差异调节表

    public static func buildReconciliation(
        _ header: ReportHeader, vouchers: [PostedVoucher], turnovers: [MonthTurnover], basis: BudgetBasis
    ) throws -> BuiltReport<BudgetStatementValue> {
        let value = try figures(header, vouchers: vouchers, turnovers: turnovers, basis: basis)
        var sections = [DocumentSection(heading: nil, blocks: [.paragraph(
            "说明：本期盈余 = 本期收入 − 本期支出（财务会计）；本期预算结余 = 本期预算收入 − 本期预算支出（预算会计）。"
                + "差异来自不同时动用货币资金的事项：购置固定资产计入预算支出但不计入支出；暂付款项付出时计入预算支出，报销时才计入支出；"
                + "应收款项确认收入而未收款；应付款项确认支出而未付款。本项目未计提固定资产折旧，故无折旧调节项。")])]
        for part in value.parts {
            var rows = [Row(.total, [.text("一、本期预算结余"), .money(part.budgetSurplusFen)])]
            rows.append(Row(.group, [.text("二、差异调节（加：）"), .empty]))
            rows.append(Row(.body, indent: 1, [.text("当期确认为收入但没有确认为预算收入：应收款项净增加"), .money(part.receivablesFen)]))
            rows.append(Row(.body, indent: 1, [.text("当期确认为预算支出但没有确认为支出：购置固定资产"), .money(part.fixedAssetsFen)]))
            rows.append(Row(.body, indent: 1, [.text("当期确认为预算支出但没有确认为支出：暂付款项（备用金、借出款项）净增加"), .money(part.advancesFen)]))
            rows.append(Row(.body, indent: 1, [.text("当期确认为支出但没有确认为预算支出：应付款项净增加（以负数列示）"), .money(part.payablesFen)]))
            let refund = try part.refundDueFen.adding(part.returnFen)
            let transfer = try part.clearingFen.adding(part.transferFen)
            let opening = try part.fundBalanceFen.adding(part.openingAdjustmentFen).adding(part.carriedFen)
            if !refund.isZero { rows.append(Row(.body, indent: 1, [.text("应退补助资金与缴回资金"), .money(refund)])) }
            if !transfer.isZero { rows.append(Row(.body, indent: 1, [.text("资金调剂（内部往来）"), .money(transfer)])) }
            if !opening.isZero { rows.append(Row(.body, indent: 1, [.text("年初余额调整及其他"), .money(opening)])) }
            if !part.unparalleledFen.isZero {
                rows.append(Row(.body, indent: 1, [.text("未平行记账的货币资金变动（见 BUD-001）"), .money(part.unparalleledFen)]))
            }
            rows.append(Row(.total, [.text("三、本期盈余"), .money(part.accrualSurplusFen)]))
            rows.append(Row(.body, [.text("核对：本期收入 − 本期支出"), .text("\(part.accrualRevenueFen.groupedString) − \(part.accrualExpenseFen.groupedString)")]))
            sections.append(DocumentSection(heading: part.title, blocks: [
                .table(DocumentTable(
                    name: part.title, columns: [Column("项目", .text, width: 56), Column("金额", .money, width: 18)], rows: rows))
            ]))
        }
        let document = ReportDocument(
            kind: .budgetReconciliation, title: ReportKind.budgetReconciliation.chineseTitle, titleBlock: header.titleBlock(),
            sections: sections, signatures: header.statementSignatures, orientation: .portrait,
            fileStem: header.fileStem(.budgetReconciliation))
        return BuiltReport(value: value, document: document)
    }
}
