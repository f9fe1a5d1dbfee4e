import Crypto
@testable import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

@Suite("audit package", .serialized)
struct AuditPackageTests {
    final class Books: @unchecked Sendable {
        let directory: URL
        let app: LedgerApp
        let keyFile: URL
        let hostUnit = "91512002MA62Q8K514"
        let studio = "ZY2025-001"
        let asOf = TestLedger.date("2026-10-31")

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-package-\(UUID().uuidString)")
            app = try Demo.build(in: directory).app
            keyFile = directory.appendingPathComponent("keys/host.ed25519")
            _ = try app.packages.generateSigningKey(hostUnit: hostUnit, file: keyFile)
            _ = try app.packages.addEvidence(Data("发票扫描件".utf8), fileName: "invoice-0002.pdf", to: VoucherRef(
                studio: studio, period: try Period.parse("2025-12"), voucherClass: .ji, number: 2))
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func package() throws -> Data { try app.packages.auditPackage(studio: studio, asOf: asOf, keyFile: keyFile) }
    }

    static let shared = Result { try Books() }

    @Test("the same ledger and as-of day give the same bytes; making a package does not change the next")
    func deterministic() throws {
        let books = try Self.shared.get()
        let first = try books.package()
        try books.app.store.evidence.logExport(studio: books.studio, detail: "另一次导出", stamp: Stamp(user: "x", at: "2026-11-21T00:00:00Z", today: TestLedger.date("2026-11-21")))
        let second = try books.package()
        #expect(first == second)
        #expect(AuditPackage.verify(first).isClean)
    }

