import Crypto
import FundCore
internal import GRDB

// Every row that changes what a statement, a check, an evaluation or a package says, besides
// the vouchers and the log (which have chains of their own) and the month balances (derived
// from the postings and re-derived by `verify`), is recorded in one more hash chain, `row_chain`:
// its table, its row id, the SHA-256 of its content (every column, typed) and a link to the
// entry before. Rows are appended to it at the end of every write transaction, so no insert
// site can forget; `verify` recomputes every row's content and walks the chain. An edited
// column, a deleted row, a row inserted behind the ledger's back, or an edited chain entry is
// named with its table and row.
//
// A row's content text is every column it has: a migration that adds a column to a chained
// table (ALTER TABLE … ADD COLUMN) changes the text of the rows already chained, so it must
// re-baseline them in the same migration (append a fresh entry for each row, or rebuild the
// chain), or `verify` reports every old row as edited.
enum RowChain {
    static let tag = "WL-ROW-1"

    /// The chained tables (all have row ids). The web desk's `web_account`, `web_session` and
    /// `login_failure` (migration v10-accounts) are not among them on purpose: sessions and
    /// logins are not books, and an account is changed in place (disabled, password replaced).
    /// Every change to them is in the operation log's chain instead.
    static let tables = [
        "host_unit", "studio", "account", "period_event", "finding_note", "budget_revision", "evidence_blob", "evidence_link",
        "signing_key", "lifecycle_event", "acceptance_score", "studio_change", "change_step", "performance_target", "activity",
        "checkpoint", "supervision_note", "loaded_document", "host_unit_marking",
        "studio_change_effect",
        "host_account_mapping", "budget_basis",
    ]

    static let schema = [
        """
        CREATE TABLE row_chain (
            seq INTEGER PRIMARY KEY,
            tbl TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL CHECK (length(hash) = 64),
            UNIQUE (tbl, row_id)
        ) STRICT
        """,
    ] + Schema.appendOnlyTriggers(["row_chain"])

    /// The canonical text of a row read as `SELECT rowid AS _rowid_, * FROM table`: every
    /// column by name with its typed value (blobs by their SHA-256).
    static func contentHash(table: String, row: Row) -> String {
        var text = tag + "\ntable=" + table + "\n"
        for (name, value) in row {
            text += name + "="
            switch value.storage {
            case .null: text += "null"
            case .int64(let integer): text += "i" + String(integer)
            case .double(let double): text += "r" + String(double)
            case .string(let string): text += Canonical.quote(string)
            case .blob(let data): text += "b" + Hex.encode(SHA256.hash(data: data))
            }
            text += "\n"
        }
        return LedgerStore.sha256Hex(text)
    }

    static func linkHash(sequence: Int64, table: String, rowID: Int64, contentHash: String, previous: String) -> String {
        LedgerStore.sha256Hex("\(tag)-LINK\nseq=\(sequence) table=\(table) row=\(rowID)\ncontent=\(contentHash)\nprev=\(previous)\n")
    }

    /// Chains the rows written since the last entry (inside the caller's write transaction).
    static func appendNew(_ db: Database) throws {
        var head: (sequence: Int64, hash: String) = try Row.fetchOne(db, sql: "SELECT seq, hash FROM row_chain ORDER BY seq DESC LIMIT 1")
            .map { (sequence: $0["seq"] as Int64, hash: $0["hash"] as String) } ?? (sequence: 0, hash: Canonical.genesis)
        // A table a later migration makes is chained from then on.
        for table in tables where try db.tableExists(table) {
            let last = try Int64.fetchOne(db, sql: "SELECT max(row_id) FROM row_chain WHERE tbl = ?", arguments: [table]) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT rowid AS _rowid_, * FROM \(table) WHERE rowid > ? ORDER BY rowid", arguments: [last])
            for row in rows {
                let rowID: Int64 = row["_rowid_"]
                let content = contentHash(table: table, row: row)
                let sequence = head.sequence + 1
                let hash = linkHash(sequence: sequence, table: table, rowID: rowID, contentHash: content, previous: head.hash)
                try db.execute(
                    sql: "INSERT INTO row_chain (seq, tbl, row_id, content_hash, prev_hash, hash) VALUES (?,?,?,?,?,?)",
                    arguments: [sequence, table, rowID, content, head.hash, hash])
                head = (sequence, hash)
            }
        }
    }

    /// Recomputes every chained row and walks the chain.
    static func verify(_ db: Database, report: inout VerificationReport) throws {
        func problem(_ code: VerificationProblem.Code, _ message: String) {
            report.problems.append(VerificationProblem(code: code, studio: "", voucher: nil, message: message))
        }
        struct Entry { let sequence: Int64; let table: String; let rowID: Int64; let content: String; let previous: String; let hash: String }
        var entries: [String: [Int64: Entry]] = [:]
        var previous = Canonical.genesis
        var expected: Int64 = 1
        for row in try Row.fetchAll(db, sql: "SELECT seq, tbl, row_id, content_hash, prev_hash, hash FROM row_chain ORDER BY seq") {
            let entry = Entry(
                sequence: row["seq"], table: row["tbl"], rowID: row["row_id"], content: row["content_hash"], previous: row["prev_hash"],
                hash: row["hash"])
            if entry.sequence != expected || entry.previous != previous
                || linkHash(sequence: entry.sequence, table: entry.table, rowID: entry.rowID, contentHash: entry.content, previous: entry.previous)
                    != entry.hash
            {
                problem(.rowChainBroken, "行链第 \(entry.sequence) 条（表 \(entry.table) 第 \(entry.rowID) 行）与链不符：行链被改动、删除或插入")
            }
            expected = entry.sequence + 1
            previous = entry.hash
            entries[entry.table, default: [:]][entry.rowID] = entry
        }
        for table in tables where try db.tableExists(table) {
            var unseen = entries[table] ?? [:]
            for row in try Row.fetchAll(db, sql: "SELECT rowid AS _rowid_, * FROM \(table) ORDER BY rowid") {
                let rowID: Int64 = row["_rowid_"]
                guard let entry = unseen.removeValue(forKey: rowID) else {
                    problem(.rowTampered, "表 \(table) 第 \(rowID) 行不在行链中：在账簿之外插入")
                    continue
                }
                if contentHash(table: table, row: row) != entry.content {
                    problem(.rowTampered, "表 \(table) 第 \(rowID) 行的内容与登记时不符：在账簿之外被改动")
                }
            }
            for rowID in unseen.keys.sorted() {
                problem(.rowTampered, "表 \(table) 第 \(rowID) 行已不存在：在账簿之外被删除")
            }
        }
    }
}
