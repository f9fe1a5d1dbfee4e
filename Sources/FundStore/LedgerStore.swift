import FundCore
import Foundation
internal import GRDB
import Crypto

/// The SQLite ledger: one `DatabaseQueue` over a file, or in memory for tests, owns every
/// write (GRDB's advice). It opens and migrates the database; what FundApp reads and writes
/// goes through its areas (`register`, `books`, `evidence`, `lifecycle`, `compliance`,
/// `admin`, `accounts`), each the SQLite implementation of that area's storage protocol (Storage.swift).
///
/// A busy office: several processes (one per command) share the file. The file is in WAL
/// mode, so readers never wait for a writer; a writer waits up to `busyTimeout` for another
/// writer (`BEGIN IMMEDIATE`, so it waits at the start instead of failing after it has read);
/// only then does the operation fail, with `LedgerBusy` (`LedgerDatabase`).
public final class LedgerStore: Sendable {
    let queue: LedgerDatabase
    /// The database file, or ":memory:" for an in-memory ledger.
    public let path: String

    /// How long an operation waits for another process's write before failing with `LedgerBusy`.
    public static let defaultBusyTimeout: Double = 10

    /// Opens (creating if needed) the database at `path` and migrates it.
    public convenience init(path: String) throws {
        try self.init(path: path, busyTimeout: Self.defaultBusyTimeout)
    }

