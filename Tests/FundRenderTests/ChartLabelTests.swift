import FundCore
@testable import FundRender
import FundReports
import FundTestSupport
import Foundation
import Testing

/// The SVG spending chart keeps its reference labels inside the plot and its legend in the right
/// margin, so a reference line near a series' last value no longer writes over the legend.
@Suite("chart labels")
struct ChartLabelTests {
    @Test func referenceLabelsStayOutOfTheLegend() throws {
        let months = (1...12).map { try! Period.parse("2026-\($0 < 10 ? "0" : "")\($0)") }
        let series = SpendingChart.Series(name: "补助资金", points: (1...12).map { Money(fen: Int64($0) * 750_000) })
        let chart = SpendingChart(
            title: "累计支出", months: months, series: [series],
            references: [SpendingChart.Reference(label: "核定补助合计 90,000.00", amount: Money(fen: 9_000_000))], asOf: months.last)
        let document = ReportDocument(
            view: .overview, title: "图", titleBlock: [], sections: [DocumentSection(heading: nil, blocks: [.chart(chart)])],
            orientation: .landscape, fileStem: "chart")
        let svg = HTMLRenderer.render(document)
        func x(of label: String) throws -> Double {
            let line = try #require(svg.split(separator: "\n").first { $0.contains(">\(label)") })
            let value = try #require(line.split(separator: "\"").dropFirst().first)
            return try #require(Double(value))
        }
        let plotRight = 960.0 - 200
        #expect(try x(of: "核定补助合计") < plotRight, "the reference label is inside the plot")
        #expect(try x(of: "补助资金") > plotRight, "the legend is in the right margin")
    }
}
