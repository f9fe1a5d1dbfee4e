@testable import FundApp
import FundCore
import FundStore
import FundTestSupport
import Foundation
import Testing

/// Outputs never clobber: the ledger, its keys and non-regular files are refused; a write is a
/// temporary file renamed into place, gone after an error or an interruption; the package is
/// logged only once it is in place.
@Suite("safe outputs", .serialized)
struct SafeOutputTests {
    static let shared = Result { try PackageTrustTests.Books() }

    static func sha(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    func exports(_ app: LedgerApp) throws -> Int { try app.store.admin.log(studio: "S1", user: nil, action: "export.").count }

    func leftovers(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
    }

    @Test(
        "an --out that is the database, its -wal or -shm, inside the key folder, a key, a device, a FIFO, a directory or a symlink is refused and nothing changes",
        arguments: ["database", "wal", "shm", "default key folder", "key folder", "key file", "/dev/null", "fifo", "directory", "symlink"])
    func refused(kind: String) throws {
        let books = try Self.shared.get()
        let app = books.app
        let database = URL(fileURLWithPath: app.databasePath)
        let folder = books.directory
        let target: String = switch kind {
        case "database": database.path
        case "wal": database.path + "-wal"
        case "shm": database.path + "-shm"
        case "default key folder": database.path + ".keys/p.zip"
        case "key folder": books.keyFile.deletingLastPathComponent().appendingPathComponent("p.zip").path
        case "key file": books.keyFile.path
        case "/dev/null": "/dev/null"
        case "fifo": folder.appendingPathComponent("pipe").path
        case "directory": folder.appendingPathComponent("sub").path
        default: folder.appendingPathComponent("link.zip").path
        }
        if kind == "default key folder" { try FileManager.default.createDirectory(atPath: database.path + ".keys", withIntermediateDirectories: true) }
        if kind == "fifo" && !FileManager.default.fileExists(atPath: target) { #expect(mkfifo(target, 0o600) == 0) }
        if kind == "directory" { try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true) }
        if kind == "symlink" && !FileManager.default.fileExists(atPath: target) {
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: database.path)
        }
        let before = try Data(contentsOf: database)
        let keyBefore = try Data(contentsOf: books.keyFile)
        let logged = try exports(app)
        do {
            _ = try app.packages.writeAuditPackage(studio: "S1", asOf: TestLedger.date("2026-10-31"), keyFile: books.keyFile, to: target)
            Issue.record("\(kind): written")
        } catch let rejection as Rejection {
            #expect(rejection.field == "out")
            let expected: RejectionCode = ["/dev/null", "fifo", "directory", "symlink"].contains(kind) ? .outputNotRegularFile : .outputProtected
            #expect(rejection.code == expected, "\(kind): \(rejection)")
            #expect(rejection.message.contains("不会"), "\(rejection.message)")
        }
        // The same for every other output (reports, exports) written through the app (which
        // knows its default key folder, not a --key-file's).
        if kind != "key folder" { #expect(throws: Rejection.self) { try app.writeOutput(Data("报表".utf8), to: target) } }
        #expect(try Data(contentsOf: database) == before)
        #expect(try Data(contentsOf: books.keyFile) == keyBefore)
        #expect(try app.admin.verify().isClean)
        #expect(try exports(app) == logged, "nothing logged")
        #expect(try leftovers(in: folder).isEmpty)
    }

    @Test("without the app, an SQLite database, its companions, a *.keys folder and a key file are still recognised")
    func detectedWithoutTheApp() throws {
        let books = try Self.shared.get()
        let database = books.app.databasePath
        for target in [database, database + "-wal", database + "-shm", books.directory.appendingPathComponent("x.keys/a.csv").path, books.keyFile.path] {
            try? FileManager.default.createDirectory(at: books.directory.appendingPathComponent("x.keys"), withIntermediateDirectories: true)
            #expect(throws: Rejection.self, "\(target)") { try SafeOutput.write(Data("x".utf8), to: target) }
        }
        #expect(try books.app.admin.verify().isClean)
    }

    @Test("a written package replaces the target whole, leaves no temporary file, and is logged after the rename")
    func writtenAndLogged() throws {
        let books = try Self.shared.get()
        let target = books.directory.appendingPathComponent("审计资料包.zip")
        try Data("旧文件".utf8).write(to: target)
        let logged = try exports(books.app)
        let written = try books.app.packages.writeAuditPackage(studio: "S1", asOf: TestLedger.date("2026-10-31"), keyFile: books.keyFile, to: target.path)
        #expect(written.verification.isClean)
        #expect(try Data(contentsOf: target) == written.data)
        #expect(try exports(books.app) == logged + 1)
        #expect(try leftovers(in: books.directory).isEmpty)
        // A missing folder: environment error, nothing logged.
        #expect(throws: LedgerEnvironmentError.self) {
            try books.app.packages.writeAuditPackage(
                studio: "S1", asOf: nil, keyFile: books.keyFile, to: books.directory.appendingPathComponent("nope/p.zip").path)
        }
        #expect(try exports(books.app) == logged + 1)
    }

    struct Interrupted: Error {}

    @Test("a write that fails half-way removes its temporary file and leaves the target as it was")
    func failedWriteLeavesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wl-safe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.pdf")
        try Data("原来的报表".utf8).write(to: target)
        let registry = TemporaryFiles()
        var sawTemporary: [String] = []
        #expect(throws: Interrupted.self) {
            try SafeOutput.write(to: target.path, registry: registry) { handle in
                try handle.write(contentsOf: Data(count: 100_000))
                sawTemporary = registry.registered
                throw Interrupted()
            }
        }
        #expect(sawTemporary.count == 1)
        #expect(sawTemporary.first.map { URL(fileURLWithPath: $0).lastPathComponent.hasPrefix(".report.pdf.tmp-") } == true)
        #expect(try leftovers(in: folder).isEmpty)
        #expect(registry.registered.isEmpty)
        #expect(try Data(contentsOf: target) == Data("原来的报表".utf8))
    }

    @Test("an interruption (what the CLI's SIGINT/SIGTERM handler calls) removes the file being written; the target stays as it was")
    func interruptionCleansUp() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wl-safe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("p.zip")
        let registry = TemporaryFiles()
        var removed: [String] = []
        #expect(throws: LedgerEnvironmentError.self) {
            try SafeOutput.write(to: target.path, registry: registry) { handle in
                try handle.write(contentsOf: Data("一半".utf8))
                removed = registry.removeAll()
            }
        }
        #expect(removed.count == 1)
        #expect(try leftovers(in: folder).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(!registry.register(folder.appendingPathComponent("later").path), "nothing new starts once interrupted")
    }
}
