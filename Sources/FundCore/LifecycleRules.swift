/// The states a studio passes through (第七条 application and review, 第十四条 acceptance,
/// 第九条(三)/第十条 revocation). A studio's state is the `to` of its latest transition.
public enum LifecycleState: String, CaseIterable, Sendable, Codable {
    case applied = "applied"
    case initialReview = "initial-review"
    case comprehensiveReview = "comprehensive-review"
    case publicNotice = "public-notice"
    case recognized = "recognized"
    case underConstruction = "under-construction"
    case acceptance = "acceptance"
    case rectification = "rectification"
    case reinspection = "re-inspection"
    case accepted = "accepted"
    case revoked = "revoked"

    public var chineseName: String {
        switch self {
        case .applied: return "已申报"
        case .initialReview: return "初审（县区人社或行业主管部门）"
        case .comprehensiveReview: return "综合评审（含实地考察）"
        case .publicNotice: return "拟建名单公示"
        case .recognized: return "已认定公布"
        case .underConstruction: return "建设中"
        case .acceptance: return "考核验收"
        case .rectification: return "限期整改"
        case .reinspection: return "整改后再次考核"
        case .accepted: return "验收合格"
        case .revoked: return "已撤销（取消资格）"
        }
    }

    /// The states reachable by an ordinary step (revocation is separate: see `isRevocable`).
    public var successors: [LifecycleState] {
        switch self {
        case .applied: return [.initialReview]
        case .initialReview: return [.comprehensiveReview]
        case .comprehensiveReview: return [.publicNotice]
        case .publicNotice: return [.recognized]
        case .recognized: return [.underConstruction]
        case .underConstruction: return [.acceptance]
        case .acceptance: return [.accepted, .rectification]
        case .rectification: return [.reinspection]
        case .reinspection: return [.accepted, .revoked]
        case .accepted, .revoked: return []
        }
    }

    /// A recognised studio can lose its title at any time on the grounds of 第十条; before
    /// recognition there is no title to take away.
    public var isRevocable: Bool {
        switch self {
        case .recognized, .underConstruction, .acceptance, .rectification, .reinspection, .accepted: return true
        case .applied, .initialReview, .comprehensiveReview, .publicNotice, .revoked: return false
        }
    }

    /// Whether the studio holds the title (认定后且未撤销).
    public var isRecognized: Bool { isRevocable }

    /// The first state recorded for a studio: its application, or (for a studio whose history
    /// before recognition is not kept here) its recognition.
    public static let entryStates: [LifecycleState] = [.applied, .recognized]

    public static func parse(_ text: String) throws(Rejection) -> LifecycleState {
        let trimmed = text.trimmingSpaces
        if let state = LifecycleState(rawValue: trimmed.lowercased()) { return state }
        if trimmed.lowercased() == "reinspection" { return .reinspection }
        if let state = allCases.first(where: { $0.chineseName == trimmed || $0.chineseName.hasPrefix(trimmed + "（") }) {
            return state
        }
        throw Rejection(
            .lifecycleStateUnknown, field: "to",
            "状态“\(text)”无效（应为 \(allCases.map(\.rawValue).joined(separator: "/"))）")
    }
}

/// Grounds for revocation: 第十条 (direct disqualification) and 第十四条 (failing re-inspection).
public enum RevocationGround: String, CaseIterable, Sendable, Codable {
    case hostUnitDeregistered = "host-unit-deregistered"
    case leaderLeft = "leader-left"
    case violation = "violation"
    case fraud = "fraud"
    case failedReinspection = "failed-reinspection"
    case other = "other"

    public var chineseName: String {
        switch self {
        case .hostUnitDeregistered: return "建设单位被注销或撤销，且无新建设单位（第十条）"
        case .leaderLeft: return "领衔人不再从事技能岗位、退休或离开申报单位，且无人接替（第十条）"
        case .violation: return "违法违规违纪或重大过失造成重大损失和严重后果（第十条）"
        case .fraud: return "弄虚作假、骗取建设项目资金（第十条）"
        case .failedReinspection: return "整改期满再次考核仍不合格（第十四条）"
        case .other: return "其他严重情况不能正常开展工作（第十条）"
        }
    }

    /// 第十四条 (追回全部补助资金) and fraud to obtain funds: the whole subsidy is due back.
    public var clawsBack: Bool { self == .fraud || self == .failedReinspection }

