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
