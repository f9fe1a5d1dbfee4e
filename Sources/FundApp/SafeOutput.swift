import FundCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files being written that must not outlive the process: a temporary file is registered
/// while it is written and removed on an error, or by `removeAll` when the process is
/// interrupted (the CLI calls it from its SIGINT/SIGTERM handler). Renaming a temporary file
/// over its target happens under the same lock, so an interruption either removes the
/// temporary file (the target is untouched) or finds the target complete.
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()

    private let lock = NSLock()
    private var paths: Set<String> = []
    private var stopped = false

    public init() {}

    /// The temporary files registered now.
    public var registered: [String] { lock.withLock { paths.sorted() } }

    /// Registers a temporary file; false once `removeAll` ran (the process is ending).
    @discardableResult
    public func register(_ path: String) -> Bool {
        lock.withLock {
            guard !stopped else { return false }
            paths.insert(path)
            return true
        }
    }

    /// Removes a registered temporary file from disk and from the registry.
    public func discard(_ path: String) {
        lock.withLock {
            _ = unlink(path)
            paths.remove(path)
        }
    }

    /// Renames a registered temporary file over `target` and forgets it.
    func commit(_ path: String, to target: String) throws {
        try lock.withLock {
            guard !stopped else { throw LedgerEnvironmentError("写入被中断：\(target) 未改动") }
            guard rename(path, target) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = unlink(path)
                paths.remove(path)
                throw LedgerEnvironmentError("无法把临时文件改名为 \(target)：\(reason)")
            }
            paths.remove(path)
        }
    }

    /// Removes every registered temporary file; later registrations and renames are refused.
    /// Returns the paths removed.
    @discardableResult
    public func removeAll() -> [String] {
        lock.withLock {
            stopped = true
            let removed = paths.sorted()
            for path in removed { _ = unlink(path) }
            paths.removeAll()
            return removed
        }
    }
}

/// What an output file must never replace: the ledger database with its `-wal`, `-shm` and
/// `-journal`, and the folders that hold signing keys.
public struct ProtectedPaths: Sendable {
    public var database: String?
    public var keyFolders: [String]
    /// Private key files kept outside a key folder (`--key-file`).
    public var keyFiles: [String]

    public init(database: String? = nil, keyFolders: [String] = [], keyFiles: [String] = []) {
        self.database = database
        self.keyFolders = keyFolders
        self.keyFiles = keyFiles
    }

    /// A ledger's database file and companions, and its default key folder beside it.
    public static func ledger(_ databasePath: String) -> ProtectedPaths {
        ProtectedPaths(database: databasePath, keyFolders: [databasePath + ".keys"])
    }

    /// No ledger known: only what is recognised on disk (an SQLite database and its companion
    /// files, anything in a `*.keys` folder, a `*.ed25519` key file) is protected.
    public static let detected = ProtectedPaths()
}

/// Writes output files so that nothing is clobbered: a protected path or something that is
/// not a regular file is refused (`O001`, `O002`, field `out`); the bytes go to a temporary
/// file beside the target (`.NAME.tmp-RANDOM`), which is synced and renamed over the target
/// (then the folder is synced); on any error, or an interruption, the temporary file is
/// removed and the target is left as it was.
public enum SafeOutput {
    /// Writes `data` to `path` ("-": standard output).
    public static func write(_ data: Data, to path: String, protecting protected: ProtectedPaths = .detected) throws {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        try write(to: path, protecting: protected) { handle in try handle.write(contentsOf: data) }
    }

