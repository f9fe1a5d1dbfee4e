import Testing

@testable import FundCore

/// (line, fields) pairs of the parsed records, for compact comparison.
private func parsed(_ text: String) throws -> [(Int, [String])] {
    try CSVText.parse(text).map { ($0.line, $0.fields) }
}

private func same(_ lhs: [(Int, [String])], _ rhs: [(Int, [String])]) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
}

@Suite("CSV text")
struct CSVTextTests {
    @Test(
        "records, fields and their start lines",
        arguments: [
            ("a,b,c\n", [(1, ["a", "b", "c"])]),
            ("a,b", [(1, ["a", "b"])]),
            ("a,\"b,c\",d\n", [(1, ["a", "b,c", "d"])]),
            ("\"He said \"\"hi\"\"\",x\n", [(1, ["He said \"hi\"", "x"])]),
            (
                "h1,h2\n\"line1\nline2\",x\nnext,y\n",
                [(1, ["h1", "h2"]), (2, ["line1\nline2", "x"]), (4, ["next", "y"])]
            ),
            ("\"a\n\nb\",1\nc,2", [(1, ["a\n\nb", "1"]), (4, ["c", "2"])]),
            ("a,b\r\nc,d\r\n", [(1, ["a", "b"]), (2, ["c", "d"])]),
            ("\"x\r\ny\",z\r\nnext,1", [(1, ["x\r\ny", "z"]), (3, ["next", "1"])]),
            ("a\rb\r", [(1, ["a"]), (2, ["b"])]),
            ("a\n\n\nb\n", [(1, ["a"]), (4, ["b"])]),
            ("\r\n\r\na\r\n", [(3, ["a"])]),
            ("", []),
            ("\n\n", []),
            (",,", []),  // rows of bare commas (Excel leaves them under tables) are blank
            ("a,b\n,,\n\"\",\nc,d", [(1, ["a", "b"]), (4, ["c", "d"])]),
            ("\"\",x", [(1, ["", "x"])]),
            ("a,\"\"", [(1, ["a", ""])]),
            ("\"a,b\"", [(1, ["a,b"])]),
            ("中文,\"¥1,234.00\"\n", [(1, ["中文", "¥1,234.00"])]),
        ] as [(String, [(Int, [String])])])
    func parses(text: String, expected: [(Int, [String])]) throws {
        let records = try parsed(text)
        #expect(same(records, expected), "\(records)")
    }

    @Test(
        "quoting errors are I010",
        arguments: [
            "a,\"bc\nd",
            "\"unclosed",
            "ab\"c,d",
            "\"ab\"c,d",
            "\"ab\" ,d",
            "a,b\nc,\"d\"\"",
        ])
    func quotingErrors(text: String) {
        #expect(rejectionCode { () throws(Rejection) in try CSVText.parse(text) } == .importQuoting)
    }

    @Test(
        "escape quotes only when needed and parses back",
        arguments: [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r\nlf", "\"cr\r\nlf\""),
            ("", ""),
        ])
    func escape(field: String, escaped: String) throws {
        #expect(CSVWriter.escaped(.text(field)) == escaped)
        let row = [field, "next"].map { CSVWriter.escaped(.text($0)) }.joined(separator: ",") + "\n"
        let records = try CSVText.parse(row)
        #expect(records.map(\.fields) == [[field, "next"]])
    }
}
