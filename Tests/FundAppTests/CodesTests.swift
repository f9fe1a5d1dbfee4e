import Crypto
@_spi(Testing) import FundStore
@testable import FundApp
import FundCore
import FundTestSupport
import Foundation
import Testing

/// Each code means one thing: a bad voucher number is not an unknown voucher, a bad finding key
/// is not an unknown finding, missing evidence is not rejected input about a voucher, and
/// evidence that no longer matches its hash is a failed verification, not rejected input.
@Suite("codes mean one thing")
struct CodesTests {
    typealias T = TestLedger
    static let march = Period(year: 2026, month: 3)!

    @Test("voucher numbers as people write them, and what is wrong with the rest", arguments: [
        ("3", "记", 3), ("记-3", "记", 3), ("记-0003", "记", 3), ("收-12", "收", 12), (" 7 ", "记", 7),
    ])
    func voucherNumbers(text: String, voucherClass: String, number: Int) throws {
        let ref = try BooksDesk.voucherRef(number: text, studio: "S1", period: Self.march, voucherClass: nil)
        #expect(ref.number == number && ref.voucherClass.rawValue == voucherClass)
    }

    @Test("bad voucher-number text is V029", arguments: ["", "abc", "记-", "记-0", "-3", "3.5", "记-99999999"])
    func badVoucherNumber(text: String) {
        #expect(throws: Rejection.self) {
            do { _ = try BooksDesk.voucherRef(number: text, studio: "S1", period: Self.march, voucherClass: nil) } catch let error as Rejection {
                #expect(error.code == .voucherNumberInvalid, "\(text): \(error)")
                throw error
            }
        }
    }

    @Test("a well-formed number naming no voucher is V020")
    func unknownVoucher() throws {
        let app = try T.app()
        do {
            _ = try app.books.voucherReport(try BooksDesk.voucherRef(number: "记-9", studio: "S1", period: Self.march, voucherClass: nil))
            Issue.record("no voucher 记-9")
        } catch let error as Rejection {
            #expect(error.code == .voucherUnknown)
        }
    }

    @Test("a finding key of the wrong shape is F001; a key of the right shape that the check does not raise is F002")
    func findingKeys() throws {
        let app = try T.app()
        for (key, code) in [("SUB-001/S1", RejectionCode.findingKeyInvalid), ("SUB-001/S1/2026-03/记-1/1", .findingUnknown)] {
            do {
                try app.compliance.note(finding: key, action: .explain, text: "说明")
                Issue.record("\(key) is refused")
            } catch let error as Rejection {
                #expect(error.code == code, "\(key)")
            }
        }
        #expect(try app.admin.log(action: "finding").isEmpty, "nothing written")
    }

    @Test("evidence: missing is E004; bytes that no longer match their hash are X012, an integrity failure")
    func evidence() throws {
        let app = try T.app()
        let posted = try app.store.books.post([T.receipt(fund: .subsidy, fen: 3_000_000)], stamp: Stamp(user: "t", at: "t", today: T.date("2026-11-20")))
        let file = try app.packages.addEvidence(Data("发票".utf8), fileName: "a.pdf", to: posted[0].ref)
        do {
            _ = try app.store.evidence.evidenceContent(sha256: String(repeating: "0", count: 64))
            Issue.record("no such evidence")
        } catch let error as Rejection {
            #expect(error.code == .evidenceMissing)
        }
        try app.store.unsafeExecuteForTesting("DROP TRIGGER evidence_blob_no_update")
        try app.store.unsafeExecuteForTesting("UPDATE evidence_blob SET content = X'000000000000' WHERE sha256 = '\(file.sha256)'")
        do {
            _ = try app.store.evidence.evidenceContent(sha256: file.sha256)
            Issue.record("tampered evidence is not handed out")
        } catch let error as IntegrityFailure {
            #expect(error.problem.code == .evidenceCorrupt)
        }
    }
}
