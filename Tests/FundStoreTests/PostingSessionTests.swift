@testable import FundApp
import FundCore
@_spi(Testing) @testable import FundStore
import FundTestSupport
import Foundation
import GRDB
import Testing

/// `PostingSession` writes each voucher's rows as it posts it, stepping its INSERTs through the
/// SQLite C API (`RowInsert`). Those rows must never be committed on their own: once SQLite
/// has rolled the transaction back by itself (it does after a disk-full or I/O error, and a
/// lookup that swallows its error may hide that), or once a voucher failed part-way, the
/// session writes nothing more and the whole write fails with nothing kept.
@Suite("posting session: rows are written inside the caller's transaction or not at all")
struct PostingSessionTests {
    let directory: URL
    let store: LedgerStore
    let stamp = Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try LedgerStore(path: directory.appendingPathComponent("ledger.sqlite").path)
        let app = LedgerApp(store: store, clock: T.clock, user: "测试员")
        _ = try app.register.initialize()
        _ = try app.register.addHostUnit(creditCode: T.hostCode, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
        _ = try app.register.addStudio(
            code: "S1", name: "S1 工作室", hostUnit: T.hostCode, leader: "张师傅", field: "数控加工", recognized: "2025-12-15",
            subsidy: "30000")
        try store.books.post([T.receipt(studio: "S1", fund: .subsidy, fen: 3_000_000)], stamp: stamp)
    }

    func rows() throws -> [Int64?] {
        try ["voucher", "posting", "month_balance", "op_log"].map { try store.unsafeScalarForTesting("SELECT count(*) FROM \($0)") }
    }

    func spend(_ day: String, fen: Int64) -> VoucherDraft {
        T.simple(studio: "S1", date: day, debit: "500101", credit: "100201", fen: fen)
    }

    @Test("a transaction SQLite rolled back: the next voucher is refused, not committed on its own")
    func transactionGone() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try rows()
        #expect(throws: DatabaseError.self) {
            try store.queue.write { db in
                let session = try PostingSession(db: db, stamp: stamp)
                try session.post(spend("2026-01-08", fen: 10_000), kind: .normal)
                // What SQLite does by itself after SQLITE_FULL or SQLITE_IOERR.
                try db.execute(sql: "ROLLBACK")
                try session.post(spend("2026-01-09", fen: 20_000), kind: .normal)
                try session.flush()
            }
        }
        #expect(try rows() == before, "nothing written, not even the second voucher on its own")
        #expect(try store.admin.verify().isClean)
    }

    @Test("a voucher that failed part-way ends the session: nothing more is posted and flush refuses")
    func failedVoucherEndsTheSession() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try rows()
        try store.unsafeExecuteForTesting("""
            CREATE TRIGGER test_refuses_line_two BEFORE INSERT ON posting WHEN NEW.amount_fen = 7777 AND NEW.line_no = 2
            BEGIN SELECT RAISE(ABORT, 'test trigger refuses line 2'); END
            """)
        var errors: [String] = []
        #expect(throws: (any Error).self) {
            try store.queue.write { db in
                let session = try PostingSession(db: db, stamp: stamp)
                try session.post(spend("2026-01-08", fen: 10_000), kind: .normal)
                do { try session.post(spend("2026-01-09", fen: 7_777), kind: .normal) } catch { errors.append("\(error)") }
                #expect(session.failed)
                // A caller that went on anyway is refused, and so is the commit.
                do { try session.post(spend("2026-01-10", fen: 30_000), kind: .normal) } catch { errors.append("\(error)") }
                try session.flush()
            }
        }
        #expect(errors.count == 2)
        #expect(errors.first?.contains("test trigger refuses line 2") == true)
        #expect(errors.last?.contains("earlier voucher of this posting session") == true)
        #expect(try rows() == before)
        try store.unsafeExecuteForTesting("DROP TRIGGER test_refuses_line_two")
        #expect(try store.admin.verify().isClean)
    }
}