    /// Writes what `produce` writes into the handle to `path` (never standard output).
    public static func write(
        to path: String, protecting protected: ProtectedPaths = .detected, registry: TemporaryFiles = .shared,
        _ produce: (FileHandle) throws -> Void
    ) throws {
        let target = try check(path, protecting: protected)
        let folder = target.deletingLastPathComponent().path
        var random = SystemRandomNumberGenerator()
        let suffix = String(random.next(), radix: 36)
        let temporary = folder + "/." + target.lastPathComponent + ".tmp-" + suffix
        guard registry.register(temporary) else { throw LedgerEnvironmentError("写入被中断：\(target.path) 未改动") }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            registry.discard(temporary)
            throw LedgerEnvironmentError("无法在 \(folder) 创建临时文件：\(reason)")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try produce(handle)
            guard fsync(descriptor) == 0 else { throw LedgerEnvironmentError("无法写入 \(target.path)：\(String(cString: strerror(errno)))") }
            close(descriptor)
        } catch {
            close(descriptor)
            registry.discard(temporary)
            throw error
        }
        try registry.commit(temporary, to: target.path)
        let folderDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// The target of an `--out`, refused when writing there could destroy something: the
    /// ledger database or a companion file, a key folder, or an existing file that is not a
    /// regular file. A missing folder is an environment error.
    @discardableResult
    public static func check(_ path: String, protecting protected: ProtectedPaths = .detected) throws -> URL {
        guard !path.isEmpty else { throw Rejection(.outputNotRegularFile, field: "out", "输出文件名为空") }
        let given = URL(fileURLWithPath: path).standardizedFileURL
        let name = given.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw Rejection(.outputNotRegularFile, field: "out", "\(path) 是目录，不是文件：请指定输出文件名")
        }
        var isFolder: ObjCBool = false
        let folderURL = given.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folderURL.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw LedgerEnvironmentError("输出目录 \(folderURL.path) 不存在")
        }
        let folder = resolved(folderURL.path)
        let target = URL(fileURLWithPath: folder).appendingPathComponent(name)
        var info = stat()
        if lstat(target.path, &info) == 0 {
            let kind = info.st_mode & S_IFMT
            if kind != S_IFREG {
                let what = kind == S_IFDIR ? "目录" : kind == S_IFLNK ? "符号链接" : kind == S_IFIFO ? "命名管道" : kind == S_IFCHR || kind == S_IFBLK ? "设备" : "特殊文件"
                throw Rejection(.outputNotRegularFile, field: "out", "\(path) 已存在且是\(what)，不是普通文件：不会写入，请指定普通文件路径")
            }
        }
        // The ledger database and its companions, named or recognised by their header.
        let companions = ["", "-wal", "-shm", "-journal"]
        if let database = protected.database.map(resolved) {
            if companions.contains(where: { target.path == database + $0 }) {
                throw Rejection(.outputProtected, field: "out", "\(path) 是账簿数据库\(target.path == database ? "" : "的配套文件")（\(database)），不会覆盖：请另选输出文件")
            }
        }
        for suffix in companions {
            let base = suffix.isEmpty ? target.path : String(target.path.dropLast(suffix.count))
            if (suffix.isEmpty || target.path.hasSuffix(suffix)), isSQLiteDatabase(base) {
                throw Rejection(.outputProtected, field: "out", "\(path) \(suffix.isEmpty ? "是" : "属于") SQLite 数据库 \(base)，不会覆盖：请另选输出文件")
            }
        }
        // Signing keys: the ledger's key folders, any `*.keys` folder, any folder holding keys.
        var keyFolders = protected.keyFolders.map(resolved)
        if let database = protected.database.map(resolved) { keyFolders.append(database + ".keys") }
        for keyFolder in keyFolders where folder == keyFolder || folder.hasPrefix(keyFolder + "/") {
            throw Rejection(.outputProtected, field: "out", "\(path) 在签名密钥目录 \(keyFolder) 内，不会写入：请另选输出目录")
        }
        var ancestor = URL(fileURLWithPath: folder)
        while ancestor.path != "/" {
            if ancestor.lastPathComponent.hasSuffix(".keys") {
                throw Rejection(.outputProtected, field: "out", "\(path) 在签名密钥目录 \(ancestor.path) 内，不会写入：请另选输出目录")
            }
            ancestor.deleteLastPathComponent()
        }
        let keyFiles = protected.keyFiles.map(resolved)
        if name.hasSuffix(".ed25519") || keyFiles.contains(target.path) {
            throw Rejection(.outputProtected, field: "out", "\(path) 是签名私钥文件（*.ed25519），不会覆盖：请另选输出文件")
        }
        return target
    }

    /// The path with symbolic links resolved (as far as it exists).
    static func resolved(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let real = realpath(absolute, nil) else {
            let parent = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
            guard parent != absolute, let realParent = realpath(parent, nil) else { return absolute }
            defer { free(realParent) }
            return URL(fileURLWithPath: String(cString: realParent)).appendingPathComponent(URL(fileURLWithPath: absolute).lastPathComponent).path
        }
        defer { free(real) }
        return String(cString: real)
    }

    /// A regular file that starts with SQLite's header.
    static func isSQLiteDatabase(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\0".utf8)
    }
}

extension LedgerApp {
    /// What this ledger's outputs must not replace: its database and companions, its default
    /// key folder.
    public var protectedPaths: ProtectedPaths { .ledger(databasePath) }

    /// Writes an output file of this ledger (see `SafeOutput`).
    public func writeOutput(_ data: Data, to path: String) throws {
        try SafeOutput.write(data, to: path, protecting: protectedPaths)
    }
}
