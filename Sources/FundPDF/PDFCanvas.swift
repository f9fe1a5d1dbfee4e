import CPangoCairo
import Foundation

/// What one render call draws on: pages of PDF content written straight into content streams,
/// text laid out with cached glyph advances (pango shapes only text the fast path cannot take)
/// and shown by CID from Noto Sans CJK, which `PDFRenderer.finish` embeds as a subset. The
/// coordinate system is the page's, in points, origin at the top left and y growing downwards.
/// C handles are never global: each canvas owns its pango context and layouts.
package final class PDFCanvas {
    /// Fonts in use. "Noto Sans CJK SC" is named explicitly: pango's default family may not
    /// carry the CJK glyphs, and the subset embedded in the PDF comes from this one.
    package enum Font: Int, CaseIterable {
        case body, bodyBold, small, label, labelBold, caption, heading, title, voucherTitle

        package var spec: (size: Double, bold: Bool) {
            switch self {
            case .body: (9, false)
            case .bodyBold: (9, true)
            case .small: (8, false)
            case .label: (10, false)
            case .labelBold: (10, true)
            case .caption: (10.5, true)
            case .heading: (12, true)
            case .title: (16, true)
            case .voucherTitle: (18, true)
            }
        }

        /// The face: 0 regular, 1 bold (the PDF's /F1 and /F2).
        package var slot: Int { spec.bold ? 1 : 0 }
    }

    package static let family = "Noto Sans CJK SC"
    package static let pangoScale = 1024.0
    package static let a4Width = 595.28
    package static let a4Height = 841.89

    struct Glyph {
        let index: UInt32
        /// Advance at the font's size, in points.
        let advance: Double
        let cid: UInt32
    }

    let title: String
    /// yyyyMMdd of the document's date (the PDF's creation date), nil for none.
    let date: String?
    private let context: OpaquePointer
    private var descriptions: [OpaquePointer] = []
    private var layouts: [OpaquePointer] = []
    /// The pango font of each Font, and the faces of the two slots.
    private var pangoFonts: [UnsafeMutablePointer<PangoFont>] = []
    private(set) var faces: [PDFFontFace] = []
    /// This thread's pango face of each slot: a shaped run in that face is drawn as text.
    private var slotFacePointers: [OpaquePointer?] = [nil, nil]
    /// Height of one line of each font, measured once.
    private(set) var lineHeights: [Double] = []
    /// Distance from a line's top to its baseline, per font.
    private var baselines: [Double] = []
    /// Advance widths of printable ASCII for `.body` and `.bodyBold` (index = scalar - 32),
    /// so that amounts and codes are measured without a pango layout.
    private var asciiAdvances: [[Double]] = []
    private var glyphCache: [[UInt32: Glyph]] = []
    /// ASCII glyphs of every font, index font × 128 + scalar.
    private var asciiGlyphs = [Glyph?](repeating: nil, count: Font.allCases.count * 128)
    /// Per slot: every glyph shown, with the text it stands for (the ToUnicode map).
    private(set) var usedGlyphs: [[UInt32: [Unicode.Scalar]]] = [[:], [:]]
    /// Per slot: which glyphs are in `usedGlyphs` (a bit per glyph index).
    private var drawn = [GlyphBits(), GlyphBits()]

    // Page state.
    private(set) var pages: [PDFPageContent] = []
    private let deflater: PDFDeflater
    private var pageWidth = PDFCanvas.a4Width
    private var pageHeight = PDFCanvas.a4Height
    private var content = PDFBytes(capacity: 1 << 14)
    /// Path segments waiting for a stroke or a fill (like cairo's current path).
    private var path = PDFBytes(capacity: 1 << 12)
    /// The colour set for the next paint, and what the content stream last set.
    private var colour: (Double, Double, Double) = (0, 0, 0)
    private var fillColour: (Double, Double, Double)?
    private var strokeColour: (Double, Double, Double)?
    private var lineWidth: Double?
    private var inText = false
    private var textFont: Font?
    /// The first failure while drawing (zlib), thrown by `finish`.
    private var failure: PDFError?

    /// `date`: yyyyMMdd, the PDF's creation date.
    package init(title: String, date: String? = nil) throws {
        self.title = title
        self.date = date
        deflater = try PDFDeflater()
        // pango's cairo font map (one per thread) with no cairo surface: pango only measures
        // and shapes here; the canvas writes the PDF.
        guard let fontMap = pango_cairo_font_map_get_default(), let context = pango_font_map_create_context(fontMap) else {
            throw PDFError("pango 无法创建排版上下文")
        }
        self.context = context
        // Pango assumes 96 dpi; PDF user space is in points (72 per inch).
        pango_cairo_context_set_resolution(context, 72)
        // Unhinted metrics: positions measured here are exactly where text lands in the PDF.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        try makeFonts()
    }

    deinit {
        for layout in layouts { g_object_unref(UnsafeMutableRawPointer(layout)) }
        for font in pangoFonts { g_object_unref(UnsafeMutableRawPointer(font)) }
        for description in descriptions { pango_font_description_free(description) }
        g_object_unref(UnsafeMutableRawPointer(context))
    }

    private func makeFonts() throws {
        var slotFaces: [PDFFontFace?] = [nil, nil]
        for font in Font.allCases {
            guard let description = pango_font_description_new(), let layout = pango_layout_new(context) else {
                throw PDFError("pango 无法创建字体")
            }
            pango_font_description_set_family(description, Self.family)
            pango_font_description_set_size(description, Int32(font.spec.size * Self.pangoScale))
            pango_font_description_set_weight(description, font.spec.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
            pango_layout_set_font_description(layout, description)
            descriptions.append(description)
            layouts.append(layout)
            guard let loaded = pango_context_load_font(context, description) else {
                throw PDFError("找不到字体 \(Self.family)（Debian：fonts-noto-cjk）")
            }
            pangoFonts.append(loaded)
            if slotFaces[font.slot] == nil {
                guard let hbFont = pango_font_get_hb_font(loaded), let face = hb_font_get_face(hbFont),
                    let pdfFace = PDFFontFace.shared(face)
                else {
                    throw PDFError("字体 \(Self.family) 不是 CID 字形的 OpenType/CFF 字体（Debian：fonts-noto-cjk）")
                }
                slotFaces[font.slot] = pdfFace
                slotFacePointers[font.slot] = face
            }
            glyphCache.append([:])
        }
        faces = slotFaces.map { $0! }
        lineHeights = Font.allCases.map { font in shapedSize("国Ag", font: font, width: nil, maxLines: 1).height }
        baselines = Font.allCases.map { font in
            Double(pango_layout_get_baseline(layouts[font.rawValue])) / Self.pangoScale
        }
        asciiAdvances = [Font.body, Font.bodyBold].map { font in
            (32..<127).map { scalar in glyph(UnicodeScalar(UInt8(scalar)), font: font)?.advance
                ?? shapedSize(String(UnicodeScalar(UInt8(scalar))), font: font, width: nil, maxLines: 1).width }
        }
    }

    // MARK: Glyph fast path

    /// Scalars that are drawn glyph by glyph without shaping, when the font has them: not
    /// controls, combining marks, joiners, bidi controls or variation selectors (pango shapes
    /// text with those, and text in scripts Noto Sans CJK does not cover).
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F..<0xA0, 0xAD, 0x300...0x36F, 0x483...0x489, 0x591...0x10FF, 0x1160...0x11FF, 0x1AB0...0x1AFF,
             0x1DC0...0x1DFF, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0x20D0...0x20FF, 0x302A...0x302F,
             0x3099...0x309A, 0xD7B0...0xD7FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF, 0xFFF9...0xFFFB, 0xE0000...:
            false
        default:
            true
        }
    }

    /// The font's glyph for a scalar (nil when the font has none: pango then falls back to
    /// another font).
    func glyph(_ scalar: Unicode.Scalar, font: Font) -> Glyph? {
        if scalar.value < 128, let glyph = asciiGlyphs[font.rawValue * 128 + Int(scalar.value)] { return glyph }
        if let glyph = glyphCache[font.rawValue][scalar.value] { return glyph }
        let face = faces[font.slot]
        var index: hb_codepoint_t = 0
        guard hb_font_get_nominal_glyph(face.font, scalar.value, &index) != 0, index != 0 else { return nil }
        let units = Double(hb_font_get_glyph_h_advance(face.font, index))
        let glyph = Glyph(index: index, advance: units * font.spec.size / face.unitsPerEm, cid: face.cid(index))
        if scalar.value < 128 {
            asciiGlyphs[font.rawValue * 128 + Int(scalar.value)] = glyph
        } else {
            glyphCache[font.rawValue][scalar.value] = glyph
        }
        return glyph
    }

    /// One line of plain text laid out from cached glyphs.
    struct PlainLine {
        var glyphs: [Glyph] = []
        var scalars: [Unicode.Scalar] = []
        var width = 0.0
    }

    /// Lays plain text out in lines from cached glyphs, the way pango would wrap it: at most
    /// `maxLines` lines of `width` (nil: no wrapping), breaking after spaces and around CJK
    /// characters but never before closing or after opening punctuation (禁则), a word longer
    /// than the line broken between characters, "\n" starting a new line, and the last line cut
    /// with "…" when the text needs more. Nil when the text is not plain (see `isPlain`): pango
    /// then shapes it.
    func layoutPlain(_ text: String, font: Font, width: Double?, maxLines: Int) -> [PlainLine]? {
        let limit = width.map { $0 + 0.01 } ?? .greatestFiniteMagnitude
        var scalars: [Unicode.Scalar] = []
        var glyphs: [Glyph] = []
        scalars.reserveCapacity(text.utf8.count)
        glyphs.reserveCapacity(text.utf8.count)
        var total = 0.0
        var breaks = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                scalars.append(scalar)
                glyphs.append(Glyph(index: 0, advance: 0, cid: 0))
                breaks = true
                continue
            }
            guard Self.isPlain(scalar), let glyph = glyph(scalar, font: font) else { return nil }
            scalars.append(scalar)
            glyphs.append(glyph)
            total += glyph.advance
        }
        // Most cells: one line that fits.
        if !breaks && total <= limit && scalars.last != " " {
            return [PlainLine(glyphs: glyphs, scalars: scalars, width: total)]
        }
        // Line i shows scalars[ranges[i]].
        var ranges: [Range<Int>] = []
        var start = 0
        var index = 0
        var lineWidth = 0.0
        var lastBreak = -1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                ranges.append(start..<index)
                index += 1
                start = index
                lineWidth = 0
                lastBreak = -1
                continue
            }
            if index > start && Self.canBreak(scalars[index - 1], scalar) { lastBreak = index }
            if lineWidth + glyphs[index].advance > limit && index > start && scalar != " " {
                let end = lastBreak > start ? lastBreak : index
                ranges.append(start..<end)
                start = end
                while start < scalars.count && scalars[start] == " " { start += 1 }
                index = start
                lineWidth = 0
                lastBreak = -1
                continue
            }
            lineWidth += glyphs[index].advance
            index += 1
        }
        ranges.append(start..<scalars.count)
        var truncated = false
        if ranges.count > max(maxLines, 1) && width != nil {
            let last = max(maxLines, 1) - 1
            ranges = Array(ranges[...last])
            ranges[last] = ranges[last].lowerBound..<scalars.count
            truncated = true
        }
        return ranges.enumerated().map { number, range in
            var line = PlainLine()
            var end = range.upperBound
            while end > range.lowerBound && (scalars[end - 1] == " " || scalars[end - 1] == "\n") { end -= 1 }
            let ellipsis = truncated && number == ranges.count - 1 ? glyph("…", font: font) : nil
            let available = limit - (ellipsis?.advance ?? 0)
            for position in range.lowerBound..<end {
                if scalars[position] == "\n" { break }
                if ellipsis != nil && line.width + glyphs[position].advance > available { break }
                line.glyphs.append(glyphs[position])
                line.width += glyphs[position].advance
                line.scalars.append(scalars[position])
            }
            if let ellipsis {
                line.glyphs.append(ellipsis)
                line.width += ellipsis.advance
                line.scalars.append("…")
            }
            return line
        }
    }

    /// Closing punctuation: a line may not start with it.
    static func isClosing(_ value: UInt32) -> Bool {
        switch value {
        case 0x21, 0x25, 0x29, 0x2C, 0x2E, 0x3A, 0x3B, 0x3F, 0x5D, 0x7D, 0xB7, 0x2014, 0x2019, 0x201D, 0x2026, 0x3001, 0x3002,
             0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0xFF01, 0xFF05, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B,
             0xFF1F, 0xFF3D, 0xFF5D, 0xFF5E:
            true
        default:
            false
        }
    }

    /// Opening punctuation: a line may not end with it.
    static func isOpening(_ value: UInt32) -> Bool {
        switch value {
        case 0x28, 0x5B, 0x7B, 0x2018, 0x201C, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0xFF08, 0xFF3B, 0xFF5B:
            true
        default:
            false
        }
    }

    /// Whether a line may break between two scalars (UAX #14 as far as this text goes).
    static func canBreak(_ before: Unicode.Scalar, _ after: Unicode.Scalar) -> Bool {
        if after == " " || isClosing(after.value) { return false }
        if before == " " { return true }
        if isOpening(before.value) { return false }
        if before.value >= 0x2E80 || after.value >= 0x2E80 { return true }  // CJK and full-width forms
        // After a hyphen or slash, but not inside numbers: 2025-06-30, ZY-2025-0412, 2025/06.
        return (before == "-" || before == "/") && !(after.value >= 0x30 && after.value <= 0x39)
    }

    /// Writes laid-out lines, the first line's top at `y`.
    private func drawLines(_ lines: [PlainLine], font: Font, x: Double, y: Double, width: Double, alignment: PDFTextAlignment, ink: PDFInk) {
        let lineHeight = lineHeights[font.rawValue]
        let baseline = baselines[font.rawValue]
        let slot = font.slot
        for (number, line) in lines.enumerated() where !line.glyphs.isEmpty {
            let left: Double
            switch alignment {
            case .left: left = x
            case .centre: left = x + (width - line.width) / 2
            case .right: left = x + width - line.width
            }
            beginText(font: font, ink: ink)
            var out = PDFBytes()
            swap(&out, &content)
            out.raw("1 0 0 -1 ")
            out.number(left)
            out.space()
            out.number(y + Double(number) * lineHeight + baseline)
            out.raw(" Tm <")
            for glyph in line.glyphs { out.hex4(glyph.cid) }
            out.raw("> Tj\n")
            swap(&out, &content)
            for (glyph, scalar) in zip(line.glyphs, line.scalars) where !drawn[slot].contains(glyph.index) {
                drawn[slot].insert(glyph.index)
                usedGlyphs[slot][glyph.index] = [Self.canonical(scalar)]
            }
        }
    }

    /// Opens a text object (if none is open) in the font and colour.
    private func beginText(font: Font, ink: PDFInk) {
        if !inText {
            content.raw("BT\n")
            inText = true
        }
        if textFont?.slot != font.slot || textFont?.spec.size != font.spec.size {
            content.raw("/F\(font.slot + 1) ")
            content.number(font.spec.size)
            content.raw(" Tf\n")
            textFont = font
        }
        setFill(ink.rgb)
    }

    private func endText() {
        guard inText else { return }
        content.raw("ET\n")
        inText = false
    }

    private func setFill(_ value: (Double, Double, Double)) {
        guard fillColour.map({ $0 != value }) ?? true else { return }
        writeColour(value)
        content.raw(value.0 == value.1 && value.1 == value.2 ? " g\n" : " rg\n")
        fillColour = value
    }

    private func setStroke(_ value: (Double, Double, Double)) {
        guard strokeColour.map({ $0 != value }) ?? true else { return }
        writeColour(value)
        content.raw(value.0 == value.1 && value.1 == value.2 ? " G\n" : " RG\n")
        strokeColour = value
    }

    private func writeColour(_ value: (Double, Double, Double)) {
        content.number(value.0)
        guard value.0 != value.1 || value.1 != value.2 else { return }
        content.space()
        content.number(value.1)
        content.space()
        content.number(value.2)
    }

    /// Draws text pango laid out: glyphs from Noto Sans CJK as text; glyphs from any other face
    /// (pango's fallback for scripts Noto lacks) as filled outlines and characters no font has
    /// as empty boxes, both inside a marked-content span whose ActualText is the run's text.
    private func drawShaped(_ layout: OpaquePointer, font: Font, x: Double, y: Double, ink: PDFInk) {
        guard let iterator = pango_layout_get_iter(layout) else { return }
        defer { pango_layout_iter_free(iterator) }
        let text = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pango_layout_get_text(layout)).assumingMemoryBound(to: UInt8.self),
                                             count: Int(strlen(pango_layout_get_text(layout)))))
        let slot = font.slot
        let ellipsis = glyph("…", font: font)?.index
        repeat {
            guard let run = pango_layout_iter_get_run_readonly(iterator), let item = run.pointee.item,
                let glyphs = run.pointee.glyphs, let runFont = item.pointee.analysis.font
            else { continue }
            var logical = PangoRectangle()
            pango_layout_iter_get_run_extents(iterator, nil, &logical)
            let baseline = Double(pango_layout_iter_get_baseline(iterator)) / Self.pangoScale
            let face = pango_font_get_hb_font(runFont).flatMap { hb_font_get_face($0) }
            let isOurs = face == slotFacePointers[slot]
            var outlines = PDFBytes()
            var boxes = PDFBytes()
            // The fallback face's glyphs are drawn from its outlines, through one HarfBuzz font.
            var fallback: OpaquePointer?
            defer { if let fallback { hb_font_destroy(fallback) } }
            var advance = Double(logical.x) / Self.pangoScale
            for index in 0..<Int(glyphs.pointee.num_glyphs) {
                let info = glyphs.pointee.glyphs[index]
                let glyphX = x + advance + Double(info.geometry.x_offset) / Self.pangoScale
                let glyphY = y + baseline + Double(info.geometry.y_offset) / Self.pangoScale
                let width = Double(info.geometry.width) / Self.pangoScale
                advance += width
                let code = info.glyph
                if code == 0x0FFF_FFFF { continue }  // PANGO_GLYPH_EMPTY
                if code & 0x1000_0000 != 0 {
                    // PANGO_GLYPH_UNKNOWN_FLAG: no installed font has the character.
                    appendRectangle(to: &boxes, glyphX + width * 0.1, glyphY - font.spec.size * 0.75, width * 0.8, font.spec.size * 0.85)
                } else if isOurs {
                    let offset = Int(item.pointee.offset) + Int(glyphs.pointee.log_clusters[index])
                    var scalar = offset < text.count ? Self.scalar(in: text, at: offset) : nil
                    // pango's "…" points back at the first character it cut.
                    if let cut = scalar, code == ellipsis, glyph(cut, font: font)?.index != code { scalar = "…" }
                    beginText(font: font, ink: ink)
                    content.raw("1 0 0 -1 ")
                    content.number(glyphX)
                    content.space()
                    content.number(glyphY)
                    content.raw(" Tm <")
                    content.hex4(faces[slot].cid(code))
                    content.raw("> Tj\n")
                    if !drawn[slot].contains(code) {
                        drawn[slot].insert(code)
                        usedGlyphs[slot][code] = scalar.map { [Self.canonical($0)] } ?? []
                    }
                } else if let face {
                    if fallback == nil { fallback = hb_font_create(face) }
                    if let fallback {
                        GlyphOutline.append(glyph: code, font: fallback, size: font.spec.size, x: glyphX, y: glyphY, to: &outlines)
                    }
                }
            }
            guard !outlines.bytes.isEmpty || !boxes.bytes.isEmpty else { continue }
            endText()
            let start = min(text.count, Int(item.pointee.offset))
            let end = min(text.count, start + Int(item.pointee.length))
            content.raw("/Span << /ActualText ")
            content.textString(String(decoding: text[start..<end], as: UTF8.self))
            content.raw(" >> BDC\n")
            if !outlines.bytes.isEmpty {
                setFill(ink.rgb)
                content.bytes.append(contentsOf: outlines.bytes)
                content.raw("f\n")
            }
            if !boxes.bytes.isEmpty {
                setStroke(ink.rgb)
                lineWidth = nil
                content.raw("0.5 w\n")
                content.bytes.append(contentsOf: boxes.bytes)
                content.raw("S\n")
            }
            content.raw("EMC\n")
        } while pango_layout_iter_next_run(iterator) != 0
    }

    /// The character a glyph stands for in the ToUnicode map: a compatibility character that
    /// shares its glyph with a unified one (Kangxi radical ⼈ and 人, CJK compatibility
    /// ideographs) is mapped to the unified one, so that whichever is drawn first, copied text
    /// and searches see the ordinary character.
    static func canonical(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x2E80...0x2FDF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            let normalized = String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars
            return normalized.count == 1 ? normalized.first! : scalar
        default:
            return scalar
        }
    }

    /// The scalar whose UTF-8 starts at `offset`.
    static func scalar(in utf8: [UInt8], at offset: Int) -> Unicode.Scalar? {
        var iterator = utf8[offset...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// Ends the document: the pages and glyphs, for `PDFRenderer.finish` to embed the fonts.
    package func finish() throws -> PDFDraft {
        if !content.bytes.isEmpty || pages.isEmpty { showPage() }
        if let failure { throw failure }
        return PDFDraft(title: title, date: date, pages: pages, faces: faces, glyphs: usedGlyphs)
    }

    // MARK: Pages

    package func setPageSize(landscape: Bool) {
        pageWidth = landscape ? Self.a4Height : Self.a4Width
        pageHeight = landscape ? Self.a4Width : Self.a4Height
    }

    /// Ends the page: its content, under a flip to the top-left origin, deflated.
    package func showPage() {
        endText()
        var stream = PDFBytes(capacity: content.bytes.count + 32)
        stream.raw("1 0 0 -1 0 ")
        stream.number(pageHeight)
        stream.raw(" cm\n")
        stream.bytes.append(contentsOf: content.bytes)
        do {
            pages.append(PDFPageContent(width: pageWidth, height: pageHeight, content: try deflater.deflate(stream.bytes)))
        } catch {
            failure = failure ?? (error as? PDFError) ?? PDFError("\(error)")
        }
        content.bytes.removeAll(keepingCapacity: true)
        path.bytes.removeAll(keepingCapacity: true)
        fillColour = nil
        strokeColour = nil
        lineWidth = nil
        textFont = nil
    }

    // MARK: Text

    package func lineHeight(_ font: Font) -> Double { lineHeights[font.rawValue] }

    /// Prepares the font's shared layout: no width means one unwrapped line; with a width, text
    /// wraps (or, with `maxLines` 1, is cut with "…") and is aligned inside the width.
    private func prepare(
        _ text: String, font: Font, width: Double?, alignment: PDFTextAlignment, maxLines: Int
    ) -> OpaquePointer {
        let layout = layouts[font.rawValue]
        pango_layout_set_text(layout, text, -1)
        if let width {
            pango_layout_set_width(layout, Int32(max(width, 1) * Self.pangoScale))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
            pango_layout_set_height(layout, Int32(-max(maxLines, 1)))
        } else {
            pango_layout_set_width(layout, -1)
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_NONE)
            pango_layout_set_height(layout, -1)
        }
        switch alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .centre: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        return layout
    }

    /// Width and height of the text as it would be drawn (lines: number of wrapped lines).
    package func measure(
        _ text: String, font: Font, width: Double? = nil, maxLines: Int = 1
    ) -> (width: Double, height: Double, lines: Int) {
        if let lines = layoutPlain(text, font: font, width: width, maxLines: maxLines) {
            return (lines.map(\.width).max() ?? 0, Double(lines.count) * lineHeights[font.rawValue], lines.count)
        }
        return shapedSize(text, font: font, width: width, maxLines: maxLines)
    }

    /// `measure` through pango.
    private func shapedSize(_ text: String, font: Font, width: Double?, maxLines: Int) -> (width: Double, height: Double, lines: Int) {
        let layout = prepare(text, font: font, width: width, alignment: .left, maxLines: maxLines)
        var logicalWidth: Int32 = 0
        var logicalHeight: Int32 = 0
        pango_layout_get_size(layout, &logicalWidth, &logicalHeight)
        return (Double(logicalWidth) / Self.pangoScale, Double(logicalHeight) / Self.pangoScale,
                Int(pango_layout_get_line_count(layout)))
    }

    /// Draws text with its top-left (or its box's top-left when `width` is given) at x, y.
    /// Plain text is drawn from cached glyphs (headers, dates, sign-offs, memos and account
    /// names repeat on every page and every voucher); anything else is shaped by pango.
    package func draw(
        _ text: String, font: Font, x: Double, y: Double, width: Double? = nil,
        alignment: PDFTextAlignment = .left, maxLines: Int = 1, grey: Double = 0
    ) {
        guard !text.isEmpty else { return }
        if let lines = layoutPlain(text, font: font, width: width, maxLines: maxLines) {
            drawLines(lines, font: font, x: x, y: y, width: width ?? 0, alignment: width == nil ? .left : alignment, ink: .grey(grey))
            return
        }
        let layout = prepare(text, font: font, width: width, alignment: alignment, maxLines: maxLines)
        drawShaped(layout, font: font, x: x, y: y, ink: .grey(grey))
    }

    /// Draws text inside a box, wrapped to its width (up to `maxLines`) and centred vertically.
    package func draw(
        _ text: String, font: Font, box x: Double, _ y: Double, _ width: Double, _ height: Double,
        alignment: PDFTextAlignment, maxLines: Int = 1, ink: PDFInk = .black
    ) {
        guard !text.isEmpty else { return }
        if let lines = layoutPlain(text, font: font, width: width, maxLines: maxLines) {
            let textHeight = Double(lines.count) * lineHeights[font.rawValue]
            drawLines(lines, font: font, x: x, y: y + max(0, (height - textHeight) / 2), width: width, alignment: alignment, ink: ink)
            return
        }
        let layout = prepare(text, font: font, width: width, alignment: alignment, maxLines: maxLines)
        var logicalWidth: Int32 = 0
        var logicalHeight: Int32 = 0
        pango_layout_get_size(layout, &logicalWidth, &logicalHeight)
        let textHeight = Double(logicalHeight) / Self.pangoScale
        drawShaped(layout, font: font, x: x, y: y + max(0, (height - textHeight) / 2), ink: ink)
    }

    /// Runs `body` with drawing clipped to the rectangle.
    package func withClip(x: Double, y: Double, width: Double, height: Double, _ body: () -> Void) {
        endText()
        content.raw("q ")
        appendRectangle(to: &content, x, y, width, height)
        content.raw("W n\n")
        body()
        endText()
        content.raw("Q\n")
        // Q restores the colours, line width and font in force at q: forget what was set since.
        fillColour = nil
        strokeColour = nil
        lineWidth = nil
        textFont = nil
    }

    /// Sum of cached advances, or nil when the text is not all printable ASCII.
    package func asciiWidth(_ text: String, bold: Bool) -> Double? {
        let advances = asciiAdvances[bold ? 1 : 0]
        var width = 0.0
        for byte in text.utf8 {
            guard byte >= 32 && byte < 127 else { return nil }
            width += advances[Int(byte) - 32]
        }
        return width
    }

    /// An upper bound on the text's single-line width without laying it out: exact advances for
    /// ASCII (plus 2 % for kerning), one em for anything else (CJK is exactly one em).
    package func widthBound(_ text: String, bold: Bool) -> Double {
        let advances = asciiAdvances[bold ? 1 : 0]
        let em = Font.body.spec.size
        var width = 0.0
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            width += value >= 32 && value < 127 ? advances[value - 32] * 1.02 : em
        }
        return width
    }


    // MARK: Lines and fills

    package func setGrey(_ grey: Double) { colour = (grey, grey, grey) }

    package func setColour(_ red: Double, _ green: Double, _ blue: Double) { colour = (red, green, blue) }

    package func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) {
        moveTo(x1, y1)
        lineTo(x2, y2)
    }

    package func moveTo(_ x: Double, _ y: Double) {
        path.number(x)
        path.space()
        path.number(y)
        path.raw(" m\n")
    }

    package func lineTo(_ x: Double, _ y: Double) {
        path.number(x)
        path.space()
        path.number(y)
        path.raw(" l\n")
    }

    /// A closed circle (four Bézier quarter arcs).
    package func circle(_ x: Double, _ y: Double, radius: Double) {
        let k = radius * 0.552_284_749_8
        moveTo(x + radius, y)
        for (end, control1, control2) in [
            ((x, y + radius), (x + radius, y + k), (x + k, y + radius)),
            ((x - radius, y), (x - k, y + radius), (x - radius, y + k)),
            ((x, y - radius), (x - radius, y - k), (x - k, y - radius)),
            ((x + radius, y), (x + k, y - radius), (x + radius, y - k)),
        ] {
            for value in [control1.0, control1.1, control2.0, control2.1, end.0, end.1] {
                path.number(value)
                path.space()
            }
            path.raw("c\n")
        }
        path.raw("h\n")
    }

    package func stroke(width: Double, grey: Double = 0, dash: [Double] = []) {
        setGrey(grey)
        strokeKeepingColour(width: width, dash: dash)
    }

    /// Strokes the path in the colour set last; `roundJoins` for the chart's polylines.
    package func strokeKeepingColour(width: Double, dash: [Double] = [], roundJoins: Bool = false) {
        guard !path.bytes.isEmpty else { return }
        endText()
        if roundJoins { content.raw("1 j\n") }
        setStroke(colour)
        if lineWidth != width {
            content.number(width)
            content.raw(" w\n")
            lineWidth = width
        }
        if !dash.isEmpty {
            content.raw("[")
            for length in dash {
                content.number(length)
                content.space()
            }
            content.raw("] 0 d\n")
        }
        content.bytes.append(contentsOf: path.bytes)
        content.raw("S\n")
        if !dash.isEmpty { content.raw("[] 0 d\n") }
        if roundJoins { content.raw("0 j\n") }
        path.bytes.removeAll(keepingCapacity: true)
    }

    /// Fills the path built so far (the chart's dots).
    package func fillPath() {
        guard !path.bytes.isEmpty else { return }
        endText()
        setFill(colour)
        content.bytes.append(contentsOf: path.bytes)
        content.raw("f\n")
        path.bytes.removeAll(keepingCapacity: true)
    }

    package func fill(_ x: Double, _ y: Double, _ width: Double, _ height: Double, grey: Double) {
        setGrey(grey)
        rectangle(x, y, width, height)
        fillPath()
    }

    package func rectangle(_ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        appendRectangle(to: &path, x, y, width, height)
    }

    private func appendRectangle(to bytes: inout PDFBytes, _ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        bytes.number(x)
        bytes.space()
        bytes.number(y)
        bytes.space()
        bytes.number(width)
        bytes.space()
        bytes.number(height)
        bytes.raw(" re\n")
    }
}

