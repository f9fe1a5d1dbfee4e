// FundPDF: the PDF engine. It owns the page canvas (content streams, colours, paths, clipping),
// plain-text layout from cached glyph advances (line breaking, 禁则, "…"), text shaping through
// pango for everything else, Noto Sans CJK as a CID-keyed CFF face (its charset, HarfBuzz
// subsets, the Type0 font and ToUnicode map) and the PDF file itself (objects, deflated streams,
// cross-reference table).
//
// It must never know what it is drawing: no ReportDocument, no money, no ledger, no FundReports
// or FundRender types, no page layout of tables, vouchers or charts (that is FundRender's
// PDFRenderer). It takes text, fonts, coordinates and paths, and gives back bytes.

/// A failure of the engine (pango, HarfBuzz, zlib); FundRender reports it as a PDF `RenderError`.
public struct PDFError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    package init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Where text sits inside the width it is given.
package enum PDFTextAlignment: Sendable {
    case left, centre, right
}
