import FundCore
import FundReports
import Foundation
import Testing

@testable import FundExchange
import FundRender

@Suite("terminal text and the one output dispatch")
struct TerminalTextTests {
    static let document = ReportDocument(
        kind: .trialBalance, title: "科目余额表",
        titleBlock: [LabeledValue("工作室", "S1"), LabeledValue("期间", "2026年1月"), LabeledValue("单位", "元")],
        sections: [
            DocumentSection(heading: "补助资金账", blocks: [
                .table(DocumentTable(
                    name: "补助资金",
                    columns: [Column("科目编码", .code, width: 10), Column("科目名称", .text, width: 20), Column("借方", .money, width: 14)],
                    groupHeader: [HeaderGroup("科目", span: 2), HeaderGroup("本期", span: 1)],
                    rows: [
                        Row(.body, [.text("1002"), .text("银行存款"), .money(Money(fen: 123_450))]),
                        Row(.body, indent: 1, [.text("100201"), .text("专户"), .money(Money(fen: 123_450))]),
                        Row(.body, [.text("5001"), .text("x"), .empty]),
                        Row(.total, [.empty, .text("合计"), .moneySum(Money(fen: 123_450), rows: [1])]),
                    ])),
                .facts([Fact("资金到位率", .percent(Percent(hundredths: 10_000)))]),
                .paragraph("注意：测试段落"),
            ]),
        ],
        signatures: [LabeledValue("制表", "李华")], fileStem: "t")

