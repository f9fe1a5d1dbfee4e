import FundCore

/// `budget show` output.
public enum BudgetViews {
    public static func current(_ lines: [BudgetLine], format: ViewFormat) -> String {
        switch format {
        case .json:
            return LedgerViews.json(lines.map { ["fund": $0.fund.rawValue, "category": $0.category.rawValue, "amountFen": String($0.amount.fen)] })
        case .csv:
            var table = CSVTable(headers: ["资金来源", "支出类别", "预算金额"])
            for line in lines { table.add([line.fund.chineseName, line.category.chineseName, line.amount.plainString]) }
            return table.render()
        case .table:
            var table = TextTable(headers: ["资金来源", "支出类别", "预算金额"], alignments: [.left, .left, .right])
            var totals: [Fund: Int64] = [:]
            for line in lines {
                table.add([line.fund.chineseName, line.category.chineseName, line.amount.groupedString])
                totals[line.fund, default: 0] += line.amount.fen
            }
            if lines.isEmpty { return "尚未设定预算（workshop-ledger budget set 或 budget import）\n" }
            table.addRule()
            for fund in Fund.allCases { if let total = totals[fund] { table.add(["\(fund.chineseName)合计", "", Money(fen: total).groupedString]) } }
            return table.render()
        }
    }

    public static func history(_ revisions: [BudgetRevision], format: ViewFormat) -> String {
        let headers = ["版本", "资金来源", "支出类别", "预算金额", "时间", "操作人", "原因"]
        let rows = revisions.map {
            [String($0.revision), $0.line.fund.chineseName, $0.line.category.chineseName, $0.line.amount.groupedString, $0.at, $0.user, $0.reason]
        }
        switch format {
        case .json:
            return LedgerViews.json(revisions)
        case .csv:
            var table = CSVTable(headers: headers)
            for row in rows { table.add(row) }
            return table.render()
        case .table:
            var table = TextTable(headers: headers, alignments: [.right, .left, .left, .right, .left, .left, .left])
            for row in rows { table.add(row) }
            return table.render()
        }
    }
}
