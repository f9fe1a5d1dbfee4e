import CXLSXWriter
import Foundation
import FundCore
import FundReports

/// Writes a `ReportDocument` as an Excel workbook (libxlsxwriter): one sheet per table, a
/// "概要" sheet for facts and paragraphs, a "记账凭证" sheet for voucher prints and a data sheet
/// (with a native line chart) per spending chart. Amounts are numbers formatted `#,##0.00`,
/// totals are live `=SUM(…)` formulas carrying the document's figure as their cached value.
public enum XLSXRenderer {
    /// The workbook's bytes. Throws `RenderError` when the temporary file or libxlsxwriter fails.
    public static func render(_ document: ReportDocument) throws -> Data {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("workshop-ledger-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let book = try XLSXBook(path: url.path, document: document)
        do {
            try book.writeDocument()
        } catch {
            book.abandon()
            throw error
        }
        try book.close()
        do {
            return try Data(contentsOf: url)
        } catch {
            throw RenderError(.xlsx, "无法读回临时文件 \(url.path)：\(error)")
        }
    }
}

/// One workbook being written. Owns the libxlsxwriter handle (never shared, never global) and
/// the formats created so far; libxlsxwriter frees both in `workbook_close`.
final class XLSXBook {
    typealias Sheet = UnsafeMutablePointer<lxw_worksheet>
    typealias Format = UnsafeMutablePointer<lxw_format>

    static let rowsMax = 1_048_576
    static let columnsMax = 16_384
    /// Thousands separators, two decimals, and 红字: a negative amount shows in red with its
    /// minus sign, as Chinese account books print a red reversal.
    static let moneyFormat = "#,##0.00;[Red]-#,##0.00"

    let document: ReportDocument
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [XLSXStyle: Format] = [:]
    private(set) var sheetNames: Set<String> = []

    init(path: String, document: ReportDocument) throws {
        self.document = document
        guard let workbook = workbook_new(path) else {
            throw RenderError(.xlsx, "libxlsxwriter 无法创建工作簿 \(path)")
        }
        self.workbook = workbook
        // A fixed creation time makes the file reproducible: libxlsxwriter stamps it into
        // docProps/core.xml and into the ZIP entries.
        if let date = document.date {
            var properties = lxw_doc_properties()
            properties.title = nil
            properties.created = date.unixTime
            _ = workbook_set_properties(workbook, &properties)
        }
    }

    func close() throws {
        guard let workbook else { preconditionFailure("workbook closed twice") }
        self.workbook = nil
        let error = workbook_close(workbook)
        guard error == LXW_NO_ERROR else {
            throw RenderError(.xlsx, "workbook_close 失败：" + String(cString: lxw_strerror(error)))
        }
    }

    /// Frees the workbook after a failure; the half-written file is deleted by the caller.
    func abandon() {
        if let workbook { _ = workbook_close(workbook) }
        workbook = nil
    }

    // MARK: Sheets in document order

    func writeDocument() throws {
        let hasNotes = document.sections.contains { section in
            section.blocks.contains { block in
                switch block {
                case .facts, .paragraph: true
                default: false
                }
            }
        }
        let hasSheets = document.sections.contains { section in
            section.blocks.contains { block in
                if case .table = block { return true }
                if case .voucher = block { return true }
                if case .chart = block { return true }
                return false
            }
        }
        if hasNotes || !hasSheets { try writeSummarySheet() }
        let vouchers = document.sections.flatMap { section in
            section.blocks.compactMap { block -> VoucherPrint? in
                if case .voucher(let voucher) = block { return voucher }
                return nil
            }
        }
        var vouchersWritten = false
        for section in document.sections {
            for block in section.blocks {
                switch block {
                case .table(let table):
                    try writeTableSheet(table, heading: section.heading)
                case .voucher:
                    if !vouchersWritten { try writeVoucherSheet(vouchers) }
                    vouchersWritten = true
                case .chart(let chart):
                    try writeChartSheet(chart)
                case .facts, .paragraph:
                    break
                }
            }
        }
    }

    func addSheet(_ wanted: String) throws -> Sheet { try addNamedSheet(wanted).sheet }

