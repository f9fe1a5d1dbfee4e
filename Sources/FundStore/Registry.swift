import FundCore
internal import GRDB

// What a bureau loads beside the books (migration v14): policy versions and holiday schedules
// (`loaded_document`), and host units' confidentiality markings (`host_unit_marking`). Both
// tables are append-only and in the row chain; every write is logged in its transaction.

/// `RegistryStorage` on SQLite.
struct SQLiteRegistry: RegistryStorage {
    let queue: LedgerDatabase

    func addDocument(
        kind: LoadedDocument.Kind, key: String, content: String, sourceText: String, fileName: String, stamp: Stamp
    ) throws -> LoadedDocument {
        try queue.write { db in
            let current = try Row.fetchOne(
                db, sql: "SELECT version, sha256 FROM loaded_document WHERE kind = ? AND key = ? ORDER BY version DESC LIMIT 1",
                arguments: [kind.rawValue, key])
            let sha256 = LedgerStore.sha256Hex(content + "\n--\n" + sourceText)
            if let current, current["sha256"] as String == sha256 {
                throw Rejection(
                    .documentAlreadyLoaded, field: "file",
                    "\(fileName) 与已载入的\(kind == .policy ? "政策" : "节假日安排") \(key) 第 \(current["version"] as Int) 版内容相同：未生成新版本")
            }
            let version = (current?["version"] as Int? ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO loaded_document (kind, key, version, sha256, content, source_text, file_name, at, user)
                    VALUES (?,?,?,?,?,?,?,?,?)
                    """,
                arguments: [kind.rawValue, key, version, sha256, content, sourceText, fileName, stamp.at, stamp.user])
            let id = db.lastInsertedRowID
            let what = kind == .policy ? "政策 \(key)" : "\(key) 年节假日安排"
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "\(kind.rawValue).add", studio: "",
                detail: "载入\(what) 第 \(version) 版（文件 \(fileName)，SHA-256 \(sha256)\(sourceText.isEmpty ? "" : "，附原文")）")
            return LoadedDocument(
                id: id, kind: kind, key: key, version: version, sha256: sha256, content: content, sourceText: sourceText,
                fileName: fileName, at: stamp.at, user: stamp.user)
        }
    }

    func documents(kind: LoadedDocument.Kind) throws -> [LoadedDocument] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM loaded_document WHERE kind = ? ORDER BY id", arguments: [kind.rawValue]).map { row in
                LoadedDocument(
                    id: row["id"], kind: kind, key: row["key"], version: row["version"], sha256: row["sha256"], content: row["content"],
                    sourceText: row["source_text"], fileName: row["file_name"], at: row["at"], user: row["user"])
            }
        }
    }

    func markHostUnit(_ marking: HostUnitMarking, stamp: Stamp) throws {
        try queue.write { db in
            let code = marking.hostUnit.description
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM host_unit WHERE credit_code = ?", arguments: [code]) != nil else {
                throw Rejection(.hostUnitUnknown, field: "host-unit", "依托单位 \(code) 未登记")
            }
            let basis = marking.basis.trimmingSpaces
            guard !basis.isEmpty else { throw Rejection(.fieldEmpty, field: "basis", "须写明依据（如市人社局认定文件、保密资格）") }
            guard basis.count <= Limits.memoLengthMax else {
                throw Rejection(.fieldTooLong, field: "basis", "依据超过 \(Limits.memoLengthMax) 个字符")
            }
            let current = try Int.fetchOne(
                db, sql: "SELECT confidential FROM host_unit_marking WHERE host_unit = ? ORDER BY id DESC LIMIT 1", arguments: [code]) ?? 0
            guard (current == 1) != marking.confidential else {
                throw Rejection(
                    .markingUnchanged, field: "host-unit", marking.confidential ? "依托单位 \(code) 已标记为涉密" : "依托单位 \(code) 未标记为涉密，无可撤销")
            }
            try db.execute(
                sql: "INSERT INTO host_unit_marking (host_unit, confidential, basis, date, at, user) VALUES (?,?,?,?,?,?)",
                arguments: [code, marking.confidential ? 1 : 0, basis, marking.date.iso, stamp.at, stamp.user])
            try LedgerStore.appendLog(
                db, stamp: stamp, action: "host-unit.confidential", studio: "",
                detail: "依托单位 \(code) \(marking.confidential ? "标记为涉密" : "撤销涉密标记")，自 \(marking.date.iso) 起；依据：\(basis)")
        }
    }

    func markings() throws -> [HostUnitMarking] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM host_unit_marking ORDER BY id").map { row in
                let code: String = row["host_unit"]
                let date: String = row["date"]
                guard let unit = try? CreditCode(code), let day = try? CalendarDate.parse(date) else {
                    throw StoreCorruption(table: "host_unit_marking", rowID: row["id"], message: "依托单位代码或日期无效")
                }
                return HostUnitMarking(
                    hostUnit: unit, confidential: (row["confidential"] as Int) == 1, basis: row["basis"], date: day, at: row["at"],
                    user: row["user"])
            }
        }
    }
}

extension LedgerStore {
    /// Loaded policies and holiday schedules, and host units' confidentiality markings.
    public var registry: any RegistryStorage { SQLiteRegistry(queue: queue) }
}