    /// Opens the database at `path`, waiting at most `busyTimeout` seconds for a lock (tests
    /// set a short one to see `LedgerBusy` quickly).
    @_spi(Testing) public init(path: String, busyTimeout: Double) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // SQLite's busy handler: a statement that meets a lock retries it for up to the timeout
        // instead of failing at once. GRDB 7 begins every write transaction IMMEDIATE (there is
        // no `defaultTransactionKind` any more), so a writer takes the write lock, or waits for
        // it, before it reads anything: it cannot fail halfway on a snapshot another writer made
        // stale.
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // Per connection. WAL mode is not set here: it is a property of the file, set once
            // when the file is created or migrated (`prepareFile`); asking for it on every open
            // is one more locked step per command.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 32 MB of page cache (default 2 MB): a bulk import touches several indexes at
            // random places; the cache grows only as far as a connection uses it.
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        let queue = try LedgerDatabase.waiting(busyTimeout, retrying: true) {
            try DatabaseQueue(path: path, configuration: configuration)
        }
        self.queue = LedgerDatabase(queue: queue, busyTimeout: busyTimeout)
        self.path = path
        try self.queue.prepareFile()
    }

    /// A fresh private in-memory database.
    public init() throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        queue = LedgerDatabase(queue: try DatabaseQueue(configuration: configuration), busyTimeout: 0)
        path = ":memory:"
        try Schema.migrator.migrate(queue.queue)
    }

    /// The chart, host units and studios.
    public var register: any RegisterStorage { SQLiteRegister(queue: queue) }
    /// Vouchers, month closing and the balances and ledgers read from them.
    public var books: any BookStorage { SQLiteBooks(queue: queue) }
    /// Evidence files, signing keys and the chain heads an audit package is cut from.
    public var evidence: any EvidenceStorage { SQLiteEvidence(queue: queue) }
    /// Lifecycle steps and notices, changes, targets and activities.
    public var lifecycle: any LifecycleStorage { SQLiteLifecycle(queue: queue) }
    /// Finding reviews and budgets.
    public var compliance: any ComplianceStorage { SQLiteCompliance(queue: queue) }
    /// Verification, the operation log and checkpoints.
    public var admin: any AdminStorage { SQLiteAdmin(queue: queue) }
    /// The web desk's accounts, sessions and failed logins, and where studios sit.
    public var accounts: any AccountStorage { SQLiteAccounts(queue: queue) }

    /// Runs raw SQL with no safety net. Only tests use it, to play an attacker who edits the
    /// file behind the ledger's back.
    @_spi(Testing) public func unsafeExecuteForTesting(_ sql: String) throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// Runs `body` inside a write transaction of this connection, which holds the file's write
    /// lock meanwhile: tests play another process that is busy writing.
    @_spi(Testing) public func holdingWriteLockForTesting(_ body: () throws -> Void) throws {
        try queue.write { _ in try body() }
    }

    /// The value of one integer SQL expression; benchmarks and tests compare our sums with it.
    @_spi(Testing) public func unsafeScalarForTesting(_ sql: String) throws -> Int64? {
        try queue.read { db in try Int64.fetchOne(db, sql: sql) }
    }

    /// The text values of one SQL query's first column (tests: column names, stored text).
    @_spi(Testing) public func unsafeStringsForTesting(_ sql: String) throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: sql) }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func sha256Hex(_ text: String) -> String {
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

// MARK: - Waiting for a busy file

/// The one way FundStore reaches its `DatabaseQueue`: every read and write of the areas goes
/// through `read`, `write` or `writeWithoutTransaction` here, which
/// - let SQLite's busy timeout (set on the connection) make a statement wait for a lock;
/// - retry the whole transaction, a bounded number of times within the timeout, when SQLite
///   reports SQLITE_BUSY without having waited (cases its busy handler does not cover, such as
///   a read snapshot that can no longer become a write, or a WAL being recovered). A transaction
///   that failed with SQLITE_BUSY was rolled back, so running it again is running it once;
/// - turn SQLITE_BUSY / SQLITE_LOCKED that remains into `LedgerBusy` (FundCore), the error the
///   CLI reports as "账簿正被其他操作占用，请稍后重试" with exit 3.
struct LedgerDatabase: Sendable {
    let queue: DatabaseQueue
    /// Seconds SQLite's busy handler waits for a lock, and the budget for retries.
    let busyTimeout: Double

    /// Whether the ledger is a file another connection can open (not an in-memory database).
    var isFile: Bool {
        let path = queue.path
        return !path.isEmpty && path != ":memory:" && !path.hasPrefix("file:")
    }

    /// A second, read-only connection to the same file, for reading on another core (`verify`
    /// checks the studios' chains in parallel); nil for an in-memory ledger. In WAL mode its
    /// reads never wait for a writer.
    func readOnlyCompanion() throws -> LedgerDatabase? {
        guard isFile else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        let path = queue.path
        let reader = try Self.waiting(busyTimeout, retrying: true) { try DatabaseQueue(path: path, configuration: configuration) }
        return LedgerDatabase(queue: reader, busyTimeout: busyTimeout)
    }

    /// Attempts of one transaction in all (the first and the retries).
    static let attempts = 6

    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try Self.waiting(busyTimeout, retrying: true) { try queue.read(value) }
    }

    /// One IMMEDIATE transaction, committed when `updates` returns, rolled back when it throws.
    /// Rows written to a chained table are added to the row chain before the commit.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try Self.waiting(busyTimeout, retrying: true) {
            try queue.write { db in
                let result = try updates(db)
                try RowChain.appendNew(db)
                return result
            }
        }
    }

    /// Statements in autocommit mode: not retried (a half-done series would run twice), only
    /// waited for and mapped.
    func writeWithoutTransaction<T>(_ updates: (Database) throws -> T) throws -> T {
        try Self.waiting(busyTimeout, retrying: false) { try queue.writeWithoutTransaction(updates) }
    }

    /// Puts a new (or old, not yet migrated) file in WAL mode and migrates it. A file whose
    /// migrations are complete is already in WAL mode — it is a property of the file — and is
    /// only read here: one short read per command.
    func prepareFile() throws {
        let (migrated, journal) = try read { db in
            (try Schema.migrator.hasCompletedMigrations(db), try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "")
        }
        if journal.lowercased() != "wal" {
            // Needs a moment alone with the file; the busy timeout waits for it.
            let mode = try writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") ?? "" }
            guard mode.lowercased() == "wal" else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "could not switch \(queue.path) to WAL mode (\(mode))")
            }
        }
        guard !migrated else { return }
        do {
            try Self.waiting(busyTimeout, retrying: false) { try Schema.migrator.migrate(queue) }
        } catch {
            // Two processes that open a new file at once both find it unmigrated; the one that
            // waited then finds the tables made. The schema is what counts.
            if try read({ db in try Schema.migrator.hasCompletedMigrations(db) }) { return }
            throw error
        }
    }

    static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Runs `body`, retrying it on a quick SQLITE_BUSY while the timeout lasts; throws
    /// `LedgerBusy` for the busy error that remains.
    static func waiting<T>(_ timeout: Double, retrying: Bool, _ body: () throws -> T) throws -> T {
        let start = ProcessInfo.processInfo.systemUptime
        var attempt = 1
        while true {
            let began = ProcessInfo.processInfo.systemUptime
            do {
                return try body()
            } catch let error where isBusy(error) {
                let now = ProcessInfo.processInfo.systemUptime
                let waited = now - start
                // The busy handler already waited (most of) the timeout on this attempt, or the
                // budget is spent: give up. A quick BUSY is one the handler was not asked about.
                if !retrying || attempt >= attempts || waited >= timeout || now - began >= timeout / 2 {
                    throw LedgerBusy(waited: waited)
                }
                let pause = min(0.005 * Double(1 << attempt) * Double.random(in: 0.5...1.5), timeout - waited)
                Thread.sleep(forTimeInterval: max(pause, 0))
                attempt += 1
            }
        }
    }
}

