import FundApp
import FundCore
import FundPDF
import FundReports
import Foundation
import Testing

@testable import FundRender

/// The PDF charts' labels never collide (issue 16, item 4): the demo studios' spending charts
/// and a hard case, laid out on a landscape and a portrait page, with every reference label,
/// legend entry and the as-of label checked against each other.
@Suite("PDF chart labels", .serialized)
struct ChartLayoutTests {
    /// Two references at one amount, one just above another, one at the last value, and
    /// series names long enough to need a second legend row on a portrait page.
    static func hardCase() -> SpendingChart {
        let months = (1...12).map { try! Period.parse("2026-\($0 < 10 ? "0" : "")\($0)") }
        let names = ["补助资金（市级技能大师工作室建设补助）", "企业支持资金（四川资阳众诚机械制造有限公司配套）", "自筹资金（工作室领办人及成员自筹）", "其他资金"]
        let series = names.enumerated().map { index, name in
            SpendingChart.Series(name: name, points: (1...12).map { Money(fen: Int64($0 * (index + 1)) * 250_000) })
        }
        return SpendingChart(
            title: "累计支出", months: months, series: series,
            references: [
                SpendingChart.Reference(label: "核定补助 30,000.00", amount: Money(fen: 3_000_000)),
                SpendingChart.Reference(label: "补助资金预算 30,000.00", amount: Money(fen: 3_000_000)),
                SpendingChart.Reference(label: "企业支持资金预算 31,000.00", amount: Money(fen: 3_100_000)),
                SpendingChart.Reference(label: "自筹资金预算 5,000.00", amount: Money(fen: 500_000)),
            ],
            asOf: months[11])
    }

    static func demoCharts() throws -> [SpendingChart] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-charts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try Demo.build(in: directory)
        var charts: [SpendingChart] = []
        for studio in demo.studios {
            let report = try demo.app.statements.report(ReportRequest(kind: .spendingChart, studio: studio))
            for block in report.document.sections.flatMap(\.blocks) {
                if case .chart(let chart) = block { charts.append(chart) }
            }
        }
        return charts
    }

    @Test("no two labels overlap, the legend stays inside the page, references at one amount share a label")
    func labelsNeverCollide() throws {
        let demo = try Self.demoCharts()
        #expect(demo.count >= 4)
        let canvas = try PDFCanvas(title: "图", date: nil)
        for (number, chart) in (demo + [Self.hardCase()]).enumerated() {
            for landscape in [true, false] {
                let geometry = PDFGeometry(landscape: landscape)
                let width = geometry.contentWidth
                let height = min(width * 0.6, (geometry.bottom - geometry.top) * 0.7)
                let layout = PDFChartPainter(chart: chart, canvas: canvas).layout(x: geometry.left, y: 100, width: width, height: height)
                var boxes = layout.referenceLabels.map { ($0.text, $0.box) } + layout.legend.map { ($0.text, $0.box) }
                if let asOf = layout.asOfLabel { boxes.append((asOf.text, asOf.box)) }
                for (index, first) in boxes.enumerated() {
                    for second in boxes[(index + 1)...] {
                        #expect(!first.1.overlaps(second.1), "chart \(number) \(landscape ? "landscape" : "portrait"): \(first.0) overlaps \(second.0)")
                    }
                }
                for entry in layout.legend {
                    #expect(entry.box.x >= geometry.left - 0.01 && entry.box.x + entry.box.width <= geometry.left + width + 0.01, "\(entry.text) inside the page")
                }
                #expect(layout.referenceLabels.count == Set(chart.references.map(\.amount)).count)
            }
        }
        let hard = PDFChartPainter(chart: Self.hardCase(), canvas: canvas)
            .layout(x: 40, y: 100, width: PDFGeometry(landscape: false).contentWidth, height: 300)
        #expect(hard.referenceLabels.contains { $0.text == "核定补助 30,000.00；补助资金预算 30,000.00" })
        #expect(Set(hard.legend.map(\.box.y)).count >= 2, "the legend wraps on a portrait page")
    }

    /// A long 评价单位 wraps in its signature slot instead of being cut.
    @Test("signature slots widen for a long name and wrap")
    func longNamesWrap() throws {
        let canvas = try PDFCanvas(title: "签名", date: nil)
        let signatures = [
            LabeledValue("评价单位（盖章）", "四川省资阳市雁江区现代农业机械装备职业技能培训学校有限责任公司"),
            LabeledValue("单位负责人", ""), LabeledValue("日期", "2026年9月21日"),
        ]
        let width = PDFGeometry(landscape: false).contentWidth
        let slots = signatureSlots(signatures, width: width, canvas: canvas)
        #expect(slots[0].width > width / 3, "the long name takes more of the line")
        #expect(abs(slots.reduce(0) { $0 + $1.width } - width) < 0.01)
        let measured = canvas.measure(slots[0].text, font: .label, width: slots[0].width - 4, maxLines: signatureLinesMax)
        #expect(measured.lines <= signatureLinesMax && !slots[0].text.isEmpty)
        #expect(signaturesHeight(signatures, width: width, canvas: canvas) >= canvas.lineHeight(.label))
    }
}
