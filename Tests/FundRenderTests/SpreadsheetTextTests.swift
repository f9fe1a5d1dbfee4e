import Foundation
import FundCore
import FundReports
import FundTestSupport
import Testing

@testable import FundRender

/// Whether LibreOffice's command line (`soffice`, from libreoffice-calc-nogui) is installed.
private let libreOffice: String? = ["soffice", "libreoffice"].first { (try? ExternalTool.locate($0)) != nil }

/// Text that spreadsheets keep (issue 16, item 6): codes made of digits stay text when a
/// report's CSV is opened in a spreadsheet.
@Suite("CSV text kept by spreadsheets")
struct SpreadsheetTextTests {
    static let invoice = "25512000000012345678"
    static let creditCode = "915120000000000006"
    static let account = "400101"

    static func document() -> ReportDocument {
        let columns = [
            Column("科目编码", .code, width: 8), Column("发票号码", .code, width: 22), Column("统一社会信用代码", .text, width: 20),
            Column("摘要", .text, width: 20), Column("金额", .money, width: 12),
        ]
        let rows = [
            Row(.body, [.text(account), .text(invoice), .text(creditCode), .text("=1+1 不执行"), .money(Money(fen: 123_450))]),
            Row(.body, indent: 1, [.text("40010101"), .text("1E5"), .text("91512000MA62H0XX3K"), .text("记-0003"), .money(Money(fen: -5_000))]),
        ]
        return ReportDocument(
            kind: .expenseDetail, title: "支出明细表", titleBlock: [LabeledValue("单位", "元")],
            sections: [DocumentSection(heading: nil, blocks: [.table(DocumentTable(name: "支出", columns: columns, rows: rows))])],
            fileStem: "codes")
    }

    @Test("digits a spreadsheet would make a number are written as =\"…\"; other text and amounts as before")
    func fields() {
        let csv = CSVRenderer.render(Self.document())
        #expect(csv.contains("\"=\"\"400101\"\"\",\"=\"\"25512000000012345678\"\"\",\"=\"\"915120000000000006\"\"\",'=1+1 不执行,1234.50\r\n"))
        #expect(csv.contains("\"=\"\"  40010101\"\"\",\"=\"\"1E5\"\"\",91512000MA62H0XX3K,记-0003,-50.00\r\n"))
    }

    @Test("LibreOffice converts the CSV to XLSX with the codes intact as text and the amounts as numbers",
          .enabled(if: libreOffice != nil, "LibreOffice 未安装（apt-get install libreoffice-calc-nogui）：跳过 CSV 转换测试"))
    func libreOfficeKeepsTheText() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("codes.csv")
        // As `report --format csv` writes it: UTF-8 with a BOM.
        try Data([0xEF, 0xBB, 0xBF] + Array(CSVRenderer.render(Self.document()).utf8)).write(to: csv)
        // Comma-separated, quoted with ", UTF-8 (76), from line 1: what a user picks in the
        // import dialog; a private profile so that parallel runs do not share one.
        let result = try ExternalTool.run(libreOffice!, [
            "-env:UserInstallation=file://\(directory.path)/profile", "--headless", "--infilter=CSV:44,34,76,1",
            "--convert-to", "xlsx", "--outdir", directory.path, csv.path,
        ])
        let xlsx = directory.appendingPathComponent("codes.xlsx")
        #expect(FileManager.default.fileExists(atPath: xlsx.path), "soffice: \(result.stdout) \(result.stderr)")
        let cells = try ExternalTool.python(
            """
            import sys, openpyxl
            sheet = openpyxl.load_workbook(sys.argv[1], data_only=True).active
            for row in sheet.iter_rows(min_row=5):
                print("|".join(f"number:{float(c.value)}" if isinstance(c.value, (int, float)) else f"{type(c.value).__name__}:{c.value}" for c in row))
            """, [xlsx.path])
        let lines = cells.split(separator: "\n").map(String.init)
        #expect(lines.first == "str:400101|str:25512000000012345678|str:915120000000000006|str:'=1+1 不执行|number:1234.5")
        #expect(lines.dropFirst().first == "str:  40010101|str:1E5|str:91512000MA62H0XX3K|str:记-0003|number:-50.0")
    }
}
