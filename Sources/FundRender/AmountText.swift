import FundCore

/// Amounts as Chinese accountants write them: 大写金额 on vouchers and cheques, and the
/// lower-case form with ¥ and thousands separators.
public enum AmountText {
    /// What to write after an amount that ends at 角 (e.g. 0.50). 会计基础工作规范 第五十二条
    /// writes 整 (or 正); the central bank's settlement rules allow leaving it out.
    public enum JiaoEnding: Sendable {
        case zheng, none
    }

    static let digits: [Character] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]
    static let placeUnits = ["", "拾", "佰", "仟"]
    /// Units of each group of four digits, from the lowest: 万 = 10^4, 亿 = 10^8, 万亿 = 10^12,
    /// 亿亿 = 10^16 (enough for the whole Int64 range of fen).
    static let groupUnits = ["", "万", "亿", "万亿", "亿亿"]

    /// 大写金额: 30000.00 → 人民币叁万元整, 1680.32 → 人民币壹仟陆佰捌拾元零叁角贰分, a negative
    /// amount → 人民币负…. `prefix` is written first ("人民币" by default, "" for none).
    public static func uppercase(_ money: Money, prefix: String = "人民币", jiaoEnding: JiaoEnding = .zheng) -> String {
        let negative = money.fen < 0
        let absolute = money.fen.magnitude  // UInt64: Int64.min has a magnitude too
        let yuan = absolute / 100
        let jiao = Int(absolute / 10 % 10)
        let fen = Int(absolute % 10)
        var text = prefix + (negative ? "负" : "")
        if yuan == 0 && (jiao != 0 || fen != 0) {
            // Below one yuan: no 元 (叁角贰分, 伍分).
            if jiao != 0 { text += "\(digits[jiao])角" }
            if fen != 0 { text += "\(digits[fen])分" } else if jiaoEnding == .zheng { text += "整" }
            return text
        }
        text += integerWords(yuan) + "元"
        switch (jiao, fen) {
        case (0, 0):
            text += "整"
        case (0, _):
            text += "零\(digits[fen])分"
        case (_, 0):
            if yuan % 10 == 0 { text += "零" }
            text += "\(digits[jiao])角" + (jiaoEnding == .zheng ? "整" : "")
        default:
            if yuan % 10 == 0 { text += "零" }
            text += "\(digits[jiao])角\(digits[fen])分"
        }
        return text
    }

    /// The integer part in words: a run of zeros writes one 零, trailing zeros none, 10–19
    /// keep their 壹 (壹拾).
    static func integerWords(_ value: UInt64) -> String {
        if value == 0 { return "零" }
        var groups: [Int] = []
        var rest = value
        while rest > 0 {
            groups.append(Int(rest % 10_000))
            rest /= 10_000
        }
        var text = ""
        var zeroPending = false
        for index in stride(from: groups.count - 1, through: 0, by: -1) {
            let group = groups[index]
            if group == 0 {
                if !text.isEmpty { zeroPending = true }
                continue
            }
            if !text.isEmpty && (zeroPending || group < 1000) { text += "零" }
            text += groupWords(group) + groupUnits[index]
            zeroPending = false
        }
        return text
    }

    /// One group of up to four digits, without leading 零 (the caller decides that).
    static func groupWords(_ group: Int) -> String {
        var text = ""
        var zeroPending = false
        for place in stride(from: 3, through: 0, by: -1) {
            var power = 1
            for _ in 0..<place { power *= 10 }
            let digit = group / power % 10
            if digit == 0 {
                if !text.isEmpty { zeroPending = true }
                continue
            }
            if zeroPending { text += "零" }
            text += "\(digits[digit])\(placeUnits[place])"
            zeroPending = false
        }
        return text
    }

    /// ¥1,234.50 / -¥30,000.00 (a sign before the currency symbol, as Chinese statements print it).
    public static func yuan(_ money: Money) -> String {
        money.isNegative ? "-¥" + money.magnitude.groupedString : "¥" + money.groupedString
    }

    /// The table form: 1,234.50; zero as 0.00.
    public static func grouped(_ money: Money) -> String { money.groupedString }
}
