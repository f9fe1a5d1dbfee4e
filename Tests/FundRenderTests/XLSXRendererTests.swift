import Foundation
import FundTestSupport
import FundCore
import FundReports
import Testing

@testable import FundRender

/// What openpyxl reads back from a workbook: per sheet, every non-empty cell with its formula
/// or value, number format, indent and the cached value `data_only=True` sees.
struct OpenpyxlWorkbook {
    struct Cell {
        let value: Any
        let format: String
        let cached: Any
        let indent: Double

        var text: String { value as? String ?? "" }
        var number: Double? { value as? Double ?? (value as? Int).map(Double.init) }
        var cachedNumber: Double? { cached as? Double ?? (cached as? Int).map(Double.init) }
    }

    struct Sheet {
        let cells: [String: Cell]
        let freeze: String?
        let printTitleRows: String?
        let merged: [String]
        let orientation: String?
        let paperSize: Int?
        let fitToPage: Bool
        let fitToWidth: Int?
        let fitToHeight: Int?
        let charts: Int

        func row(containing text: String) -> Int? {
            cells.first { $0.value.text == text }.map { Int($0.key.drop { $0.isLetter })! }
        }
    }

    static let script = """
        import json, sys, openpyxl
        path = sys.argv[1]
        book = openpyxl.load_workbook(path)
        cached = openpyxl.load_workbook(path, data_only=True)
        out = {"order": book.sheetnames, "sheets": {}}
        def plain(v):
            return v if isinstance(v, (int, float)) else str(v)
        for ws in book.worksheets:
            wv = cached[ws.title]
            cells = {}
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None:
                        continue
                    cells[c.coordinate] = [plain(c.value), c.number_format, plain(wv[c.coordinate].value),
                                           c.alignment.indent or 0]
            out["sheets"][ws.title] = {
                "cells": cells, "freeze": ws.freeze_panes, "titles": ws.print_title_rows,
                "merged": [str(r) for r in ws.merged_cells.ranges],
                "orientation": ws.page_setup.orientation, "paper": ws.page_setup.paperSize,
                "fitPage": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                "fitWidth": ws.page_setup.fitToWidth, "fitHeight": ws.page_setup.fitToHeight, "charts": len(ws._charts)}
        print(json.dumps(out, ensure_ascii=False))
        """

    let order: [String]
    let sheets: [String: Sheet]

    static func read(_ data: Data) throws -> OpenpyxlWorkbook {
        try ExternalTool.requireOpenpyxl()
        let url = try ExternalTool.temporaryFile(data, extension: "xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let json = try ExternalTool.output("python3", ["-c", script, url.path])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let order = try #require(root["order"] as? [String])
        let sheetObjects = try #require(root["sheets"] as? [String: [String: Any]])
        var sheets: [String: Sheet] = [:]
        for (name, object) in sheetObjects {
            let raw = object["cells"] as? [String: [Any]] ?? [:]
            let cells = raw.mapValues { entry in
                Cell(value: entry[0], format: entry[1] as? String ?? "", cached: entry[2],
                     indent: (entry[3] as? Double) ?? Double(entry[3] as? Int ?? 0))
            }
            sheets[name] = Sheet(
                cells: cells, freeze: object["freeze"] as? String, printTitleRows: object["titles"] as? String,
                merged: object["merged"] as? [String] ?? [], orientation: object["orientation"] as? String,
                paperSize: object["paper"] as? Int, fitToPage: object["fitPage"] as? Bool ?? false, fitToWidth: object["fitWidth"] as? Int,
                fitToHeight: object["fitHeight"] as? Int, charts: object["charts"] as? Int ?? 0)
        }
        return OpenpyxlWorkbook(order: order, sheets: sheets)
    }
}

@Suite("XLSX renderer, read back with openpyxl", .serialized)
struct XLSXRendererTests {
    @Test("trial balance: sheets, title, frozen header, number formats, SUM formulas with cached totals")
    func trialBalance() throws {
        let document = SampleDocuments.trialBalance()
        let book = try OpenpyxlWorkbook.read(try XLSXRenderer.render(document))
        #expect(book.order == ["概要", "补助资金"])
        let sheet = try #require(book.sheets["补助资金"])
        #expect(sheet.cells["A1"]?.text == "科目余额表")
        #expect(sheet.merged.contains("A1:H1"))
        // Group header row, column header row below it; the panes freeze under both.
        let groupRow = try #require(sheet.row(containing: "期初余额"))
        #expect(sheet.cells["C\(groupRow + 1)"]?.text == "借方")
        #expect(sheet.merged.contains("A\(groupRow):A\(groupRow + 1)"), "科目编码 spans both header rows")
        #expect(sheet.freeze == "A\(groupRow + 2)")
        #expect(sheet.printTitleRows == "$\(groupRow):$\(groupRow + 1)")
        #expect(sheet.orientation == "landscape")
        #expect(sheet.paperSize == 9)
        #expect(sheet.fitToPage && sheet.fitToWidth == nil && sheet.fitToHeight == 0, "one page wide (1 is the default width)")
        // Amounts are numbers with the accounting format; child accounts are indented.
        let bankRow = try #require(sheet.row(containing: "银行存款"))
        #expect(sheet.cells["E\(bankRow)"]?.number == 30_000)
        #expect(sheet.cells["E\(bankRow)"]?.format == "#,##0.00;[Red]-#,##0.00")
        #expect(sheet.cells["B\(bankRow + 1)"]?.indent == 1)
        #expect(sheet.cells["A\(bankRow)"]?.text == "1002", "codes stay text")
        // 合计: =SUM over rows 1, 3, 4 of the table; cached values are the document's totals.
        let table = SampleDocuments.trialBalanceTable()
        let totalRow = try #require(sheet.row(containing: "合计"))
        let total = try #require(table.rows.last)
        for (offset, column) in ["C", "D", "E", "F", "G", "H"].enumerated() {
            let cell = try #require(sheet.cells["\(column)\(totalRow)"])
            #expect(cell.text.hasPrefix("=SUM("), "\(column)\(totalRow) is \(cell.value)")
            #expect(cell.format == "#,##0.00;[Red]-#,##0.00")
            let expected = Double(total.cells[offset + 2].money!.fen) / 100
            #expect(cell.cachedNumber == expected, "\(column)\(totalRow)")
        }
        let dataFirst = groupRow + 2
        #expect(sheet.cells["E\(totalRow)"]?.text == "=SUM(E\(dataFirst + 1),E\(dataFirst + 3):E\(dataFirst + 4))")
        #expect(sheet.cells["E\(totalRow)"]?.cachedNumber == 42_345.6)
        #expect(sheet.cells.values.contains { $0.text == "会计主管：王敏　　复核：______　　制表：李华" })
    }

