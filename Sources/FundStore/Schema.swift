// FundStore: SQLite through GRDB. Owns every SQL statement, the migrations, the append-only
// journal, the hash chains, the operation log and the balance queries. Its public API speaks
// FundCore types; GRDB stays an internal import.
//
// It must never offer a way to change or remove a posted voucher: the tables of posted data
// have triggers that abort any UPDATE or DELETE, and this target contains no such statement.
internal import GRDB

enum Schema {
    /// Migrations are never edited once shipped; a change is a new migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger") { db in
            for statement in v1 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v2-finding-notes") { db in
            for statement in v2 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v3-budgets") { db in
            for statement in v3 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v4-evidence-keys") { db in
            for statement in v4 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v5-lifecycle") { db in
            for statement in v5 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v6-key-endorsement") { db in
            // A rotated key carries the previous key's Ed25519 signature over
            // `Canonical.keyEndorsementText` (hex); the first key of a host unit has none.
            try db.execute(sql: "ALTER TABLE signing_key ADD COLUMN endorsement TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v7-studio-append-only") { db in
            // The studio register (approved subsidy, recognition date, host unit) is what the
            // rules and statements are measured against: it can be added to, never changed.
            for statement in appendOnlyTriggers(["studio", "meta"]) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v8-row-chain") { db in
            // Rows already there are chained as they are found: the chain vouches for what
            // follows this migration, and for the rest as it stood then.
            for statement in RowChain.schema { try db.execute(sql: statement) }
            try RowChain.appendNew(db)
        }
        migrator.registerMigration("v9-checkpoints") { db in
            try db.execute(sql: """
                CREATE TABLE checkpoint (
                    id INTEGER PRIMARY KEY,
                    studio TEXT NOT NULL,
                    host_unit TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind = 'close' OR kind = 'package'),
                    label TEXT NOT NULL,
                    voucher_seq INTEGER NOT NULL, voucher_hash TEXT NOT NULL,
                    log_seq INTEGER NOT NULL, log_hash TEXT NOT NULL,
                    row_seq INTEGER NOT NULL, row_hash TEXT NOT NULL,
                    public_key TEXT NOT NULL, signature TEXT NOT NULL,
                    at TEXT NOT NULL, user TEXT NOT NULL
                ) STRICT
                """)
            for statement in appendOnlyTriggers(["checkpoint"]) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v10-accounts") { db in
            for statement in v10 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11-voucher-book-order") { db in
            // A studio's vouchers in book order (date, class, number): a 序时账 page is read
            // from this index, whatever the size of the books.
            try db.execute(sql: "CREATE INDEX voucher_book_order ON voucher(studio_id, date, \(classRank("class")), number)")
        }
        migrator.registerMigration("v12-supervision-notes") { db in
            // The county bureau's supervision notes: append-only and in the row chain, like
            // every other record the reviews rest on.
            try db.execute(sql: """
                CREATE TABLE supervision_note (
                    id INTEGER PRIMARY KEY,
                    studio TEXT NOT NULL REFERENCES studio(code),
                    date TEXT NOT NULL CHECK (date(date) IS date),
                    text TEXT NOT NULL CHECK (text <> ''),
                    at TEXT NOT NULL,
                    user TEXT NOT NULL CHECK (user <> '')
                ) STRICT
                """)
            try db.execute(sql: "CREATE INDEX supervision_note_by_studio ON supervision_note(studio, date, id)")
            for statement in appendOnlyTriggers(["supervision_note"]) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v13-voucher-drafts") { db in
            // The voucher desk's drafts (填制 → 审核 → 记账). Not the books: not numbered, not in
            // the voucher chain nor the row chain, changed in place and deletable by their
            // maker; every step they take is in the operation log's chain. Posting writes the
            // voucher through the same path as every other, in the same transaction as the
            // draft's move to `posted`.
            for statement in v13 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v14-registry") { db in
            // Policies and holiday schedules a bureau loads (`policy add`, `calendar add`) and
            // host units' confidentiality markings (第十二条): new tables, append-only and in the
            // row chain (RowChain.tables), so no chained table's rows change.
            for statement in v14 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v15-studio-change-effect") { db in
            // 第十一条: an approved change of leader or host unit in effect from its decision
            // date. A new table, append-only and in the row chain; the studio row stays as
            // registered (StudioChanges.swift).
            for statement in v15 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v16-budget-basis") { db in
            // 平行记账 (政府会计制度) for public-institution hosts: each studio's choice of
            // 预算收入 per fund; append-only and in the row chain.
            for statement in LedgerStore.v16Accounts + LedgerStore.v16 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v17-host-account-mapping") { db in
            // Host units' account mappings (科目对照表, `mapping import`): a new table,
            // append-only and in the row chain; each import is a new version (HostMapping.swift).
            for statement in HostMappingStore.schema { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// A voucher class's place in book order (记, 收, 付, 转), as SQL over `column`.
    static func classRank(_ column: String) -> String {
        "(CASE \(column) WHEN '记' THEN 0 WHEN '收' THEN 1 WHEN '付' THEN 2 ELSE 3 END)"
    }

    /// `(column = 'a' OR column = 'b' …)`. SQLite evaluates `column IN ('a','b','c')` in a CHECK
    /// by building a temporary index each time an INSERT statement runs, which showed up as a
    /// large share of import time; the OR chain checks the same thing without it.
    static func oneOf(_ column: String, _ values: [String]) -> String {
        "(" + values.map { "\(column) = '\($0)'" }.joined(separator: " OR ") + ")"
    }

    static let funds = ["subsidy", "enterprise", "self-raised"]

    static let v1: [String] = [
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE host_unit (
            credit_code TEXT PRIMARY KEY CHECK (length(credit_code) = 18),
            name TEXT NOT NULL CHECK (name <> ''),
            kind TEXT NOT NULL CHECK (kind IN ('enterprise','training-base','college')),
            county TEXT NOT NULL CHECK (county <> '')
        ) STRICT
        """,
        """
        CREATE TABLE studio (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (code <> ''),
            name TEXT NOT NULL CHECK (name <> ''),
            host_unit TEXT NOT NULL REFERENCES host_unit(credit_code),
            leader TEXT NOT NULL CHECK (leader <> ''),
            field TEXT NOT NULL,
            recognized TEXT NOT NULL CHECK (date(recognized) IS recognized),
            approved_subsidy_fen INTEGER NOT NULL CHECK (approved_subsidy_fen >= 0)
        ) STRICT
        """,
        """
        CREATE TABLE account (
            code TEXT PRIMARY KEY CHECK (length(code) IN (4, 6, 8)),
            name TEXT NOT NULL CHECK (name <> ''),
            type TEXT NOT NULL CHECK (type IN ('asset','liability','net-assets','revenue','expense')),
            normal_side TEXT NOT NULL CHECK (normal_side IN ('debit','credit')),
            role TEXT,
            category TEXT,
            funds TEXT NOT NULL,
            is_leaf INTEGER NOT NULL CHECK (is_leaf IN (0, 1)),
            parent TEXT REFERENCES account(code)
        ) STRICT
        """,
        """
        CREATE TABLE voucher (
            id INTEGER PRIMARY KEY,
            studio_id INTEGER NOT NULL REFERENCES studio(id),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            period INTEGER NOT NULL CHECK (period % 100 BETWEEN 1 AND 12),
            class TEXT NOT NULL CHECK \(oneOf("class", ["记", "收", "付", "转"])),
            number INTEGER NOT NULL CHECK (number >= 1),
            date TEXT NOT NULL CHECK (date(date) IS date),
            kind TEXT NOT NULL CHECK \(oneOf("kind", ["normal", "reversal", "correction"])),
            link_id INTEGER REFERENCES voucher(id),
            attachments INTEGER NOT NULL CHECK (attachments BETWEEN 0 AND 9999),
            settlement TEXT CHECK (settlement IS NULL OR \(oneOf("settlement", ["cash", "bank-transfer", "official-card", "other"]))),
            counterparty TEXT NOT NULL,
            preparer TEXT NOT NULL CHECK (preparer <> ''),
            reviewer TEXT NOT NULL,
            poster TEXT NOT NULL,
            source_ref TEXT,
            posted_by TEXT NOT NULL,
            posted_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
            hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
            UNIQUE (studio_id, seq),
            UNIQUE (studio_id, period, class, number),
            CHECK ((kind = 'normal') = (link_id IS NULL)),
            CHECK (substr(date, 1, 4) * 100 + substr(date, 6, 2) = period)
        ) STRICT
        """,
        // A voucher is reversed at most once.
        "CREATE UNIQUE INDEX voucher_reversed_once ON voucher(link_id) WHERE kind = 'reversal'",
        """
        CREATE TABLE posting (
            voucher_id INTEGER NOT NULL REFERENCES voucher(id),
            line_no INTEGER NOT NULL CHECK (line_no >= 1),
            studio_id INTEGER NOT NULL REFERENCES studio(id),
            period INTEGER NOT NULL,
            account TEXT NOT NULL REFERENCES account(code),
            fund TEXT NOT NULL CHECK \(oneOf("fund", funds)),
            side TEXT NOT NULL CHECK (side = 'debit' OR side = 'credit'),
            amount_fen INTEGER NOT NULL
                CHECK (amount_fen <> 0 AND amount_fen BETWEEN -99999999999999 AND 99999999999999),
            memo TEXT NOT NULL CHECK (memo <> ''),
            invoice_code TEXT,
            invoice_number TEXT,
            PRIMARY KEY (voucher_id, line_no)
        ) STRICT, WITHOUT ROWID
        """,
        // 明细账 and per-account queries stay inside one studio.
        "CREATE INDEX posting_by_account ON posting(studio_id, account, fund, period)",
        "CREATE INDEX posting_by_invoice ON posting(invoice_number) WHERE invoice_number IS NOT NULL",
        // Materialised turnover per studio, fund, account and month: balances never rescan
        // postings. `verify` re-derives it from the postings.
        """
        CREATE TABLE month_balance (
            studio_id INTEGER NOT NULL REFERENCES studio(id),
            fund TEXT NOT NULL CHECK \(oneOf("fund", funds)),
            account TEXT NOT NULL REFERENCES account(code),
            period INTEGER NOT NULL,
            debit_fen INTEGER NOT NULL,
            credit_fen INTEGER NOT NULL,
            PRIMARY KEY (studio_id, fund, account, period)
        ) STRICT, WITHOUT ROWID
        """,
        """
        CREATE TABLE period_event (
            id INTEGER PRIMARY KEY,
            studio_id INTEGER NOT NULL REFERENCES studio(id),
            period INTEGER NOT NULL CHECK (period % 100 BETWEEN 1 AND 12),
            action TEXT NOT NULL CHECK (action IN ('close','reopen')),
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            CHECK (action = 'close' OR reason <> '')
        ) STRICT
        """,
        "CREATE INDEX period_event_by_studio ON period_event(studio_id, id)",
        """
        CREATE TABLE op_log (
            seq INTEGER PRIMARY KEY CHECK (seq >= 1),
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            studio TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
            hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
        ) STRICT
        """,
    ] + appendOnlyTriggers(["voucher", "posting", "period_event", "op_log", "host_unit", "account"])

    /// Explanations and reviewer decisions on findings, append-only like the log.
    static let v2: [String] = [
        """
        CREATE TABLE finding_note (
            id INTEGER PRIMARY KEY,
            finding_key TEXT NOT NULL CHECK (finding_key <> ''),
            studio TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action = 'explain' OR action = 'accept' OR action = 'reject'),
            text TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL
        ) STRICT
        """,
        "CREATE INDEX finding_note_by_key ON finding_note(finding_key, id)",
    ] + appendOnlyTriggers(["finding_note"])

    /// Budget revisions (资金使用计划): each `budget set` adds a revision; the latest per
    /// studio, fund and category is in force. Append-only like the log.
    static let v3: [String] = [
        """
        CREATE TABLE budget_revision (
            id INTEGER PRIMARY KEY,
            studio TEXT NOT NULL REFERENCES studio(code),
            fund TEXT NOT NULL CHECK \(oneOf("fund", funds)),
            category TEXT NOT NULL CHECK (category <> ''),
            amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
            revision INTEGER NOT NULL CHECK (revision >= 1),
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            UNIQUE (studio, fund, category, revision)
        ) STRICT
        """,
    ] + appendOnlyTriggers(["budget_revision"])

    /// Evidence files stored once by SHA-256 and linked to vouchers, and the host units'
    /// Ed25519 public keys that sign audit packages (the latest per host unit is current).
    static let v4: [String] = [
        """
        CREATE TABLE evidence_blob (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            size INTEGER NOT NULL CHECK (size >= 0),
            content BLOB NOT NULL,
            CHECK (length(content) = size)
        ) STRICT
        """,
        """
        CREATE TABLE evidence_link (
            id INTEGER PRIMARY KEY,
            voucher_id INTEGER NOT NULL REFERENCES voucher(id),
            sha256 TEXT NOT NULL REFERENCES evidence_blob(sha256),
            file_name TEXT NOT NULL CHECK (file_name <> ''),
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            UNIQUE (voucher_id, sha256)
        ) STRICT
        """,
        "CREATE INDEX evidence_link_by_voucher ON evidence_link(voucher_id, id)",
        """
        CREATE TABLE signing_key (
            id INTEGER PRIMARY KEY,
            host_unit TEXT NOT NULL REFERENCES host_unit(credit_code),
            public_key TEXT NOT NULL CHECK (length(public_key) = 64),
            at TEXT NOT NULL,
            user TEXT NOT NULL
        ) STRICT
        """,
    ] + appendOnlyTriggers(["evidence_blob", "evidence_link", "signing_key"])

    /// The web desk's accounts, sessions and failed logins (Accounts.swift). Not books: these
    /// tables are deliberately outside the row chain (RowChain.tables) and have no append-only
    /// triggers — an account is disabled and its password replaced in place, sessions are
    /// touched and deleted as people come and go. What happened to them is in the operation
    /// log instead (user.add, user.disable, user.reset-password, user.password, login, logout,
    /// login.failed, login.locked), written in the same transaction as each change.
    static let v13: [String] = [
        """
        CREATE TABLE voucher_draft (
            id INTEGER PRIMARY KEY,
            studio_id INTEGER NOT NULL REFERENCES studio(id),
            state TEXT NOT NULL CHECK (\(oneOf("state", ["draft", "submitted", "reviewed", "returned", "posted"]))),
            body TEXT NOT NULL,
            reverses_id INTEGER REFERENCES voucher(id),
            reason TEXT NOT NULL DEFAULT '',
            maker TEXT NOT NULL CHECK (maker <> ''),
            reviewer TEXT,
            reviewed_at TEXT,
            return_reason TEXT NOT NULL DEFAULT '',
            returned_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            posted TEXT NOT NULL DEFAULT ''
        ) STRICT
        """,
        "CREATE INDEX voucher_draft_by_studio ON voucher_draft(studio_id, state, id)",
        """
        CREATE TABLE draft_file (
            draft_id INTEGER NOT NULL REFERENCES voucher_draft(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            file_name TEXT NOT NULL CHECK (file_name <> ''),
            type TEXT NOT NULL CHECK (\(oneOf("type", ["pdf", "jpeg", "png", "ofd"]))),
            content BLOB NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            PRIMARY KEY (draft_id, sha256)
        ) STRICT
        """,
    ]

    static let v10: [String] = [
        """
        CREATE TABLE web_account (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (name <> ''),
            role TEXT NOT NULL CHECK \(oneOf("role", ["bureau", "county", "accountant", "supervisor", "auditor", "admin"])),
            scope TEXT NOT NULL CHECK (scope <> ''),
            expires TEXT CHECK (expires IS NULL OR date(expires) IS expires),
            password_hash TEXT NOT NULL CHECK (password_hash <> ''),
            must_change INTEGER NOT NULL CHECK (must_change = 0 OR must_change = 1),
            disabled INTEGER NOT NULL CHECK (disabled = 0 OR disabled = 1),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        ) STRICT
        """,
        // The raw token is never stored: only its SHA-256 (hex).
        """
        CREATE TABLE web_session (
            token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
            account_id INTEGER NOT NULL REFERENCES web_account(id),
            csrf TEXT NOT NULL CHECK (csrf <> ''),
            created_at INTEGER NOT NULL,
            seen_at INTEGER NOT NULL
        ) STRICT
        """,
        "CREATE INDEX web_session_by_account ON web_session(account_id)",
        """
        CREATE TABLE login_failure (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            at INTEGER NOT NULL
        ) STRICT
        """,
        "CREATE INDEX login_failure_by_name ON login_failure(name, at)",
    ]

    /// Posted data, closing events and the log can be inserted, never changed or removed.
    static func appendOnlyTriggers(_ tables: [String]) -> [String] {
        tables.flatMap { table in
            ["UPDATE", "DELETE"].map { operation in
                """
                CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END
                """
            }
        }
    }

    static let v14: [String] = [
        """
        CREATE TABLE loaded_document (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind = 'policy' OR kind = 'calendar'),
            key TEXT NOT NULL CHECK (key <> ''),
            version INTEGER NOT NULL CHECK (version >= 1),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            content TEXT NOT NULL CHECK (content <> ''),
            source_text TEXT NOT NULL,
            file_name TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL CHECK (user <> ''),
            UNIQUE (kind, key, version)
        ) STRICT
        """,
        """
        CREATE TABLE host_unit_marking (
            id INTEGER PRIMARY KEY,
            host_unit TEXT NOT NULL REFERENCES host_unit(credit_code),
            confidential INTEGER NOT NULL CHECK (confidential = 0 OR confidential = 1),
            basis TEXT NOT NULL CHECK (basis <> ''),
            date TEXT NOT NULL CHECK (date(date) IS date),
            at TEXT NOT NULL,
            user TEXT NOT NULL CHECK (user <> '')
        ) STRICT
        """,
    ] + appendOnlyTriggers(["loaded_document", "host_unit_marking"])
}
