import Foundation

/// Free text that enters the books: what may be in it, and how people's names are compared.
///
/// Every text field is hashed as stored (`Canonical`), read back through the C API and printed
/// into statements, CSV and PDF. A character that one of those steps drops, cuts at or shows
/// differently from the next would make the stored text differ from what was hashed or what a
/// reader sees, so such characters are refused at the door (V030), never repaired later:
/// - control characters: C0 (U+0000–U+001F; a tab only where the field allows it, memos),
///   DEL (U+007F) and C1 (U+0080–U+009F);
/// - U+FFFD, the replacement character that bad bytes decode to (Swift strings cannot hold an
///   unpaired surrogate; decoders turn one into U+FFFD), and the non-characters U+FFFE/U+FFFF;
/// - invisible characters that make two different texts look the same: zero-width space,
///   non-joiner and joiner (U+200B–U+200D, so emoji joined by ZWJ are refused too), word joiner
///   and invisible operators (U+2060–U+2064), the byte order mark U+FEFF inside text, soft
///   hyphen (U+00AD);
/// - bidirectional controls that reorder what is shown: U+200E/U+200F, U+061C, U+202A–U+202E,
///   U+2066–U+2069; and the line and paragraph separators U+2028/U+2029.
public enum TextField {
    /// Returns `text` unchanged when it holds no forbidden character; otherwise throws V030
    /// naming `field` and the first such character as U+XXXX.
    @discardableResult
    public static func validate(_ text: String, field: String, allowTab: Bool = false, line: Int? = nil) throws(Rejection) -> String {
        guard let (scalar, position) = firstForbidden(in: text, allowTab: allowTab) else { return text }
        // The field is named by the rejection ("字段 摘要：…"), in the reader's own words.
        let where_ = line.map { "第 \($0 + 1) 行分录的" } ?? ""
        throw Rejection(
            .textControlCharacter, field: field, line: line,
            "\(where_)第 \(position + 1) 个字符是 \(code(scalar))（\(kind(scalar))），不能记入账簿；请删去该字符后重新提交")
    }

    /// The first forbidden scalar and its 0-based position among the text's scalars, or nil.
    public static func firstForbidden(in text: String, allowTab: Bool) -> (Unicode.Scalar, Int)? {
        // Fast path over the UTF-8 bytes: every forbidden scalar is an ASCII control, or starts
        // with one of the lead bytes C2 (U+0080–U+00BF), D8 (U+061C), E2 (U+2000–U+2FFF) or EF
        // (U+F000–U+FFFF). Text without those (most CJK text) needs no scalar walk.
        var text = text
        let suspicious = text.withUTF8 { bytes -> Bool in
            for byte in bytes {
                if byte < 0x20 {
                    if byte == 0x09 && allowTab { continue }
                    return true
                }
                if byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF { return true }
            }
            return false
        }
        guard suspicious else { return nil }
        for (position, scalar) in text.unicodeScalars.enumerated() where isForbidden(scalar, allowTab: allowTab) {
            return (scalar, position)
        }
        return nil
    }

    public static func isForbidden(_ scalar: Unicode.Scalar, allowTab: Bool) -> Bool {
        switch scalar.value {
        case 0x09: return !allowTab
        case 0x00...0x1F, 0x7F...0x9F, 0xAD: return true
        case 0x061C: return true
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069: return true
        case 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// "U+0000"
    public static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func kind(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: return "制表符，此字段不允许"
        case 0x00...0x1F, 0x7F...0x9F: return "控制字符"
        case 0xFFFD: return "替换字符，多为文件编码有误或字节损坏"
        case 0xFFFE, 0xFFFF: return "非字符"
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return "双向文本控制符"
        case 0x2028, 0x2029: return "行或段落分隔符"
        default: return "不可见的零宽或格式字符"
        }
    }
}

/// People's names (制单人, 审核人, 记账人, the `--user` of the log, who explained and who
/// decided a finding) as people read them. Two spellings that a reader takes for the same
/// person must not pass a same-person rule as two people.
public enum PersonName {
    /// The form stored: Unicode NFC, full-width ASCII (Ｚ, ０, ！) folded to half-width, every
    /// white space (the ideographic space U+3000 and no-break spaces included) made a plain
    /// space, runs of spaces made one, and trimmed. Forbidden characters (`TextField`) are left
    /// for the validator to refuse, not removed.
    public static func normalized(_ name: String) -> String {
        isAlreadyNormal(name) ? name : normalizedFully(name)
    }