    @Test("the package holds statements, evidence, data files, README, and a manifest listing every file")
    func contents() throws {
        let books = try Self.shared.get()
        let data = try books.package()
        let files = try AuditPackage.contents(of: data)
        let manifest = try JSONDecoder().decode(PackageManifest.self, from: try #require(files["manifest.json"]))
        #expect(Set(manifest.files.map(\.path)).union(["manifest.json", "manifest.sig"]) == Set(files.keys))
        for kind in ["01-专项资金收支情况表", "03-科目余额表", "05-明细账", "07-记账凭证", "08-检查发现报告", "09-累计支出图"] {
            #expect(files["报表/\(kind).pdf"]?.starts(with: Data("%PDF".utf8)) == true)
            #expect(files["报表/\(kind).xlsx"]?.starts(with: Data("PK".utf8)) == true)
        }
        for path in ["数据/GBT24589/总账.xml", "数据/AO/GB18030/凭证库.csv", "数据/AO/UTF-8/凭证库.csv", "数据/books.journal", "数据/books.beancount", "README.txt", "签名公钥.pem"] {
            #expect(files[path] != nil, "\(path)")
        }
        let evidence = try #require(files.keys.first { $0.hasPrefix("证据/") && $0.hasSuffix(".pdf") })
        #expect(files[evidence] == Data("发票扫描件".utf8))
        let index = String(decoding: try #require(files["证据/证据索引.csv"]), as: UTF8.self)
        #expect(index.contains("记-0002") && index.contains("invoice-0002.pdf"))
        // Chain heads as the store has them.
        let head = try #require(try books.app.store.evidence.chainHead(studio: books.studio, asOf: books.asOf))
        #expect(manifest.voucherChain.sequence == head.sequence && manifest.voucherChain.hash == head.hash)
        #expect(manifest.operationLog.sequence > 0 && manifest.coverage.asOf == books.asOf)
        let covered = try books.app.books.journal(studio: books.studio).filter { $0.draft.date <= books.asOf }.count
        #expect(manifest.coverage.vouchers == covered)
        let key = try #require(try books.app.store.evidence.signingKey(hostUnit: try CreditCode(books.hostUnit)))
        #expect(manifest.signingKey.publicKey == key.publicKeyHex)
        let readme = String(decoding: try #require(files["README.txt"]), as: UTF8.self)
        #expect(readme.contains(key.fingerprint) && readme.contains("audit-package verify"))
        #expect(try books.app.admin.verify().isClean)
        #expect(try books.app.admin.log(action: "export.package").count >= 1)
    }

    @Test("openssl verifies the manifest signature with the packaged public key")
    func openssl() throws {
        let books = try Self.shared.get()
        let files = try AuditPackage.contents(of: try books.package())
        let folder = books.directory.appendingPathComponent("openssl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["manifest.json", "manifest.sig", "签名公钥.pem"] { try files[name]!.write(to: folder.appendingPathComponent(name)) }
        let args = ["pkeyutl", "-verify", "-pubin", "-inkey", folder.appendingPathComponent("签名公钥.pem").path, "-rawin",
                    "-in", folder.appendingPathComponent("manifest.json").path, "-sigfile", folder.appendingPathComponent("manifest.sig").path]
        let good = try ExternalTool.run("openssl", args)
        #expect(good.status == 0 && good.stdout.contains("Signature Verified Successfully"), "\(good.stdout) \(good.stderr)")
        var manifest = files["manifest.json"]!
        manifest[manifest.startIndex + 20] ^= 0x01
        try manifest.write(to: folder.appendingPathComponent("manifest.json"))
        #expect(try ExternalTool.run("openssl", args).status != 0)
    }

    @Test("verify catches one changed byte in any file")
    func changedByte() throws {
        let books = try Self.shared.get()
        let files = try AuditPackage.contents(of: try books.package())
        for path in files.keys.sorted() where path != "manifest.sig" {
            var tampered = files
            var bytes = tampered[path]!
            bytes[bytes.startIndex + bytes.count / 2] ^= 0x20
            tampered[path] = bytes
            let result = AuditPackage.verify(try AuditPackage.zipFiles(tampered))
            if path == "manifest.json" {
                #expect(result.problems.contains(.signatureInvalid) || result.manifest == nil, "\(path)")
            } else {
                #expect(result.problems == [.fileChanged(path)], "\(path)")
            }
        }
    }

    @Test(
        "verify reports removed and added files, bad signatures and untrusted keys",
        arguments: ["removed", "added", "signature flipped", "signed by another key", "no signature", "untrusted key", "not a zip"])
    func tampering(kind: String) throws {
        let books = try Self.shared.get()
        let original = try books.package()
        var files = try AuditPackage.contents(of: original)
        var trusted: String? = nil
        switch kind {
        case "removed": files["报表/03-科目余额表.pdf"] = nil
        case "added": files["报表/10-补充说明.txt"] = Data("后补".utf8)
        case "signature flipped": files["manifest.sig"]![files["manifest.sig"]!.startIndex] ^= 0xFF
        case "signed by another key":
            files["manifest.sig"] = try Curve25519.Signing.PrivateKey().signature(for: files["manifest.json"]!)
        case "no signature": files["manifest.sig"] = nil
        case "untrusted key": trusted = String(repeating: "ab", count: 32)
        default: break
        }
        let data = kind == "not a zip" ? Data("not a zip".utf8) : try AuditPackage.zipFiles(files)
        let result = AuditPackage.verify(data, trustedKey: trusted)
        let expected: [PackageVerification.Problem] = switch kind {
        case "removed": [.fileMissing("报表/03-科目余额表.pdf")]
        case "added": [.fileAdded("报表/10-补充说明.txt")]
        case "signature flipped", "signed by another key": [.signatureInvalid]
        case "no signature": [.signatureMissing]
        case "untrusted key": [.keyNotTrusted(expected: String(repeating: "ab", count: 32), found: result.manifest?.signingKey.publicKey ?? "")]
        default: [.manifestUnreadable("不是有效的 ZIP 文件")]
        }
        #expect(result.problems == expected)
        #expect(!result.isClean)
    }

    @Test("keys: a package needs the registered key; key files are never overwritten")
    func keys() throws {
        let books = try Self.shared.get()
        #expect(throws: Rejection.self) { _ = try books.app.packages.generateSigningKey(hostUnit: books.hostUnit, file: books.keyFile) }
        let stranger = books.directory.appendingPathComponent("keys/stranger.ed25519")
        try Data((Hex.encode(Curve25519.Signing.PrivateKey().rawRepresentation) + "\n").utf8).write(to: stranger)
        do {
            _ = try books.app.packages.auditPackage(studio: books.studio, asOf: books.asOf, keyFile: stranger)
            Issue.record("a key that is not the registered one is refused")
        } catch let error as Rejection {
            #expect(error.code == .signingKeyMismatch)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: books.keyFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        do {
            _ = try books.app.packages.auditPackage(studio: "ZY2025-002", asOf: books.asOf)
            Issue.record("a host unit without a key cannot sign")
        } catch let error as Rejection {
            #expect(error.code == .signingKeyMissing)
        }
    }

    @Test("evidence: no more files than 附单据张数, the same file once, stored once by SHA-256")
    func evidence() throws {
        let app = try TestLedger.app()
        let posted = try app.store.books.post([TestLedger.receipt(fund: .subsidy, fen: 3_000_000)], stamp: Stamp(user: "t", at: "2026-11-20T01:00:00Z", today: TestLedger.date("2026-11-20")))
        let ref = posted[0].ref  // attachments: 1
        let file = try app.packages.addEvidence(Data("a".utf8), fileName: "a.pdf", to: ref)
        #expect(file.sha256 == Hex.encode(SHA256.hash(data: Data("a".utf8))))
        #expect(throws: Rejection.self) { _ = try app.packages.addEvidence(Data("a".utf8), fileName: "again.pdf", to: ref) }
        do {
            _ = try app.packages.addEvidence(Data("b".utf8), fileName: "b.pdf", to: ref)
            Issue.record("a second file for a voucher with one attachment is refused")
        } catch let error as Rejection {
            #expect(error.code == .evidenceOverCount)
        }
        #expect(try app.store.evidence.evidence(studio: "S1").count == 1)
        #expect(try app.store.evidence.evidenceContent(sha256: file.sha256) == Data("a".utf8))
        #expect(throws: (any Error).self) { try app.store.unsafeExecuteForTesting("DELETE FROM evidence_link") }
        #expect(try app.admin.log(action: "evidence.add").count == 1)
    }
}
