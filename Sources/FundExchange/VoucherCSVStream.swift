import FundCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Reading a voucher file in pieces: the bytes come in chunks (a file read 1 MB at a time, or
// one chunk holding a whole upload), are turned into UTF-8 if the file is GB18030, and are cut
// into CSV records one at a time. Only the chunk being cut and the record being built are held.

/// UTF-8 bytes in chunks, in file order; nil at the end.
protocol UTF8Chunks {
    mutating func next() throws(Rejection) -> [UInt8]?
}

/// One chunk holding all the bytes (an upload, a test's text).
struct WholeText: UTF8Chunks {
    var bytes: [UInt8]?
    mutating func next() throws(Rejection) -> [UInt8]? {
        defer { bytes = nil }
        return bytes
    }
}

/// A voucher file on disk, read in fixed-size chunks and never held whole.
///
/// The encoding is decided the way `TextEncoding.decode` decides it for bytes in memory: a
/// UTF-8 BOM is dropped; bytes that are valid UTF-8 throughout are UTF-8; anything else is
/// GB18030 if iconv converts every byte, else the file is refused (I001). Deciding needs the
/// whole file (its first megabyte may be valid UTF-8 and a later byte not), so `open` first
/// reads it through once, chunk by chunk, keeping nothing but the verdict; the reading pass
/// then converts GB18030 chunk by chunk.
public struct VoucherFileSource {
    public let path: String
    public let encoding: TextEncoding
    /// Bytes read at a time (1 MB; tests use a few bytes, to cut records and characters).
    let chunkSize: Int

    /// Opens and checks the file's encoding; throws I001 when it is neither UTF-8 nor GB18030.
    public init(path: String, file: String) throws {
        try self.init(path: path, file: file, chunkSize: 1 << 20)
    }

    init(path: String, file: String, chunkSize: Int) throws {
        self.path = path
        self.chunkSize = chunkSize
        if try Self.scan(path: path, chunkSize: chunkSize, { chunk, final, carry in Self.validUTF8(chunk, final: final, carry: &carry) }) {
            encoding = .utf8
        } else if try Self.scan(path: path, chunkSize: chunkSize, { chunk, final, carry in
            var converter = GB18030Converter()
            return converter.convert(chunk, final: final, carry: &carry) != nil
        }) {
            encoding = .gb18030
        } else {
            throw RejectionList(items: [
                LocatedRejection(file: file, line: nil, rejection: Rejection(.importEncoding, "文件既不是 UTF-8 也不是 GB18030 编码的文本"))
            ])
        }
    }

    /// Reads the file chunk by chunk through `check` (given the chunk, whether it is the last,
    /// and the bytes of an unfinished character the previous chunk left); false at the first
    /// chunk `check` refuses.
    static func scan(path: String, chunkSize: Int, _ check: ([UInt8], Bool, inout [UInt8]) -> Bool) throws -> Bool {
        var reader = try ChunkReader(path: path, size: chunkSize)
        var carry: [UInt8] = []
        var first = true
        while let (chunk, final) = try reader.next() {
            var bytes = chunk
            if first, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            first = false
            if !check(bytes, final, &carry) { return false }
            if final { break }
        }
        return carry.isEmpty
    }

    /// Whether `chunk` (after `carry`) is valid UTF-8 up to its last ASCII byte; the rest waits
    /// in `carry` for the next chunk (an ASCII byte is never inside a multi-byte character).
    static func validUTF8(_ chunk: [UInt8], final: Bool, carry: inout [UInt8]) -> Bool {
        let bytes = carry + chunk
        let cut = final ? bytes.count : (bytes.lastIndex(where: { $0 < 0x80 }).map { $0 + 1 } ?? 0)
        carry = Array(bytes[cut...])
        return bytes.withUnsafeBufferPointer { buffer in
            String(validating: UnsafeBufferPointer(rebasing: buffer[..<cut]), as: UTF8.self) != nil
        }
    }

    func chunks() throws -> FileChunks {
        FileChunks(reader: try ChunkReader(path: path, size: chunkSize), encoding: encoding)
    }
}

/// The file's chunks as UTF-8, the BOM dropped.
struct FileChunks: UTF8Chunks {
    var reader: ChunkReader
    let encoding: TextEncoding
    var first = true
    var carry: [UInt8] = []
    var converter = GB18030Converter()
    var done = false

    mutating func next() throws(Rejection) -> [UInt8]? {
        guard !done else { return nil }
        let read: ([UInt8], Bool)?
        do { read = try reader.next() } catch {
            throw Rejection(.importEncoding, "读取文件失败：\(error)")
        }
        guard let (chunk, final) = read else { done = true; return nil }
        if final { done = true }
        var bytes = chunk
        let opening = first
        if first, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        first = false
        if encoding == .gb18030 {
            guard let converted = converter.convert(bytes, final: final, carry: &carry) else {
                throw Rejection(.importEncoding, "文件既不是 UTF-8 也不是 GB18030 编码的文本")
            }
            bytes = converted
        }
        // The decoded text loses one more U+FEFF at its start (`strippingBOM`), as in memory.
        if opening, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes
    }
}

/// Reads a file `size` bytes at a time; each chunk comes with whether it is the last.
struct ChunkReader {
    let handle: FileHandle
    let size: Int
    var pending: Data?

    init(path: String, size: Int) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        self.size = size
    }

    mutating func next() throws -> ([UInt8], Bool)? {
        let current: Data
        if let pending { current = pending } else {
            guard let data = try handle.read(upToCount: size), !data.isEmpty else { return nil }
            current = data
        }
        // One chunk ahead, so the reader knows which chunk is the last.
        let following = try handle.read(upToCount: size)
        pending = following?.isEmpty == false ? following : nil
        if pending == nil { try? handle.close() }
        return ([UInt8](current), pending == nil)
    }
}

