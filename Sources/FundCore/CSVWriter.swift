/// One field of a CSV row, typed, because what a spreadsheet makes of a cell depends on it.
///
/// - `text`: anything a person typed or the books named (memos, names, codes, file names,
///   labels, dates). A text field that a spreadsheet would run as a formula is defused — see
///   `CSVWriter`.
/// - `number`: an amount (`Money.plainString`, "-1234.50"), a count, a percent ("-12.50%") or a
///   decimal, already formatted. Never defused: a negative amount must stay a number that Excel,
///   LibreOffice and openpyxl read as a number. Only pass text the program formatted from a
///   number; anything else is `text`.
public enum CSVField: Sendable, Equatable {
    case text(String)
    case number(String)
    /// Text a spreadsheet would read as a number (a 20-digit 数电票 number, an all-digit credit
    /// code, an account code): written as the formula `="…"`, which Excel and LibreOffice show
    /// as exactly that text. Only ASCII digits, spaces and `E` may be inside; anything else is
    /// written as a plain (defused) text field.
    case keptText(String)

    /// An empty cell.
    public static let empty = CSVField.text("")

    /// An amount in yuan with two decimals, no grouping ("-1234.50").
    public static func money(_ amount: Money) -> CSVField { .number(amount.plainString) }

    /// An amount, or an empty cell when there is none.
    public static func money(_ amount: Money?) -> CSVField { amount.map { .money($0) } ?? .empty }

    /// A count or other integer.
    public static func count(_ value: Int) -> CSVField { .number(String(value)) }

}

/// The one CSV writer of every CSV the program produces (report CSVs, the AO tables, the
/// audit package's evidence index): RFC 4180 fields, CRLF after every row
/// (the last one too), as Excel writes and expects. The caller chooses the bytes (UTF-8 with
/// BOM, or GB18030).
///
/// Formula defusing ("CSV injection", OWASP): a `text` field whose first character is `=`,
/// `+`, `-`, `@`, tab (U+0009) or carriage return (U+000D) gets a single quote `'` in front,
/// so that Excel and LibreOffice show it as text instead of running it
/// (`=HYPERLINK("http://x","y")` is written `"'=HYPERLINK(""http://x"",""y"")"`). The same
/// characters later in a field are left alone. `number` fields are never defused.
///
/// Quoting (RFC 4180): a field that holds a comma, a quote, CR or LF (after defusing) is
/// written in quotes, each quote inside doubled. `CSVText.parse` reads every row back to the
/// fields written (a defused text field with its leading `'`).
///
/// Works on UTF-8 bytes, not Characters (grapheme breaking is the slow part): every character
/// the rules look at is ASCII, and UTF-8 never uses ASCII byte values inside a multi-byte
/// scalar, so the first byte is the first character exactly when it is one of them.
public struct CSVWriter: Sendable {
    /// The CSV so far.
    public private(set) var text = ""

    public init() {}

    /// Appends one row (an empty array gives a blank line).
    public mutating func row(_ fields: [CSVField]) {
        Self.appendRow(fields, to: &text)
    }

    /// Appends one row of text fields.
    public mutating func row(text fields: [String]) {
        Self.appendRow(fields.map(CSVField.text), to: &text)
    }

    /// The whole CSV of `rows`.
    public static func render(_ rows: [[CSVField]]) -> String {
        var writer = CSVWriter()
        for row in rows { writer.row(row) }
        return writer.text
    }

    /// The whole CSV of `rows` whose fields are all text.
    public static func render(text rows: [[String]]) -> String {
        var writer = CSVWriter()
        for row in rows { writer.row(text: row) }
        return writer.text
    }

    /// `fields` separated by commas, then CRLF.
    public static func appendRow(_ fields: [CSVField], to out: inout String) {
        var first = true
        for field in fields {
            if !first { out.append(",") }
            first = false
            append(field, to: &out)
        }
        out.append("\r\n")
    }

    /// One field, defused (text only) and quoted as needed.
    public static func append(_ field: CSVField, to out: inout String) {
        switch field {
        case .text(let value):
            if startsLikeFormula(value) {
                appendQuoted("'", value, to: &out)
            } else {
                appendQuoted("", value, to: &out)
            }
        case .number(let value):
            appendQuoted("", value, to: &out)
        case .keptText(let value):
            if !value.isEmpty, value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 || $0 == 0x45 }) {
                appendQuoted("", "=\"" + value + "\"", to: &out)
            } else {
                append(.text(value), to: &out)
            }
        }
    }

    /// One field as it is written (without the separator).
    public static func escaped(_ field: CSVField) -> String {
        var out = ""
        append(field, to: &out)
        return out
    }

    /// `value` with the `'` a text field that starts like a formula gets (not yet quoted).
    public static func defused(_ value: String) -> String {
        startsLikeFormula(value) ? "'" + value : value
    }

    /// Whether a text field would be defused: its first character is `=` `+` `-` `@`, tab or CR.
    public static func startsLikeFormula(_ value: String) -> Bool {
        guard let first = value.utf8.first else { return false }
        return first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
    }

    /// `prefix + value`, in quotes (inner quotes doubled) when `value` holds `,` `"` CR or LF.
    private static func appendQuoted(_ prefix: String, _ value: String, to out: inout String) {
        var quotes = false, needsQuotes = false
        for byte in value.utf8 {
            if byte == 0x22 { quotes = true; needsQuotes = true; break }
            if byte == 0x2C || byte == 0x0A || byte == 0x0D { needsQuotes = true }
        }
        guard needsQuotes else {
            out.append(prefix)
            out.append(value)
            return
        }
        out.append("\"")
        out.append(prefix)
        if quotes {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(value.utf8.count + 8)
            for byte in value.utf8 {
                bytes.append(byte)
                if byte == 0x22 { bytes.append(0x22) }
            }
            out.append(String(decoding: bytes, as: UTF8.self))
        } else {
            out.append(value)
        }
        out.append("\"")
    }

}