    /// `normalized` without the shortcut for names already normal (the tests compare the two).
    static func normalizedFully(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in name.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isWhitespaceFast && !TextField.isForbidden(scalar, allowTab: false) {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace { scalars.append(" ") }
            pendingSpace = false
            if (0xFF01...0xFF5E).contains(scalar.value), let half = Unicode.Scalar(scalar.value - 0xFEE0) {
                scalars.append(half)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// What two names are compared by: `normalized`, lower-cased, and Traditional Chinese
    /// characters mapped to Simplified (周麗 → 周丽) where the platform's ICU transform
    /// "Hant-Hans" is available (it is in swift-corelibs-foundation on Linux). For comparison
    /// only: the stored name keeps the characters as written.
    public static func comparisonKey(_ name: String) -> String {
        // Only names a record could hold are remembered (the web desk's forms pass anything).
        guard name.utf8.count <= 4 * Limits.nameLengthMax else { return freshComparisonKey(name) }
        if let key = knownKeys.withLock({ $0[name] }) { return key }
        let key = freshComparisonKey(name)
        knownKeys.withLock { keys in
            if keys.count >= knownKeysMax { keys.removeAll(keepingCapacity: true) }
            keys[name] = key
        }
        return key
    }

    /// `comparisonKey` worked out afresh (the tests compare the two).
    static func freshComparisonKey(_ name: String) -> String {
        let folded = normalized(name).lowercased()
        if folded.utf8.allSatisfy({ $0 < 0x80 }) { return folded }
        return folded.applyingTransform(StringTransform("Hant-Hans"), reverse: false) ?? folded
    }

    /// The keys of names seen lately. A book names a handful of people thousands of times (制单,
    /// 审核 on every voucher of an import), and the ICU transform cost more than posting the
    /// voucher; the key depends on the name alone, so remembering it changes no answer.
    private static let knownKeys = LockedDictionary()
    static let knownKeysMax = 4096

    /// Whether two non-empty names name the same person as a reader sees them.
    public static func samePerson(_ first: String, _ second: String) -> Bool {
        if first == second { return !first.isBlankFast }
        let a = comparisonKey(first)
        return !a.isEmpty && a == comparisonKey(second)
    }

    /// Whether Traditional → Simplified folding works on this platform.
    public static var foldsTraditionalChinese: Bool {
        "周麗".applyingTransform(StringTransform("Hant-Hans"), reverse: false) == "周丽"
    }

    /// Printable ASCII and CJK Unified Ideographs (U+4E00–U+9FFF) without leading, trailing or
    /// doubled spaces: already normal. No scalar of either range decomposes, composes with
    /// another of them, is full-width or is white space other than the plain space, so
    /// `normalized` would return such a name unchanged; most names (李会计, Wang Li) are such.
    static func isAlreadyNormal(_ name: String) -> Bool {
        var previousSpace = true
        for scalar in name.unicodeScalars {
            let value = scalar.value
            if value >= 0x4E00 && value <= 0x9FFF {
                previousSpace = false
                continue
            }
            guard value >= 0x20 && value < 0x7F else { return false }
            let space = value == 0x20
            if space && previousSpace { return false }
            previousSpace = space
        }
        return !previousSpace || name.isEmpty
    }
}

/// A dictionary behind a lock (`NSLock`: `Synchronization.Mutex` needs macOS 15, and the
/// package builds for macOS 14).
final class LockedDictionary: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: String] = [:]

    func withLock<Result>(_ body: (inout [String: String]) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&entries)
    }
}
