/// What an auditor would call the finding; the vocabulary is fixed and shared with reports.
public enum FindingCategory: String, CaseIterable, Sendable, Codable {
    case ineligibleSpending = "ineligible-spending"
    case needsJustification = "needs-justification"
    case outsideWindow = "outside-window"
    case fundDiversion = "fund-diversion"
    case overdrawnFund = "overdrawn-fund"
    case subsidyShortfall = "subsidy-shortfall"
    case subsidyOverCap = "subsidy-over-cap"
    case duplicateInvoice = "duplicate-invoice"
    case missingEvidence = "missing-evidence"
    case cashOverLimit = "cash-over-limit"
    case splitPayment = "split-payment"
    case periodEndSurge = "period-end-surge"
    case roundAmountRetail = "round-amount-retail"
    case allowanceMemo = "allowance-memo"
    case individualPayment = "individual-payment"
    case receiptNetting = "receipt-netting"
    case incomeInPayables = "income-in-payables"
    case staleBalance = "stale-balance"
    case lowExecution = "low-execution"
    case weekendHoliday = "weekend-holiday"
    case selfApproval = "self-approval"
    case benford
    case parallelEntries = "parallel-entries"

    /// The category as a Chinese auditor names it, in every printed report (the code stays in JSON).
    public var chineseName: String {
        switch self {
        case .ineligibleSpending: "超范围列支"
        case .needsJustification: "需说明的支出"
        case .outsideWindow: "建设期外支出"
        case .fundDiversion: "挤占挪用"
        case .overdrawnFund: "资金透支"
        case .subsidyShortfall: "补助资金未足额到位"
        case .subsidyOverCap: "补助超过核定额"
        case .duplicateInvoice: "发票重复报销"
        case .missingEvidence: "缺少原始凭证"
        case .cashOverLimit: "超限额现金支付"
        case .splitPayment: "拆分支付"
        case .periodEndSurge: "期末突击支出"
        case .roundAmountRetail: "整数金额零星采购"
        case .allowanceMemo: "以补贴名义发放"
        case .individualPayment: "向个人支付"
        case .receiptNetting: "收支坐支"
        case .incomeInPayables: "收入挂往来"
        case .staleBalance: "长期挂账"
        case .lowExecution: "预算执行率偏低"
        case .weekendHoliday: "节假日业务"
        case .selfApproval: "未经他人审核"
        case .benford: "金额分布异常（本福特定律）"
        case .parallelEntries: "未平行记账"
        }
    }
}

public enum Severity: String, CaseIterable, Sendable, Codable, Comparable {
    case violation, warning, notice

    public var chineseName: String {
        switch self {
        case .violation: return "违规"
        case .warning: return "预警"
        case .notice: return "提示"
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The voucher a finding is about, as the auditor will look it up.
public struct FindingVoucher: Sendable, Hashable, Codable {
    public let period: String
    public let `class`: String
    public let number: Int
    public let sourceRef: String?

    public init(_ voucher: PostedVoucher) {
        period = voucher.ref.period.iso
        `class` = voucher.ref.voucherClass.rawValue
        number = voucher.ref.number
        sourceRef = voucher.draft.sourceRef
    }
}

/// An audit finding: a value, never an error. The ledger records what happened; findings say
/// what an auditor would object to, citing the article of the measures it breaks.
public struct Finding: Sendable, Hashable, Codable {
    public let rule: String
    public let category: FindingCategory
    public let severity: Severity
    public let studio: String
    public let voucher: FindingVoucher?
    /// 1-based line of the voucher, when the finding is about one line.
    public let line: Int?
    public let fund: Fund?
    public let amountFen: Int64
    public let article: String
    public let message: String
    public let remedy: String
    /// The accountant's explanation and the reviewer's decision, when there are any; rules
    /// leave it empty and the application fills it from the store.
    public var review: FindingReview?

    /// A stable identity across runs: rule, studio, voucher and line ("SUB-001/S1/2026-04/记-3/1").
    public var key: String {
        let voucherPart = voucher.map { "\($0.period)/\($0.class)-\($0.number)" } ?? "-"
        return "\(rule)/\(studio)/\(voucherPart)/\(line.map(String.init) ?? "-")"
    }

    private enum EncodedKeys: String, CodingKey {
        case rule, category, severity, studio, voucher, line, fund, amountFen, article, message, remedy, review, key
    }

    /// The stored fields, and `key` beside them: what `finding explain KEY` takes, so that a
    /// tool reading the JSON can act on a finding.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EncodedKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(category, forKey: .category)
        try container.encode(severity, forKey: .severity)
        try container.encode(studio, forKey: .studio)
        try container.encodeIfPresent(voucher, forKey: .voucher)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encodeIfPresent(fund, forKey: .fund)
        try container.encode(amountFen, forKey: .amountFen)
        try container.encode(article, forKey: .article)
        try container.encode(message, forKey: .message)
        try container.encode(remedy, forKey: .remedy)
        try container.encodeIfPresent(review, forKey: .review)
        try container.encode(key, forKey: .key)
    }

    public init(
        rule: String, category: FindingCategory, severity: Severity, studio: String, voucher: PostedVoucher?,
        line: Int? = nil, fund: Fund?, amount: Money, article: String, message: String, remedy: String
    ) {
        self.rule = rule
        self.category = category
        self.severity = severity
        self.studio = studio
        self.voucher = voucher.map(FindingVoucher.init)
        self.line = line
        self.fund = fund
        self.amountFen = amount.fen
        self.article = article
        self.message = message
        self.remedy = remedy
    }
}

/// Where a finding stands: explained by the accountant, then accepted or rejected by a reviewer.
public struct FindingReview: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case explained, accepted, rejected

        public var chineseName: String {
            switch self {
            case .explained: return "已说明待审核"
            case .accepted: return "说明已接受"
            case .rejected: return "说明被驳回"
            }
        }
    }

    public let status: Status
    public let explanation: String
    public let explainedBy: String
    public let decidedBy: String?
    public let decisionNote: String?

    public init(status: Status, explanation: String, explainedBy: String, decidedBy: String?, decisionNote: String?) {
        self.status = status
        self.explanation = explanation
        self.explainedBy = explainedBy
        self.decidedBy = decidedBy
        self.decisionNote = decisionNote
    }
}
