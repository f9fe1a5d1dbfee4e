import BigInt

/// The studio's outputs (第十三条) as recorded activities, and the performance targets and
/// scoring of the unit self-evaluation (财预〔2020〕10号). Every quantity is an integer in
/// hundredths of its unit (5 people = 500, 90 % = 9,000, 1.00 yuan = 100 fen), and every
/// score is in hundredths of a point, so nothing is ever rounded through a float.

/// What an activity record is about.
public enum ActivityKind: String, CaseIterable, Sendable, Codable {
    case training = "training"
    case apprentice = "apprentice"
    case project = "project"
    case exchange = "exchange"
    case rule = "rule"
    case premises = "premises"
    case equipment = "equipment"
    case award = "award"

    public var chineseName: String {
        switch self {
        case .training: return "培训"
        case .apprentice: return "带徒传技"
        case .project: return "研发创新项目"
        case .exchange: return "交流推广"
        case .rule: return "制度建设"
        case .premises: return "场所条件"
        case .equipment: return "设备"
        case .award: return "竞赛获奖"
        }
    }

    /// What `quantity` counts for this kind.
    public var quantityMeaning: String {
        switch self {
        case .training: return "参训人次"
        case .apprentice: return "徒弟人数"
        case .project: return "项目数"
        case .exchange: return "覆盖单位数"
        case .rule: return "制度数"
        case .premises: return "面积（平方米）"
        case .equipment: return "台（套）数"
        case .award: return "获奖人次"
        }
    }

    /// What `achieved` means for this kind.
    public var achievedMeaning: String {
        switch self {
        case .apprentice: return "取证或晋级"
        case .project: return "通过验收"
        case .equipment: return "在用"
        default: return "达成"
        }
    }

    public static func parse(_ text: String) throws(Rejection) -> ActivityKind {
        let trimmed = text.trimmingSpaces
        if let kind = ActivityKind(rawValue: trimmed.lowercased()) { return kind }
        if let kind = allCases.first(where: { $0.chineseName == trimmed }) { return kind }
        let aliases: [String: ActivityKind] = [
            "带徒": .apprentice, "徒弟": .apprentice, "研发": .project, "项目": .project, "创新": .project,
            "交流": .exchange, "推广": .exchange, "制度": .rule, "场所": .premises, "获奖": .award,
        ]
        if let kind = aliases[trimmed] { return kind }
        throw Rejection(
            .activityKindUnknown, field: "kind",
            "活动类型“\(text)”无效（应为 \(allCases.map { "\($0.rawValue)/\($0.chineseName)" }.joined(separator: "、"))）")
    }
}

/// One entry of a studio's activity record, with its evidence where there is one.
public struct Activity: Hashable, Sendable, Codable {
    public let studio: String
    public let date: CalendarDate
    public let kind: ActivityKind
    public let title: String
    /// See `ActivityKind.quantityMeaning`.
    public let quantity: Int
    /// Economic benefit (projects) or cost (equipment), in fen.
    public let amount: Money
    /// See `ActivityKind.achievedMeaning`; nil when it does not apply or is not known yet.
    public let achieved: Bool?
    /// A reference to the evidence: a file name, an archive number or an evidence SHA-256.
    public let evidence: String?
    public let note: String

    public static let quantityMax = 1_000_000

    public init(
        studio: String, date: CalendarDate, kind: ActivityKind, title: String, quantity: Int = 1, amount: Money = .zero,
        achieved: Bool? = nil, evidence: String? = nil, note: String = ""
    ) throws(Rejection) {
        guard (0...Self.quantityMax).contains(quantity) else {
            throw Rejection(.activityInvalid, field: "quantity", "数量 \(quantity) 超出范围（0–\(Self.quantityMax)）")
        }
        guard !amount.isNegative, amount.fen <= Limits.lineAmountFenMax else {
            throw Rejection(.activityInvalid, field: "amount", "金额 \(amount.plainString) 超出范围")
        }
        let trimmedEvidence = evidence?.trimmingSpaces
        if let trimmedEvidence, trimmedEvidence.count > Limits.memoLengthMax {
            throw Rejection(.fieldTooLong, field: "evidence", "证明材料引用超过 \(Limits.memoLengthMax) 个字符")
        }
        if note.trimmingSpaces.count > Limits.memoLengthMax {
            throw Rejection(.fieldTooLong, field: "note", "备注超过 \(Limits.memoLengthMax) 个字符")
        }
        if let trimmedEvidence { try TextField.validate(trimmedEvidence, field: "evidence") }
        try TextField.validate(note, field: "note")
        self.studio = studio
        self.date = date
        self.kind = kind
        self.title = try requireName(title, field: "title", label: "活动名称")
        self.quantity = quantity
        self.amount = amount
        self.achieved = achieved
        self.evidence = (trimmedEvidence?.isEmpty ?? true) ? nil : trimmedEvidence
        self.note = note.trimmingSpaces
    }

