/// The pinyin initials of account names, for finding an account by typing them (银行存款 →
/// yhck), as accountants do in 用友 and 金蝶. The table holds the characters of the shipped
/// chart's names, each with the reading it has there (银行 háng, 差旅 chāi, 偿还 huán); a
/// character it lacks is skipped, and ASCII letters and digits stand for themselves.
public enum PinyinInitials {
    static let table: [Character: Character] = {
        let groups: [(Character, String)] = [
            ("b", "办备本补部"), ("c", "产传偿出存差持材筹车"), ("d", "单定对带待"), ("f", "付发服罚费"),
            ("g", "个公固工广购"), ("h", "户行还"), ("j", "交借及基奖技级经结计金"), ("k", "库款"),
            ("l", "利料旅来流累辆"), ("m", "目"), ("n", "内纳能"), ("p", "培"), ("q", "企其权"), ("r", "人入"),
            ("s", "市收施术设识"), ("t", "他徒投推退"), ("w", "位务外往"), ("x", "息现训项"),
            ("y", "业余应用研银"), ("z", "专债助招支滞知置自账资"),
        ]
        var table: [Character: Character] = [:]
        for (initial, characters) in groups {
            for character in characters { table[character] = initial }
        }
        return table
    }()

    /// "银行存款" → "yhck".
    public static func of(_ text: String) -> String {
        var result = ""
        for character in text {
            if let initial = table[character] {
                result.append(initial)
            } else if character.isASCII, character.isLetter || character.isNumber {
                result.append(Character(character.lowercased()))
            }
        }
        return result
    }
}
