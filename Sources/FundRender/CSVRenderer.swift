import FundCore
import FundReports

/// A document as one CSV text: the title block as label/value rows, then each table with its
/// headers, blank rows between parts. Written by `CSVWriter`: amounts, counts, percents and
/// decimals are number fields, plain ("30000.00", no grouping) so that spreadsheets read them
/// as numbers; everything else is a text field, defused when it starts like a formula. The
/// caller chooses the bytes (UTF-8 with BOM, or GB18030) — see `ReportFile` in FundApp.
public enum CSVRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out = CSVWriter()
        out.row(text: [document.title])
        for item in document.titleBlock { out.row(text: [item.label, item.value]) }
        for section in document.sections {
            out.row([])
            if let heading = section.heading { out.row(text: [heading]) }
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    out.row(text: [text])
                case .facts(let facts):
                    for fact in facts { out.row([.text(fact.label), field(fact.value)]) }
                case .table(let table):
                    if let caption = table.caption { out.row(text: [caption]) }
                    if !table.groupHeader.isEmpty {
                        out.row(text: table.groupHeader.flatMap { [$0.title] + Array(repeating: "", count: $0.span - 1) })
                    }
                    out.row(text: table.columns.map(\.title))
                    for row in table.rows {
                        out.row(row.cells.enumerated().map { index, cell in
                            index == 0 && row.indent > 0 ? indented(cell, row.indent) : field(cell)
                        })
                    }
                    out.row([])
                case .voucher(let voucher):
                    out.row(text: ["记账凭证", voucher.label, voucher.date.iso, "附单据 \(voucher.attachments) 张"])
                    if let note = voucher.note { out.row(text: [note]) }
                    out.row(text: ["摘要", "会计科目", "资金", "借方金额", "贷方金额"])
                    for line in voucher.lines {
                        out.row([.text(line.memo), .text(line.account), .text(line.fund), .money(line.debit), .money(line.credit)])
                    }
                    out.row([
                        .text("合计"), .text(AmountText.uppercase(voucher.debitTotal)), .empty, .money(voucher.debitTotal),
                        .money(voucher.creditTotal),
                    ])
                    out.row(text: voucher.signatures.map { "\($0.label)：\($0.value)" })
                    out.row([])
                case .chart:
                    // The chart's figures follow as a table in the same section.
                    break
                }
            }
        }
        if !document.signatures.isEmpty {
            out.row(text: document.signatures.map { "\($0.label)：\($0.value)" })
        }
        return out.text
    }

    /// A cell as a typed CSV field: amounts, counts, percents and decimals are numbers; text
    /// a spreadsheet would read as a number stays text (`keptText`).
    static func field(_ cell: Cell) -> CSVField {
        switch cell {
        case .empty: .empty
        case .text(let value): keptText(value)
        case .money(let value), .moneySum(let value, _): .money(value)
        case .date(let value): .text(value.iso)
        case .count(let value): .count(value)
        case .percent(let value): .number(value.text)
        case .decimal(let hundredths), .decimalSum(let hundredths, _): .number(Cell.decimalText(hundredths))
        case .direction(let value): .text(value.rawValue)
        }
    }

    /// The first cell of an indented row: two spaces a level in front; the cell's own text
    /// defused as on its own (the spaces hide nothing), and an indented code kept as text.
    static func indented(_ cell: Cell, _ indent: Int) -> CSVField {
        let spaces = String(repeating: "  ", count: indent)
        if case .text(let text) = cell, readsAsNumber(text) { return keptText(spaces + text) }
        let value = switch field(cell) {
        case .text(let text): CSVWriter.defused(text)
        case .number(let text): text
        case .keptText(let text): text
        }
        return .text(spaces + value)
    }

    /// Text that Excel and LibreOffice would read as a number — a 20-digit 数电票 number
    /// (rounded to 15 digits and shown as 1.23457E+19), an all-digit credit code, an account
    /// code, digits with an E between them — is written as the formula `="…"`, which both show
    /// as exactly that text. Only spaces and ASCII digits (and one E) go inside the quotes, so
    /// nothing can be injected (`CSVField.keptText`, which checks that again). Other text
    /// is a plain text field.
    static func keptText(_ text: String) -> CSVField {
        guard readsAsNumber(text.trimmingSpaces) else { return .text(text) }
        return .keptText(text)
    }

    /// ASCII digits only, or digits E digits (a spreadsheet's scientific notation).
    static func readsAsNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, first.isDigit, last.isDigit else { return false }
        let exponents = bytes.filter { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }.count
        return exponents <= 1 && bytes.allSatisfy { $0.isDigit || $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
