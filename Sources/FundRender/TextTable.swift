// FundRender: turns report documents into bytes for people and tools (terminal tables, CSV,
// JSON, HTML, XLSX, PDF through FundPDF). Renderers lay out; they never compute a number.
import FundCore

/// An aligned plain-text table for terminals, aware that CJK characters take two columns.
public struct TextTable {
    public enum Alignment { case left, right }

    public let headers: [String]
    public let alignments: [Alignment]
    public private(set) var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]) {
        precondition(headers.count == alignments.count, "one alignment per column")
        self.headers = headers
        self.alignments = alignments
    }

    public mutating func add(_ row: [String]) {
        precondition(row.count == headers.count, "one cell per column")
        rows.append(row)
    }

    /// A separator line drawn where the next row goes.
    public mutating func addRule() { rows.append([]) }

    public func render() -> String {
        var widths = headers.map(Self.displayWidth)
        for row in rows where !row.isEmpty {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.displayWidth(cell)) }
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        var lines = [format(headers, widths: widths), rule]
        for row in rows {
            lines.append(row.isEmpty ? rule : format(row, widths: widths))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func format(_ row: [String], widths: [Int]) -> String {
        var cells: [String] = []
        for (index, cell) in row.enumerated() {
            let padding = String(repeating: " ", count: widths[index] - Self.displayWidth(cell))
            cells.append(alignments[index] == .left ? cell + padding : padding + cell)
        }
        var line = cells.joined(separator: "  ")
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// Terminal columns a string occupies: East Asian wide and full-width characters take two.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x20000...0x3FFFD).contains(value)
            return width + (wide ? 2 : 1)
        }
    }
}