    @Test("概要 sheet: title block, typed facts and the paragraph")
    func summarySheet() throws {
        let book = try OpenpyxlWorkbook.read(try XLSXRenderer.render(SampleDocuments.trialBalance()))
        let sheet = try #require(book.sheets["概要"])
        #expect(sheet.cells["A1"]?.text == "科目余额表")
        #expect(sheet.cells.values.contains { $0.text.contains("编制单位：资阳市现代职业技术学院") })
        let rateRow = try #require(sheet.row(containing: "资金到位率"))
        #expect(sheet.cells["B\(rateRow)"]?.number == 1)
        #expect(sheet.cells["B\(rateRow)"]?.format == "0.00%")
        let approvedRow = try #require(sheet.row(containing: "核定补助"))
        #expect(sheet.cells["B\(approvedRow)"]?.number == 30_000)
        #expect(sheet.cells["B\(approvedRow)"]?.format == "#,##0.00;[Red]-#,##0.00")
        let dateRow = try #require(sheet.row(containing: "截止日期"))
        #expect(sheet.cells["B\(dateRow)"]?.text == "2025-06-30 00:00:00", "a real date")
        #expect(sheet.cells["B\(dateRow)"]?.format == "yyyy-mm-dd")
        #expect(sheet.cells.values.contains { $0.text.hasPrefix("本表按资金来源分别列示") })
    }

    @Test("ledger: dates as dates, subtotal and cumulative formulas cached with the document's sums")
    func ledger() throws {
        let document = SampleDocuments.ledger()
        let table = SampleDocuments.ledgerTable(entries: 300)
        let book = try OpenpyxlWorkbook.read(try XLSXRenderer.render(document))
        #expect(book.order == ["银行存款明细账"])
        let sheet = try #require(book.sheets["银行存款明细账"])
        let headerRow = try #require(sheet.row(containing: "摘要"))
        #expect(sheet.freeze == "A\(headerRow + 1)")
        #expect(sheet.printTitleRows == "$\(headerRow):$\(headerRow)")
        #expect(sheet.orientation == "portrait")
        let first = headerRow + 1
        #expect(sheet.cells["A\(first)"]?.format == "yyyy-mm-dd")
        #expect(sheet.cells["A\(first)"]?.text == "2025-01-01 00:00:00")
        var formulas = 0
        for (index, row) in table.rows.enumerated() {
            for column in [3, 4] {
                guard case .moneySum(let money, _) = row.cells[column] else { continue }
                let address = XLSXFormula.columnName(column) + "\(first + index)"
                let cell = try #require(sheet.cells[address])
                #expect(cell.text.hasPrefix("=SUM("), "\(address)")
                #expect(cell.cachedNumber == Double(money.fen) / 100, "\(address)")
                formulas += 1
            }
        }
        #expect(formulas == 2 * (12 * 2 + 1))
        #expect(sheet.cells["G\(first)"]?.format == "#,##0.00;[Red]-#,##0.00")
    }

