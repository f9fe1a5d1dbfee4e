import FundCore
import FundExchange
import FundReports
import Foundation


/// Every format a report or view is written in: the terminal table and the five file formats.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, html, xlsx, pdf

    /// "txt" for the terminal table, else the format's name.
    public var fileExtension: String { self == .table ? "txt" : rawValue }
}

/// The one dispatch from a built report to bytes, for every format.
public enum ReportOutput {
    /// json: the report's value, pretty-printed with sorted keys and a trailing newline (the same
    /// books give the same bytes); csv: `CSVRenderer` in `encoding`; html, xlsx, pdf: their
    /// renderers; table: `TextRenderer` as UTF-8.
    public static func render(_ report: AnyReport, format: OutputFormat, encoding: CSVEncoding = .utf8, generator: String) throws -> Data {
        switch format {
        case .json: return try json(report.value)
        case .csv: return encoding.encode(CSVRenderer.render(report.document))
        case .html: return Data(HTMLRenderer.render(report.document, generator: generator).utf8)
        case .xlsx: return try XLSXRenderer.render(report.document)
        case .pdf: return try PDFRenderer.render(report.document)
        case .table: return Data(TextRenderer.render(report.document).utf8)
        }
    }

    /// Pretty, key-sorted JSON with a trailing newline, slashes unescaped.
    public static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value) + Data("\n".utf8)
    }
}
