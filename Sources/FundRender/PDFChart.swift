import FundCore
import FundPDF
import FundReports

/// Cumulative spending per month and series as lines, the approved amounts as labelled dashed
/// lines, the as-of month as a dotted marker; yuan ticks at round steps, months thinned to fit.
/// Plot positions are geometry, so amounts become doubles here; every label comes from Money.
struct PDFChartPainter {
    /// Restrained colours: dark blue, burnt orange, green, purple, olive.
    static let palette: [(Double, Double, Double)] = [
        (0.12, 0.31, 0.47), (0.77, 0.35, 0.07), (0.33, 0.51, 0.21), (0.44, 0.19, 0.63), (0.50, 0.38, 0.0),
    ]

    let chart: SpendingChart
    let canvas: PDFCanvas

    /// A box on the page (top-left origin, like the canvas).
    struct Box: Equatable {
        var x, y, width, height: Double
        var bottom: Double { y + height }

        func overlaps(_ other: Box) -> Bool {
            x < other.x + other.width && other.x < x + width && y < other.bottom && other.y < bottom
        }
    }

    /// Where the chart's labels go: decided before drawing, so that tests can check that no two
    /// overlap.
    struct Layout {
        var plot: (left: Double, top: Double, right: Double, bottom: Double)
        /// One label per reference amount (references at the same amount share it), each above
        /// its line at the right of the plot, moved up clear of the label below it.
        var referenceLabels: [(text: String, box: Box)]
        /// Legend entries (series, then references) in rows that fit the width.
        var legend: [(index: Int, text: String, box: Box)]
        var asOfLabel: (text: String, box: Box)?
    }

    static let swatch = 18.0

