import FundCore
import FundPDF
import FundReports

/// One printed 记账凭证 form (half an A4 page): a voucher, or one part of a voucher whose lines
/// do not fit one form (then labelled 1/2, 2/2 …, with the 合计 on the last part).
struct PDFVoucherPart {
    /// Line rows per form, blank rows filling the rest.
    static let rowsPerForm = 6
    static let rowHeight = 28.0
    static let headerRowHeight = 20.0
    /// Column shares: 摘要 | 会计科目 | 借方金额 | 贷方金额.
    static let columnShares = [0.29, 0.35, 0.18, 0.18]

    let voucher: VoucherPrint
    let lines: ArraySlice<VoucherPrint.Line>
    let part: Int
    let parts: Int

    static func split(_ voucher: VoucherPrint) -> [PDFVoucherPart] {
        let parts = max(1, (voucher.lines.count + rowsPerForm - 1) / rowsPerForm)
        return (0..<parts).map { part in
            let start = part * rowsPerForm
            let end = min(voucher.lines.count, start + rowsPerForm)
            return PDFVoucherPart(voucher: voucher, lines: voucher.lines[start..<end], part: part, parts: parts)
        }
    }

    var isLast: Bool { part == parts - 1 }

    func draw(canvas: PDFCanvas, geometry: PDFGeometry, slot: Int) {
        let slotHeight = (geometry.bottom - geometry.top) / 2
        let top = geometry.top + Double(slot) * slotHeight
        if slot == 1 {
            // Cutting line between the two forms.
            canvas.line(geometry.left - 20, top - 4, geometry.left + geometry.contentWidth + 20, top - 4)
            canvas.stroke(width: 0.4, grey: 0.6, dash: [4, 3])
        }
        let x = geometry.left
        let gridWidth = geometry.contentWidth
        var y = top + 6
        drawTitle(canvas: canvas, x: x, y: y, width: gridWidth)
        y += canvas.lineHeight(.voucherTitle) + 8
        let labelLine = canvas.lineHeight(.label)
        let number = parts > 1 ? "\(voucher.label)（\(part + 1)/\(parts)）" : voucher.label
        canvas.draw(CellText.voucherDate(voucher.date), font: .label, x: x, y: y, width: gridWidth, alignment: .centre)
        canvas.draw("凭证字号：" + number, font: .label, x: x + gridWidth * 2 / 3, y: y, width: gridWidth / 3, alignment: .right)
        y += labelLine + 2
        canvas.draw("编制单位：" + voucher.unit, font: .label, x: x, y: y, width: gridWidth * 3 / 4)
        canvas.draw("附单据 \(voucher.attachments) 张", font: .label, x: x + gridWidth * 3 / 4, y: y, width: gridWidth / 4,
                    alignment: .right)
        y += labelLine + 2
        if let note = voucher.note, !note.isEmpty {
            canvas.draw(note, font: .small, x: x, y: y, width: gridWidth, grey: 0.25)
        }
        y += canvas.lineHeight(.small) + 2
        let gridBottom = drawGrid(canvas: canvas, x: x, y: y, width: gridWidth)
        drawSignatures(voucher.signatures, y: gridBottom + 6, x: x, width: gridWidth, canvas: canvas)
    }

    private func drawTitle(canvas: PDFCanvas, x: Double, y: Double, width: Double) {
        let title = "记  账  凭  证"
        canvas.draw(title, font: .voucherTitle, x: x, y: y, width: width, alignment: .centre)
        let titleWidth = canvas.measure(title, font: .voucherTitle).width
        let left = x + (width - titleWidth) / 2 - 8
        let rule = y + canvas.lineHeight(.voucherTitle) + 1
        canvas.line(left, rule, left + titleWidth + 16, rule)
        canvas.line(left, rule + 2.5, left + titleWidth + 16, rule + 2.5)
        canvas.stroke(width: 0.7)
    }

