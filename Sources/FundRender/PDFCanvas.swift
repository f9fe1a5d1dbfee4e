import CPangoCairo
import FundCore
import Foundation

/// The cairo PDF surface and the pango objects drawing on it, owned by one render call (C
/// handles are never global). Fonts are created once; one `PangoLayout` per font is reused for
/// every piece of text, so a 10,000-row ledger creates no per-cell pango objects.
final class PDFCanvas {
    /// Fonts in use. "Noto Sans CJK SC" is named explicitly: pango's default family may not
    /// carry the CJK glyphs, and the subset embedded in the PDF comes from this one.
    enum Font: Int, CaseIterable {
        case body, bodyBold, small, label, labelBold, caption, heading, title, voucherTitle

        var spec: (size: Double, bold: Bool) {
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
    }

    static let family = "Noto Sans CJK SC"
    static let pangoScale = 1024.0
    static let a4Width = 595.28
    static let a4Height = 841.89

    /// Collects the PDF bytes cairo streams out.
    final class Output {
        var data = Data()
    }

    let output = Output()
    private let surface: OpaquePointer
    let cr: OpaquePointer
    private let context: OpaquePointer
    private var descriptions: [OpaquePointer] = []
    private var layouts: [OpaquePointer] = []
    /// Height of one line of each font, measured once.
    private(set) var lineHeights: [Double] = []
    /// Advance widths of printable ASCII for `.body` and `.bodyBold` (index = scalar - 32),
    /// so that amounts and codes are measured without a pango layout.
    private var asciiAdvances: [[Double]] = []
    /// Distance from a line's top to its baseline, per font.
    private var baselines: [Double] = []
    /// The cairo font pango draws each font with, and the glyphs looked up in it so far: the
    /// fast path for single-line cells (see `drawGlyphs`).
    private var fonts: [UnsafeMutablePointer<PangoFont>] = []
    private var scaledFonts: [OpaquePointer] = []
    private var glyphCache: [[UInt32: Glyph]] = []

    struct Glyph {
        let index: UInt
        let advance: Double
    }

    init(title: String, date: CalendarDate? = nil) throws {
        let box = Unmanaged.passUnretained(output).toOpaque()
        guard let surface = cairo_pdf_surface_create_for_stream(
            { closure, bytes, length in
                guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<Output>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, box, Self.a4Width, Self.a4Height)
        else { throw RenderError(.pdf, "cairo 无法创建 PDF 画布") }
        self.surface = surface
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw RenderError(.pdf, "cairo 无法创建 PDF 画布")
        }
        self.cr = cr
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "WorkshopLedger")
        // The document's own date instead of the clock: the same books give the same bytes.
        if let date {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.iso + "T00:00:00Z")
        }
        guard let context = pango_cairo_create_context(cr) else {
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
            throw RenderError(.pdf, "pango 无法创建排版上下文")
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
        for font in fonts { g_object_unref(UnsafeMutableRawPointer(font)) }
        for description in descriptions { pango_font_description_free(description) }
        g_object_unref(UnsafeMutableRawPointer(context))
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    private func makeFonts() throws {
        for font in Font.allCases {
            guard let description = pango_font_description_new(), let layout = pango_layout_new(context) else {
                throw RenderError(.pdf, "pango 无法创建字体")
            }
            pango_font_description_set_family(description, Self.family)
            pango_font_description_set_size(description, Int32(font.spec.size * Self.pangoScale))
            pango_font_description_set_weight(description, font.spec.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
            pango_layout_set_font_description(layout, description)
            descriptions.append(description)
            layouts.append(layout)
            guard let loaded = pango_context_load_font(context, description) else {
                throw RenderError(.pdf, "找不到字体 \(Self.family)（Debian：fonts-noto-cjk）")
            }
            fonts.append(loaded)
            // Every font pango loads through a cairo context is a PangoCairoFont.
            guard let scaled = pango_cairo_font_get_scaled_font(OpaquePointer(loaded)) else {
                throw RenderError(.pdf, "pango 字体没有 cairo 字形：\(Self.family)")
            }
            scaledFonts.append(scaled)
            glyphCache.append([:])
        }
        lineHeights = Font.allCases.map { font in measure("国Ag", font: font).height }
        baselines = Font.allCases.map { font in
            Double(pango_layout_get_baseline(layouts[font.rawValue])) / Self.pangoScale
        }
        asciiAdvances = [Font.body, Font.bodyBold].map { font in
            (32..<127).map { scalar in glyph(UnicodeScalar(UInt8(scalar)), font: font)?.advance
                ?? measure(String(UnicodeScalar(UInt8(scalar))), font: font).width }
        }
    }

    // MARK: Glyph fast path

    /// Scripts drawn glyph by glyph without shaping: printable ASCII, CJK ideographs, CJK and
    /// full-width punctuation, dashes. Anything else (combining marks, other scripts) goes
    /// through pango.
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F, 0x2014, 0x2018...0x201D, 0x2026, 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xFF01...0xFF5E, 0xFFE5:
            true
        default:
            false
        }
    }

