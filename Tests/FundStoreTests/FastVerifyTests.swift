@testable import FundApp
import FundCore
@_spi(Testing) @testable import FundStore
import FundTestSupport
import Foundation
import Testing

/// `verify`'s fast chain lane (VerifyFast.swift) reads each voucher from the column bytes and
/// sends anything not plainly in order to the full check; it must report exactly what the full
/// check of every voucher reports, problem for problem and in the same order, on every kind of
/// tampering.
@Suite("verify's fast chain lane names what the full check names")
struct FastVerifyTests {
    let directory: URL
    let store: LedgerStore
    let app: LedgerApp

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-fverify-\(UUID().uuidString)")
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
            let split = VoucherDraft(
                studio: code, date: T.date("2026-01-11"),
                lines: [
                    T.line("500101", .subsidy, .debit, 100_000, memo: "购置“数控”设备\t\"一台\"，—"),
                    T.line("500101", .selfRaised, .debit, 50_000, memo: "购置设备（分资金列支）"),
                    T.line("100201", .subsidy, .credit, 100_000, memo: "支付设备款 Ω é"),
                    T.line("100201", .selfRaised, .credit, 50_000, memo: "支付设备款"),
                ],
                attachments: 2, settlement: .bankTransfer, counterparty: "资阳“机床”厂 \"A\"", preparer: "李会计", reviewer: "王主管")
            try store.books.post(
                [
                    T.receipt(studio: code, fund: .subsidy, fen: 3_000_000),
                    T.receipt(studio: code, fund: .selfRaised, fen: 1_000_000),
                    T.simple(studio: code, date: "2026-01-08", debit: "500101", credit: "100201", fen: 1_200_000),
                    T.simple(studio: code, date: "2026-01-09", debit: "500102", credit: "100201", fen: 300_000),
                    split,
                    T.simple(studio: code, date: "2026-01-12", debit: "500103", credit: "100201", fen: 20_000, memo: "有空格 的摘要"),
                ], stamp: stamp)
            // A red reversal with its correction (both go to the full check), then more vouchers.
            _ = try store.books.reverse(
                VoucherRef(studio: code, period: Period(key: 202601)!, voucherClass: .ji, number: 4), date: T.date("2026-01-20"),
                reason: "科目记错", correction: T.simple(studio: code, date: "2026-01-20", debit: "500103", credit: "100201", fen: 300_000),
                stamp: stamp)
            try store.books.post([T.simple(studio: code, date: "2026-01-21", debit: "500104", credit: "100201", fen: 10_000)], stamp: stamp)
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    func voucherID(_ studio: String, _ number: Int) -> String {
        "(SELECT v.id FROM voucher v JOIN studio s ON s.id = v.studio_id WHERE s.code = '\(studio)' AND v.period = 202601 AND v.number = \(number))"
    }

    func dropGuards() throws {
        for table in ["posting", "voucher", "account"] {
            try store.unsafeExecuteForTesting("DROP TRIGGER IF EXISTS \(table)_no_update")
            try store.unsafeExecuteForTesting("DROP TRIGGER IF EXISTS \(table)_no_delete")
        }
    }

