import FundCore
internal import GRDB

// One record type per table FundStore reads through GRDB rows. Each decodes its row with
// throwing conversions: a stored value that no longer reads (an unknown fund, a bad date, a
// NULL where the schema forbids one: a file edited behind the ledger's back) throws
// `StoreCorruption` naming the table and the row, never traps. The vouchers and their postings
// are the exception to "through GRDB rows": `loadVouchers` reads them by position from the
// statement (speed), with the same errors.

/// The columns of one stored row, read with conversions that throw `StoreCorruption`.
struct StoredRow {
    let row: Row
    let table: String
    let id: Int64?

    /// `idColumn`: the column holding the row's id (nil: the row has none selected).
    init(_ row: Row, table: String, idColumn: String? = "id") {
        self.row = row
        self.table = table
        self.id = idColumn.flatMap { column in (try? row.decode(Int64?.self, forColumn: column)) ?? nil }
    }

    func corruption(_ message: String) -> StoreCorruption { StoreCorruption(table: table, rowID: id, message: message) }

    /// The column's value; NULL only when `Value` is optional.
    func value<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard row.hasColumn(column) else { throw corruption("查询结果没有列 \(column)") }
        do {
            return try row.decode(Value.self, forColumn: column)
        } catch {
            throw corruption("列 \(column) 的值 \(row[column] as DatabaseValue) 不是 \(Value.self)")
        }
    }

    /// The value at a position of the query (for rows read by the million, where a lookup by
    /// name costs more than the decoding); `column` names it in errors.
    func value<Value: DatabaseValueConvertible>(at index: Int, _ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard index < row.count else { throw corruption("查询结果没有列 \(column)") }
        do {
            return try row.decode(Value.self, atIndex: index)
        } catch {
            throw corruption("列 \(column) 的值 \(row[index] as DatabaseValue) 不是 \(Value.self)")
        }
    }

    /// A stored code (`Fund`, `Side`, …) by its raw value.
    func code<Code: RawRepresentable>(_ column: String, as type: Code.Type = Code.self) throws -> Code where Code.RawValue == String {
        let text: String = try value(column)
        guard let code = Code(rawValue: text) else { throw corruption("列 \(column) 的值“\(text)”不是有效的 \(Code.self)") }
        return code
    }

    func optionalCode<Code: RawRepresentable>(_ column: String, as type: Code.Type = Code.self) throws -> Code? where Code.RawValue == String {
        guard try value(column, as: String?.self) != nil else { return nil }
        return try code(column, as: Code.self)
    }

    func date(_ column: String) throws -> CalendarDate {
        let text: String = try value(column)
        do { return try CalendarDate.parse(text) } catch { throw corruption("列 \(column) 的值“\(text)”不是日期") }
    }

    func optionalDate(_ column: String) throws -> CalendarDate? {
        guard try value(column, as: String?.self) != nil else { return nil }
        return try date(column)
    }

    /// A month stored as YYYYMM.
    func period(_ column: String) throws -> Period {
        let key: Int = try value(column)
        guard let period = Period(key: key) else { throw corruption("列 \(column) 的值 \(key) 不是有效的月份") }
        return period
    }

    func money(_ column: String) throws -> Money { Money(fen: try value(column, as: Int64.self)) }

    /// Turns a domain constructor's rejection of stored values into corruption of this row.
    func build<Value>(_ make: () throws -> Value) throws -> Value {
        do { return try make() } catch let corruption as StoreCorruption { throw corruption } catch {
            throw corruption("\(error)")
        }
    }
}

/// `account`: one account of the chart. Read with `SELECT rowid, *`.
struct AccountRecord: FetchableRecord {
    let account: Account

    init(row: Row) throws {
        let r = StoredRow(row, table: "account", idColumn: "rowid")
        let funds: String = try r.value("funds")
        let parsed = try funds.split(separator: "|").map { text in
            guard let fund = Fund(rawValue: String(text)) else { throw r.corruption("列 funds 含未知资金“\(text)”") }
            return fund
        }
        let code: String = try r.value("code")
        let name: String = try r.value("name")
        let type: AccountType = try r.code("type")
        let side: Side = try r.code("normal_side")
        let role: AccountRole? = try r.optionalCode("role")
        let category: SpendingCategory? = try r.optionalCode("category")
        account = try r.build {
            Account(code: code, name: name, type: type, normalSide: side, role: role, category: category, funds: parsed)
        }
    }
}

/// `host_unit`: a registered host unit. Read with `SELECT rowid, *`.
struct HostUnitRecord: FetchableRecord {
    let hostUnit: HostUnit

    init(row: Row) throws {
        let r = StoredRow(row, table: "host_unit", idColumn: "rowid")
        let creditCode: String = try r.value("credit_code")
        let name: String = try r.value("name")
        let kind: HostUnitKind = try r.code("kind")
        let county: String = try r.value("county")
        hostUnit = try r.build { try HostUnit(creditCode: CreditCode(creditCode), name: name, kind: kind, county: county) }
    }
}