    /// What makes two records the same activity: studio, date, kind and title. A second
    /// record with the same identity is rejected (L023) rather than counted twice.
    public struct Identity: Hashable, Sendable {
        public let studio: String
        public let date: CalendarDate
        public let kind: ActivityKind
        public let title: String
    }

    public var identity: Identity { Identity(studio: studio, date: date, kind: kind, title: title) }

    /// "2026-03-05 带徒传技“徒弟甲”", for messages.
    public var label: String { "\(date.iso) \(kind.chineseName)“\(title)”" }

    /// 是/否, yes/no, true/false, 1/0; empty is nil.
    public static func parseAchieved(_ text: String) throws(Rejection) -> Bool? {
        switch text.trimmingSpaces.lowercased() {
        case "": return nil
        case "是", "y", "yes", "true", "1", "已取证", "已晋级", "通过", "在用": return true
        case "否", "n", "no", "false", "0", "未通过", "闲置": return false
        default: throw Rejection(.activityInvalid, field: "achieved", "“\(text)”应为 是 或 否")
        }
    }
}

/// How an indicator is scored.
public enum IndicatorKind: String, CaseIterable, Sendable, Codable {
    /// More is better: points × actual / target, capped at the points.
    case quantitative
    /// Less is better (costs): points × target / actual, capped at the points.
    case inverse
    /// A rating in percent of the points, read in bands 100–80 / 80–60 / 60–0.
    case qualitative
    /// Full points less a deduction per confirmed violation (资金使用合规性).
    case deduction

    public var chineseName: String {
        switch self {
        case .quantitative: return "定量"
        case .inverse: return "定量（反向）"
        case .qualitative: return "定性"
        case .deduction: return "扣分"
        }
    }
}

/// Where an indicator's actual value comes from.
public enum IndicatorMeasure: Hashable, Sendable {
    /// Number of activities of a kind.
    case count(ActivityKind)
    /// Sum of the quantities of a kind.
    case sum(ActivityKind)
    /// Share of a kind's activities achieved (certified apprentices, accepted projects).
    case rate(ActivityKind)
    /// Sum of the amounts of a kind (economic benefit).
    case amount(ActivityKind)
    /// Typed in with the target (`target set --actual`), e.g. a satisfaction survey.
    case manual
    /// From the ledger: 预算执行率 of the subsidy, spent ÷ budget (财预〔2020〕10号: 全年执行数 ÷
    /// 全年预算数; the budget lines, or without any the approved subsidy), not 资金执行率 (spent ÷ received).
    case execution
    /// From the ledger: 资金到位率 of the subsidy (received / approved).
    case arrival
    /// From the ledger: confirmed violation findings (资金使用合规性).
    case compliance
    /// From the ledger: share of subsidy spending inside the construction window (时效).
    case timeliness
    /// From the ledger: equipment spending against its budget (成本, inverse).
    case equipmentCost

    public static func parse(_ text: String) throws(Rejection) -> IndicatorMeasure {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2, let kind = ActivityKind(rawValue: parts[1]) {
            switch parts[0] {
            case "count": return .count(kind)
            case "sum": return .sum(kind)
            case "rate": return .rate(kind)
            case "amount": return .amount(kind)
            default: break
            }
        }
        switch text {
        case "manual": return .manual
        case "ledger:execution": return .execution
        case "ledger:arrival": return .arrival
        case "ledger:compliance": return .compliance
        case "ledger:timeliness": return .timeliness
        case "ledger:equipment-cost": return .equipmentCost
        default:
            throw Rejection(.indicatorSetInvalid, field: "measure", "指标数据来源“\(text)”无效")
        }
    }

