import FundCore
import FundReports
import Testing

@testable import FundRender

@Suite("CSV and HTML renderers")
struct TextRendererTests {
    static let document = ReportDocument(
        kind: .journal, title: "序时账", titleBlock: [LabeledValue("编制单位", "资阳<测试>&公司")],
        sections: [
            DocumentSection(heading: "补助资金", blocks: [
                .table(DocumentTable(
                    name: "序时账",
                    columns: [Column("摘要", .text, width: 20), Column("借方", .money, width: 12), Column("比率", .percent, width: 8)],
                    rows: [
                        Row(.body, [.text("=HYPERLINK(\"http://x\")"), .money(Money(fen: 123_456_78)), .percent(Percent(hundredths: 9_887))]),
                        Row(.body, indent: 1, [.text("含,逗号"), .money(Money(fen: -5)), .empty]),
                        Row(.total, [.text("合计"), .moneySum(Money(fen: 123_456_73), rows: [0, 1]), .empty]),
                    ])),
                .paragraph("<script>alert(1)</script>"),
            ]),
        ],
        signatures: [LabeledValue("制表", "")], fileStem: "t")

    @Test("CSV: plain numbers, quoted commas, formulas defused, CRLF rows")
    func csv() {
        let text = CSVRenderer.render(Self.document)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "序时账")
        #expect(lines.contains("'=HYPERLINK(\"\"http://x\"\"),123456.78,98.87%") || lines.contains("\"'=HYPERLINK(\"\"http://x\"\")\",123456.78,98.87%"))
        #expect(lines.contains("\"  含,逗号\",-0.05,"))
        #expect(lines.contains("合计,123456.73,"))
        #expect(text.hasSuffix("制表：\r\n"))
    }

    @Test("HTML: escaped text, classes for roles and kinds, negative amounts marked")
    func html() {
        let html = HTMLRenderer.render(Self.document)
        #expect(html.contains("资阳&lt;测试&gt;&amp;公司"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("<td class=\"money\">123,456.78</td>"))
        #expect(html.contains("<td class=\"money negative\">-0.05</td>"))
        #expect(html.contains("<tr class=\"total\">"))
        #expect(html.contains("<td class=\"percent\">98.87%</td>"))
        #expect(html.contains("@page { size: A4 portrait"))
    }

    @Test("the chart axis takes round steps and tops the peak with headroom", arguments: [
        (Int64(3_000_000), Int64(1_000_000), Int64(4_000_000)),  // 30,000 → step 10,000, top 40,000
        (2_500_000, 1_000_000, 3_000_000),  // 25,000 (+8 % = 27,001) → step 10,000, top 30,000
        (12_000_000, 5_000_000, 15_000_000),
        (99, 100, 100),  // under a yuan: one step of one yuan
        (0, 100, 100),
    ])
    func axis(peak: Int64, step: Int64, top: Int64) {
        let axis = ChartAxis(peak: Money(fen: peak))
        #expect(axis.step == Money(fen: step))
        #expect(axis.top == Money(fen: top))
        #expect(axis.ticks.first == .zero && axis.ticks.last == axis.top)
    }
}