    /// What a report may say about recovering the subsidy, with its true basis: 第十四条 orders
    /// it for a failed re-inspection; 第十条 only disqualifies, so for fraud the recovery is the
    /// bureau's decision recorded in the revocation; where the measures are silent, nil (print
    /// nothing rather than "不涉及追回").
    public var recoveryBasis: String? {
        switch self {
        case .failedReinspection: return "按第十四条规定追回全部补助资金"
        case .fraud: return "依第十条取消资格，追回全部补助资金系撤销决定所定"
        case .hostUnitDeregistered, .leaderLeft, .violation, .other: return nil
        }
    }

    public static func parse(_ text: String) throws(Rejection) -> RevocationGround {
        if let ground = RevocationGround(rawValue: text.trimmingSpaces.lowercased()) { return ground }
        throw Rejection(
            .revocationGroundInvalid, field: "ground",
            "撤销事由“\(text)”无效（应为 \(allCases.map(\.rawValue).joined(separator: "/"))）")
    }
}

/// 通报表扬 and 警告 (第九条(三)): recorded against the studio, no change of state.
public enum GovernanceNoticeKind: String, CaseIterable, Sendable, Codable {
    case warning = "warning"
    case commendation = "commendation"

    public var chineseName: String { self == .warning ? "警告" : "通报表扬" }

    public static func parse(_ text: String) throws(Rejection) -> GovernanceNoticeKind {
        let trimmed = text.trimmingSpaces
        if let kind = GovernanceNoticeKind(rawValue: trimmed.lowercased()) { return kind }
        if let kind = allCases.first(where: { $0.chineseName == trimmed }) { return kind }
        throw Rejection(.noticeKindUnknown, field: "kind", "通报类别“\(text)”无效（应为 warning/commendation）")
    }
}

extension Lifecycle {
    /// Checks a warning or commendation (第九条(三)) against the studio's state: only a
    /// recognised studio (认定后、撤销前, at any point of construction, not only after acceptance)
    /// and not before its recognition. A warning may order rectification by a deadline (警告并
    /// 限期整改): after the notice's day; 第九条(三) sets no longest period, so none is imposed
    /// (the 6 months of 第十四条 bind only the rectification after a failed acceptance).
    public static func validateNotice(
        _ kind: GovernanceNoticeKind, date: CalendarDate, deadline: CalendarDate?, state: LifecycleState, studio: Studio
    ) throws(Rejection) {
        guard state.isRecognized, date >= studio.recognized else {
            throw Rejection(.noticeNotAllowed, field: "studio", "工作室 \(studio.code) 当前为“\(state.chineseName)”，不能予以\(kind.chineseName)")
        }
        guard let deadline else { return }
        guard kind == .warning else {
            throw Rejection(.rectificationDeadlineInvalid, field: "deadline", "只有警告才可同时限期整改（第九条第三项）")
        }
        guard deadline > date else {
            throw Rejection(.rectificationDeadlineInvalid, field: "deadline", "整改期限 \(deadline.iso) 应晚于警告日期 \(date.iso)")
        }
    }

    /// The warnings with a rectification deadline (警告并限期整改, 第九条(三)) still open in
    /// `records` (a studio's lifecycle records, oldest first): an order is settled by the next
    /// record of the studio dated on or after its deadline — a step, or the bureau's next
    /// warning or commendation, which is where the follow-up is recorded — and every order
    /// ends with revocation.
    public static func openRectificationOrders(_ records: [LifecycleRecord]) -> [LifecycleRecord] {
        if records.contains(where: { $0.kind == "transition" && $0.transition.to == .revoked }) { return [] }
        return records.enumerated().compactMap { index, record in
            guard record.kind == GovernanceNoticeKind.warning.rawValue, let deadline = record.transition.deadline else { return nil }
            let settled = records[(index + 1)...].contains { $0.transition.date >= deadline }
            return settled ? nil : record
        }
    }
}

/// An exact score in hundredths of a point (89.99 is 8,999): no floating point anywhere.
public struct Score: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let hundredths: Int64

    public init(hundredths: Int64) { self.hundredths = hundredths }
    public init(points: Int64) { self.hundredths = points * 100 }

    public static let zero = Score(hundredths: 0)
    public static let full = Score(points: 100)

    public static func < (lhs: Score, rhs: Score) -> Bool { lhs.hundredths < rhs.hundredths }

    /// "89.99"
    public var text: String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let cents = magnitude % 100
        return sign + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    public var description: String { text }

    /// "85", "85.5", "85.50": at most two decimals, 0…100.
    public static func parse(_ text: String, field: String = "score") throws(Rejection) -> Score {
        let fen: Money
        do { fen = try Money.parse(text) } catch {
            throw Rejection(.scoreOutOfRange, field: field, "分数“\(text)”无效（0–100，最多两位小数）")
        }
        guard fen.fen >= 0, fen.fen <= 10_000 else {
            throw Rejection(.scoreOutOfRange, field: field, "分数 \(text) 超出范围（0–100）")
        }
        return Score(hundredths: fen.fen)
    }
}

