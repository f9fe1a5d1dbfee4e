import Foundation
import FundCore
import FundPDF
import FundReports
import FundTestSupport
import Testing

@testable import FundRender

/// Pages that read on their own (issue 16, item 2): a page picked out of a printed statement
/// says what it is, and the layout never strands a heading or the signature line.
@Suite("PDF pages that read on their own", .serialized)
struct PageContinuityTests {
    /// A 明细账 of one account whose rows run over several landscape pages.
    static func ledger(entries: Int) -> ReportDocument {
        var table = SampleDocuments.ledgerTable(entries: entries)
        table.caption = "会计科目：400101 市级补助资金收入"
        return ReportDocument(
            kind: .subsidiaryLedger, title: "明细账", titleBlock: SampleDocuments.titleBlock,
            sections: [DocumentSection(heading: nil, blocks: [.table(table)])],
            signatures: SampleDocuments.signatures, orientation: .landscape, fileStem: "ZY2025-001-subsidiary-ledger")
    }

    @Test("every continuation page repeats the title block compactly and the account with （续）")
    func continuationPagesSayWhatTheyAre() throws {
        let pdf = try PopplerPDF(try PDFRenderer.render(Self.ledger(entries: 150)))
        defer { pdf.remove() }
        #expect(pdf.pages >= 3)
        #expect(try pdf.text(page: 1).contains("会计科目：400101 市级补助资金收入"))
        #expect(!(try pdf.text(page: 1).contains("（续）")))
        for page in 2...pdf.pages {
            let text = try pdf.text(page: page)
            for phrase in ["明细账（续）", "编制单位：资阳市现代职业技术学院", "期间：2025-01 至 2025-06", "单位：元",
                           "会计科目：400101 市级补助资金收入（续）", "凭证字号"] {
                #expect(text.contains(phrase), "page \(page) lacks \(phrase)")
            }
        }
    }

    /// A table of `groups` fund groups, each a group heading row and four entries, with a
    /// 合计 row: some length puts a heading at a page's foot, another leaves only the total
    /// for the signature page.
    static func grouped(groups: Int, entries: Int) -> ReportDocument {
        let columns = [Column("摘要", .text, width: 40), Column("金额", .money, width: 14)]
        var rows: [Row] = []
        var bodies: [Int] = []
        for group in 0..<groups {
            rows.append(Row(.group, [.text("第 \(group + 1) 组"), .empty]))
            for entry in 0..<entries {
                rows.append(Row(.body, [.text("支出 \(group + 1)-\(entry + 1)"), .money(Money(fen: 10_000))]))
                bodies.append(rows.count - 1)
            }
        }
        rows.append(SampleDocuments.totalRow(.total, label: "合计", labelColumn: 0, columns: columns, rows: rows, indices: bodies))
        return ReportDocument(
            kind: .expenseDetail, title: "支出明细表", titleBlock: SampleDocuments.titleBlock,
            sections: [DocumentSection(heading: nil, blocks: [.table(DocumentTable(name: "支出", columns: columns, rows: rows))])],
            signatures: SampleDocuments.signatures, fileStem: "grouped")
    }

    @Test("no page ends on a group heading, and none holds only the signature line", arguments: [2, 3, 4, 5])
    func keepWithNext(entries: Int) throws {
        for groups in 4...40 {
            let canvas = try PDFCanvas(title: "支出明细表", date: nil)
            let composer = PDFComposer(document: Self.grouped(groups: groups, entries: entries), canvas: canvas)
            composer.compose()
            for (number, page) in composer.pages.enumerated() {
                let content = page.items.filter { item in
                    switch item {
                    case .titleBlock, .continuationHeader: false
                    default: true
                    }
                }
                let onlySignatures = content.count == 1 && { if case .signatures = content[0] { true } else { false } }()
                #expect(!onlySignatures, "\(groups) groups: page \(number + 1) holds only the signature line")
                for item in content {
                    guard case .tableSegment(let index, let rows, _) = item else { continue }
                    let table = composer.tables[index].table
                    #expect(rows.upperBound == table.rows.count || table.rows[rows.upperBound - 1].role != .group,
                            "\(groups) groups: page \(number + 1) ends on a group heading")
                }
            }
        }
    }
}
