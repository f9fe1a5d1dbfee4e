import Crypto
@_spi(Testing) import FundStore
@testable import FundApp
import FundCore
import FundTestSupport
import Foundation
import Testing

/// Signed checkpoints: a month closed and a package made sign the chain heads with the host
/// unit's key (never stored in the database); `verify` checks every signature and that the
/// chains still pass through the heads, with no file kept outside.
@Suite("signed checkpoints", .serialized)
struct CheckpointTests {
    typealias T = TestLedger

    final class Books: @unchecked Sendable {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-checkpoint-\(UUID().uuidString)")
        let app: LedgerApp
        let keyFile: URL

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            app = try T.app()
            keyFile = directory.appendingPathComponent("host.ed25519")
            _ = try app.store.books.post(
                [T.receipt(fund: .subsidy, fen: 3_000_000), T.simple(date: "2025-12-28", debit: "500102", credit: "100201", fen: 50_000)],
                stamp: Stamp(user: "李会计", at: "2026-01-02T01:00:00Z", today: T.date("2026-11-20")))
            _ = try app.packages.generateSigningKey(hostUnit: T.hostCode.description, file: keyFile)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("a close needs the key once the host unit has one; signed, it verifies; a package adds one more")
    func signedClose() throws {
        let books = try Books()
        let december = Period(year: 2025, month: 12)!
        do {
            try books.app.books.closePeriod(december, studio: "S1", keyFile: books.directory.appendingPathComponent("missing.ed25519"))
            Issue.record("a close without the key")
        } catch let error as Rejection {
            #expect(error.code == .signingKeyMissing)
        }
        #expect(try books.app.books.periodBook(studio: "S1").closedThrough == nil, "nothing written")
        #expect(try books.app.books.closePeriod(december, studio: "S1", keyFile: books.keyFile))
        _ = try books.app.packages.auditPackage(studio: "S1", asOf: T.date("2026-11-20"), keyFile: books.keyFile)
        let checkpoints = try books.app.store.evidence.checkpoints(studio: "S1")
        #expect(checkpoints.map(\.kind) == ["close", "package"])
        #expect(try books.app.admin.verify().isClean)
    }

    @Test("a voucher rewritten and re-hashed before a signed close is caught by verify alone (X017)")
    func rewriteBeforeCheckpoint() throws {
        let books = try Books()
        try books.app.books.closePeriod(Period(year: 2025, month: 12)!, studio: "S1", keyFile: books.keyFile)
        let store = books.app.store
        try store.unsafeExecuteForTesting("DROP TRIGGER voucher_no_update")
        try store.unsafeExecuteForTesting("UPDATE voucher SET counterparty = '另一家公司' WHERE seq = 2")
        let rewritten = try #require(try store.books.vouchers(studio: "S1").first { $0.sequence == 2 })
        let text = Canonical.voucherText(
            ref: rewritten.ref, draft: rewritten.draft, kind: rewritten.kind, postedBy: rewritten.postedBy, postedAt: rewritten.postedAt,
            sequence: rewritten.sequence, previousHash: rewritten.previousHash)
        try store.unsafeExecuteForTesting("UPDATE voucher SET hash = '\(Hex.encode(SHA256.hash(data: Data(text.utf8))))' WHERE seq = 2")
        let report = try books.app.admin.verify()
        #expect(report.problems.map(\.code) == [.checkpointBroken], "\(report.problems)")
        #expect(report.problems.first?.message.contains("凭证链第 2 条") == true)
    }

    @Test("a checkpoint not signed by a registered key is X017")
    func forgedCheckpoint() throws {
        let books = try Books()
        let heads = try books.app.store.evidence.checkpointHeads(studio: "S1")
        let forger = Curve25519.Signing.PrivateKey()
        let unsigned = Checkpoint(
            studio: "S1", hostUnit: T.hostCode.description, kind: "close", label: "2025-12", voucherSequence: heads.vouchers.sequence,
            voucherHash: heads.vouchers.hash, logSequence: heads.log.sequence, logHash: heads.log.hash, rowSequence: heads.rows.sequence,
            rowHash: heads.rows.hash, publicKeyHex: Hex.encode(forger.publicKey.rawRepresentation), signatureHex: "")
        let signature = Hex.encode(try forger.signature(for: Data(unsigned.signedText.utf8)))
        try books.app.store.evidence.recordCheckpoint(unsigned.signed(signature), stamp: Stamp(user: "x", at: "t", today: T.date("2026-11-20")))
        #expect(try books.app.admin.verify().problems.map(\.code) == [.checkpointBroken])
    }
}
