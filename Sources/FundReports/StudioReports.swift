import FundCore

// A studio's standing: status, lifecycle history, deadlines, activities and performance targets.

public enum StudioReports {
    /// 工作室状态: the lines `studio status` prints, as facts under the studio's name.
    public static func status(_ status: StudioStatus) -> AnyReport {
        var state = "\(status.state.chineseName)（\(status.since.iso) 起）"
        if !status.recorded { state += "，据登记的认定日期推定，尚未记录生命周期" }
        var facts = [
            Fact("状态", .text(state)),
            Fact("建设期", .text("\(status.constructionWindow.lowerBound.iso) 至 \(status.constructionWindow.upperBound.iso)")),
            Fact("核定补助", .text("\(status.approvedSubsidyFen.groupedString) 元，已到位 \(status.subsidyReceivedFen.groupedString) 元")),
        ]
        if let deadline = status.rectificationDeadline { facts.append(Fact("整改期限", .date(deadline))) }
        if let deadline = status.orderedRectificationDeadline { facts.append(Fact("警告限期整改期限", .date(deadline))) }
        if status.refundOwedFen.fen > 0 {
            facts.append(Fact("应退补助资金", .text("\(status.refundOwedFen.groupedString) 元未退回（欠款中）")))
        }
        let counts = "警告 \(status.warnings) 次，通报表扬 \(status.commendations) 次，未办结变动 \(status.openChanges) 项"
        let document = ReportDocument(
            view: .studioStatus, title: "\(status.studio) \(status.name)", titleBlock: [],
            sections: [DocumentSection(heading: nil, blocks: [.facts(facts), .paragraph(counts)])],
            fileStem: "\(status.studio)-\(ViewKind.studioStatus.rawValue)")
        return AnyReport(document: document, value: status)
    }

    /// One line of a studio's history: a lifecycle step, a notice, or a change (第十一条).
    public struct HistoryEntry: Sendable, Codable, Hashable {
        /// "transition", "warning", "commendation" or "change".
        public let kind: String
        public let date: CalendarDate
        public let event: String
        public let by: String
        public let note: String
    }

    /// 生命周期记录: the recorded steps and notices in order, then the changes with where their
    /// reports and answers stand.
    public static func history(studio: String, records: [LifecycleRecord], changes: [StudioChange]) -> AnyReport {
        var entries: [HistoryEntry] = []
        for record in records {
            let step = record.transition
            var what = record.kind == "transition"
                ? "→ \(step.to.chineseName)" : (GovernanceNoticeKind(rawValue: record.kind)?.chineseName ?? record.kind)
            if let ground = step.ground { what += "（\(ground.chineseName)）" }
            var note = step.note
            if let deadline = step.deadline { note = "整改期限 \(deadline.iso)" + (note.isEmpty ? "" : "；" + note) }
            if let score = step.score { note = "考核得分 \(score.text)" + (note.isEmpty ? "" : "；" + note) }
            entries.append(HistoryEntry(kind: record.kind, date: step.date, event: what, by: step.by, note: note))
        }
        for change in changes {
            var state = "报告期限 \(change.reportDue.iso)"
            if let reported = change.reported { state = "\(reported.iso) 已报告" }
            if let decided = change.decided { state += "，\(decided.iso) 已答复 \(change.decision ?? "")" }
            entries.append(HistoryEntry(
                kind: "change", date: change.eventDate, event: "第 \(change.id) 号\(change.kind.chineseName)", by: "",
                note: [change.detail, state].filter { !$0.isEmpty }.joined(separator: "；")))
        }
        let table = DocumentTable(
            name: "生命周期记录",
            columns: [
                Column("日期", .date, width: 11), Column("事项", .text, width: 20), Column("决定单位", .text, width: 20),
                Column("说明", .text, width: 40),
            ],
            rows: entries.map { Row(.body, [.date($0.date), .text($0.event), .optionalText($0.by), .optionalText($0.note)]) })
        return AnyReport(
            document: .view(.studioHistory, titleBlock: [LabeledValue("工作室", studio)], blocks: [.table(table)], stem: studio),
            value: entries)
    }

    /// 到期和逾期事项 as of a day. JSON: the items as they are.
    public static func deadlines(_ items: [DeadlineItem], asOf: CalendarDate) -> AnyReport {
        let table = DocumentTable(
            name: "到期和逾期事项",
            columns: [
                Column("日期", .date, width: 11), Column("工作室", .code, width: 12), Column("事项", .text, width: 16),
                Column("状态", .text, width: 14), Column("说明", .text, width: 50),
            ],
            rows: items.map { item in
                let state = item.overdue ? "已逾期 \(-item.daysLeft) 天" : (item.daysLeft == 0 ? "今日到期" : "剩 \(item.daysLeft) 天")
                return Row(.body, [.date(item.date), .text(item.studio), .text(item.kind.chineseName), .text(state), .optionalText(item.detail)])
            })
        let blocks: [Block] = items.isEmpty ? [.paragraph("没有到期或逾期事项")] : [.table(table)]
        return AnyReport(
            document: .view(.deadlines, titleBlock: [LabeledValue("截至", asOf.iso)], blocks: blocks, orientation: .landscape),
            value: items)
    }

