import FundCore
import FundPDF
import FundReports

/// A table measured for the page: column edges, header heights and every row's height. Text
/// columns wrap (up to `linesPerCellMax` lines, then "…"); other columns stay on one line and
/// are made wide enough for their widest value.
struct PDFTableLayout {
    static let paddingX = 3.0
    static let paddingY = 3.0
    static let linesPerCellMax = 8
    static let headerGrey = 0.90
    static let groupGrey = 0.955
    static let ruleGrey = 0.25

    let table: DocumentTable
    /// Left edge of each column and the right edge of the last, from the table's left.
    var edges: [Double]
    var groupHeaderHeight: Double
    var columnHeaderHeight: Double
    var rowHeights: [Double]
    /// Group rows whose first cell spans the whole row.
    var spans: [Bool]
    var indentColumn: Int
    /// Facts grids: no header, values aligned by their type, the label column shaded.
    var isFacts = false

    var width: Double { edges[edges.count - 1] }
    var headerHeight: Double { isFacts ? 0 : groupHeaderHeight + columnHeaderHeight }

    static func font(_ role: Row.Role) -> PDFCanvas.Font {
        role == .body ? .body : .bodyBold
    }

    static func make(_ table: DocumentTable, canvas: PDFCanvas, width: Double) -> PDFTableLayout {
        let edges = columnEdges(table, canvas: canvas, width: width)
        var layout = PDFTableLayout(
            table: table, edges: edges, groupHeaderHeight: 0, columnHeaderHeight: 0, rowHeights: [],
            spans: table.rows.map { row in row.role == .group && row.cells.dropFirst().allSatisfy { $0 == .empty } },
            indentColumn: CellText.indentColumn(table))
        layout.measureHeader(canvas: canvas)
        layout.rowHeights = table.rows.indices.map { layout.measureRow($0, canvas: canvas) }
        return layout
    }

    /// Label | value, 60 % of the width (all of it on narrow pages).
    static func facts(_ facts: [Fact], canvas: PDFCanvas, width: Double) -> PDFTableLayout {
        let table = DocumentTable(
            name: "facts", columns: [Column("项目", .text, width: 20), Column("内容", .text, width: 24)],
            rows: facts.map { Row(.body, [.text($0.label), $0.value]) })
        let gridWidth = width > 600 ? width * 0.6 : width
        let labelWidth = min(gridWidth * 0.45, facts.map { canvas.measure($0.label, font: .body).width }.max().map { $0 + 4 * paddingX } ?? 0)
        var layout = PDFTableLayout(
            table: table, edges: [0, max(labelWidth, gridWidth * 0.3), gridWidth], groupHeaderHeight: 0,
            columnHeaderHeight: 0, rowHeights: [], spans: facts.map { _ in false }, indentColumn: -1, isFacts: true)
        layout.rowHeights = table.rows.indices.map { layout.measureRow($0, canvas: canvas) }
        return layout
    }

    // MARK: Measuring

    /// Widths from the hints (a character cell is half an em), non-text columns at least as
    /// wide as their widest value; spare width goes to the text columns, a shortage is taken
    /// from them first.
    static func columnEdges(_ table: DocumentTable, canvas: PDFCanvas, width: Double) -> [Double] {
        let cell = PDFCanvas.Font.body.spec.size / 2
        var widths = table.columns.map { Double(max($0.width, 2)) * cell + 2 * paddingX }
        let wraps = table.columns.map { $0.kind == .text }
        for column in table.columns.indices where !wraps[column] {
            var widest = 0.0
            for row in table.rows where row.role != .group {
                let text = CellText.text(row.cells[column])
                widest = max(widest, canvas.asciiWidth(text, bold: row.role != .body) ?? canvas.widthBound(text, bold: true))
            }
            widths[column] = max(widths[column], widest + 2 * paddingX + 1)
        }
        let total = widths.reduce(0, +)
        let flexible = widths.indices.filter { wraps[$0] }
        let flexibleTotal = flexible.reduce(0.0) { $0 + widths[$1] }
        if total <= width {
            // Spare width: text columns grow up to twice their hint, the rest goes to all columns.
            var spare = width - total
            if flexibleTotal > 0 {
                let growth = min(spare, flexibleTotal)
                for column in flexible { widths[column] += growth * widths[column] / flexibleTotal }
                spare -= growth
            }
            let grown = widths.reduce(0, +)
            widths = widths.map { $0 + spare * $0 / grown }
        } else if flexibleTotal > total - width + Double(flexible.count) * 36 {
            // Too wide: narrow the text columns (they wrap), keeping each at least 36 pt.
            let target = flexibleTotal - (total - width)
            for column in flexible { widths[column] *= target / flexibleTotal }
        } else {
            // Even narrowed text columns do not fit. Figures keep their width (an amount is never
            // cut); the other columns share what is left, codes cut with "…". Only when that
            // leaves them too little is everything scaled.
            let figures = table.columns.indices.filter { Self.isFigure(table.columns[$0].kind) }
            let fixed = figures.reduce(0.0) { $0 + widths[$1] }
            let others = table.columns.indices.filter { !Self.isFigure(table.columns[$0].kind) }
            let othersTotal = total - fixed
            if othersTotal > 0, width - fixed >= Double(others.count) * 24 {
                for column in others { widths[column] *= (width - fixed) / othersTotal }
            } else {
                widths = widths.map { $0 * width / total }
            }
        }
        var edges = [0.0]
        for width in widths { edges.append(edges[edges.count - 1] + width) }
        return edges
    }

