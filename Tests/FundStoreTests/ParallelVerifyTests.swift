@testable import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// `verify` on a ledger file checks the studios' chains on several read-only connections at
/// once; it must name exactly what the one-connection walk names, in the same order.
@Suite("verify in parallel names what the sequential walk names")
struct ParallelVerifyTests {
    let directory: URL
    let store: LedgerStore
    let app: LedgerApp

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-pverify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try LedgerStore(path: directory.appendingPathComponent("ledger.sqlite").path)
        app = LedgerApp(store: store, clock: T.clock, user: "测试员")
        _ = try app.register.initialize()
        _ = try app.register.addHostUnit(creditCode: T.hostCode, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
        for code in ["S1", "S2", "S3"] {
            _ = try app.register.addStudio(
                code: code, name: "\(code) 工作室", hostUnit: T.hostCode, leader: "张师傅", field: "数控加工",
                recognized: "2025-12-15", subsidy: "30000")
        }
        let stamp = Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        for code in ["S1", "S2", "S3"] {
            try store.books.post(
                [
                    T.receipt(studio: code, fund: .subsidy, fen: 3_000_000),
                    T.simple(studio: code, date: "2026-01-08", debit: "500101", credit: "100201", fen: 1_200_000),
                    T.simple(studio: code, date: "2026-01-09", debit: "500102", credit: "100201", fen: 300_000),
                    T.simple(studio: code, date: "2026-01-10", debit: "500102", credit: "100201", fen: 200_000),
                ], stamp: stamp)
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    func voucherID(_ studio: String, _ period: Int, _ number: Int) -> String {
        "(SELECT v.id FROM voucher v JOIN studio s ON s.id = v.studio_id WHERE s.code = '\(studio)' AND v.period = \(period) AND v.number = \(number))"
    }

    @Test func cleanLedgerIsCleanOnEveryWalk() throws {
        defer { cleanUp() }
        for workers in [1, 2, 3, 8] {
            let report = try store.verifyForTesting(workers: workers)
            #expect(report.isClean, "\(workers) workers: \(report.problems)")
            #expect(report.vouchers == 12)
            #expect(report.studios == 3)
            #expect(report.postings == 24)
        }
        #expect(try app.admin.verify().isClean)
    }

    @Test func everyKindOfTamperingIsNamedInTheSameOrder() throws {
        defer { cleanUp() }
        for table in ["posting", "voucher"] {
            try store.unsafeExecuteForTesting("DROP TRIGGER \(table)_no_update")
            try store.unsafeExecuteForTesting("DROP TRIGGER \(table)_no_delete")
        }
        // S1: an amount edited (hash, rules, balance).
        try store.unsafeExecuteForTesting("UPDATE posting SET amount_fen = 1100000 WHERE voucher_id = \(voucherID("S1", 202601, 1)) AND line_no = 1")
        // S2: a voucher deleted (sequence gap, broken chain, numbering, balance).
        try store.unsafeExecuteForTesting("DELETE FROM posting WHERE voucher_id = \(voucherID("S2", 202601, 2))")
        try store.unsafeExecuteForTesting("DELETE FROM voucher WHERE id = \(voucherID("S2", 202601, 2))")
        // S3: a row that no longer decodes (its chunk is read again row by row), and a previous hash rewritten.
        try store.unsafeExecuteForTesting("PRAGMA ignore_check_constraints = ON")
        try store.unsafeExecuteForTesting("UPDATE voucher SET date = '2026-01-32' WHERE id = \(voucherID("S3", 202601, 1))")
        try store.unsafeExecuteForTesting("PRAGMA ignore_check_constraints = OFF")
        try store.unsafeExecuteForTesting("UPDATE voucher SET prev_hash = 'ff' || substr(prev_hash, 3) WHERE id = \(voucherID("S3", 202601, 3))")

        let sequential = try store.verifyForTesting(workers: 1)
        let codes = Set(sequential.problems.map(\.code))
        #expect(codes.isSuperset(of: [.hashMismatch, .invariantBroken, .balanceMismatch, .sequenceGap, .chainBroken, .numberingGap, .unreadableRow]), "\(sequential.problems)")
        #expect(sequential.problems.contains { $0.code == .hashMismatch && $0.studio == "S1" && $0.voucher == "2026-01 记-1" })
        #expect(sequential.problems.contains { $0.code == .sequenceGap && $0.studio == "S2" && $0.voucher == "2026-01 记-3" })
        #expect(sequential.problems.contains { $0.code == .unreadableRow && $0.studio == "S3" && $0.voucher == "2026-01 记-1" })
        #expect(sequential.problems.contains { $0.code == .chainBroken && $0.studio == "S3" && $0.voucher == "2026-01 记-3" })
        #expect(sequential.vouchers == 11)
        for workers in [2, 3, 8] {
            let parallel = try store.verifyForTesting(workers: workers)
            #expect(parallel.problems == sequential.problems, "\(workers) workers")
            #expect(parallel.vouchers == sequential.vouchers)
            #expect(parallel.postings == sequential.postings)
        }
        #expect(try app.admin.verify().problems == sequential.problems)
        // One studio alone reads the same problems of that studio.
        let s3 = try store.verifyForTesting(workers: 2, studio: "S3")
        #expect(s3.problems == sequential.problems.filter { $0.studio == "S3" })
    }

    /// An in-memory ledger has no file a second connection could open: the sequential walk,
    /// whatever the limit.
    @Test func inMemoryLedgerKeepsTheSequentialWalk() throws {
        defer { cleanUp() }
        let memory = try T.app(studios: ["S1", "S2"])
        let stamp = Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        try memory.store.books.post([T.receipt(studio: "S1", fund: .subsidy, fen: 1_000), T.receipt(studio: "S2", fund: .subsidy, fen: 1_000)], stamp: stamp)
        let report = try memory.store.verifyForTesting(workers: 4)
        #expect(report.isClean)
        #expect(report.vouchers == 2)
    }
}
