import FundCore
import Foundation

// The use cases as a person fills them in: every field as typed text, parsed here with the
// field named on any rejection. The CLI's options and the web desk's form fields are both
// text, so both come through these, and neither parses dates, amounts or codes itself.

/// A lifecycle step as typed: `to` a state name, dates YYYY-MM-DD, a score 0–100.
public struct TransitionForm: Sendable {
    public var to: String
    public var date: String
    public var by: String
    public var note: String
    public var ground: String?
    public var deadline: String?
    public var score: String?

    public init(to: String, date: String, by: String, note: String = "", ground: String? = nil, deadline: String? = nil, score: String? = nil) {
        self.to = to
        self.date = date
        self.by = by
        self.note = note
        self.ground = ground
        self.deadline = deadline
        self.score = score
    }

    func transition() throws(Rejection) -> LifecycleTransition {
        LifecycleTransition(
            to: try parseField("to") { () throws(Rejection) in try LifecycleState.parse(to) },
            date: try parseField("date") { () throws(Rejection) in try CalendarDate.parse(date) },
            by: by, note: note,
            ground: try ground.map { text throws(Rejection) in try parseField("ground") { () throws(Rejection) in try RevocationGround.parse(text) } },
            deadline: try deadline.map { text throws(Rejection) in try parseField("deadline") { () throws(Rejection) in try CalendarDate.parse(text) } },
            score: try score.map { text throws(Rejection) in try parseField("score") { () throws(Rejection) in try Score.parse(text) } })
    }
}

/// An activity record as typed.
public struct ActivityForm: Sendable {
    public var studio: String
    public var date: String
    public var kind: String
    public var title: String
    public var quantity: Int
    public var amount: String?
    public var achieved: String?
    public var evidence: String?
    public var note: String

    public init(
        studio: String, date: String, kind: String, title: String, quantity: Int = 1, amount: String? = nil, achieved: String? = nil,
        evidence: String? = nil, note: String = ""
    ) {
        self.studio = studio
        self.date = date
        self.kind = kind
        self.title = title
        self.quantity = quantity
        self.amount = amount
        self.achieved = achieved
        self.evidence = evidence
        self.note = note
    }

    func activity() throws -> Activity {
        try Activity(
            studio: studio, date: try parseField("date") { () throws(Rejection) in try CalendarDate.parse(date) },
            kind: try parseField("kind") { () throws(Rejection) in try ActivityKind.parse(kind) }, title: title, quantity: quantity,
            amount: try amount.map { text throws(Rejection) in try parseField("amount") { () throws(Rejection) in try Money.parse(text) } } ?? .zero,
            achieved: try parseField("achieved") { () throws(Rejection) in try Activity.parseAchieved(achieved ?? "") },
            evidence: evidence, note: note)
    }
}

/// What a change command records: a new change, its report to the bureau, or the bureau's reply.
public enum ChangeStep: Sendable {
    case new(kind: String)
    case reported(id: Int)
    case decided(id: Int)
}

func parseDate(_ text: String, field: String) throws(Rejection) -> CalendarDate {
    try parseField(field) { () throws(Rejection) in try CalendarDate.parse(text) }
}

func parseMoney(_ text: String, field: String) throws(Rejection) -> Money {
    try parseField(field) { () throws(Rejection) in try Money.parse(text) }
}

extension LifecycleDesk {
    /// A lifecycle step as typed (see `advance(studio:transition:)`).
    @discardableResult
    public func advance(studio: String, form: TransitionForm) throws -> (transition: LifecycleTransition, clawback: [PostedVoucher]) {
        let transition = try form.transition()
        return (transition, try advance(studio: studio, transition: transition))
    }

    /// A warning or commendation as typed.
    public func notice(studio: String, kind: String, date: String, by: String, note: String) throws -> GovernanceNoticeKind {
        let noticeKind = try parseField("kind") { () throws(Rejection) in try GovernanceNoticeKind.parse(kind) }
        try notice(noticeKind, studio: studio, date: try parseDate(date, field: "date"), by: by, note: note)
        return noticeKind
    }

    /// A change, its report or the reply, as typed.
    public func change(studio: String, step: ChangeStep, date: String, note: String) throws -> StudioChange {
        let day = try parseDate(date, field: "date")
        switch step {
        case .new(let kind):
            return try recordChange(studio: studio, kind: try parseField("kind") { () throws(Rejection) in try ChangeKind.parse(kind) }, date: day, detail: note)
        case .reported(let id): return try recordChangeReported(studio: studio, id: id, date: day, note: note)
        case .decided(let id): return try recordChangeDecided(studio: studio, id: id, date: day, note: note)
        }
    }

    /// A repayment as typed; without an amount, the whole outstanding refund.
    public func repay(studio: String, date: String, amount: String?, shortfallFund: Fund = .selfRaised) throws -> [PostedVoucher] {
        try repay(
            studio: studio, date: try parseDate(date, field: "date"), amount: try amount.map { text throws(Rejection) in try parseMoney(text, field: "amount") },
            shortfallFund: shortfallFund)
    }

    /// An activity as typed.
    public func addActivity(_ form: ActivityForm) throws -> Activity {
        let activity = try form.activity()
        try addActivity(activity)
        return activity
    }
}

extension StatementsDesk {
    /// One budget line as typed: the category by code or Chinese name, the amount in yuan.
    /// Returns the line and whether it changed anything (0: it already had that amount).
    public func setBudget(studio: String, fund: Fund, category: String, amount: String, reason: String) throws -> (line: BudgetLine, written: Int) {
        let parsedCategory = try parseField("category") { () throws(Rejection) in try SpendingCategory.parse(category) }
        let money = try parseMoney(amount, field: "amount")
        let written = try setBudget(studio: studio, fund: fund, category: parsedCategory, amount: money, reason: reason)
        return (try BudgetLine(studio: studio, fund: fund, category: parsedCategory, amount: money), written)
    }
}