    @Test("vouchers: one sheet, 大写 in the 合计 row, SUM formulas over the lines")
    func vouchers() throws {
        let book = try OpenpyxlWorkbook.read(try XLSXRenderer.render(SampleDocuments.vouchers()))
        #expect(book.order == ["记账凭证"])
        let sheet = try #require(book.sheets["记账凭证"])
        #expect(sheet.cells.values.filter { $0.text == "凭证字号：记-0001" }.count == 1)
        let totalRow = try #require(sheet.row(containing: "合计：人民币叁万元整"))
        #expect(sheet.cells["D\(totalRow)"]?.text.hasPrefix("=SUM(D") == true)
        #expect(sheet.cells["D\(totalRow)"]?.cachedNumber == 30_000)
        #expect(sheet.cells["E\(totalRow)"]?.cachedNumber == 30_000)
        let second = try #require(sheet.row(containing: "合计：人民币壹仟陆佰捌拾元零叁角贰分"))
        #expect(sheet.cells["D\(second)"]?.cachedNumber == 1_680.32)
        #expect(sheet.cells.values.contains { $0.text == "附单据 5 张" })
        #expect(sheet.cells.values.contains { $0.text == "红字冲销 2025-03 记-0007" })
        #expect(sheet.cells.values.contains { $0.text.hasPrefix("会计主管：王敏") })
    }

    @Test("chart: months × series as numbers and a native line chart")
    func chart() throws {
        let book = try OpenpyxlWorkbook.read(try XLSXRenderer.render(SampleDocuments.spendingChart()))
        #expect(book.order == ["概要", "专项资金累计支出图"])
        let sheet = try #require(book.sheets["专项资金累计支出图"])
        #expect(sheet.cells["A1"]?.text == "月份")
        #expect(sheet.cells["B1"]?.text == "补助资金")
        #expect(sheet.cells["A2"]?.text == "2025-01")
        #expect(sheet.cells["B7"]?.number == 12_345)
        #expect(sheet.cells["D13"]?.number == 30_000)
        #expect(sheet.charts == 1)
    }

    @Test("a document with nothing but a paragraph still makes a workbook")
    func paragraphOnly() throws {
        let document = ReportDocument(
            kind: .findings, title: "合规检查发现报告", titleBlock: [],
            sections: [DocumentSection(heading: nil, blocks: [.paragraph("未发现问题。")])], fileStem: "x")
        let book = try OpenpyxlWorkbook.read(try XLSXRenderer.render(document))
        #expect(book.order == ["概要"])
    }

    @Test("sheet names follow Excel's rules and stay unique")
    func sheetNames() {
        #expect(XLSXFormula.sheetName("资金/收支:明细[2025]*?", taken: []) == "资金_收支_明细_2025___")
        let long = String(repeating: "补助资金", count: 10)
        #expect(XLSXFormula.sheetName(long, taken: []).utf16.count == 31)
        let taken: Set = [XLSXFormula.sheetName(long, taken: [])]
        let second = XLSXFormula.sheetName(long, taken: taken)
        #expect(second.hasSuffix(" (2)") && second.utf16.count == 31)
        #expect(XLSXFormula.sheetName("'概要'", taken: ["概要"]) == "概要 (2)")
        #expect(XLSXFormula.sheetName("  ", taken: []) == "Sheet")
    }

    @Test("SUM formulas: runs become ranges, 255 arguments per SUM, 8,192 characters at most")
    func sumFormulas() {
        #expect(XLSXFormula.sum(column: 3, sheetRows: [4, 5, 6, 9, 11, 12]) == "=SUM(D5:D7,D10,D12:D13)")
        #expect(XLSXFormula.sum(column: 27, sheetRows: [0]) == "=SUM(AB1)")
        #expect(XLSXFormula.sum(column: 0, sheetRows: []) == nil)
        let scattered = (0..<600).map { $0 * 2 }
        let formula = XLSXFormula.sum(column: 4, sheetRows: scattered)!
        let calls = formula.dropFirst().components(separatedBy: "+")
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { $0.split(separator: ",").count <= 255 })
        #expect(formula.utf8.count <= 8_192)
        #expect(XLSXFormula.sum(column: 4, sheetRows: (0..<3_000).map { $0 * 2 }) == nil, "too long: plain value")
        #expect(XLSXFormula.columnName(25) == "Z")
        #expect(XLSXFormula.columnName(26) == "AA")
        #expect(XLSXFormula.columnName(16_383) == "XFD")
    }
}
