/// A small RFC 4180 reader: fields separated by commas, optionally quoted with `"` (a quote
/// inside a quoted field is doubled), records ended by LF or CRLF; quoted fields may hold commas
/// and newlines. Each record keeps the 1-based line on which it starts, so errors can name it.
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

public enum CSVText {
    /// Parses `text` (already decoded, BOM removed). Blank lines are skipped.
    ///
    /// Works on the UTF-8 bytes: every byte the grammar cares about (`"` `,` CR LF) is ASCII,
    /// and UTF-8 never uses ASCII byte values inside a multi-byte scalar, so splitting bytes is
    /// the same as splitting scalars, and each field is built as a `String` exactly once.
    public static func parse(_ text: String) throws(Rejection) -> [CSVRecord] {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(Rejection) -> [CSVRecord] in
                var scanner = CSVScanner(bytes: bytes)
                return try scanner.run()
            }
        }
        return try result.get()
    }

}

/// The state of one `CSVText.parse` pass over UTF-8 bytes.
private struct CSVScanner {
    static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var line = 1
    var recordLine = 1
    var records: [CSVRecord] = []
    var fields: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads field after field. A field ends at a comma (next field), a line break (end of
    /// record) or the end of the text; a record that holds only one empty field is a blank line.
    mutating func run() throws(Rejection) -> [CSVRecord] {
        while position < bytes.count {
            let field = try readField()
            fields.append(field)
            guard position < bytes.count else { break }
            let terminator = bytes[position]
            position += 1
            if terminator == Self.comma {
                if position == bytes.count { fields.append("") }  // "a," ends with an empty field
                continue
            }
            if terminator == Self.cr, position < bytes.count, bytes[position] == Self.lf { position += 1 }
            endRecord()
            line += 1
            recordLine = line
        }
        if !fields.isEmpty { endRecord() }
        return records
    }

    mutating func endRecord() {
        // Blank lines, and rows of bare commas that Excel leaves under a table, are skipped.
        let blank = fields.allSatisfy(\.isEmpty)
        if !blank { records.append(CSVRecord(line: recordLine, fields: fields)) }
        let capacity = fields.count
        fields = []
        fields.reserveCapacity(capacity)
    }

    /// One field, leaving `position` on its terminator (or at the end of the text).
    mutating func readField() throws(Rejection) -> String {
        if bytes[position] == Self.quote { return try readQuotedField() }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.comma || byte == Self.cr || byte == Self.lf { break }
            if byte == Self.quote {
                throw Rejection(.importQuoting, "第 \(line) 行：引号只能出现在字段开头（字段内的引号需写成两个）")
            }
            position += 1
        }
        return string(start..<position)
    }

    /// A field that starts with a quote; a doubled quote inside stands for one quote.
    mutating func readQuotedField() throws(Rejection) -> String {
        position += 1
        var start = position
        var unescaped: [UInt8]? = nil  // only built when the field holds a doubled quote
        while true {
            guard position < bytes.count else {
                throw Rejection(.importQuoting, "第 \(recordLine) 行起的引号没有闭合")
            }
            let byte = bytes[position]
            if byte == Self.lf { line += 1 }
            guard byte == Self.quote else { position += 1; continue }
            if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                if unescaped == nil { unescaped = [] }
                unescaped!.append(contentsOf: bytes[start...position])  // keeps one of the two quotes
                position += 2
                start = position
                continue
            }
            break
        }
        let value: String
        if let unescaped {
            value = String(decoding: unescaped + bytes[start..<position], as: UTF8.self)
        } else {
            value = string(start..<position)
        }
        position += 1  // the closing quote
        // (A quote cannot follow here: two quotes in a row were read as one escaped quote.)
        if position < bytes.count {
            let next = bytes[position]
            if next != Self.comma && next != Self.cr && next != Self.lf {
                throw Rejection(.importQuoting, "第 \(line) 行：引号字段结束后不能再跟其他字符")
            }
        }
        return value
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

extension String {
    /// The same string as `trimmingSpaces`, found faster: importers trim every field, and most
    /// fields are Chinese text, for which `trimmingSpaces` asks the Unicode tables about the
    /// first and last scalar. Here only scalars that can be white space reach those tables.
    public var trimmingSpacesFast: String {
        // Quicker still from the UTF-8 bytes when the first and last scalars are plainly not white
        // space: printable ASCII, or at U+4000 and above (every white space is at U+3000 or below).
        if utf8.withContiguousStorageIfAvailable({ Self.plainlyUnpadded($0) }) == true { return self }
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.isWhitespaceFast && !last.isWhitespaceFast { return self }
        var scalars = Substring(self).unicodeScalars
        while let head = scalars.first, head.isWhitespaceFast { scalars.removeFirst() }
        while let tail = scalars.last, tail.isWhitespaceFast { scalars.removeLast() }
        return String(scalars)
    }

    /// Whether valid UTF-8 `bytes` certainly neither start nor end with white space (false when
    /// unsure, or empty).
    static func plainlyUnpadded(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func plain(_ lead: UInt8) -> Bool { (lead > 0x20 && lead < 0x7F) || lead >= 0xE4 }
        guard let first = bytes.first, plain(first), var end = bytes.indices.last else { return false }
        // Back over continuation bytes (10xxxxxx) to the last scalar's lead byte.
        while bytes[end] & 0xC0 == 0x80 && end > 0 && bytes.count - end < 4 { end -= 1 }
        return plain(bytes[end])
    }

    /// True when the string is empty or white space only, as `trimmingSpaces.isEmpty` is.
    var isBlankFast: Bool {
        unicodeScalars.allSatisfy(\.isWhitespaceFast)
    }
}

extension Unicode.Scalar {
    /// `properties.isWhitespace`, with the answer for ASCII and for scalars outside
    /// U+0085…U+3000 (where Unicode puts no white space; that covers all CJK text) worked out
    /// without a table lookup. Checked against `properties.isWhitespace` for every scalar.
    var isWhitespaceFast: Bool {
        let value = value
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        if value < 0x85 || value > 0x3000 { return false }
        return properties.isWhitespace
    }
}
