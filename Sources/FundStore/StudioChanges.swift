import FundCore
internal import GRDB

// Changes (第十一条): reported, decided, each step a row of change_step.

extension LedgerStore {
    static func changes(_ db: Database, studio: String) throws -> [StudioChange] {
        var result: [StudioChange] = []
        for record in try StudioChangeRecord.fetchAll(db, sql: "SELECT * FROM studio_change WHERE studio = ? ORDER BY id", arguments: [studio]) {
            var change = record.change
            for step in try ChangeStepRecord.fetchAll(db, sql: "SELECT * FROM change_step WHERE change_id = ? ORDER BY id", arguments: [change.id]) {
                if step.step == "reported" {
                    change.reported = step.date
                } else {
                    change.decided = step.date
                    change.decision = step.note
                }
            }
            result.append(change)
        }
        return result
    }
}

extension SQLiteLifecycle {
    func recordChange(studio code: String, kind: ChangeKind, date: CalendarDate, detail: String, stamp: Stamp) throws -> StudioChange {
        try queue.write { db in
            let (_, studio) = try LedgerStore.studioRow(db, code: code)
            guard date >= studio.recognized else {
                throw Rejection(.lifecycleDateOrder, field: "date", "变动日期 \(date.iso) 早于认定日期 \(studio.recognized.iso)")
            }
            let text = detail.trimmingSpaces
            guard text.count <= Limits.memoLengthMax else {
                throw Rejection(.fieldTooLong, field: "note", "变动说明超过 \(Limits.memoLengthMax) 个字符")
            }
            try db.execute(
                sql: "INSERT INTO studio_change (studio, kind, event_date, detail, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [code, kind.rawValue, date.iso, text, stamp.at, stamp.user])
            let change = StudioChange(id: Int(db.lastInsertedRowID), studio: code, kind: kind, eventDate: date, detail: text)
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "studio.change", studio: code,
                detail: "第 \(change.id) 号\(kind.chineseName)，发生于 \(date.iso)，应于 \(change.reportDue.iso) 前报告\(text.isEmpty ? "" : "；" + text)")
            return change
        }
    }

    /// Records that change `id` was reported to the bureau, or that the bureau decided it.
    func recordChangeStep(studio code: String, id: Int, step: String, date: CalendarDate, note: String, stamp: Stamp) throws -> StudioChange {
        precondition(step == "reported" || step == "decided", "a change step is reported or decided")
        return try queue.write { db in
            guard var change = try LedgerStore.changes(db, studio: code).first(where: { $0.id == id }) else {
                throw Rejection(.changeUnknown, field: "change", "工作室 \(code) 没有第 \(id) 号变动记录")
            }
            if step == "reported" {
                guard change.reported == nil, date >= change.eventDate else {
                    throw Rejection(.changeUnknown, field: "date", "第 \(id) 号变动已报告，或报告日期早于变动日期 \(change.eventDate.iso)")
                }
                change.reported = date
            } else {
                guard let reported = change.reported, change.decided == nil, date >= reported else {
                    throw Rejection(.changeUnknown, field: "date", "第 \(id) 号变动尚未报告、已有答复，或答复日期早于报告日期")
                }
                change.decided = date
                change.decision = note.trimmingSpaces
            }
            try db.execute(
                sql: "INSERT INTO change_step (change_id, step, date, note, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [id, step, date.iso, note.trimmingSpaces, stamp.at, stamp.user])
            let what = step == "reported" ? "已向市人社局报告（期限 \(change.reportDue.iso)）" : "市人社局已答复（期限 \(change.decisionDue.map(\.iso) ?? "—")）"
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "studio.change.\(step)", studio: code,
                detail: "第 \(id) 号\(change.kind.chineseName)\(what)：\(date.iso)\(note.isEmpty ? "" : "；" + note)")
            return change
        }
    }

    func changes(studio: String) throws -> [StudioChange] {
        try queue.read { db in try LedgerStore.changes(db, studio: studio) }
    }
}
