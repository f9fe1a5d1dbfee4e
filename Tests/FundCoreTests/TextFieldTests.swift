import Foundation
import FundTestSupport
import Testing

@testable import FundCore

/// Characters no text field may hold (V030), one of each kind.
let forbiddenScalars: [Unicode.Scalar] = [
    "\u{0}", "\u{1}", "\u{A}", "\u{D}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{AD}",
    "\u{61C}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}", "\u{202A}", "\u{202E}",
    "\u{2060}", "\u{2064}", "\u{2066}", "\u{2069}", "\u{FEFF}", "\u{FFFD}", "\u{FFFE}", "\u{FFFF}",
]

@Suite("text fields (V030) and people's names")
struct TextFieldTests {
    @Test("each forbidden character is refused, named as U+XXXX with the field", arguments: forbiddenScalars)
    func forbidden(scalar: Unicode.Scalar) {
        for text in ["\(scalar)", "周丽\(scalar)", "\(scalar)周丽", "ab\(scalar)cd", "购置\(scalar)数控车床"] {
            do {
                try TextField.validate(text, field: "memo", allowTab: true)
                Issue.record("\(TextField.code(scalar)) in \(text.debugDescription) must be refused")
            } catch {
                #expect(error.code == .textControlCharacter)
                #expect(error.field == "memo")
                #expect(error.message.contains(TextField.code(scalar)), "\(error.message)")
            }
        }
    }

    @Test func tabOnlyWhereAllowed() throws {
        #expect(try TextField.validate("购置\t车床", field: "memo", allowTab: true) == "购置\t车床")
        #expect(throws: Rejection.self) { try TextField.validate("周\t丽", field: "preparer") }
    }

    @Test("hostile but allowed text passes unchanged", arguments: [
        "", "周丽", "资阳机床厂（有限公司）", "ｶﾀｶﾅ ＡＢＣ", "e\u{301}te\u{301}", "🎉🇨🇳👍🏽", "\"quotes\" 'single' \\back\\slash",
        "=SUM(A1)+@x", "<b>&amp;</b>", "第\u{3000}一", "a\u{A0}b", "\u{E000}", String(repeating: "工", count: 500), "𠀀𪚥",
    ])
    func allowed(text: String) throws {
        #expect(try TextField.validate(text, field: "f") == text)
        #expect(TextField.firstForbidden(in: text, allowTab: false) == nil)
    }

    @Test("an account name in a chart file is a text field too")
    func chartAccountName() {
        let chart = "code,name,type,side,role,category,funds\n1002,银行\u{200B}存款,asset,debit,bank,,\n"
        do {
            _ = try ChartOfAccounts.parseCSV(chart, file: "chart.csv")
            Issue.record("a zero-width space in an account name must be refused")
        } catch {
            #expect(error.rejection.code == .textControlCharacter, "\(error)")
        }
    }

    @Test func position() {
        #expect(TextField.firstForbidden(in: "周丽\u{200B}", allowTab: false)?.1 == 2)
        #expect(TextField.code("\u{0}") == "U+0000" && TextField.code("\u{FEFF}") == "U+FEFF")
    }

    @Test("names normalised as stored: NFC, trimmed (U+3000 too), full-width folded, spaces collapsed")
    func normalised() {
        #expect(PersonName.normalized("周丽 ") == "周丽")
        #expect(PersonName.normalized("\u{3000}周丽\u{3000}") == "周丽")
        #expect(PersonName.normalized("ＺＨＯＵ　Ｌｉ") == "ZHOU Li")
        #expect(PersonName.normalized("  Zhou   Li ") == "Zhou Li")
        #expect(PersonName.normalized("Jose\u{301}") == "Jos\u{E9}")
        #expect(PersonName.normalized("Zhou") == "Zhou")
        #expect(PersonName.normalized("") == "")
        // Forbidden characters stay for the validator to name.
        #expect(PersonName.normalized("周丽\u{200B}").unicodeScalars.contains("\u{200B}"))
        #expect(PersonName.normalized("周丽\u{0}").unicodeScalars.contains("\u{0}"))
    }

