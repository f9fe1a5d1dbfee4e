import Foundation
import Testing

@testable import FundCore

@Suite("Rejection codes")
struct RejectionCodeTests {
    @Test func rawValuesAreUnique() {
        let codes = RejectionCode.allCases.map(\.rawValue)
        #expect(Set(codes).count == RejectionCode.allCases.count)
        #expect(Set(RejectionCode.allCases.map(\.name)).count == RejectionCode.allCases.count)
    }

    @Test("each code is a letter and three digits", arguments: RejectionCode.allCases)
    func shape(code: RejectionCode) throws {
        let pattern = try Regex("^[A-Z][0-9]{3}$")
        #expect(code.rawValue.wholeMatch(of: pattern) != nil)
        #expect("MDUSAVPICBEKLFOWR".contains(code.rawValue.first!))
        #expect(RejectionCode(rawValue: code.rawValue) == code)
    }

    @Test func descriptions() {
        let plain = Rejection(.moneyEmpty, "金额为空")
        #expect(plain.description == "[M001] 金额为空")
        let withField = Rejection(.memoEmpty, field: "memo", line: 2, "第 3 行缺少摘要")
        #expect(withField.description == "[V011] 字段 memo：第 3 行缺少摘要")
        #expect(withField.lineIndex == 2)
        let located = LocatedRejection(file: "a.csv", line: 7, rejection: plain)
        #expect(located.description == "a.csv:7: [M001] 金额为空")
        #expect(
            LocatedRejection(file: "a.csv", line: nil, rejection: plain).description
                == "a.csv: [M001] 金额为空")
        let list = RejectionList(items: [located, located], truncated: true)
        #expect(list.description.split(separator: "\n").count == 3)
    }

    /// docs/rejections.md lists every code with its name, and nothing the code does not have.
    @Test func everyCodeIsDocumented() throws {
        let url = packageRoot.appendingPathComponent("docs/rejections.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let pattern = try Regex("^\\| ([MDUSAVPICBEKLFOWR][0-9]{3}) \\| ([A-Za-z]+) \\|")
        var documented: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if let match = try pattern.firstMatch(in: String(line)),
                let code = match.output[1].substring, let name = match.output[2].substring
            {
                documented[String(code)] = String(name)
            }
        }
        let inCode = Dictionary(
            uniqueKeysWithValues: RejectionCode.allCases.map { ($0.rawValue, $0.name) })
        #expect(documented == inCode)
    }
}
