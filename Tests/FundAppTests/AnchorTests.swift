import Crypto
@_spi(Testing) import FundStore
@testable import FundApp
import FundCore
import FundTestSupport
import Foundation
import Testing

/// `verify --against`: a voucher rewritten with its hash recomputed, or the end of the log cut
/// off, still links as a chain; the package's signed checkpoint in the file catches it, and
/// the heads the package recorded when it was handed over catch it even when the checkpoints
/// in the file are gone too.
@Suite("anchors outside the file", .serialized)
struct AnchorTests {
    typealias T = TestLedger

    final class Handed: @unchecked Sendable {
        let directory: URL
        let app: LedgerApp
        let package: Data
        let manifest: Data

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-anchor-\(UUID().uuidString)")
            app = try T.app()
            _ = try app.store.books.post(
                [
                    T.receipt(fund: .subsidy, fen: 3_000_000),
                    T.simple(date: "2026-03-10", debit: "500102", credit: "100201", fen: 123_400, memo: "培训费"),
                ],
                stamp: Stamp(user: "李会计", at: "2026-03-11T01:00:00Z", today: T.date("2026-11-20")))
            let keyFile = directory.appendingPathComponent("host.ed25519")
            _ = try app.packages.generateSigningKey(hostUnit: T.hostCode.description, file: keyFile)
            package = try app.packages.auditPackage(studio: "S1", asOf: T.date("2026-11-20"), keyFile: keyFile)
            manifest = try #require(try AuditPackage.contents(of: package)["manifest.json"])
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("untouched books extend what was handed over, against the package and against its manifest alone")
    func clean() throws {
        let handed = try Handed()
        #expect(try handed.app.admin.verify(against: handed.package, file: "p.zip").isClean)
        #expect(try handed.app.admin.verify(against: handed.manifest, file: "manifest.json").isClean)
        // Books that only grew since are still their continuation.
        _ = try handed.app.store.books.post(
            [T.simple(date: "2026-11-15", debit: "500103", credit: "100201", fen: 10_000)],
            stamp: Stamp(user: "李会计", at: "2026-11-16T01:00:00Z", today: T.date("2026-11-20")))
        #expect(try handed.app.admin.verify(against: handed.package, file: "p.zip").isClean)
    }

    @Test("a voucher rewritten and its hash recomputed: caught by the signed checkpoint and against the package")
    func rewriteAndRechain() throws {
        let handed = try Handed()
        let store = handed.app.store
        for trigger in ["voucher_no_update"] { try store.unsafeExecuteForTesting("DROP TRIGGER IF EXISTS \(trigger)") }
        try store.unsafeExecuteForTesting("UPDATE voucher SET counterparty = '另一家公司' WHERE seq = 2")
        // Re-hash the rewritten voucher the way posting does: the chain still links.
        let rewritten = try #require(try store.books.vouchers(studio: "S1").first { $0.sequence == 2 })
        let text = Canonical.voucherText(
            ref: rewritten.ref, draft: rewritten.draft, kind: rewritten.kind, postedBy: rewritten.postedBy,
            postedAt: rewritten.postedAt, sequence: rewritten.sequence, previousHash: rewritten.previousHash)
        let hash = Hex.encode(SHA256.hash(data: Data(text.utf8)))
        try store.unsafeExecuteForTesting("UPDATE voucher SET hash = '\(hash)' WHERE seq = 2")
        #expect(try handed.app.admin.verify().problems.map(\.code) == [.checkpointBroken], "the chain links; the package's checkpoint does not")
        let against = try handed.app.admin.verify(against: handed.package, file: "p.zip")
        #expect(against.problems.contains { $0.code == .anchorMismatch && $0.message.contains("第 2 张") })
        #expect(!(try handed.app.admin.verify(against: handed.manifest, file: "manifest.json").isClean))
    }

    @Test("the end of the log cut off: caught by the signed checkpoint and against the package")
    func truncatedLog() throws {
        let handed = try Handed()
        let store = handed.app.store
        let last = try #require(try store.admin.log().last?.sequence)
        try store.unsafeExecuteForTesting("DROP TRIGGER IF EXISTS op_log_no_delete")
        // The export entry and the two entries before the package's head go.
        try store.unsafeExecuteForTesting("DELETE FROM op_log WHERE seq > \(last - 3)")
        #expect(try handed.app.admin.verify().problems.map(\.code) == [.checkpointBroken], "a cut log still links; the checkpoint does not")
        let against = try handed.app.admin.verify(against: handed.package, file: "p.zip")
        #expect(against.problems.contains { $0.code == .anchorMismatch && $0.message.contains("截断") })
    }

    @Test("a file that is neither a package nor a heads file is refused as input (K004)")
    func notAnAnchor() throws {
        let handed = try Handed()
        do {
            _ = try handed.app.admin.verify(against: Data("hello".utf8), file: "x.txt")
            Issue.record("refused")
        } catch let error as LocatedRejection {
            #expect(error.rejection.code == .anchorFileInvalid && error.file == "x.txt")
        }
    }
}