    /// A new sheet under a valid, unused name derived from `wanted`, and that name.
    func addNamedSheet(_ wanted: String) throws -> (sheet: Sheet, name: String) {
        guard let workbook else { preconditionFailure("workbook already closed") }
        let name = XLSXFormula.sheetName(wanted, taken: sheetNames)
        sheetNames.insert(name)
        guard let sheet = workbook_add_worksheet(workbook, name) else {
            throw RenderError(.xlsx, "无法添加工作表「\(name)」")
        }
        return (sheet, name)
    }

    func addChart(type: UInt8) throws -> UnsafeMutablePointer<lxw_chart> {
        guard let workbook else { preconditionFailure("workbook already closed") }
        guard let chart = workbook_add_chart(workbook, type) else {
            throw RenderError(.xlsx, "无法添加图表")
        }
        return chart
    }

    /// A4, the document's orientation, one page wide, centred, page numbers in the footer.
    func setUpPage(_ sheet: Sheet, orientation: Orientation) {
        worksheet_set_paper(sheet, 9)  // 9 = A4
        if orientation == .landscape { worksheet_set_landscape(sheet) } else { worksheet_set_portrait(sheet) }
        worksheet_fit_to_pages(sheet, 1, 0)
        worksheet_center_horizontally(sheet)
        worksheet_set_margins(sheet, 0.5, 0.5, 0.6, 0.6)
        _ = worksheet_set_footer(sheet, "&C第 &P 页 共 &N 页")
    }

    // MARK: Formats

    func format(_ style: XLSXStyle) -> Format {
        if let format = formats[style] { return format }
        guard let workbook, let format = workbook_add_format(workbook) else {
            preconditionFailure("libxlsxwriter could not allocate a format")
        }
        style.apply(to: format)
        formats[style] = format
        return format
    }

    // MARK: Checked writes

    static func check(_ error: lxw_error, _ what: @autoclosure () -> String) throws {
        guard error == LXW_NO_ERROR else {
            throw RenderError(.xlsx, what() + "：" + String(cString: lxw_strerror(error)))
        }
    }

    static func position(_ row: Int, _ column: Int) throws -> (lxw_row_t, lxw_col_t) {
        guard row >= 0, row < rowsMax, column >= 0, column < columnsMax else {
            throw RenderError(.xlsx, "超出 Excel 工作表范围（第 \(row + 1) 行，第 \(column + 1) 列）")
        }
        return (lxw_row_t(row), lxw_col_t(column))
    }

    func writeText(_ sheet: Sheet, _ row: Int, _ column: Int, _ text: String, _ style: XLSXStyle) throws {
        let (r, c) = try Self.position(row, column)
        let format = format(style)
        if text.isEmpty {
            try Self.check(worksheet_write_blank(sheet, r, c, format), "写入空单元格")
        } else {
            try Self.check(worksheet_write_string(sheet, r, c, text, format), "写入文本「\(text.prefix(20))」")
        }
    }

    func writeNumber(_ sheet: Sheet, _ row: Int, _ column: Int, _ value: Double, _ style: XLSXStyle) throws {
        let (r, c) = try Self.position(row, column)
        try Self.check(worksheet_write_number(sheet, r, c, value, format(style)), "写入数值")
    }

    /// Money enters floating point only here, at the file's edge: `Double(fen) / 100` is the
    /// nearest double to the exact yuan amount for every |fen| < 2^53 (about 90 万亿元), and
    /// Excel keeps 15 significant digits, so the displayed two decimals are always exact.
    static func yuan(_ money: Money) -> Double { Double(money.fen) / 100 }

    func writeMoney(_ sheet: Sheet, _ row: Int, _ column: Int, _ money: Money, _ style: XLSXStyle) throws {
        try writeNumber(sheet, row, column, Self.yuan(money), style)
    }

    /// `=SUM(…)` over the given sheet rows of `column`, with `money` as the cached result so that
    /// readers that do not recalculate (openpyxl, previewers) still show the figure. Falls back
    /// to the plain number when no formula fits Excel's limits.
    func writeSum(
        _ sheet: Sheet, _ row: Int, _ column: Int, _ money: Money, sheetRows: [Int], _ style: XLSXStyle
    ) throws {
        guard let formula = XLSXFormula.sum(column: column, sheetRows: sheetRows) else {
            try writeMoney(sheet, row, column, money, style)
            return
        }
        let (r, c) = try Self.position(row, column)
        try Self.check(
            worksheet_write_formula_num(sheet, r, c, formula, format(style), Self.yuan(money)), "写入公式 \(formula.prefix(40))")
    }