    /// The font's glyph for a scalar (nil when the font has none: pango then falls back to
    /// another font).
    func glyph(_ scalar: Unicode.Scalar, font: Font) -> Glyph? {
        if let glyph = glyphCache[font.rawValue][scalar.value] { return glyph }
        let scaled = scaledFonts[font.rawValue]
        var glyphs: UnsafeMutablePointer<cairo_glyph_t>?
        var count: Int32 = 0
        let text = String(scalar)
        let status = cairo_scaled_font_text_to_glyphs(
            scaled, 0, 0, text, Int32(text.utf8.count), &glyphs, &count, nil, nil, nil)
        defer { cairo_glyph_free(glyphs) }
        guard status == CAIRO_STATUS_SUCCESS, count == 1, let glyphs, glyphs[0].index != 0 else { return nil }
        var extents = cairo_text_extents_t()
        cairo_scaled_font_glyph_extents(scaled, glyphs, 1, &extents)
        let glyph = Glyph(index: glyphs[0].index, advance: extents.x_advance)
        glyphCache[font.rawValue][scalar.value] = glyph
        return glyph
    }

    /// Draws one line of plain text straight from cached glyphs, with its UTF-8 attached so the
    /// PDF's text stays extractable. Returns false (drawing nothing) when the text is not plain
    /// or does not fit `width`; the caller then uses pango, which also ellipsizes.
    func drawGlyphs(
        _ text: String, font: Font, box x: Double, _ y: Double, _ width: Double, _ height: Double,
        alignment: CellText.Alignment, grey: Double = 0
    ) -> Bool {
        var glyphs: [cairo_glyph_t] = []
        var clusters: [cairo_text_cluster_t] = []
        var advance = 0.0
        for scalar in text.unicodeScalars {
            guard Self.isPlain(scalar), let glyph = glyph(scalar, font: font) else { return false }
            glyphs.append(cairo_glyph_t(index: glyph.index, x: advance, y: 0))
            clusters.append(cairo_text_cluster_t(num_bytes: Int32(UTF8.width(scalar)), num_glyphs: 1))
            advance += glyph.advance
        }
        guard advance <= width + 0.01 else { return false }
        let left: Double
        switch alignment {
        case .left: left = x
        case .centre: left = x + (width - advance) / 2
        case .right: left = x + width - advance
        }
        let baseline = y + max(0, (height - lineHeights[font.rawValue]) / 2) + baselines[font.rawValue]
        for index in glyphs.indices {
            glyphs[index].x += left
            glyphs[index].y = baseline
        }
        cairo_set_scaled_font(cr, scaledFonts[font.rawValue])
        cairo_set_source_rgb(cr, grey, grey, grey)
        let bytes = Int32(text.utf8.count)
        cairo_show_text_glyphs(cr, text, bytes, glyphs, Int32(glyphs.count), clusters, Int32(clusters.count), cairo_text_cluster_flags_t(0))
        return true
    }

