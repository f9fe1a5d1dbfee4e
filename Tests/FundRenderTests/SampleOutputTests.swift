import Foundation
import FundReports
import Testing

@testable import FundRender

/// With RENDER_SAMPLES_DIR set, writes every sample document as PDF and XLSX there, for
/// looking at the pages (`pdftoppm -png -r 60`) after a layout change. Does nothing otherwise.
@Suite("Sample outputs for review")
struct SampleOutputTests {
    @Test("write samples when RENDER_SAMPLES_DIR is set")
    func writeSamples() throws {
        guard let directory = ProcessInfo.processInfo.environment["RENDER_SAMPLES_DIR"] else { return }
        let documents: [(String, ReportDocument)] = [
            ("trial-balance", SampleDocuments.trialBalance()), ("ledger", SampleDocuments.ledger()),
            ("vouchers", SampleDocuments.vouchers()), ("chart", SampleDocuments.spendingChart()),
        ]
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, document) in documents {
            try PDFRenderer.render(document).write(to: URL(fileURLWithPath: "\(directory)/\(name).pdf"))
            try XLSXRenderer.render(document).write(to: URL(fileURLWithPath: "\(directory)/\(name).xlsx"))
        }
    }
}
