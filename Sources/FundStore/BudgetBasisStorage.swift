import FundCore
internal import GRDB

// 平行记账's per-studio basis (migration v16): which 预算收入 leaf each fund's receipts are, a
// row per choice, append-only and in the row chain; the latest row of a (studio, fund) is in
// force, and a fund without one takes `BudgetBasis.defaults`. Posting derives budget lines
// with it (PostingSession), so a change applies to vouchers posted after it.

extension LedgerStore {
    /// The kind of the studio's current host unit (after any change in effect, 第十一条): a
    /// studio moved from a college to an enterprise stops budget accounting from then on.
    static func hostUnitKind(_ db: Database, studio: Studio) throws -> HostUnitKind {
        let code = studio.hostUnit.description
        let sql = "SELECT h.kind FROM studio s JOIN host_unit h ON h.credit_code = \(currentHostUnitSQL) WHERE s.code = ?"
        guard let raw = try String.fetchOne(db, sql: sql, arguments: [studio.code]),
            let kind = HostUnitKind(rawValue: raw)
        else {
            throw StoreCorruption(table: "host_unit", rowID: nil, message: "依托单位 \(code) 不存在或类型无效")
        }
        return kind
    }

    /// The kinds of the studio's host units over time: the registered one, then each host-unit
    /// change in effect from its date (第十一条), in order.
    static func hostUnitKinds(_ db: Database, studio: Studio) throws -> [(from: CalendarDate?, kind: HostUnitKind)] {
        let registered = studio.hostUnit.description
        var result: [(from: CalendarDate?, kind: HostUnitKind)] = []
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT NULL AS effective_date, h.kind FROM host_unit h WHERE h.credit_code = ?1
                UNION ALL
                SELECT * FROM (SELECT e.effective_date, h.kind FROM studio_change_effect e JOIN host_unit h ON h.credit_code = e.host_unit
                WHERE e.studio = ?2 AND e.kind = 'host-unit' ORDER BY e.effective_date, e.id)
                """, arguments: [registered, studio.code])
        for row in rows {
            guard let kind = HostUnitKind(rawValue: row["kind"]) else {
                throw StoreCorruption(table: "host_unit", rowID: nil, message: "依托单位类型无效")
            }
            let date: String? = row["effective_date"]
            result.append((try date.map { text in
                guard let day = try? CalendarDate.parse(text) else {
                    throw StoreCorruption(table: "studio_change_effect", rowID: nil, message: "生效日期无效")
                }
                return day
            }, kind))
        }
        guard !result.isEmpty else { throw StoreCorruption(table: "host_unit", rowID: nil, message: "依托单位 \(registered) 不存在") }
        return result
    }

    /// What raised a payable: the spending category of the studio's latest voucher crediting
    /// `account` for `fund`, when that voucher's debits of the fund are of one category.
    static func payableCategory(_ db: Database, studioID: Int64, account: String, fund: Fund, chart: ChartOfAccounts) -> SpendingCategory? {
        guard let voucher = try? Int64.fetchOne(
            db,
            sql: """
                SELECT voucher_id FROM posting WHERE studio_id = ? AND account = ? AND fund = ? AND side = 'credit' AND amount_fen > 0
                ORDER BY voucher_id DESC LIMIT 1
                """, arguments: [studioID, account, fund.rawValue]),
            let debits = try? String.fetchAll(
                db, sql: "SELECT account FROM posting WHERE voucher_id = ? AND fund = ? AND side = 'debit'", arguments: [voucher, fund.rawValue])
        else { return nil }
        let categories = Set(debits.compactMap { chart[$0]?.category })
        return categories.count == 1 ? categories.first : nil
    }

    static func budgetBasis(_ db: Database, studio: String, chart: ChartOfAccounts) throws -> BudgetBasis {
        var basis = BudgetBasis.defaults(chart: chart)
        for row in try Row.fetchAll(db, sql: "SELECT fund, account FROM budget_basis WHERE studio = ? ORDER BY id", arguments: [studio]) {
            guard let fund = Fund(rawValue: row["fund"]) else { continue }
            basis.revenue[fund] = row["account"]
        }
        return basis
    }

    /// The account table again with classes 6–8 allowed: SQLite cannot change a CHECK, so the
    /// table is rebuilt with every row kept under its rowid (so the row chain's content of each
    /// row, `rowid` and every column, is unchanged) and its append-only triggers restored.
    static let v16Accounts: [String] = [
        """
        CREATE TABLE account_v16 (
            code TEXT PRIMARY KEY CHECK (length(code) IN (4, 6, 8)),
            name TEXT NOT NULL CHECK (name <> ''),
            type TEXT NOT NULL CHECK (\(Schema.oneOf("type", [
                "asset", "liability", "net-assets", "revenue", "expense", "budget-revenue", "budget-expenditure", "budget-balance",
            ]))),
            normal_side TEXT NOT NULL CHECK (normal_side IN ('debit','credit')),
            role TEXT,
            category TEXT,
            funds TEXT NOT NULL,
            is_leaf INTEGER NOT NULL CHECK (is_leaf IN (0, 1)),
            parent TEXT REFERENCES account(code)
        ) STRICT
        """,
        """
        INSERT INTO account_v16 (rowid, code, name, type, normal_side, role, category, funds, is_leaf, parent)
        SELECT rowid, code, name, type, normal_side, role, category, funds, is_leaf, parent FROM account ORDER BY rowid
        """,
        "DROP TABLE account",
        "ALTER TABLE account_v16 RENAME TO account",
    ] + Schema.appendOnlyTriggers(["account"])

    static let v16: [String] = [
        """
        CREATE TABLE budget_basis (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            fund TEXT NOT NULL CHECK (\(Schema.oneOf("fund", Schema.funds))),
            account TEXT NOT NULL CHECK (account <> ''),
            at TEXT NOT NULL,
            user TEXT NOT NULL CHECK (user <> '')
        ) STRICT
        """,
    ] + Schema.appendOnlyTriggers(["budget_basis"])
}

extension SQLiteRegistry {
    func budgetAccounting(studio code: String) throws -> BudgetAccounting {
        try queue.read { db in
            let (_, studio) = try LedgerStore.studioRow(db, code: code)
            let chart = try LedgerStore.loadChart(db)
            let kind = try LedgerStore.hostUnitKind(db, studio: studio)
            return BudgetAccounting(
                kept: kind != .enterprise && ParallelChart(chart: chart).keepsBudget, hostUnitKind: kind,
                basis: try LedgerStore.budgetBasis(db, studio: code, chart: chart))
        }
    }

    func payableCategory(studio code: String, account: String, fund: Fund) throws -> SpendingCategory? {
        try queue.read { db in
            let (id, _) = try LedgerStore.studioRow(db, code: code)
            return LedgerStore.payableCategory(db, studioID: id, account: account, fund: fund, chart: try LedgerStore.loadChart(db))
        }
    }

    func setBudgetRevenue(studio code: String, fund: Fund, account: String, stamp: Stamp) throws {
        try queue.write { db in
            let (_, studio) = try LedgerStore.studioRow(db, code: code)
            guard try LedgerStore.hostUnitKind(db, studio: studio) != .enterprise else {
                throw Rejection(.budgetLinesNotKept, field: "studio", "工作室 \(code) 的依托单位是企业，不做预算会计")
            }
            let chart = try LedgerStore.loadChart(db)
            try BudgetBasis.validate(account, fund: fund, chart: chart)
            let current = try LedgerStore.budgetBasis(db, studio: code, chart: chart).revenue[fund]
            guard current != account else {
                throw Rejection(.markingUnchanged, field: "account", "\(fund.chineseName)的预算收入科目已是 \(account)")
            }
            try db.execute(
                sql: "INSERT INTO budget_basis (studio, fund, account, at, user) VALUES (?,?,?,?,?)",
                arguments: [code, fund.rawValue, account, stamp.at, stamp.user])
            let name = chart.namePath(account).joined(separator: "—")
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "studio.budget-basis", studio: code,
                detail: "\(fund.chineseName)收款的预算收入科目改为 \(account) \(name)（原为 \(current ?? "—")），此后记账的凭证按此平行记账")
        }
    }
}
