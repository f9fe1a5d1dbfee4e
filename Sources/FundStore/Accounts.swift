import FundCore
internal import GRDB

// The web desk's accounts, sessions and failed logins (migration v10-accounts) on SQLite.
// Sessions are not books: these tables are outside the row chain (RowChain.tables) and are
// changed in place. What happens to them is in the operation log's chain, each entry written
// in the transaction of its change, under studio "". No password reaches this file, and no
// hash is ever written to the log.

extension SQLiteAccounts {
    func addAccount(
        name: String, role: Role, scope: Scope, expires: CalendarDate?, passwordHash: String, mustChange: Bool, stamp: Stamp
    ) throws -> WebAccount {
        try queue.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM web_account WHERE name = ?", arguments: [name]) != nil {
                throw Rejection(.userDuplicate, field: "name", "用户名“\(name)”已有账户")
            }
            try db.execute(
                sql: """
                    INSERT INTO web_account (name, role, scope, expires, password_hash, must_change, disabled, created_at, created_by)
                    VALUES (?,?,?,?,?,?,0,?,?)
                    """,
                arguments: [name, role.rawValue, scope.stored, expires?.iso, passwordHash, mustChange ? 1 : 0, stamp.at, stamp.user])
            let until = expires.map { "，有效期至 \($0.iso)" } ?? "，长期有效"
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "user.add", studio: "",
                detail: "新增账户 \(name)：角色 \(role.rawValue)（\(role.chineseName)），授权范围 \(scope.stored)（\(scope.chineseText)）\(until)")
            return try Self.record(db, name: name).account
        }
    }

    func accounts() throws -> [WebAccount] {
        try queue.read { db in
            try WebAccountRecord.fetchAll(db, sql: "SELECT * FROM web_account ORDER BY name").map(\.account)
        }
    }

    func credentials(name: String) throws -> AccountCredentials? {
        try queue.read { db in
            try WebAccountRecord.fetchOne(db, sql: "SELECT * FROM web_account WHERE name = ?", arguments: [name])?.credentials
        }
    }

    func credentials(id: Int64) throws -> AccountCredentials? {
        try queue.read { db in
            try WebAccountRecord.fetchOne(db, sql: "SELECT * FROM web_account WHERE id = ?", arguments: [id])?.credentials
        }
    }

    func disableAccount(name: String, stamp: Stamp) throws -> WebAccount {
        try queue.write { db in
            let current = try Self.record(db, name: name).account
            if current.disabled { return current }
            try db.execute(sql: "UPDATE web_account SET disabled = 1 WHERE id = ?", arguments: [current.id])
            let ended = try Self.endSessions(db, accountID: current.id)
            try LedgerStore.appendLog(db, stamp: stamp, action: "user.disable", studio: "", detail: "停用账户 \(name)，结束会话 \(ended) 个")
            return try Self.record(db, name: name).account
        }
    }

    /// A reset ends every session of the account; a change by its owner ends every session but
    /// the one it was made in (`tokenHash`): a stolen cookie stops working with the old password.
    func setPassword(name: String, passwordHash: String, reset: Bool, keeping tokenHash: String?, stamp: Stamp) throws -> WebAccount {
        try queue.write { db in
            let current = try Self.record(db, name: name).account
            try db.execute(
                sql: "UPDATE web_account SET password_hash = ?, must_change = ? WHERE id = ?",
                arguments: [passwordHash, reset ? 1 : 0, current.id])
            if reset {
                let ended = try Self.endSessions(db, accountID: current.id)
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: "user.reset-password", studio: "",
                    detail: "重置账户 \(name) 的密码（一次性密码，首次登录须修改），结束会话 \(ended) 个")
            } else {
                try db.execute(
                    sql: "DELETE FROM web_session WHERE account_id = ? AND token_hash IS NOT ?", arguments: [current.id, tokenHash])
                let ended = db.changesCount
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: "user.password", studio: "", detail: "账户 \(name) 修改了密码，结束其他会话 \(ended) 个")
            }
            return try Self.record(db, name: name).account
        }
    }

    func loginFailures(name: String) throws -> [Int64] {
        try queue.read { db in
            try Int64.fetchAll(db, sql: "SELECT at FROM login_failure WHERE name = ? ORDER BY at, id", arguments: [name])
        }
    }

    func recordLoginRefusal(name: String, at: Int64, counted: Bool, action: String, detail: String, stamp: Stamp) throws {
        try queue.write { db in
            if counted {
                try db.execute(sql: "INSERT INTO login_failure (name, at) VALUES (?,?)", arguments: [name, at])
            }
            try LedgerStore.appendLog(db, stamp: stamp, action: action, studio: "", detail: detail)
        }
    }

    func openSession(
        accountID: Int64, failureName: String, tokenHash: String, csrf: String, at: Int64,
        idleBefore: Int64, createdBefore: Int64, stamp: Stamp
    ) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM login_failure WHERE name = ?", arguments: [failureName])
            try db.execute(
                sql: "DELETE FROM web_session WHERE seen_at < ? OR created_at < ?", arguments: [idleBefore, createdBefore])
            try db.execute(
                sql: "INSERT INTO web_session (token_hash, account_id, csrf, created_at, seen_at) VALUES (?,?,?,?,?)",
                arguments: [tokenHash, accountID, csrf, at, at])
            try LedgerStore.appendLog(db, stamp: stamp, action: "login", studio: "", detail: "登录")
        }
    }

    func session(tokenHash: String) throws -> StoredSession? {
        try queue.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT account_id, csrf, created_at, seen_at FROM web_session WHERE token_hash = ?", arguments: [tokenHash])
            else { return nil }
            let stored = StoredRow(row, table: "web_session", idColumn: nil)
            let accountID: Int64 = try stored.value("account_id")
            guard let account = try WebAccountRecord.fetchOne(db, sql: "SELECT * FROM web_account WHERE id = ?", arguments: [accountID])?.account
            else { throw stored.corruption("会话的账户 \(accountID) 不存在") }
            return StoredSession(
                tokenHash: tokenHash, account: account, csrf: try stored.value("csrf"), createdAt: try stored.value("created_at"),
                seenAt: try stored.value("seen_at"))
        }
    }

    func touchSession(tokenHash: String, at: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE web_session SET seen_at = ? WHERE token_hash = ? AND seen_at < ?", arguments: [at, tokenHash, at])
        }
    }

    func endSession(tokenHash: String, stamp: Stamp?) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE token_hash = ?", arguments: [tokenHash])
            guard db.changesCount > 0 else { return false }
            if let stamp { try LedgerStore.appendLog(db, stamp: stamp, action: "logout", studio: "", detail: "退出登录") }
            return true
        }
    }

    func studioPlaces() throws -> [StudioPlace] {
        try queue.read { db in
            try Row.fetchAll(db, sql: Self.placeQuery + " ORDER BY p.code").map(Self.place)
        }
    }

    func studioPlace(code: String) throws -> StudioPlace? {
        try queue.read { db in
            try Row.fetchOne(db, sql: Self.placeQuery + " WHERE p.code = ?", arguments: [code]).map(Self.place)
        }
    }

    /// A studio's place is where it is now: its current host unit (the last host-unit change
    /// in effect, 第十一条, or the registered one) and that unit's county. After a host-unit
    /// change the old unit's accounts (and county) no longer see the studio; the new ones do.
    static let placeQuery = """
        SELECT p.code, p.host_unit, h.county FROM (SELECT s.code AS code, \(LedgerStore.currentHostUnitSQL) AS host_unit FROM studio s) p
        JOIN host_unit h ON h.credit_code = p.host_unit
        """

    static func place(_ row: Row) throws -> StudioPlace {
        let r = StoredRow(row, table: "studio", idColumn: nil)
        return StudioPlace(code: try r.value("code"), hostUnit: try r.value("host_unit"), county: try r.value("county"))
    }

    /// The account stored under `name`; rejects an unknown name (W003).
    static func record(_ db: Database, name: String) throws -> WebAccountRecord {
        guard let record = try WebAccountRecord.fetchOne(db, sql: "SELECT * FROM web_account WHERE name = ?", arguments: [name]) else {
            throw Rejection(.userUnknown, field: "name", "没有用户名为“\(name)”的账户")
        }
        return record
    }

    /// Deletes every session of the account; returns how many there were.
    static func endSessions(_ db: Database, accountID: Int64) throws -> Int {
        try db.execute(sql: "DELETE FROM web_session WHERE account_id = ?", arguments: [accountID])
        return db.changesCount
    }
}
