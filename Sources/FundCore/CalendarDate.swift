/// A calendar date (year, month, day) in the proleptic Gregorian calendar. Accounting dates are
/// dates, not instants: no time zone, no clock. Day arithmetic uses days since 1970-01-01
/// (Howard Hinnant's civil-from-days algorithm), which is exact for every date we accept.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Years we accept: wide enough for any book, narrow enough that nothing overflows.
    public static let yearRange = 1900...2999

    public init?(year: Int, month: Int, day: Int) {
        guard Self.yearRange.contains(year), (1...12).contains(month) else { return nil }
        guard (1...Self.daysIn(year: year, month: month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// "2025-10-29"
    public var iso: String {
        Self.digits(year: year, month: month, day: day) ?? "\(year)-\(Self.pad(month))-\(Self.pad(day))"
    }

    /// Appends `iso`'s UTF-8 bytes (for messages built byte by byte).
    public func appendISO(to bytes: inout [UInt8]) {
        guard (1000...9999).contains(year) else { return bytes.append(contentsOf: iso.utf8) }
        let zero = UInt8(ascii: "0")
        let dash = UInt8(ascii: "-")
        bytes.append(zero + UInt8(year / 1000))
        bytes.append(zero + UInt8(year / 100 % 10))
        bytes.append(zero + UInt8(year / 10 % 10))
        bytes.append(zero + UInt8(year % 10))
        bytes.append(dash)
        bytes.append(zero + UInt8(month / 10))
        bytes.append(zero + UInt8(month % 10))
        bytes.append(dash)
        bytes.append(zero + UInt8(day / 10))
        bytes.append(zero + UInt8(day % 10))
    }

    /// "2025-10" or "2025-10-29" for a four-digit year, written byte by byte (findings and
    /// reports quote dates by the hundred thousand); nil for other years.
    static func digits(year: Int, month: Int, day: Int? = nil) -> String? {
        guard (1000...9999).contains(year), (0...99).contains(month), day.map({ (0...99).contains($0) }) ?? true else { return nil }
        let zero = UInt8(ascii: "0")
        let dash = UInt8(ascii: "-")
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            zero + UInt8(year / 1000), zero + UInt8(year / 100 % 10), zero + UInt8(year / 10 % 10), zero + UInt8(year % 10), dash,
            zero + UInt8(month / 10), zero + UInt8(month % 10), dash, zero + UInt8((day ?? 0) / 10), zero + UInt8((day ?? 0) % 10)
        )
        return withUnsafeBytes(of: &bytes) { raw in
            String(decoding: raw.prefix(day == nil ? 7 : 10), as: UTF8.self)
        }
    }

    /// "20251029", the form GB/T 24589 uses.
    public var compact: String {
        "\(year)\(Self.pad(month))\(Self.pad(day))"
    }

    /// "2025年10月29日"
    public var chinese: String {
        "\(year)年\(month)月\(day)日"
    }

    public var description: String { iso }

    public var period: Period { Period(year: year, month: month)! }

    static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// Parses "2025-10-29", "2025/10/29", "2025.10.29", "20251029" and "2025年10月29日";
    /// one-digit months and days are accepted in the separated forms.
    public static func parse(_ text: String) throws(Rejection) -> CalendarDate {
        if let date = parseISO(text) { return date }
        var trimmed = text.trimmingSpaces
        // ERP and Excel exports often write midnight after the date: "2025-11-03 00:00:00".
        if let space = trimmed.firstIndex(of: " "), isTimeOfDay(trimmed[trimmed.index(after: space)...]) {
            trimmed = String(trimmed[..<space])
            if let date = parseISO(trimmed) { return date }
        }
        var numbers: [Int] = []
        if trimmed.count == 8, trimmed.allSatisfy(\.isASCIIDigit) {
            let digits = Array(trimmed)
            numbers = [String(digits[0..<4]), String(digits[4..<6]), String(digits[6..<8])]
                .map { Int($0)! }
        } else {
            var normalized = trimmed
            if normalized.hasSuffix("日") { normalized.removeLast() }
            let parts = normalized.split(
                omittingEmptySubsequences: false,
                whereSeparator: { "-/.年月".contains($0) })
            let valid = parts.count == 3 && parts.allSatisfy {
                !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCIIDigit)
            }
            if valid { numbers = parts.map { Int($0)! } }
        }
        guard numbers.count == 3, numbers[0] >= 1000,
            let date = CalendarDate(year: numbers[0], month: numbers[1], day: numbers[2])
        else {
            throw Rejection(.dateInvalid, "日期“\(text)”无效（应为 YYYY-MM-DD 格式的实际日期）")
        }
        return date
    }

    /// "HH:MM" or "HH:MM:SS" (a valid time of day), as exports append to dates.
    static func isTimeOfDay(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return false }
        let limits = [23, 59, 59]
        for (index, part) in parts.enumerated() {
            guard part.count == 2, part.allSatisfy(\.isASCIIDigit), let value = Int(part), value <= limits[index] else {
                return false
            }
        }
        return true
    }

    /// Fast path for the common "YYYY-MM-DD" form (imports parse millions of these).
    static func parseISO(_ text: String) -> CalendarDate? {
        guard text.utf8.count == 10 else { return nil }
        var fields = (0, 0, 0)
        for (index, byte) in text.utf8.enumerated() {
            if index == 4 || index == 7 {
                guard byte == 45 else { return nil }  // "-"
                continue
            }
            guard byte >= 48 && byte <= 57 else { return nil }
            let digit = Int(byte - 48)
            switch index {
            case 0..<4: fields.0 = fields.0 * 10 + digit
            case 5..<7: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
        }
        guard fields.0 >= 1000 else { return nil }
        return CalendarDate(year: fields.0, month: fields.1, day: fields.2)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        year = y
        month = m
        day = d
        precondition(Self.yearRange.contains(y), "date arithmetic left the supported years")
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days)
    }

    /// Same day `count` months later; a day that does not exist in the target month is clamped
    /// to its last day (2024-01-31 + 1 month = 2024-02-29; 2024-02-29 + 12 months = 2025-02-28).
    public func adding(months count: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + count
        let newYear = index / 12
        let newMonth = index % 12 + 1
        let newDay = min(day, Self.daysIn(year: newYear, month: newMonth))
        return CalendarDate(year: newYear, month: newMonth, day: newDay)!
    }

    public func adding(years count: Int) -> CalendarDate {
        adding(months: count * 12)
    }

    /// ISO weekday: 1 Monday … 7 Sunday. 1970-01-01 was a Thursday.
    public var weekday: Int {
        let offset = ((dayNumber % 7) + 7) % 7  // 0 = Thursday
        return (offset + 3) % 7 + 1
    }

    public func days(until other: CalendarDate) -> Int {
        other.dayNumber - dayNumber
    }
}

