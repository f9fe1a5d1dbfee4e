import FundCore
import Foundation

/// Reads a 资金使用计划 (budget) CSV for one studio: columns 资金来源, 支出类别, 预算金额 (also
/// fund, category, amount). UTF-8 (with or without BOM) or GB18030. Every bad row is listed
/// with its line and column; a file with any problem yields nothing.
public struct BudgetCSVReader: Sendable {
    public let file: String
    public let studio: String

    public init(file: String, studio: String) {
        self.file = file
        self.studio = studio
    }

    static let columns: [CSVTableReader.Column] = [
        .init(key: "fund", aliases: ["资金来源", "资金", "fund"], required: true),
        .init(key: "category", aliases: ["支出类别", "支出项目", "类别", "category"], required: true),
        .init(key: "amount", aliases: ["预算金额", "金额", "预算", "amount"], required: true),
    ]

    public func read(_ data: Data) throws(RejectionList) -> [BudgetLine] {
        var firstLine: [String: Int] = [:]
        return try CSVTableReader(file: file, columns: Self.columns).read(data, empty: "预算行") { line, field throws(Rejection) in
            let fund = try named("资金来源") { () throws(Rejection) in try Fund.parse(field("fund")) }
            let category = try named("支出类别") { () throws(Rejection) in try SpendingCategory.parse(field("category")) }
            let amount = try named("预算金额") { () throws(Rejection) in try Money.parse(field("amount")) }
            let budget = try named("预算金额") { () throws(Rejection) in
                try BudgetLine(studio: studio, fund: fund, category: category, amount: amount)
            }
            let key = "\(fund.rawValue)|\(category.rawValue)"
            if let earlier = firstLine[key] {
                throw Rejection(
                    .budgetDuplicate, field: "支出类别", "\(fund.chineseName) \(category.chineseName) 已在第 \(earlier) 行出现")
            }
            firstLine[key] = line
            return budget
        }
    }


    /// Runs `body`, naming the CSV column on any rejection it throws.
    func named<T>(_ column: String, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
        do { return try body() } catch { throw Rejection(error.code, field: column, error.message) }
    }
}
