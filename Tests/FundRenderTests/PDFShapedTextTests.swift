import Foundation
import FundCore
import FundReports
import FundTestSupport
import Testing

@testable import FundPDF
@testable import FundRender

@Suite("PDF text that needs shaping, shared subsets", .serialized)
struct PDFShapedTextTests {
    static func shapedDocument() -> ReportDocument {
        ReportDocument(
            kind: .fundStatement, title: "资金说明", titleBlock: SampleDocuments.titleBlock,
            sections: [
                DocumentSection(heading: "说明", blocks: [
                    .paragraph("前文资金 Café\u{301} 资金 مرحبا สวัสดี 😀 后文收入"),
                    .paragraph("第二段：专项资金按合同执行。"),
                ]),
            ],
            signatures: SampleDocuments.signatures, fileStem: "shaped")
    }

    @Test("text pango shapes (combining mark, Arabic, Thai, emoji) renders; the Chinese around it is still text")
    func shapedText() throws {
        let pdf = try PopplerPDF(try PDFRenderer.render(Self.shapedDocument()))
        defer { pdf.remove() }
        #expect(pdf.pages == 1)
        #expect(try pdf.renderPages() == 1)
        let text = PDFRendererTests.squeezed(try pdf.text())
        for phrase in ["资金说明", "前文资金", "Café\u{301}", "后文收入", "第二段：专项资金按合同执行。", "会计主管：王敏"] {
            #expect(text.contains(phrase), "missing \(phrase): \(text)")
        }
        // Only the embedded Noto subsets: fallback faces are drawn as outlines, never embedded.
        let fonts = try pdf.fonts()
        #expect(!fonts.isEmpty)
        for line in fonts {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(line.contains("NotoSansCJK"), "unexpected font: \(line)")
            #expect(fields.count >= 6 && fields[fields.count - 5] == "yes" && fields[fields.count - 4] == "yes", "\(line)")
            #expect(fields.first?.contains("+") == true, "\(line)")
        }
        try pdf.expectPageFooters()
    }

    @Test("a scalar outside the BMP from Noto maps back through ToUnicode (surrogate pair)")
    func supplementaryPlane() throws {
        let canvas = try PDFCanvas(title: "测试")
        canvas.draw("𠮷野家资金", font: .body, x: 40, y: 40)
        let pdf = try PopplerPDF(try PDFRenderer.finish([try canvas.finish()])[0])
        defer { pdf.remove() }
        #expect(try pdf.text().contains("𠮷野家资金"))
    }

    @Test("finish with two drafts: both PDFs embed the same subset (same tag) and read back")
    func sharedSubset() throws {
        let first = try PDFRenderer.draft(SampleDocuments.trialBalance())
        let second = try PDFRenderer.draft(SampleDocuments.vouchers())
        let files = try PDFRenderer.finish([first, second])
        #expect(files.count == 2)
        let pdfs = try files.map(PopplerPDF.init)
        defer { pdfs.forEach { $0.remove() } }
        #expect(try squeezedText(pdfs[0]).contains("科目余额表"))
        #expect(try squeezedText(pdfs[1]).contains("记 账 凭 证"))
        #expect(try squeezedText(pdfs[1]).contains("合计：人民币叁万元整"))
        func names(_ pdf: PopplerPDF) throws -> Set<String> {
            Set(try pdf.fonts().compactMap { $0.split(separator: " ").first.map(String.init) })
        }
        let a = try names(pdfs[0]), b = try names(pdfs[1])
        let regular = a.filter { $0.hasSuffix("-Regular") }
        #expect(regular.count == 1, "\(a)")
        #expect(!regular.isDisjoint(with: b), "\(a) vs \(b)")
        for name in a.union(b) {
            #expect(name.count > 7 && name.dropFirst(6).first == "+" && name.prefix(6).allSatisfy { $0.isASCII && $0.isUppercase }, "\(name)")
        }
        for pdf in pdfs {
            try pdf.expectEmbeddedCJKSubset()
            #expect(try pdf.renderPages() == pdf.pages)
        }
        // Rendered alone, the trial balance gets a smaller subset with another tag.
        let alone = try PopplerPDF(try PDFRenderer.render(SampleDocuments.trialBalance()))
        defer { alone.remove() }
        #expect(try names(alone).isDisjoint(with: regular))
    }

    @Test("drafts made on several threads at once share one subset")
    func draftsOnThreads() throws {
        let documents = [SampleDocuments.trialBalance(), SampleDocuments.vouchers(), SampleDocuments.spendingChart(),
                         Self.shapedDocument()]
        let phrases = ["科目余额表", "凭证字号：记-0001", "专项资金累计支出图", "前文资金"]
        let drafts = try Parallel.map(documents.count) { try PDFRenderer.draft(documents[$0]) }
        let files = try PDFRenderer.finish(drafts)
        #expect(files.count == documents.count)
        for (index, file) in files.enumerated() {
            let pdf = try PopplerPDF(file)
            defer { pdf.remove() }
            #expect(try squeezedText(pdf).contains(phrases[index]), "\(phrases[index])")
            try pdf.expectEmbeddedCJKSubset()
        }
    }

    // MARK: Defects found in review (these fail until fixed)

    @Test("the \"…\" pango draws when it cuts shaped text maps back to \"…\"")
    func shapedEllipsisToUnicode() throws {
        let canvas = try PDFCanvas(title: "测试")
        // Not plain (combining mark): pango lays it out and ellipsizes it.
        canvas.draw("Café\u{301}甲乙丙丁戊己庚辛壬癸子丑寅卯", font: .body, x: 40, y: 40, width: 60)
        let pdf = try PopplerPDF(try PDFRenderer.finish([try canvas.finish()])[0])
        defer { pdf.remove() }
        let text = try pdf.text()
        // PDFCanvas.drawShaped maps the ellipsis glyph to the first scalar it replaces.
        #expect(text.contains("…"), "ellipsis extracted as: \(text)")
    }

    @Test("a glyph shared by a Kangxi radical and its unified ideograph extracts as the ideograph")
    func sharedGlyphToUnicode() throws {
        let canvas = try PDFCanvas(title: "测试")
        // U+2F08 ⼈ and U+4EBA 人 are the same Noto glyph; ToUnicode keeps whichever came first.
        #expect(canvas.glyph("\u{2F08}", font: .body)?.index == canvas.glyph("人", font: .body)?.index)
        canvas.draw("\u{2F08}", font: .body, x: 40, y: 40)
        canvas.draw("工作人员", font: .body, x: 40, y: 60)
        let pdf = try PopplerPDF(try PDFRenderer.finish([try canvas.finish()])[0])
        defer { pdf.remove() }
        let text = try pdf.text()
        #expect(text.contains("工作人员"), "extracted: \(text)")
    }
}

/// pdftotext of the whole file with runs of spaces collapsed.
private func squeezedText(_ pdf: PopplerPDF) throws -> String { PDFRendererTests.squeezed(try pdf.text()) }
