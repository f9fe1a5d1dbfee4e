import FundApp
import FundCore
import FundExchange
import FundRender
import FundReports
import FundTestSupport
import Foundation
import Testing

/// Every XLSX and PDF statement of the sample studios, read back with the clients accountants
/// and auditors use: openpyxl (as Excel-compatible readers see the workbook) and poppler.
@Suite("statements read back by real clients", .serialized)
struct StatementClientTests {
    static func demoStatements() throws -> (directory: URL, statements: [(built: AnyReport, xlsx: URL, pdf: URL)]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-clients-\(UUID().uuidString)")
        let demo = try Demo.build(in: directory)
        var statements: [(AnyReport, URL, URL)] = []
        for studio in demo.studios {
            for kind in try demo.app.statements.statementKinds(studio: studio) {
                let built = try demo.app.statements.buildReport(ReportRequest(kind: kind, studio: studio))
                let xlsx = directory.appendingPathComponent("\(built.document.fileStem).xlsx")
                let pdf = directory.appendingPathComponent("\(built.document.fileStem).pdf")
                try LedgerApp.render(built, format: .xlsx).write(to: xlsx)
                try LedgerApp.render(built, format: .pdf).write(to: pdf)
                statements.append((built, xlsx, pdf))
            }
        }
        return (directory, statements)
    }

    static let script = """
        import sys, json, openpyxl
        out = {}
        for path in sys.argv[1:]:
            formulas = openpyxl.load_workbook(path)
            values = openpyxl.load_workbook(path, data_only=True)
            sheets = {}
            for ws in formulas.worksheets:
                cached = values[ws.title]
                sums, formats = [], set()
                for row in ws.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str) and cell.value.startswith("=SUM("):
                            sums.append(round(cached[cell.coordinate].value * 100))
                        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                            formats.add(cell.number_format)
                sheets[ws.title] = {"sums": sums, "formats": sorted(formats), "frozen": ws.freeze_panes,
                                    "paper": ws.page_setup.paperSize}
            out[path] = {"sheets": [ws.title for ws in formulas.worksheets], "detail": sheets}
        print(json.dumps(out))
        """

    @Test("openpyxl: sheet names, number formats, frozen headers, A4, and cached SUM results equal the report's totals")
    func xlsx() throws {
        let (directory, statements) = try Self.demoStatements()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ExternalTool.python(Self.script, statements.map(\.xlsx.path))
        let books = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String: Any]])
        #expect(books.count == statements.count)
        for statement in statements {
            let book = try #require(books[statement.xlsx.path], "\(statement.xlsx.lastPathComponent)")
            let sheets = book["sheets"] as? [String] ?? []
            let detail = book["detail"] as? [String: [String: Any]] ?? [:]
            for table in statement.built.document.tables {
                let name = try #require(sheets.first { $0 == String(table.name.prefix(31)) }, "\(statement.xlsx.lastPathComponent): sheet \(table.name) in \(sheets)")
                let sheet = detail[name] ?? [:]
                let cachedSums = sheet["sums"] as? [Int] ?? []
                // Every total the builder computed is in the workbook as a SUM formula whose
                // cached value equals it.
                let totals = table.rows.flatMap(\.cells).compactMap { cell -> Int? in
                    if case .moneySum(let value, _) = cell { return Int(value.fen) }
                    if case .decimalSum(let hundredths, _) = cell { return Int(hundredths) }
                    return nil
                }
                #expect(totals.sorted() == cachedSums.sorted(), "\(statement.xlsx.lastPathComponent) \(name)")
                if table.columns.contains(where: { $0.kind == .money }) && table.rows.contains(where: { $0.cells.contains { $0.money != nil } }) {
                    #expect((sheet["formats"] as? [String] ?? []).contains("#,##0.00;[Red]-#,##0.00"), "\(name)")
                }
                #expect(sheet["frozen"] is String, "\(name) has frozen header rows")
                #expect(sheet["paper"] as? Int == 9, "\(name) prints on A4")
            }
        }
    }

    @Test("poppler: Chinese text and amounts extract, the CJK font is an embedded subset, every page renders")
    func pdf() throws {
        let (directory, statements) = try Self.demoStatements()
        defer { try? FileManager.default.removeItem(at: directory) }
        for statement in statements {
            let name = statement.pdf.lastPathComponent
            let text = try ExternalTool.run("pdftotext", ["-layout", statement.pdf.path, "-"]).stdout
            let document = statement.built.document
            if document.kind != .statement(.vouchers) {
                #expect(text.contains(document.title), "\(name) title")
            }
            for table in document.tables {
                for cell in table.rows.last?.cells ?? [] {
                    if case .moneySum(let value, _) = cell { #expect(text.contains(value.groupedString), "\(name) total \(value.groupedString)") }
                }
            }
            for block in document.sections.flatMap(\.blocks) {
                if case .voucher(let voucher) = block {
                    #expect(text.contains(AmountText.uppercase(voucher.debitTotal)), "\(name) 大写 of \(voucher.label)")
                }
            }
            let fonts = try ExternalTool.run("pdffonts", [statement.pdf.path]).stdout
            let cjk = fonts.split(separator: "\n").filter { $0.contains("NotoSansCJK") }
            #expect(!cjk.isEmpty && cjk.allSatisfy { $0.contains("+NotoSansCJK") }, "\(name): subset CJK fonts")
            let info = try ExternalTool.run("pdfinfo", [statement.pdf.path]).stdout
            let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
            #expect(pages >= 1, "\(name)")
            #expect(text.contains("第 1 页") || text.contains("第  1  页"), "\(name) page numbers")
            let png = directory.appendingPathComponent("render-\(UUID().uuidString)")
            let rendered = try ExternalTool.run("pdftoppm", ["-png", "-r", "20", statement.pdf.path, png.path])
            #expect(rendered.status == 0, "\(name) renders")
            let images = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(png.lastPathComponent) }
            #expect(images.count == pages, "\(name): \(images.count) of \(pages) pages rendered")
        }
    }
}