/// GB18030 to UTF-8 over chunks: a character cut by the chunk's end waits for the next one.
struct GB18030Converter {
    /// The chunk converted, or nil when a byte sequence is not GB18030.
    mutating func convert(_ chunk: [UInt8], final: Bool, carry: inout [UInt8]) -> [UInt8]? {
        let input = carry + chunk
        carry = []
        if input.isEmpty { return [] }
        let handle = iconv_open("UTF-8", "GB18030")
        guard handle != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(handle) }
        var failed = false
        var left = 0
        let output = [UInt8](unsafeUninitializedCapacity: input.count * 4 + 16) { outputBuffer, count in
            input.withUnsafeBufferPointer { sourceBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: sourceBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = sourceBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outputBuffer.count
                let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                // EINVAL: an incomplete sequence at the end, completed by the next chunk.
                failed = result == -1 && !(errno == EINVAL && !final && inLeft <= 4)
                left = inLeft
                count = failed ? 0 : outputBuffer.count - outLeft
            }
        }
        if failed { return nil }
        if left > 0 {
            if final { return nil }
            carry = Array(input[(input.count - left)...])
        }
        return output
    }
}

/// CSV records cut from UTF-8 chunks, exactly as `CSVText.parse` cuts the whole text: the
/// same grammar, the same blank-line rule, the same line numbers and the same messages. A
/// record cut by a chunk's end is read again from its start once the next chunk is appended.
struct CSVRecordStream<Source: UTF8Chunks> {
    static var quote: UInt8 { UInt8(ascii: "\"") }
    static var comma: UInt8 { UInt8(ascii: ",") }
    static var cr: UInt8 { UInt8(ascii: "\r") }
    static var lf: UInt8 { UInt8(ascii: "\n") }

    var source: Source
    var buffer: [UInt8] = []
    var start = 0
    var final = false
    /// The line the next record starts on.
    var line = 1
    var started = false

    init(_ source: Source) { self.source = source }

