import FundCore
import FundReports

/// A document as text for the terminal: the title and its block on one or two lines, each
/// section's heading as 【heading】, tables aligned through `TextTable` (CJK characters two
/// columns wide, indented names, a rule above subtotals and totals, amounts grouped 1,234.50),
/// facts as "label：value" lines. It formats only: every figure comes from the document.
public enum TextRenderer {
    /// Title lines longer than this (in terminal columns) break after the title.
    static let lineWidth = 100

    public static func render(_ document: ReportDocument) -> String {
        var out = titleLines(document)
        for section in document.sections {
            if let heading = section.heading { out += "\n【\(heading)】\n" }
            for block in section.blocks { out += render(block) }
        }
        if !document.signatures.isEmpty {
            out += "\n" + CellText.signatureLine(document.signatures, separator: "　") + "\n"
        }
        return out
    }

    /// "科目余额表　编制单位：…　期间：…　单位：元", or the title alone on the first line and
    /// the block on the second when that is too wide.
    static func titleLines(_ document: ReportDocument) -> String {
        let block = document.titleBlock.map { "\($0.label)：\($0.value)" }.joined(separator: "　")
        if block.isEmpty { return document.title + "\n" }
        let line = document.title + "　" + block
        return TextTable.displayWidth(line) <= lineWidth ? line + "\n" : document.title + "\n" + block + "\n"
    }

    static func render(_ block: Block) -> String {
        switch block {
        case .paragraph(let text):
            return text + "\n"
        case .facts(let facts):
            return facts.map { "\($0.label)：\(CellText.text($0.value))\n" }.joined()
        case .table(let table):
            return (table.caption.map { $0 + "\n" } ?? "") + render(table)
        case .voucher(let voucher):
            return render(voucher)
        case .chart(let chart):
            return render(chart)
        }
    }

    /// Column titles: a column under a group header reads "期初余额借方" when its own title is a
    /// short word the group qualifies (借方, 贷方), else its own title.
    static func headers(_ table: DocumentTable) -> [String] {
        var titles = table.columns.map(\.title)
        var column = 0
        for group in table.groupHeader {
            if group.span > 1 {
                for index in column..<(column + group.span) where TextTable.displayWidth(titles[index]) <= 4 && !titles[index].contains(group.title) {
                    titles[index] = group.title + titles[index]
                }
            }
            column += group.span
        }
        return titles
    }

    /// A table wider than this (in terminal columns) is printed as records instead (see
    /// `records`): a findings table with its explanations does not fit a terminal as columns.
    static let tableWidthMax = 160

    static func render(_ table: DocumentTable) -> String {
        let columns = columnsText(table)
        let widest = columns.split(separator: "\n").map { TextTable.displayWidth(String($0)) }.max() ?? 0
        return widest <= tableWidthMax ? columns : records(table)
    }

    /// One block per row: the first cell as its heading, then "title：value" for every other
    /// cell that is not empty, short ones gathered on a line, long ones on their own; a group
    /// row as a heading of its own.
    static func records(_ table: DocumentTable) -> String {
        let titles = headers(table)
        var out = ""
        for row in table.rows {
            let cells = row.cells.map(CellText.text)
            if row.role == .group {
                out += "\n" + cells.filter { !$0.isEmpty }.joined(separator: "　") + "\n"
                continue
            }
            out += cells.first.map { $0.isEmpty ? "" : $0 + "\n" } ?? ""
            var line = ""
            for (title, value) in zip(titles.dropFirst(), cells.dropFirst()) where !value.isEmpty {
                let item = "\(title)：\(value)"
                if TextTable.displayWidth(line) + TextTable.displayWidth(item) + 2 > lineWidth, !line.isEmpty {
                    out += "  " + line + "\n"
                    line = ""
                }
                line += (line.isEmpty ? "" : "　") + item
            }
            if !line.isEmpty { out += "  " + line + "\n" }
        }
        return out
    }

    static func columnsText(_ table: DocumentTable) -> String {
        let alignments = table.columns.map { CellText.alignment($0.kind) == .right ? TextTable.Alignment.right : .left }
        var text = TextTable(headers: headers(table), alignments: alignments)
        let indentColumn = CellText.indentColumn(table)
        var previous: Row.Role?
        for row in table.rows {
            // A rule above a subtotal or total that follows ordinary rows (one rule above a run
            // of total rows, none above 本年累计 under 本月合计).
            if row.role == .subtotal || row.role == .total, let previous, previous == .body || previous == .group {
                text.addRule()
            }
            text.add(row.cells.enumerated().map { index, cell in
                let value = CellText.text(cell)
                return index == indentColumn && row.indent > 0 && !value.isEmpty ? String(repeating: "  ", count: row.indent) + value : value
            })
            previous = row.role
        }
        return text.render()
    }

    static func render(_ voucher: VoucherPrint) -> String {
        // The document's title already says 记账凭证: the header starts at the voucher's number.
        var out = "\(voucher.label)　\(voucher.date.chinese)　附单据 \(voucher.attachments) 张\n"
        if let note = voucher.note { out += note + "\n" }
        var table = TextTable(headers: ["摘要", "会计科目", "资金来源", "借方金额", "贷方金额"], alignments: [.left, .left, .left, .right, .right])
        for line in voucher.lines {
            table.add([line.memo, line.account, line.fund, line.debit?.groupedString ?? "", line.credit?.groupedString ?? ""])
        }
        table.addRule()
        table.add(["合计", "", "", voucher.debitTotal.groupedString, voucher.creditTotal.groupedString])
        out += table.render()
        if !voucher.signatures.isEmpty {
            out += voucher.signatures.map { "\($0.label)：\($0.value)" }.joined(separator: "　") + "\n"
        }
        return out
    }

    /// The chart's figures: a row per month, a column per series (blank after a series ends),
    /// the reference lines under it.
    static func render(_ chart: SpendingChart) -> String {
        var table = TextTable(headers: ["月份"] + chart.series.map(\.name), alignments: [.left] + chart.series.map { _ in .right })
        for (index, month) in chart.months.enumerated() {
            let marker = month == chart.asOf ? " *" : ""
            table.add([month.iso + marker] + chart.series.map { index < $0.points.count ? $0.points[index].groupedString : "" })
        }
        var out = chart.title + "\n" + table.render()
        for reference in chart.references { out += "\(reference.label)\n" }
        return out
    }
}