/// A set of glyph indices (0…65535) as bits.
struct GlyphBits {
    private var words = [UInt64](repeating: 0, count: 1024)

    func contains(_ glyph: UInt32) -> Bool {
        glyph < 65536 && words[Int(glyph >> 6)] & (1 << UInt64(glyph & 63)) != 0
    }

    mutating func insert(_ glyph: UInt32) {
        guard glyph < 65536 else { return }
        words[Int(glyph >> 6)] |= 1 << UInt64(glyph & 63)
    }
}

/// A glyph's outline as PDF path segments (font units scaled to `size`, y flipped), from
/// HarfBuzz's draw API: for glyphs of faces the PDF does not embed.
enum GlyphOutline {
    final class Sink {
        var path = PDFBytes()
        let x: Double
        let y: Double
        let scale: Double

        init(x: Double, y: Double, scale: Double) {
            self.x = x
            self.y = y
            self.scale = scale
        }

        func point(_ px: Float, _ py: Float) {
            path.number(x + Double(px) * scale)
            path.space()
            path.number(y - Double(py) * scale)
            path.space()
        }
    }

    nonisolated(unsafe) static let funcs: OpaquePointer = {
        let funcs = hb_draw_funcs_create()!
        hb_draw_funcs_set_move_to_func(funcs, { _, data, _, x, y, _ in
            let sink = Unmanaged<Sink>.fromOpaque(data!).takeUnretainedValue()
            sink.point(x, y)
            sink.path.raw("m\n")
        }, nil, nil)
        hb_draw_funcs_set_line_to_func(funcs, { _, data, _, x, y, _ in
            let sink = Unmanaged<Sink>.fromOpaque(data!).takeUnretainedValue()
            sink.point(x, y)
            sink.path.raw("l\n")
        }, nil, nil)
        hb_draw_funcs_set_quadratic_to_func(funcs, { _, data, state, cx, cy, x, y, _ in
            let sink = Unmanaged<Sink>.fromOpaque(data!).takeUnretainedValue()
            let x0 = state!.pointee.current_x
            let y0 = state!.pointee.current_y
            sink.point(x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0))
            sink.point(x + 2 / 3 * (cx - x), y + 2 / 3 * (cy - y))
            sink.point(x, y)
            sink.path.raw("c\n")
        }, nil, nil)
        hb_draw_funcs_set_cubic_to_func(funcs, { _, data, _, c1x, c1y, c2x, c2y, x, y, _ in
            let sink = Unmanaged<Sink>.fromOpaque(data!).takeUnretainedValue()
            sink.point(c1x, c1y)
            sink.point(c2x, c2y)
            sink.point(x, y)
            sink.path.raw("c\n")
        }, nil, nil)
        hb_draw_funcs_set_close_path_func(funcs, { _, data, _, _ in
            Unmanaged<Sink>.fromOpaque(data!).takeUnretainedValue().path.raw("h\n")
        }, nil, nil)
        hb_draw_funcs_make_immutable(funcs)
        return funcs
    }()

    /// `font` at its face's own scale (`hb_font_create`'s default: font units).
    static func append(glyph: UInt32, font: OpaquePointer, size: Double, x: Double, y: Double, to path: inout PDFBytes) {
        let sink = Sink(x: x, y: y, scale: size / Double(max(16, hb_face_get_upem(hb_font_get_face(font)))))
        hb_font_get_glyph_shape(font, glyph, funcs, Unmanaged.passUnretained(sink).toOpaque())
        path.bytes.append(contentsOf: sink.path.bytes)
    }
}

/// The colour text is drawn in: black, a grey, or the red of red-ink (红字) amounts.
package struct PDFInk: Equatable, Sendable {
    package let rgb: (Double, Double, Double)

    package static let black = PDFInk(rgb: (0, 0, 0))
    /// 红字: the red Chinese account books print reversed amounts in.
    package static let red = PDFInk(rgb: (0.75, 0, 0))

    package static func grey(_ level: Double) -> PDFInk { PDFInk(rgb: (level, level, level)) }

    package static func == (lhs: PDFInk, rhs: PDFInk) -> Bool { lhs.rgb == rhs.rgb }
}