    /// The next record, or nil at the end of the text.
    mutating func next() throws(Rejection) -> CSVRecord? {
        while true {
            if !started {
                started = true
                try refill()
            }
            if start >= buffer.count {
                if final { return nil }
                try refill()
                continue
            }
            let outcome = try buffer.withUnsafeBufferPointer { bytes throws(Rejection) in
                try Self.record(bytes, from: start, line: line, final: final)
            }
            switch outcome {
            case .needMore:
                try refill()
            case .record(let fields, let end, let nextLine):
                let recordLine = line
                start = end
                line = nextLine
                if let fields { return CSVRecord(line: recordLine, fields: fields) }
            }
        }
    }

    mutating func refill() throws(Rejection) {
        if final { return }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        if let chunk = try source.next() {
            if buffer.isEmpty { buffer = chunk } else { buffer.append(contentsOf: chunk) }
        } else {
            final = true
        }
    }

    enum Outcome {
        /// `fields` nil for a blank record (skipped); `end` is where the next record starts.
        case record(fields: [String]?, end: Int, nextLine: Int)
        case needMore
    }

    /// Reads one record from `position`; `.needMore` when the bytes end inside it and more
    /// may follow.
    static func record(_ bytes: UnsafeBufferPointer<UInt8>, from begin: Int, line startLine: Int, final: Bool) throws(Rejection) -> Outcome {
        var position = begin
        var line = startLine
        var fields: [String] = []
        let count = bytes.count
        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        while true {
            // One field, leaving `position` on its terminator (or at the end).
            if position < count, bytes[position] == quote {
                position += 1
                var fieldStart = position
                var unescaped: [UInt8]? = nil
                while true {
                    guard position < count else {
                        if !final { return .needMore }
                        throw Rejection(.importQuoting, "第 \(startLine) 行起的引号没有闭合")
                    }
                    let byte = bytes[position]
                    if byte == lf { line += 1 }
                    guard byte == quote else { position += 1; continue }
                    if position + 1 < count, bytes[position + 1] == quote {
                        if unescaped == nil { unescaped = [] }
                        unescaped!.append(contentsOf: bytes[fieldStart...position])
                        position += 2
                        fieldStart = position
                        continue
                    }
                    if position + 1 >= count && !final { return .needMore }
                    break
                }
                let value: String
                if let unescaped {
                    value = String(decoding: unescaped + bytes[fieldStart..<position], as: UTF8.self)
                } else {
                    value = string(fieldStart..<position)
                }
                position += 1
                if position < count {
                    let next = bytes[position]
                    if next != comma && next != cr && next != lf {
                        throw Rejection(.importQuoting, "第 \(line) 行：引号字段结束后不能再跟其他字符")
                    }
                }
                fields.append(value)
            } else {
                let fieldStart = position
                while position < count {
                    let byte = bytes[position]
                    if byte == comma || byte == cr || byte == lf { break }
                    if byte == quote {
                        throw Rejection(.importQuoting, "第 \(line) 行：引号只能出现在字段开头（字段内的引号需写成两个）")
                    }
                    position += 1
                }
                if position >= count && !final { return .needMore }
                fields.append(string(fieldStart..<position))
            }
            guard position < count else {
                // The end of the text ends the record.
                return .record(fields: fields.allSatisfy(\.isEmpty) ? nil : fields, end: position, nextLine: line)
            }
            let terminator = bytes[position]
            position += 1
            if terminator == comma {
                if position == count {
                    if !final { return .needMore }
                    fields.append("")
                    return .record(fields: fields.allSatisfy(\.isEmpty) ? nil : fields, end: position, nextLine: line)
                }
                continue
            }
            if terminator == cr {
                if position == count && !final { return .needMore }
                if position < count, bytes[position] == lf { position += 1 }
            }
            return .record(fields: fields.allSatisfy(\.isEmpty) ? nil : fields, end: position, nextLine: line + 1)
        }
    }
}
