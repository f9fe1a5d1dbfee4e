/// An amount of renminbi as an integer number of fen (分). Arithmetic is overflow-checked:
/// `adding`/`subtracting` throw a `Rejection` rather than wrap or trap, so a corrupt or hostile
/// input cannot crash a report. Parsing goes straight from text to fen; no floating point is
/// ever involved.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let fen: Int64

    public init(fen: Int64) {
        self.fen = fen
    }

    public static let zero = Money(fen: 0)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }

    public var isZero: Bool { fen == 0 }
    public var isNegative: Bool { fen < 0 }

    public func adding(_ other: Money) throws(Rejection) -> Money {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        if overflow { throw Money.overflowRejection }
        return Money(fen: sum)
    }

    public func subtracting(_ other: Money) throws(Rejection) -> Money {
        let (difference, overflow) = fen.subtractingReportingOverflow(other.fen)
        if overflow { throw Money.overflowRejection }
        return Money(fen: difference)
    }

    /// The amount with its sign flipped. `Int64.min` has no negation; it cannot come from a
    /// parsed or validated amount, so meeting it here is our bug.
    public var negated: Money {
        precondition(fen != Int64.min, "Int64.min fen has no negation")
        return Money(fen: -fen)
    }

    public var magnitude: Money {
        fen < 0 ? negated : self
    }

    /// Plain machine form: optional minus, yuan, a point and two decimals ("-1234.05").
    /// Renderers format for people (¥1,234.05, 大写); this is for CSV/JSON and logs.
    public var plainString: String {
        let negative = fen < 0
        let absolute = fen.magnitude
        let yuan = absolute / 100
        let cents = absolute % 100
        let centsText = cents < 10 ? "0\(cents)" : "\(cents)"
        return (negative ? "-" : "") + "\(yuan).\(centsText)"
    }

    /// Grouped form for tables: "1,234.05", "-30,000.00". Written from the right into a small
    /// buffer (findings quote amounts by the hundred thousand).
    public var groupedString: String {
        withGroupedBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends `groupedString`'s UTF-8 bytes (for messages built byte by byte).
    public func appendGrouped(to bytes: inout [UInt8]) {
        withGroupedBytes { bytes.append(contentsOf: $0) }
    }

    private func withGroupedBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Int64.min fen: 92,233,720,368,547,758.08 yuan — 26 characters with the sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var end = buffer.count
            func put(_ byte: UInt8) {
                end -= 1
                buffer[end] = byte
            }
            let absolute = fen.magnitude
            put(UInt8(ascii: "0") + UInt8(absolute % 10))
            put(UInt8(ascii: "0") + UInt8(absolute / 10 % 10))
            put(UInt8(ascii: "."))
            var yuan = absolute / 100
            var digits = 0
            repeat {
                if digits > 0 && digits % 3 == 0 { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "0") + UInt8(yuan % 10))
                yuan /= 10
                digits += 1
            } while yuan > 0
            if fen < 0 { put(UInt8(ascii: "-")) }
            return body(UnsafeBufferPointer(rebasing: buffer[end...]))
        }
    }

    public var description: String { plainString }

    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }

    static let overflowRejection = Rejection(.moneyOverflow, "金额超出可表示范围（整数分溢出）")
}

extension Money {
    /// Parses "30000", "30000.5", "30,000.00", "¥30,000.00", "￥-12.30", "-1,000" into fen.
    /// Rejected: empty text, letters or other characters, more than two decimals, misplaced
    /// thousands separators, and amounts beyond Int64 fen.
    public static func parse(_ text: String) throws(Rejection) -> Money {
        if let money = parsePlainASCII(text) { return money }
        return try parseAnyForm(text)
    }

