import Crypto
@testable import FundApp
import FundCore
import FundExchange
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// `audit-package verify` trusts nothing it cannot pin, and reads a hostile ZIP without
/// following it anywhere; a package is never cut from tampered books.
@Suite("audit package: trust and hostile files", .serialized)
struct PackageTrustTests {
    /// A small ledger in a file, with a host unit key in its own folder.
    final class Books: @unchecked Sendable {
        let directory: URL
        let app: LedgerApp
        let keyFile: URL
        let studio = "S1"

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-trust-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            app = try LedgerApp(path: directory.appendingPathComponent("books.sqlite").path, clock: TestLedger.clock, user: "测试员")
            _ = try app.register.initialize()
            _ = try app.register.addHostUnit(creditCode: TestLedger.hostCode, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
            _ = try app.register.addStudio(
                code: studio, name: "S1 工作室", hostUnit: TestLedger.hostCode, leader: "张师傅", field: "数控加工",
                recognized: "2025-12-15", subsidy: "30000")
            try app.store.books.post(
                [TestLedger.receipt(fund: .subsidy, fen: 3_000_000), TestLedger.simple(date: "2026-01-08", debit: "500101", credit: "100201", fen: 120_000)],
                stamp: Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: TestLedger.date("2026-11-20")))
            keyFile = directory.appendingPathComponent("keys/host.ed25519")
            _ = try app.packages.generateSigningKey(hostUnit: TestLedger.hostCode.description, file: keyFile)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func package() throws -> Data { try app.packages.auditPackage(studio: studio, asOf: TestLedger.date("2026-10-31"), keyFile: keyFile) }

        func privateKey() throws -> Curve25519.Signing.PrivateKey {
            let hex = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            return try Curve25519.Signing.PrivateKey(rawRepresentation: try #require(Hex.decode(hex)))
        }
    }

    static let shared = Result { try Books() }

    /// The package's files with the manifest replaced by `change(manifest)`, signed by `key`.
    static func resigned(_ files: [String: Data], by key: Curve25519.Signing.PrivateKey, _ change: (inout String) -> Void) throws -> Data {
        var text = String(decoding: files["manifest.json"]!, as: UTF8.self)
        change(&text)
        var files = files
        files["manifest.json"] = Data(text.utf8)
        files["manifest.sig"] = try key.signature(for: Data(text.utf8))
        return try AuditPackage.zipFiles(files)
    }

    // MARK: Who signed

    @Test("without a registered key or --public-key the package is not clean: the signer is unconfirmed")
    func unpinnedIsNotClean() throws {
        let books = try Self.shared.get()
        let data = try books.package()
        #expect(AuditPackage.verify(data).isClean, "the package itself is intact")
        let alone = PackagesDesk.verifyPackage(data, publicKey: nil)
        #expect(!alone.verification.isClean)
        #expect(alone.verification.problems.count == 1)
        guard case .signerUnconfirmed = alone.verification.problems.first else { Issue.record("\(alone.verification.problems)"); return }
        #expect(alone.verification.problems[0].description.hasPrefix("未能确认签名人"))
        #expect(alone.verification.problems[0].description.contains("--public-key"))
        // Books that register no key for this host unit do not pin it either.
        let other = try TestLedger.app(studios: [])
        let unregistered = try other.packages.verifyPackage(data, publicKey: nil)
        #expect(!unregistered.verification.isClean && unregistered.pinnedBy == nil)
        // The registered key pins it.
        let pinned = try books.app.packages.verifyPackage(data, publicKey: nil)
        #expect(pinned.verification.isClean, "\(pinned.verification.problems)")
        #expect(pinned.pinnedBy?.contains("现行公钥") == true)
    }

