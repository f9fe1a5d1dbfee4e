/// One line of a studio's 资金使用计划: what a fund plans to spend on a spending category.
/// Budgets are revised, never edited: each revision is kept (and logged); the plan in force is
/// the latest revision of each (fund, category).
public struct BudgetLine: Sendable, Hashable, Codable {
    public let studio: String
    public let fund: Fund
    public let category: SpendingCategory
    public let amount: Money

    public init(studio: String, fund: Fund, category: SpendingCategory, amount: Money) throws(Rejection) {
        guard !amount.isNegative else {
            throw Rejection(.budgetNegative, field: "amount", "预算金额不能为负数（\(amount.plainString)）")
        }
        guard amount.fen <= Limits.lineAmountFenMax else {
            throw Rejection(.amountTooLarge, field: "amount", "预算金额 \(amount.plainString) 超出上限")
        }
        self.studio = studio
        self.fund = fund
        self.category = category
        self.amount = amount
    }
}

/// A stored revision of a budget line: who set it, when and why.
public struct BudgetRevision: Sendable, Hashable, Codable {
    public let line: BudgetLine
    public let revision: Int
    public let at: String
    public let user: String
    public let reason: String

    public init(line: BudgetLine, revision: Int, at: String, user: String, reason: String) {
        self.line = line
        self.revision = revision
        self.at = at
        self.user = user
        self.reason = reason
    }
}

extension SpendingCategory {
    /// Accepts the code (`equipment`) or the Chinese name (培训设施设备).
    public static func parse(_ text: String) throws(Rejection) -> SpendingCategory {
        let trimmed = text.trimmingSpaces
        if let category = SpendingCategory(rawValue: trimmed) ?? SpendingCategory(rawValue: trimmed.lowercased()) {
            return category
        }
        if let category = allCases.first(where: { $0.chineseName == trimmed }) { return category }
        let names = allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、")
        throw Rejection(.categoryUnknown, field: "category", "支出类别“\(text)”无效，应为：\(names)")
    }
}
