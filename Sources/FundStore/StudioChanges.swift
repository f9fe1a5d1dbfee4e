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

// Changes that take effect (第十一条, migration v15-studio-change-effect): one append-only row
// per approved leader or host-unit change, chained like every register row. The `studio` row
// is never touched; the studio as of a day is `StudioHistory(studio, effects).asOf(day)`.

extension Schema {
    static let v15: [String] = [
        """
        CREATE TABLE studio_change_effect (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            change_id INTEGER NOT NULL UNIQUE REFERENCES studio_change(id),
            kind TEXT NOT NULL CHECK (kind = 'leader' OR kind = 'host-unit'),
            effective_date TEXT NOT NULL CHECK (date(effective_date) IS effective_date),
            leader TEXT CHECK (leader IS NULL OR leader <> ''),
            host_unit TEXT REFERENCES host_unit(credit_code),
            at TEXT NOT NULL,
            user TEXT NOT NULL CHECK (user <> ''),
            CHECK ((kind = 'leader') = (leader IS NOT NULL)),
            CHECK ((kind = 'host-unit') = (host_unit IS NOT NULL))
        ) STRICT
        """,
        "CREATE INDEX studio_change_effect_by_studio ON studio_change_effect(studio, effective_date, id)",
    ] + appendOnlyTriggers(["studio_change_effect"])
}

/// `studio_change_effect`: an approved change in effect.
struct StudioChangeEffectRecord: FetchableRecord {
    let effect: StudioChangeEffect

    init(row: Row) throws {
        let r = StoredRow(row, table: "studio_change_effect")
        let kind: ChangeKind = try r.code("kind")
        let target: StudioChangeTarget
        switch kind {
        case .leader: target = .leader(try r.value("leader"))
        case .hostUnit:
            let code: String = try r.value("host_unit")
            target = .hostUnit(try r.build { try CreditCode(code) })
        case .other: throw r.corruption("变更生效记录的类别为 other")
        }
        effect = StudioChangeEffect(
            id: try r.value("id"), studio: try r.value("studio"), change: try r.value("change_id"),
            effective: try r.date("effective_date"), target: target, at: try r.value("at"), user: try r.value("user"))
    }
}

extension LedgerStore {
    /// The studio's effects in effect order (all studios' when nil).
    static func changeEffects(_ db: Database, studio: String?) throws -> [StudioChangeEffect] {
        guard try db.tableExists("studio_change_effect") else { return [] }
        if let studio {
            return try StudioChangeEffectRecord.fetchAll(
                db, sql: "SELECT * FROM studio_change_effect WHERE studio = ? ORDER BY effective_date, id", arguments: [studio]
            ).map(\.effect)
        }
        return try StudioChangeEffectRecord.fetchAll(db, sql: "SELECT * FROM studio_change_effect ORDER BY studio, effective_date, id").map(\.effect)
    }

    /// SQL for a studio's host unit now (`s` is the studio row): the last host-unit change in
    /// effect, or the registered one. Effects are never dated after the day they are recorded,
    /// so the last in effect order is the one in force today.
    static let currentHostUnitSQL = """
        coalesce((SELECT e.host_unit FROM studio_change_effect e WHERE e.studio = s.code AND e.kind = 'host-unit'
        ORDER BY e.effective_date DESC, e.id DESC LIMIT 1), s.host_unit)
        """
}

extension SQLiteLifecycle {
    /// Records that decided change `id` takes effect on its decision date with `target`, after
    /// checking it (`StudioChangeEffect.validate`) and that a new host unit is registered; one
    /// write transaction with its log entry (`studio.change.effect`).
    func recordChangeEffect(studio code: String, change id: Int, target: StudioChangeTarget, stamp: Stamp) throws -> StudioChangeEffect {
        try queue.write { db in
            let (_, studio) = try LedgerStore.studioRow(db, code: code)
            guard let change = try LedgerStore.changes(db, studio: code).first(where: { $0.id == id }) else {
                throw Rejection(.changeUnknown, field: "change", "工作室 \(code) 没有第 \(id) 号变动记录")
            }
            let earlier = try LedgerStore.changeEffects(db, studio: code)
            let effective = try StudioChangeEffect.validate(change, target: target, studio: studio, earlier: earlier, today: stamp.today)
            var leader: String?
            var hostUnit: String?
            switch target {
            case .leader(let name): leader = name
            case .hostUnit(let unit):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM host_unit WHERE credit_code = ?", arguments: [unit.text]) != nil else {
                    throw Rejection(.hostUnitUnknown, field: "new-host-unit", "依托单位 \(unit) 未登记：请先运行 workshop-ledger host-unit add")
                }
                hostUnit = unit.text
            }
            try db.execute(
                sql: """
                    INSERT INTO studio_change_effect (studio, change_id, kind, effective_date, leader, host_unit, at, user)
                    VALUES (?,?,?,?,?,?,?,?)
                    """,
                arguments: [code, id, change.kind.rawValue, effective.iso, leader, hostUnit, stamp.at, stamp.user])
            let effect = StudioChangeEffect(
                id: Int(db.lastInsertedRowID), studio: code, change: id, effective: effective, target: target, at: stamp.at, user: stamp.user)
            let before = StudioHistory(studio: studio, effects: earlier).asOf(effective)
            let was = target.kind == .leader ? "领办人 \(before.leader)" : "依托单位 \(before.hostUnit)"
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "studio.change.effect", studio: code,
                detail: "第 \(id) 号\(change.kind.chineseName)自 \(effective.iso) 起生效：\(was) → \(target.text)")
            return effect
        }
    }

    /// The studio's changes in effect (every studio's when nil), in effect order.
    func changeEffects(studio: String?) throws -> [StudioChangeEffect] {
        try queue.read { db in try LedgerStore.changeEffects(db, studio: studio) }
    }
}
