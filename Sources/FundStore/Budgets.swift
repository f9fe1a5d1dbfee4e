import FundCore
internal import GRDB

extension SQLiteCompliance {
    /// Records budget lines as new revisions, all in one transaction, each logged with its old
    /// and new amount. Lines equal to the plan in force are skipped (nothing to revise); the
    /// number of revisions written is returned.
    @discardableResult
    func setBudget(_ lines: [BudgetLine], reason: String, stamp: Stamp) throws -> Int {
        var seen: Set<String> = []
        for line in lines {
            let key = "\(line.studio)|\(line.fund.rawValue)|\(line.category.rawValue)"
            guard seen.insert(key).inserted else {
                throw Rejection(
                    .budgetDuplicate, field: "category",
                    "同一工作室、资金、支出类别出现两次：\(line.studio) \(line.fund.chineseName) \(line.category.chineseName)")
            }
        }
        return try queue.write { db in
            var written = 0
            for line in lines {
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM studio WHERE code = ?", arguments: [line.studio]) != nil else {
                    throw Rejection(.studioUnknown, field: "studio", "工作室 \(line.studio) 不存在")
                }
                let current = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT amount_fen, revision FROM budget_revision
                        WHERE studio = ? AND fund = ? AND category = ? ORDER BY revision DESC LIMIT 1
                        """,
                    arguments: [line.studio, line.fund.rawValue, line.category.rawValue])
                let oldAmount = current.map { Money(fen: $0["amount_fen"]) }
                if oldAmount == line.amount { continue }
                let revision = (current?["revision"] as Int? ?? 0) + 1
                try db.execute(
                    sql: """
                        INSERT INTO budget_revision (studio, fund, category, amount_fen, revision, reason, at, user)
                        VALUES (?,?,?,?,?,?,?,?)
                        """,
                    arguments: [
                        line.studio, line.fund.rawValue, line.category.rawValue, line.amount.fen, revision,
                        reason.trimmingSpaces, stamp.at, stamp.user,
                    ])
                let change = oldAmount.map { "\($0.plainString) → \(line.amount.plainString)" } ?? line.amount.plainString
                try LedgerStore.appendLog(
                    db, stamp: stamp, action: "budget.set", studio: line.studio,
                    detail: "\(line.fund.chineseName) \(line.category.chineseName) 预算 \(change) 元（第 \(revision) 版）"
                        + (reason.trimmingSpaces.isEmpty ? "" : "：\(reason.trimmingSpaces)"))
                written += 1
            }
            return written
        }
    }

    /// Every revision, oldest first.
    func budgetHistory(studio: String) throws -> [BudgetRevision] {
        try queue.read { db in
            try BudgetRevisionRecord.fetchAll(db, sql: "SELECT * FROM budget_revision WHERE studio = ? ORDER BY id", arguments: [studio])
                .map(\.revision)
        }
    }
}
