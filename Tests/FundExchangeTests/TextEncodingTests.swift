import Foundation
import FundCore
import Testing

@testable import FundExchange

@Suite("Text encoding")
struct TextEncodingTests {
    static let samples = [
        "日期,摘要,借方金额\n2025-11-03,购置数控机床,\"12,000.00\"\n",
        "资金",
        "ascii only",
        "生僻字 㐀 䶵 and emoji 😀, ¥ ￥ €",
        "",
    ]

    @Test func utf8() throws {
        let decoded = try #require(TextEncoding.decode(Data("摘要,金额".utf8)))
        #expect(decoded.text == "摘要,金额")
        #expect(decoded.encoding == .utf8)
    }

    @Test func utf8WithBOM() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("摘要,金额".utf8))
        let decoded = try #require(TextEncoding.decode(data))
        #expect(decoded.text == "摘要,金额")
        #expect(decoded.encoding == .utf8)
        #expect(TextEncoding.encode("摘要,金额", as: .utf8, bom: true) == data)
    }

    @Test func knownGB18030Bytes() throws {
        let bytes: [UInt8] = [0xD7, 0xCA, 0xBD, 0xF0]
        #expect(TextEncoding.encode("资金", as: .gb18030) == Data(bytes))
        let decoded = try #require(TextEncoding.decode(Data(bytes)))
        #expect(decoded.text == "资金")
        #expect(decoded.encoding == .gb18030)
    }

    @Test func fourByteGB18030() {
        // Characters outside GBK take four bytes in GB18030.
        #expect(TextEncoding.encode("😀", as: .gb18030) == Data([0x94, 0x39, 0xFC, 0x36]))
        #expect(TextEncoding.encode("㐀", as: .gb18030) == Data([0x81, 0x39, 0xEE, 0x39]))
    }

    @Test("round trip through both encodings", arguments: samples)
    func roundTrip(text: String) throws {
        for encoding in TextEncoding.allCases {
            let data = TextEncoding.encode(text, as: encoding)
            let decoded = try #require(TextEncoding.decode(data))
            #expect(decoded.text == text, "\(encoding)")
        }
        let gb = TextEncoding.encode(text, as: .gb18030)
        let hasNonASCII = text.unicodeScalars.contains { !$0.isASCII }
        #expect(TextEncoding.decode(gb)?.encoding == (hasNonASCII ? .gb18030 : .utf8))
    }

    @Test func undecodableBytes() {
        #expect(TextEncoding.decode(Data([0xFF, 0xFF, 0xFF])) == nil)
    }

    @Test func readerDecodesGB18030Files() throws {
        let text = csv([splitHeader] + pair(number: "1"))
        let vouchers = try reader().read(TextEncoding.encode(text, as: .gb18030))
        #expect(vouchers.count == 1)
        #expect(vouchers.first?.draft.lines.first?.memo == "购置数控机床")
        #expect(vouchers.first?.draft.preparer == "李会计")
    }

    @Test func readerReportsUndecodableFilesAsI001() {
        do {
            _ = try reader().read(Data([0xFF, 0xFE, 0xFF, 0x00]))
            Issue.record("accepted undecodable bytes")
        } catch {
            #expect(summaries(error) == [ErrorSummary(nil, .importEncoding, nil)])
            #expect(error.items.first?.file == Fixture.file)
        }
    }
}