    @Test("a package re-signed by another key fails against --public-key of the real one and against the books")
    func resignedByAnotherKey() throws {
        let books = try Self.shared.get()
        let data = try books.package()
        let real = try #require(AuditPackage.verify(data).manifest).signingKey.publicKey
        let forger = Curve25519.Signing.PrivateKey()
        let forgedKey = Hex.encode(forger.publicKey.rawRepresentation)
        let forged = try Self.resigned(try AuditPackage.contents(of: data), by: forger) { $0 = $0.replacingOccurrences(of: real, with: forgedKey) }
        // The forgery is self-consistent: alone it only lacks a pinned signer.
        #expect(AuditPackage.verify(forged).isClean)
        let given = PackagesDesk.verifyPackage(forged, publicKey: real)
        #expect(given.verification.problems == [.keyNotTrusted(expected: real, found: forgedKey)])
        let registered = try books.app.packages.verifyPackage(forged, publicKey: nil)
        #expect(registered.verification.problems == [.keyNotTrusted(expected: real, found: forgedKey)])
    }

    @Test("key history: a package signed with an earlier registered key is accepted (and says so) unless the manifest's time names another key")
    func keyHistory() throws {
        let books = try Books()
        let data = try books.package()
        let oldKey = try books.privateKey()
        let files = try AuditPackage.contents(of: data)
        // The new key is registered a week later (another app over the same file, a later clock).
        let later = try LedgerApp(
            path: books.app.databasePath, clock: FixedClock(instant: "2026-11-27T01:00:00Z", today: TestLedger.date("2026-11-27")), user: "测试员")
        _ = try later.packages.generateSigningKey(
            hostUnit: TestLedger.hostCode.description, file: books.directory.appendingPathComponent("keys/host-2.ed25519"), rotate: true,
            currentKeyFile: books.keyFile)
        let keys = try books.app.packages.signingKeys(hostUnit: TestLedger.hostCode.description)
        #expect(keys.count == 2)
        let earlier = try books.app.packages.verifyPackage(data, publicKey: nil)
        #expect(earlier.verification.isClean, "\(earlier.verification.problems)")
        #expect(earlier.pinnedBy?.contains("生成时") == true, "the books' record of making it names the key then current: \(earlier.pinnedBy ?? "")")
        // With a creation time the key current then is the one that must have signed.
        let stamped = { (at: String) in
            try Self.resigned(files, by: oldKey) { $0 = $0.replacingOccurrences(of: "\n}", with: ",\n  \"createdAt\" : \"\(at)\"\n}") }
        }
        let before = try books.app.packages.verifyPackage(try stamped("0000-01-01T00:00:00Z"), publicKey: nil)
        #expect(before.verification.problems == [.noKeyAtCreation(found: keys[0].publicKeyHex, at: "0000-01-01T00:00:00Z")], "no key was registered then")
        let replaced = try books.app.packages.verifyPackage(try stamped("9999-12-31T00:00:00Z"), publicKey: nil)
        #expect(replaced.verification.problems.contains { if case .keyNotCurrent = $0 { true } else { false } }, "\(replaced.verification.problems)")
        let then = try books.app.packages.verifyPackage(try stamped(keys[0].at), publicKey: nil)
        #expect(then.verification.isClean, "\(then.verification.problems)")
    }

    // MARK: Hostile ZIPs

