import FundCore
import FundReports
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every format a report or view is written in: the terminal table and the five file formats.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, html, xlsx, pdf

    /// "txt" for the terminal table, else the format's name.
    public var fileExtension: String { self == .table ? "txt" : rawValue }
}

/// The one dispatch from a built report to bytes, for every format.
public enum ReportOutput {
    /// Bytes of a CSV file: UTF-8 with a BOM (Excel then opens Chinese text right) or GB18030.
    /// Nested while FundApp still declares its own top-level `CSVEncoding` (two top-level types of
    /// that name would be ambiguous to the CLI, which imports both); once that copy is gone,
    /// `public typealias CSVEncoding = ReportOutput.CSVEncoding` here restores the short name.
    public enum CSVEncoding: String, CaseIterable, Sendable {
        case utf8 = "utf-8"
        case gb18030

        public func encode(_ text: String) -> Data {
            switch self {
            case .utf8:
                return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
            case .gb18030:
                guard let bytes = Self.convert(Array(text.utf8), to: "GB18030") else {
                    preconditionFailure("GB18030 encodes every Unicode scalar; iconv failed")
                }
                return Data(bytes)
            }
        }

        /// iconv(3) from UTF-8 over a whole buffer; nil when the conversion fails.
        static func convert(_ input: [UInt8], to: String) -> [UInt8]? {
            let handle = iconv_open(to, "UTF-8")
            guard handle != iconv_t(bitPattern: -1) else { return nil }
            defer { iconv_close(handle) }
            if input.isEmpty { return [] }
            // GB18030 takes at most four bytes per character, and every UTF-8 character has at
            // least one byte: four output bytes per input byte always suffice.
            var failed = false
            let output = [UInt8](unsafeUninitializedCapacity: input.count * 4 + 16) { outputBuffer, count in
                input.withUnsafeBufferPointer { sourceBuffer in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: sourceBuffer.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = sourceBuffer.count
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outputBuffer.count
                    let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    failed = result == -1 || inLeft != 0
                    count = failed ? 0 : outputBuffer.count - outLeft
                }
            }
            return failed ? nil : output
        }
    }

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
