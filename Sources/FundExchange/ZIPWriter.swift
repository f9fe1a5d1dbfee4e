import CDeflate
import FundCore
import Foundation

/// Writes a ZIP archive whose bytes depend only on its entries: entries in the order given,
/// every entry dated the same fixed day, UTF-8 names, regular files with mode 0644, text
/// deflated (raw deflate, zlib's CRC-32) and already-compressed formats stored. No ZIP64: an
/// entry or archive over 4 GiB is refused.
public struct ZIPWriter {
    public struct Entry: Sendable {
        public let path: String
        public let data: Data
        /// Stored as is (PDF, XLSX, images: deflating them again costs time and saves nothing).
        public let stored: Bool

        public init(path: String, data: Data, stored: Bool) {
            self.path = path
            self.data = data
            self.stored = stored
        }
    }

    /// MS-DOS date and time of every entry: 2020-01-01 00:00:00.
    static let dosDate: UInt16 = (2020 - 1980) << 9 | 1 << 5 | 1
    static let dosTime: UInt16 = 0

    /// An entry ready to be written: CRC-32 and the stored or deflated bytes. Entries can be
    /// prepared on any thread (the audit package prepares each file where it was made).
    public struct Prepared: Sendable {
        public let path: String
        let size: Int
        let crc: UInt32
        let method: UInt16
        let body: [UInt8]
    }

    public static func prepare(_ entry: Entry) throws -> Prepared {
        let crc = entry.data.withUnsafeBytes { bytes in
            UInt32(crc32(0, bytes.bindMemory(to: UInt8.self).baseAddress, UInt32(bytes.count)))
        }
        guard entry.data.count < Int(UInt32.max) else { throw ZIPError("\(entry.path) 超过 4 GiB，ZIP 不能写入") }
        if entry.stored { return Prepared(path: entry.path, size: entry.data.count, crc: crc, method: 0, body: Array(entry.data)) }
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                             Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw ZIPError("zlib 初始化失败") }
        defer { deflateEnd(&stream) }
        return Prepared(path: entry.path, size: entry.data.count, crc: crc, method: 8, body: try deflate(entry.data, &stream))
    }

    public static func archive(_ entries: [Entry]) throws -> Data {
        try archive(prepared: entries.map(prepare))
    }

    /// The archive of prepared entries, in the order given.
    public static func archive(prepared entries: [Prepared]) throws -> Data {
        var output = [UInt8]()
        output.reserveCapacity(entries.reduce(0) { $0 + $1.body.count } + entries.count * 128 + 64)
        var central = [UInt8]()
        for entry in entries {
            let name = Array(entry.path.utf8)
            let body = entry.body
            guard body.count < Int(UInt32.max), output.count < Int(UInt32.max), name.count < 0xFFFF else {
                throw ZIPError("\(entry.path) 超过 4 GiB，ZIP 不能写入")
            }
            let offset = UInt32(output.count)
            let method = entry.method
            let crc = entry.crc
            // Local file header, then its central directory record: both repeat the entry's
            // fields from "version needed" to the name's length.
            func fields(_ bytes: inout [UInt8]) {
                bytes.le16(20)  // version needed: 2.0
                bytes.le16(0x0800)  // names are UTF-8
                bytes.le16(method)
                bytes.le16(dosTime)
                bytes.le16(dosDate)
                bytes.le32(crc)
                bytes.le32(UInt32(body.count))
                bytes.le32(UInt32(entry.size))
                bytes.le16(UInt16(name.count))
            }
            output.le32(0x0403_4B50)
            fields(&output)
            output.le16(0)
            output.append(contentsOf: name)
            output.append(contentsOf: body)
            central.le32(0x0201_4B50)
            central.le16(3 << 8 | 20)  // made by: Unix, 2.0
            fields(&central)
            central.le16(0)  // extra
            central.le16(0)  // comment
            central.le16(0)  // disk
            central.le16(0)  // internal attributes
            central.le32(UInt32(0o100644) << 16)  // regular file, rw-r--r--
            central.le32(offset)
            central.append(contentsOf: name)
        }
        guard entries.count < 0xFFFF, output.count + central.count < Int(UInt32.max) else { throw ZIPError("ZIP 过大（超过 4 GiB 或 65535 个文件）") }
        let centralOffset = UInt32(output.count)
        output.append(contentsOf: central)
        // End of central directory.
        output.le32(0x0605_4B50)
        output.le16(0)
        output.le16(0)
        output.le16(UInt16(entries.count))
        output.le16(UInt16(entries.count))
        output.le32(UInt32(central.count))
        output.le32(centralOffset)
        output.le16(0)
        return Data(output)
    }

    private static func deflate(_ data: Data, _ stream: inout z_stream) throws -> [UInt8] {
        guard deflateReset(&stream) == Z_OK else { throw ZIPError("zlib 复位失败") }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 16)
        let status: Int32 = data.withUnsafeBytes { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: UInt8.self).baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return CDeflate.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ZIPError("zlib 压缩失败（\(status)）") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}

public struct ZIPError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}

extension [UInt8] {
    fileprivate mutating func le16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    fileprivate mutating func le32(_ value: UInt32) {
        for shift in [0, 8, 16, 24] as [UInt32] { append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
