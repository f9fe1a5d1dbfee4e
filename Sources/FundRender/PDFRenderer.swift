import FundCore
import FundPDF
import FundReports
import Foundation

/// Writes a `ReportDocument` as an A4 PDF ("Noto Sans CJK SC" embedded as a subset): title
/// block, ruled tables whose header repeats on every page, 记账凭证 two to a page,
/// cumulative-spending charts, "第 N 页 共 M 页" on every page and the signature line at the foot
/// of the last page. The document is laid out into pages first (so M is known), then drawn;
/// the fonts are embedded last, so that several PDFs can share one subset.
public enum PDFRenderer {
    /// The PDF's bytes.
    public static func render(_ document: ReportDocument) throws -> Data {
        try finish([draft(document)])[0]
    }

    /// Lays out and draws a document: everything but its fonts.
    public static func draft(_ document: ReportDocument) throws -> PDFDraft {
        try reporting {
            let date = document.date.map { String(format: "%04d%02d%02d", $0.year, $0.month, $0.day) }
            let canvas = try PDFCanvas(title: document.title, date: date)
            let composer = PDFComposer(document: document, canvas: canvas)
            composer.compose()
            composer.draw()
            return try canvas.finish()
        }
    }

    /// The PDF files of drafts, with one subset of each font covering every draft's glyphs
    /// (an audit package's statements cut Noto Sans CJK once, not once per file).
    public static func finish(_ drafts: [PDFDraft]) throws -> [Data] {
        guard let first = drafts.first else { return [] }
        return try reporting {
            let slots = first.faces.indices
            let fonts = try Parallel.map(slots.count) { slot -> PDFEmbeddedFont? in
                var glyphs = Set<UInt32>()
                for draft in drafts { glyphs.formUnion(draft.glyphs[slot].keys) }
                return glyphs.isEmpty ? nil : try PDFEmbeddedFont(face: first.faces[slot], glyphs: glyphs)
            }
            return try Parallel.map(drafts.count) { try drafts[$0].file(fonts: fonts) }
        }
    }

    /// The engine's failures as this module's `RenderError`.
    private static func reporting<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as PDFError {
            throw RenderError(.pdf, error.message)
        }
    }
}

/// A laid-out document waiting for its fonts (FundPDF's type, named here for the renderer's
/// clients).
public typealias PDFDraft = FundPDF.PDFDraft

/// Page geometry in points: A4, 40 pt margins, the footer inside the bottom margin.
struct PDFGeometry {
    static let margin = 40.0

    let landscape: Bool
    var width: Double { landscape ? PDFCanvas.a4Height : PDFCanvas.a4Width }
    var height: Double { landscape ? PDFCanvas.a4Width : PDFCanvas.a4Height }
    var left: Double { Self.margin }
    var contentWidth: Double { width - 2 * Self.margin }
    var top: Double { Self.margin }
    var bottom: Double { height - Self.margin }
    var footerTop: Double { height - 28 }
}

/// What a page shows, in drawing order. Tables, facts and paragraphs are stored once in the
/// composer; items name them by index and say which part lands on this page.
enum PDFItem {
    case titleBlock(y: Double)
    /// The title block compacted on a continuation page: "明细账（续）" with 编制单位, 期间 and
    /// 单位, so that a page read on its own says what it is.
    case continuationHeader(y: Double)
    case heading(String, y: Double)
    case caption(String, y: Double)
    case paragraph(index: Int, lines: Range<Int>, y: Double)
    case tableSegment(index: Int, rows: Range<Int>, y: Double)
    case voucher(index: Int, slot: Int)
    case chart(index: Int, y: Double, height: Double)
    case signatures(y: Double)
}

struct PDFPage {
    var geometry: PDFGeometry
    var items: [PDFItem] = []
}

/// The layout pass (`compose`) and the drawing pass (`draw`) over one document.
final class PDFComposer {
    static let blockGap = 10.0

    let document: ReportDocument
    let canvas: PDFCanvas
    private(set) var pages: [PDFPage] = []
    var tables: [PDFTableLayout] = []
    var paragraphs: [PDFParagraph] = []
    var voucherParts: [PDFVoucherPart] = []
    var charts: [SpendingChart] = []
    /// Cursor on the current page.
    private var y = 0.0
    /// Whether anything but the title block is on the current page.
    private var pageHasContent = false
    /// The next free half of the current page while vouchers are being placed.
    private var voucherSlot: Int?
    /// A document of voucher prints only: every voucher is its own form with its own title.
    private var onlyVouchers = false
    /// Room kept under the last block for the signature line, so that no page holds the
    /// signatures alone (0 while other blocks are placed).
    private var signatureReserve = 0.0