    /// A package rebuilt by Python's zipfile from `files` (in order; duplicates kept), with
    /// `links` (name → target) as symbolic-link entries.
    static func pythonZIP(_ files: [(String, Data)], links: [(String, String)] = [], in directory: URL) throws -> Data {
        let folder = directory.appendingPathComponent("zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var listing: [[String]] = []
        for (index, (name, data)) in files.enumerated() {
            try data.write(to: folder.appendingPathComponent("\(index)"))
            listing.append(["file", name, "\(index)"])
        }
        for (name, target) in links { listing.append(["link", name, target]) }
        try JSONSerialization.data(withJSONObject: listing).write(to: folder.appendingPathComponent("listing.json"))
        let script = """
            import json, os, sys, zipfile
            folder = sys.argv[1]
            listing = json.load(open(os.path.join(folder, "listing.json")))
            import warnings; warnings.simplefilter("ignore")
            with zipfile.ZipFile(os.path.join(folder, "out.zip"), "w", zipfile.ZIP_DEFLATED) as z:
                for kind, name, what in listing:
                    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.create_system = 3
                    if name.endswith("/"):
                        info.external_attr = (0o40755 << 16) | 0x10
                        z.writestr(info, b"")
                    elif kind == "link":
                        info.external_attr = 0o120777 << 16
                        z.writestr(info, what)
                    else:
                        info.external_attr = 0o100644 << 16
                        z.writestr(info, open(os.path.join(folder, what), "rb").read())
            """
        try script.write(to: folder.appendingPathComponent("make.py"), atomically: true, encoding: .utf8)
        let result = try ExternalTool.run("python3", [folder.appendingPathComponent("make.py").path, folder.path])
        try #require(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: folder.appendingPathComponent("out.zip"))
    }

    @Test(
        "hostile entries are each a named problem",
        arguments: ["duplicate", "symlink", "dot-dot", "absolute", "oversized", "unlisted", "folder entry"])
    func hostileEntries(kind: String) throws {
        let books = try Self.shared.get()
        let files = try AuditPackage.contents(of: try books.package())
        var entries = files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var links: [(String, String)] = []
        let journal = "数据/books.journal"
        switch kind {
        case "duplicate": entries.insert((journal, Data("伪造的账簿".utf8)), at: 0)
        case "symlink":
            entries.removeAll { $0.0 == journal }
            links = [(journal, "/etc/passwd")]
        case "dot-dot": entries.append(("../x", Data("越界".utf8)))
        case "absolute": entries.append(("/tmp/x", Data("绝对路径".utf8)))
        case "oversized": entries = entries.map { $0.0 == journal ? ($0.0, $0.1 + Data(count: 1 << 20)) : $0 }
        case "folder entry": entries.insert(("报表/", Data()), at: 0)
        default: entries.append(("报表/补充.txt", Data("清单外".utf8)))
        }
        let data = try Self.pythonZIP(entries, links: links, in: books.directory)
        let problems = AuditPackage.verify(data).problems
        let declared = try #require(AuditPackage.verify(try books.package()).manifest?.files.first { $0.path == journal }).size
        let expected: [PackageVerification.Problem] = switch kind {
        case "duplicate": [.duplicateEntry(journal)]
        case "symlink": [.symlinkEntry(journal)]
        case "dot-dot": [.unsafePath("../x")]
        case "absolute": [.unsafePath("/tmp/x")]
        case "oversized": [.entryTooLarge(journal, declared: declared)]
        case "folder entry": [.fileAdded("报表/")]
        default: [.fileAdded("报表/补充.txt")]
        }
        #expect(problems == expected)
        #expect(problems.allSatisfy { !$0.description.isEmpty })
        // The hostile ZIP is not handed out as a package's contents either (an unlisted file is
        // a verification matter only).
        if !["oversized", "unlisted", "folder entry"].contains(kind) { #expect(throws: (any Error).self) { try AuditPackage.contents(of: data) } }
    }

    static func peakResidentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])! * 1024
    }

