import Testing

@testable import FundCore

@Suite("CSV writer")
struct CSVWriterTests {
    /// One row of `fields`, parsed back.
    private func roundTrip(_ fields: [CSVField]) throws -> [String] {
        let text = CSVWriter.render([fields + [.text("end")]])
        let records = try CSVText.parse(text)
        try #require(records.count == 1)
        return Array(records[0].fields.dropLast())
    }

    @Test(
        "a text field starting with = + - @ tab or CR is defused with a leading '",
        arguments: [
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("=1+1", "'=1+1"),
            ("+86 138", "'+86 138"),
            ("-1234.50", "'-1234.50"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\tTAB", "'\tTAB"),
            ("\rCR", "\"'\rCR\""),
            ("=", "'="),
        ])
    func defused(field: String, written: String) throws {
        #expect(CSVWriter.escaped(.text(field)) == written)
        #expect(CSVWriter.startsLikeFormula(field))
        #expect(try roundTrip([.text(field)]) == ["'" + field])
    }

    @Test(
        "the same characters later in a text field, and other first characters, are left alone",
        arguments: ["a=b", "1+1", "2026-01-05", "x@y.cn", "a\tb", "收到=补助", " =1+1", "'=already", "＝全角", "", "12.50%"])
    func notDefused(field: String) throws {
        #expect(!CSVWriter.startsLikeFormula(field))
        #expect(CSVWriter.escaped(.text(field)) == field)
        #expect(try roundTrip([.text(field)]) == [field])
    }

    @Test("a number field is never defused", arguments: ["-1234.50", "-0.05", "0.00", "30000.00", "-12.50%", "17"])
    func number(field: String) throws {
        #expect(CSVWriter.escaped(.number(field)) == field)
        #expect(try roundTrip([.number(field)]) == [field])
    }

    @Test("money and count fields are plain numbers")
    func typedNumbers() {
        #expect(CSVWriter.escaped(.money(Money(fen: -123450))) == "-1234.50")
        #expect(CSVWriter.escaped(.money(Money(fen: 3_000_000))) == "30000.00")
        #expect(CSVWriter.escaped(.money(nil as Money?)) == "")
        #expect(CSVWriter.escaped(.count(-3)) == "-3")
    }

    @Test(
        "RFC 4180: comma, quote, CR and LF make a quoted field, quotes doubled",
        arguments: [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r\nlf", "\"cr\r\nlf\""),
            ("\"", "\"\"\"\""),
            ("资金,来源", "\"资金,来源\""),
        ])
    func quoting(field: String, written: String) throws {
        #expect(CSVWriter.escaped(.text(field)) == written)
        #expect(CSVWriter.escaped(.number(field)) == written)
        #expect(try roundTrip([.text(field)]) == [field])
    }

    @Test("rows end in CRLF, the last one too; an empty row is a blank line; the text parses back")
    func rows() throws {
        let rows: [[CSVField]] = [
            [.text("摘要"), .text("借方金额")],
            [],
            [.text("=HYPERLINK(\"http://x\",\"y\")"), .money(Money(fen: -123450))],
            [.text("+1"), .text("-1"), .text("@a"), .text("\tb"), .text("\rc"), .number("-2"), .empty],
        ]
        let text = CSVWriter.render(rows)
        #expect(text == "摘要,借方金额\r\n\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1234.50\r\n'+1,'-1,'@a,'\tb,\"'\rc\",-2,\r\n")
        var writer = CSVWriter()
        writer.row(text: ["摘要", "借方金额"])
        writer.row([])
        writer.row(rows[2])
        writer.row(rows[3])
        #expect(writer.text == text)
        let records = try CSVText.parse(text)
        #expect(records.map(\.fields) == [
            ["摘要", "借方金额"],
            ["'=HYPERLINK(\"http://x\",\"y\")", "-1234.50"],
            ["'+1", "'-1", "'@a", "'\tb", "'\rc", "-2", ""],
        ])
        #expect(records.map(\.line) == [1, 3, 4])
    }


    /// Digits a spreadsheet would turn into a number are kept as text by a formula; nothing but
    /// digits, spaces and E ever goes inside it.
    @Test func keptTextIsAFormulaOnlyForDigits() {
        #expect(CSVWriter.escaped(.keptText("25512000000012345678")) == "\"=\"\"25512000000012345678\"\"\"")
        #expect(CSVWriter.escaped(.keptText("  400101")) == "\"=\"\"  400101\"\"\"")
        // Anything else is an ordinary text field, defused as one.
        #expect(CSVWriter.escaped(.keptText("=HYPERLINK(\"x\")")) == CSVWriter.escaped(.text("=HYPERLINK(\"x\")")))
        #expect(CSVWriter.escaped(.keptText("12\"),=1")) == CSVWriter.escaped(.text("12\"),=1")))
    }
}
