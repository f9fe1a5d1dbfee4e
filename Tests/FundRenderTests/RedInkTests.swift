import FundCore
import FundPDF
@testable import FundRender
import FundReports
import FundTestSupport
import Foundation
import Testing

/// 红字: a reversed (negative) amount prints in red in PDF, HTML and XLSX, beside its minus sign,
/// read back from the rendered pages (pdftoppm) and the workbook (openpyxl).
@Suite("red ink")
struct RedInkTests {
    static func document(_ fen: Int64) -> ReportDocument {
        let table = DocumentTable(
            name: "冲销", columns: [Column("摘要", .text, width: 20), Column("金额", .money, width: 14)],
            rows: [Row(.body, [.text("冲销 记-0003 购置设备"), .money(Money(fen: fen))]), Row(.body, [.text("更正后入账"), .money(Money(fen: 500_000))])])
        return ReportDocument(
            view: .check, title: "红字测试", titleBlock: [], sections: [DocumentSection(heading: nil, blocks: [.table(table)])],
            orientation: .portrait, fileStem: "red")
    }

    /// How many clearly red pixels the PDF's first page has at 150 dpi (red: well above green and blue).
    static func redPixels(_ pdf: Data) throws -> Int {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("red-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("d.pdf")
        try pdf.write(to: file)
        _ = try ExternalTool.output("pdftoppm", ["-r", "150", "-f", "1", "-l", "1", file.path, directory.appendingPathComponent("p").path])
        let page = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".ppm") })
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(page)))
        // P6 header: "P6\n W H\n 255\n" then RGB triples.
        var fields = 0, index = 0
        while fields < 4 {
            while bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            while bytes[index] != 0x20 && bytes[index] != 0x0A { index += 1 }
            fields += 1
        }
        index += 1
        var red = 0
        while index + 2 < bytes.count {
            if Int(bytes[index]) - Int(bytes[index + 1]) > 60 && Int(bytes[index]) - Int(bytes[index + 2]) > 60 { red += 1 }
            index += 3
        }
        return red
    }

    @Test func pdfPrintsNegativeAmountsInRed() throws {
        #expect(try Self.redPixels(try PDFRenderer.render(Self.document(-1_234_567))) > 20)
        #expect(try Self.redPixels(try PDFRenderer.render(Self.document(1_234_567))) == 0, "black ink for positive amounts")
        let pdf = try PopplerPDF(try PDFRenderer.render(Self.document(-1_234_567)))
        defer { pdf.remove() }
        #expect(try pdf.text().contains("-12,345.67"), "the minus sign stays")
    }

    @Test func htmlAndXLSXMarkThemRed() throws {
        let html = HTMLRenderer.render(Self.document(-1_234_567))
        #expect(html.contains("<td class=\"money negative\">-12,345.67</td>") && html.contains("td.negative { color: #b00000; }"))
        try ExternalTool.requireOpenpyxl()
        let file = try ExternalTool.temporaryFile(try XLSXRenderer.render(Self.document(-1_234_567)), extension: "xlsx")
        let formats = try ExternalTool.python("""
            import openpyxl, sys
            book = openpyxl.load_workbook(sys.argv[1])
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, (int, float)) and cell.value < 0:
                            print(cell.value, cell.number_format)
            """, [file.path])
        #expect(formats.contains("-12345.67 #,##0.00;[Red]-#,##0.00"), "\(formats)")
    }
}
