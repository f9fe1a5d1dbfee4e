import CXLSXWriter
import FundCore
import FundReports

// A table's sheet: title and title block, the header rows (frozen, repeated on every printed
// page), the rows with their roles, and the signature line.
extension XLSXBook {
    static let headerFill: UInt32 = 0xE7E6E6
    static let groupFill: UInt32 = 0xF2F2F2

    func writeTableSheet(_ table: DocumentTable, heading: String?) throws {
        let sheet = try addSheet(table.name)
        let last = max(table.columns.count - 1, 0)
        let widths = Self.columnWidths(table)
        for (column, width) in widths.enumerated() { try setColumn(sheet, column, width: width) }
        var row = try writeTitleBlock(sheet, lastColumn: last, budget: Int(widths.reduce(0, +)))
        let caption = [heading, table.caption].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "　")
        if !caption.isEmpty {
            try writeMerged(sheet, row: row, first: 0, last: last, caption, XLSXStyle(bold: true))
            row += 1
        }
        let headerFirst = row
        row = try writeHeader(sheet, table, at: row)
        worksheet_freeze_panes(sheet, lxw_row_t(row), 0)
        try Self.check(worksheet_repeat_rows(sheet, lxw_row_t(headerFirst), lxw_row_t(row - 1)), "设置打印标题行")
        let dataFirst = row
        guard dataFirst + table.rows.count < Self.rowsMax else {
            throw RenderError(.xlsx, "表「\(table.name)」有 \(table.rows.count) 行，超出 Excel 工作表行数上限")
        }
        let indentColumn = CellText.indentColumn(table)
        for (index, tableRow) in table.rows.enumerated() {
            try writeRow(sheet, tableRow, table: table, sheetRow: dataFirst + index, dataFirst: dataFirst, indentColumn: indentColumn)
        }
        row = dataFirst + table.rows.count
        if !document.signatures.isEmpty {
            try writeMerged(sheet, row: row + 1, first: 0, last: last, CellText.signatureLine(document.signatures), XLSXStyle())
        }
        setUpPage(sheet, orientation: document.orientation)
    }

    /// The title (large, bold, centred) and the title-block items packed into lines that fit
    /// the sheet's width; returns the next free row.
    func writeTitleBlock(_ sheet: Sheet, lastColumn: Int, budget: Int) throws -> Int {
        try writeMerged(sheet, row: 0, first: 0, last: lastColumn, document.title, XLSXStyle(alignment: .centre, bold: true, size: 16))
        try setRowHeight(sheet, 0, 28)
        var row = 1
        for line in Self.packed(document.titleBlock.map { $0.label + "：" + $0.value }, budget: max(budget, 40)) {
            try writeMerged(sheet, row: row, first: 0, last: lastColumn, line, XLSXStyle())
            row += 1
        }
        return row
    }

    /// Items joined by wide spaces into lines no wider than `budget` character cells.
    static func packed(_ items: [String], budget: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for item in items {
            let candidate = current.isEmpty ? item : current + "　　" + item
            if !current.isEmpty && TextTable.displayWidth(candidate) > budget {
                lines.append(current)
                current = item
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The group header (when present) over the column titles. A one-column group whose title
    /// is the column's own (or empty) is merged down over both rows.
    func writeHeader(_ sheet: Sheet, _ table: DocumentTable, at first: Int) throws -> Int {
        let style = XLSXStyle(alignment: .centre, bold: true, grid: true, wrap: true, fill: Self.headerFill)
        guard !table.groupHeader.isEmpty else {
            for (column, title) in table.columns.map(\.title).enumerated() {
                try writeText(sheet, first, column, title, style)
            }
            return first + 1
        }
        var column = 0
        for group in table.groupHeader {
            let titles = table.columns[column..<column + group.span].map(\.title)
            if group.span == 1 && (group.title.isEmpty || group.title == titles[0]) {
                try writeMerged(sheet, row: first, first: column, last: column, titles[0], style, lastRow: first + 1)
            } else {
                try writeMerged(sheet, row: first, first: column, last: column + group.span - 1, group.title, style)
                for (offset, title) in titles.enumerated() {
                    try writeText(sheet, first + 1, column + offset, title, style)
                }
            }
            column += group.span
        }
        return first + 2
    }

    func writeRow(
        _ sheet: Sheet, _ row: Row, table: DocumentTable, sheetRow: Int, dataFirst: Int, indentColumn: Int
    ) throws {
        var base = XLSXStyle(grid: true)
        switch row.role {
        case .body: break
        case .subtotal: base.bold = true; base.topRule = .medium
        case .cumulative: base.bold = true; base.topRule = .medium
        case .total: base.bold = true; base.topRule = .double
        case .group: base.bold = true; base.fill = Self.groupFill
        }
        if row.role == .group && row.cells.dropFirst().allSatisfy({ $0 == .empty }) {
            var style = base
            style.indent = row.indent
            try writeMerged(sheet, row: sheetRow, first: 0, last: max(table.columns.count - 1, 0), CellText.text(row.cells[0]), style)
            return
        }
        for (column, cell) in row.cells.enumerated() {
            var style = base
            style.alignment = CellText.alignment(table.columns[column].kind)
            style.wrap = table.columns[column].kind == .text
            if column == indentColumn { style.indent = row.indent }
            try writeCell(sheet, cell, sheetRow: sheetRow, column: column, style: style, table: table, dataFirst: dataFirst)
        }
    }

    func writeCell(
        _ sheet: Sheet, _ cell: Cell, sheetRow: Int, column: Int, style: XLSXStyle, table: DocumentTable, dataFirst: Int
    ) throws {
        var style = style
        switch cell {
        case .empty:
            try writeText(sheet, sheetRow, column, "", style)
        case .text(let text):
            try writeText(sheet, sheetRow, column, text, style)
        case .direction(let direction):
            style.alignment = .centre
            try writeText(sheet, sheetRow, column, direction.rawValue, style)
        case .money(let money):
            style.number = .money
            try writeMoney(sheet, sheetRow, column, money, style)
        case .moneySum(let money, let rows):
            precondition(rows.allSatisfy { $0 >= 0 && $0 < table.rows.count && $0 != sheetRow - dataFirst },
                         "a total names other rows of its table")
            style.number = .money
            try writeSum(sheet, sheetRow, column, money, sheetRows: rows.map { dataFirst + $0 }, style)
        case .date(let date):
            style.number = .date
            try writeDate(sheet, sheetRow, column, date, style)
        case .count(let count):
            style.number = .count
            try writeNumber(sheet, sheetRow, column, Double(count), style)
        case .percent(let percent):
            style.number = .percent
            try writeNumber(sheet, sheetRow, column, Double(percent.hundredths) / 10_000, style)
        case .decimal(let hundredths):
            style.number = .decimal
            try writeNumber(sheet, sheetRow, column, Double(hundredths) / 100, style)
        case .decimalSum(let hundredths, let rows):
            precondition(rows.allSatisfy { $0 >= 0 && $0 < table.rows.count && $0 != sheetRow - dataFirst },
                         "a total names other rows of its table")
            style.number = .decimal
            try writeDecimalSum(sheet, sheetRow, column, hundredths, sheetRows: rows.map { dataFirst + $0 }, style)
        }
    }

    /// Excel widths in character cells (a CJK character counts two, as in `Column.width`): the
    /// hint, widened to fit the title and the widest value; text columns stop growing at twice
    /// their hint (at least 40 cells) and wrap beyond it.
    static func columnWidths(_ table: DocumentTable) -> [Double] {
        table.columns.enumerated().map { column, spec in
            var widest = 0
            for row in table.rows where row.role != .group {
                widest = max(widest, TextTable.displayWidth(CellText.text(row.cells[column])))
            }
            var width = max(spec.width, TextTable.displayWidth(spec.title))
            width = max(width, spec.kind == .text ? min(widest, max(spec.width * 2, 40)) : widest)
            return Double(min(width, 120) + 2)
        }
    }
}
