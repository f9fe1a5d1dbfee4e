import FundCore
import Testing

@testable import FundRender

@Suite("大写金额")
struct AmountTextTests {
    static func money(_ text: String) -> Money { try! Money.parse(text) }

    @Test(
        "DOMAIN.md §2 examples and zeros in every position",
        arguments: [
            // DOMAIN.md §2 and the issue
            ("30000.00", "人民币叁万元整"),
            ("30005.00", "人民币叁万零伍元整"),
            ("30500.00", "人民币叁万零伍佰元整"),
            ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
            ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
            ("6007.14", "人民币陆仟零柒元壹角肆分"),
            // zero in each position of a group and across groups
            ("1.00", "人民币壹元整"),
            ("10.00", "人民币壹拾元整"),
            ("15.00", "人民币壹拾伍元整"),
            ("101.00", "人民币壹佰零壹元整"),
            ("110.00", "人民币壹佰壹拾元整"),
            ("1001.00", "人民币壹仟零壹元整"),
            ("1010.00", "人民币壹仟零壹拾元整"),
            ("1100.00", "人民币壹仟壹佰元整"),
            ("10000.00", "人民币壹万元整"),
            ("10001.00", "人民币壹万零壹元整"),
            ("100100.00", "人民币壹拾万零壹佰元整"),
            ("1000000.00", "人民币壹佰万元整"),
            ("10000000.00", "人民币壹仟万元整"),
            ("100000000.00", "人民币壹亿元整"),
            ("100000001.00", "人民币壹亿零壹元整"),
            ("100010000.00", "人民币壹亿零壹万元整"),
            ("110000000.00", "人民币壹亿壹仟万元整"),
            ("1000010000.00", "人民币壹拾亿零壹万元整"),
            ("1234567890.12", "人民币壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元零壹角贰分"),
            // 角 and 分 endings
            ("0.01", "人民币壹分"),
            ("0.10", "人民币壹角整"),
            ("0.32", "人民币叁角贰分"),
            ("1.05", "人民币壹元零伍分"),
            ("10.05", "人民币壹拾元零伍分"),
            ("12.30", "人民币壹拾贰元叁角整"),
            ("20.30", "人民币贰拾元零叁角整"),
            ("0.00", "人民币零元整"),
            // negative amounts
            ("-30000.00", "人民币负叁万元整"),
            ("-0.05", "人民币负伍分"),
            // the largest amount a voucher line may carry
            ("999999999999.99", "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ])
    func uppercase(amount: String, expected: String) {
        #expect(AmountText.uppercase(Self.money(amount)) == expected)
    }

    @Test("角 ending without 整 when the setting says so, and no prefix")
    func jiaoSetting() {
        #expect(AmountText.uppercase(Self.money("12.30"), jiaoEnding: .none) == "人民币壹拾贰元叁角")
        #expect(AmountText.uppercase(Self.money("0.50"), jiaoEnding: .none) == "人民币伍角")
        #expect(AmountText.uppercase(Self.money("12.00"), prefix: "") == "壹拾贰元整")
        // 整 after 元 does not depend on the 角 setting
        #expect(AmountText.uppercase(Self.money("12.00"), jiaoEnding: .none) == "人民币壹拾贰元整")
    }

    @Test("the whole Int64 range spells without trapping")
    func extremes() {
        #expect(AmountText.uppercase(Money(fen: Int64.max)) == "人民币玖亿亿贰仟贰佰叁拾叁万亿柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分")
        #expect(AmountText.uppercase(Money(fen: Int64.min)) == "人民币负玖亿亿贰仟贰佰叁拾叁万亿柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分")
    }

    @Test("lower-case forms")
    func lowercase() {
        #expect(AmountText.yuan(Self.money("1234.5")) == "¥1,234.50")
        #expect(AmountText.yuan(Self.money("-30000")) == "-¥30,000.00")
        #expect(AmountText.yuan(.zero) == "¥0.00")
        #expect(AmountText.grouped(Self.money("1234567.89")) == "1,234,567.89")
    }
}
