import Foundation
import FundTestSupport
import Testing

@testable import FundExchange

/// The audit package's ZIP, read back by clients that are not ours: Python's zipfile (CRC-32
/// checked on every read) and Info-ZIP's `unzip -t`.
@Suite("ZIP writer, read back with Python and unzip")
struct ZIPWriterTests {
    static let entries: [ZIPWriter.Entry] = [
        .init(path: "README.txt", data: Data(String(repeating: "审计资料包 README\n", count: 200).utf8), stored: false),
        .init(path: "报表/01-专项资金收支情况表.pdf", data: Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }), stored: true),
        .init(path: "数据/空文件.csv", data: Data(), stored: false),
        .init(path: "数据/AO/GB18030/凭证库.csv", data: TextEncoding.encode("凭证日期,摘要\r\n2025-11-03,购置数控机床\r\n", as: .gb18030), stored: false),
    ]

    @Test("Python reads every entry back byte for byte, with the method, date and mode written")
    func python() throws {
        let archive = try ZIPWriter.archive(Self.entries)
        let url = try ExternalTool.temporaryFile(archive, extension: "zip")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import sys, zipfile, hashlib, json
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            out = []
            for info in z.infolist():
                data = z.read(info)
                out.append([info.filename, info.compress_type, list(info.date_time), info.external_attr >> 16, info.flag_bits & 0x800,
                            hashlib.sha256(data).hexdigest(), len(data)])
            print(json.dumps(out, ensure_ascii=False))
            """
        let output = try ExternalTool.python(script, [url.path])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[Any]])
        #expect(rows.count == Self.entries.count)
        for (row, entry) in zip(rows, Self.entries) {
            #expect(row[0] as? String == entry.path)
            #expect(row[1] as? Int == (entry.stored ? 0 : 8), "\(entry.path): stored or deflated")
            #expect(row[2] as? [Int] == [2020, 1, 1, 0, 0, 0])
            #expect(row[3] as? Int == 0o100644)
            #expect(row[4] as? Int == 0x800, "UTF-8 name flag")
            #expect(row[5] as? String == Self.sha256(entry.data))
            #expect(row[6] as? Int == entry.data.count)
        }
    }

    @Test("unzip -t finds no error; the same entries give the same bytes; text is compressed")
    func unzipAndDeterminism() throws {
        let zip = try ZIPWriter.archive(Self.entries)
        #expect(try ZIPWriter.archive(Self.entries) == zip)
        #expect(zip.count < Self.entries.reduce(0) { $0 + $1.data.count })
        let url = try ExternalTool.temporaryFile(zip, extension: "zip")
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try ExternalTool.run("unzip", ["-t", url.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("No errors detected"))
    }

    @Test("one changed byte in a stored entry fails its CRC-32 in Python")
    func corruption() throws {
        var zip = try ZIPWriter.archive(Self.entries)
        // The stored PDF starts after the first entry's header and deflated data; flip a byte
        // in the middle of the archive's largest stored run.
        let marker = Data("报表/01-专项资金收支情况表.pdf".utf8)
        let nameRange = try #require(zip.range(of: marker))
        zip[nameRange.upperBound + 100] ^= 0xFF
        let url = try ExternalTool.temporaryFile(zip, extension: "zip")
        defer { try? FileManager.default.removeItem(at: url) }
        let output = try ExternalTool.python("import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).testzip())", [url.path])
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "报表/01-专项资金收支情况表.pdf")
    }

    static func sha256(_ data: Data) -> String {
        let output = try? ExternalTool.run("sha256sum", [], input: data)
        return output.map { String($0.stdout.prefix(64)) } ?? ""
    }
}
