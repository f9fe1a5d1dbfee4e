import CDeflate
import Foundation

/// PDF syntax written into a byte buffer: operators, numbers (at most three decimals, no
/// exponent, no locale), names, hex strings.
struct PDFBytes {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func int(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsignedInt(UInt64(-value))
        } else {
            unsignedInt(UInt64(value))
        }
    }

    private mutating func unsignedInt(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// A coordinate or size, rounded to 1/1000 and written without trailing zeros (NaN and
    /// infinities as 0, finite values beyond ±10^12 clamped: PDF readers take no larger reals).
    mutating func number(_ value: Double) {
        guard value.isFinite else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        let scaled = (min(max(value, -1e12), 1e12) * 1000).rounded()
        var thousandths = Int64(scaled)
        if thousandths < 0 {
            bytes.append(UInt8(ascii: "-"))
            thousandths = -thousandths
        }
        unsignedInt(UInt64(thousandths / 1000))
        var fraction = thousandths % 1000
        guard fraction != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor: Int64 = 100
        while fraction != 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    mutating func space() { bytes.append(0x20) }

    mutating func hex4(_ value: UInt32) {
        for shift in [12, 8, 4, 0] as [UInt32] {
            let digit = UInt8(truncatingIfNeeded: value >> shift & 0xF)
            bytes.append(digit < 10 ? 0x30 + digit : 0x37 + digit)
        }
    }

    /// A text string as UTF-16BE hex with its byte-order mark (titles in the Info dictionary).
    mutating func textString(_ text: String) {
        raw("<FEFF")
        for unit in text.utf16 { hex4(UInt32(unit)) }
        raw(">")
    }
}

/// zlib deflate with one stream reused for every PDF stream of a document (a fresh
/// `deflateInit` per page would allocate and clear its tables every time).
final class PDFDeflater {
    private var stream = z_stream()
    private var ready = false

    /// zlib's level: page content is deflated at 1 (fastest; content streams are repetitive
    /// operators, so the faster levels lose little), the font program at the default.
    init(level: Int32 = 1) throws {
        let status = deflateInit_(&stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw PDFError("zlib 初始化失败（\(status)）") }
        ready = true
    }

    deinit { if ready { deflateEnd(&stream) } }

    func deflate(_ input: [UInt8]) throws -> [UInt8] {
        guard deflateReset(&stream) == Z_OK else { throw PDFError("zlib 复位失败") }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 16)
        let status: Int32 = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return CDeflate.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw PDFError("zlib 压缩失败（\(status)）") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}

/// One finished page: its size and its deflated content stream.
struct PDFPageContent {
    let width: Double
    let height: Double
    let content: [UInt8]
}

/// A laid-out, drawn document waiting for its fonts: pages with content streams that name the
/// fonts `/F1` (regular) and `/F2` (bold) and show glyphs by CID, and the glyphs it used.
/// The renderer embeds one subset per font for one or several drafts (`PDFEmbeddedFont`,
/// then `file(fonts:)`).
public struct PDFDraft: @unchecked Sendable {
    let title: String
    let date: String?
    let pages: [PDFPageContent]
    /// Per font slot (0 regular, 1 bold): the face and each glyph used with its text.
    package let faces: [PDFFontFace]
    package let glyphs: [[UInt32: [Unicode.Scalar]]]
}

/// Assembles the file: catalog, pages, Info, fonts, cross-reference table.
struct PDFAssembler {
    private var output = PDFBytes(capacity: 1 << 16)
    private var offsets: [Int] = [0]

    init() {
        // Header, then a comment of high bytes so that tools treat the file as binary.
        output.raw("%PDF-1.5\n%")
        output.bytes.append(contentsOf: [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    /// Reserves an object number.
    mutating func reserve() -> Int {
        offsets.append(-1)
        return offsets.count - 1
    }

    mutating func object(_ number: Int, _ body: (inout PDFBytes) -> Void) {
        offsets[number] = output.bytes.count
        output.int(number)
        output.raw(" 0 obj\n")
        body(&output)
        output.raw("\nendobj\n")
    }

    mutating func stream(_ number: Int, dictionary: String, data: [UInt8]) {
        object(number) { out in
            out.raw("<< \(dictionary) /Length \(data.count) >>\nstream\n")
            out.bytes.append(contentsOf: data)
            out.raw("\nendstream")
        }
    }

    mutating func finish(root: Int, info: Int) -> Data {
        let xref = output.bytes.count
        output.raw("xref\n0 \(offsets.count)\n0000000000 65535 f \n")
        for offset in offsets.dropFirst() {
            let text = String(offset)
            output.raw(String(repeating: "0", count: max(0, 10 - text.count)) + text + " 00000 n \n")
        }
        output.raw("trailer\n<< /Size \(offsets.count) /Root \(root) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
        return Data(output.bytes)
    }
}

extension PDFDraft {
    /// The PDF file, with `fonts` (subsets covering at least this draft's glyphs) embedded.
    package func file(fonts: [PDFEmbeddedFont?]) throws -> Data {
        var pdf = PDFAssembler()
        let catalog = pdf.reserve()
        let pageTree = pdf.reserve()
        let info = pdf.reserve()
        let resources = pdf.reserve()
        var pageNumbers: [Int] = []
        let deflater = try PDFDeflater()
        for page in pages {
            let number = pdf.reserve()
            let content = pdf.reserve()
            pageNumbers.append(number)
            pdf.object(number) { out in
                out.raw("<< /Type /Page /Parent \(pageTree) 0 R /MediaBox [0 0 ")
                out.number(page.width)
                out.space()
                out.number(page.height)
                out.raw("] /Resources \(resources) 0 R /Contents \(content) 0 R >>")
            }
            pdf.stream(content, dictionary: "/Filter /FlateDecode", data: page.content)
        }
        var fontObjects: [(slot: Int, number: Int)] = []
        for (slot, font) in fonts.enumerated() {
            guard let font, !glyphs[slot].isEmpty else { continue }
            fontObjects.append((slot, try font.write(into: &pdf, glyphs: glyphs[slot], deflater: deflater)))
        }
        pdf.object(resources) { out in
            out.raw("<< /Font << ")
            for (slot, number) in fontObjects { out.raw("/F\(slot + 1) \(number) 0 R ") }
            out.raw(">> >>")
        }
        pdf.object(pageTree) { out in
            out.raw("<< /Type /Pages /Count \(pageNumbers.count) /Kids [")
            for number in pageNumbers { out.raw("\(number) 0 R ") }
            out.raw("] >>")
        }
        pdf.object(catalog) { out in out.raw("<< /Type /Catalog /Pages \(pageTree) 0 R >>") }
        pdf.object(info) { out in
            out.raw("<< /Title ")
            out.textString(title)
            out.raw(" /Creator (WorkshopLedger) /Producer (WorkshopLedger)")
            if let date { out.raw(" /CreationDate (D:\(date)000000Z)") }
            out.raw(" >>")
        }
        return pdf.finish(root: catalog, info: info)
    }
}