/// One dated, attributed step of a studio's lifecycle.
public struct LifecycleTransition: Hashable, Sendable, Codable {
    public let to: LifecycleState
    public let date: CalendarDate
    /// Who decided it (the county bureau, the review group, the inspectors).
    public let by: String
    public let note: String
    /// Revocations only.
    public let ground: RevocationGround?
    /// Rectifications only: the deadline the inspectors set (at most 6 months).
    public let deadline: CalendarDate?
    /// The inspectors' score, on leaving `acceptance` or `re-inspection`.
    public let score: Score?

    public init(
        to: LifecycleState, date: CalendarDate, by: String, note: String = "", ground: RevocationGround? = nil,
        deadline: CalendarDate? = nil, score: Score? = nil
    ) {
        self.to = to
        self.date = date
        self.by = by.trimmingSpaces
        self.note = note.trimmingSpaces
        self.ground = ground
        self.deadline = deadline
        self.score = score
    }
}

public enum Lifecycle {
    /// The state after `history` (nil: nothing recorded yet).
    public static func current(_ history: [LifecycleTransition]) -> LifecycleState? { history.last?.to }

    /// The state a studio is treated as being in: with nothing recorded, a registered studio
    /// has been recognised (registration records the recognition date).
    public static func effective(_ history: [LifecycleTransition]) -> LifecycleState { current(history) ?? .recognized }

    /// Whether `to` may follow `from` (nil: the first recorded state).
    public static func isLegal(from: LifecycleState?, to: LifecycleState) -> Bool {
        guard let from else { return LifecycleState.entryStates.contains(to) }
        if to == .revoked { return from.isRevocable }
        return from.successors.contains(to)
    }

    /// The state a step leaves: the latest recorded one; with nothing recorded, none for an
    /// entry step (`applied`, `recognized`) and otherwise the `recognized` that `effective`
    /// implies (a studio registered with `studio add` and no history kept here).
    public static func from(_ history: [LifecycleTransition], to next: LifecycleState) -> LifecycleState? {
        if let last = current(history) { return last }
        return LifecycleState.entryStates.contains(next) ? nil : .recognized
    }

    /// Checks `next` against the studio and its history; throws the reason it cannot happen.
    /// `today` is the app's clock: a decision cannot be recorded before it is taken.
    public static func validate(
        _ next: LifecycleTransition, after history: [LifecycleTransition], studio: Studio, today: CalendarDate
    ) throws(Rejection) {
        if next.by.isEmpty { throw Rejection(.actorMissing, field: "by", "须注明作出决定的单位或人员（--by）") }
        if next.by.count > Limits.nameLengthMax || next.note.count > Limits.memoLengthMax {
            throw Rejection(.fieldTooLong, field: "note", "决定单位不超过 \(Limits.nameLengthMax) 字，说明不超过 \(Limits.memoLengthMax) 字")
        }
        try TextField.validate(next.by, field: "by")
        try TextField.validate(next.note, field: "note")
        let from = from(history, to: next.to)
        guard isLegal(from: from, to: next.to) else { throw illegal(from: from, to: next.to) }
        if next.date > today {
            throw Rejection(
                .lifecycleDateOrder, field: "date", "日期 \(next.date.iso) 晚于今天 \(today.iso)：不能预先登记尚未作出的决定")
        }
        if let last = history.last, next.date < last.date {
            throw Rejection(
                .lifecycleDateOrder, field: "date",
                "日期 \(next.date.iso) 早于上一步“\(last.to.chineseName)”的日期 \(last.date.iso)")
        }
        try checkDate(next, from: from, history: history, studio: studio)
        try checkExtras(next, from: from)
    }

