@testable import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Testing

/// Someone edits the SQLite file behind the ledger's back; `verify` must name what changed.
@Suite("verify catches tampering")
struct TamperTests {
    let app: LedgerApp

    init() throws {
        app = try T.app()
        let stamp = Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        try app.store.books.post(
            [
                T.receipt(fund: .subsidy, fen: 3_000_000),
                T.simple(date: "2026-01-08", debit: "500101", credit: "100201", fen: 1_200_000),
                T.simple(date: "2026-01-09", debit: "500102", credit: "100201", fen: 300_000),
            ], stamp: stamp)
        #expect(try app.admin.verify().isClean)
    }

    func dropGuards(_ table: String) throws {
        try app.store.unsafeExecuteForTesting("DROP TRIGGER \(table)_no_update")
        try app.store.unsafeExecuteForTesting("DROP TRIGGER \(table)_no_delete")
    }

    @Test("one studio's verify sees its own tampering and not another studio's")
    func studioVerify() throws {
        let two = try T.app(studios: ["S1", "S2"])
        let stamp = Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: T.date("2026-11-20"))
        try two.store.books.post([T.receipt(studio: "S1", fund: .subsidy, fen: 3_000_000), T.receipt(studio: "S2", fund: .subsidy, fen: 3_000_000)], stamp: stamp)
        try two.store.unsafeExecuteForTesting("DROP TRIGGER posting_no_update")
        try two.store.unsafeExecuteForTesting(
            "UPDATE posting SET amount_fen = 2000000 WHERE voucher_id = (SELECT v.id FROM voucher v JOIN studio s ON s.id = v.studio_id WHERE s.code = 'S2')")
        #expect(try two.store.admin.verify(studio: "S1").isClean)
        let s2 = try two.store.admin.verify(studio: "S2")
        #expect(Set(s2.problems.map(\.code)).isSuperset(of: [.hashMismatch, .balanceMismatch]))
        #expect(s2.problems.allSatisfy { $0.studio == "S2" })
        #expect(s2.studios == 1)
        #expect(try two.store.admin.verify().problems.count == s2.problems.count)
    }

    @Test func editedPostingAmountIsNamed() throws {
        try dropGuards("posting")
        try app.store.unsafeExecuteForTesting(
            "UPDATE posting SET amount_fen = 1100000 WHERE voucher_id = (SELECT id FROM voucher WHERE period = 202601 AND number = 1) AND line_no = 1")
        let report = try app.admin.verify()
        let codes = Set(report.problems.map(\.code))
        #expect(codes.contains(.hashMismatch))
        #expect(codes.contains(.invariantBroken))
        #expect(codes.contains(.balanceMismatch))
        let named = report.problems.filter { $0.code == .hashMismatch }
        #expect(named.count == 1)
        #expect(named.first?.voucher == "2026-01 记-1")
        #expect(named.first?.studio == "S1")
    }

    @Test func balancedEditStillBreaksTheHash() throws {
        try dropGuards("posting")
        try app.store.unsafeExecuteForTesting(
            "UPDATE posting SET account = '500107' WHERE voucher_id = (SELECT id FROM voucher WHERE period = 202601 AND number = 2) AND line_no = 1")
        let report = try app.admin.verify()
        #expect(report.problems.contains { $0.code == .hashMismatch && $0.voucher == "2026-01 记-2" })
    }

    @Test func deletedVoucherLeavesAGap() throws {
        try dropGuards("posting")
        try dropGuards("voucher")
        try app.store.unsafeExecuteForTesting(
            "DELETE FROM posting WHERE voucher_id = (SELECT id FROM voucher WHERE period = 202601 AND number = 1)")
        try app.store.unsafeExecuteForTesting("DELETE FROM voucher WHERE period = 202601 AND number = 1")
        let codes = Set(try app.admin.verify().problems.map(\.code))
        #expect(codes.isSuperset(of: [.sequenceGap, .chainBroken, .numberingGap, .balanceMismatch]))
    }

    @Test func editedLogEntryIsNamed() throws {
        try dropGuards("op_log")
        try app.store.unsafeExecuteForTesting("UPDATE op_log SET user = '他人' WHERE seq = 2")
        let problems = try app.admin.verify().problems
        #expect(problems.map(\.code) == [.logChainBroken])
        #expect(problems[0].message.contains("第 2 条"))
    }

    /// Stored values no code reads back (an unknown fund, a day that does not exist), written
    /// with the CHECK constraints switched off: verify names the table and row (X009), reading
    /// throws `StoreCorruption`, nothing traps.
    @Test func unreadableRowsAreReportedNotFatal() throws {
        try dropGuards("posting")
        try dropGuards("voucher")
        try app.store.unsafeExecuteForTesting("PRAGMA ignore_check_constraints = ON")
        try app.store.unsafeExecuteForTesting(
            "UPDATE posting SET fund = 'lottery' WHERE voucher_id = (SELECT id FROM voucher WHERE period = 202601 AND number = 1) AND line_no = 1")
        try app.store.unsafeExecuteForTesting("UPDATE voucher SET date = '2026-01-32' WHERE period = 202601 AND number = 2")
        try app.store.unsafeExecuteForTesting("PRAGMA ignore_check_constraints = OFF")
        let voucherID = try #require(try app.store.unsafeScalarForTesting("SELECT id FROM voucher WHERE period = 202601 AND number = 2"))

        let unreadable = try app.admin.verify().problems.filter { $0.code == .unreadableRow }
        #expect(unreadable.count == 2, "\(unreadable)")
        #expect(unreadable.contains {
            $0.voucher == "2026-01 记-1" && $0.message.contains("数据库表 posting 中有一行无法读取") && $0.message.contains("lottery")
        }, "\(unreadable)")
        #expect(unreadable.contains {
            $0.voucher == "2026-01 记-2" && $0.message.contains("数据库第 \(voucherID) 行（表 voucher）无法读取") && $0.message.contains("2026-01-32")
        }, "\(unreadable)")

        // Reading the books throws the first unreadable row (a voucher's lines are read before it).
        let error = #expect(throws: StoreCorruption.self) { try app.store.books.vouchers(studio: "S1") }
        #expect(error?.table == "posting")
        #expect(error?.rowID == nil)
        #expect(error?.description.hasPrefix("数据库表 posting 中有一行无法读取：voucher_id ") == true, "\(String(describing: error))")
    }

    @Test func unknownFundInMaterialisedBalanceThrowsInsteadOfTrapping() throws {
        try app.store.unsafeExecuteForTesting("PRAGMA ignore_check_constraints = ON")
        try app.store.unsafeExecuteForTesting("UPDATE month_balance SET fund = 'lottery' WHERE account = '500101'")
        try app.store.unsafeExecuteForTesting("PRAGMA ignore_check_constraints = OFF")
        let error = #expect(throws: StoreCorruption.self) { try app.store.books.turnovers(studio: "S1") }
        #expect(error?.table == "month_balance")
        #expect(error?.message.contains("lottery") == true)
        // verify compares the stored balances with the postings as text: a mismatch, no crash.
        #expect(try app.admin.verify().problems.contains { $0.code == .balanceMismatch })
    }

    @Test func editedMaterialisedBalanceIsNamed() throws {
        try app.store.unsafeExecuteForTesting("UPDATE month_balance SET debit_fen = debit_fen + 1 WHERE account = '500101'")
        let problems = try app.admin.verify().problems
        #expect(problems.count == 1)
        #expect(problems[0].code == .balanceMismatch)
        #expect(problems[0].message.contains("500101"))
    }
}

extension TamperTests {
    @Test("the studio register is append-only: its approved subsidy or recognition date cannot be rewritten")
    func studioRegisterIsAppendOnly() throws {
        #expect(throws: (any Error).self) { try app.store.unsafeExecuteForTesting("UPDATE studio SET approved_subsidy_fen = 9000000") }
        #expect(throws: (any Error).self) { try app.store.unsafeExecuteForTesting("DELETE FROM studio") }
        #expect(try app.store.register.studio(code: "S1").approvedSubsidy == Money(fen: 3_000_000))
    }
}
