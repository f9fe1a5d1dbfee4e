/// The three fund sources of a studio's project (第二条). Each is a self-balancing book.
public enum Fund: String, CaseIterable, Sendable, Codable, Comparable {
    case subsidy = "subsidy"
    case enterprise = "enterprise"
    case selfRaised = "self-raised"

    /// 补助资金 / 企业支持资金 / 自筹资金
    public var chineseName: String {
        switch self {
        case .subsidy: return "补助资金"
        case .enterprise: return "企业支持资金"
        case .selfRaised: return "自筹资金"
        }
    }

    public static func < (lhs: Fund, rhs: Fund) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Accepts the English code or the Chinese name (also 补助/企业/自筹 and 财政补助资金).
    public static func parse(_ text: String) throws(Rejection) -> Fund {
        let trimmed = text.trimmingSpaces
        if let fund = Fund(rawValue: trimmed) { return fund }
        switch trimmed {
        case "补助资金", "补助", "财政补助资金", "市级补助资金": return .subsidy
        case "企业支持资金", "企业支持", "企业": return .enterprise
        case "自筹资金", "自筹": return .selfRaised
        default: break
        }
        let lowered = trimmed.lowercased()
        if let fund = Fund(rawValue: lowered) { return fund }
        if lowered == "self_raised" || lowered == "selfraised" { return .selfRaised }
        throw Rejection(
            .fundUnknown, field: "fund",
            "资金来源“\(text)”无效（应为 补助资金/企业支持资金/自筹资金 或 subsidy/enterprise/self-raised）")
    }
}

/// 依托单位 kinds named by the measures: enterprises, public training bases, vocational colleges.
public enum HostUnitKind: String, CaseIterable, Sendable, Codable {
    case enterprise = "enterprise"
    case trainingBase = "training-base"
    case college = "college"

    public var chineseName: String {
        switch self {
        case .enterprise: return "企业"
        case .trainingBase: return "公共实训基地"
        case .college: return "职业院校"
        }
    }

    public static func parse(_ text: String) throws(Rejection) -> HostUnitKind {
        let trimmed = text.trimmingSpaces
        if let kind = HostUnitKind(rawValue: trimmed.lowercased()) { return kind }
        if let kind = allCases.first(where: { $0.chineseName == trimmed }) { return kind }
        throw Rejection(
            .hostUnitKindUnknown, field: "kind",
            "依托单位类型“\(text)”无效（应为 enterprise/training-base/college）")
    }
}

/// A host unit (依托单位 / 建设单位).
/// A host unit's confidentiality marking (第十二条: 涉密单位): a row of its own, the latest of
/// which is in force. Its studios' evidence files stay out of packages and exports unless
/// included on purpose, and every output says it is marked.
public struct HostUnitMarking: Hashable, Sendable {
    public let hostUnit: CreditCode
    public let confidential: Bool
    /// Why: the bureau's decision or the unit's secrecy classification.
    public let basis: String
    public let date: CalendarDate
    public let at: String
    public let user: String

    public init(hostUnit: CreditCode, confidential: Bool, basis: String, date: CalendarDate, at: String = "", user: String = "") {
        self.hostUnit = hostUnit
        self.confidential = confidential
        self.basis = basis
        self.date = date
        self.at = at
        self.user = user
    }

    /// What outputs print for a marked host unit.
    public static let label = "涉密"
}

public struct HostUnit: Hashable, Sendable, Codable {
    public let creditCode: CreditCode
    public let name: String
    public let kind: HostUnitKind
    public let county: String

    public init(creditCode: CreditCode, name: String, kind: HostUnitKind, county: String) throws(Rejection) {
        self.creditCode = creditCode
        self.name = try requireName(name, field: "name", label: "依托单位名称")
        self.kind = kind
        self.county = try requireName(county, field: "county", label: "所在县（区）")
    }
}

/// A skill master studio (技能大师工作室) and its one set of project books.
public struct Studio: Hashable, Sendable, Codable {
    public let code: String
    public let name: String
    public let hostUnit: CreditCode
    public let leader: String
    public let field: String
    public let recognized: CalendarDate
    public let approvedSubsidy: Money

