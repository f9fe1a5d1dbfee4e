import Testing

@testable import FundCore

@Suite("Money")
struct MoneyTests {
    @Test(
        "parse accepts the forms accountants write",
        arguments: [
            ("30000", 3_000_000),
            ("30000.5", 3_000_050),
            ("30,000.00", 3_000_000),
            ("¥30,000.00", 3_000_000),
            ("￥1,234.56", 123_456),
            ("-12.30", -1_230),
            ("￥-12.30", -1_230),
            ("-¥5", -500),
            ("−7.00", -700),  // U+2212 minus sign
            (" 0.01 ", 1),
            ("\u{3000}12.3\u{3000}", 1_230),  // ideographic spaces
            ("1,000,000.00", 100_000_000),
            ("0", 0),
            ("0.1", 10),
            ("007", 700),
            ("92233720368547758.07", Int64.max),
        ] as [(String, Int64)])
    func parseAccepts(text: String, fen: Int64) throws {
        #expect(try Money.parse(text) == Money(fen: fen))
    }

    @Test(
        "parse rejects with a stable code",
        arguments: [
            ("", RejectionCode.moneyEmpty),
            ("  ", .moneyEmpty),
            ("12a", .moneyInvalidCharacter),
            ("1.2.3", .moneyInvalidCharacter),
            ("abc", .moneyInvalidCharacter),
            ("1e5", .moneyInvalidCharacter),
            (".5", .moneyInvalidCharacter),
            ("30000.", .moneyInvalidCharacter),
            ("¥", .moneyInvalidCharacter),
            ("--5", .moneyInvalidCharacter),
            ("1 000", .moneyInvalidCharacter),
            ("12.3a", .moneyInvalidCharacter),
            ("12.345", .moneyTooManyDecimals),
            ("0.001", .moneyTooManyDecimals),
            ("3,0000", .moneyBadGrouping),
            (",100", .moneyBadGrouping),
            ("1,00", .moneyBadGrouping),
            ("1000,000", .moneyBadGrouping),
            ("1,,000", .moneyBadGrouping),
            ("92233720368547758.08", .moneyOverflow),
            ("99999999999999999999", .moneyOverflow),
        ])
    func parseRejects(text: String, code: RejectionCode) {
        #expect(rejectionCode { () throws(Rejection) in try Money.parse(text) } == code)
    }

    @Test(
        "adding and subtracting throw M004 on overflow",
        arguments: [
            (Int64.max, Int64(1), true),
            (Int64.min, Int64(-1), true),
            (Int64.max - 1, Int64(1), false),
            (-5, 3, false),
        ] as [(Int64, Int64, Bool)])
    func addingOverflow(lhs: Int64, rhs: Int64, overflows: Bool) throws {
        let result = rejection { () throws(Rejection) in try Money(fen: lhs).adding(Money(fen: rhs))
        }
        #expect(result?.code == (overflows ? .moneyOverflow : nil))
        if !overflows {
            #expect(try Money(fen: lhs).adding(Money(fen: rhs)).fen == lhs + rhs)
        }
    }

    @Test(
        "subtracting throws M004 on overflow",
        arguments: [
            (Int64.min, Int64(1), true),
            (Int64.max, Int64(-1), true),
            (0, Int64.min, true),
            (Int64.min + 1, Int64(1), false),
            (100, 250, false),
        ] as [(Int64, Int64, Bool)])
    func subtractingOverflow(lhs: Int64, rhs: Int64, overflows: Bool) throws {
        let result = rejection { () throws(Rejection) in
            try Money(fen: lhs).subtracting(Money(fen: rhs))
        }
        #expect(result?.code == (overflows ? .moneyOverflow : nil))
        if !overflows {
            #expect(try Money(fen: lhs).subtracting(Money(fen: rhs)).fen == lhs - rhs)
        }
    }

    @Test(
        "plainString and groupedString",
        arguments: [
            (0, "0.00", "0.00"),
            (1, "0.01", "0.01"),
            (-1, "-0.01", "-0.01"),
            (10, "0.10", "0.10"),
            (-99, "-0.99", "-0.99"),
            (100, "1.00", "1.00"),
            (99_999, "999.99", "999.99"),
            (100_000, "1000.00", "1,000.00"),
            (-100_000, "-1000.00", "-1,000.00"),
            (123_456, "1234.56", "1,234.56"),
            (-3_000_000, "-30000.00", "-30,000.00"),
            (100_000_005, "1000000.05", "1,000,000.05"),
            (123_456_789, "1234567.89", "1,234,567.89"),
            (Int64.max, "92233720368547758.07", "92,233,720,368,547,758.07"),
            (Int64.min, "-92233720368547758.08", "-92,233,720,368,547,758.08"),
        ] as [(Int64, String, String)])
    func formatting(fen: Int64, plain: String, grouped: String) {
        let money = Money(fen: fen)
        #expect(money.plainString == plain)
        #expect(money.groupedString == grouped)
        #expect(money.description == plain)
    }

    @Test(
        "both printed forms parse back to the same amount",
        arguments: [0, 1, -1, 99, 100_000, -123_456_789, 99_999_999_999_999, Int64.max] as [Int64])
    func printedFormsRoundTrip(fen: Int64) throws {
        let money = Money(fen: fen)
        #expect(try Money.parse(money.plainString) == money)
        #expect(try Money.parse(money.groupedString) == money)
    }

    @Test func signHelpers() {
        #expect(Money(fen: -5).negated == Money(fen: 5))
        #expect(Money(fen: -5).magnitude == Money(fen: 5))
        #expect(Money(fen: 5).magnitude == Money(fen: 5))
        #expect(Money(fen: -1).isNegative && !Money.zero.isNegative)
        #expect(Money.zero.isZero && !Money(fen: 1).isZero)
        #expect(Money(fen: -1) < Money.zero)
    }
}
