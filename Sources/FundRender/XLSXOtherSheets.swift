import CXLSXWriter
import FundCore
import FundReports

// The sheets that are not tables: "概要" (title block, facts, paragraphs), "记账凭证" (every
// voucher print as a block) and one data sheet with a native line chart per spending chart.
extension XLSXBook {
    // MARK: 概要

    func writeSummarySheet() throws {
        let sheet = try addSheet("概要")
        try setColumn(sheet, 0, width: 28)
        try setColumn(sheet, 1, width: 48)
        var row = try writeTitleBlock(sheet, lastColumn: 1, budget: 76)
        for section in document.sections {
            let notes = section.blocks.filter { block in
                switch block {
                case .facts, .paragraph: true
                default: false
                }
            }
            guard !notes.isEmpty else { continue }
            row += 1
            if let heading = section.heading, !heading.isEmpty {
                try writeMerged(sheet, row: row, first: 0, last: 1, heading, XLSXStyle(bold: true, size: 12))
                row += 1
            }
            for block in notes {
                row = try writeNote(sheet, block, at: row)
            }
        }
        setUpPage(sheet, orientation: .portrait)
    }

    private func writeNote(_ sheet: Sheet, _ block: Block, at first: Int) throws -> Int {
        var row = first
        switch block {
        case .paragraph(let text):
            try writeMerged(sheet, row: row, first: 0, last: 1, text, XLSXStyle(wrap: true))
            // Merged cells do not grow to fit wrapped text: size the row (76 cells wide).
            let lines = max(1, (TextTable.displayWidth(text) + 75) / 76)
            try setRowHeight(sheet, row, Double(lines) * 15 + 2)
            row += 1
        case .facts(let facts):
            for fact in facts {
                try writeText(sheet, row, 0, fact.label, XLSXStyle(grid: true, fill: Self.groupFill))
                let style = XLSXStyle(alignment: .left, grid: true)
                try writeFactValue(sheet, fact.value, row: row, style: style)
                row += 1
            }
        default:
            break
        }
        return row
    }

    private func writeFactValue(_ sheet: Sheet, _ value: Cell, row: Int, style: XLSXStyle) throws {
        var style = style
        switch value {
        case .money(let money), .moneySum(let money, _):
            style.number = .money
            try writeMoney(sheet, row, 1, money, style)
        case .date(let date):
            style.number = .date
            try writeDate(sheet, row, 1, date, style)
        case .count(let count):
            style.number = .count
            try writeNumber(sheet, row, 1, Double(count), style)
        case .percent(let percent):
            style.number = .percent
            try writeNumber(sheet, row, 1, Double(percent.hundredths) / 10_000, style)
        case .decimal(let hundredths), .decimalSum(let hundredths, _):
            style.number = .decimal
            try writeNumber(sheet, row, 1, Double(hundredths) / 100, style)
        case .empty, .text, .direction:
            try writeText(sheet, row, 1, CellText.text(value), style)
        }
    }

    // MARK: 记账凭证

    /// Each voucher as a block: title, header line (编制单位, date, 凭证字号, 附单据 N 张), the
    /// lines, a 合计 row with the 大写 amount and SUM formulas, the sign-off line. Two vouchers
    /// per printed page.
    func writeVoucherSheet(_ vouchers: [VoucherPrint]) throws {
        let sheet = try addSheet("记账凭证")
        for (column, width) in [30.0, 36, 14, 16, 16].enumerated() { try setColumn(sheet, column, width: width) }
        var row = 0
        var breaks: [lxw_row_t] = []
        for (index, voucher) in vouchers.enumerated() {
            row = try writeVoucher(sheet, voucher, at: row) + 1
            if index % 2 == 1 && index + 1 < vouchers.count && breaks.count < 1_000 {
                breaks.append(lxw_row_t(row))
            }
        }
        if !breaks.isEmpty {
            breaks.append(0)  // libxlsxwriter's list ends with 0
            try Self.check(worksheet_set_h_pagebreaks(sheet, &breaks), "设置分页")
        }
        setUpPage(sheet, orientation: .portrait)
    }

