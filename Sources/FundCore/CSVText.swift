/// A small RFC 4180 reader: fields separated by commas, optionally quoted with `"` (a quote
/// inside a quoted field is doubled), records ended by LF or CRLF; quoted fields may hold commas
/// and newlines. Each record keeps the 1-based line on which it starts, so errors can name it.
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let fields: [String]
}

public enum CSVText {
    /// Parses `text` (already decoded, BOM removed). Blank lines are skipped.
    public static func parse(_ text: String) throws(Rejection) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            let blank = fields.count == 1 && fields[0].isEmpty
            if !blank { records.append(CSVRecord(line: recordLine, fields: fields)) }
            fields = []
        }

        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                if !field.isEmpty || fieldWasQuoted {
                    throw Rejection(.importQuoting, "第 \(line) 行：引号只能出现在字段开头（字段内的引号需写成两个）")
                }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                fieldWasQuoted = false
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                endRecord()
                fieldWasQuoted = false
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                fieldWasQuoted = false
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted {
                    throw Rejection(.importQuoting, "第 \(line) 行：引号字段结束后不能再跟其他字符")
                }
                field.append(scalar)
            }
        }
        if inQuotes {
            throw Rejection(.importQuoting, "第 \(recordLine) 行起的引号没有闭合")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// Quotes a field for output when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