    @Test("the shortcut for names already normal (ASCII, CJK ideographs) answers as the full normalisation does")
    func alreadyNormalShortcut() {
        // The shortcut's ranges and their neighbours: CJK Unified Ideographs U+4E00–U+9FFF,
        // the Extension A block and the compatibility ideographs just outside (U+F900 decomposes
        // under NFC), full-width forms, the ideographic space, combining marks, control bytes.
        let pieces: [String] = [
            "李", "会", "计", "\u{4E00}", "\u{9FFF}", "\u{3400}", "\u{4DBF}", "\u{F900}", "\u{FA10}", "Ｚ", "\u{3000}", " ", "  ",
            "a", "Z", "0", "-", "~", "\u{7F}", "\u{1F}", "\u{301}", "e\u{301}", "\u{E9}", "\u{A0}", "\t", "·", "\u{2F00}",
        ]
        var random = SeededGenerator(seed: 20261205)
        var names = pieces + ["", " 李会计", "李会计 ", "李 会计", "李  会计", "Wang Li", "Wang  Li"]
        for _ in 0..<20_000 {
            names.append((0..<Int.random(in: 1...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
        }
        var shortcuts = 0
        for name in names {
            if PersonName.isAlreadyNormal(name) { shortcuts += 1 }
            #expect(PersonName.normalized(name) == PersonName.normalizedFully(name), "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // The shortcut is taken, and not for everything.
        #expect(shortcuts > 1_000 && shortcuts < names.count - 1_000)
        #expect(PersonName.isAlreadyNormal("李会计") && PersonName.isAlreadyNormal("Wang Li"))
        #expect(!PersonName.isAlreadyNormal("\u{F900}") && !PersonName.isAlreadyNormal("李 ") && !PersonName.isAlreadyNormal("Ｚ"))
    }

    @Test("a remembered comparison key is the key worked out afresh, before and after the memory is cleared")
    func rememberedComparisonKeys() {
        var random = SeededGenerator(seed: 17)
        let pieces = ["周", "麗", "丽", "Ｚ", "z", "Z", " ", "\u{3000}", "e\u{301}", "\u{E9}", "張", "张", "a"]
        // More distinct names than the memory keeps, so it is cleared at least once on the way.
        var names: [String] = []
        for index in 0..<(PersonName.knownKeysMax + 500) {
            names.append((0..<Int.random(in: 1...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() + "\(index)")
        }
        for name in names + names.shuffled(using: &random) {
            #expect(PersonName.comparisonKey(name) == PersonName.freshComparisonKey(name), "\(name)")
        }
        // A name longer than any record holds is answered, not remembered.
        let long = String(repeating: "麗", count: 2_000)
        #expect(PersonName.comparisonKey(long) == PersonName.freshComparisonKey(long))
        if PersonName.foldsTraditionalChinese { #expect(PersonName.samePerson("周麗", "周丽 ")) }
    }

    @Test("the same person however written")
    func samePerson() {
        #expect(PersonName.samePerson("周丽", "周丽 "))
        #expect(PersonName.samePerson("ＺＨＯＵ", "ZHOU"))
        #expect(PersonName.samePerson("zhou", "ZHOU"))
        #expect(!PersonName.samePerson("周丽", "何军"))
        #expect(!PersonName.samePerson("", ""))
        #expect(!PersonName.samePerson("  ", " "))
        if PersonName.foldsTraditionalChinese {
            #expect(PersonName.samePerson("周丽", "周麗"))
        }
    }

    /// Linux Foundation ships ICU's Hant-Hans transform: the fold is in force on the CI machine.
    @Test func traditionalFoldAvailableOnThisPlatform() {
        #expect(PersonName.foldsTraditionalChinese)
        #expect(PersonName.comparisonKey("周麗") == "周丽")
    }
}

@Suite("plausible voucher dates (D003)")
struct VoucherDateRuleTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 20)!
    static let recognized = CalendarDate(year: 2025, month: 12, day: 15)!
    let rule = VoucherDateRule(today: today, recognized: recognized)

    @Test func refused() {
        for date in [
            CalendarDate(year: 1970, month: 1, day: 1)!, CalendarDate(year: 2099, month: 1, day: 1)!,
            Self.recognized.adding(days: -400), Self.today.adding(days: 32), CalendarDate(year: 1999, month: 12, day: 31)!,
        ] {
            do {
                try rule.check(date)
                Issue.record("\(date.iso) must be refused")
            } catch {
                #expect(error.code == .dateImplausible && error.field == "date")
                #expect(error.message.contains(date.iso))
            }
        }
    }

    @Test func accepted() throws {
        for date in [Self.recognized.adding(days: -300), Self.today.adding(days: 31), Self.today, Self.recognized.adding(years: -1)] {
            try rule.check(date)
        }
        // Without a studio, only the fixed bounds.
        try VoucherDateRule(today: Self.today, recognized: nil).check(CalendarDate(year: 2000, month: 1, day: 1)!)
    }
}

