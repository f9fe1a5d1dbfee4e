import FundCore
import Testing

/// The byte-by-byte formatting of amounts, dates and voucher labels gives exactly the strings
/// the plain string-building versions gave (kept here as the reference).
@Suite("fast formatting equals the reference formatting")
struct FormattingTests {
    static func referenceGrouped(_ money: Money) -> String {
        let plain = money.plainString
        let negative = plain.hasPrefix("-")
        let body = negative ? plain.dropFirst() : Substring(plain)
        let parts = body.split(separator: ".")
        var integer = Array(parts[0])
        var grouped: [Character] = []
        while integer.count > 3 {
            grouped = [","] + integer.suffix(3) + grouped
            integer.removeLast(3)
        }
        grouped = integer + grouped
        return (negative ? "-" : "") + String(grouped) + "." + parts[1]
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    @Test func groupedAmounts() {
        var values: [Int64] = [0, 1, -1, 9, 10, 99, 100, 101, 999, 1_000, 99_999, 100_000, 123_456_789, -123_456_789, Int64.max, Int64.min, Int64.min + 1]
        for exponent in 0..<19 {
            let power = (0..<exponent).reduce(Int64(1)) { value, _ in value * 10 }
            values += [power, power - 1, power + 1, -power, -(power - 1)]
        }
        var random = SystemRandomNumberGenerator()
        values += (0..<2_000).map { _ in Int64.random(in: Int64.min...Int64.max, using: &random) >> Int64.random(in: 0...60, using: &random) }
        for fen in values {
            #expect(Money(fen: fen).groupedString == Self.referenceGrouped(Money(fen: fen)), "\(fen)")
            var bytes: [UInt8] = [0x41]
            Money(fen: fen).appendGrouped(to: &bytes)
            #expect(bytes == [0x41] + Array(Self.referenceGrouped(Money(fen: fen)).utf8))
        }
    }

    @Test func isoDatesAndPeriods() {
        for year in [1900, 1999, 2000, 2025, 2999] {
            for month in 1...12 {
                #expect(Period(year: year, month: month)!.iso == "\(year)-\(Self.pad(month))")
                for day in 1...CalendarDate.daysIn(year: year, month: month) {
                    let date = CalendarDate(year: year, month: month, day: day)!
                    #expect(date.iso == "\(year)-\(Self.pad(month))-\(Self.pad(day))")
                    var bytes: [UInt8] = []
                    date.appendISO(to: &bytes)
                    #expect(bytes == Array(date.iso.utf8))
                }
            }
        }
    }

    @Test func voucherLabels() {
        for voucherClass in VoucherClass.allCases {
            for number in [-12, -1, 0, 1, 9, 10, 99, 100, 999, 1_000, 9_999, 10_000, 123_456, Int.max] {
                let ref = VoucherRef(studio: "S1", period: Period(year: 2026, month: 1)!, voucherClass: voucherClass, number: number)
                let digits = String(number)
                #expect(ref.label == voucherClass.rawValue + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits)
                var bytes: [UInt8] = []
                ref.appendLabel(to: &bytes)
                #expect(bytes == Array(ref.label.utf8))
            }
        }
    }
}