    /// Columns whose cells are figures: an amount, a count, a percentage, a score or a date.
    static func isFigure(_ kind: Column.Kind) -> Bool {
        switch kind {
        case .money, .count, .percent, .decimal, .date: true
        case .text, .code, .direction: false
        }
    }

    mutating func measureHeader(canvas: PDFCanvas) {
        guard !isFacts else { return }
        let line = canvas.lineHeight(.bodyBold)
        func height(_ text: String, _ first: Int, _ last: Int) -> Double {
            let lines = canvas.measure(text, font: .bodyBold, width: edges[last + 1] - edges[first] - 2 * Self.paddingX, maxLines: 3).lines
            return Double(max(lines, 1)) * line + 2 * Self.paddingY
        }
        var columnRow = line + 2 * Self.paddingY
        var groupRow = 0.0
        var merged = 0.0
        var column = 0
        for group in table.groupHeader {
            if isMergedDown(group, at: column) {
                merged = max(merged, height(group.title.isEmpty ? table.columns[column].title : group.title, column, column))
            } else {
                groupRow = max(groupRow, height(group.title, column, column + group.span - 1))
                for offset in 0..<group.span {
                    columnRow = max(columnRow, height(table.columns[column + offset].title, column + offset, column + offset))
                }
            }
            column += group.span
        }
        if table.groupHeader.isEmpty {
            for index in table.columns.indices {
                columnRow = max(columnRow, height(table.columns[index].title, index, index))
            }
        } else {
            groupRow = max(groupRow, line + 2 * Self.paddingY)
            columnRow = max(columnRow, merged - groupRow)
        }
        groupHeaderHeight = groupRow
        columnHeaderHeight = columnRow
    }

    /// A one-column group titled like its column (or untitled) covers both header rows.
    func isMergedDown(_ group: HeaderGroup, at column: Int) -> Bool {
        group.span == 1 && (group.title.isEmpty || group.title == table.columns[column].title)
    }

    func textWidth(column: Int, row: Row) -> Double {
        let indent = column == indentColumn ? Double(row.indent) * PDFCanvas.Font.body.spec.size : 0
        return edges[column + 1] - edges[column] - 2 * Self.paddingX - indent
    }

    func measureRow(_ index: Int, canvas: PDFCanvas) -> Double {
        let row = table.rows[index]
        let font = Self.font(row.role)
        let line = canvas.lineHeight(font)
        var lines = 1
        if spans[index] {
            let text = CellText.text(row.cells[0])
            if canvas.widthBound(text, bold: true) > width - 2 * Self.paddingX {
                lines = canvas.measure(text, font: font, width: width - 2 * Self.paddingX, maxLines: 3).lines
            }
        } else {
            for (column, cell) in row.cells.enumerated() where table.columns[column].kind == .text {
                guard case .text(let text) = cell, !text.isEmpty else { continue }
                let available = textWidth(column: column, row: row)
                if canvas.widthBound(text, bold: font == .bodyBold) <= available { continue }
                lines = max(lines, canvas.measure(text, font: font, width: available, maxLines: Self.linesPerCellMax).lines)
            }
        }
        return Double(lines) * line + 2 * Self.paddingY
    }

    // MARK: Drawing

    func draw(rows: Range<Int>, canvas: PDFCanvas, x: Double, y: Double) {
        var top = y
        if !isFacts {
            drawHeader(canvas: canvas, x: x, y: top)
            top += headerHeight
        }
        let rowsTop = top
        var rowTops: [Double] = []
        rowTops.reserveCapacity(rows.count + 1)
        for index in rows {
            rowTops.append(top)
            top += rowHeights[index]
        }
        rowTops.append(top)
        for (offset, index) in rows.enumerated() where table.rows[index].role == .group || isFacts {
            let fillWidth = isFacts ? edges[1] : width
            canvas.fill(x, rowTops[offset], fillWidth, rowHeights[index], grey: Self.groupGrey)
        }
        for (offset, index) in rows.enumerated() {
            drawRow(index, canvas: canvas, x: x, y: rowTops[offset])
        }
        drawRules(rows: rows, rowTops: rowTops, canvas: canvas, x: x)
        // Outer frame around header and rows.
        canvas.rectangle(x, y, width, top - y)
        canvas.stroke(width: 0.9, grey: Self.ruleGrey)
        if !isFacts && rowsTop > y {
            canvas.line(x, rowsTop, x + width, rowsTop)
            canvas.stroke(width: 0.9, grey: Self.ruleGrey)
        }
    }