    /// Returns the row after the voucher's sign-off line.
    private func writeVoucher(_ sheet: Sheet, _ voucher: VoucherPrint, at first: Int) throws -> Int {
        var row = first
        try writeMerged(sheet, row: row, first: 0, last: 4, "记 账 凭 证", XLSXStyle(alignment: .centre, bold: true, size: 16))
        try setRowHeight(sheet, row, 26)
        row += 1
        try writeMerged(sheet, row: row, first: 0, last: 1, "编制单位：" + voucher.unit, XLSXStyle())
        try writeDate(sheet, row, 2, voucher.date, XLSXStyle(number: .chineseDate, alignment: .centre))
        try writeText(sheet, row, 3, "凭证字号：" + voucher.label, XLSXStyle(alignment: .right))
        try writeText(sheet, row, 4, "附单据 \(voucher.attachments) 张", XLSXStyle(alignment: .right))
        row += 1
        if let note = voucher.note, !note.isEmpty {
            try writeMerged(sheet, row: row, first: 0, last: 4, note, XLSXStyle(italic: true, colour: 0xC00000))
            row += 1
        }
        let header = XLSXStyle(alignment: .centre, bold: true, grid: true, fill: Self.headerFill)
        for (column, title) in ["摘要", "会计科目", "资金来源", "借方金额", "贷方金额"].enumerated() {
            try writeText(sheet, row, column, title, header)
        }
        row += 1
        let linesFirst = row
        let text = XLSXStyle(grid: true, wrap: true)
        let money = XLSXStyle(number: .money, alignment: .right, grid: true)
        for line in voucher.lines {
            try writeText(sheet, row, 0, line.memo, text)
            try writeText(sheet, row, 1, line.account, text)
            try writeText(sheet, row, 2, line.fund, text)
            if let debit = line.debit { try writeMoney(sheet, row, 3, debit, money) } else { try writeText(sheet, row, 3, "", money) }
            if let credit = line.credit { try writeMoney(sheet, row, 4, credit, money) } else { try writeText(sheet, row, 4, "", money) }
            row += 1
        }
        let lineRows = Array(linesFirst..<row)
        let total = XLSXStyle(bold: true, grid: true, topRule: .double)
        try writeMerged(sheet, row: row, first: 0, last: 2, "合计：" + AmountText.uppercase(voucher.debitTotal), total)
        var totalMoney = total
        totalMoney.number = .money
        totalMoney.alignment = .right
        try writeSum(sheet, row, 3, voucher.debitTotal, sheetRows: lineRows, totalMoney)
        try writeSum(sheet, row, 4, voucher.creditTotal, sheetRows: lineRows, totalMoney)
        row += 1
        try writeMerged(sheet, row: row, first: 0, last: 4, CellText.signatureLine(voucher.signatures), XLSXStyle())
        return row + 1
    }

    // MARK: Charts

    /// Months down, one column per series and per reference line (the same amount every month,
    /// so the native chart draws it as a flat line), then the chart beside the data.
    func writeChartSheet(_ chart: SpendingChart) throws {
        let (sheet, name) = try addNamedSheet(chart.title)
        let header = XLSXStyle(alignment: .centre, bold: true, grid: true, wrap: true, fill: Self.headerFill)
        let titles = ["月份"] + chart.series.map(\.name) + chart.references.map(\.label)
        try setColumn(sheet, 0, width: 10)
        for (column, title) in titles.enumerated() {
            if column > 0 { try setColumn(sheet, column, width: Double(max(14, min(TextTable.displayWidth(title) + 2, 30)))) }
            try writeText(sheet, 0, column, title, header)
        }
        worksheet_freeze_panes(sheet, 1, 1)
        let money = XLSXStyle(number: .money, alignment: .right, grid: true)
        for (index, month) in chart.months.enumerated() {
            let row = index + 1
            try writeText(sheet, row, 0, month.iso, XLSXStyle(alignment: .centre, grid: true))
            // A series stops at the as-of month; later months stay blank (the chart leaves a gap).
            for (offset, series) in chart.series.enumerated() where index < series.points.count {
                try writeMoney(sheet, row, 1 + offset, series.points[index], money)
            }
            for (offset, reference) in chart.references.enumerated() {
                try writeMoney(sheet, row, 1 + chart.series.count + offset, reference.amount, money)
            }
        }
        setUpPage(sheet, orientation: .landscape)
        guard !chart.months.isEmpty, titles.count > 1 else { return }
        try insertLineChart(sheet, sheetName: name, chart, anchorColumn: titles.count + 1)
    }

    private func insertLineChart(_ sheet: Sheet, sheetName: String, _ chart: SpendingChart, anchorColumn: Int) throws {
        let lineChart = try addChart(type: UInt8(LXW_CHART_LINE.rawValue))
        chart_title_set_name(lineChart, chart.title)
        let lastRow = lxw_row_t(chart.months.count)
        let colours: [UInt32] = [0x1F4E79, 0xC55A11, 0x548235, 0x7030A0, 0x806000]
        let columnCount = chart.series.count + chart.references.count
        for column in 1...columnCount {
            guard let series = chart_add_series(lineChart, nil, nil) else {
                throw RenderError(.xlsx, "无法添加图表数据系列")
            }
            chart_series_set_categories(series, sheetName, 1, 0, lastRow, 0)
            chart_series_set_values(series, sheetName, 1, lxw_col_t(column), lastRow, lxw_col_t(column))
            chart_series_set_name_range(series, sheetName, 0, lxw_col_t(column))
            let isReference = column > chart.series.count
            var line = lxw_chart_line()
            line.color = isReference ? 0x7F7F7F : colours[(column - 1) % colours.count]
            line.width = isReference ? 1.25 : 2.25
            line.dash_type = UInt8(isReference ? LXW_CHART_LINE_DASH_DASH.rawValue : LXW_CHART_LINE_DASH_SOLID.rawValue)
            chart_series_set_line(series, &line)
            if isReference { chart_series_set_marker_type(series, UInt8(LXW_CHART_MARKER_NONE.rawValue)) }
        }
        if let axis = lineChart.pointee.y_axis {
            chart_axis_set_num_format(axis, "#,##0")
            chart_axis_set_name(axis, "累计金额（元）")
        }
        if let axis = lineChart.pointee.x_axis { chart_axis_set_name(axis, "月份") }
        chart_legend_set_position(lineChart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        var options = lxw_chart_options()
        options.x_scale = 1.6
        options.y_scale = 1.5
        try Self.check(worksheet_insert_chart_opt(sheet, 1, lxw_col_t(anchorColumn), lineChart, &options), "插入图表")
    }
}
