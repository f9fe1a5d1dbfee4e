// FundExchange: data interchange. Reads the voucher files accountants export from 用友/金蝶
// (UTF-8 or GB18030 CSV) into voucher drafts, and writes exports for auditors' tools. It
// never touches the database: FundApp hands its results to FundStore.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text encodings Chinese accounting files come in.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030 = "gb18030"

    /// Decodes file bytes: a UTF-8 BOM or valid UTF-8 means UTF-8; anything else is tried as
    /// GB18030 (a superset of GBK and GB2312, which Chinese Excel writes by default).
    public static func decode(_ data: Data) -> (text: String, encoding: TextEncoding)? {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        if let text = convert(bytes, from: "GB18030", to: "UTF-8").flatMap({ String(validating: $0, as: UTF8.self) }) {
            return (text, .gb18030)
        }
        return nil
    }

    /// Encodes text for a file: UTF-8 (optionally with BOM, which Excel needs to open a CSV
    /// right) or GB18030. GB18030 covers all of Unicode, so encoding cannot fail.
    public static func encode(_ text: String, as encoding: TextEncoding, bom: Bool = false) -> Data {
        switch encoding {
        case .utf8:
            return Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
        case .gb18030:
            guard let bytes = convert(Array(text.utf8), from: "UTF-8", to: "GB18030") else {
                preconditionFailure("GB18030 encodes every Unicode scalar; iconv failed")
            }
            return Data(bytes)
        }
    }

    /// iconv(3) over a whole buffer; nil when the input is not valid in `from`.
    static func convert(_ input: [UInt8], from: String, to: String) -> [UInt8]? {
        let handle = iconv_open(to, from)
        guard handle != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(handle) }
        if input.isEmpty { return [] }
        // Four output bytes per input byte covers every pair of encodings iconv is asked for here;
        // the buffer is not cleared first (iconv writes what it produces, the rest is cut off).
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: input.count * 4 + 16) { outputBuffer, count in
            input.withUnsafeBufferPointer { sourceBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: sourceBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = sourceBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outputBuffer.count
                let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                failed = result == -1 || inLeft != 0
                count = failed ? 0 : outputBuffer.count - outLeft
            }
        }
        return failed ? nil : output
    }
}

/// Bytes of a CSV file: UTF-8 with a BOM (Excel then opens Chinese text right) or GB18030.
public enum CSVEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case gb18030

    public func encode(_ text: String) -> Data {
        switch self {
        case .utf8: TextEncoding.encode(text, as: .utf8, bom: true)
        case .gb18030: TextEncoding.encode(text, as: .gb18030)
        }
    }
}