    public var text: String {
        switch self {
        case .count(let kind): return "count:\(kind.rawValue)"
        case .sum(let kind): return "sum:\(kind.rawValue)"
        case .rate(let kind): return "rate:\(kind.rawValue)"
        case .amount(let kind): return "amount:\(kind.rawValue)"
        case .manual: return "manual"
        case .execution: return "ledger:execution"
        case .arrival: return "ledger:arrival"
        case .compliance: return "ledger:compliance"
        case .timeliness: return "ledger:timeliness"
        case .equipmentCost: return "ledger:equipment-cost"
        }
    }

    public var fromLedger: Bool { text.hasPrefix("ledger:") }

    /// Human description of the source, for the reports.
    public var chineseSource: String {
        switch self {
        case .count(let kind): return "活动记录：\(kind.chineseName)次数"
        case .sum(let kind): return "活动记录：\(kind.chineseName)\(kind.quantityMeaning)合计"
        case .rate(let kind): return "活动记录：\(kind.chineseName)\(kind.achievedMeaning)比例"
        case .amount(let kind): return "活动记录：\(kind.chineseName)金额合计"
        case .manual: return "自评填报"
        case .execution: return "账簿：补助资金支出 ÷ 预算数（预算执行率）"
        case .arrival: return "账簿：补助资金实际到位 ÷ 核定补助"
        case .compliance: return "账簿：合规检查确认的违规事项"
        case .timeliness: return "账簿：建设期内补助资金支出占比"
        case .equipmentCost: return "账簿：设备购置支出 ÷ 设备预算"
        }
    }
}

/// One level-1 indicator (产出, 效益, 满意度, 预算执行率) and its weight.
public struct IndicatorCategory: Hashable, Sendable, Codable {
    public let id: String
    public let name: String
    /// Weight in points (the weights of a set add up to 100).
    public let weight: Int
}

/// One level-3 indicator with its level-2 group, points and scoring rule.
public struct IndicatorDefinition: Hashable, Sendable, Codable {
    public let id: String
    public let category: String
    /// Level-2 group: 数量, 质量, 时效, 成本, 经济, 社会, 可持续, 满意度 …
    public let group: String
    public let name: String
    /// The unit of target and actual: 人, 场, 人次, 项, 次, 个, 元, %.
    public let unit: String
    public let kind: IndicatorKind
    public let points: Int
    /// `IndicatorMeasure` text.
    public let measure: String
    /// The target used when the studio has set none (text, like "5" or "90").
    public let defaultTarget: String?
    /// Deduction indicators: points taken off per confirmed violation.
    public let deductionPerFinding: Int?
}

/// The indicator set (指标体系): data in `Reports/`, replaceable by an edited copy.
public struct IndicatorSet: Hashable, Sendable, Codable {
    public let name: String
    public let categories: [IndicatorCategory]
    public let indicators: [IndicatorDefinition]

    public init(name: String, categories: [IndicatorCategory], indicators: [IndicatorDefinition]) throws(Rejection) {
        self.name = name
        self.categories = categories
        self.indicators = indicators
        try validate()
    }

    public func indicator(_ id: String) throws(Rejection) -> IndicatorDefinition {
        guard let found = indicators.first(where: { $0.id == id }) else {
            throw Rejection(
                .indicatorUnknown, field: "indicator",
                "指标“\(id)”不在指标体系中（可用：\(indicators.map(\.id).joined(separator: "、"))）")
        }
        return found
    }

    /// The 产出 category, which receives the points of unset indicators (财预〔2020〕10号):
    /// the category with id `output`, else the first whose name starts with 产出.
    public var outputCategory: IndicatorCategory? {
        categories.first { $0.id == "output" } ?? categories.first { $0.name.hasPrefix("产出") }
    }

    public func measure(of indicator: IndicatorDefinition) -> IndicatorMeasure {
        // Validated on construction.
        try! IndicatorMeasure.parse(indicator.measure)
    }

