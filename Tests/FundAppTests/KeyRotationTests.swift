import Crypto
@_spi(Testing) import FundStore
@testable import FundApp
import FundCore
import FundTestSupport
import Foundation
import Testing

/// A host unit's signing key changes only by rotation, endorsed by the key it replaces; a key
/// row written behind the ledger's back fails `verify`; packages signed before a rotation stay
/// verifiable against the books.
@Suite("signing-key rotation", .serialized)
struct KeyRotationTests {
    typealias T = TestLedger

    final class Books: @unchecked Sendable {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-keys-\(UUID().uuidString)")
        let app: LedgerApp

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            app = try LedgerApp(path: directory.appendingPathComponent("l.sqlite").path, clock: T.clock, user: "李会计")
            _ = try app.register.initialize()
            _ = try app.register.addHostUnit(creditCode: T.hostCode.description, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
            _ = try app.register.addStudio(
                code: "S1", name: "S1 工作室", hostUnit: T.hostCode.description, leader: "张师傅", field: "数控", recognized: "2025-12-15",
                subsidy: "30000")
            _ = try app.store.books.post([T.receipt(fund: .subsidy, fen: 3_000_000)], stamp: Stamp(user: "李会计", at: "t", today: T.date("2026-11-20")))
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    @Test("a second key needs --rotate (K005); rotated, it is endorsed, old and new packages verify, verify is clean")
    func rotation() throws {
        let books = try Books()
        let packages = books.app.packages
        let (first, firstFile) = try packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil)
        let before = try packages.auditPackage(studio: "S1", asOf: T.date("2026-11-20"))
        do {
            _ = try packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil)
            Issue.record("a second key without --rotate")
        } catch let error as Rejection {
            #expect(error.code == .signingKeyExists)
        }
        let (second, secondFile) = try packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil, rotate: true)
        #expect(second.publicKeyHex != first.publicKeyHex)
        #expect(secondFile != firstFile && FileManager.default.fileExists(atPath: firstFile.path), "the old key file is kept")
        #expect(try packages.signingKeys(hostUnit: T.hostCode.description).count == 2)
        #expect(try books.app.admin.verify().isClean)
        // The new key signs by default; a package made before is still accepted by the books.
        let after = try packages.auditPackage(studio: "S1", asOf: T.date("2026-11-20"))
        #expect(AuditPackage.verify(after).manifest?.signingKey.publicKey == second.publicKeyHex)
        #expect(try packages.verifyPackage(before, publicKey: nil).verification.isClean)
        #expect(try packages.verifyPackage(after, publicKey: nil).verification.isClean)
    }

    @Test("rotating with a private key that is not the current one is refused (K003) and nothing is registered")
    func wrongCurrentKey() throws {
        let books = try Books()
        let packages = books.app.packages
        _ = try packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil)
        let stranger = books.directory.appendingPathComponent("stranger.ed25519")
        try Data((Hex.encode(Curve25519.Signing.PrivateKey().rawRepresentation) + "\n").utf8).write(to: stranger)
        do {
            _ = try packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil, rotate: true, currentKeyFile: stranger)
            Issue.record("a stranger's key cannot endorse")
        } catch let error as Rejection {
            #expect(error.code == .signingKeyMismatch)
        }
        #expect(try packages.signingKeys(hostUnit: T.hostCode.description).count == 1)
    }

    @Test("a key row inserted behind the ledger's back is X014 in verify, and the store refuses an unendorsed one (K006)")
    func unendorsedKey() throws {
        let books = try Books()
        _ = try books.app.packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil)
        let forged = Hex.encode(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
        do {
            _ = try books.app.store.evidence.registerSigningKey(
                hostUnit: try CreditCode(T.hostCode), publicKeyHex: forged, endorsement: "", stamp: Stamp(user: "x", at: "t", today: T.date("2026-11-20")))
            Issue.record("an unendorsed second key")
        } catch let error as Rejection {
            #expect(error.code == .keyEndorsementInvalid)
        }
        try books.app.store.unsafeExecuteForTesting(
            "INSERT INTO signing_key (host_unit, public_key, at, user) VALUES ('\(T.hostCode.description)', '\(forged)', 't', 'x')")
        let report = try books.app.admin.verify()
        #expect(report.problems.map(\.code) == [.keyUnendorsed, .rowTampered], "the unendorsed key, and a row the row chain never saw")
    }
}

extension KeyRotationTests {
    @Test("a package signed with a replaced key that the books never made is refused; one they made then is accepted")
    func oldKeyAfterRotation() throws {
        let books = try Books()
        let packages = books.app.packages
        let (_, oldFile) = try packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil)
        let genuine = try packages.auditPackage(studio: "S1", asOf: T.date("2026-11-20"))
        // A week later the key is rotated (another app over the same file, a later clock).
        let later = try LedgerApp(
            path: books.app.databasePath, clock: FixedClock(instant: "2026-11-27T01:00:00Z", today: T.date("2026-11-27")), user: "李会计")
        _ = try later.packages.generateSigningKey(hostUnit: T.hostCode.description, file: nil, rotate: true)
        #expect(try later.packages.verifyPackage(genuine, publicKey: nil).verification.isClean, "made with the key current then")
        // Someone with the old private key signs a package the books never made (another as-of day).
        let files = try AuditPackage.contents(of: genuine)
        let oldKey = try Curve25519.Signing.PrivateKey(
            rawRepresentation: try #require(Hex.decode(String(contentsOf: oldFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))))
        var manifest = String(decoding: try #require(files["manifest.json"]), as: UTF8.self)
        manifest = manifest.replacingOccurrences(of: "\"asOf\" : \"2026-11-20\"", with: "\"asOf\" : \"2026-11-19\"")
        var forgedFiles = files
        forgedFiles["manifest.json"] = Data(manifest.utf8)
        forgedFiles["manifest.sig"] = try oldKey.signature(for: Data(manifest.utf8))
        let forged = try AuditPackage.zipFiles(forgedFiles)
        let check = try later.packages.verifyPackage(forged, publicKey: nil)
        #expect(!check.verification.isClean, "\(check.verification.problems)")
    }
}