// MARK: - The areas

/// `RegisterStorage` on SQLite (LedgerStore.swift).
struct SQLiteRegister: RegisterStorage { let queue: LedgerDatabase }
/// `BookStorage` on SQLite (Vouchers.swift, Balances.swift).
struct SQLiteBooks: BookStorage { let queue: LedgerDatabase }
/// `EvidenceStorage` on SQLite (Evidence.swift).
struct SQLiteEvidence: EvidenceStorage { let queue: LedgerDatabase }
/// `LifecycleStorage` on SQLite (LifecycleRecords.swift, StudioChanges.swift, TargetsAndActivities.swift).
struct SQLiteLifecycle: LifecycleStorage { let queue: LedgerDatabase }
/// `ComplianceStorage` on SQLite (FindingNotes.swift, Budgets.swift).
struct SQLiteCompliance: ComplianceStorage { let queue: LedgerDatabase }
/// `AdminStorage` on SQLite (Verify.swift, and the log and checkpoint here).
struct SQLiteAdmin: AdminStorage { let queue: LedgerDatabase }
/// `AccountStorage` on SQLite (Accounts.swift).
struct SQLiteAccounts: AccountStorage { let queue: LedgerDatabase }

// MARK: - Operation log

extension LedgerStore {
    /// Appends to the log inside the caller's transaction, chaining to the previous entry.
    static func appendLog(_ db: Database, stamp: Stamp, action: String, studio: String, detail: String) throws {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM op_log ORDER BY seq DESC LIMIT 1")
        let sequence = (head?["seq"] as Int? ?? 0) + 1
        let previous = head?["hash"] as String? ?? Canonical.genesis
        let text = Canonical.logText(
            sequence: sequence, at: stamp.at, user: stamp.user, action: action, studio: studio,
            detail: detail, previousHash: previous)
        try db.execute(
            sql: "INSERT INTO op_log (seq, at, user, action, studio, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
            arguments: [sequence, stamp.at, stamp.user, action, studio, detail, previous, sha256Hex(text)])
    }
}

// MARK: - Chart, host units, studios

extension LedgerStore {
    static func loadChart(_ db: Database) throws -> ChartOfAccounts {
        let accounts = try AccountRecord.fetchAll(db, sql: "SELECT rowid, * FROM account ORDER BY code").map(\.account)
        if accounts.isEmpty {
            throw Rejection(.chartEmpty, "数据库尚未初始化科目表：请先运行 workshop-ledger init")
        }
        return try ChartOfAccounts(accounts)
    }

    static func studioRow(_ db: Database, code: String) throws -> (id: Int64, studio: Studio) {
        guard let record = try StudioRecord.fetchOne(db, sql: "SELECT * FROM studio WHERE code = ?", arguments: [code]) else {
            throw Rejection(.studioUnknown, field: "studio", "工作室 \(code) 不存在")
        }
        return (record.id, record.studio)
    }
}

extension SQLiteAdmin {
    func changeMark() throws -> ChangeMark {
        try queue.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT (SELECT coalesce(max(id), 0) FROM voucher) AS v, (SELECT coalesce(max(seq), 0) FROM row_chain) AS r")
            return ChangeMark(voucher: row?["v"] ?? 0, row: row?["r"] ?? 0)
        }
    }

    /// Copies the write-ahead log into the database file and truncates it: the state of a
    /// database at rest, which benchmarks measure readers against.
    func checkpoint() throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// The log, oldest first, optionally only one studio's, one user's or one action's entries.
    func log(studio: String?, user: String?, action: String?) throws -> [LogEntry] {
        try queue.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let studio { clauses.append("studio = ?"); arguments += [studio] }
            if let user { clauses.append("user = ?"); arguments += [user] }
            if let action { clauses.append("action LIKE ?"); arguments += [action + "%"] }
            let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            return try LogRecord.fetchAll(db, sql: "SELECT * FROM op_log\(filter) ORDER BY seq", arguments: arguments).map(\.entry)
        }
    }
}

