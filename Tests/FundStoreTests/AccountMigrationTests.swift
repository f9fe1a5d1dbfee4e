import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// Migrations v10-accounts and v11-voucher-book-order on a ledger that stopped at v9: its books
/// stay as they were and verify clean, and accounts and the paged 序时账 work afterwards.
@Suite("migration v10-accounts")
struct AccountMigrationTests {
    static let tables = ["web_account", "web_session", "login_failure"]

    @Test func aVersion9LedgerMigrates() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-v10-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("l.sqlite").path
        do {
            // Books written by the current code, then put back to v9: the v10 tables gone and
            // the migration not recorded, as a file last opened by the previous release.
            let store = try LedgerStore(path: path)
            let app = LedgerApp(store: store, clock: TestLedger.clock, user: "测试员")
            _ = try app.register.initialize()
            _ = try app.register.addHostUnit(creditCode: TestLedger.hostCode, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
            _ = try app.register.addStudio(
                code: "S1", name: "S1 工作室", hostUnit: TestLedger.hostCode, leader: "张师傅", field: "数控加工", recognized: "2025-12-15",
                subsidy: "30000")
            try store.books.post(
                [TestLedger.receipt(fund: .subsidy, fen: 3_000_000)],
                stamp: Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: TestLedger.date("2026-11-20")))
            for table in Self.tables.reversed() { try store.unsafeExecuteForTesting("DROP TABLE \(table)") }
            try store.unsafeExecuteForTesting("DROP INDEX voucher_book_order")
            try store.unsafeExecuteForTesting("DROP TABLE supervision_note")
            try store.unsafeExecuteForTesting("DROP TABLE draft_file")
            try store.unsafeExecuteForTesting("DROP TABLE voucher_draft")
            try store.unsafeExecuteForTesting("DROP TABLE loaded_document")
            try store.unsafeExecuteForTesting("DROP TABLE host_unit_marking")
            try store.unsafeExecuteForTesting("DROP TABLE studio_change_effect")
            try store.unsafeExecuteForTesting("DROP TABLE host_account_mapping")
            try store.unsafeExecuteForTesting("DROP TABLE budget_basis")
            try store.unsafeExecuteForTesting(
                "DELETE FROM grdb_migrations WHERE identifier IN ('v10-accounts', 'v11-voucher-book-order', 'v12-supervision-notes', 'v13-voucher-drafts', 'v14-registry', 'v15-studio-change-effect', 'v16-budget-basis', 'v17-host-account-mapping')")
            #expect(try store.unsafeStringsForTesting("SELECT identifier FROM grdb_migrations ORDER BY rowid").last == "v9-checkpoints")
            #expect(try store.unsafeScalarForTesting("SELECT count(*) FROM sqlite_master WHERE name LIKE 'web_%' OR name LIKE 'login_%'") == 0)
        }
        let store = try LedgerStore(path: path)
        #expect(try store.unsafeStringsForTesting("SELECT identifier FROM grdb_migrations ORDER BY rowid").drop(while: { $0 != "v10-accounts" }).prefix(5) == ["v10-accounts", "v11-voucher-book-order", "v12-supervision-notes", "v13-voucher-drafts", "v14-registry"])
        #expect(try store.unsafeScalarForTesting("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'voucher_book_order'") == 1)
        for table in Self.tables {
            let sql = try store.unsafeStringsForTesting("SELECT sql FROM sqlite_master WHERE name = '\(table)'")
            #expect(sql.count == 1 && sql[0].hasSuffix("STRICT"), "\(table)")
        }
        let app = LedgerApp(store: store, clock: SteppingClock(instant: "2026-11-20T01:00:00Z"), user: "系统管理员")
        #expect(try app.books.journal(studio: "S1").count == 1)
        #expect(try app.books.journalPage(studio: "S1", filter: JournalFilter(), page: 1).total == 1)
        try app.lifecycle.addSupervisionNote(studio: "S1", date: "2026-11-19", text: "检查账簿")
        #expect(try app.lifecycle.supervisionNotes(studio: "S1").count == 1)
        let (account, _) = try app.accounts.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: "Qiao-Jiang-8831")
        let session = try app.accounts.login(name: "李会计", password: "Qiao-Jiang-8831")
        #expect(try app.accounts.session(token: session.token)?.account == account)
        let report = try app.admin.verify()
        #expect(report.isClean, "\(report.problems)")
        // Not in the row chain: sessions are not books.
        #expect(try store.unsafeScalarForTesting("SELECT count(*) FROM row_chain WHERE tbl IN ('web_account', 'web_session', 'login_failure')") == 0)
    }
}
