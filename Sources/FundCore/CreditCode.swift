/// A 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from the
/// 31-character set 0-9 and A-Y without I, O, S, V, Z. Position 18 is a check character:
/// with weights 3^(i) mod 31 for positions 1…17, check = 31 − (Σ value × weight mod 31),
/// where 31 maps to 0.
public struct CreditCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let text: String

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public init(_ raw: String) throws(Rejection) {
        let text = raw.trimmingSpaces.uppercased()
        let characters = Array(text)
        guard characters.count == 18 else {
            throw Rejection(
                .creditCodeLength, field: "credit-code",
                "统一社会信用代码“\(raw)”应为 18 位，实际 \(characters.count) 位")
        }
        var values: [Int] = []
        for (index, character) in characters.enumerated() {
            guard let value = Self.alphabet.firstIndex(of: character) else {
                throw Rejection(
                    .creditCodeCharacter, field: "credit-code",
                    "统一社会信用代码“\(raw)”第 \(index + 1) 位“\(character)”不是合法字符（不使用 I、O、S、V、Z）")
            }
            values.append(value)
        }
        let expected = Self.checkCharacter(forFirst17: Array(values.prefix(17)))
        guard characters[17] == expected else {
            throw Rejection(
                .creditCodeCheck, field: "credit-code",
                "统一社会信用代码“\(raw)”校验位错误：应为“\(expected)”，实际为“\(characters[17])”")
        }
        self.text = text
    }

    /// The check character for 17 leading character values (each 0…30).
    static func checkCharacter(forFirst17 values: [Int]) -> Character {
        precondition(values.count == 17, "a credit code body has 17 characters")
        var sum = 0
        for (value, weight) in zip(values, weights) { sum += value * weight }
        let check = (31 - sum % 31) % 31
        return alphabet[check]
    }

    /// Completes a 17-character body with its check character (for fixtures and tests).
    public static func completing(_ body: String) -> String? {
        let values = body.uppercased().compactMap { alphabet.firstIndex(of: $0) }
        guard body.count == 17, values.count == 17 else { return nil }
        return body.uppercased() + String(checkCharacter(forFirst17: values))
    }

    public var description: String { text }

    public static func < (lhs: CreditCode, rhs: CreditCode) -> Bool { lhs.text < rhs.text }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