/// `studio`: a registered studio and its integer id.
struct StudioRecord: FetchableRecord {
    let id: Int64
    let studio: Studio

    init(row: Row) throws {
        let r = StoredRow(row, table: "studio")
        id = try r.value("id")
        let code: String = try r.value("code")
        let name: String = try r.value("name")
        let hostUnit: String = try r.value("host_unit")
        let leader: String = try r.value("leader")
        let field: String = try r.value("field")
        let recognized = try r.date("recognized")
        let subsidy = try r.money("approved_subsidy_fen")
        studio = try r.build {
            try Studio(
                code: code, name: name, hostUnit: CreditCode(hostUnit), leader: leader, field: field, recognized: recognized,
                approvedSubsidy: subsidy)
        }
    }
}

/// `op_log`: one entry of the operation log (its id is `seq`).
struct LogRecord: FetchableRecord {
    let sequence: Int
    let at: String
    let user: String
    let action: String
    let studio: String
    let detail: String
    let previousHash: String
    let hash: String

    init(row: Row) throws {
        let r = StoredRow(row, table: "op_log", idColumn: "seq")
        sequence = try r.value("seq")
        at = try r.value("at")
        user = try r.value("user")
        action = try r.value("action")
        studio = try r.value("studio")
        detail = try r.value("detail")
        previousHash = try r.value("prev_hash")
        hash = try r.value("hash")
    }

    var entry: LogEntry {
        LogEntry(sequence: sequence, at: at, user: user, action: action, studio: studio, detail: detail, hash: hash)
    }
}

/// `period_event`: a month closed or reopened.
struct PeriodEventRecord: FetchableRecord {
    let period: Period
    let action: PeriodBook.Action

    init(row: Row) throws {
        let r = StoredRow(row, table: "period_event")
        period = try r.period("period")
        action = try r.code("action")
    }
}

/// `month_balance` (joined with the studio's code): one fund, account and month's turnover.
/// Columns by position: code, fund, account, period, debit_fen, credit_fen.
struct MonthBalanceRecord: FetchableRecord {
    let studio: String
    let fund: Fund
    let account: String
    let period: Period
    let debit: Money
    let credit: Money

    init(row: Row) throws {
        // month_balance's key is (studio_id, fund, account, period): no single id.
        let r = StoredRow(row, table: "month_balance", idColumn: nil)
        studio = try r.value(at: 0, "code")
        let fundText: String = try r.value(at: 1, "fund")
        guard let fund = Fund(rawValue: fundText) else { throw r.corruption("列 fund 的值“\(fundText)”不是有效的 Fund") }
        self.fund = fund
        account = try r.value(at: 2, "account")
        let key: Int = try r.value(at: 3, "period")
        guard let period = Period(key: key) else { throw r.corruption("列 period 的值 \(key) 不是有效的月份") }
        self.period = period
        debit = Money(fen: try r.value(at: 4, "debit_fen"))
        credit = Money(fen: try r.value(at: 5, "credit_fen"))
    }
}

/// `budget_revision`: one revision of one budget line.
struct BudgetRevisionRecord: FetchableRecord {
    let revision: BudgetRevision

    init(row: Row) throws {
        let r = StoredRow(row, table: "budget_revision")
        let studio: String = try r.value("studio")
        let fund: Fund = try r.code("fund")
        let category: SpendingCategory = try r.code("category")
        let amount = try r.money("amount_fen")
        let number: Int = try r.value("revision")
        let at: String = try r.value("at")
        let user: String = try r.value("user")
        let reason: String = try r.value("reason")
        revision = try r.build {
            BudgetRevision(
                line: try BudgetLine(studio: studio, fund: fund, category: category, amount: amount), revision: number, at: at,
                user: user, reason: reason)
        }
    }
}

/// `lifecycle_event` (with its `acceptance_score`, if any): a transition or a notice.
struct LifecycleEventRecord: FetchableRecord {
    let record: LifecycleRecord

    init(row: Row) throws {
        let r = StoredRow(row, table: "lifecycle_event")
        let kind: String = try r.value("kind")
        let transition = LifecycleTransition(
            to: try r.optionalCode("to_state", as: LifecycleState.self) ?? .recognized,
            date: try r.date("date"), by: try r.value("decided_by"), note: try r.value("note"),
            ground: try r.optionalCode("ground"), deadline: try r.optionalDate("deadline"),
            score: try r.value("score_hundredths", as: Int64?.self).map(Score.init(hundredths:)))
        record = LifecycleRecord(id: try r.value("id"), kind: kind, transition: transition, at: try r.value("at"), user: try r.value("user"))
    }
}

/// `acceptance_score`: the county's acceptance score of a studio.
struct AcceptanceScoreRecord: FetchableRecord {
    let date: CalendarDate
    let score: Score
    let result: LifecycleState
    let decidedBy: String

