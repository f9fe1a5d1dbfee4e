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

    func draw(x: Double, y: Double, width: Double, height: Double) {
        let titleHeight = canvas.lineHeight(.caption) + 6
        canvas.draw(chart.title, font: .caption, x: x, y: y, width: width, alignment: .centre)
        let axis = ChartAxis(peak: chart.peak)
        let tickLabels = axis.ticks.map(ChartAxis.label)
        let labelWidth = tickLabels.map { canvas.measure($0, font: .small).width }.max() ?? 0
        let legendHeight = canvas.lineHeight(.small) + 8
        let plot = (
            left: x + labelWidth + 8, top: y + titleHeight + canvas.lineHeight(.small) + 4,
            right: x + width - 10, bottom: y + height - legendHeight - canvas.lineHeight(.small) - 10)
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
        drawAsOf(top: plot.top, bottom: plot.bottom, xPosition: xPosition)
        drawSeries(xPosition: xPosition, yPosition: yPosition)
        drawLegend(x: x, y: y + height - legendHeight + 4, width: width)
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
            let lineHeight = canvas.lineHeight(.small)
            canvas.draw(reference.label, font: .small, x: plot.left + 4, y: lineY - lineHeight - 1,
                        width: plot.right - plot.left - 8, alignment: .right, grey: 0.25)
        }
    }

    private func drawAsOf(top: Double, bottom: Double, xPosition: (Int) -> Double) {
        guard let asOf = chart.asOf, let index = chart.months.firstIndex(of: asOf) else { return }
        let markerX = xPosition(index)
        canvas.line(markerX, top, markerX, bottom)
        canvas.stroke(width: 0.7, grey: 0.45, dash: [1.5, 2])
        canvas.draw("截至 " + asOf.iso, font: .small, x: markerX + 3, y: top, grey: 0.35)
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

    private func drawLegend(x: Double, y: Double, width: Double) {
        let entries = chart.series.map(\.name) + chart.references.map(\.label)
        let swatch = 18.0
        let widths = entries.map { canvas.measure($0, font: .small).width + swatch + 18 }
        var entryX = x + max(0, (width - widths.reduce(0, +)) / 2)
        let middle = y + canvas.lineHeight(.small) / 2
        for (index, entry) in entries.enumerated() {
            canvas.line(entryX, middle, entryX + swatch, middle)
            if index < chart.series.count {
                let colour = Self.palette[index % Self.palette.count]
                canvas.setColour(colour.0, colour.1, colour.2)
                canvas.strokeKeepingColour(width: 1.6)
            } else {
                canvas.stroke(width: 0.9, grey: 0.35, dash: [5, 3])
            }
            canvas.draw(entry, font: .small, x: entryX + swatch + 4, y: y, grey: 0.15)
            entryX += widths[index]
        }
    }
}
