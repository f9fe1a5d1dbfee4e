// Values the app works out about studios and checks, shared by every front end and by the
// report builders that lay them out.

/// The summary `check` prints under the findings.
public struct CheckSummary: Sendable, Codable {
    public var studios = 0
    public var vouchers = 0
    public var findings = 0
    public var bySeverity: [String: Int] = [:]
    public var byCategory: [String: Int] = [:]
    public var violationFen: Int64 = 0
    public var policies: [String] = []
    public var asOf = ""

    public init() {}
}

public struct CheckResult: Sendable, Codable {
    public let findings: [Finding]
    public let summary: CheckSummary

    public init(findings: [Finding], summary: CheckSummary) {
        self.findings = findings
        self.summary = summary
    }

    /// A violation counts until a reviewer has accepted its explanation.
    public var hasViolations: Bool {
        findings.contains { $0.severity == .violation && $0.review?.status != .accepted }
    }
}


/// Where a studio stands: its state, the steps so far, the county's scores and what it owes.
public struct StudioStatus: Sendable, Codable {
    public let studio: String
    public let name: String
    public let state: LifecycleState
    /// False when nothing is recorded and the state is inferred from registration.
    public let recorded: Bool
    public let since: CalendarDate
    public let constructionWindow: ClosedRange<CalendarDate>
    public let approvedSubsidyFen: Money
    public let subsidyReceivedFen: Money
    /// 应退补助资金 still outstanding (credit balance of 230701 in the subsidy fund).
    public let refundOwedFen: Money
    public let warnings: Int
    public let commendations: Int
    public let openChanges: Int
    public let rectificationDeadline: CalendarDate?
    /// The earliest deadline of a warning's rectification order still open (警告并限期整改,
    /// 第九条(三)), which can fall at any point of construction.
    public let orderedRectificationDeadline: CalendarDate?

    public init(
        studio: String,
        name: String,
        state: LifecycleState,
        recorded: Bool,
        since: CalendarDate,
        constructionWindow: ClosedRange<CalendarDate>,
        approvedSubsidyFen: Money,
        subsidyReceivedFen: Money,
        refundOwedFen: Money,
        warnings: Int,
        commendations: Int,
        openChanges: Int,
        rectificationDeadline: CalendarDate?,
        orderedRectificationDeadline: CalendarDate? = nil
    ) {
        self.studio = studio
        self.name = name
        self.state = state
        self.recorded = recorded
        self.since = since
        self.constructionWindow = constructionWindow
        self.approvedSubsidyFen = approvedSubsidyFen
        self.subsidyReceivedFen = subsidyReceivedFen
        self.refundOwedFen = refundOwedFen
        self.warnings = warnings
        self.commendations = commendations
        self.openChanges = openChanges
        self.rectificationDeadline = rectificationDeadline
        self.orderedRectificationDeadline = orderedRectificationDeadline
    }
}

/// A county bureau's supervision note on a studio (督导记录, 第九条(二)): what it saw or asked
/// for on a day, recorded under the person who wrote it.
public struct SupervisionNote: Sendable, Hashable, Codable {
    public let studio: String
    public let date: CalendarDate
    public let text: String
    public let at: String
    public let user: String

    public init(studio: String, date: CalendarDate, text: String, at: String, user: String) {
        self.studio = studio
        self.date = date
        self.text = text
        self.at = at
        self.user = user
    }
}
