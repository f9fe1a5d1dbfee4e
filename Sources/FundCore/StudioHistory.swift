/// 第十一条: an approved change of leader or of host unit (举办/依托单位) takes effect on the
/// bureau's decision date. The studio keeps its code, books and recognition; what moves is who
/// leads it and which unit hosts it, from that day on. The `studio` register row is never
/// changed (it is append-only and in the row chain): an effect is a row of its own, and the
/// studio as of a day is the registered row with every effect dated on or before that day
/// applied in order (`StudioHistory`).

/// What a change that took effect moved: the leader (a name) or the host unit (a credit code).
public enum StudioChangeTarget: Hashable, Sendable, Codable {
    case leader(String)
    case hostUnit(CreditCode)

    public var kind: ChangeKind {
        switch self {
        case .leader: return .leader
        case .hostUnit: return .hostUnit
        }
    }

    /// A new leader as typed: a name, checked like the registered one.
    public static func leader(parsing text: String) throws(Rejection) -> StudioChangeTarget {
        .leader(try requireName(text, field: "new-leader", label: "新领办人"))
    }

    /// A new host unit as typed: a 统一社会信用代码 with its check digit.
    public static func hostUnit(parsing text: String) throws(Rejection) -> StudioChangeTarget {
        do {
            return .hostUnit(try CreditCode(text))
        } catch {
            throw Rejection(error.code, field: "new-host-unit", "新依托单位：\(error.message)")
        }
    }

    /// "领办人 王五", "依托单位 91…".
    public var text: String {
        switch self {
        case .leader(let name): return "领办人 \(name)"
        case .hostUnit(let code): return "依托单位 \(code.text)"
        }
    }
}

/// One approved change in effect from `effective` (the bureau's decision date).
public struct StudioChangeEffect: Hashable, Sendable, Codable {
    public let id: Int
    public let studio: String
    /// The `StudioChange` (第十一条 report and decision) this carries out.
    public let change: Int
    public let effective: CalendarDate
    public let target: StudioChangeTarget
    public let at: String
    public let user: String

    public init(id: Int, studio: String, change: Int, effective: CalendarDate, target: StudioChangeTarget, at: String = "", user: String = "") {
        self.id = id
        self.studio = studio
        self.change = change
        self.effective = effective
        self.target = target
        self.at = at
        self.user = user
    }

    /// Checks that `change` may take effect with `target` on `studio` as it stands after
    /// `earlier` (its effects so far), no later than `today`; returns the effective date (the
    /// decision date). Pure: the store calls it inside its write transaction.
    public static func validate(
        _ change: StudioChange, target: StudioChangeTarget, studio: Studio, earlier: [StudioChangeEffect], today: CalendarDate
    ) throws(Rejection) -> CalendarDate {
        precondition(change.studio == studio.code, "a change is validated against its own studio")
        guard change.kind != .other else {
            throw Rejection(.changeNotApproved, field: "change", "第 \(change.id) 号为“\(change.kind.chineseName)”，只有领办人变更或举办（依托）单位变更可以生效")
        }
        guard let decided = change.decided else {
            throw Rejection(.changeNotApproved, field: "change", "第 \(change.id) 号\(change.kind.chineseName)尚无市人社局答复，不能生效")
        }
        if let refusal = refusal(in: change.decision ?? "") {
            throw Rejection(.changeNotApproved, field: "change", "第 \(change.id) 号\(change.kind.chineseName)的答复为“\(refusal)”，变更未获认定，不能生效")
        }
        guard target.kind == change.kind else {
            let wanted = change.kind == .leader ? "新领办人（--new-leader）" : "新依托单位（--new-host-unit）"
            throw Rejection(.changeEffectInvalid, field: change.kind == .leader ? "new-leader" : "new-host-unit", "第 \(change.id) 号为\(change.kind.chineseName)，须填写\(wanted)")
        }
        guard !earlier.contains(where: { $0.change == change.id }) else {
            throw Rejection(.changeEffectInvalid, field: "change", "第 \(change.id) 号变动已经生效")
        }
        guard decided <= today else {
            throw Rejection(.changeEffectInvalid, field: "change", "第 \(change.id) 号变动的答复日期 \(decided.iso) 晚于今天，届时方可生效")
        }
        if let last = earlier.map(\.effective).max(), decided < last {
            throw Rejection(.changeEffectInvalid, field: "change", "第 \(change.id) 号变动的答复日期 \(decided.iso) 早于已生效的变更（\(last.iso)）")
        }
        let now = StudioHistory(studio: studio, effects: earlier).asOf(decided)
        switch target {
        case .leader(let name) where name == now.leader:
            throw Rejection(.changeEffectInvalid, field: "new-leader", "\(name) 已是工作室 \(studio.code) 的领办人")
        case .hostUnit(let code) where code == now.hostUnit:
            throw Rejection(.changeEffectInvalid, field: "new-host-unit", "\(code.text) 已是工作室 \(studio.code) 的依托单位")
        default: break
        }
        return decided
    }