    init(document: ReportDocument, canvas: PDFCanvas) {
        self.document = document
        self.canvas = canvas
    }

    var geometry: PDFGeometry { pages[pages.count - 1].geometry }

    // MARK: Layout pass

    func compose() {
        let landscape = document.orientation == .landscape
        onlyVouchers = document.sections.allSatisfy { section in
            section.blocks.allSatisfy { if case .voucher = $0 { true } else { false } }
        } && !document.sections.flatMap(\.blocks).isEmpty
        startPage(landscape: landscape, continued: false)
        if !onlyVouchers {
            add(.titleBlock(y: y))
            y += titleBlockHeight()
        }
        let lastSection = document.sections.lastIndex { !$0.blocks.isEmpty }
        for (sectionIndex, section) in document.sections.enumerated() {
            if section.startsNewPage && pageHasContent { startPage(landscape: landscape) }
            if let heading = section.heading, !heading.isEmpty, !onlyVouchers {
                leaveVouchers()
                let height = canvas.lineHeight(.heading) + 6
                ensureSpace(height + 60)
                add(.heading(heading, y: y))
                y += height
            }
            for (index, block) in section.blocks.enumerated() {
                let last = sectionIndex == lastSection && index == section.blocks.count - 1
                signatureReserve = last && !document.signatures.isEmpty
                    ? Self.blockGap + signaturesHeight(document.signatures, width: geometry.contentWidth, canvas: canvas) + 12 : 0
                place(block)
            }
            signatureReserve = 0
        }
        placeSignatures()
    }

    /// A new page; a continuation page (every page after the first, voucher forms aside)
    /// starts with the compact title block.
    private func startPage(landscape: Bool, continued: Bool = true) {
        pages.append(PDFPage(geometry: PDFGeometry(landscape: landscape)))
        y = geometry.top
        pageHasContent = false
        voucherSlot = nil
        if continued && !onlyVouchers {
            add(.continuationHeader(y: y))
            y += continuationHeaderHeight(width: geometry.contentWidth)
        }
    }

    private func add(_ item: PDFItem) {
        pages[pages.count - 1].items.append(item)
        switch item {
        case .titleBlock, .continuationHeader: return
        default: pageHasContent = true
        }
    }

    /// Starts a new page unless `height` still fits (or the page is empty anyway).
    private func ensureSpace(_ height: Double) {
        if y + height > geometry.bottom && pageHasContent {
            startPage(landscape: document.orientation == .landscape)
        }
    }

    /// After a run of vouchers, other content starts on a fresh page.
    private func leaveVouchers() {
        if voucherSlot != nil { startPage(landscape: document.orientation == .landscape) }
    }

    private func place(_ block: Block) {
        if case .voucher(let voucher) = block {
            placeVoucher(voucher)
            return
        }
        leaveVouchers()
        switch block {
        case .paragraph(let text): placeParagraph(text)
        case .facts(let facts): placeTable(PDFTableLayout.facts(facts, canvas: canvas, width: geometry.contentWidth), caption: nil)
        case .table(let table):
            let layout = PDFTableLayout.make(table, canvas: canvas, width: geometry.contentWidth)
            placeTable(layout, caption: table.caption)
        case .chart(let chart): placeChart(chart)
        case .voucher: break
        }
    }

    private func placeParagraph(_ text: String) {
        let paragraph = PDFParagraph.make(text, canvas: canvas, width: geometry.contentWidth)
        paragraphs.append(paragraph)
        var line = 0
        while line < paragraph.lineCount {
            ensureSpace(paragraph.lineHeight)
            let fitting = max(1, Int((geometry.bottom - y) / paragraph.lineHeight))
            var end = min(paragraph.lineCount, line + fitting)
            // The last lines go with the signature line rather than leave it alone on a page.
            if end == paragraph.lineCount && end - line >= 2
                && y + Double(end - line) * paragraph.lineHeight + signatureReserve > geometry.bottom {
                end -= min(2, end - line - 1)
            }
            add(.paragraph(index: paragraphs.count - 1, lines: line..<end, y: y))
            y += Double(end - line) * paragraph.lineHeight
            line = end
        }
        y += Self.blockGap
    }