    /// A `decimalSum`: the formula with the document's value cached (the plain number when
    /// there is no formula to write).
    func writeDecimalSum(
        _ sheet: Sheet, _ row: Int, _ column: Int, _ hundredths: Int64, sheetRows: [Int], _ style: XLSXStyle
    ) throws {
        let value = Double(hundredths) / 100
        guard let formula = XLSXFormula.sum(column: column, sheetRows: sheetRows) else {
            try writeNumber(sheet, row, column, value, style)
            return
        }
        let (r, c) = try Self.position(row, column)
        try Self.check(worksheet_write_formula_num(sheet, r, c, formula, format(style), value), "写入公式 \(formula.prefix(40))")
    }

    func writeDate(_ sheet: Sheet, _ row: Int, _ column: Int, _ date: CalendarDate, _ style: XLSXStyle) throws {
        let (r, c) = try Self.position(row, column)
        var value = lxw_datetime(year: Int32(date.year), month: Int32(date.month), day: Int32(date.day), hour: 0, min: 0, sec: 0)
        try Self.check(worksheet_write_datetime(sheet, r, c, &value, format(style)), "写入日期 \(date.iso)")
    }

    /// Text across `first...last` columns of one row (a plain write when there is one column).
    func writeMerged(
        _ sheet: Sheet, row: Int, first: Int, last: Int, _ text: String, _ style: XLSXStyle, lastRow: Int? = nil
    ) throws {
        let bottom = lastRow ?? row
        if first == last && bottom == row {
            try writeText(sheet, row, first, text, style)
            return
        }
        let (r1, c1) = try Self.position(row, first)
        let (r2, c2) = try Self.position(bottom, last)
        try Self.check(worksheet_merge_range(sheet, r1, c1, r2, c2, text, format(style)), "合并单元格")
    }

    func setColumn(_ sheet: Sheet, _ column: Int, width: Double) throws {
        let (_, c) = try Self.position(0, column)
        try Self.check(worksheet_set_column(sheet, c, c, width, nil), "设置列宽")
    }

    func setRowHeight(_ sheet: Sheet, _ row: Int, _ height: Double) throws {
        let (r, _) = try Self.position(row, 0)
        try Self.check(worksheet_set_row(sheet, r, height, nil), "设置行高")
    }
}

/// Everything a cell format can differ in; formats are created once per distinct style.
struct XLSXStyle: Hashable {
    enum Number: Hashable {
        case general, money, percent, date, chineseDate, count, decimal
    }

    enum Rule: Hashable {
        case none, thin, medium, double
    }

    var number = Number.general
    var alignment = CellText.Alignment.left
    var bold = false
    var italic = false
    var size: Double = 0  // 0: the workbook default
    var grid = false
    var topRule = Rule.none
    var indent = 0
    var wrap = false
    var fill: UInt32? = nil
    var colour: UInt32? = nil

    func apply(to format: XLSXBook.Format) {
        switch number {
        case .general: break
        case .money: format_set_num_format(format, XLSXBook.moneyFormat)
        case .percent: format_set_num_format(format, "0.00%")
        case .date: format_set_num_format(format, "yyyy-mm-dd")
        case .chineseDate: format_set_num_format(format, "yyyy\"年\"mm\"月\"dd\"日\"")
        case .count: format_set_num_format(format, "0")
        case .decimal: format_set_num_format(format, "0.00")
        }
        switch alignment {
        case .left: format_set_align(format, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .centre: format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right: format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue))
        }
        format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        if bold { format_set_bold(format) }
        if italic { format_set_italic(format) }
        if size > 0 { format_set_font_size(format, size) }
        if grid { format_set_border(format, UInt8(LXW_BORDER_THIN.rawValue)) }
        switch topRule {
        case .none: break
        case .thin: format_set_top(format, UInt8(LXW_BORDER_THIN.rawValue))
        case .medium: format_set_top(format, UInt8(LXW_BORDER_MEDIUM.rawValue))
        case .double: format_set_top(format, UInt8(LXW_BORDER_DOUBLE.rawValue))
        }
        if indent > 0 { format_set_indent(format, UInt8(min(indent, 15))) }
        if wrap { format_set_text_wrap(format) }
        if let fill { format_set_bg_color(format, fill) }
        if let colour { format_set_font_color(format, colour) }
    }
}