    init(row: Row) throws {
        let r = StoredRow(row, table: "acceptance_score")
        date = try r.date("date")
        score = Score(hundredths: try r.value("score_hundredths"))
        result = try r.code("result")
        decidedBy = try r.value("decided_by")
    }
}

/// `studio_change`: a change (第十一条), without its steps.
struct StudioChangeRecord: FetchableRecord {
    let change: StudioChange

    init(row: Row) throws {
        let r = StoredRow(row, table: "studio_change")
        change = StudioChange(
            id: try r.value("id"), studio: try r.value("studio"), kind: try r.code("kind"),
            eventDate: try r.date("event_date"), detail: try r.value("detail"))
    }
}

/// `change_step`: a change reported or decided.
struct ChangeStepRecord: FetchableRecord {
    let step: String
    let date: CalendarDate
    let note: String

    init(row: Row) throws {
        let r = StoredRow(row, table: "change_step")
        step = try r.value("step")
        date = try r.date("date")
        note = try r.value("note")
    }
}

/// `performance_target`: one setting of an indicator's target.
struct PerformanceTargetRecord: FetchableRecord {
    let target: PerformanceTarget

    init(row: Row) throws {
        let r = StoredRow(row, table: "performance_target")
        let studio: String = try r.value("studio")
        let indicator: String = try r.value("indicator")
        let value: Int64 = try r.value("target_hundredths")
        let actual: Int64? = try r.value("actual_hundredths")
        let note: String = try r.value("note")
        target = try r.build { try PerformanceTarget(studio: studio, indicator: indicator, target: value, actual: actual, note: note) }
    }
}

/// `activity`: one recorded activity.
struct ActivityRecord: FetchableRecord {
    let activity: Activity

    init(row: Row) throws {
        let r = StoredRow(row, table: "activity")
        let studio: String = try r.value("studio")
        let date = try r.date("date")
        let kind: ActivityKind = try r.code("kind")
        let title: String = try r.value("title")
        let quantity: Int = try r.value("quantity")
        let amount = try r.money("amount_fen")
        let achieved = try r.value("achieved", as: Int?.self).map { $0 == 1 }
        let evidence: String? = try r.value("evidence")
        let note: String = try r.value("note")
        activity = try r.build {
            try Activity(
                studio: studio, date: date, kind: kind, title: title, quantity: quantity, amount: amount, achieved: achieved,
                evidence: evidence, note: note)
        }
    }
}

/// `supervision_note`: a county bureau's note on a studio.
struct SupervisionNoteRecord: FetchableRecord {
    let note: SupervisionNote

    init(row: Row) throws {
        let r = StoredRow(row, table: "supervision_note")
        let studio: String = try r.value("studio")
        let date = try r.date("date")
        let text: String = try r.value("text")
        let at: String = try r.value("at")
        let user: String = try r.value("user")
        note = SupervisionNote(studio: studio, date: date, text: text, at: at, user: user)
    }
}

/// `signing_key`: a host unit's registered public key.
struct SigningKeyRecord: FetchableRecord {
    let hostUnit: String
    let publicKeyHex: String
    let at: String
    let user: String

    init(row: Row) throws {
        let r = StoredRow(row, table: "signing_key")
        hostUnit = try r.value("host_unit")
        publicKeyHex = try r.value("public_key")
        at = try r.value("at")
        user = try r.value("user")
    }
}

/// `finding_note`: an explanation of a finding, or a decision on it.
struct FindingNoteRecord: FetchableRecord {
    let findingKey: String
    let action: String
    let text: String
    let user: String

    init(row: Row) throws {
        let r = StoredRow(row, table: "finding_note")
        findingKey = try r.value("finding_key")
        action = try r.value("action")
        text = try r.value("text")
        user = try r.value("user")
    }
}

/// `web_account`: a web desk account, with its password hash (which only `credentials` hands
/// out).
struct WebAccountRecord: FetchableRecord {
    let account: WebAccount
    let passwordHash: String

    init(row: Row) throws {
        let r = StoredRow(row, table: "web_account")
        let id: Int64 = try r.value("id")
        let name: String = try r.value("name")
        let role = try r.code("role", as: Role.self)
        let scopeText: String = try r.value("scope")
        let scope = try r.build { try Scope.parse(stored: scopeText) }
        let expires = try r.optionalDate("expires")
        let mustChange: Int64 = try r.value("must_change")
        let disabled: Int64 = try r.value("disabled")
        let createdAt: String = try r.value("created_at")
        let createdBy: String = try r.value("created_by")
        passwordHash = try r.value("password_hash")
        account = WebAccount(
            id: id, name: name, role: role, scope: scope, expires: expires, disabled: disabled != 0, mustChangePassword: mustChange != 0,
            createdAt: createdAt, createdBy: createdBy)
    }

    var credentials: AccountCredentials { AccountCredentials(account: account, passwordHash: passwordHash) }
}