/// An accounting period: one calendar month.
public struct Period: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard CalendarDate.yearRange.contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    /// 202510: the integer key the store indexes.
    public var key: Int { year * 100 + month }

    public init?(key: Int) {
        self.init(year: key / 100, month: key % 100)
    }

    /// "2025-10"
    public var iso: String { CalendarDate.digits(year: year, month: month) ?? "\(year)-\(CalendarDate.pad(month))" }
    public var chinese: String { "\(year)年\(month)月" }
    public var description: String { iso }

    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    public var lastDay: CalendarDate {
        CalendarDate(year: year, month: month, day: CalendarDate.daysIn(year: year, month: month))!
    }

    public var next: Period { month == 12 ? Period(year: year + 1, month: 1)! : Period(year: year, month: month + 1)! }
    public var previous: Period { month == 1 ? Period(year: year - 1, month: 12)! : Period(year: year, month: month - 1)! }

    /// Parses "2025-10", "2025/10", "202510", "2025年10月".
    public static func parse(_ text: String) throws(Rejection) -> Period {
        let trimmed = text.trimmingSpaces
        var numbers: [Int] = []
        if trimmed.count == 6, trimmed.allSatisfy(\.isASCIIDigit) {
            let digits = Array(trimmed)
            numbers = [Int(String(digits[0..<4]))!, Int(String(digits[4..<6]))!]
        } else {
            var normalized = trimmed
            if normalized.hasSuffix("月") { normalized.removeLast() }
            let parts = normalized.split(
                omittingEmptySubsequences: false, whereSeparator: { "-/.年".contains($0) })
            if parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCIIDigit) }) {
                numbers = parts.map { Int($0)! }
            }
        }
        guard numbers.count == 2, numbers[0] >= 1000, let period = Period(year: numbers[0], month: numbers[1]) else {
            throw Rejection(.periodInvalid, "会计期间“\(text)”无效（应为 YYYY-MM）")
        }
        return period
    }
}

extension String {
    /// The string without leading and trailing white space (ASCII and ideographic spaces).
    public var trimmingSpaces: String {
        if let first = utf8.first, let last = utf8.last, first > 32, first < 128, last > 32, last < 128 {
            return self
        }
        if isEmpty { return self }
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension CalendarDate {
    /// Encoded as "YYYY-MM-DD", the form people and other tools read.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try CalendarDate.parse(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

extension Period {
    /// Encoded as "YYYY-MM".
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try Period.parse(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
