import Foundation

/// A file sent with a form (`multipart/form-data`).
struct Upload: Sendable {
    let fileName: String
    let data: Data
}

/// Reads a `multipart/form-data` body (RFC 7578): its text fields and its files. Only what a
/// browser sends from our own forms is understood; anything else yields no fields, and the
/// guard's CSRF check then refuses the request.
enum Multipart {
    /// The boundary named in a Content-Type, if it is multipart/form-data.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                var value = String(trimmed.dropFirst("boundary=".count))
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) -> (fields: [String: String], files: [String: Upload]) {
        var fields: [String: String] = [:]
        var files: [String: Upload] = [:]
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        var starts: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { return ([:], [:]) }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var partStart = start + delimiter.count
            guard partStart + 2 <= body.count, Array(body[partStart..<partStart + 2]) == crlf else { continue }
            partStart += 2
            // The part ends with CRLF before the next delimiter.
            let partEnd = end - 2
            guard partEnd >= partStart, let headerEnd = find([13, 10, 13, 10], in: body, from: partStart), headerEnd <= partEnd else { continue }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            let content = Data(body[(headerEnd + 4)..<partEnd])
            var name: String? = nil
            var fileName: String? = nil
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: line)
                fileName = parameter("filename", in: line)
            }
            guard let name, !name.isEmpty else { continue }
            if let fileName {
                if files[name] == nil, !fileName.isEmpty { files[name] = Upload(fileName: fileName, data: content) }
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

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matches = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return index }
            }
            index += 1
        }
        return nil
    }
}
