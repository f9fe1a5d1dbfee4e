/// 第十一条: a change of leader or host unit, or another change, must be reported to the
/// municipal bureau within 30 days of the event; the bureau decides within 30 days of the report.
public enum ChangeKind: String, CaseIterable, Sendable, Codable {
    case leader = "leader"
    case hostUnit = "host-unit"
    case other = "other"

    public var chineseName: String {
        switch self {
        case .leader: return "领办人变更"
        case .hostUnit: return "举办（依托）单位变更"
        case .other: return "其他变动"
        }
    }

    public static func parse(_ text: String) throws(Rejection) -> ChangeKind {
        let trimmed = text.trimmingSpaces
        if let kind = ChangeKind(rawValue: trimmed.lowercased()) { return kind }
        if let kind = allCases.first(where: { $0.chineseName == trimmed }) { return kind }
        throw Rejection(.changeKindUnknown, field: "kind", "变动类别“\(text)”无效（应为 leader/host-unit/other）")
    }
}

/// A recorded change and how far its report and the bureau's decision have got.
public struct StudioChange: Hashable, Sendable, Codable {
    public let id: Int
    public let studio: String
    public let kind: ChangeKind
    /// The day the change happened (the 30 days run from here).
    public let eventDate: CalendarDate
    public let detail: String
    public var reported: CalendarDate?
    public var decided: CalendarDate?
    public var decision: String?

    public init(
        id: Int, studio: String, kind: ChangeKind, eventDate: CalendarDate, detail: String,
        reported: CalendarDate? = nil, decided: CalendarDate? = nil, decision: String? = nil
    ) {
        self.id = id
        self.studio = studio
        self.kind = kind
        self.eventDate = eventDate
        self.detail = detail
        self.reported = reported
        self.decided = decided
        self.decision = decision
    }

    public var reportDue: CalendarDate { Deadlines.changeReportDue(event: eventDate) }
    public var decisionDue: CalendarDate? { reported.map { Deadlines.changeDecisionDue(report: $0) } }
}

/// Something due on a date: a notice period ending, a construction window closing, a
/// rectification deadline, a change report or the bureau's answer to one.
public struct DeadlineItem: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case publicNoticeEnds = "public-notice-ends"
        case constructionEnds = "construction-ends"
        case rectificationDue = "rectification-due"
        case changeReportDue = "change-report-due"
        case changeDecisionDue = "change-decision-due"
        /// A warning's rectification deadline (警告并限期整改, 第九条(三)), at any time after recognition.
        case orderedRectificationDue = "ordered-rectification-due"

        public var chineseName: String {
            switch self {
            case .publicNoticeEnds: return "公示期届满"
            case .constructionEnds: return "建设期届满"
            case .rectificationDue: return "整改期限届满"
            case .changeReportDue: return "变动报告期限"
            case .changeDecisionDue: return "市人社局答复期限"
            case .orderedRectificationDue: return "警告限期整改期限届满"
            }
        }
    }

    public let studio: String
    public let date: CalendarDate
    public let kind: Kind
    public let detail: String
    /// The date has passed and the thing is not done.
    public let overdue: Bool
    /// Days from the as-of day to `date` (negative when overdue).
    public let daysLeft: Int
}

/// Every deadline rule of the measures, computed by ONE rule (民法典 第二百零一条、第二百零二条),
/// except the public notice, which counts its first day (`publicNoticeEnd`):
/// a period runs from the day after its start day (the start day is not counted); a period of
/// N days ends on start + N; a period of months or years ends on the corresponding day of the
/// last month, or on that month's last day when it has no such day (2024-02-29 + 2 years →
/// 2026-02-28). The arithmetic here is pure calendar arithmetic; moving a last day that falls on
/// a public holiday or weekend to the next working day (第二百零三条) is `movedToWorkingDay`,
/// applied to the deadline list only.
public enum Deadlines {
    /// 拟建名单 is publicly noticed for 7 days (第七条(三)).
    public static let publicNoticeDays = 7
    public static let changeReportDays = 30
    public static let changeDecisionDays = 30
    public static let rectificationMonthsMax = 6
    /// How far ahead the end of a construction window is listed.
    public static let constructionLookaheadDays = 90

    /// The last day of a period of `days` days starting on `start` (第二百零一条: the start day
    /// is not counted, so 2026-01-31 + 30 days → 2026-03-02).
    public static func end(of start: CalendarDate, days: Int) -> CalendarDate { start.adding(days: days) }

    /// The last day of a period of `months` months starting on `start` (第二百零二条): the
    /// corresponding day of the last month, or its last day (2025-08-31 + 6 months → 2026-02-28).
    public static func end(of start: CalendarDate, months: Int) -> CalendarDate { start.adding(months: months) }

    /// The last day of a notice that starts on `start`, counted inclusively from its first day
    /// (2026-01-05 → 2026-01-11: 公示期 1月5日至1月11日, seven days). A notice is published with
    /// both its days (公示期 X月X日至X月X日) and runs from the day it is posted, so its first day is
    /// a day of the period — the exception of 民法典 第二百零四条 (the period's own terms) to the
    /// start-day rule of 第二百零一条, which applies to periods that run *after* an event (the 30
    /// days to report a change). See docs/lifecycle.md.
    public static func publicNoticeEnd(start: CalendarDate) -> CalendarDate { start.adding(days: publicNoticeDays - 1) }