    /// The legend's rows: entries flowed left to right, a new row when the next does not fit;
    /// an entry wider than the row is cut to it.
    func legendRows(width: Double) -> [[(index: Int, text: String, width: Double)]] {
        let entries = chart.series.map(\.name) + chart.references.map(\.label)
        var rows: [[(index: Int, text: String, width: Double)]] = [[]]
        var used = 0.0
        for (index, entry) in entries.enumerated() {
            let entryWidth = min(canvas.measure(entry, font: .small).width + Self.swatch + 18, width)
            if !rows[rows.count - 1].isEmpty && used + entryWidth > width {
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append((index, entry, entryWidth))
            used += entryWidth
        }
        return rows.filter { !$0.isEmpty }
    }

    func layout(x: Double, y: Double, width: Double, height: Double) -> Layout {
        let titleHeight = canvas.lineHeight(.caption) + 6
        let axis = ChartAxis(peak: chart.peak)
        let labelWidth = axis.ticks.map(ChartAxis.label).map { canvas.measure($0, font: .small).width }.max() ?? 0
        let rows = legendRows(width: width)
        let rowHeight = canvas.lineHeight(.small) + 4
        let legendHeight = Double(rows.count) * rowHeight + 4
        let plot = (
            left: x + labelWidth + 8, top: y + titleHeight + canvas.lineHeight(.small) + 4,
            right: x + width - 10, bottom: y + height - legendHeight - canvas.lineHeight(.small) - 10)
        var legend: [(index: Int, text: String, box: Box)] = []
        for (rowIndex, row) in rows.enumerated() {
            var entryX = x + max(0, (width - row.reduce(0) { $0 + $1.width }) / 2)
            let entryY = y + height - legendHeight + 4 + Double(rowIndex) * rowHeight
            for entry in row {
                legend.append((entry.index, entry.text, Box(x: entryX, y: entryY, width: entry.width - 4, height: canvas.lineHeight(.small))))
                entryX += entry.width
            }
        }
        func yPosition(_ money: Money) -> Double { plot.bottom - axis.fraction(money) * (plot.bottom - plot.top) }
        // References at one amount share a label; labels placed from the lowest line up.
        var byAmount: [(amount: Money, labels: [String])] = []
        for reference in chart.references {
            if let index = byAmount.firstIndex(where: { $0.amount == reference.amount }) {
                byAmount[index].labels.append(reference.label)
            } else {
                byAmount.append((reference.amount, [reference.label]))
            }
        }
        var referenceLabels: [(text: String, box: Box)] = []
        let lineHeight = canvas.lineHeight(.small)
        for group in byAmount.sorted(by: { $0.amount < $1.amount }) {
            let text = group.labels.joined(separator: "；")
            let textWidth = min(canvas.measure(text, font: .small).width, plot.right - plot.left - 8)
            var box = Box(x: plot.right - 4 - textWidth, y: yPosition(group.amount) - lineHeight - 1, width: textWidth, height: lineHeight)
            for placed in referenceLabels where placed.box.overlaps(box) { box.y = placed.box.y - lineHeight - 1 }
            box.y = max(box.y, plot.top)
            referenceLabels.append((text, box))
        }
        var asOfLabel: (text: String, box: Box)?
        if let asOf = chart.asOf, let index = chart.months.firstIndex(of: asOf) {
            let plotWidth = plot.right - plot.left
            let markerX = chart.months.count <= 1 ? plot.left + plotWidth / 2
                : plot.left + 8 + Double(index) / Double(chart.months.count - 1) * (plotWidth - 16)
            let text = "截至 " + asOf.iso
            let textWidth = canvas.measure(text, font: .small).width
            // Right of the marker, or left of it when it would run past the plot.
            let labelX = markerX + 3 + textWidth > plot.right ? markerX - 3 - textWidth : markerX + 3
            var box = Box(x: labelX, y: plot.top, width: textWidth, height: lineHeight)
            // Below any reference label it would cover.
            for placed in referenceLabels where placed.box.overlaps(box) { box.y = placed.box.bottom + 1 }
            asOfLabel = (text, box)
        }
        return Layout(plot: plot, referenceLabels: referenceLabels, legend: legend, asOfLabel: asOfLabel)
    }

    func draw(x: Double, y: Double, width: Double, height: Double) {
        canvas.draw(chart.title, font: .caption, x: x, y: y, width: width, alignment: .centre)
        let axis = ChartAxis(peak: chart.peak)
        let tickLabels = axis.ticks.map(ChartAxis.label)
        let labelWidth = tickLabels.map { canvas.measure($0, font: .small).width }.max() ?? 0
        let layout = layout(x: x, y: y, width: width, height: height)
        let plot = layout.plot
        let plotWidth = plot.right - plot.left
        let plotHeight = plot.bottom - plot.top
        func yPosition(_ money: Money) -> Double { plot.bottom - axis.fraction(money) * plotHeight }
        func xPosition(_ month: Int) -> Double {
            chart.months.count <= 1 ? plot.left + plotWidth / 2
                : plot.left + 8 + Double(month) / Double(chart.months.count - 1) * (plotWidth - 16)
        }
        // Horizontal grid and yuan ticks.
        canvas.draw("金额（元）", font: .small, x: plot.left + 4, y: plot.top - canvas.lineHeight(.small) - 1, grey: 0.3)
        for (index, label) in tickLabels.enumerated() {
            let tickY = yPosition(axis.ticks[index])
            canvas.line(plot.left, tickY, plot.right, tickY)
            canvas.stroke(width: index == 0 ? 0.8 : 0.3, grey: index == 0 ? 0.2 : 0.82)
            let lineHeight = canvas.lineHeight(.small)
            canvas.draw(label, font: .small, x: x, y: tickY - lineHeight / 2, width: labelWidth + 4, alignment: .right, grey: 0.3)
        }
        canvas.line(plot.left, plot.top, plot.left, plot.bottom)
        canvas.stroke(width: 0.8, grey: 0.2)
        drawMonths(plot: (plot.left, plot.right, plot.bottom), xPosition: xPosition)
        drawReferences(plot: (plot.left, plot.right), yPosition: yPosition)
        drawAsOf(top: plot.top, bottom: plot.bottom, xPosition: xPosition, label: layout.asOfLabel)
        drawSeries(xPosition: xPosition, yPosition: yPosition)
        // Last, on a white ground: a label stays legible over a line that crosses it.
        for label in layout.referenceLabels {
            canvas.fill(label.box.x - 2, label.box.y, label.box.width + 4, label.box.height, grey: 1)
            canvas.draw(label.text, font: .small, x: label.box.x, y: label.box.y, width: label.box.width + 1, alignment: .right, grey: 0.25)
        }
        drawLegend(layout.legend)
    }

    private func drawMonths(plot: (left: Double, right: Double, bottom: Double), xPosition: (Int) -> Double) {
        guard !chart.months.isEmpty else { return }
        let labelWidth = canvas.measure("2025-12", font: .small).width + 8
        let spacing = chart.months.count > 1 ? (xPosition(1) - xPosition(0)) : labelWidth
        let every = max(1, Int((labelWidth / max(spacing, 0.1)).rounded(.up)))
        for (index, month) in chart.months.enumerated() {
            let monthX = xPosition(index)
            canvas.line(monthX, plot.bottom, monthX, plot.bottom + 3)
            guard index % every == 0 else { continue }
            canvas.draw(month.iso, font: .small, x: monthX - labelWidth / 2, y: plot.bottom + 4, width: labelWidth,
                        alignment: .centre, grey: 0.3)
        }
        canvas.stroke(width: 0.6, grey: 0.2)
        canvas.draw("月份", font: .small, x: plot.right - 40, y: plot.bottom + 4 + canvas.lineHeight(.small), width: 40,
                    alignment: .right, grey: 0.3)
    }

    private func drawReferences(plot: (left: Double, right: Double), yPosition: (Money) -> Double) {
        for reference in chart.references {
            let lineY = yPosition(reference.amount)
            canvas.line(plot.left, lineY, plot.right, lineY)
            canvas.stroke(width: 0.9, grey: 0.35, dash: [5, 3])
        }
    }

    private func drawAsOf(top: Double, bottom: Double, xPosition: (Int) -> Double, label: (text: String, box: Box)?) {
        guard let asOf = chart.asOf, let index = chart.months.firstIndex(of: asOf) else { return }
        let markerX = xPosition(index)
        canvas.line(markerX, top, markerX, bottom)
        canvas.stroke(width: 0.7, grey: 0.45, dash: [1.5, 2])
        if let label { canvas.draw(label.text, font: .small, x: label.box.x, y: label.box.y, grey: 0.35) }
    }

    private func drawSeries(xPosition: (Int) -> Double, yPosition: (Money) -> Double) {
        for (index, series) in chart.series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            for (month, point) in series.points.enumerated() {
                let pointX = xPosition(month)
                let pointY = yPosition(point)
                if month == 0 { canvas.moveTo(pointX, pointY) } else { canvas.lineTo(pointX, pointY) }
            }
            canvas.setColour(colour.0, colour.1, colour.2)
            canvas.strokeKeepingColour(width: 1.6, roundJoins: true)
            guard series.points.count <= 48 else { continue }
            for (month, point) in series.points.enumerated() {
                canvas.circle(xPosition(month), yPosition(point), radius: 1.9)
            }
            canvas.fillPath()
        }
    }

    private func drawLegend(_ entries: [(index: Int, text: String, box: Box)]) {
        for entry in entries {
            let middle = entry.box.y + entry.box.height / 2
            canvas.line(entry.box.x, middle, entry.box.x + Self.swatch, middle)
            if entry.index < chart.series.count {
                let colour = Self.palette[entry.index % Self.palette.count]
                canvas.setColour(colour.0, colour.1, colour.2)
                canvas.strokeKeepingColour(width: 1.6)
            } else {
                canvas.stroke(width: 0.9, grey: 0.35, dash: [5, 3])
            }
            canvas.draw(entry.text, font: .small, x: entry.box.x + Self.swatch + 4, y: entry.box.y,
                        width: max(entry.box.width - Self.swatch - 4, 1), grey: 0.15)
        }
    }
}