    /// The common shape, "-1,234.05" in ASCII, read straight from the UTF-8 bytes. It accepts
    /// exactly the texts `parseAnyForm` accepts in that shape, with the same value, and returns
    /// nil for everything else (spaces, currency signs, errors), which `parseAnyForm` then
    /// handles, so every rejection keeps its one wording.
    static func parsePlainASCII(_ text: String) -> Money? {
        let utf8 = text.utf8
        // 16 integer digits (with separators) and 2 decimals stay below Int64.max fen, so the
        // arithmetic below cannot overflow; longer texts take the careful path.
        guard !utf8.isEmpty, utf8.count <= 24 else { return nil }
        var negative = false
        var fen: Int64 = 0
        var digits = 0  // integer digits, at most 16
        var group = -1  // digits since the last thousands separator; -1 before the first one
        var fraction = -1  // decimals read; -1 before the point
        for (index, byte) in utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                fen = fen * 10 + Int64(byte &- UInt8(ascii: "0"))
                if fraction >= 0 {
                    fraction += 1
                    if fraction > 2 { return nil }
                } else {
                    digits += 1
                    if group >= 0 { group += 1 }
                    if digits > 16 || group > 3 { return nil }
                }
            case UInt8(ascii: ","):
                // The first group has 1–3 digits, every later one exactly 3.
                guard fraction < 0, digits > 0, group == -1 ? digits <= 3 : group == 3 else { return nil }
                group = 0
            case UInt8(ascii: "."):
                guard fraction < 0, digits > 0, group == -1 || group == 3 else { return nil }
                fraction = 0
            case UInt8(ascii: "-") where index == 0:
                negative = true
            default:
                return nil
            }
        }
        guard digits > 0, fraction != 0, group == -1 || group == 3 else { return nil }
        for _ in 0..<(2 - max(fraction, 0)) { fen *= 10 }
        return Money(fen: negative ? -fen : fen)
    }

    static func parseAnyForm(_ text: String) throws(Rejection) -> Money {
        var scalars = Substring(text).unicodeScalars
        trimSpaces(&scalars)
        if scalars.isEmpty { throw Rejection(.moneyEmpty, "金额为空") }
        var negative = false
        if let first = scalars.first, first == "-" || first == "−" {
            negative = true
            scalars.removeFirst()
        }
        if let first = scalars.first, first == "¥" || first == "￥" {
            scalars.removeFirst()
        }
        if !negative, let first = scalars.first, first == "-" || first == "−" {
            negative = true
            scalars.removeFirst()
        }
        let (integerPart, fractionPart) = try splitDecimal(String(scalars), original: text)
        let integerDigits = try ungroup(integerPart, original: text)
        var fen: Int64 = 0
        for digit in integerDigits + fractionPart + String(repeating: "0", count: 2 - fractionPart.count) {
            let value = Int64(digit.wholeNumberValue!)
            let (shifted, o1) = fen.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(value)
            if o1 || o2 { throw Rejection(.moneyOverflow, "金额“\(text)”超出可表示范围") }
            fen = next
        }
        return Money(fen: negative ? -fen : fen)
    }

    private static func trimSpaces(_ scalars: inout Substring.UnicodeScalarView) {
        let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace }
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
    }

    private static func splitDecimal(
        _ body: String, original: String
    ) throws(Rejection) -> (String, String) {
        let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
        if pieces.count > 2 {
            throw Rejection(.moneyInvalidCharacter, "金额“\(original)”含有多个小数点")
        }
        let integerPart = String(pieces[0])
        let fractionPart = pieces.count == 2 ? String(pieces[1]) : ""
        if integerPart.isEmpty {
            throw Rejection(.moneyInvalidCharacter, "金额“\(original)”缺少整数部分")
        }
        if pieces.count == 2 && fractionPart.isEmpty {
            throw Rejection(.moneyInvalidCharacter, "金额“\(original)”小数点后没有数字")
        }
        for character in fractionPart where !character.isASCIIDigit {
            throw Rejection(.moneyInvalidCharacter, "金额“\(original)”含有非法字符“\(character)”")
        }
        if fractionPart.count > 2 {
            throw Rejection(.moneyTooManyDecimals, "金额“\(original)”超过两位小数（最小单位为分）")
        }
        return (integerPart, fractionPart)
    }

    /// Removes thousands separators, insisting they sit every three digits from the right.
    private static func ungroup(_ integerPart: String, original: String) throws(Rejection) -> String {
        for character in integerPart where !(character.isASCIIDigit || character == ",") {
            throw Rejection(.moneyInvalidCharacter, "金额“\(original)”含有非法字符“\(character)”")
        }
        guard integerPart.contains(",") else { return integerPart }
        let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
        let firstOK = (1...3).contains(groups[0].count)
        let restOK = groups.dropFirst().allSatisfy { $0.count == 3 }
        if !(firstOK && restOK) {
            throw Rejection(.moneyBadGrouping, "金额“\(original)”的千位分隔符位置不正确")
        }
        return groups.joined()
    }
}

extension Character {
    var isASCIIDigit: Bool {
        guard let ascii = asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }
}