    /// Ends the document and returns the bytes; the canvas is unusable afterwards.
    func finish() throws -> Data {
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(.pdf, "cairo 写出失败：" + String(cString: cairo_status_to_string(status)))
        }
        return output.data
    }

    // MARK: Pages

    func setPageSize(landscape: Bool) {
        if landscape {
            cairo_pdf_surface_set_size(surface, Self.a4Height, Self.a4Width)
        } else {
            cairo_pdf_surface_set_size(surface, Self.a4Width, Self.a4Height)
        }
    }

    func showPage() { cairo_show_page(cr) }

    // MARK: Text

    func lineHeight(_ font: Font) -> Double { lineHeights[font.rawValue] }

    /// Prepares the font's shared layout: no width means one unwrapped line; with a width, text
    /// wraps (or, with `maxLines` 1, is cut with "…") and is aligned inside the width.
    private func prepare(
        _ text: String, font: Font, width: Double?, alignment: CellText.Alignment, maxLines: Int
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
    func measure(
        _ text: String, font: Font, width: Double? = nil, maxLines: Int = 1
    ) -> (width: Double, height: Double, lines: Int) {
        let layout = prepare(text, font: font, width: width, alignment: .left, maxLines: maxLines)
        var logicalWidth: Int32 = 0
        var logicalHeight: Int32 = 0
        pango_layout_get_size(layout, &logicalWidth, &logicalHeight)
        return (Double(logicalWidth) / Self.pangoScale, Double(logicalHeight) / Self.pangoScale,
                Int(pango_layout_get_line_count(layout)))
    }

    /// Draws text with its top-left (or its box's top-left when `width` is given) at x, y.
    func draw(
        _ text: String, font: Font, x: Double, y: Double, width: Double? = nil,
        alignment: CellText.Alignment = .left, maxLines: Int = 1, grey: Double = 0
    ) {
        guard !text.isEmpty else { return }
        // One plain line: cached glyphs, as in table cells (headers, dates, sign-offs repeat on
        // every page and every voucher; laying each out with pango was most of their cost).
        if maxLines == 1,
            drawGlyphs(text, font: font, box: x, y, width ?? .greatestFiniteMagnitude, lineHeights[font.rawValue],
                       alignment: width == nil ? .left : alignment, grey: grey)
        {
            return
        }
        let layout = prepare(text, font: font, width: width, alignment: alignment, maxLines: maxLines)
        cairo_set_source_rgb(cr, grey, grey, grey)
        cairo_new_path(cr)
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, layout)
    }

    /// Draws text inside a box, wrapped to its width (up to `maxLines`) and centred vertically.
    func draw(
        _ text: String, font: Font, box x: Double, _ y: Double, _ width: Double, _ height: Double,
        alignment: CellText.Alignment, maxLines: Int = 1
    ) {
        guard !text.isEmpty else { return }
        if drawGlyphs(text, font: font, box: x, y, width, height, alignment: alignment) { return }
        let layout = prepare(text, font: font, width: width, alignment: alignment, maxLines: maxLines)
        var logicalWidth: Int32 = 0
        var logicalHeight: Int32 = 0
        pango_layout_get_size(layout, &logicalWidth, &logicalHeight)
        let textHeight = Double(logicalHeight) / Self.pangoScale
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_new_path(cr)
        cairo_move_to(cr, x, y + max(0, (height - textHeight) / 2))
        pango_cairo_show_layout(cr, layout)
    }

    func withClip(x: Double, y: Double, width: Double, height: Double, _ body: () -> Void) {
        cairo_save(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
        body()
        cairo_restore(cr)
    }

    /// Width of a single line of text; printable ASCII in the body fonts (amounts, dates,
    /// codes) is summed from cached advances instead of laid out.
    func textWidth(_ text: String, font: Font) -> Double {
        if font == .body || font == .bodyBold, let width = asciiWidth(text, bold: font == .bodyBold) {
            return width
        }
        return measure(text, font: font).width
    }

    /// Sum of cached advances, or nil when the text is not all printable ASCII.
    func asciiWidth(_ text: String, bold: Bool) -> Double? {
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
    func widthBound(_ text: String, bold: Bool) -> Double {
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

    func setGrey(_ grey: Double) { cairo_set_source_rgb(cr, grey, grey, grey) }

    func setColour(_ red: Double, _ green: Double, _ blue: Double) { cairo_set_source_rgb(cr, red, green, blue) }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) {
        cairo_move_to(cr, x1, y1)
        cairo_line_to(cr, x2, y2)
    }

    func stroke(width: Double, grey: Double = 0, dash: [Double] = []) {
        cairo_set_line_width(cr, width)
        setGrey(grey)
        strokeKeepingColour(width: width, dash: dash)
    }

    func strokeKeepingColour(width: Double, dash: [Double] = []) {
        cairo_set_line_width(cr, width)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        if dash.isEmpty {
            cairo_set_dash(cr, nil, 0, 0)
        } else {
            cairo_set_dash(cr, dash, Int32(dash.count), 0)
        }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    func fill(_ x: Double, _ y: Double, _ width: Double, _ height: Double, grey: Double) {
        setGrey(grey)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    func rectangle(_ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        cairo_rectangle(cr, x, y, width, height)
    }
}