    /// Weights add up to 100; each category's indicators add up to its weight; ids unique;
    /// every measure and default target readable.
    func validate() throws(Rejection) {
        func invalid(_ message: String) -> Rejection { Rejection(.indicatorSetInvalid, "指标体系无效：\(message)") }
        guard !categories.isEmpty, Set(categories.map(\.id)).count == categories.count else {
            throw invalid("一级指标为空或编号重复")
        }
        guard categories.reduce(0, { $0 + $1.weight }) == 100, categories.allSatisfy({ $0.weight > 0 }) else {
            throw invalid("一级指标权重之和应为 100")
        }
        guard Set(indicators.map(\.id)).count == indicators.count else { throw invalid("指标编号重复") }
        for category in categories {
            let own = indicators.filter { $0.category == category.id }
            guard own.reduce(0, { $0 + $1.points }) == category.weight else {
                throw invalid("“\(category.name)”下各指标分值之和应为 \(category.weight)")
            }
        }
        for indicator in indicators {
            guard categories.contains(where: { $0.id == indicator.category }) else {
                throw invalid("指标 \(indicator.id) 的一级指标 \(indicator.category) 不存在")
            }
            guard indicator.points > 0 else { throw invalid("指标 \(indicator.id) 分值应大于 0") }
            _ = try IndicatorMeasure.parse(indicator.measure)
            if let text = indicator.defaultTarget { _ = try PerformanceTarget.parseValue(text, field: "defaultTarget") }
            if indicator.kind == .deduction && (indicator.deductionPerFinding ?? 0) <= 0 {
                throw invalid("扣分指标 \(indicator.id) 须设每项扣分 deductionPerFinding")
            }
        }
    }
}

/// A studio's target for one indicator (set at recognition; a later setting supersedes),
/// optionally with a typed-in actual value and an explanation of any deviation.
public struct PerformanceTarget: Hashable, Sendable, Codable {
    public let studio: String
    public let indicator: String
    /// Hundredths of the indicator's unit.
    public let target: Int64
    public let actual: Int64?
    public let note: String

    public init(studio: String, indicator: String, target: Int64, actual: Int64?, note: String) throws(Rejection) {
        guard target > 0 else { throw Rejection(.targetInvalid, field: "target", "目标值应大于 0") }
        if let actual, actual < 0 { throw Rejection(.targetInvalid, field: "actual", "实际值不能为负") }
        try TextField.validate(note, field: "note")
        self.studio = studio
        self.indicator = indicator
        self.target = target
        self.actual = actual
        self.note = note.trimmingSpaces
    }

    /// "5", "90", "90%", "50000.00": at most two decimals, read into hundredths exactly.
    public static func parseValue(_ text: String, field: String) throws(Rejection) -> Int64 {
        var trimmed = text.trimmingSpaces
        if trimmed.hasSuffix("%") || trimmed.hasSuffix("％") { trimmed.removeLast() }
        do {
            let value = try Money.parse(trimmed)
            guard !value.isNegative else { throw Rejection(.targetInvalid, field: field, "数值不能为负") }
            return value.fen
        } catch {
            throw Rejection(.targetInvalid, field: field, "数值“\(text)”无效（非负数，最多两位小数）")
        }
    }
}

/// 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.
public enum Grade: String, CaseIterable, Sendable, Codable {
    case excellent = "优"
    case good = "良"
    case fair = "中"
    case poor = "差"

    public static func of(_ score: Score) -> Grade {
        switch score.hundredths {
        case 9_000...: return .excellent
        case 8_000..<9_000: return .good
        case 6_000..<8_000: return .fair
        default: return .poor
        }
    }
}

/// An exact non-negative score: `hundredths + remainder / denominator` hundredths of a point,
/// with 0 ≤ remainder < denominator in lowest terms (4 × 2/3 = 2.666… points is 266 + 2/3).
/// The denominator is bounded by the target or actual value it came from (an Int64), so one
/// indicator's score is always exact; `rounded` is for display only.
public struct ExactScore: Hashable, Sendable, Codable, CustomStringConvertible {
    public let hundredths: Int64
    public let remainder: Int64
    public let denominator: Int64

    public init(_ score: Score) {
        precondition(score.hundredths >= 0, "scores are not negative")
        self.hundredths = score.hundredths
        self.remainder = 0
        self.denominator = 1
    }

