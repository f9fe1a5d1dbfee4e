import FundCore

// Cell addresses and SUM formulas for the XLSX renderer. A `moneySum` cell names the rows it
// adds up; the workbook shows that as a live formula so an auditor can follow it, while the
// cached value (written beside it) is the document's own figure.
enum XLSXFormula {
    /// Excel allows 255 arguments per function call.
    static let argumentsPerCallMax = 255
    /// Excel's limit on a formula's text, "=" included.
    static let formulaLengthMax = 8_192

    /// "A", "B", … "Z", "AA" … for a zero-based column.
    static func columnName(_ column: Int) -> String {
        precondition(column >= 0 && column < 16_384, "Excel has 16,384 columns")
        var name: [Character] = []
        var rest = column + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            name.insert(Character(UnicodeScalar(UInt8(65 + digit))), at: 0)
            rest = (rest - 1) / 26
        }
        return String(name)
    }

    /// "=SUM(E5:E20,E23)" over zero-based sheet rows of one column: contiguous rows merge into
    /// ranges, each SUM takes at most 255 arguments and further ones are added
    /// (`SUM(…)+SUM(…)`). Nil when there is nothing to sum or the text would pass Excel's
    /// 8,192-character limit; the caller then writes the plain value.
    static func sum(column: Int, sheetRows: [Int]) -> String? {
        let rows = Array(Set(sheetRows)).sorted()
        guard !rows.isEmpty else { return nil }
        precondition(rows[0] >= 0, "sheet rows are zero-based")
        let name = columnName(column)
        var arguments: [String] = []
        var start = rows[0]
        var end = rows[0]
        func flush() {
            arguments.append(start == end ? "\(name)\(start + 1)" : "\(name)\(start + 1):\(name)\(end + 1)")
        }
        for row in rows.dropFirst() {
            if row == end + 1 {
                end = row
            } else {
                flush()
                start = row
                end = row
            }
        }
        flush()
        var calls: [String] = []
        var index = 0
        while index < arguments.count {
            let chunk = arguments[index..<min(index + argumentsPerCallMax, arguments.count)]
            calls.append("SUM(" + chunk.joined(separator: ",") + ")")
            index += argumentsPerCallMax
        }
        let formula = "=" + calls.joined(separator: "+")
        guard formula.utf8.count <= formulaLengthMax else { return nil }
        return formula
    }

    /// A sheet name Excel accepts: none of `[]:*?/\`, no leading or trailing apostrophe, at most
    /// 31 UTF-16 units, not empty, and not taken (compared case-insensitively, as Excel does):
    /// a clash gets " (2)", " (3)" … within the 31 units.
    static func sheetName(_ wanted: String, taken: Set<String>) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var base = String(wanted.map { forbidden.contains($0) ? "_" : $0 })
        while base.hasPrefix("'") { base.removeFirst() }
        while base.hasSuffix("'") { base.removeLast() }
        base = base.trimmingSpaces
        if base.isEmpty { base = "Sheet" }
        let lowered = Set(taken.map { $0.lowercased() })
        var suffixNumber = 1
        while true {
            let suffix = suffixNumber == 1 ? "" : " (\(suffixNumber))"
            var stem = base
            while stem.utf16.count + suffix.utf16.count > 31 { stem.removeLast() }
            var candidate = stem + suffix
            while candidate.hasSuffix("'") { candidate.removeLast() }
            if !lowered.contains(candidate.lowercased()) { return candidate }
            suffixNumber += 1
        }
    }
}

