import FundCore
internal import GRDB

extension Schema {
    /// Lifecycle steps and governance notices, changes (第十一条) and their report/decision
    /// steps, performance targets, the activity record and the county's acceptance scores.
    /// Append-only: a later row supersedes (targets) or completes (change steps) an earlier one.
    static let v5: [String] = [
        """
        CREATE TABLE lifecycle_event (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            kind TEXT NOT NULL CHECK (kind = 'transition' OR kind = 'warning' OR kind = 'commendation'),
            to_state TEXT CHECK (to_state IS NULL OR \(oneOf("to_state", LifecycleState.allCases.map(\.rawValue)))),
            date TEXT NOT NULL CHECK (date(date) IS date),
            decided_by TEXT NOT NULL CHECK (decided_by <> ''),
            note TEXT NOT NULL,
            ground TEXT CHECK (ground IS NULL OR \(oneOf("ground", RevocationGround.allCases.map(\.rawValue)))),
            deadline TEXT CHECK (deadline IS NULL OR date(deadline) IS deadline),
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            CHECK ((kind = 'transition') = (to_state IS NOT NULL))
        ) STRICT
        """,
        "CREATE INDEX lifecycle_event_by_studio ON lifecycle_event(studio, id)",
        """
        CREATE TABLE acceptance_score (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            event_id INTEGER NOT NULL UNIQUE REFERENCES lifecycle_event(id),
            date TEXT NOT NULL CHECK (date(date) IS date),
            score_hundredths INTEGER NOT NULL CHECK (score_hundredths BETWEEN 0 AND 10000),
            result TEXT NOT NULL CHECK \(oneOf("result", LifecycleState.allCases.map(\.rawValue))),
            decided_by TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE studio_change (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            kind TEXT NOT NULL CHECK \(oneOf("kind", ChangeKind.allCases.map(\.rawValue))),
            event_date TEXT NOT NULL CHECK (date(event_date) IS event_date),
            detail TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE change_step (
            id INTEGER PRIMARY KEY,
            change_id INTEGER NOT NULL REFERENCES studio_change(id),
            step TEXT NOT NULL CHECK (step = 'reported' OR step = 'decided'),
            date TEXT NOT NULL CHECK (date(date) IS date),
            note TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            UNIQUE (change_id, step)
        ) STRICT
        """,
        """
        CREATE TABLE performance_target (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            indicator TEXT NOT NULL CHECK (indicator <> ''),
            target_hundredths INTEGER NOT NULL CHECK (target_hundredths > 0),
            actual_hundredths INTEGER CHECK (actual_hundredths IS NULL OR actual_hundredths >= 0),
            note TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL
        ) STRICT
        """,
        "CREATE INDEX performance_target_by_studio ON performance_target(studio, indicator, id)",
        """
        CREATE TABLE activity (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            date TEXT NOT NULL CHECK (date(date) IS date),
            kind TEXT NOT NULL CHECK \(oneOf("kind", ActivityKind.allCases.map(\.rawValue))),
            title TEXT NOT NULL CHECK (title <> ''),
            quantity INTEGER NOT NULL CHECK (quantity >= 0),
            amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
            achieved INTEGER CHECK (achieved IS NULL OR achieved IN (0, 1)),
            evidence TEXT,
            note TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL
        ) STRICT
        """,
        "CREATE INDEX activity_by_studio ON activity(studio, date, id)",
    ] + appendOnlyTriggers(["lifecycle_event", "acceptance_score", "studio_change", "change_step", "performance_target", "activity"])
}

extension LedgerStore {
    static func lifecycleRecords(_ db: Database, studio: String) throws -> [LifecycleRecord] {
        try LifecycleEventRecord.fetchAll(
            db,
            sql: """
                SELECT e.*, s.score_hundredths FROM lifecycle_event e LEFT JOIN acceptance_score s ON s.event_id = e.id
                WHERE e.studio = ? ORDER BY e.id
                """,
            arguments: [studio]
        ).map(\.record)
    }

