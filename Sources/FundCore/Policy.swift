/// Whether a spending category may be paid from a fund.
public enum Eligibility: String, Sendable, Codable {
    case allowed
    case needsJustification = "needs-justification"
    case forbidden

    public var chineseName: String {
        switch self {
        case .allowed: return "允许"
        case .needsJustification: return "需说明"
        case .forbidden: return "禁止"
        }
    }
}

/// Every threshold the rules use, in integer units (fen, days, months, per-mille).
public struct PolicyThresholds: Sendable, Hashable, Codable {
    /// 现金管理暂行条例 第五条: cash settlement above this needs an exempt category.
    public var cashLimitFen: Int64
    public var cashExemptCategories: [SpendingCategory]
    /// Payments to one counterparty under this, several within `splitWindowDays`, summing above it.
    public var splitApprovalFen: Int64
    public var splitWindowDays: Int
    public var splitPaymentsMin: Int
    /// Share of a year's (or the window's) spending in its last `surgeMonths` months, per mille.
    public var surgeSharePermille: Int
    public var surgeMonths: Int
    /// Spending below this in a year is not tested for a surge.
    public var surgeSpendingMinFen: Int64
    public var individualPaymentFen: Int64
    public var roundRetailMultipleFen: Int64
    public var retailKeywords: [String]
    public var allowanceKeywords: [String]
    public var staleMonths: Int
    public var lowExecutionPermille: Int
    /// The most one studio may be granted (第八条(一): a one-time 30,000 yuan).
    public var subsidyCapFen: Int64
    /// Days after recognition by which the approved subsidy should have arrived.
    public var subsidyArrivalDays: Int
    public var benfordLinesMin: Int
    /// Nigrini's nonconformity bound for the first-digit test (MAD), in millionths.
    public var benfordMADNonconformityMicros: Int
}

/// One version of the eligibility policy: the measures it implements, when it is in force, what
/// each fund may pay for, which categories block posting, and the thresholds.
public struct Policy: Sendable, Hashable, Codable {
    public let id: String
    public let document: String
    public let effectiveFrom: CalendarDate
    public let effectiveTo: CalendarDate
    public let eligibility: [String: [String: Eligibility]]
    public let block: [FindingCategory]
    public let thresholds: PolicyThresholds

    /// What `fund` may do with `category`; a category the policy does not name is treated as
    /// needing a justification, the cautious reading.
    public func eligibility(of category: SpendingCategory, for fund: Fund) -> Eligibility {
        eligibility[fund.rawValue]?[category.rawValue] ?? .needsJustification
    }

    /// The version in force on `date` among `policies`, else the newest that started before it.
    public static func inForce(on date: CalendarDate, among policies: [Policy]) -> Policy? {
        let started = policies.filter { $0.effectiveFrom <= date }.sorted { $0.effectiveFrom < $1.effectiveFrom }
        return started.last { date <= $0.effectiveTo } ?? started.last ?? policies.min { $0.effectiveFrom < $1.effectiveFrom }
    }
}
