import FundCore
import FundRender

/// Markup that is safe to send: string literals in Swift source are trusted markup, and
/// everything interpolated into them is escaped unless it is itself `HTML`. There is no way to
/// turn a `String` from a request or the books into `HTML` without escaping it, except
/// `HTML(trusted:)`, which only takes what our own renderers escaped already.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var raw: String

    init(stringLiteral value: String) { raw = value }

    init(stringInterpolation: StringInterpolation) { raw = stringInterpolation.raw }

    /// Markup our renderers built and escaped (HTMLRenderer's fragments).
    init(trusted raw: String) { self.raw = raw }

    static let empty = HTML(trusted: "")

    var description: String { raw }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.raw + rhs.raw) }

    struct StringInterpolation: StringInterpolationProtocol {
        var raw = ""

        init(literalCapacity: Int, interpolationCount: Int) { raw.reserveCapacity(literalCapacity + interpolationCount * 16) }

        mutating func appendLiteral(_ literal: String) { raw += literal }

        mutating func appendInterpolation(_ text: String) { raw += HTML.escape(text) }

        mutating func appendInterpolation(_ text: Substring) { raw += HTML.escape(String(text)) }

        mutating func appendInterpolation(_ html: HTML) { raw += html.raw }

        mutating func appendInterpolation(_ list: [HTML]) { for item in list { raw += item.raw } }

        mutating func appendInterpolation(_ number: Int) { raw += String(number) }

        mutating func appendInterpolation(_ number: Int64) { raw += String(number) }

        mutating func appendInterpolation(_ money: Money) { raw += HTML.escape(money.groupedString) }

        mutating func appendInterpolation(_ date: CalendarDate) { raw += date.iso }
    }

    static func escape(_ text: String) -> String { HTMLRenderer.escape(text) }
}

/// Addresses: path segments and query values percent-encoded, so a studio code or a search
/// text can never break out of its place in a link.
enum Address {
    static func studio(_ code: String, _ rest: String...) -> String {
        "/studios/" + encode(code) + rest.map { "/" + encode($0) }.joined()
    }

    static func with(_ path: String, query: [(String, String?)]) -> String {
        let parts = query.compactMap { key, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return encode(key) + "=" + encode(value)
        }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// Decodes `application/x-www-form-urlencoded` text ("+" is a space).
    static func decodeForm(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(String(parts[0]))
            let value = parts.count > 1 ? decode(String(parts[1])) : ""
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }

    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A `next` address after login: only a path on this site ("/…", never "//host" or a scheme).
    /// Browsers drop tabs and newlines from a URL and read "\\" as "/", so "/\t/evil" or "/\\evil"
    /// would become "//evil": any control character, space or backslash, and any second "/" at
    /// the start, sends the user home instead.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
            !next.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" })
        else { return "/" }
        return next
    }
}

/// What the tests check of the desk's internals.
public enum FundWebTesting {
    /// Where a login goes after `next` (see `Address.safeNext`).
    public static func safeNext(_ next: String?) -> String { Address.safeNext(next) }

    /// The fields and the files' names and sizes a multipart body yields (see `Multipart`).
    public static func multipart(_ body: [UInt8], boundary: String) -> (fields: [String: String], files: [String: (name: String, size: Int)]) {
        let (fields, files) = Multipart.parse(body, boundary: boundary)
        return (fields, files.mapValues { ($0.fileName, $0.data.count) })
    }
}
