import Foundation

/// A file sent with a form (`multipart/form-data`).
struct Upload: Sendable {
    let fileName: String
    let data: Data
}

/// Reads a `multipart/form-data` body (RFC 7578): its text fields and its files. Only what a
/// browser sends from our own forms is understood; anything else yields no fields, and the
/// guard's CSRF check then refuses the request. The parse is linear in the body (KMP), takes at most `partsMax` parts with headers of at most `headerBytesMax`, and the
/// guard reads a multipart body only for a signed-in session.
enum Multipart {
    static let partsMax = 64
    static let headerBytesMax = 8 * 1024

    /// The boundary named in a Content-Type, if it is multipart/form-data.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                var value = String(trimmed.dropFirst("boundary=".count))
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                // RFC 2046: 1 to 70 characters.
                return value.isEmpty || value.utf8.count > 70 ? nil : value
            }
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) -> (fields: [String: String], files: [String: Upload]) {
        var fields: [String: String] = [:]
        var files: [String: Upload] = [:]
        let opening = Array("--\(boundary)".utf8)
        // Every later delimiter follows the CRLF that ends the part before it.
        let delimiter = Array("\r\n--\(boundary)".utf8)
        let delimiters = Searcher(delimiter)
        guard body.count >= opening.count, Array(body[0..<opening.count]) == opening else { return ([:], [:]) }
        var position = opening.count
        var parts = 0
        while parts < partsMax {
            // After a delimiter: "--" closes the body; CRLF opens a part.
            guard position + 2 <= body.count else { break }
            if body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { break }
            guard body[position] == 13, body[position + 1] == 10 else { break }
            let partStart = position + 2
            // A delimiter is followed by CRLF (another part) or "--" (the end); the same bytes
            // followed by anything else are content.
            var searchFrom = partStart
            var found: Int? = nil
            while let candidate = delimiters.find(in: body, from: searchFrom, to: body.count) {
                let after = candidate + delimiter.count
                if after + 2 <= body.count, (body[after] == 13 && body[after + 1] == 10) || (body[after] == 45 && body[after + 1] == 45) {
                    found = candidate
                    break
                }
                searchFrom = candidate + 1
            }
            guard let partEnd = found else { break }
            parts += 1
            position = partEnd + delimiter.count
            let headerLimit = min(partEnd, partStart + headerBytesMax)
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: partStart, to: headerLimit), headerEnd + 4 <= partEnd else { continue }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            var name: String? = nil
            var fileName: String? = nil
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: line)
                fileName = parameter("filename", in: line)
            }
            guard let name, !name.isEmpty else { continue }
            let content = body[(headerEnd + 4)..<partEnd]
            if let fileName {
                if files[name] == nil, !fileName.isEmpty { files[name] = Upload(fileName: fileName, data: Data(content)) }
            } else if fields[name] == nil {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return (fields, files)
    }

    /// `name="value"` in a Content-Disposition line (browsers send UTF-8 file names quoted,
    /// with `"` as %22).
    static func parameter(_ key: String, in line: String) -> String? {
        let pattern = "; \(key)=\""
        guard let range = line.range(of: pattern) else { return nil }
        let rest = line[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close]).replacingOccurrences(of: "%22", with: "\"")
    }

    /// The first place of `needle` in `haystack[start..<end]`, in linear time (Knuth–Morris–Pratt:
    /// no byte of the body is compared more than twice, whatever it holds).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, to end: Int) -> Int? {
        Searcher(needle).find(in: haystack, from: start, to: end)
    }

    struct Searcher {
        let needle: [UInt8]
        let failure: [Int]

        init(_ needle: [UInt8]) {
            self.needle = needle
            var failure = [Int](repeating: 0, count: needle.count)
            var k = 0
            var index = 1
            while index < needle.count {
                while k > 0 && needle[index] != needle[k] { k = failure[k - 1] }
                if needle[index] == needle[k] { k += 1 }
                failure[index] = k
                index += 1
            }
            self.failure = failure
        }

        func find(in haystack: [UInt8], from start: Int, to end: Int) -> Int? {
            guard start >= 0, end <= haystack.count, end - start >= needle.count, !needle.isEmpty else { return nil }
            var matched = 0
            var index = start
            while index < end {
                let byte = haystack[index]
                while matched > 0 && byte != needle[matched] { matched = failure[matched - 1] }
                if byte == needle[matched] { matched += 1 }
                if matched == needle.count { return index - needle.count + 1 }
                index += 1
            }
            return nil
        }
    }
}
