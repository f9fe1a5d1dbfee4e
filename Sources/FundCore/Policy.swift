import Foundation

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
    /// Which load of this policy id it is (`policy add`: 1, 2, …); nil for a shipped file.
    public var version: Int? = nil

    /// The id and, for a loaded policy, its version: what findings name as the policy applied.
    public var label: String { version.map { "\(id) 第 \($0) 版" } ?? id }

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

extension Policy {
    /// A document number as printed on the measures: 资人社规〔2025〕2号.
    static var documentNumber: Regex<Substring> { #/〔[0-9０-９]{4}〕\s*[0-9０-９]+\s*号/# }

    /// The policy in `data` (JSON), for `policy add`: a decoding failure names the field and the
    /// line it is on; the dates must be in order, the id and document non-empty; a `document`
    /// naming a document number needs `text` (the document's own text) containing that number —
    /// the ledger never prints a document number whose content it does not have.
    public static func parse(_ data: Data, file: String, text: String?) throws(LocatedRejection) -> Policy {
        let source = String(decoding: data, as: UTF8.self)
        func fail(_ field: String, line: Int?, _ message: String) -> LocatedRejection {
            LocatedRejection(file: file, line: line, rejection: Rejection(.policyInvalid, field: field, message))
        }
        func line(of key: String) -> Int? {
            for (index, text) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where text.contains("\"\(key)\"") { return index + 1 }
            return nil
        }
        let policy: Policy
        do { policy = try JSONDecoder().decode(Policy.self, from: data) } catch let error as DecodingError {
            let (path, why): ([any CodingKey], String) = switch error {
            case .keyNotFound(let key, let context): (context.codingPath + [key], "缺少字段")
            case .typeMismatch(_, let context), .valueNotFound(_, let context): (context.codingPath, "类型或取值不对：\(context.debugDescription)")
            case .dataCorrupted(let context): (context.codingPath, "不是有效的 JSON 或取值无效：\(context.debugDescription)")
            @unknown default: ([], "\(error)")
            }
            let field = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            let last = path.last { $0.intValue == nil }?.stringValue
            throw fail(field.isEmpty ? "policy" : field, line: last.flatMap(line(of:)), "政策文件无效（\(field.isEmpty ? "整个文件" : field)）：\(why)")
        } catch {
            throw fail("policy", line: nil, "政策文件无效：\(error)")
        }
        guard policy.version == nil else { throw fail("version", line: line(of: "version"), "version 由账簿编号，文件中不得填写") }
        guard !policy.id.trimmingSpaces.isEmpty, policy.id.count <= 64 else { throw fail("id", line: line(of: "id"), "id 不能为空，且不超过 64 个字符") }
        guard !policy.document.trimmingSpaces.isEmpty else { throw fail("document", line: line(of: "document"), "document 不能为空") }
        guard policy.effectiveFrom <= policy.effectiveTo else {
            throw fail("effectiveTo", line: line(of: "effectiveTo"), "effectiveTo \(policy.effectiveTo.iso) 早于 effectiveFrom \(policy.effectiveFrom.iso)")
        }
        for match in policy.document.matches(of: documentNumber) {
            let number = String(policy.document[match.range])
            guard let text, text.contains(number) else {
                throw fail(
                    "document", line: line(of: "document"),
                    "document 写有文号 \(number)，但未提供该文件原文（--text），或原文中没有这个文号：不收录内容未知的文号")
            }
        }
        return policy
    }
}

/// A policy or holiday schedule a bureau loaded into the ledger (`policy add`, `calendar add`):
/// append-only, versioned per key (policy id, or the years a schedule covers).
public struct LoadedDocument: Sendable, Hashable {
    public enum Kind: String, Sendable { case policy, calendar }
    public let id: Int64
    public let kind: Kind
    public let key: String
    public let version: Int
    public let sha256: String
    public let content: String
    /// The measures' own text, for a policy loaded with `--text`.
    public let sourceText: String
    public let fileName: String
    public let at: String
    public let user: String

    public init(
        id: Int64, kind: Kind, key: String, version: Int, sha256: String, content: String, sourceText: String, fileName: String,
        at: String, user: String
    ) {
        self.id = id
        self.kind = kind
        self.key = key
        self.version = version
        self.sha256 = sha256
        self.content = content
        self.sourceText = sourceText
        self.fileName = fileName
        self.at = at
        self.user = user
    }
}
