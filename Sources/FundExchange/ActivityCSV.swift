import FundCore
import Foundation

/// Reads an activity-record CSV for one studio (第十三条 outputs): columns 日期, 类型, 名称
/// (required) and 数量, 金额, 是否达成, 证明材料, 备注 (optional). UTF-8 or GB18030. Every bad
/// row is listed with its line and column; a file with any problem yields nothing.
public struct ActivityCSVReader: Sendable {
    public let file: String
    public let studio: String

    public init(file: String, studio: String) {
        self.file = file
        self.studio = studio
    }

    static let columns: [(key: String, aliases: [String], required: Bool)] = [
        ("date", ["日期", "date"], true),
        ("kind", ["类型", "活动类型", "kind"], true),
        ("title", ["名称", "活动名称", "title"], true),
        ("quantity", ["数量", "人数", "quantity"], false),
        ("amount", ["金额", "经济效益", "amount"], false),
        ("achieved", ["是否达成", "达成", "achieved"], false),
        ("evidence", ["证明材料", "evidence"], false),
        ("note", ["备注", "note"], false),
    ]

    public func read(_ data: Data) throws(RejectionList) -> [Activity] {
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
        let missing = Self.columns.filter { $0.required && position[$0.key] == nil }.map { $0.aliases[0] }
        guard missing.isEmpty else {
            throw list(header.line, Rejection(.importColumnMissing, "缺少必需的列：\(missing.joined(separator: "、"))"))
        }
        var errors: [LocatedRejection] = []
        var activities: [Activity] = []
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
            func field(_ key: String) -> String {
                guard let index = position[key], index < record.fields.count else { return "" }
                return record.fields[index]
            }
            do throws(Rejection) {
                activities.append(try activity(field))
            } catch {
                errors.append(LocatedRejection(file: file, line: record.line, rejection: error))
                if errors.count >= Limits.importErrorsMax { break }
            }
        }
        if activities.isEmpty && errors.isEmpty {
            errors.append(LocatedRejection(file: file, line: header.line, rejection: Rejection(.importEmpty, "文件只有表头，没有活动记录")))
        }
        guard errors.isEmpty else {
            throw RejectionList(items: errors, truncated: errors.count >= Limits.importErrorsMax)
        }
        return activities
    }

    func activity(_ field: (String) -> String) throws(Rejection) -> Activity {
        let date = try named("日期") { () throws(Rejection) in try CalendarDate.parse(field("date")) }
        let kind = try named("类型") { () throws(Rejection) in try ActivityKind.parse(field("kind")) }
        let quantityText = field("quantity").trimmingSpaces
        var quantity = 1
        if !quantityText.isEmpty {
            guard let value = Int(quantityText), value >= 0 else {
                throw Rejection(.activityInvalid, field: "数量", "数量“\(quantityText)”应为非负整数")
            }
            quantity = value
        }
        let amountText = field("amount").trimmingSpaces
        let amount = amountText.isEmpty ? Money.zero : try named("金额") { () throws(Rejection) in try Money.parse(amountText) }
        let achieved = try named("是否达成") { () throws(Rejection) in try Activity.parseAchieved(field("achieved")) }
        return try named("名称") { () throws(Rejection) in
            try Activity(
                studio: studio, date: date, kind: kind, title: field("title"), quantity: quantity, amount: amount,
                achieved: achieved, evidence: field("evidence"), note: field("note"))
        }
    }

    func list(_ line: Int?, _ rejection: Rejection) -> RejectionList {
        RejectionList(items: [LocatedRejection(file: file, line: line, rejection: rejection)])
    }

    /// Runs `body`, naming the CSV column on any rejection it throws (unless it named one).
    func named<T>(_ column: String, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
        do { return try body() } catch {
            let field = error.field.map { ["quantity": "数量", "amount": "金额", "evidence": "证明材料", "note": "备注", "title": "名称"][$0] ?? column } ?? column
            throw Rejection(error.code, field: field, error.message)
        }
    }
}
