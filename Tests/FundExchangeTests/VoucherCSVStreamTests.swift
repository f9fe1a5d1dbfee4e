import Foundation
import FundCore
import Testing

@testable import FundExchange

/// UTF-8 bytes handed over `size` bytes at a time.
struct SmallChunks: UTF8Chunks {
    var bytes: [UInt8]
    let size: Int
    var position = 0

    mutating func next() throws(Rejection) -> [UInt8]? {
        guard position < bytes.count else { return nil }
        let end = min(position + size, bytes.count)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

/// The outcome of reading a file, comparable: the vouchers, or the errors as printed.
enum ReadOutcome: Equatable {
    case vouchers([ImportedVoucher])
    case errors([String], truncated: Bool)

    init(_ body: () throws -> [ImportedVoucher]) {
        do { self = .vouchers(try body()) } catch let list as RejectionList {
            self = .errors(list.items.map(\.description), truncated: list.truncated)
        } catch {
            self = .errors(["\(error)"], truncated: false)
        }
    }
}

@Suite("Voucher CSV read in chunks")
struct VoucherCSVStreamTests {
    static let texts = [
        "a,b,c\n1,2,3\n",
        "a,b\r\n1,2\r\n\r\n3,4",
        "a,\"b\nc\",d\n\"x\"\"y\",,\n,,\n\"\"\n",
        "日期,摘要\n2025-11-05,\"收到\"\"补助\"\"资金，第一笔\"\n2025-11-06,购置\r\n",
        "a,b\n1,\"unclosed\n2,3\n",
        "a,b\n1,x\"y\n",
        "a,b\n\"q\"z,1\n",
        "a,b,\n1,2,",
        "\n\n,\n",
        "a\r",
        "",
    ]

    func records(_ text: String, size: Int) -> Result<[CSVRecord], Rejection> {
        var stream = CSVRecordStream(SmallChunks(bytes: Array(text.utf8), size: size))
        var all: [CSVRecord] = []
        do throws(Rejection) {
            while let record = try stream.next() { all.append(record) }
            return .success(all)
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: texts)
    func recordsAreCutAsTheWholeTextParserCutsThem(_ text: String) {
        let whole: Result<[CSVRecord], Rejection>
        do throws(Rejection) { whole = .success(try CSVText.parse(text)) } catch { whole = .failure(error) }
        for size in [1, 2, 3, 5, 8, 1000] {
            let chunked = records(text, size: size)
            switch (whole, chunked) {
            case (.success(let a), .success(let b)): #expect(a == b, "chunks of \(size)")
            case (.failure(let a), .failure(let b)): #expect(a.message == b.message && a.code == b.code, "chunks of \(size)")
            default: Issue.record("chunks of \(size): \(whole) against \(chunked)")
            }
        }
    }

    static let fixtureNames: [String] = {
        let folder = packageRoot.appendingPathComponent("Fixtures/bad")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted()
    }()

    /// Every fixture, good or bad, read from disk in chunks as small as 7 bytes (cutting
    /// records and GB18030 and UTF-8 characters) gives what reading it from memory gives.
    @Test(arguments: fixtureNames)
    func fileReadInChunksEqualsTheFileReadWhole(_ name: String) throws {
        let url = packageRoot.appendingPathComponent("Fixtures/bad").appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        let whole = ReadOutcome { try reader().read(data) }
        for size in [7, 64, 1 << 20] {
            let streamed = ReadOutcome {
                let source = try VoucherFileSource(path: url.path, file: Fixture.file, chunkSize: size)
                var vouchers: [ImportedVoucher] = []
                try reader().stream(file: source) { voucher, _ in vouchers.append(voucher) }
                return vouchers
            }
            #expect(streamed == whole, "\(name) in chunks of \(size)")
        }
    }

    @Test func aLateByteThatIsNotUTF8MakesTheWholeFileGB18030() throws {
        // The first chunks are ASCII (valid UTF-8); a GB18030 memo comes much later.
        var text = "日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,制单人\n"
        for number in 1...40 {
            text += "2025-11-05,记,\(number),收到补助资金,100201,补助资金,10.00,,李会计\n"
            text += "2025-11-05,记,\(number),收到补助资金,400101,补助资金,,10.00,李会计\n"
        }
        let bytes = TextEncoding.encode(text, as: .gb18030)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("late-gb-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try bytes.write(to: url)
        let source = try VoucherFileSource(path: url.path, file: Fixture.file, chunkSize: 64)
        #expect(source.encoding == .gb18030)
        var vouchers: [ImportedVoucher] = []
        try reader().stream(file: source) { voucher, _ in vouchers.append(voucher) }
        #expect(vouchers == (try reader().read(bytes)))
        #expect(vouchers.count == 40)
    }

    @Test func bytesThatAreNeitherEncodingAreRefusedBeforeReading() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-bytes-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("日期,摘要\n".utf8 + [0xFF, 0xFF, 0xFF, 0x0A]).write(to: url)
        #expect(throws: RejectionList.self) { _ = try VoucherFileSource(path: url.path, file: Fixture.file, chunkSize: 4) }
        #expect(throws: RejectionList.self) { _ = try reader().read(try Data(contentsOf: url)) }
    }
}