    /// "公示期 2026年1月5日至2026年1月11日".
    public static func publicNoticePeriodText(start: CalendarDate) -> String {
        "公示期 \(start.chinese)至\(publicNoticeEnd(start: start).chinese)"
    }

    /// The first day recognition may follow a notice started on `start`: the day after its last day.
    public static func earliestRecognition(noticeStart start: CalendarDate) -> CalendarDate { publicNoticeEnd(start: start).adding(days: 1) }

    /// The latest rectification deadline (第十四条: 不超过6个月); month ends clamp, so
    /// 2025-08-31 gives 2026-02-28 and 2027-08-31 gives 2028-02-29.
    public static func rectificationDeadlineMax(from date: CalendarDate) -> CalendarDate { end(of: date, months: rectificationMonthsMax) }

    public static func changeReportDue(event: CalendarDate) -> CalendarDate { end(of: event, days: changeReportDays) }

    public static func changeDecisionDue(report: CalendarDate) -> CalendarDate { end(of: report, days: changeDecisionDays) }

    /// The last day of the 2-year construction window (第四条): 2025-12-15 → 2027-12-15,
    /// 2024-02-29 → 2026-02-28.
    public static func constructionEnd(recognized: CalendarDate) -> CalendarDate {
        end(of: recognized, months: Limits.constructionYears * 12)
    }

    /// 第二百零三条: a last day that is a public holiday or a weekend moves to the next working day.
    public static func movedToWorkingDay(_ date: CalendarDate, calendar: HolidayCalendar) -> CalendarDate {
        var day = date
        // A holiday run never lasts a month; the bound only guards a corrupt calendar.
        for _ in 0..<31 where calendar.isNonWorking(day) { day = day.adding(days: 1) }
        return day
    }

    /// The open items of one studio as of `asOf`, by date.
    /// `notices`: the studio's lifecycle records (warnings with a rectification deadline are
    /// listed while open, see `Lifecycle.openRectificationOrders`).
    public static func items(
        studio: Studio, history: [LifecycleTransition], changes: [StudioChange], notices: [LifecycleRecord] = [], asOf: CalendarDate,
        calendar: HolidayCalendar? = nil
    ) -> [DeadlineItem] {
        var items: [DeadlineItem] = []
        func add(_ legal: CalendarDate, _ kind: DeadlineItem.Kind, _ text: String) {
            let date = calendar.map { movedToWorkingDay(legal, calendar: $0) } ?? legal
            var detail = date == legal ? text : text + "（\(legal.iso) 为休息日，顺延至 \(date.iso)）"
            // A year the calendar has no schedule for: only weekends were avoided, and it says so.
            if let calendar, !calendar.coveredYears.isEmpty, !calendar.covers(year: legal.year) || !calendar.covers(year: date.year) {
                let year = calendar.covers(year: legal.year) ? date.year : legal.year
                detail += "（节假日日历未收录 \(year) 年放假安排，只按周末顺延，未核对法定节假日）"
            }
            items.append(DeadlineItem(
                studio: studio.code, date: date, kind: kind, detail: detail, overdue: date < asOf, daysLeft: asOf.days(until: date)))
        }
        let state = Lifecycle.effective(history)
        let last = history.last
        switch state {
        case .publicNotice:
            let start = last!.date
            add(publicNoticeEnd(start: start), .publicNoticeEnds, "拟建名单\(publicNoticePeriodText(start: start))（7 天，含首日），期满无异议后认定公布")
        case .recognized, .underConstruction:
            let end = constructionEnd(recognized: studio.recognized)
            if asOf.days(until: end) <= constructionLookaheadDays {
                add(end, .constructionEnds, "建设期至 \(end.iso) 届满：应开展补助资金绩效评估、提供第三方审计报告并申请考核验收")
            }
        case .rectification:
            if let deadline = last?.deadline {
                add(deadline, .rectificationDue, "限期整改自 \(last!.date.iso) 起，期满应再次考核（第十四条）")
            }
        default:
            break
        }
        for order in Lifecycle.openRectificationOrders(notices.filter { $0.transition.date <= asOf }) {
            let step = order.transition
            add(step.deadline!, .orderedRectificationDue,
                "\(step.date.iso) \(step.by)予以警告并限期整改（第九条第三项）：期满应核查整改情况并记录结论")
        }
        for change in changes where state != .revoked {
            if change.reported == nil {
                add(change.reportDue, .changeReportDue, "\(change.kind.chineseName)（\(change.eventDate.iso)，第 \(change.id) 号）：建设单位应在 30 天内向市人社局报告")
            } else if change.decided == nil, let due = change.decisionDue {
                add(due, .changeDecisionDue, "\(change.kind.chineseName)（第 \(change.id) 号）已于 \(change.reported!.iso) 报告：市人社局应在 30 天内认定或取消")
            }
        }
        return items.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
    }
}
