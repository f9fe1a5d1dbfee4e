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

    static let columns: [(key: String, aliases: [String])] = [
        ("fund", ["资金来源", "资金", "fund"]),
        ("category", ["支出类别", "支出项目", "类别", "category"]),
        ("amount", ["预算金额", "金额", "预算", "amount"]),
    ]

    public func read(_ data: Data) throws(RejectionList) -> [BudgetLine] {
        guard let (text, _) = TextEncoding.decode(data) else {
            throw list(nil, Rejection(.importEncoding, "文件既不是 UTF-8 也不是 GB18030 编码的文本"))
        }
        let records: [CSVRecord]
        do { records = try CSVText.parse(text.strippingBOM) } catch { throw list(nil, error) }
        guard let header = records.first else { throw list(nil, Rejection(.importEmpty, "文件为空，没有表头")) }
        var position: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingSpaces.lowercased()
            guard let column = Self.columns.first(where: { $0.aliases.contains(key) }) else { continue }
            if position[column.key] != nil {
                throw list(header.line, Rejection(.importColumnDuplicate, field: name, "列“\(name)”重复出现"))
            }
            position[column.key] = index
        }
        let missing = Self.columns.filter { position[$0.key] == nil }.map { $0.aliases[0] }
        guard missing.isEmpty else {
            throw list(header.line, Rejection(.importColumnMissing, "缺少必需的列：\(missing.joined(separator: "、"))"))
        }
        var errors: [LocatedRejection] = []
        var lines: [BudgetLine] = []
        var firstLine: [String: Int] = [:]
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
            func field(_ key: String) -> String {
                let index = position[key]!
                return index < record.fields.count ? record.fields[index] : ""
            }
            do throws(Rejection) {
                let fund = try named("资金来源") { () throws(Rejection) in try Fund.parse(field("fund")) }
                let category = try named("支出类别") { () throws(Rejection) in try SpendingCategory.parse(field("category")) }
                let amount = try named("预算金额") { () throws(Rejection) in try Money.parse(field("amount")) }
                let line = try named("预算金额") { () throws(Rejection) in
                    try BudgetLine(studio: studio, fund: fund, category: category, amount: amount)
                }
                let key = "\(fund.rawValue)|\(category.rawValue)"
                if let earlier = firstLine[key] {
                    throw Rejection(
                        .budgetDuplicate, field: "支出类别",
                        "\(fund.chineseName) \(category.chineseName) 已在第 \(earlier) 行出现")
                }
                firstLine[key] = record.line
                lines.append(line)
            } catch {
                errors.append(LocatedRejection(file: file, line: record.line, rejection: error))
                if errors.count >= Limits.importErrorsMax { break }
            }
        }
        if lines.isEmpty && errors.isEmpty {
            errors.append(LocatedRejection(file: file, line: header.line, rejection: Rejection(.importEmpty, "文件只有表头，没有预算行")))
        }
        guard errors.isEmpty else {
            throw RejectionList(items: errors, truncated: errors.count >= Limits.importErrorsMax)
        }
        return lines
    }

    func list(_ line: Int?, _ rejection: Rejection) -> RejectionList {
        RejectionList(items: [LocatedRejection(file: file, line: line, rejection: rejection)])
    }

    /// Runs `body`, naming the CSV column on any rejection it throws.
    func named<T>(_ column: String, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
        do { return try body() } catch { throw Rejection(error.code, field: column, error.message) }
    }
}