    static func illegal(from: LifecycleState?, to: LifecycleState) -> Rejection {
        let fromText = from?.chineseName ?? "（尚无记录）"
        let reason: String
        if from == .revoked {
            reason = "工作室已被撤销，撤销是终局状态"
        } else if from == .accepted && to != .revoked {
            reason = "已验收合格，只可因第十条情形撤销"
        } else if to == .revoked {
            reason = "尚未认定为市级工作室，没有可撤销的资格"
        } else if let from {
            let allowed = from.successors.map(\.chineseName) + (from.isRevocable ? ["已撤销"] : [])
            reason = "只能转为：\(allowed.joined(separator: "、"))"
        } else {
            reason = "首条记录只能是“已申报”或“已认定公布”"
        }
        return Rejection(.transitionIllegal, field: "to", "不能从“\(fromText)”转为“\(to.chineseName)”：\(reason)")
    }

    static func checkDate(
        _ next: LifecycleTransition, from: LifecycleState?, history: [LifecycleTransition], studio: Studio
    ) throws(Rejection) {
        switch next.to {
        case .applied, .initialReview, .comprehensiveReview, .publicNotice:
            if next.date > studio.recognized {
                throw Rejection(.lifecycleDateOrder, field: "date", "认定前的步骤不能晚于认定日期 \(studio.recognized.iso)")
            }
        case .recognized:
            if next.date != studio.recognized {
                throw Rejection(
                    .recognitionDateMismatch, field: "date",
                    "认定日期 \(next.date.iso) 与登记的认定日期 \(studio.recognized.iso) 不一致（建设期与补助按登记日期计算）")
            }
            if from == .publicNotice, let notice = history.last {
                let earliest = Deadlines.earliestRecognition(noticeStart: notice.date)
                if next.date < earliest {
                    throw Rejection(
                        .noticePeriodNotOver, field: "date",
                        "\(Deadlines.publicNoticePeriodText(start: notice.date))（7 天，含首日）；最早 \(earliest.iso) 认定")
                }
            }
        default:
            if next.date < studio.recognized {
                throw Rejection(.lifecycleDateOrder, field: "date", "认定后的步骤不能早于认定日期 \(studio.recognized.iso)")
            }
            // 第十四条 整改期满经再次考核: neither the re-inspection nor a revocation for failing
            // it comes before the rectification deadline.
            let judgesRectification = next.to == .reinspection || (next.to == .revoked && next.ground == .failedReinspection)
            if judgesRectification, let deadline = history.last(where: { $0.to == .rectification })?.deadline, next.date < deadline {
                throw Rejection(
                    .reinspectionBeforeDeadline, field: "date",
                    "\(next.to == .reinspection ? "再次考核" : "以再次考核不合格撤销")的日期 \(next.date.iso) 早于整改期限 \(deadline.iso)："
                        + "整改期满后方可再次考核（第十四条“整改期满经再次考核”）")
            }
            let windowEnd = studio.constructionWindow.upperBound
            if next.to == .acceptance && next.date < windowEnd {
                throw Rejection(
                    .acceptanceBeforeWindowEnd, field: "date",
                    "考核验收日期 \(next.date.iso) 早于建设期届满日 \(windowEnd.iso)：建设期满后方可考核验收（第十四条）")
            }
        }
    }

    static func checkExtras(_ next: LifecycleTransition, from: LifecycleState?) throws(Rejection) {
        if next.to == .revoked {
            guard let ground = next.ground else {
                throw Rejection(.revocationGroundInvalid, field: "ground", "撤销须注明事由（--ground）")
            }
            if ground == .failedReinspection && from != .reinspection {
                throw Rejection(.revocationGroundInvalid, field: "ground", "“再次考核不合格”只适用于整改后再次考核时")
            }
        } else if next.ground != nil {
            throw Rejection(.revocationGroundInvalid, field: "ground", "只有撤销才注明撤销事由")
        }
        if next.to == .rectification {
            guard let deadline = next.deadline else {
                throw Rejection(.rectificationDeadlineInvalid, field: "deadline", "限期整改须注明整改期限（--deadline）")
            }
            let latest = Deadlines.rectificationDeadlineMax(from: next.date)
            guard deadline > next.date, deadline <= latest else {
                throw Rejection(
                    .rectificationDeadlineInvalid, field: "deadline",
                    "整改期限 \(deadline.iso) 无效：应晚于 \(next.date.iso)，且不超过 6 个月（最迟 \(latest.iso)，第十四条）")
            }
        } else if next.deadline != nil {
            throw Rejection(.rectificationDeadlineInvalid, field: "deadline", "只有限期整改才设整改期限")
        }
        if next.score != nil && from != .acceptance && from != .reinspection {
            throw Rejection(.scoreOutOfRange, field: "score", "考核验收得分只在考核验收或再次考核作出结论时记录")
        }
    }
}
