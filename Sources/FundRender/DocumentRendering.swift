import FundCore
import FundPDF
import FundReports

// Shared by the XLSX and PDF renderers: the error they throw and the one place that decides
// how a typed cell reads as text. Neither renderer adds anything up: every figure, subtotal
// and total comes from the document.

/// A document could not be written. These are environment or library failures (a temporary
/// file that cannot be written, a C library reporting an error), not rejected input.
public struct RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Format: String, Sendable {
        case xlsx, pdf
    }

    public let format: Format
    public let message: String

    public init(_ format: Format, _ message: String) {
        self.format = format
        self.message = message
    }

    public var description: String { "\(format.rawValue.uppercased()) 输出失败：\(message)" }
}

/// How cells read in paged output and where they sit in their column.
enum CellText {
    /// The PDF engine's alignment (the XLSX renderer uses the same three).
    typealias Alignment = PDFTextAlignment

    /// The text of a cell as printed: amounts grouped (1,234.50), dates ISO, percentages with
    /// two decimals.
    static func text(_ cell: Cell) -> String {
        switch cell {
        case .empty: ""
        case .text(let text): text
        case .money(let money), .moneySum(let money, _): money.groupedString
        case .date(let date): date.iso
        case .count(let count): String(count)
        case .percent(let percent): percent.text
        case .decimal(let hundredths), .decimalSum(let hundredths, _): Cell.decimalText(hundredths)
        case .direction(let direction): direction.rawValue
        }
    }

    static func alignment(_ kind: Column.Kind) -> Alignment {
        switch kind {
        case .text, .code: .left
        case .money, .count, .percent, .decimal: .right
        case .date, .direction: .centre
        }
    }

    /// The column whose cell carries a row's indent: the first text column (the account name
    /// in a 科目余额表, where the code column stays flush), or the first column.
    static func indentColumn(_ table: DocumentTable) -> Int {
        table.columns.firstIndex { $0.kind == .text } ?? 0
    }

    /// A 凭证 date as printed on the form: 2025年03月05日.
    static func voucherDate(_ date: CalendarDate) -> String {
        "\(date.year)年" + two(date.month) + "月" + two(date.day) + "日"
    }

    /// Sign-off roles as one line: 会计主管：张三　　复核：______.
    static func signatureLine(_ signatures: [LabeledValue], separator: String = "　　") -> String {
        signatures.map { $0.label + "：" + ($0.value.isEmpty ? "______" : $0.value) }
            .joined(separator: separator)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension CalendarDate {
    /// Seconds since 1970-01-01T00:00:00Z at midnight UTC of this day.
    var unixTime: Int {
        dayNumber * 86_400
    }
}
