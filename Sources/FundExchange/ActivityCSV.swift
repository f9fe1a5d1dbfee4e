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

    static let columns: [CSVTableReader.Column] = [
        .init(key: "date", aliases: ["日期", "date"], required: true),
        .init(key: "kind", aliases: ["类型", "活动类型", "kind"], required: true),
        .init(key: "title", aliases: ["名称", "活动名称", "title"], required: true),
        .init(key: "quantity", aliases: ["数量", "人数", "quantity"], required: false),
        .init(key: "amount", aliases: ["金额", "经济效益", "amount"], required: false),
        .init(key: "achieved", aliases: ["是否达成", "达成", "achieved"], required: false),
        .init(key: "evidence", aliases: ["证明材料", "evidence"], required: false),
        .init(key: "note", aliases: ["备注", "note"], required: false),
    ]

    /// `existing` is the studio's activity record: a row naming an activity already recorded
    /// (same date, kind and title), or one named by an earlier row of the file, is rejected
    /// (L023) so that importing a file twice does not count its activities twice.
    public func read(_ data: Data, existing: [Activity] = []) throws(RejectionList) -> [Activity] {
        let recorded = Set(existing.map(\.identity))
        var firstLine: [Activity.Identity: Int] = [:]
        return try CSVTableReader(file: file, columns: Self.columns).read(data, empty: "活动记录") { line, field throws(Rejection) in
            let activity = try activity(field)
            if recorded.contains(activity.identity) {
                throw Rejection(.activityDuplicate, field: "名称", "活动 \(activity.label) 已登记，不能重复导入")
            }
            if let earlier = firstLine[activity.identity] {
                throw Rejection(.activityDuplicate, field: "名称", "活动 \(activity.label) 与第 \(earlier) 行重复")
            }
            firstLine[activity.identity] = line
            return activity
        }
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


    /// Runs `body`, naming the CSV column on any rejection it throws (unless it named one).
    func named<T>(_ column: String, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
        do { return try body() } catch {
            let field = error.field.map { ["quantity": "数量", "amount": "金额", "evidence": "证明材料", "note": "备注", "title": "名称"][$0] ?? column } ?? column
            throw Rejection(error.code, field: field, error.message)
        }
    }
}
