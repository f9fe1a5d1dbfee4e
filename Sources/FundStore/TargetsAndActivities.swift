import FundCore
internal import GRDB

// Performance targets and the activity record (第十三条).

extension SQLiteLifecycle {
    func setTargets(_ targets: [PerformanceTarget], stamp: Stamp) throws {
        try queue.write { db in
            for target in targets {
                _ = try LedgerStore.studioRow(db, code: target.studio)
                try db.execute(
                    sql: """
                        INSERT INTO performance_target (studio, indicator, target_hundredths, actual_hundredths, note, at, user)
                        VALUES (?,?,?,?,?,?,?)
                        """,
                    arguments: [target.studio, target.indicator, target.target, target.actual, target.note, stamp.at, stamp.user])
                let actual = target.actual.map { "，实际 \(Scoring.quantityText($0))" } ?? ""
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: "target.set", studio: target.studio,
                    detail: "绩效目标 \(target.indicator)：目标 \(Scoring.quantityText(target.target))\(actual)")
            }
        }
    }

    /// The targets in force: the latest setting per indicator.
    func targets(studio: String) throws -> [PerformanceTarget] {
        try queue.read { db in
            var latest: [String: PerformanceTarget] = [:]
            for record in try PerformanceTargetRecord.fetchAll(
                db, sql: "SELECT * FROM performance_target WHERE studio = ? ORDER BY id", arguments: [studio])
            {
                latest[record.target.indicator] = record.target
            }
            return latest.values.sorted { $0.indicator < $1.indicator }
        }
    }

    /// Adds activities, all or none, logged once. An activity already recorded (same studio,
    /// date, kind and title), or given twice, is rejected (L023) and nothing is written.
    func addActivities(_ activities: [Activity], source: String, stamp: Stamp) throws {
        try queue.write { db in
            for studio in Set(activities.map(\.studio)) { _ = try LedgerStore.studioRow(db, code: studio) }
            var seen: Set<Activity.Identity> = []
            for activity in activities {
                let recorded = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM activity WHERE studio = ? AND date = ? AND kind = ? AND title = ?)",
                    arguments: [activity.studio, activity.date.iso, activity.kind.rawValue, activity.title]) ?? false
                guard !recorded, seen.insert(activity.identity).inserted else {
                    throw Rejection(
                        .activityDuplicate, field: "title",
                        "工作室 \(activity.studio) 的活动 \(activity.label) \(recorded ? "已登记" : "重复出现")，不能重复登记")
                }
            }
            for activity in activities {
                try db.execute(
                    sql: """
                        INSERT INTO activity (studio, date, kind, title, quantity, amount_fen, achieved, evidence, note, at, user)
                        VALUES (?,?,?,?,?,?,?,?,?,?,?)
                        """,
                    arguments: [
                        activity.studio, activity.date.iso, activity.kind.rawValue, activity.title, activity.quantity,
                        activity.amount.fen, activity.achieved, activity.evidence, activity.note, stamp.at, stamp.user,
                    ])
            }
            for (studio, own) in Dictionary(grouping: activities, by: \.studio).sorted(by: { $0.key < $1.key }) {
                let titles = own.prefix(3).map { "\($0.kind.chineseName)“\($0.title)”" }.joined(separator: "、")
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: "activity.add", studio: studio,
                    detail: "\(source)：\(own.count) 条活动记录 \(titles)\(own.count > 3 ? " 等" : "")")
            }
        }
    }

    func activities(studio: String) throws -> [Activity] {
        try queue.read { db in
            try ActivityRecord.fetchAll(db, sql: "SELECT * FROM activity WHERE studio = ? ORDER BY date, id", arguments: [studio])
                .map(\.activity)
        }
    }
}

extension SQLiteLifecycle {
    func addSupervisionNote(studio: String, date: CalendarDate, text: String, stamp: Stamp) throws -> SupervisionNote {
        try queue.write { db in
            _ = try LedgerStore.studioRow(db, code: studio)
            let trimmed = text.trimmingSpaces
            guard !trimmed.isEmpty else { throw Rejection(.fieldEmpty, field: "text", "督导记录内容不能为空") }
            try db.execute(
                sql: "INSERT INTO supervision_note (studio, date, text, at, user) VALUES (?,?,?,?,?)",
                arguments: [studio, date.iso, trimmed, stamp.at, stamp.user])
            try LedgerStore.appendLog(db, stamp: stamp, action: "supervision.note", studio: studio, detail: "\(date.iso) 督导：\(trimmed)")
            return SupervisionNote(studio: studio, date: date, text: trimmed, at: stamp.at, user: stamp.user)
        }
    }

    func supervisionNotes(studio: String) throws -> [SupervisionNote] {
        try queue.read { db in
            try SupervisionNoteRecord.fetchAll(db, sql: "SELECT * FROM supervision_note WHERE studio = ? ORDER BY date, id", arguments: [studio])
                .map(\.note)
        }
    }
}