    /// Debit-positive balances of one studio by "fund|account", from the vouchers dated on or
    /// before `through`.
    static func balances(_ db: Database, studioID: Int64, through: CalendarDate) throws -> [String: Money] {
        var result: [String: Money] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT p.fund, p.account, sum(CASE p.side WHEN 'debit' THEN p.amount_fen ELSE -p.amount_fen END)
                FROM posting p JOIN voucher v ON v.id = p.voucher_id
                WHERE p.studio_id = ? AND v.date <= ? GROUP BY p.fund, p.account
                """,
            arguments: [studioID, through.iso])
        {
            result["\(row[0] as String)|\(row[1] as String)"] = Money(fen: row[2])
        }
        return result
    }
}


extension SQLiteLifecycle {
    /// Records one transition after checking it against the studio's history, and posts the
    /// vouchers `vouchers` returns (the clawback), all in one write transaction, logged.
    func recordTransition(
        _ transition: LifecycleTransition, studio code: String, stamp: Stamp,
        vouchers: (LifecycleBooks) throws -> [VoucherDraft]
    ) throws -> [PostedVoucher] {
        try queue.write { db in
            let (studioID, studio) = try LedgerStore.studioRow(db, code: code)
            let history = try LedgerStore.lifecycleRecords(db, studio: code).filter { $0.kind == "transition" }.map(\.transition)
            try Lifecycle.validate(transition, after: history, studio: studio, today: stamp.today)
            let books = LifecycleBooks(
                studio: studio, history: history, balances: try LedgerStore.balances(db, studioID: studioID, through: transition.date),
                periods: try LedgerStore.periodBook(db, studioID: studioID))
            let drafts = try vouchers(books)
            try db.execute(
                sql: """
                    INSERT INTO lifecycle_event (studio, kind, to_state, date, decided_by, note, ground, deadline, at, user)
                    VALUES (?, 'transition', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    code, transition.to.rawValue, transition.date.iso, transition.by, transition.note,
                    transition.ground?.rawValue, transition.deadline?.iso, stamp.at, stamp.user,
                ])
            let eventID = db.lastInsertedRowID
            var detail = "\(transition.date.iso) \(history.last?.to.chineseName ?? "（无记录）") → \(transition.to.chineseName)，决定：\(transition.by)"
            if let ground = transition.ground { detail += "，事由：\(ground.chineseName)" }
            if let deadline = transition.deadline { detail += "，整改期限 \(deadline.iso)" }
            if let score = transition.score {
                try db.execute(
                    sql: """
                        INSERT INTO acceptance_score (studio, event_id, date, score_hundredths, result, decided_by)
                        VALUES (?,?,?,?,?,?)
                        """,
                    arguments: [code, eventID, transition.date.iso, score.hundredths, transition.to.rawValue, transition.by])
                detail += "，考核得分 \(score.text)"
            }
            if !transition.note.isEmpty { detail += "；\(transition.note)" }
            try LedgerStore.appendLog(db, stamp: stamp, action: "studio.advance", studio: code, detail: detail)
            guard !drafts.isEmpty else { return [] }
            let session = try PostingSession(db: db, stamp: stamp)
            for draft in drafts { try session.post(draft, kind: .normal) }
            try session.flush()
            try LedgerStore.logPosted(db, session.posted, stamp: stamp, action: "voucher.clawback", detail: "撤销资格，追回补助资金")
            return session.posted
        }
    }

    /// Records a warning or commendation (第九条(三)) for a recognised studio; a warning may
    /// order rectification by `deadline` (kept in `lifecycle_event.deadline`).
    func recordNotice(
        _ kind: GovernanceNoticeKind, studio code: String, date: CalendarDate, by: String, note: String, deadline: CalendarDate?, stamp: Stamp
    ) throws {
        try queue.write { db in
            let (_, studio) = try LedgerStore.studioRow(db, code: code)
            let by = by.trimmingSpaces
            if by.isEmpty { throw Rejection(.actorMissing, field: "by", "须注明作出决定的单位（--by）") }
            let history = try LedgerStore.lifecycleRecords(db, studio: code).filter { $0.kind == "transition" }.map(\.transition)
            try Lifecycle.validateNotice(kind, date: date, deadline: deadline, state: Lifecycle.effective(history), studio: studio)
            try db.execute(
                sql: """
                    INSERT INTO lifecycle_event (studio, kind, to_state, date, decided_by, note, deadline, at, user)
                    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [code, kind.rawValue, date.iso, by, note.trimmingSpaces, deadline?.iso, stamp.at, stamp.user])
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "studio.\(kind.rawValue)", studio: code,
                detail: "\(date.iso) \(kind.chineseName)\(deadline.map { "并限期整改，整改期限 \($0.iso)" } ?? "")，决定：\(by)\(note.isEmpty ? "" : "；" + note)")
        }
    }

    func lifecycleRecords(studio: String) throws -> [LifecycleRecord] {
        try queue.read { db in
            _ = try LedgerStore.studioRow(db, code: studio)
            return try LedgerStore.lifecycleRecords(db, studio: studio)
        }
    }

    /// The acceptance scores the county recorded, oldest first.
    func acceptanceScores(studio: String) throws -> [AcceptanceScore] {
        try queue.read { db in
            try AcceptanceScoreRecord.fetchAll(db, sql: "SELECT * FROM acceptance_score WHERE studio = ? ORDER BY id", arguments: [studio])
                .map { AcceptanceScore(date: $0.date, score: $0.score, result: $0.result, by: $0.decidedBy) }
        }
    }

    /// The studio's books as of `date` (balances of vouchers dated on or before it), read in
    /// one transaction; what a lifecycle step or repayment derives its vouchers from.
    func lifecycleBooks(studio code: String, through date: CalendarDate) throws -> LifecycleBooks {
        try queue.read { db in
            let (studioID, studio) = try LedgerStore.studioRow(db, code: code)
            let history = try LedgerStore.lifecycleRecords(db, studio: code).filter { $0.kind == "transition" }.map(\.transition)
            return LifecycleBooks(
                studio: studio, history: history, balances: try LedgerStore.balances(db, studioID: studioID, through: date),
                periods: try LedgerStore.periodBook(db, studioID: studioID))
        }
    }

    /// Posts the vouchers `build` derives from the studio's balances as of `through`, read and
    /// written in one transaction (the repayment of a clawback), logged under `action`.
    func postFromBooks(
        studio code: String, through date: CalendarDate, stamp: Stamp, action: String, detail: String,
        build: (LifecycleBooks) throws -> [VoucherDraft]
    ) throws -> [PostedVoucher] {
        try queue.write { db in
            let (studioID, studio) = try LedgerStore.studioRow(db, code: code)
            let history = try LedgerStore.lifecycleRecords(db, studio: code).filter { $0.kind == "transition" }.map(\.transition)
            let drafts = try build(LifecycleBooks(
                studio: studio, history: history, balances: try LedgerStore.balances(db, studioID: studioID, through: date),
                periods: try LedgerStore.periodBook(db, studioID: studioID)))
            let session = try PostingSession(db: db, stamp: stamp)
            for draft in drafts { try session.post(draft, kind: .normal) }
            try session.flush()
            try LedgerStore.logPosted(db, session.posted, stamp: stamp, action: action, detail: detail)
            return session.posted
        }
    }
}