extension SQLiteRegister {
    /// One account row, as the chart has it.
    static func insert(_ account: Account, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO account (code, name, type, normal_side, role, category, funds, is_leaf, parent)
                VALUES (?,?,?,?,?,?,?,?,?)
                """,
            arguments: [
                account.code, account.name, account.type.rawValue, account.normalSide.rawValue,
                account.role?.rawValue, account.declaredCategory?.rawValue,
                account.funds.map(\.rawValue).joined(separator: "|"), account.isLeaf, account.parentCode,
            ])
    }

    /// Installs the chart once, into an empty database.
    func installChart(_ chart: ChartOfAccounts, source: String, stamp: Stamp) throws {
        try queue.write { db in
            let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0
            guard existing == 0 else {
                throw Rejection(.accountDuplicate, "数据库已有科目表，不能重复初始化")
            }
            for account in chart.accounts {
                try Self.insert(account, db)
            }
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "chart.install", studio: "",
                detail: "安装科目表 \(source)，共 \(chart.accounts.count) 个科目")
        }
    }

    /// Adds `chart`'s budget accounts (classes 6–8) that the installed chart lacks, to a ledger
    /// whose chart was installed before budget accounting; the chart with them must be valid.
    /// Logged as `chart.extend`; the rows join the row chain like every account. Returns how
    /// many were added (0: nothing to add).
    func addBudgetAccounts(from chart: ChartOfAccounts, stamp: Stamp) throws -> Int {
        try queue.write { db in
            let installed = try LedgerStore.loadChart(db)
            let missing = chart.accounts.filter { $0.type.isBudget && installed[$0.code] == nil }
            guard !missing.isEmpty else { return 0 }
            _ = try ChartOfAccounts(installed.accounts + missing)
            for account in missing {
                try Self.insert(account, db)
            }
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "chart.extend", studio: "",
                detail: "补充预算会计科目（6/7/8 类，平行记账）\(missing.count) 个")
            return missing.count
        }
    }

    func chart() throws -> ChartOfAccounts {
        try queue.read { db in try LedgerStore.loadChart(db) }
    }

    func addHostUnit(_ unit: HostUnit, stamp: Stamp) throws {
        try queue.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM host_unit WHERE credit_code = ?", arguments: [unit.creditCode.text]) != nil {
                throw Rejection(.hostUnitDuplicate, field: "credit-code", "依托单位 \(unit.creditCode) 已登记")
            }
            try db.execute(
                sql: "INSERT INTO host_unit (credit_code, name, kind, county) VALUES (?,?,?,?)",
                arguments: [unit.creditCode.text, unit.name, unit.kind.rawValue, unit.county])
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "host-unit.add", studio: "",
                detail: "登记依托单位 \(unit.name)（\(unit.creditCode)，\(unit.kind.chineseName)，\(unit.county)）")
        }
    }

    func hostUnits() throws -> [HostUnit] {
        try queue.read { db in
            try HostUnitRecord.fetchAll(db, sql: "SELECT rowid, * FROM host_unit ORDER BY credit_code").map(\.hostUnit)
        }
    }

    func addStudio(_ studio: Studio, stamp: Stamp) throws {
        try queue.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM host_unit WHERE credit_code = ?", arguments: [studio.hostUnit.text]) == nil {
                throw Rejection(
                    .hostUnitUnknown, field: "host-unit",
                    "依托单位 \(studio.hostUnit) 未登记：请先运行 workshop-ledger host-unit add")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM studio WHERE code = ?", arguments: [studio.code]) != nil {
                throw Rejection(.studioDuplicate, field: "code", "工作室编号 \(studio.code) 已存在")
            }
            try db.execute(
                sql: """
                    INSERT INTO studio (code, name, host_unit, leader, field, recognized, approved_subsidy_fen)
                    VALUES (?,?,?,?,?,?,?)
                    """,
                arguments: [
                    studio.code, studio.name, studio.hostUnit.text, studio.leader, studio.field,
                    studio.recognized.iso, studio.approvedSubsidy.fen,
                ])
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "studio.add", studio: studio.code,
                detail: "登记工作室 \(studio.name)，领办人 \(studio.leader)，认定日期 \(studio.recognized.iso)，核定补助 \(studio.approvedSubsidy.plainString) 元")
        }
    }

    func studios() throws -> [Studio] {
        try queue.read { db in
            try StudioRecord.fetchAll(db, sql: "SELECT * FROM studio ORDER BY code").map(\.studio)
        }
    }

    func studio(code: String) throws -> Studio {
        try queue.read { db in try LedgerStore.studioRow(db, code: code).studio }
    }
}
