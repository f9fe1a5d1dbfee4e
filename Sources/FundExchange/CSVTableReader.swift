import FundCore
import Foundation

/// The part every small CSV import shares (budgets, activities): decode UTF-8 or GB18030,
/// parse, map header names (aliases, case-insensitive) to keys, reject duplicate or missing
/// columns, and hand each non-blank row to the caller with a field lookup by key.
struct CSVTableReader {
    struct Column {
        let key: String
        let aliases: [String]
        let required: Bool
    }

    let file: String
    let columns: [Column]

    /// The rows after the header, each as (file line, field lookup). Header problems throw.
    func rows(_ data: Data) throws(RejectionList) -> (header: Int, rows: [(line: Int, field: (String) -> String)]) {
        guard let (text, _) = TextEncoding.decode(data) else {
            throw list(nil, Rejection(.importEncoding, "文件既不是 UTF-8 也不是 GB18030 编码的文本"))
        }
        let records: [CSVRecord]
        do { records = try CSVText.parse(text.strippingBOM) } catch { throw list(nil, error) }
        guard let header = records.first else { throw list(nil, Rejection(.importEmpty, "文件为空，没有表头")) }
        var position: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingSpaces.lowercased()
            guard let column = columns.first(where: { $0.aliases.contains(key) }) else { continue }
            if position[column.key] != nil {
                throw list(header.line, Rejection(.importColumnDuplicate, field: name, "列“\(name)”重复出现"))
            }
            position[column.key] = index
        }
        let missing = columns.filter { $0.required && position[$0.key] == nil }.map { $0.aliases[0] }
        guard missing.isEmpty else {
            throw list(header.line, Rejection(.importColumnMissing, "缺少必需的列：\(missing.joined(separator: "、"))"))
        }
        let found = position
        let rows = records.dropFirst().filter { !$0.fields.allSatisfy { $0.trimmingSpaces.isEmpty } }.map { record in
            (line: record.line, field: { (key: String) -> String in
                guard let index = found[key], index < record.fields.count else { return "" }
                return record.fields[index]
            })
        }
        return (header.line, rows)
    }

    /// Reads every row with `parse` (given the row's line and its field lookup), collecting each
    /// row's rejection with its line, up to the limit; a file with any error, or with a header
    /// and no rows (`empty` names what is missing), yields nothing.
    func read<Value>(
        _ data: Data, empty: String, _ parse: (_ line: Int, _ field: (String) -> String) throws(Rejection) -> Value
    ) throws(RejectionList) -> [Value] {
        let (headerLine, rows) = try rows(data)
        var errors: [LocatedRejection] = []
        var values: [Value] = []
        for row in rows {
            do throws(Rejection) {
                values.append(try parse(row.line, row.field))
            } catch {
                errors.append(LocatedRejection(file: file, line: row.line, rejection: error))
                if errors.count >= Limits.importErrorsMax { break }
            }
        }
        if values.isEmpty && errors.isEmpty {
            errors.append(LocatedRejection(file: file, line: headerLine, rejection: Rejection(.importEmpty, "文件只有表头，没有\(empty)")))
        }
        guard errors.isEmpty else {
            throw RejectionList(items: errors, truncated: errors.count >= Limits.importErrorsMax)
        }
        return values
    }

    func list(_ line: Int?, _ rejection: Rejection) -> RejectionList {
        RejectionList(items: [LocatedRejection(file: file, line: line, rejection: rejection)])
    }
}
