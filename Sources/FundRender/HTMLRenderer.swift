import FundCore
import FundReports

/// A document as one self-contained HTML file: inline CSS (screen and A4 print), tables laid
/// out like Chinese account books, voucher prints, and the spending chart as inline SVG.
/// Nothing is fetched from anywhere; the file prints as it shows.
public enum HTMLRenderer {
    public static func render(_ document: ReportDocument, generator: String = "WorkshopLedger") -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="generator" content="\(escape(generator))">
            <title>\(escape(document.title))</title>
            <style>
            \(css(document.orientation))
            </style>
            </head>
            <body>

            """
        html += fragment(document)
        html += "</body>\n</html>\n"
        return html
    }

    /// The document's content without the page around it (title block, sections, signatures):
    /// what the web desk places inside its own page, under `stylesheet(_:)` rules. Every text
    /// is escaped.
    /// `titled: false` leaves out the title block (a chart inside a page that has its own heading).
    public static func fragment(_ document: ReportDocument, titled: Bool = true) -> String {
        var html = ""
        if titled {
            html += "<header class=\"title-block\">\n<h1>\(escape(document.title))</h1>\n<dl>\n"
            for item in document.titleBlock {
                html += "<div><dt>\(escape(item.label))</dt><dd>\(escape(item.value))</dd></div>\n"
            }
            html += "</dl>\n</header>\n"
        }
        for section in document.sections {
            html += section.startsNewPage ? "<section class=\"new-page\">\n" : "<section>\n"
            if let heading = section.heading { html += "<h2>\(escape(heading))</h2>\n" }
            for block in section.blocks {
                switch block {
                case .paragraph(let text): html += "<p>\(escape(text))</p>\n"
                case .facts(let facts): html += factsHTML(facts)
                case .table(let table): html += tableHTML(table)
                case .voucher(let voucher): html += voucherHTML(voucher)
                case .chart(let chart): html += SVGChart.render(chart) + "\n"
                }
            }
            html += "</section>\n"
        }
        if !document.signatures.isEmpty {
            html += "<footer class=\"signatures\">"
            html += document.signatures.map { "<span>\(escape($0.label))：<u>\(escape($0.value.isEmpty ? "　　　　" : $0.value))</u></span>" }
                .joined()
            html += "</footer>\n"
        }
        return html
    }

    /// The rules the documents' tables, vouchers and charts are laid out with (the web desk
    /// serves them as part of its stylesheet).
    public static func stylesheet(_ orientation: Orientation = .landscape) -> String { css(orientation) }

    static func css(_ orientation: Orientation) -> String {
        """
        @page { size: A4 \(orientation == .landscape ? "landscape" : "portrait"); margin: 14mm 12mm; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               font-size: 13px; color: #1a1a1a; margin: 24px auto; max-width: \(orientation == .landscape ? 1180 : 860)px; }
        h1 { text-align: center; font-size: 24px; letter-spacing: 0.3em; margin: 0 0 10px; }
        h2 { font-size: 16px; margin: 22px 0 8px; border-left: 4px solid #8b1a1a; padding-left: 8px; }
        .title-block dl { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0 0 12px; padding: 6px 0;
                          border-top: 2px solid #333; border-bottom: 1px solid #333; }
        .title-block dl div { display: flex; } .title-block dt::after { content: "："; } .title-block dd { margin: 0; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { border: 1px solid #555; padding: 3px 6px; vertical-align: top; }
        thead th { background: #f1ede4; font-weight: bold; text-align: center; }
        thead { display: table-header-group; }
        td.money, td.percent, td.count, td.decimal { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.code, td.date { white-space: nowrap; } td.direction { text-align: center; }
        td.negative { color: #b00000; }
        td.indent-1 { padding-left: 20px; } td.indent-2 { padding-left: 34px; } td.indent-3 { padding-left: 48px; }
        td.indent-4 { padding-left: 62px; } td.indent-5 { padding-left: 76px; } td.indent-6 { padding-left: 90px; }
        col.w28 { width: 28%; } col.w34 { width: 34%; } col.w12 { width: 12%; } col.w13 { width: 13%; }
        tr.subtotal td { font-weight: bold; border-top: 1.5px solid #333; }
        tr.cumulative td { font-style: italic; }
        tr.total td { font-weight: bold; border-top: 3px double #333; }
        tr.group td { font-weight: bold; background: #faf8f3; }
        dl.facts { display: grid; grid-template-columns: max-content max-content max-content max-content; gap: 4px 14px; margin: 6px 0 12px; }
        dl.facts dt { color: #444; } dl.facts dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
        .voucher { border: 1px solid #333; padding: 10px 14px; margin: 0 0 18px; page-break-inside: avoid; }
        .voucher h3 { text-align: center; font-size: 20px; letter-spacing: 0.6em; margin: 0; text-decoration: underline double; }
        .voucher .meta { display: flex; justify-content: space-between; margin: 6px 0; }
        .voucher .note { color: #b00000; margin: 2px 0 6px; }
        .voucher table { margin: 0; } table.fixed { table-layout: fixed; } .voucher td.words { text-align: left; }
        .voucher .signoff { display: flex; justify-content: space-between; margin-top: 8px; }
        footer.signatures { display: flex; justify-content: space-between; margin-top: 28px; }
        footer.signatures u { text-decoration: none; border-bottom: 1px solid #333; padding: 0 12px; }
        svg.chart { width: 100%; height: auto; border: 1px solid #ccc; background: #fff; margin: 6px 0 12px; }
        @media print { body { margin: 0; max-width: none; } section.new-page { break-before: page; }
                       tr, .voucher { break-inside: avoid; } .voucher:nth-of-type(2n) { break-after: page; } }
        """
    }

    static func factsHTML(_ facts: [Fact]) -> String {
        var html = "<dl class=\"facts\">\n"
        for fact in facts {
            html += "<dt>\(escape(fact.label))</dt><dd>\(escape(cellText(fact.value)))</dd>\n"
        }
        return html + "</dl>\n"
    }

    static func tableHTML(_ table: DocumentTable) -> String {
        var html = "<table>\n"
        if let caption = table.caption { html += "<caption>\(escape(caption))</caption>\n" }
        html += "<thead>\n"
        if !table.groupHeader.isEmpty {
            html += "<tr>" + table.groupHeader.map { "<th colspan=\"\($0.span)\">\(escape($0.title))</th>" }.joined() + "</tr>\n"
        }
        html += "<tr>" + table.columns.map { "<th>\(escape($0.title))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
        for row in table.rows {
            let roleClass = row.role == .body ? "" : " class=\"\(row.role.rawValue)\""
            if row.role == .group {
                html += "<tr\(roleClass)><td colspan=\"\(table.columns.count)\">\(escape(cellText(row.cells[0])))</td></tr>\n"
                continue
            }
            html += "<tr\(roleClass)>"
            for (index, cell) in row.cells.enumerated() {
                var classes = [table.columns[index].kind.rawValue]
                if let money = cell.money, money.isNegative { classes.append("negative") }
                // Indentation by class, not a style attribute: the web desk's Content-Security-Policy
                // allows no inline style.
                if index == 0 && row.indent > 0 { classes.append("indent-\(min(row.indent, 6))") }
                html += "<td class=\"\(classes.joined(separator: " "))\">\(escape(cellText(cell)))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func voucherHTML(_ voucher: VoucherPrint) -> String {
        var html = "<div class=\"voucher\">\n<h3>记账凭证</h3>\n"
        html += "<div class=\"meta\"><span>\(escape(voucher.unit))</span><span>\(escape(voucher.date.chinese))</span>"
        html += "<span>\(escape(voucher.label)) 号　附单据 \(voucher.attachments) 张</span></div>\n"
        if let note = voucher.note { html += "<div class=\"note\">\(escape(note))</div>\n" }
        html += "<table class=\"fixed\">\n<colgroup><col class=\"w28\"><col class=\"w34\"><col class=\"w12\"><col class=\"w13\"><col class=\"w13\"></colgroup>\n"
        html += "<thead><tr><th>摘要</th><th>会计科目</th><th>资金</th><th>借方金额</th><th>贷方金额</th></tr></thead>\n<tbody>\n"
        for line in voucher.lines {
            html += "<tr><td>\(escape(line.memo))</td><td>\(escape(line.account))</td><td>\(escape(line.fund))</td>"
            html += "<td class=\"money\(line.debit?.isNegative == true ? " negative" : "")\">\(line.debit?.groupedString ?? "")</td>"
            html += "<td class=\"money\(line.credit?.isNegative == true ? " negative" : "")\">\(line.credit?.groupedString ?? "")</td></tr>\n"
        }
        for _ in voucher.lines.count..<max(voucher.lines.count, 5) {
            html += "<tr><td>&nbsp;</td><td></td><td></td><td></td><td></td></tr>\n"
        }
        html += "<tr class=\"total\"><td class=\"words\" colspan=\"3\">合计：\(escape(AmountText.uppercase(voucher.debitTotal)))</td>"
        html += "<td class=\"money\">\(voucher.debitTotal.groupedString)</td><td class=\"money\">\(voucher.creditTotal.groupedString)</td></tr>\n"
        html += "</tbody>\n</table>\n<div class=\"signoff\">"
        html += voucher.signatures.map { "<span>\(escape($0.label))：\(escape($0.value))</span>" }.joined()
        return html + "</div>\n</div>\n"
    }

    static func cellText(_ cell: Cell) -> String {
        switch cell {
        case .empty: ""
        case .text(let value): value
        case .money(let value), .moneySum(let value, _): value.groupedString
        case .date(let value): value.iso
        case .count(let value): String(value)
        case .percent(let value): value.text
        case .decimal(let hundredths), .decimalSum(let hundredths, _): Cell.decimalText(hundredths)
        case .direction(let value): value.rawValue
        }
    }

    /// Text made safe for HTML content and quoted attribute values (& < > " ').
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// The spending chart as inline SVG: a line per fund, dashed reference lines for the approved
/// amounts, month labels along the bottom and yuan ticks at round steps.
enum SVGChart {
    static let palette = ["#b03a2e", "#1f618d", "#7d6608", "#117a65"]

    static func render(_ chart: SpendingChart) -> String {
        let width = 960.0, height = 420.0
        let left = 92.0, right = 200.0, top = 40.0, bottom = 56.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let axis = ChartAxis(peak: chart.peak)
        let count = max(chart.months.count - 1, 1)
        func x(_ index: Int) -> Double { left + plotWidth * Double(index) / Double(count) }
        func y(_ money: Money) -> Double { top + plotHeight * (1 - axis.fraction(money)) }
        func f(_ value: Double) -> String { String(Int((value * 10).rounded())) .withDecimal }
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(chart.title))\">\n"
        svg += "<text x=\"\(f(left))\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(HTMLRenderer.escape(chart.title))</text>\n"
        for tick in axis.ticks {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(tick)))\" stroke=\"#e3e3e3\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" font-size=\"11\" text-anchor=\"end\">\(ChartAxis.label(tick))</text>\n"
        }
        svg += "<text x=\"14\" y=\"\(f(top + plotHeight / 2))\" font-size=\"11\" transform=\"rotate(-90 14 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\">元</text>\n"
        let step = max(1, (chart.months.count + 11) / 12)
        for (index, month) in chart.months.enumerated() where index % step == 0 || index == chart.months.count - 1 {
            svg += "<line x1=\"\(f(x(index)))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(x(index)))\" y2=\"\(f(top + plotHeight + 4))\" stroke=\"#333\"/>\n"
            svg += "<text x=\"\(f(x(index)))\" y=\"\(f(top + plotHeight + 18))\" font-size=\"11\" text-anchor=\"middle\">\(month.iso)</text>\n"
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 10))\" font-size=\"11\" text-anchor=\"middle\">月份</text>\n"
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#333\"/>\n"
        if let asOf = chart.asOf, let index = chart.months.firstIndex(of: asOf) {
            svg += "<line x1=\"\(f(x(index)))\" y1=\"\(f(top))\" x2=\"\(f(x(index)))\" y2=\"\(f(top + plotHeight))\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>\n"
            svg += "<text x=\"\(f(x(index) + 4))\" y=\"\(f(top + 12))\" font-size=\"11\" fill=\"#555\">截至 \(asOf.iso)</text>\n"
        }
        for reference in chart.references {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(reference.amount)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y(reference.amount)))\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n"
            // The label sits just above its line, inside the plot at the left: the legend keeps
            // the right margin to itself.
            svg += "<text x=\"\(f(left + 6))\" y=\"\(f(y(reference.amount) - 4))\" font-size=\"11\" fill=\"#555\">\(HTMLRenderer.escape(reference.label))</text>\n"
        }
        for (number, series) in chart.series.enumerated() where !series.points.isEmpty {
            let colour = palette[number % palette.count]
            let points = series.points.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.2\" points=\"\(points)\"/>\n"
            let legendY = top + 20 + Double(number) * 20
            svg += "<line x1=\"\(f(left + plotWidth + 8))\" y1=\"\(f(legendY + plotHeight * 0.35))\" x2=\"\(f(left + plotWidth + 30))\" y2=\"\(f(legendY + plotHeight * 0.35))\" stroke=\"\(colour)\" stroke-width=\"2.2\"/>\n"
            svg += "<text x=\"\(f(left + plotWidth + 36))\" y=\"\(f(legendY + plotHeight * 0.35 + 4))\" font-size=\"12\">\(HTMLRenderer.escape(series.name)) \(series.points.last!.groupedString)</text>\n"
        }
        return svg + "</svg>"
    }
}

extension String {
    /// "1234" (tenths) → "123.4": SVG coordinates with one decimal, the same on every machine.
    fileprivate var withDecimal: String {
        let negative = hasPrefix("-")
        var digits = negative ? String(dropFirst()) : self
        while digits.count < 2 { digits = "0" + digits }
        let text = digits.dropLast() + "." + digits.suffix(1)
        return (negative ? "-" : "") + text
    }
}