    /// Header, line rows (blank ones to fill the form), 合计; returns the grid's bottom.
    private func drawGrid(canvas: PDFCanvas, x: Double, y: Double, width: Double) -> Double {
        var edges = [x]
        for share in Self.columnShares { edges.append(edges[edges.count - 1] + share * width) }
        let pad = PDFTableLayout.paddingX
        canvas.fill(x, y, width, Self.headerRowHeight, grey: PDFTableLayout.headerGrey)
        for (index, title) in ["摘　要", "会计科目", "借方金额", "贷方金额"].enumerated() {
            canvas.draw(title, font: .labelBold, box: edges[index], y, edges[index + 1] - edges[index],
                        Self.headerRowHeight, alignment: .centre)
        }
        var rowTop = y + Self.headerRowHeight
        for line in lines {
            let account = line.fund.isEmpty || line.account.contains(line.fund) ? line.account : line.account + "〔\(line.fund)〕"
            canvas.draw(line.memo, font: .body, box: edges[0] + pad, rowTop, edges[1] - edges[0] - 2 * pad, Self.rowHeight,
                        alignment: .left, maxLines: 2)
            canvas.draw(account, font: .body, box: edges[1] + pad, rowTop, edges[2] - edges[1] - 2 * pad, Self.rowHeight,
                        alignment: .left, maxLines: 2)
            for (column, amount) in [(2, line.debit), (3, line.credit)] {
                guard let amount else { continue }
                canvas.draw(amount.groupedString, font: .label, box: edges[column] + pad, rowTop,
                            edges[column + 1] - edges[column] - 2 * pad, Self.rowHeight, alignment: .right,
                            ink: amount.isNegative ? .red : .black)
            }
            rowTop += Self.rowHeight
        }
        let totalTop = y + Self.headerRowHeight + Double(Self.rowsPerForm) * Self.rowHeight
        drawTotal(canvas: canvas, edges: edges, top: totalTop)
        let bottom = totalTop + Self.rowHeight
        // Grid: every row rule, column rules, the double rule above 合计, a heavier frame.
        for index in 0...Self.rowsPerForm {
            let ruleY = y + Self.headerRowHeight + Double(index) * Self.rowHeight
            canvas.line(x, ruleY, x + width, ruleY)
        }
        for edge in edges.dropFirst().dropLast() {
            let skipsTotal = edge == edges[1]
            canvas.line(edge, y, edge, skipsTotal ? totalTop : bottom)
        }
        canvas.stroke(width: 0.5, grey: PDFTableLayout.ruleGrey)
        canvas.line(x, totalTop - 1.5, x + width, totalTop - 1.5)
        canvas.stroke(width: 0.5, grey: 0)
        canvas.rectangle(x, y, width, bottom - y)
        canvas.stroke(width: 1.2, grey: 0)
        return bottom
    }

    /// 合计 with the 大写 amount across 摘要 and 会计科目; totals in the amount columns.
    private func drawTotal(canvas: PDFCanvas, edges: [Double], top: Double) {
        let pad = PDFTableLayout.paddingX
        guard isLast else {
            canvas.draw("（续下页）", font: .label, box: edges[0] + pad, top, edges[2] - edges[0] - 2 * pad, Self.rowHeight,
                        alignment: .centre)
            return
        }
        let words = "合计：" + AmountText.uppercase(voucher.debitTotal)
        canvas.draw(words, font: .labelBold, box: edges[0] + pad, top, edges[2] - edges[0] - 2 * pad, Self.rowHeight,
                    alignment: .left, maxLines: 2)
        for (column, amount) in [(2, voucher.debitTotal), (3, voucher.creditTotal)] {
            canvas.draw(AmountText.yuan(amount), font: .labelBold, box: edges[column] + pad, top,
                        edges[column + 1] - edges[column] - 2 * pad, Self.rowHeight, alignment: .right)
        }
    }
}