    /// Rows fill pages in order; every page a table continues on repeats its header.
    private func placeTable(_ layout: PDFTableLayout, caption: String?) {
        tables.append(layout)
        let index = tables.count - 1
        let captionHeight = caption.map { _ in canvas.lineHeight(.caption) + 4 } ?? 0
        // The caption, the header and two rows together: a table never starts with one row
        // stranded at a page's foot.
        let firstRows = layout.rowHeights.prefix(2).reduce(0, +)
        ensureSpace(captionHeight + layout.headerHeight + firstRows)
        if let caption {
            add(.caption(caption, y: y))
            y += captionHeight
        }
        var row = 0
        repeat {
            var end = row
            var bottom = y + layout.headerHeight
            while end < layout.rowHeights.count && (bottom + layout.rowHeights[end] <= geometry.bottom || end == row) {
                bottom += layout.rowHeights[end]
                end += 1
            }
            end = Self.segmentEnd(layout, rows: row..<end, room: geometry.bottom - bottom, reserve: signatureReserve)
            bottom = y + layout.headerHeight + layout.rowHeights[row..<end].reduce(0, +)
            add(.tableSegment(index: index, rows: row..<end, y: y))
            y = bottom
            row = end
            if row < layout.rowHeights.count {
                startPage(landscape: document.orientation == .landscape)
                if let caption {
                    add(.caption(caption + "（续）", y: y))
                    y += captionHeight
                }
            }
        } while row < layout.rowHeights.count
        y += Self.blockGap
    }

    /// Where a table's segment on this page ends, given the rows that fit and the room left
    /// under them: a group heading row never ends a page (it goes over with its rows), the last
    /// row never goes over alone, and the table's last rows go over with the signature line
    /// when that would not fit (`reserve`).
    /// At least one row stays.
    static func segmentEnd(_ layout: PDFTableLayout, rows: Range<Int>, room: Double, reserve: Double) -> Int {
        var end = rows.upperBound
        if end < layout.rowHeights.count {
            // Nor does the table's last row go over alone (a total or 本年累计 by itself).
            if layout.rowHeights.count - end == 1 && end - rows.lowerBound >= 3 { end -= 1 }
            while end - 1 > rows.lowerBound && layout.table.rows[end - 1].role == .group { end -= 1 }
        } else if reserve > room && end - rows.lowerBound >= 2 {
            end -= min(2, end - rows.lowerBound - 1)
            while end - 1 > rows.lowerBound && layout.table.rows[end - 1].role == .group { end -= 1 }
        }
        return end
    }

    /// Vouchers go two to a portrait page, each in its own half; a long voucher continues in
    /// the next half.
    private func placeVoucher(_ voucher: VoucherPrint) {
        let parts = PDFVoucherPart.split(voucher)
        for part in parts {
            if voucherSlot == nil {
                if pageHasContent || geometry.landscape { startPage(landscape: false, continued: false) }
                voucherSlot = 0
            } else if voucherSlot == 2 {
                startPage(landscape: false, continued: false)
                voucherSlot = 0
            }
            voucherParts.append(part)
            add(.voucher(index: voucherParts.count - 1, slot: voucherSlot ?? 0))
            voucherSlot = (voucherSlot ?? 0) + 1
        }
        y = geometry.bottom
    }

    /// A chart takes up to 70 % of a page; it shrinks (to no less than 220 pt) rather than
    /// leave a heading alone at the foot of the page.
    private func placeChart(_ chart: SpendingChart) {
        charts.append(chart)
        let preferred = min(geometry.contentWidth * 0.6, (geometry.bottom - geometry.top) * 0.7)
        let height = max(min(preferred, 220), min(preferred, geometry.bottom - y))
        ensureSpace(height)
        add(.chart(index: charts.count - 1, y: y, height: height))
        y += height + Self.blockGap
    }

    /// The signature line sits at the foot of the last page.
    private func placeSignatures() {
        guard !document.signatures.isEmpty else { return }
        let height = signaturesHeight(document.signatures, width: geometry.contentWidth, canvas: canvas)
        if voucherSlot != nil || y + height + 12 > geometry.bottom {
            startPage(landscape: document.orientation == .landscape)
        }
        add(.signatures(y: geometry.bottom - height))
    }

    // MARK: Title block

    /// The title-block items flowed into rows that fit the width, each "label：value" whole.
    private func titleBlockRows(width: Double) -> [[(text: String, width: Double)]] {
        var rows: [[(text: String, width: Double)]] = [[]]
        var used = 0.0
        for item in document.titleBlock {
            let text = item.label + "：" + item.value
            let itemWidth = min(canvas.measure(text, font: .label).width, width)
            if !rows[rows.count - 1].isEmpty && used + Self.titleBlockGap + itemWidth > width {
                rows.append([])
                used = 0
            }
            used += (rows[rows.count - 1].isEmpty ? 0 : Self.titleBlockGap) + itemWidth
            rows[rows.count - 1].append((text, itemWidth))
        }
        return rows.filter { !$0.isEmpty }
    }