    /// a × b / c hundredths exactly, in 128-bit intermediate arithmetic; a, b ≥ 0, c > 0, and
    /// a × b / c below 2⁶³.
    public init(_ a: Int64, times b: Int64, over c: Int64) {
        precondition(a >= 0 && b >= 0 && c > 0, "fraction of non-negative values")
        let product = UInt64(a).multipliedFullWidth(by: UInt64(b))
        precondition(product.high < UInt64(c), "score beyond range")
        let (quotient, remainder) = UInt64(c).dividingFullWidth(product)
        precondition(quotient <= UInt64(Int64.max), "score beyond range")
        let divisor = Self.gcd(remainder, UInt64(c))
        self.hundredths = Int64(quotient)
        self.remainder = Int64(remainder / divisor)
        self.denominator = Int64(UInt64(c) / divisor)
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    public static let zero = ExactScore(.zero)

    public var isWhole: Bool { remainder == 0 }

    /// Half up to the hundredth of a point.
    public var rounded: Score { Score(hundredths: hundredths + (remainder >= denominator - remainder ? 1 : 0)) }

    /// "266+2/3" hundredths, for messages and tests.
    public var description: String { isWhole ? "\(hundredths)" : "\(hundredths)+\(remainder)/\(denominator)" }
}

/// The exact sum of indicator scores, rounded once: a total is never the sum of rounded
/// parts (18 indicators rounded each could move it by up to ±0.09 and across 90.00).
public struct ExactScoreSum: Sendable, CustomStringConvertible {
    private var hundredths: Int64 = 0
    /// The fractional hundredths, numerator over denominator; the denominator is the product of
    /// the parts' denominators, which can exceed 64 bits (hence BigInt's `BigUInt`).
    private var numerator = BigUInt(0)
    private var denominator = BigUInt(1)

    public init() {}

    public init<S: Sequence>(_ scores: S) where S.Element == ExactScore {
        for score in scores { add(score) }
    }

    public mutating func add(_ score: ExactScore) {
        hundredths += score.hundredths
        guard !score.isWhole else { return }
        numerator = numerator * BigUInt(UInt64(score.denominator)) + denominator * BigUInt(UInt64(score.remainder))
        denominator *= BigUInt(UInt64(score.denominator))
    }

    /// The exact sum rounded half up to the hundredth of a point, once.
    public var rounded: Score {
        // The fraction F = numerator / denominator is below the number of parts; the sum rounds
        // to hundredths + the number of k ≥ 1 with F ≥ k − ½, i.e. 2·numerator ≥ (2k − 1)·denominator,
        // that is k ≤ (2·numerator + denominator) / (2·denominator).
        let extra = (2 * numerator + denominator) / (2 * denominator)
        return Score(hundredths: hundredths + Int64(extra))
    }

    /// "hundredths + numerator/denominator", the fraction's parts in hexadecimal 64-bit words
    /// ("0x1_5" is 2⁶⁴ + 5).
    public var description: String { "\(hundredths) + \(Self.hex(numerator))/\(Self.hex(denominator))" }

    private static func hex(_ value: BigUInt) -> String {
        value.isZero ? "0" : "0x" + value.words.reversed().map { String($0, radix: 16) }.joined(separator: "_")
    }

    /// The sum rounded down to the hundredth of a point.
    public var floorHundredths: Int64 { hundredths + Int64(numerator / denominator) }

    /// Whether the part of a hundredth below `floorHundredths` is larger here than in `other`.
    public func hasLargerFraction(than other: ExactScoreSum) -> Bool {
        (numerator % denominator) * other.denominator > (other.numerator % other.denominator) * denominator
    }
}

public enum Scoring {
    /// The score of one indicator worth `points`, rounded half up to the hundredth of a point
    /// (for display; totals add `exactScore`).
    public static func score(_ kind: IndicatorKind, points: Score, target: Int64, actual: Int64) -> Score {
        exactScore(kind, points: points, target: target, actual: actual).rounded
    }

    /// The exact score of one indicator worth `points`, for a target and an actual value in
    /// the same unit (hundredths).
    public static func exactScore(_ kind: IndicatorKind, points: Score, target: Int64, actual: Int64) -> ExactScore {
        precondition(points.hundredths >= 0, "points are not negative")
        switch kind {
        case .quantitative:
            if target <= 0 || actual >= target { return ExactScore(points) }
            return ExactScore(points.hundredths, times: max(actual, 0), over: target)
        case .inverse:
            if actual <= target { return ExactScore(points) }
            return ExactScore(points.hundredths, times: max(target, 0), over: actual)
        case .qualitative:
            let rating = min(max(actual, 0), 10_000)
            return ExactScore(points.hundredths, times: rating, over: 10_000)
        case .deduction:
            // `actual` is the number of confirmed violations (in hundredths), `target` the
            // deduction per violation in hundredths of a point: points − actual × target / 100.
            let (deducted, overflow) = max(actual, 0).multipliedReportingOverflow(by: max(target, 0))
            let left = points.hundredths.multipliedReportingOverflow(by: 100)
            guard !overflow, !left.overflow, deducted < left.partialValue else { return .zero }
            return ExactScore(left.partialValue - deducted, times: 1, over: 100)
        }
    }