    /// 活动与产出记录 of a studio. JSON: the activities as stored.
    public static func activities(_ activities: [Activity], studio: String) -> AnyReport {
        let table = DocumentTable(
            name: "活动记录",
            columns: [
                Column("日期", .date, width: 11), Column("类型", .text, width: 12), Column("名称", .text, width: 30),
                Column("数量", .count, width: 6), Column("金额", .money, width: 14), Column("达成", .text, width: 4),
                Column("证明材料", .text, width: 24),
            ],
            rows: activities.map { activity in
                Row(.body, [
                    .date(activity.date), .text(activity.kind.chineseName), .text(activity.title), .count(activity.quantity),
                    activity.amount.isZero ? .empty : .money(activity.amount),
                    activity.achieved.map { .text($0 ? "是" : "否") } ?? .empty, .optionalText(activity.evidence),
                ])
            })
        return AnyReport(
            document: .view(.activities, titleBlock: [LabeledValue("工作室", studio)], blocks: [.table(table)], orientation: .landscape, stem: studio),
            value: activities)
    }

    /// 督导记录: the county bureau's supervision notes on a studio, by date.
    public static func supervision(_ notes: [SupervisionNote], studio: String) -> AnyReport {
        let table = DocumentTable(
            name: "督导记录",
            columns: [Column("日期", .date, width: 11), Column("督导内容", .text, width: 60), Column("记录人", .text, width: 12), Column("记录时间", .code, width: 20)],
            rows: notes.map { Row(.body, [.date($0.date), .text($0.text), .text($0.user), .text($0.at)]) })
        let blocks: [Block] = notes.isEmpty ? [.paragraph("尚无督导记录")] : [.table(table)]
        return AnyReport(
            document: .view(.supervision, titleBlock: [LabeledValue("工作室", studio)], blocks: blocks, orientation: .landscape, stem: studio),
            value: notes)
    }

    /// One indicator with the studio's target (or the set's default).
    public struct TargetJSON: Sendable, Codable, Hashable {
        public let indicator: String
        public let group: String
        public let name: String
        public let points: Int
        public let unit: String
        public let source: String
        /// The studio's target in hundredths, nil when it has set none.
        public let target: Int64?
        /// The indicator set's default target, as written there.
        public let defaultTarget: String?
        public let actual: Int64?
        public let note: String?
    }

    /// 绩效目标: the indicator set with the studio's target values (`target list`).
    public static func targets(_ set: IndicatorSet, targets: [PerformanceTarget], studio: String) -> AnyReport {
        var byIndicator: [String: PerformanceTarget] = [:]
        for target in targets { byIndicator[target.indicator] = target }  // later settings win
        var value: [TargetJSON] = []
        var rows: [Row] = []
        for indicator in set.indicators {
            let target = byIndicator[indicator.id]
            let source = set.measure(of: indicator).chineseSource
            value.append(TargetJSON(
                indicator: indicator.id, group: indicator.group, name: indicator.name, points: indicator.points, unit: indicator.unit,
                source: source, target: target?.target, defaultTarget: indicator.defaultTarget, actual: target?.actual, note: target?.note))
            let targetText = target.map { Scoring.quantityText($0.target) } ?? (indicator.defaultTarget.map { "\($0)（默认）" } ?? "")
            rows.append(Row(.body, [
                .text(indicator.id), .text(indicator.group), .text(indicator.name), .count(indicator.points), .optionalText(targetText),
                .optionalText(indicator.unit), .text(source),
            ]))
        }
        let table = DocumentTable(
            name: "绩效目标",
            columns: [
                Column("指标编号", .code, width: 10), Column("二级指标", .text, width: 14), Column("三级指标", .text, width: 30),
                Column("分值", .count, width: 4), Column("目标值", .code, width: 12), Column("单位", .text, width: 6),
                Column("数据来源", .text, width: 16),
            ],
            rows: rows)
        return AnyReport(
            document: .view(
                .targets, titleBlock: [LabeledValue("工作室", studio), LabeledValue("指标体系", set.name)], blocks: [.table(table)],
                orientation: .landscape, stem: studio),
            value: value)
    }
}