    private func drawHeader(canvas: PDFCanvas, x: Double, y: Double) {
        canvas.fill(x, y, width, headerHeight, grey: Self.headerGrey)
        // (title, first column, last column, top, height)
        var cells: [(String, Int, Int, Double, Double)] = []
        if table.groupHeader.isEmpty {
            for (index, column) in table.columns.enumerated() { cells.append((column.title, index, index, y, headerHeight)) }
        } else {
            var column = 0
            for group in table.groupHeader {
                if isMergedDown(group, at: column) {
                    cells.append((table.columns[column].title, column, column, y, headerHeight))
                } else {
                    cells.append((group.title, column, column + group.span - 1, y, groupHeaderHeight))
                    for offset in 0..<group.span {
                        cells.append((table.columns[column + offset].title, column + offset, column + offset,
                                      y + groupHeaderHeight, columnHeaderHeight))
                    }
                }
                column += group.span
            }
        }
        for (title, first, last, top, height) in cells {
            canvas.draw(title, font: .bodyBold, box: x + edges[first] + Self.paddingX, top,
                        edges[last + 1] - edges[first] - 2 * Self.paddingX, height, alignment: .centre, maxLines: 3)
        }
        for (_, first, last, top, height) in cells {
            canvas.rectangle(x + edges[first], top, edges[last + 1] - edges[first], height)
        }
        canvas.stroke(width: 0.4, grey: Self.ruleGrey)
    }

    private func drawRow(_ index: Int, canvas: PDFCanvas, x: Double, y: Double) {
        let row = table.rows[index]
        let font = Self.font(row.role)
        let height = rowHeights[index]
        if spans[index] {
            canvas.draw(CellText.text(row.cells[0]), font: font, box: x + Self.paddingX + Double(row.indent) * 9, y,
                        width - 2 * Self.paddingX, height, alignment: .left, maxLines: 3)
            return
        }
        for (column, cell) in row.cells.enumerated() {
            let text = CellText.text(cell)
            if text.isEmpty { continue }
            let kind = table.columns[column].kind
            var alignment = CellText.alignment(kind)
            if isFacts && column == 1 { alignment = Self.factAlignment(cell) }
            let indent = column == indentColumn ? Double(row.indent) * PDFCanvas.Font.body.spec.size : 0
            let left = x + edges[column] + Self.paddingX + indent
            let available = textWidth(column: column, row: row)
            // 红字: a negative amount prints in red as well as with its minus sign.
            canvas.draw(text, font: font, box: left, y, available, height, alignment: alignment,
                        maxLines: kind == .text ? Self.linesPerCellMax : 1, ink: cell.money?.isNegative == true ? .red : .black)
        }
    }

    static func factAlignment(_ cell: Cell) -> CellText.Alignment {
        switch cell {
        case .money, .moneySum, .count, .percent: .right
        default: .left
        }
    }

    /// Thin grid; a heavier rule above subtotal and cumulative rows, a double rule above the
    /// total; group rows that span the table interrupt the column rules.
    private func drawRules(rows: Range<Int>, rowTops: [Double], canvas: PDFCanvas, x: Double) {
        var runStart: Double?
        for (offset, index) in rows.enumerated() {
            let top = rowTops[offset]
            let bottom = rowTops[offset + 1]
            canvas.line(x, bottom, x + width, bottom)
            if spans[index] {
                if let start = runStart { verticals(canvas, x, start, top) }
                runStart = nil
            } else if runStart == nil {
                runStart = top
            }
        }
        if let start = runStart, let end = rowTops.last { verticals(canvas, x, start, end) }
        canvas.stroke(width: 0.4, grey: Self.ruleGrey)
        for (offset, index) in rows.enumerated() {
            let top = rowTops[offset]
            switch table.rows[index].role {
            case .subtotal, .cumulative:
                canvas.line(x, top, x + width, top)
                canvas.stroke(width: 1.0, grey: Self.ruleGrey)
            case .total:
                canvas.line(x, top - 1, x + width, top - 1)
                canvas.line(x, top + 1, x + width, top + 1)
                canvas.stroke(width: 0.5, grey: 0)
            case .body, .group:
                break
            }
        }
    }

    private func verticals(_ canvas: PDFCanvas, _ x: Double, _ top: Double, _ bottom: Double) {
        for edge in edges.dropFirst().dropLast() {
            canvas.line(x + edge, top, x + edge, bottom)
        }
    }
}