    /// Splits `amount` (≥ 0) over `weights` (≥ 0, not all 0) in proportion, by largest
    /// remainder: each part is amount × weight / Σweights rounded down, and the units left over
    /// go one each to the largest remainders (the earlier on a tie), so the parts always add up
    /// to `amount` exactly and each is within one unit of its exact share.
    public static func allocate(_ amount: Int64, proportionalTo weights: [Int64]) -> [Int64] {
        precondition(amount >= 0 && weights.allSatisfy { $0 >= 0 }, "allocation of non-negative values")
        let whole = weights.reduce(Int64(0)) { $0 + $1 }
        precondition(whole > 0, "allocation needs a positive weight")
        var parts: [Int64] = []
        var remainders: [(remainder: UInt64, index: Int)] = []
        for (index, weight) in weights.enumerated() {
            let (quotient, remainder) = UInt64(whole).dividingFullWidth(UInt64(amount).multipliedFullWidth(by: UInt64(weight)))
            parts.append(Int64(quotient))
            remainders.append((remainder, index))
        }
        let left = amount - parts.reduce(0, +)
        let largest = remainders.sorted { ($0.remainder, -$0.index) > ($1.remainder, -$1.index) }
        for entry in largest.prefix(Int(left)) { parts[entry.index] += 1 }
        return parts
    }

    /// What to print for exact parts that must add up on paper to `total` (their exact sum
    /// rounded once, or a printed subtotal allocated the same way): each part rounded down, and
    /// the hundredths left over one each to the largest fractions (the earlier on a tie). Each
    /// printed part is its exact value rounded down or up; the total itself never moves.
    public static func displayHundredths(_ parts: [ExactScoreSum], total: Int64) -> [Int64] {
        var shown = parts.map(\.floorHundredths)
        let left = total - shown.reduce(0, +)
        precondition(left >= 0 && left <= Int64(parts.count), "the total is the parts' exact sum, rounded")
        let order = parts.indices.sorted { a, b in
            if parts[a].hasLargerFraction(than: parts[b]) { return true }
            if parts[b].hasLargerFraction(than: parts[a]) { return false }
            return a < b
        }
        for index in order.prefix(Int(left)) { shown[index] += 1 }
        assert(shown.reduce(0, +) == total, "the printed parts add up to the total")
        return shown
    }

    /// Band of a qualitative rating: 好 (100–80 %), 中 (80–60 %), 差 (below 60 %).
    public static func band(_ rating: Int64) -> String {
        rating >= 8_000 ? "好" : (rating >= 6_000 ? "中" : "差")
    }

    /// a × b / c rounded half up, in 128-bit intermediate arithmetic; c > 0, a, b ≥ 0.
    static func fraction(_ a: Int64, times b: Int64, over c: Int64) -> Int64 {
        precondition(a >= 0 && b >= 0 && c > 0, "fraction of non-negative values")
        let product = UInt64(a).multipliedFullWidth(by: UInt64(b))
        let divisor = UInt64(c)
        guard product.high < divisor else { return .max }
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        let rounded = remainder >= divisor - remainder ? quotient + 1 : quotient
        return Int64(clamping: rounded)
    }

    /// The share `part / whole` in hundredths of a percent (nil for an empty whole).
    public static func rate(_ part: Int64, of whole: Int64) -> Int64? {
        guard whole > 0 else { return nil }
        return fraction(max(part, 0), times: 10_000, over: whole)
    }

    /// "5", "5.5", "90.25": a quantity in hundredths without trailing zeros.
    public static func quantityText(_ hundredths: Int64) -> String {
        let negative = hundredths < 0
        let magnitude = hundredths.magnitude
        var text = "\(magnitude / 100)"
        let cents = magnitude % 100
        if cents != 0 { text += cents % 10 == 0 ? ".\(cents / 10)" : (cents < 10 ? ".0\(cents)" : ".\(cents)") }
        return (negative ? "-" : "") + text
    }
}
