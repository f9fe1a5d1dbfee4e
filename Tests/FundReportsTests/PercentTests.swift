import FundCore
import Testing

@testable import FundReports

@Suite("Percentages held exactly")
struct PercentTests {
    @Test(
        "ratio rounds half up to 0.01 %",
        arguments: [
            (Int64(1), Int64(3), Int64(3333), "33.33%"),
            (2, 3, 6667, "66.67%"),
            (1, 8, 1250, "12.50%"),
            (1, 20_000, 1, "0.01%"),  // 0.005 % rounds up
            (1, 20_001, 0, "0.00%"),
            (3_000_000, 3_000_000, 10_000, "100.00%"),
            (4_500_000, 3_000_000, 15_000, "150.00%"),
            (-1, 3, -3333, "-33.33%"),
            (Int64.max, 1, Int64.max, ""),  // saturates, never traps
        ])
    func ratio(numerator: Int64, denominator: Int64, hundredths: Int64, text: String) throws {
        let percent = try #require(Percent.ratio(Money(fen: numerator), Money(fen: denominator)))
        #expect(percent.hundredths == hundredths)
        if !text.isEmpty { #expect(percent.text == text) }
    }

    @Test("a zero denominator has no ratio")
    func zero() {
        #expect(Percent.ratio(Money(fen: 5), .zero) == nil)
    }
}
