import Foundation
import GRDBSQLite

/// The floor to compare against: the same number of posting rows inserted through the
/// SQLite C API with one prepared statement in one transaction, into a table with the
/// ledger's posting columns and its studio-local index. Timed like every stage, wall and CPU
/// (`measure`), so the import's ratio can be taken CPU to CPU, which other load on the
/// machine does not move.
enum RawSQLiteBaseline {
    static func check(_ code: Int32, _ db: OpaquePointer?, _ what: String) {
        precondition(code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW, "\(what): \(String(cString: sqlite3_errmsg(db)))")
    }

    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func insert(rows: Int, path: String) throws -> Timing {
        var db: OpaquePointer?
        check(sqlite3_open(path, &db), db, "open")
        defer { sqlite3_close(db) }
        for sql in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
            """
            CREATE TABLE posting (voucher_id INTEGER NOT NULL, line_no INTEGER NOT NULL, studio_id INTEGER NOT NULL,
              period INTEGER NOT NULL, account TEXT NOT NULL, fund TEXT NOT NULL, side TEXT NOT NULL,
              amount_fen INTEGER NOT NULL, memo TEXT NOT NULL, invoice_code TEXT, invoice_number TEXT,
              PRIMARY KEY (voucher_id, line_no)) STRICT, WITHOUT ROWID
            """,
            "CREATE INDEX posting_by_account ON posting(studio_id, account, fund, period)",
        ] {
            check(sqlite3_exec(db, sql, nil, nil, nil), db, sql)
        }
        var statement: OpaquePointer?
        return measure {
            check(sqlite3_exec(db, "BEGIN", nil, nil, nil), db, "begin")
            check(sqlite3_prepare_v2(db, "INSERT INTO posting VALUES (?,?,?,?,?,?,?,?,?,NULL,NULL)", -1, &statement, nil), db, "prepare")
            let accounts = ["500101", "100201", "500102", "400101"]
            for row in 0..<rows {
                sqlite3_bind_int64(statement, 1, Int64(row / 3 + 1))
                sqlite3_bind_int64(statement, 2, Int64(row % 3 + 1))
                sqlite3_bind_int64(statement, 3, Int64(row % 10 + 1))
                sqlite3_bind_int64(statement, 4, Int64(202001 + (row / 1000) % 12))
                sqlite3_bind_text(statement, 5, accounts[row % 4], -1, transient)
                sqlite3_bind_text(statement, 6, "subsidy", -1, transient)
                sqlite3_bind_text(statement, 7, row % 2 == 0 ? "debit" : "credit", -1, transient)
                sqlite3_bind_int64(statement, 8, Int64(100 + row % 500_000))
                sqlite3_bind_text(statement, 9, "支付项目费用", -1, transient)
                check(sqlite3_step(statement), db, "step")
                sqlite3_reset(statement)
            }
            sqlite3_finalize(statement)
            check(sqlite3_exec(db, "COMMIT", nil, nil, nil), db, "commit")
        }
    }

    /// The floor of the import's own writes: every row the import wrote into the ledger
    /// (`voucher`, `posting`, `month_balance`) inserted again through the SQLite C API, one
    /// prepared single-row statement per table stepped in one transaction, into a fresh file
    /// with the ledger's own schema (its tables, constraints, indexes and triggers, copied from
    /// `ledger`), its foreign keys on and its page cache and pragmas, one transaction per
    /// studio as the import commits once per file. No parsing, validation, hashing, numbering,
    /// log entry or row chain: only SQLite's work for the rows, which no import of those rows
    /// can do with less. Rows are read from the ledger 10,000 vouchers at a time, outside the
    /// timing; only the inserts and the commits are timed.
    static func sameRows(ledger: String, path: String) throws -> (timing: Timing, vouchers: Int, postings: Int) {
        var source: OpaquePointer?
        check(sqlite3_open_v2(ledger, &source, SQLITE_OPEN_READONLY, nil), source, "open ledger")
        defer { sqlite3_close(source) }
        var db: OpaquePointer?
        check(sqlite3_open(path, &db), db, "open")
        defer { sqlite3_close(db) }
        // The pragmas LedgerStore sets, then the schema: tables before what refers to them.
        for sql in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -32768"] {
            check(sqlite3_exec(db, sql, nil, nil, nil), db, sql)
        }
        var schema: OpaquePointer?
        check(
            sqlite3_prepare_v2(
                source,
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
                    + "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid", -1, &schema, nil),
            source, "schema")
        var step = sqlite3_step(schema)
        while step == SQLITE_ROW {
            let sql = String(cString: sqlite3_column_text(schema, 0))
            check(sqlite3_exec(db, sql, nil, nil, nil), db, sql)
            step = sqlite3_step(schema)
        }
        precondition(step == SQLITE_DONE, "reading the ledger's schema: \(String(cString: sqlite3_errmsg(source)))")
        sqlite3_finalize(schema)
        // The rows the postings and vouchers refer to, copied untimed.
        let attach = "ATTACH DATABASE '" + ledger.replacingOccurrences(of: "'", with: "''") + "' AS ledger"
        check(sqlite3_exec(db, attach, nil, nil, nil), db, "attach")
        for table in ["host_unit", "studio", "account"] {
            check(sqlite3_exec(db, "INSERT INTO main.\(table) SELECT * FROM ledger.\(table)", nil, nil, nil), db, table)
        }
        check(sqlite3_exec(db, "DETACH DATABASE ledger", nil, nil, nil), db, "detach")
        check(sqlite3_exec(db, "PRAGMA foreign_keys = ON", nil, nil, nil), db, "foreign keys")

        func columns(_ table: String) -> Int32 {
            var statement: OpaquePointer?
            check(sqlite3_prepare_v2(source, "SELECT * FROM \(table) LIMIT 0", -1, &statement, nil), source, table)
            defer { sqlite3_finalize(statement) }
            return sqlite3_column_count(statement)
        }
        func insert(_ table: String, _ count: Int32) -> OpaquePointer? {
            var statement: OpaquePointer?
            let sql = "INSERT INTO \(table) VALUES (" + Array(repeating: "?", count: Int(count)).joined(separator: ",") + ")"
            check(sqlite3_prepare_v2(db, sql, -1, &statement, nil), db, sql)
            return statement
        }
        /// Rows of `sql` (bound to the id range), each value copied out of SQLite's buffers.
        func read(_ sql: String, _ count: Int32, from low: Int64, to high: Int64) -> [[OpaquePointer?]] {
            var statement: OpaquePointer?
            check(sqlite3_prepare_v2(source, sql, -1, &statement, nil), source, sql)
            defer { sqlite3_finalize(statement) }
            sqlite3_bind_int64(statement, 1, low)
            sqlite3_bind_int64(statement, 2, high)
            var rows: [[OpaquePointer?]] = []
            var step = sqlite3_step(statement)
            while step == SQLITE_ROW {
                rows.append((0..<count).map { sqlite3_value_dup(sqlite3_column_value(statement, $0)) })
                step = sqlite3_step(statement)
            }
            precondition(step == SQLITE_DONE, "\(sql): \(String(cString: sqlite3_errmsg(source)))")
            return rows
        }
        func write(_ row: [OpaquePointer?], _ statement: OpaquePointer?) {
            for (index, value) in row.enumerated() { sqlite3_bind_value(statement, Int32(index + 1), value) }
            check(sqlite3_step(statement), db, "insert")
            sqlite3_reset(statement)
        }
        func free(_ rows: [[OpaquePointer?]]) { for row in rows { for value in row { sqlite3_value_free(value) } } }

        let voucherColumns = columns("voucher"), postingColumns = columns("posting"), balanceColumns = columns("month_balance")
        let voucherInsert = insert("voucher", voucherColumns), postingInsert = insert("posting", postingColumns)
        let balanceInsert = insert("month_balance", balanceColumns)
        defer { sqlite3_finalize(voucherInsert); sqlite3_finalize(postingInsert); sqlite3_finalize(balanceInsert) }
        var maxID: OpaquePointer?
        check(sqlite3_prepare_v2(source, "SELECT coalesce(max(id), 0) FROM voucher", -1, &maxID, nil), source, "max id")
        check(sqlite3_step(maxID), source, "max id")
        let last = sqlite3_column_int64(maxID, 0)
        sqlite3_finalize(maxID)

        // The month balances, by studio, read before the timing, written in key order (the
        // import upserts them from a dictionary; a few thousand rows against 300,000 postings).
        var balancesByStudio: [Int64: [[OpaquePointer?]]] = [:]
        for row in read("SELECT * FROM month_balance WHERE studio_id BETWEEN ? AND ?", balanceColumns, from: .min, to: .max) {
            balancesByStudio[sqlite3_value_int64(row[0]), default: []].append(row)
        }

        // One transaction per studio, as the import commits once per file (one studio each);
        // each commit writes that studio's month balances first.
        var total = Timing(wall: 0, cpu: 0)
        var (vouchers, postings) = (0, 0)
        var openStudio: Int64? = nil
        func commit(_ studio: Int64) {
            for row in balancesByStudio[studio] ?? [] { write(row, balanceInsert) }
            check(sqlite3_exec(db, "COMMIT", nil, nil, nil), db, "commit")
        }
        var low: Int64 = 1
        while low <= last {
            let high = low + 9_999
            let voucherRows = read("SELECT * FROM voucher WHERE id BETWEEN ? AND ? ORDER BY id", voucherColumns, from: low, to: high)
            let postingRows = read(
                "SELECT * FROM posting WHERE voucher_id BETWEEN ? AND ? ORDER BY voucher_id, line_no", postingColumns, from: low, to: high)
            // In the import's order: each voucher, then its postings.
            let chunk = measure {
                var next = 0
                for voucher in voucherRows {
                    let studio = sqlite3_value_int64(voucher[1])
                    if studio != openStudio {
                        if let openStudio { commit(openStudio) }
                        check(sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil), db, "begin")
                        openStudio = studio
                    }
                    write(voucher, voucherInsert)
                    let id = sqlite3_value_int64(voucher[0])
                    while next < postingRows.count && sqlite3_value_int64(postingRows[next][0]) == id {
                        write(postingRows[next], postingInsert)
                        next += 1
                    }
                }
                precondition(next == postingRows.count, "every posting follows its voucher")
            }
            total.wall += chunk.wall
            total.cpu += chunk.cpu
            vouchers += voucherRows.count
            postings += postingRows.count
            free(voucherRows)
            free(postingRows)
            low = high + 1
        }
        if let openStudio {
            let end = measure { commit(openStudio) }
            total.wall += end.wall
            total.cpu += end.cpu
        }
        for rows in balancesByStudio.values { free(rows) }
        return (total, vouchers, postings)
    }

    /// A trial balance the naive way: GROUP BY over the ledger's postings.
    static func groupBy(path: String, studioID: Int?) throws -> Timing {
        var db: OpaquePointer?
        check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil), db, "open")
        defer { sqlite3_close(db) }
        let filter = studioID.map { "WHERE studio_id = \($0)" } ?? ""
        let sql = """
            SELECT studio_id, fund, account, sum(CASE WHEN side = 'debit' THEN amount_fen ELSE 0 END),
              sum(CASE WHEN side = 'credit' THEN amount_fen ELSE 0 END) FROM posting \(filter) GROUP BY studio_id, fund, account
            """
        var statement: OpaquePointer?
        return measure {
            check(sqlite3_prepare_v2(db, sql, -1, &statement, nil), db, "prepare")
            while sqlite3_step(statement) == SQLITE_ROW {}
            sqlite3_finalize(statement)
        }
    }
}
