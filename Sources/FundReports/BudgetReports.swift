import FundCore

// `budget show`: the budget in force and its revisions.

public enum BudgetReports {
    /// One line of the budget in force as `budget show --format json` has always printed it:
    /// the amount in fen as a string.
    public struct LineJSON: Sendable, Codable, Hashable {
        public let fund: String
        public let category: String
        public let amountFen: String
    }

    /// 资金使用计划: a line per fund and spending category, then a 合计 per fund (added here,
    /// overflow-checked).
    public static func current(_ lines: [BudgetLine], studio: String) throws -> AnyReport {
        let value = lines.map { LineJSON(fund: $0.fund.rawValue, category: $0.category.rawValue, amountFen: String($0.amount.fen)) }
        var rows = lines.map { Row(.body, [.text($0.fund.chineseName), .text($0.category.chineseName), .money($0.amount)]) }
        for fund in Fund.allCases {
            let own = lines.indices.filter { lines[$0].fund == fund }
            guard !own.isEmpty else { continue }
            let total = try sum(own.map { lines[$0].amount })
            rows.append(Row(.subtotal, [.text("\(fund.chineseName)合计"), .empty, .moneySum(total, rows: own)]))
        }
        let table = DocumentTable(
            name: "资金使用计划",
            columns: [Column("资金来源", .text, width: 12), Column("支出类别", .text, width: 20), Column("预算金额", .money, width: 15)],
            rows: rows)
        let blocks: [Block] = lines.isEmpty ? [.paragraph("尚未设定预算（workshop-ledger budget set 或 budget import）")] : [.table(table)]
        return AnyReport(
            document: .view(.budget, titleBlock: [LabeledValue("工作室", studio), LabeledValue("单位", "元")], blocks: blocks, stem: studio),
            value: value)
    }

    /// 修订记录: every revision, oldest first. JSON: the revisions as stored.
    public static func history(_ revisions: [BudgetRevision], studio: String) -> AnyReport {
        let table = DocumentTable(
            name: "修订记录",
            columns: [
                Column("版本", .count, width: 4), Column("资金来源", .text, width: 10), Column("支出类别", .text, width: 20),
                Column("预算金额", .money, width: 15), Column("时间", .code, width: 20), Column("操作人", .text, width: 8),
                Column("原因", .text, width: 30),
            ],
            rows: revisions.map {
                Row(.body, [
                    .count($0.revision), .text($0.line.fund.chineseName), .text($0.line.category.chineseName), .money($0.line.amount),
                    .text($0.at), .text($0.user), .optionalText($0.reason),
                ])
            })
        return AnyReport(
            document: .view(
                .budgetHistory, titleBlock: [LabeledValue("工作室", studio), LabeledValue("单位", "元")], blocks: [.table(table)],
                orientation: .landscape, stem: studio),
            value: revisions)
    }
}