    @Test("a ZIP bomb (500 MB of zeros in a listed entry, its sizes forged small; and as manifest.json) fails fast within bounded memory")
    func zipBomb() throws {
        let books = try Self.shared.get()
        let files = try AuditPackage.contents(of: try books.package())
        let folder = books.directory.appendingPathComponent("bomb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, data) in files where name != "数据/books.journal" && name != "manifest.json" {
            let url = folder.appendingPathComponent("files").appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        try files["manifest.json"]!.write(to: folder.appendingPathComponent("manifest.json"))
        // The bomb is written in a stream (1 MiB of zeros at a time); its local and central
        // sizes are then patched to 12 bytes, so only reading can tell.
        let script = """
            import os, struct, sys, zipfile
            folder, bomb_name, forge, out = sys.argv[1], sys.argv[2], sys.argv[3] == "forge", sys.argv[4]
            base = os.path.join(folder, "files")
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for root, _, names in os.walk(base):
                    for name in names:
                        path = os.path.join(root, name)
                        z.write(path, os.path.relpath(path, base))
                if bomb_name != "manifest.json":
                    z.write(os.path.join(folder, "manifest.json"), "manifest.json")
                info = zipfile.ZipInfo(bomb_name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with z.open(info, "w", force_zip64=False) as f:
                    zeros = bytes(1 << 20)
                    for _ in range(500):
                        f.write(zeros)
            if forge:
                data = bytearray(open(out, "rb").read())
                name = bomb_name.encode("utf-8")
                for signature, offset, name_at in ((b"PK\\x03\\x04", 22, 30), (b"PK\\x01\\x02", 24, 46)):
                    start = 0
                    while True:
                        at = data.find(signature, start)
                        if at < 0: break
                        length = struct.unpack_from("<H", data, at + (26 if signature == b"PK\\x03\\x04" else 28))[0]
                        if data[at + name_at: at + name_at + length] == name:
                            struct.pack_into("<I", data, at + offset, 12)
                        start = at + 4
                open(out, "wb").write(bytes(data))
            """
        try script.write(to: folder.appendingPathComponent("bomb.py"), atomically: true, encoding: .utf8)
        for (name, forge) in [("数据/books.journal", true), ("数据/books.journal", false), ("manifest.json", true), ("manifest.json", false)] {
            let out = folder.appendingPathComponent("bomb.zip")
            let made = try ExternalTool.run("python3", [folder.appendingPathComponent("bomb.py").path, folder.path, name, forge ? "forge" : "honest", out.path])
            try #require(made.status == 0, "\(made.stderr)")
            let data = try Data(contentsOf: out)
            #expect(data.count < 5 << 20, "the bomb is small: \(data.count)")
            let peak = try Self.peakResidentBytes()
            let started = Date()
            let result = AuditPackage.verify(data)
            let seconds = Date().timeIntervalSince(started)
            let grown = try Self.peakResidentBytes() - peak
            #expect(!result.isClean)
            if name == "manifest.json" {
                #expect(result.problems == [.manifestTooLarge(limit: AuditPackage.manifestLimit)], "\(result.problems)")
            } else {
                let declared = try #require(result.manifest?.files.first { $0.path == name }).size
                #expect(result.problems == [.entryTooLarge(name, declared: declared)], "\(result.problems)")
            }
            #expect(seconds < 5, "fails fast: \(seconds) s")
            #expect(grown < 64 << 20, "bounded memory: the peak grew by \(grown / 1024 / 1024) MiB")
        }
    }

    // MARK: Tampered books

    @Test("a package is not cut from tampered books: IntegrityFailure with the verify code")
    func tamperedBooksRefused() throws {
        let app = try TestLedger.app()
        try app.store.books.post(
            [TestLedger.receipt(fund: .subsidy, fen: 3_000_000), TestLedger.simple(date: "2026-01-08", debit: "500101", credit: "100201", fen: 1_200_000)],
            stamp: Stamp(user: "u", at: "2026-11-20T01:00:00Z", today: TestLedger.date("2026-11-20")))
        try app.store.unsafeExecuteForTesting("DROP TRIGGER posting_no_update")
        try app.store.unsafeExecuteForTesting(
            "UPDATE posting SET amount_fen = 1100000 WHERE voucher_id = (SELECT id FROM voucher WHERE period = 202601 AND number = 1) AND line_no = 1")
        do {
            _ = try app.packages.auditPackage(studio: "S1", asOf: TestLedger.date("2026-10-31"))
            Issue.record("a package was built from tampered books")
        } catch let failure as IntegrityFailure {
            #expect([.hashMismatch, .balanceMismatch].contains(failure.problem.code), "\(failure)")
            #expect(failure.problem.studio == "S1")
        }
        #expect(try app.store.admin.log(studio: "S1", user: nil, action: "export.").isEmpty, "nothing logged")
    }
}
