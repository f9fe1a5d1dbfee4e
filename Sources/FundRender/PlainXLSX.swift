import CXLSXWriter
import Foundation
import FundCore

/// A one-sheet workbook of a plain table: the header in row 1, a row per record, nothing above
/// it. What import templates need (用友 U8 凭证引入 and 金蝶 K3 标准凭证引入 read the header from
/// the first row), unlike the statements' workbooks, which carry a title block. Numbers (the
/// program's own formatted amounts and counts) are number cells — Double only at this file
/// format's edge — with two decimals where they have them; text is text, never a formula.
public enum PlainXLSX {
    public static func render(sheet name: String, rows: [[CSVField]]) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("workshop-ledger-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        guard let workbook = workbook_new(url.path) else { throw RenderError(.xlsx, "libxlsxwriter 无法创建工作簿 \(url.path)") }
        var closed = false
        defer { if !closed { _ = workbook_close(workbook) } }
        guard let sheet = workbook_add_worksheet(workbook, name) else { throw RenderError(.xlsx, "无法添加工作表“\(name)”") }
        let decimals = workbook_add_format(workbook)
        format_set_num_format(decimals, "0.00")
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        guard rows.count <= 1_048_576 else { throw RenderError(.xlsx, "行数超过 XLSX 上限 1,048,576") }
        for (r, row) in rows.enumerated() {
            for (c, field) in row.enumerated() {
                let (rr, cc) = (lxw_row_t(r), lxw_col_t(c))
                let error: lxw_error
                switch field {
                case .number(let text):
                    if let value = Double(text) {
                        error = worksheet_write_number(sheet, rr, cc, value, text.contains(".") ? decimals : nil)
                    } else {
                        error = worksheet_write_string(sheet, rr, cc, text, nil)
                    }
                case .text(let text), .keptText(let text):
                    if text.isEmpty { continue }
                    error = worksheet_write_string(sheet, rr, cc, text, r == 0 ? bold : nil)
                }
                guard error == LXW_NO_ERROR else {
                    throw RenderError(.xlsx, "写入第 \(r + 1) 行第 \(c + 1) 列失败：" + String(cString: lxw_strerror(error)))
                }
            }
        }
        worksheet_freeze_panes(sheet, 1, 0)
        closed = true
        let error = workbook_close(workbook)
        guard error == LXW_NO_ERROR else { throw RenderError(.xlsx, "workbook_close 失败：" + String(cString: lxw_strerror(error))) }
        do { return try Data(contentsOf: url) } catch { throw RenderError(.xlsx, "无法读回临时文件 \(url.path)：\(error)") }
    }
}
