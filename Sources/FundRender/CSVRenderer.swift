import FundCore
import FundReports

/// A document as one CSV text: the title block as label/value rows, then each table with its
/// headers, blank rows between parts. Amounts are plain numbers ("30000.00", no grouping) so
/// that spreadsheets read them as numbers; the caller chooses the bytes (UTF-8 with BOM, or
/// GB18030) — see `ReportFile` in FundApp.
public enum CSVRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out: [[String]] = [[document.title]]
        for item in document.titleBlock { out.append([item.label, item.value]) }
        for section in document.sections {
            out.append([])
            if let heading = section.heading { out.append([heading]) }
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    out.append([text])
                case .facts(let facts):
                    for fact in facts { out.append([fact.label, text(fact.value)]) }
                case .table(let table):
                    if let caption = table.caption { out.append([caption]) }
                    if !table.groupHeader.isEmpty {
                        out.append(table.groupHeader.flatMap { [$0.title] + Array(repeating: "", count: $0.span - 1) })
                    }
                    out.append(table.columns.map(\.title))
                    for row in table.rows {
                        out.append(row.cells.enumerated().map { index, cell in
                            index == 0 && row.indent > 0 ? String(repeating: "  ", count: row.indent) + text(cell) : text(cell)
                        })
                    }
                    out.append([])
                case .voucher(let voucher):
                    out.append(["记账凭证", voucher.label, voucher.date.iso, "附单据 \(voucher.attachments) 张"])
                    if let note = voucher.note { out.append([note]) }
                    out.append(["摘要", "会计科目", "资金", "借方金额", "贷方金额"])
                    for line in voucher.lines {
                        out.append([line.memo, line.account, line.fund, line.debit?.plainString ?? "", line.credit?.plainString ?? ""])
                    }
                    out.append(["合计", AmountText.uppercase(voucher.debitTotal), "", voucher.debitTotal.plainString, voucher.creditTotal.plainString])
                    out.append(voucher.signatures.map { "\($0.label)：\($0.value)" })
                    out.append([])
                case .chart:
                    // The chart's figures follow as a table in the same section.
                    break
                }
            }
        }
        if !document.signatures.isEmpty {
            out.append(document.signatures.map { "\($0.label)：\($0.value)" })
        }
        return out.map { $0.map(CSVText.escape).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// Text that a spreadsheet would run as a formula (=, +, -, @ first: "CSV injection") gets
    /// a leading apostrophe, which Excel and LibreOffice show as plain text.
    static func defused(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    static func text(_ cell: Cell) -> String {
        switch cell {
        case .empty: ""
        case .text(let value): defused(value)
        case .money(let value), .moneySum(let value, _): value.plainString
        case .date(let value): value.iso
        case .count(let value): String(value)
        case .percent(let value): value.text
        case .decimal(let hundredths): Cell.decimalText(hundredths)
        case .direction(let value): value.rawValue
        }
    }
}
