import FundCore
internal import GRDB

// Host units' account mappings (科目对照表, migration v17-host-account-mapping): one row per
// (host unit, version, our account, fund). An import writes every row of a new version in one
// transaction with its log entry (`mapping.import`); the latest version is in force and the
// earlier ones stay. The table is append-only and in the row chain, like the other registry
// tables. The rows are checked (accounts, duplicates) by FundExchange before they come here;
// the store re-checks what SQL can (CHECK, UNIQUE, the host unit's foreign key).

/// The host account mappings on SQLite.
public struct HostMappingStore: Sendable {
    let queue: LedgerDatabase

    static let schema: [String] = [
        """
        CREATE TABLE host_account_mapping (
            id INTEGER PRIMARY KEY,
            host_unit TEXT NOT NULL REFERENCES host_unit(credit_code),
            version INTEGER NOT NULL CHECK (version >= 1),
            account TEXT NOT NULL CHECK (account <> ''),
            fund TEXT NOT NULL CHECK \(Schema.oneOf("fund", Fund.allCases.map(\.rawValue))),
            host_account TEXT NOT NULL CHECK (host_account <> ''),
            host_account_name TEXT NOT NULL,
            project_code TEXT NOT NULL,
            project_name TEXT NOT NULL,
            file_name TEXT NOT NULL,
            at TEXT NOT NULL,
            user TEXT NOT NULL CHECK (user <> ''),
            UNIQUE (host_unit, version, account, fund),
            UNIQUE (host_unit, version, host_account, project_code)
        ) STRICT
        """,
        "CREATE INDEX host_account_mapping_by_unit ON host_account_mapping(host_unit, version)",
    ] + Schema.appendOnlyTriggers(["host_account_mapping"])

    /// Stores `entries` as the host unit's next version and logs it; returns the new mapping.
    public func replace(hostUnit: CreditCode, entries: [HostAccountMappingEntry], fileName: String, stamp: Stamp) throws -> HostAccountMapping {
        precondition(!entries.isEmpty, "a mapping version has at least one line")
        let code = hostUnit.description
        return try queue.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM host_unit WHERE credit_code = ?", arguments: [code]) != nil else {
                throw Rejection(.hostUnitUnknown, field: "host-unit", "依托单位 \(code) 未登记")
            }
            let version = (try Int.fetchOne(db, sql: "SELECT max(version) FROM host_account_mapping WHERE host_unit = ?", arguments: [code]) ?? 0) + 1
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO host_account_mapping (host_unit, version, account, fund, host_account, host_account_name,
                        project_code, project_name, file_name, at, user) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                    """)
            for entry in entries {
                try insert.execute(arguments: [
                    code, version, entry.account, entry.fund.rawValue, entry.hostAccount, entry.hostAccountName, entry.projectCode,
                    entry.projectName, fileName, stamp.at, stamp.user,
                ])
            }
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "mapping.import", studio: "",
                detail: "依托单位 \(code) 科目对照表第 \(version) 版：\(entries.count) 行（文件 \(fileName)）")
            return HostAccountMapping(hostUnit: code, version: version, entries: entries, fileName: fileName, at: stamp.at, user: stamp.user)
        }
    }

    /// The version in force (the latest), or nil when the host unit has none.
    public func current(hostUnit: CreditCode) throws -> HostAccountMapping? {
        try queue.read { db in
            let code = hostUnit.description
            guard let version = try Int.fetchOne(db, sql: "SELECT max(version) FROM host_account_mapping WHERE host_unit = ?", arguments: [code])
            else { return nil }
            return try Self.mapping(db, hostUnit: code, version: version)
        }
    }

    /// Every version's number, oldest first.
    public func versions(hostUnit: CreditCode) throws -> [Int] {
        try queue.read { db in
            try Int.fetchAll(
                db, sql: "SELECT DISTINCT version FROM host_account_mapping WHERE host_unit = ? ORDER BY version",
                arguments: [hostUnit.description])
        }
    }

    static func mapping(_ db: Database, hostUnit: String, version: Int) throws -> HostAccountMapping {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM host_account_mapping WHERE host_unit = ? AND version = ? ORDER BY id", arguments: [hostUnit, version])
        let entries = try rows.map { row in
            guard let fund = Fund(rawValue: row["fund"]) else {
                throw StoreCorruption(table: "host_account_mapping", rowID: row["id"], message: "资金来源无效")
            }
            return HostAccountMappingEntry(
                account: row["account"], fund: fund, hostAccount: row["host_account"], hostAccountName: row["host_account_name"],
                projectCode: row["project_code"], projectName: row["project_name"])
        }
        let first = rows[0]
        return HostAccountMapping(
            hostUnit: hostUnit, version: version, entries: entries, fileName: first["file_name"], at: first["at"], user: first["user"])
    }
}

extension LedgerStore {
    /// Host units' account mappings (科目对照表).
    public var hostMappings: HostMappingStore { HostMappingStore(queue: queue) }
}