    @Test("title line, 【heading】, CJK-aligned columns, indent, a rule above the total, grouped money, blank empties")
    func layout() {
        let text = TextRenderer.render(Self.document)
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "科目余额表　工作室：S1　期间：2026年1月　单位：元")
        #expect(lines[1] == "")
        #expect(lines[2] == "【补助资金账】")
        // Header: the widest code is 8 columns ("科目编码"), the widest name 8 ("银行存款").
        #expect(lines[3] == "科目编码  科目名称      借方")
        #expect(lines[4] == "--------  --------  --------")
        #expect(lines[5] == "1002      银行存款  1,234.50")
        #expect(lines[6] == "100201      专户    1,234.50")
        #expect(lines[7] == "5001      x")
        #expect(lines[8] == "--------  --------  --------")
        #expect(lines[9] == "          合计      1,234.50")
        #expect(lines[10] == "资金到位率：100.00%")
        #expect(lines[11] == "注意：测试段落")
        #expect(text.hasSuffix("\n制表：李华\n"))
        // Every table line has the same display width up to its last non-blank cell.
        #expect(TextTable.displayWidth(lines[5]) == TextTable.displayWidth(lines[3]))
    }

    @Test("a long title block goes on a second line; group titles qualify short column titles")
    func titleAndGroups() {
        let long = ReportDocument(
            kind: .trialBalance, title: "科目余额表",
            titleBlock: (1...8).map { LabeledValue("项目\($0)", "一个相当长的取值文字") },
            sections: [DocumentSection(heading: nil, blocks: [.table(DocumentTable(
                name: "t", columns: [Column("科目", .text, width: 8), Column("借方", .money, width: 8), Column("贷方", .money, width: 8)],
                groupHeader: [HeaderGroup("科目", span: 1), HeaderGroup("期初余额", span: 2)],
                rows: [Row(.body, [.text("a"), .money(Money(fen: -5)), .empty])]))])],
            fileStem: "t")
        let lines = TextRenderer.render(long).components(separatedBy: "\n")
        #expect(lines[0] == "科目余额表")
        #expect(lines[1].hasPrefix("项目1：一个相当长的取值文字　项目2："))
        #expect(lines[2].hasPrefix("科目  期初余额借方  期初余额贷方"))
        #expect(lines[4].hasSuffix("-0.05"))
    }

    @Test("a voucher print as a small table under its header, totals from the document")
    func voucher() {
        let print = VoucherPrint(
            label: "记-0001", date: CalendarDate(year: 2026, month: 1, day: 5)!, attachments: 2, unit: "S1", note: "红字冲销：2025-12 记-0003",
            lines: [
                .init(memo: "购设备", account: "500101 设备购置", fund: "补助资金", debit: Money(fen: 100), credit: nil),
                .init(memo: "购设备", account: "100201 专户", fund: "补助资金", debit: nil, credit: Money(fen: 100)),
            ],
            debitTotal: Money(fen: 999), creditTotal: Money(fen: 999), signatures: [LabeledValue("制单", "李")])
        let document = ReportDocument(
            view: .voucher, title: "记账凭证", titleBlock: [], sections: [DocumentSection(heading: nil, blocks: [.voucher(print)])], fileStem: "v")
        let text = TextRenderer.render(document)
        #expect(text.hasPrefix("记账凭证\n记-0001　2026年1月5日　附单据 2 张\n红字冲销：2025-12 记-0003\n"))
        // The renderer prints the document's totals; it does not add the lines.
        #expect(text.contains("合计") && text.contains("9.99") && !text.contains("2.00"))
        #expect(text.contains("制单：李\n"))
    }

    @Test("a table too wide for a terminal is printed as records: first cell as heading, the other cells as title：value")
    func wideTableAsRecords() {
        let long = String(repeating: "补助资金列支工资奖金，该类支出不在补助资金使用范围内；", count: 4)
        let table = DocumentTable(
            name: "发现",
            columns: [Column("编号", .code, width: 30), Column("严重程度", .text, width: 6), Column("金额", .money, width: 12), Column("说明", .text, width: 60), Column("审核意见", .text, width: 10)],
            rows: [
                Row(.group, [.text("违规 1 项"), .empty, .empty, .empty, .empty]),
                Row(.body, [.text("SUB-001/S1/2026-04/记-3/1"), .text("违规"), .money(Money(fen: 300_000)), .text(long), .empty]),
            ])
        let narrow = DocumentTable(name: "n", columns: [Column("编号", .code, width: 4)], rows: [Row(.body, [.text("A")])])
        let text = TextRenderer.render(ReportDocument(
            view: .check, title: "合规检查", titleBlock: [], sections: [DocumentSection(heading: nil, blocks: [.table(table), .table(narrow)])], fileStem: "c"))
        #expect(text.contains("\n违规 1 项\nSUB-001/S1/2026-04/记-3/1\n  严重程度：违规　金额：3,000.00\n  说明：" + long + "\n"), "\(text)")
        #expect(!text.contains("审核意见"), "empty cells are left out")
        #expect(text.contains("编号\n----\nA\n"), "a narrow table stays columns")
    }

    @Test("a chart as a month/amount table")
    func chart() throws {
        let months = [Period(year: 2026, month: 1)!, Period(year: 2026, month: 2)!, Period(year: 2026, month: 3)!]
        let chart = SpendingChart(
            title: "累计支出", months: months, series: [.init(name: "补助资金", points: [Money(fen: 100), Money(fen: 250_000)])],
            references: [.init(label: "核定补助 30,000.00", amount: Money(fen: 3_000_000))], asOf: months[1])
        let text = TextRenderer.render(ReportDocument(
            kind: .spendingChart, title: "图", titleBlock: [], sections: [DocumentSection(heading: nil, blocks: [.chart(chart)])], fileStem: "c"))
        #expect(text.contains("月份       补助资金\n"))
        #expect(text.contains("2026-02 *  2,500.00\n"))
        #expect(text.contains("2026-03\n"))
        #expect(text.contains("核定补助 30,000.00\n"))
    }

    @Test("ReportOutput renders every format to bytes of its kind", arguments: OutputFormat.allCases)
    func everyFormat(_ format: OutputFormat) throws {
        let report = AnyReport(document: Self.document, value: ["a/b": 1])
        let data = try ReportOutput.render(report, format: format, generator: "测试")
        #expect(!data.isEmpty)
        switch format {
        case .json:
            #expect(String(decoding: data, as: UTF8.self) == "{\n  \"a/b\" : 1\n}\n")
            #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
        case .csv:
            #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(String(decoding: data.dropFirst(3), as: UTF8.self).contains("\"=\"\"  100201\"\"\",专户,1234.50"))
        case .html:
            let html = String(decoding: data, as: UTF8.self)
            #expect(html.contains("<html") && html.contains("测试"))
        case .xlsx:
            #expect(data.starts(with: Array("PK".utf8)))
        case .pdf:
            #expect(data.starts(with: Array("%PDF".utf8)))
        case .table:
            #expect(String(decoding: data, as: UTF8.self) == TextRenderer.render(Self.document))
        }
        #expect(format.fileExtension == (format == .table ? "txt" : format.rawValue))
    }

    @Test("CSV encodings: UTF-8 with BOM, GB18030")
    func encodings() {
        #expect(CSVEncoding.utf8.encode("资金") == Data([0xEF, 0xBB, 0xBF] + Array("资金".utf8)))
        #expect(CSVEncoding.gb18030.encode("资金,1") == Data([0xD7, 0xCA, 0xBD, 0xF0, 0x2C, 0x31]))
        #expect(CSVEncoding.gb18030.encode("") == Data())
    }
}