    static let titleBlockGap = 24.0

    /// The title-block items a continuation page repeats: who prepared it, which fund, which
    /// period or day, and the unit.
    static let continuedLabels: Set<String> = ["编制单位", "建设（依托）单位", "资金", "期间", "截至", "评价截止日", "单位"]

    /// "明细账（续）" and the repeated items, on one line when they fit beside each other.
    private func continuationLines(width: Double) -> (title: String, items: String, oneLine: Bool) {
        let title = document.title + "（续）"
        let items = document.titleBlock.filter { Self.continuedLabels.contains($0.label) }
            .map { $0.label + "：" + $0.value }.joined(separator: "　　")
        let needed = canvas.measure(title, font: .heading).width + Self.titleBlockGap + canvas.measure(items, font: .small).width
        return (title, items, needed <= width)
    }

    private func continuationHeaderHeight(width: Double) -> Double {
        let lines = continuationLines(width: width)
        return canvas.lineHeight(.heading) + (lines.oneLine ? 0 : itemsHeight(lines.items, width: width)) + 8
    }

    /// The repeated items under the title, wrapped (at most three lines).
    private func itemsHeight(_ items: String, width: Double) -> Double {
        Double(canvas.measure(items, font: .small, width: width, maxLines: 3).lines) * canvas.lineHeight(.small)
    }

    private func titleBlockHeight() -> Double {
        canvas.lineHeight(.title) + 10 + Double(titleBlockRows(width: geometry.contentWidth).count) * (canvas.lineHeight(.label) + 2) + 8
    }

    // MARK: Drawing pass

    func draw() {
        for (number, page) in pages.enumerated() {
            canvas.setPageSize(landscape: page.geometry.landscape)
            for item in page.items { draw(item, geometry: page.geometry) }
            // Two spaces: poppler's layout mode reads a single space between CJK glyphs as none.
            let footer = "第  \(number + 1)  页  共  \(pages.count)  页"
            canvas.draw(footer, font: .small, x: page.geometry.left, y: page.geometry.footerTop,
                        width: page.geometry.contentWidth, alignment: .centre, grey: 0.2)
            canvas.showPage()
        }
    }

    private func draw(_ item: PDFItem, geometry: PDFGeometry) {
        switch item {
        case .titleBlock(let y): drawTitleBlock(y: y, geometry: geometry)
        case .continuationHeader(let y): drawContinuationHeader(y: y, geometry: geometry)
        case .heading(let text, let y):
            canvas.draw(text, font: .heading, x: geometry.left, y: y, width: geometry.contentWidth)
        case .caption(let text, let y):
            canvas.draw(text, font: .caption, x: geometry.left, y: y, width: geometry.contentWidth)
        case .paragraph(let index, let lines, let y):
            paragraphs[index].draw(lines: lines, canvas: canvas, x: geometry.left, y: y)
        case .tableSegment(let index, let rows, let y):
            tables[index].draw(rows: rows, canvas: canvas, x: geometry.left, y: y)
        case .voucher(let index, let slot):
            voucherParts[index].draw(canvas: canvas, geometry: geometry, slot: slot)
        case .chart(let index, let y, let height):
            PDFChartPainter(chart: charts[index], canvas: canvas)
                .draw(x: geometry.left, y: y, width: geometry.contentWidth, height: height)
        case .signatures(let y):
            drawSignatures(document.signatures, y: y, x: geometry.left, width: geometry.contentWidth, canvas: canvas)
        }
    }

    private func drawContinuationHeader(y top: Double, geometry: PDFGeometry) {
        let lines = continuationLines(width: geometry.contentWidth)
        canvas.draw(lines.title, font: .heading, x: geometry.left, y: top, width: geometry.contentWidth)
        var bottom = top + canvas.lineHeight(.heading)
        if lines.oneLine {
            // Level with the title's foot.
            let y = bottom - canvas.lineHeight(.small) - 1
            canvas.draw(lines.items, font: .small, x: geometry.left, y: y, width: geometry.contentWidth, alignment: .right)
        } else {
            canvas.draw(lines.items, font: .small, x: geometry.left, y: bottom, width: geometry.contentWidth, maxLines: 3)
            bottom += itemsHeight(lines.items, width: geometry.contentWidth)
        }
        canvas.line(geometry.left, bottom + 2, geometry.left + geometry.contentWidth, bottom + 2)
        canvas.stroke(width: 0.4)
    }

