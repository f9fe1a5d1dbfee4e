import Foundation
import FundTestSupport
import FundCore
import FundReports
import Testing

@testable import FundRender

/// A rendered PDF on disk with poppler's views of it.
struct PopplerPDF {
    let url: URL
    let pages: Int

    init(_ data: Data) throws {
        url = try ExternalTool.temporaryFile(data, extension: "pdf")
        let info = try ExternalTool.output("pdfinfo", [url.path])
        let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") })
        pages = try #require(Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)))
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// `pdftotext -layout` of one page (or all).
    func text(page: Int? = nil) throws -> String {
        var arguments = ["-layout", "-enc", "UTF-8"]
        if let page { arguments += ["-f", "\(page)", "-l", "\(page)"] }
        return try ExternalTool.output("pdftotext", arguments + [url.path, "-"])
    }

    /// Each line of `pdffonts` after its two header lines.
    func fonts() throws -> [String] {
        try ExternalTool.output("pdffonts", [url.path]).split(separator: "\n").dropFirst(2).map(String.init)
    }

    /// Renders every page with pdftoppm; returns how many PNGs it wrote.
    func renderPages() throws -> Int {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pdftoppm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try ExternalTool.output("pdftoppm", ["-png", "-r", "20", url.path, directory.appendingPathComponent("page").path])
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".png") }.count
    }

    /// Every page carries "第 N 页 共 M 页" with the right N and M.
    func expectPageFooters(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for page in 1...pages {
            let text = try self.text(page: page)
            #expect(text.contains("第 \(page) 页 共 \(pages) 页"), "page \(page) footer", sourceLocation: sourceLocation)
        }
    }

    /// The CJK font is embedded as a subset.
    func expectEmbeddedCJKSubset(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fonts = try self.fonts()
        let cjk = fonts.filter { $0.contains("NotoSansCJK") }
        #expect(!cjk.isEmpty, "fonts: \(fonts)", sourceLocation: sourceLocation)
        for line in cjk {
            // Columns: name type encoding emb sub uni object ID
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(fields.count >= 6 && fields[fields.count - 5] == "yes" && fields[fields.count - 4] == "yes",
                    "embedded subset: \(line)", sourceLocation: sourceLocation)
            #expect(line.split(separator: " ").first?.contains("+") == true, "subset tag: \(line)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("PDF renderer, read back with poppler", .serialized)
struct PDFRendererTests {
    /// Text with runs of spaces collapsed, for matching phrases across -layout spacing.
    static func squeezed(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " }).joined(separator: " ")
    }

    @Test("a table far wider than the page: amounts and dates keep their width, codes are cut instead")
    func figuresNeverCut() throws {
        let codes = (1...12).map { Column("代码\($0)", .code, width: 24) }
        let table = DocumentTable(
            name: "宽表", columns: codes + [Column("金额", .money, width: 6), Column("日期", .date, width: 6)],
            rows: [Row(.body, codes.map { _ in .text("SUB-001/ZY2025-001/2026-04/记-3/1") } + [.money(Money(fen: 123_456_789)), .date(TestLedger.date("2026-04-30"))])])
        let document = ReportDocument(
            view: .check, title: "宽表", titleBlock: [], sections: [DocumentSection(heading: nil, blocks: [.table(table)])],
            orientation: .landscape, fileStem: "wide")
        let pdf = try PopplerPDF(try PDFRenderer.render(document))
        defer { pdf.remove() }
        let text = try pdf.text()
        #expect(text.contains("1,234,567.89"), "\(text)")
        #expect(text.contains("2026-04-30"))
        #expect(text.contains("…"), "the codes give way")
    }

    @Test("trial balance: one landscape page, title, group header, grouped amounts, totals, signatures")
    func trialBalance() throws {
        let pdf = try PopplerPDF(try PDFRenderer.render(SampleDocuments.trialBalance()))
        defer { pdf.remove() }
        #expect(pdf.pages == 1)
        let text = try pdf.text()
        for phrase in ["科目余额表", "编制单位：资阳市现代职业技术学院", "单位：元", "期初余额", "本期发生额", "期末余额",
                       "30,000.00", "12,345.60", "42,345.60", "合计", "资金到位率", "100.00%", "2025-06-30",
                       "会计主管：王敏", "制表：李华"] {
            #expect(text.contains(phrase), "missing \(phrase)")
        }
        let info = try ExternalTool.output("pdfinfo", [pdf.url.path])
        #expect(info.contains("841.89 x 595.28") || info.contains("842 x 595"), "landscape A4: \(info)")
        try pdf.expectPageFooters()
        try pdf.expectEmbeddedCJKSubset()
        #expect(try pdf.renderPages() == 1)
    }

    @Test("ledger: many pages, header repeated on each, footers 第 N 页 共 M 页, signature on the last page only")
    func ledger() throws {
        let pdf = try PopplerPDF(try PDFRenderer.render(SampleDocuments.ledger()))
        defer { pdf.remove() }
        #expect(pdf.pages >= 8, "300 rows with wrapped memos: \(pdf.pages) pages")
        try pdf.expectPageFooters()
        for page in [2, pdf.pages] {
            let text = try pdf.text(page: page)
            #expect(text.contains("凭证字号") && text.contains("摘要") && text.contains("余额"), "header on page \(page)")
            // The full title block is on page 1; later pages repeat it compactly.
            #expect(text.contains("明细账（续）") && text.contains("编制单位：资阳市现代职业技术学院") && text.contains("单位：元"),
                    "compact title block on page \(page)")
            #expect(!text.contains("工作室：张建国"), "the full title block only on page 1")
        }
        #expect(try pdf.text(page: 1).contains("明细账"))
        #expect(try pdf.text(page: pdf.pages).contains("会计主管：王敏"))
        #expect(!(try pdf.text(page: 1).contains("会计主管")))
        let all = try pdf.text()
        #expect(all.contains("本月合计") && all.contains("本年累计"))
        #expect(all.contains("30,000.00"))
        // The long memo wraps inside its cell instead of being cut: its last words are printed.
        #expect(Self.squeezed(all).contains("入库单见附件"))
        try pdf.expectEmbeddedCJKSubset()
        #expect(try pdf.renderPages() == pdf.pages)
    }

    @Test("vouchers: two forms per page, 大写 totals, header line, sign-offs; a long voucher continues")
    func vouchers() throws {
        let pdf = try PopplerPDF(try PDFRenderer.render(SampleDocuments.vouchers()))
        defer { pdf.remove() }
        // 记-0001 and 记-0002 on page 1; 记-0003's nine lines take both forms of page 2.
        #expect(pdf.pages == 2)
        let first = try pdf.text(page: 1)
        for phrase in ["记 账 凭 证", "2025年03月05日", "凭证字号：记-0001", "附单据 2 张", "凭证字号：记-0002",
                       "编制单位：资阳市现代职业技术学院—张建国焊接技能大师工作室", "摘 要", "会计科目", "借方金额", "贷方金额",
                       "合计：人民币叁万元整", "¥30,000.00", "合计：人民币壹仟陆佰捌拾元零叁角贰分", "¥1,680.32",
                       "红字冲销 2025-03 记-0007", "会计主管：王敏", "制单：李华", "出纳：陈静"] {
            #expect(Self.squeezed(first).contains(phrase), "page 1 missing \(phrase)")
        }
        let second = try pdf.text(page: 2)
        #expect(second.contains("记-0003（1/2）") && second.contains("记-0003（2/2）"))
        #expect(second.contains("合计：人民币贰仟元整"))
        try pdf.expectPageFooters()
        try pdf.expectEmbeddedCJKSubset()
        #expect(try pdf.renderPages() == 2)
    }

    @Test("chart: title, reference labels, month labels, as-of marker, legend")
    func chart() throws {
        let pdf = try PopplerPDF(try PDFRenderer.render(SampleDocuments.spendingChart()))
        defer { pdf.remove() }
        #expect(pdf.pages == 1)
        let text = try pdf.text()
        for phrase in ["专项资金累计支出图", "核定补助 30,000.00", "自筹预算 10,000.00", "2025-01", "截至 2025-09",
                       "补助资金", "自筹资金", "月份", "金额（元）", "占核定补助的 70.00%"] {
            #expect(text.contains(phrase), "missing \(phrase)")
        }
        try pdf.expectPageFooters()
    }

    @Test("sections that start a new page do")
    func newPageSections() throws {
        var document = SampleDocuments.trialBalance()
        document.sections[1].startsNewPage = true
        let pdf = try PopplerPDF(try PDFRenderer.render(document))
        defer { pdf.remove() }
        #expect(pdf.pages == 2)
        #expect(try pdf.text(page: 2).contains("资金执行情况"))
        #expect(!(try pdf.text(page: 1).contains("资金执行情况")))
    }

    @Test("yuan tick steps are round", arguments: [
        (30_000 as Int64, 10_000 as Int64), (21_000, 5_000), (1, 1), (9, 2), (12_345, 2_500), (100_000, 20_000),
    ])
    func tickSteps(peak: Int64, step: Int64) {
        #expect(ChartAxis.tickStep(peakYuan: peak) == step)
    }
}