    /// Words with which a bureau's reply refuses a change (第十一条 予以取消或认定: a change not
    /// recognised does not take effect). A decision text that contains one of them is read as a
    /// refusal; any other decided change is taken as approved.
    public static let refusalWords = ["不予", "不同意", "驳回", "不批准", "未批准", "不认定", "未获认定"]

    /// The first refusal word in `decision`, if any.
    public static func refusal(in decision: String) -> String? {
        refusalWords.first { decision.contains($0) }
    }
}

/// A studio through time: the registered row and the approved changes that took effect.
public struct StudioHistory: Hashable, Sendable {
    /// As registered (`studio` row): the leader and host unit at recognition.
    public let original: Studio
    /// In effect order (effective date, then id).
    public let effects: [StudioChangeEffect]

    public init(studio: Studio, effects: [StudioChangeEffect]) {
        precondition(effects.allSatisfy { $0.studio == studio.code }, "a studio's history holds its own effects")
        original = studio
        self.effects = effects.sorted { ($0.effective, $0.id) < ($1.effective, $1.id) }
    }

    /// The studio as of `date`: every effect dated on or before it applied in order. A report
    /// dated (or ending) before a change shows the old leader and host unit, from the change's
    /// day on the new ones.
    public func asOf(_ date: CalendarDate) -> Studio {
        var studio = original
        for effect in effects where effect.effective <= date {
            switch effect.target {
            case .leader(let name): studio = studio.replacing(leader: name)
            case .hostUnit(let code): studio = studio.replacing(hostUnit: code)
            }
        }
        return studio
    }

    /// The studio after every effect: who leads and hosts it now (effects are never dated
    /// after the day they are recorded).
    public var current: Studio {
        effects.last.map { asOf($0.effective) } ?? original
    }

    /// One stretch of a leader or host unit: from (nil: since recognition) and, when it
    /// ended, the change that ended it.
    public struct Stretch: Hashable, Sendable, Codable {
        public let value: String
        public let from: CalendarDate
        /// The change that began this stretch (nil: as registered).
        public let change: Int?
    }

    /// The leaders in order, each from the day they took over (the first from recognition).
    public var leaders: [Stretch] {
        stretches(original.leader) { if case .leader(let name) = $0 { name } else { nil } }
    }

    /// The host units (credit codes) in order, each from the day it took over.
    public var hostUnits: [Stretch] {
        stretches(original.hostUnit.text) { if case .hostUnit(let code) = $0 { code.text } else { nil } }
    }

    private func stretches(_ first: String, _ pick: (StudioChangeTarget) -> String?) -> [Stretch] {
        var result = [Stretch(value: first, from: original.recognized, change: nil)]
        for effect in effects {
            guard let value = pick(effect.target) else { continue }
            result.append(Stretch(value: value, from: effect.effective, change: effect.change))
        }
        return result
    }
}