    private func drawTitleBlock(y top: Double, geometry: PDFGeometry) {
        var y = top
        let titleWidth = canvas.measure(document.title, font: .title).width
        canvas.draw(document.title, font: .title, x: geometry.left, y: y, width: geometry.contentWidth, alignment: .centre)
        y += canvas.lineHeight(.title) + 1
        // The customary double rule under a statement's title.
        let ruleLeft = geometry.left + (geometry.contentWidth - titleWidth) / 2 - 6
        canvas.line(ruleLeft, y, ruleLeft + titleWidth + 12, y)
        canvas.line(ruleLeft, y + 2, ruleLeft + titleWidth + 12, y + 2)
        canvas.stroke(width: 0.6)
        y += 9
        // Rows spread across the width (编制单位 flush left, the last item flush right); the
        // last row keeps its natural spacing.
        let rows = titleBlockRows(width: geometry.contentWidth)
        for (rowIndex, row) in rows.enumerated() {
            let natural = row.reduce(0) { $0 + $1.width }
            let gap = row.count > 1 && rowIndex < rows.count - 1
                ? (geometry.contentWidth - natural) / Double(row.count - 1) : Self.titleBlockGap
            var x = geometry.left
            let rowY = y + Double(rowIndex) * (canvas.lineHeight(.label) + 2)
            for item in row {
                canvas.draw(item.text, font: .label, x: x, y: rowY, width: item.width + 1)
                x += item.width + gap
            }
        }
    }
}

/// 会计主管：王敏　复核：______ … spread evenly across the width; a slot too narrow for its
/// text (a long 评价单位 name) takes more of the width, and wraps rather than being cut.
func drawSignatures(_ signatures: [LabeledValue], y: Double, x: Double, width: Double, canvas: PDFCanvas) {
    for slot in signatureSlots(signatures, width: width, canvas: canvas) {
        canvas.draw(slot.text, font: .label, x: x + slot.x, y: y, width: slot.width - 4, maxLines: signatureLinesMax)
    }
}

let signatureLinesMax = 3

/// Each signature's text, left edge and width: equal slots when every text fits its share;
/// otherwise each slot as wide as its text, shrunk together to the width (wrapping inside).
func signatureSlots(_ signatures: [LabeledValue], width: Double, canvas: PDFCanvas) -> [(text: String, x: Double, width: Double)] {
    guard !signatures.isEmpty else { return [] }
    let texts = signatures.map { $0.label + "：" + ($0.value.isEmpty ? "________" : $0.value) }
    let natural = texts.map { canvas.measure($0, font: .label).width + 8 }
    let equal = width / Double(texts.count)
    let widths = natural.allSatisfy { $0 <= equal } ? Array(repeating: equal, count: texts.count)
        : natural.map { max($0, equal / 2) * width / natural.reduce(0) { $0 + max($1, equal / 2) } }
    var x = 0.0
    return zip(texts, widths).map { text, slotWidth in
        defer { x += slotWidth }
        return (text, x, slotWidth)
    }
}

/// The height of the signature line: its tallest slot.
func signaturesHeight(_ signatures: [LabeledValue], width: Double, canvas: PDFCanvas) -> Double {
    let lines = signatureSlots(signatures, width: width, canvas: canvas).map { slot in
        canvas.measure(slot.text, font: .label, width: slot.width - 4, maxLines: signatureLinesMax).lines
    }.max() ?? 1
    return Double(max(lines, 1)) * canvas.lineHeight(.label)
}

/// A wrapped paragraph, split by lines across pages.
struct PDFParagraph {
    static let font = PDFCanvas.Font.label

    let text: String
    let width: Double
    let lineCount: Int
    let lineHeight: Double

    static func make(_ text: String, canvas: PDFCanvas, width: Double) -> PDFParagraph {
        let measured = canvas.measure(text, font: font, width: width, maxLines: Int(Int32.max / 2))
        let lineHeight = canvas.lineHeight(font)
        return PDFParagraph(text: text, width: width, lineCount: max(measured.lines, 1), lineHeight: lineHeight)
    }

    /// Draws lines `lines` with the first at `y`: the whole layout shifted up and clipped.
    func draw(lines: Range<Int>, canvas: PDFCanvas, x: Double, y: Double) {
        let shift = Double(lines.lowerBound) * lineHeight
        canvas.withClip(x: x - 2, y: y, width: width + 4, height: Double(lines.count) * lineHeight) {
            canvas.draw(text, font: Self.font, x: x, y: y - shift, width: width, maxLines: Int(Int32.max / 2))
        }
    }
}