    public init(
        code: String, name: String, hostUnit: CreditCode, leader: String, field: String,
        recognized: CalendarDate, approvedSubsidy: Money
    ) throws(Rejection) {
        let trimmedCode = code.trimmingSpaces
        let codeOK = !trimmedCode.isEmpty && trimmedCode.count <= 32
            && trimmedCode.allSatisfy { $0.isASCIIDigit || ($0.isASCII && ($0.isLetter || $0 == "-" || $0 == "_")) }
        guard codeOK else {
            throw Rejection(
                .studioCodeInvalid, field: "code",
                "工作室编号“\(code)”无效（1–32 位字母、数字、- 或 _）")
        }
        guard approvedSubsidy.fen >= 0, approvedSubsidy.fen <= Limits.approvedSubsidyFenMax else {
            throw Rejection(
                .subsidyOutOfRange, field: "subsidy",
                "核定补助资金 \(approvedSubsidy.plainString) 元超出范围（0 至 \(Money(fen: Limits.approvedSubsidyFenMax).plainString) 元）")
        }
        guard Studio.recognitionYears.contains(recognized.year) else {
            throw Rejection(
                .dateInvalid, field: "recognized",
                "认定日期 \(recognized.iso) 超出范围（\(Studio.recognitionYears.lowerBound)–\(Studio.recognitionYears.upperBound) 年）")
        }
        self.code = trimmedCode
        self.name = try requireName(name, field: "name", label: "工作室名称")
        self.hostUnit = hostUnit
        self.leader = try requireName(leader, field: "leader", label: "领办人")
        self.field = try TextField.validate(field.trimmingSpaces, field: "field")
        self.recognized = recognized
        self.approvedSubsidy = approvedSubsidy
    }

    /// Years a recognition date may fall in: any real studio, and far enough from the end of
    /// the calendar we support that its window (and later deadlines) stay representable.
    public static let recognitionYears = 1990...2900

    /// The construction window (第四条: 2 years from recognition): the first and last day,
    /// inclusive, by the one deadline rule of `Deadlines` (民法典 第二百零一、二百零二条).
    /// Recognised 2025-12-15 → 2025-12-15 … 2027-12-15; 2024-02-29 → … 2026-02-28.
    public var constructionWindow: ClosedRange<CalendarDate> {
        recognized...Deadlines.constructionEnd(recognized: recognized)
    }

    /// The same studio under another leader or host unit (第十一条: an approved change keeps
    /// the studio's identity, its books and its recognition; only these two move). The new
    /// leader was validated as a name when the change took effect (`StudioChangeEffect`).
    public func replacing(leader newLeader: String? = nil, hostUnit newHostUnit: CreditCode? = nil) -> Studio {
        Studio(
            verified: code, name: name, hostUnit: newHostUnit ?? hostUnit, leader: newLeader ?? leader, field: field,
            recognized: recognized, approvedSubsidy: approvedSubsidy)
    }

    /// A copy of fields that have passed `init`'s checks already.
    private init(
        verified code: String, name: String, hostUnit: CreditCode, leader: String, field: String, recognized: CalendarDate,
        approvedSubsidy: Money
    ) {
        precondition(!leader.isEmpty, "a studio always has a leader")
        self.code = code
        self.name = name
        self.hostUnit = hostUnit
        self.leader = leader
        self.field = field
        self.recognized = recognized
        self.approvedSubsidy = approvedSubsidy
    }
}

func requireName(_ value: String, field: String, label: String) throws(Rejection) -> String {
    let trimmed = value.trimmingSpaces
    if trimmed.isEmpty { throw Rejection(.fieldEmpty, field: field, "\(label)不能为空") }
    try TextField.validate(trimmed, field: field)
    if trimmed.count > Limits.nameLengthMax {
        throw Rejection(.fieldTooLong, field: field, "\(label)超过 \(Limits.nameLengthMax) 个字符")
    }
    return trimmed
}