    /// The fast lane and the full check, on one connection and on several.
    func compare(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> VerificationReport {
        let full = try store.verifyForTesting(workers: 1, fastChains: false)
        for workers in [1, 2, 3] {
            let fast = try store.verifyForTesting(workers: workers, fastChains: true)
            #expect(fast.problems == full.problems, "\(what), \(workers) workers", sourceLocation: sourceLocation)
            #expect(fast.vouchers == full.vouchers, "\(what)", sourceLocation: sourceLocation)
            #expect(fast.postings == full.postings, "\(what)", sourceLocation: sourceLocation)
        }
        for studio in ["S1", "S3"] {
            let fast = try store.verifyForTesting(workers: 2, studio: studio, fastChains: true)
            let oneFull = try store.verifyForTesting(workers: 1, studio: studio, fastChains: false)
            #expect(fast.problems == oneFull.problems, "\(what), studio \(studio)", sourceLocation: sourceLocation)
        }
        return full
    }

    @Test func cleanBooksAreCleanOnBothLanes() throws {
        defer { cleanUp() }
        let report = try compare("clean")
        #expect(report.isClean, "\(report.problems)")
        #expect(report.vouchers == 27)
        #expect(try app.admin.verify().isClean)
    }

    /// One kind of tampering at a time, each on books restored from a copy.
    @Test(arguments: [
        ("amount", ["UPDATE posting SET amount_fen = 1100000 WHERE voucher_id = S1#3 AND line_no = 1"]),
        ("balanced account edit", ["UPDATE posting SET account = '500107' WHERE voucher_id = S1#4 AND line_no = 1"]),
        ("parent account", ["UPDATE posting SET account = '5001' WHERE voucher_id = S2#3 AND line_no = 1"]),
        ("fund", ["UPDATE posting SET fund = 'enterprise' WHERE voucher_id = S2#5 AND line_no = 2"]),
        ("side", ["UPDATE posting SET side = 'credit' WHERE voucher_id = S3#3 AND line_no = 1"]),
        ("memo tab", ["UPDATE posting SET memo = memo || char(9) WHERE voucher_id = S1#3 AND line_no = 1"]),
        ("memo zero-width space", ["UPDATE posting SET memo = memo || char(8203) WHERE voucher_id = S1#3 AND line_no = 2"]),
        ("memo emptied to spaces", ["UPDATE posting SET memo = '  ' WHERE voucher_id = S2#3 AND line_no = 3"]),
        ("memo of a reversal", ["UPDATE posting SET memo = '改' WHERE voucher_id = S3#5 AND line_no = 1"]),
        ("counterparty", ["UPDATE voucher SET counterparty = '他人' WHERE id = S1#3"]),
        ("preparer blank", ["UPDATE voucher SET preparer = ' ' WHERE id = S1#2"]),
        ("attachments", ["UPDATE voucher SET attachments = 3 WHERE id = S2#2"]),
        ("settlement", ["UPDATE voucher SET settlement = NULL WHERE id = S2#2"]),
        ("source", ["UPDATE voucher SET source_ref = 'x' WHERE id = S3#2"]),
        ("posted stamp", ["UPDATE voucher SET posted_at = '2026-11-21T01:00:00Z' WHERE id = S3#2"]),
        ("previous hash", ["UPDATE voucher SET prev_hash = 'ff' || substr(prev_hash, 3) WHERE id = S3#3"]),
        ("hash", ["UPDATE voucher SET hash = 'ee' || substr(hash, 3) WHERE id = S2#4"]),
        ("sequence", ["UPDATE voucher SET seq = seq + 100 WHERE id = S1#6"]),
        ("deleted voucher", ["DELETE FROM posting WHERE voucher_id = S2#2", "DELETE FROM voucher WHERE id = S2#2"]),
        ("deleted line", ["DELETE FROM posting WHERE voucher_id = S1#3 AND line_no = 4"]),
        ("unreadable date", ["PRAGMA ignore_check_constraints = ON", "UPDATE voucher SET date = '2026-01-32' WHERE id = S3#1", "PRAGMA ignore_check_constraints = OFF"]),
        ("unreadable fund", ["PRAGMA ignore_check_constraints = ON", "UPDATE posting SET fund = 'lottery' WHERE voucher_id = S1#1 AND line_no = 1", "PRAGMA ignore_check_constraints = OFF"]),
        ("posting filed under another period", ["UPDATE posting SET period = 202602 WHERE voucher_id = S1#3 AND line_no = 1"]),
        ("posting filed under another studio", ["UPDATE posting SET studio_id = (SELECT id FROM studio WHERE code = 'S3') WHERE voucher_id = S2#1"]),
        ("chart: fund restricted", ["UPDATE account SET funds = 'enterprise' WHERE code = '400101'"]),
        ("chart: clearing role", ["UPDATE account SET role = 'clearing' WHERE code = '500104'"]),
        ("several at once", [
            "UPDATE posting SET amount_fen = 1 WHERE voucher_id = S1#2 AND line_no = 2",
            "UPDATE voucher SET prev_hash = 'ab' || substr(prev_hash, 3) WHERE id = S2#6",
            "DELETE FROM posting WHERE voucher_id = S3#5", "DELETE FROM voucher WHERE id = S3#5",
        ]),
    ])
    func everyTamperingIsNamedAlike(_ what: String, _ statements: [String]) throws {
        defer { cleanUp() }
        try dropGuards()
        for statement in statements {
            var sql = statement
            for studio in ["S1", "S2", "S3"] {
                for number in (1...9).reversed() { sql = sql.replacingOccurrences(of: "\(studio)#\(number)", with: voucherID(studio, number)) }
            }
            try store.unsafeExecuteForTesting(sql)
        }
        let report = try compare(what)
        #expect(!report.isClean, "\(what)")
        #expect(try app.admin.verify().problems == report.problems, "\(what)")
    }

    /// The fast lane's "plainly allowed text" never lets through a character `TextField` refuses,
    /// nor bytes that are not UTF-8.
    @Test func plainTextNeverPassesWhatTextFieldRefuses() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let bytes = Array(String(scalar).utf8)
            for allowTab in [false, true] {
                let plain = bytes.withUnsafeBufferPointer { LedgerStore.plainText($0, allowTab: allowTab) }
                if plain { #expect(!TextField.isForbidden(scalar, allowTab: allowTab), "U+\(String(value, radix: 16))") }
            }
        }
        // Not UTF-8: lone continuation bytes, overlong forms, surrogates, cut sequences.
        for bad: [UInt8] in [[0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0xFF]] {
            #expect(!bad.withUnsafeBufferPointer { LedgerStore.plainText($0, allowTab: true) }, "\(bad)")
        }
        #expect(Array("李会计 购置“设备”，（一台）— Ω\t".utf8).withUnsafeBufferPointer { LedgerStore.plainText($0, allowTab: true) })
    }
}
