import CDeflate
import CPangoCairo
import Foundation

/// A CID-keyed OpenType/CFF face (Noto Sans CJK) as the PDF embeds it: its HarfBuzz face, names
/// and metrics, and the CID of each glyph (content streams show glyphs by CID, Identity-H).
package final class PDFFontFace: @unchecked Sendable {
    let face: OpaquePointer
    /// At the face's own scale: advances in font units.
    let font: OpaquePointer
    let postScriptName: String
    let unitsPerEm: Double
    /// FontBBox, ascent, descent, cap height in 1/1000 em.
    let bbox: [Int]
    let ascent: Int
    let descent: Int
    let capHeight: Int
    /// CID of each glyph, from the CFF charset; nil when every glyph's CID is its index.
    private let cids: [UInt16]?

    /// One per font: pango's font map is per thread and each makes its own HarfBuzz face of the
    /// same file, so faces are keyed by what identifies the font (PostScript name, glyph count,
    /// units per em), not by pointer: worker threads that come and go add nothing.
    nonisolated(unsafe) private static var cache: [String: PDFFontFace] = [:]
    private static let lock = NSLock()

    /// The face's PDF view, made once per font; nil when it is not CID-keyed CFF.
    static func shared(_ face: OpaquePointer) -> PDFFontFace? {
        let key = "\(postScriptName(face))|\(hb_face_get_glyph_count(face))|\(hb_face_get_upem(face))"
        return lock.withLock {
            if let known = cache[key] { return known }
            let made = PDFFontFace(face: face)
            if let made { cache[key] = made }
            return made
        }
    }

    static func postScriptName(_ face: OpaquePointer) -> String {
        var length: UInt32 = 64
        var name = [CChar](repeating: 0, count: 64)
        _ = hb_ot_name_get_utf8(face, hb_ot_name_id_t(HB_OT_NAME_ID_POSTSCRIPT_NAME), hb_language_from_string("en", -1), &length, &name)
        let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let decoded = String(decoding: bytes, as: UTF8.self).filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        return decoded.isEmpty ? "CIDFont" : decoded
    }

    /// Nil when the face is not CID-keyed CFF (then the PDF cannot show its glyphs by CID).
    private init?(face: OpaquePointer) {
        guard let charset = Self.withTable(face, "CFF ", { CFFCharset($0) }) ?? nil else { return nil }
        self.face = hb_face_reference(face)
        let font = hb_font_create(face)!
        self.font = font
        cids = charset.isIdentity ? nil : charset.cids
        let upem = Double(max(16, hb_face_get_upem(face)))
        unitsPerEm = upem
        func thousandths(_ units: Int32) -> Int { Int((Double(units) * 1000 / upem).rounded()) }
        let head = Self.table(face, "head")
        func int16(_ offset: Int) -> Int32 {
            guard head.count >= offset + 2 else { return 0 }
            return Int32(Int16(bitPattern: UInt16(head[offset]) << 8 | UInt16(head[offset + 1])))
        }
        bbox = [int16(36), int16(38), int16(40), int16(42)].map(thousandths)
        func metric(_ tag: hb_ot_metrics_tag_t, _ fallback: Int32) -> Int {
            var value: hb_position_t = 0
            return thousandths(hb_ot_metrics_get_position(font, tag, &value) != 0 ? value : fallback)
        }
        ascent = metric(HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, Int32(upem * 0.88))
        descent = metric(HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, Int32(-upem * 0.12))
        capHeight = metric(HB_OT_METRICS_TAG_CAP_HEIGHT, Int32(upem * 0.73))
        postScriptName = Self.postScriptName(face)
    }

    deinit {
        hb_font_destroy(font)
        hb_face_destroy(face)
    }

    func cid(_ glyph: UInt32) -> UInt32 {
        guard let cids else { return glyph }
        return Int(glyph) < cids.count ? UInt32(cids[Int(glyph)]) : glyph
    }

    /// Advance width in 1/1000 em.
    func width(_ glyph: UInt32) -> Int {
        Int((Double(hb_font_get_glyph_h_advance(font, glyph)) * 1000 / unitsPerEm).rounded())
    }

    static func table(_ face: OpaquePointer, _ tag: String) -> [UInt8] {
        withTable(face, tag) { Array($0) } ?? []
    }

    /// Reads a table in place (Noto's CFF table is 16 MB: not copied to find the charset).
    static func withTable<Result>(_ face: OpaquePointer, _ tag: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        let code = tag.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard let blob = hb_face_reference_table(face, code) else { return nil }
        defer { hb_blob_destroy(blob) }
        var length: UInt32 = 0
        guard let data = hb_blob_get_data(blob, &length), length > 0 else { return nil }
        return data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { body(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }

    /// The face cut down to `glyphs` (and .notdef): the bare CFF, which keeps each glyph's CID.
    func subset(_ glyphs: Set<UInt32>) throws -> [UInt8] {
        guard let input = hb_subset_input_create_or_fail() else { throw PDFError("HarfBuzz 无法创建子集输入") }
        defer { hb_subset_input_destroy(input) }
        let set = hb_subset_input_glyph_set(input)
        hb_set_add(set, 0)
        for glyph in glyphs { hb_set_add(set, glyph) }
        hb_subset_input_set_flags(input, UInt32(HB_SUBSET_FLAGS_NO_HINTING.rawValue))
        // Only the CFF table goes into the PDF: skip building the others.
        let drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG)
        hb_set_clear(drop)
        hb_set_invert(drop)
        hb_set_del(drop, "CFF ".utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard let subset = hb_subset_or_fail(face, input) else {
            throw PDFError("HarfBuzz 无法为 \(postScriptName) 生成子集")
        }
        defer { hb_face_destroy(subset) }
        let cff = Self.table(subset, "CFF ")
        guard !cff.isEmpty else { throw PDFError("\(postScriptName) 的子集没有 CFF 表") }
        return cff
    }
}

/// The charset of a CID-keyed CFF font: glyph index → CID. Nil for a name-keyed font or a
/// table that does not parse.
struct CFFCharset {
    let cids: [UInt16]

    var isIdentity: Bool { cids.indices.allSatisfy { Int(cids[$0]) == $0 } }

    init?(_ cff: UnsafeBufferPointer<UInt8>) {
        guard cff.count > 4 else { return nil }
        func u16(_ at: Int) -> Int? { at + 1 < cff.count ? Int(cff[at]) << 8 | Int(cff[at + 1]) : nil }
        func offset(_ at: Int, size: Int) -> Int? {
            guard at + size <= cff.count, size >= 1, size <= 4 else { return nil }
            return (0..<size).reduce(0) { $0 << 8 | Int(cff[at + $1]) }
        }
        /// An INDEX at `at`: its items' ranges and where it ends.
        func index(_ at: Int) -> (items: [Range<Int>], end: Int)? {
            guard let count = u16(at) else { return nil }
            if count == 0 { return ([], at + 2) }
            guard at + 2 < cff.count else { return nil }
            let size = Int(cff[at + 2])
            let base = at + 3 + (count + 1) * size - 1
            var items: [Range<Int>] = []
            var previous: Int?
            for item in 0...count {
                guard let value = offset(at + 3 + item * size, size: size) else { return nil }
                if let previous { items.append((base + previous)..<(base + value)) }
                previous = value
            }
            guard let last = items.last, last.upperBound <= cff.count else { return nil }
            return (items, last.upperBound)
        }
        guard let names = index(Int(cff[2])), let topDicts = index(names.end), let top = topDicts.items.first else { return nil }
        // Top DICT: operands then operators; remember charset (15), CharStrings (17), ROS (12 30).
        var operands: [Int] = []
        var charsetOffset: Int?
        var charStringsOffset: Int?
        var cidKeyed = false
        var position = top.lowerBound
        while position < top.upperBound {
            let b0 = Int(cff[position])
            switch b0 {
            case 28:
                guard let value = u16(position + 1) else { return nil }
                operands.append(Int(Int16(truncatingIfNeeded: value)))
                position += 3
            case 29:
                guard let value = offset(position + 1, size: 4) else { return nil }
                operands.append(Int(Int32(truncatingIfNeeded: value)))
                position += 5
            case 30:
                position += 1
                while position < top.upperBound, cff[position] & 0x0F != 0x0F, cff[position] >> 4 != 0x0F { position += 1 }
                position += 1
                operands.append(0)
            case 32...246:
                operands.append(b0 - 139)
                position += 1
            case 247...250:
                guard position + 1 < cff.count else { return nil }
                operands.append((b0 - 247) * 256 + Int(cff[position + 1]) + 108)
                position += 2
            case 251...254:
                guard position + 1 < cff.count else { return nil }
                operands.append(-(b0 - 251) * 256 - Int(cff[position + 1]) - 108)
                position += 2
            default:
                var op = b0
                if b0 == 12 {
                    guard position + 1 < cff.count else { return nil }
                    op = 1200 + Int(cff[position + 1])
                    position += 1
                }
                position += 1
                switch op {
                case 15: charsetOffset = operands.last
                case 17: charStringsOffset = operands.last
                case 1230: cidKeyed = true
                default: break
                }
                operands.removeAll(keepingCapacity: true)
            }
        }
        guard cidKeyed, let charsetOffset, let charStringsOffset, charsetOffset > 2, let glyphCount = u16(charStringsOffset), glyphCount > 0
        else { return nil }
        var cids: [UInt16] = [0]
        cids.reserveCapacity(glyphCount)
        guard charsetOffset < cff.count else { return nil }
        let format = cff[charsetOffset]
        var at = charsetOffset + 1
        while cids.count < glyphCount {
            switch format {
            case 0:
                guard let cid = u16(at) else { return nil }
                cids.append(UInt16(cid))
                at += 2
            case 1, 2:
                guard let first = u16(at) else { return nil }
                let left: Int
                if format == 1 {
                    guard at + 2 < cff.count else { return nil }
                    left = Int(cff[at + 2])
                    at += 3
                } else {
                    guard let value = u16(at + 2) else { return nil }
                    left = value
                    at += 4
                }
                for cid in first...(first + left) where cids.count < glyphCount { cids.append(UInt16(truncatingIfNeeded: cid)) }
            default:
                return nil
            }
        }
        self.cids = cids
    }
}

/// One face's subset, shared by every draft it was made for.
package struct PDFEmbeddedFont: @unchecked Sendable {
    let face: PDFFontFace
    /// Six capital letters naming the subset (the "ABCDEF+" that marks a subset font).
    let tag: String
    /// The subset CFF, deflated once for every PDF that embeds it.
    let program: [UInt8]

    package init(face: PDFFontFace, glyphs: Set<UInt32>) throws {
        self.face = face
        program = try PDFDeflater(level: Z_DEFAULT_COMPRESSION).deflate(try face.subset(glyphs))
        // FNV-1a over the face name and the sorted glyphs: the same subset gets the same tag.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in face.postScriptName.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for glyph in glyphs.sorted() {
            for shift in [0, 8, 16, 24] { hash = (hash ^ UInt64(glyph >> UInt32(shift) & 0xFF)) &* 0x100_0000_01b3 }
        }
        var letters = ""
        for _ in 0..<6 {
            letters.append(Character(UnicodeScalar(UInt8(65 + hash % 26))))
            hash /= 26
        }
        tag = letters
    }

    /// Writes the Type0 font with its CIDFont, descriptor, program and ToUnicode map (for the
    /// glyphs this document shows); returns the Type0 font's object number.
    func write(into pdf: inout PDFAssembler, glyphs used: [UInt32: [Unicode.Scalar]], deflater: PDFDeflater) throws -> Int {
        let type0 = pdf.reserve()
        let cidFont = pdf.reserve()
        let descriptor = pdf.reserve()
        let program = pdf.reserve()
        let toUnicode = pdf.reserve()
        let name = tag + "+" + face.postScriptName
        pdf.object(type0) { out in
            out.raw("<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H /DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>")
        }
        let byCID = used.map { (cid: face.cid($0.key), glyph: $0.key, text: $0.value) }.sorted { $0.cid < $1.cid }
        pdf.object(cidFont) { out in
            out.raw("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /\(name) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R /DW 1000 /W [")
            for entry in byCID {
                let width = face.width(entry.glyph)
                guard width != 1000 else { continue }
                out.int(Int(entry.cid))
                out.raw(" [")
                out.int(width)
                out.raw("] ")
            }
            out.raw("] >>")
        }
        pdf.object(descriptor) { out in
            out.raw("<< /Type /FontDescriptor /FontName /\(name) /Flags 4 /FontBBox [")
            out.raw(face.bbox.map(String.init).joined(separator: " "))
            out.raw("] /ItalicAngle 0 /Ascent \(face.ascent) /Descent \(face.descent) /CapHeight \(face.capHeight) /StemV 80 /FontFile3 \(program) 0 R >>")
        }
        pdf.stream(program, dictionary: "/Subtype /CIDFontType0C /Filter /FlateDecode", data: self.program)
        pdf.stream(toUnicode, dictionary: "/Filter /FlateDecode", data: try deflater.deflate(Self.toUnicode(byCID.map { ($0.cid, $0.text) })))
        return type0
    }

    /// The ToUnicode CMap: each CID to the UTF-16BE of its text.
    static func toUnicode(_ entries: [(cid: UInt32, text: [Unicode.Scalar])]) -> [UInt8] {
        var out = PDFBytes(capacity: 64 + entries.count * 16)
        out.raw("""
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """)
        let mapped = entries.filter { !$0.text.isEmpty }
        var start = 0
        while start < mapped.count {
            let chunk = mapped[start..<min(start + 100, mapped.count)]
            out.raw("\(chunk.count) beginbfchar\n")
            for entry in chunk {
                out.raw("<")
                out.hex4(entry.cid)
                out.raw("> <")
                for scalar in entry.text {
                    for unit in String(scalar).utf16 { out.hex4(UInt32(unit)) }
                }
                out.raw(">\n")
            }
            out.raw("endbfchar\n")
            start += 100
        }
        out.raw("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
        return out.bytes
    }
}
