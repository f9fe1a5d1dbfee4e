import Crypto
import FundCore
import FundExchange
import FundRender
import FundReports
import FundStore
import Foundation
import ZIPFoundation

/// `manifest.json` of an audit package: what it covers, the chain heads it was cut from, the
/// signing key, and every file with its size and SHA-256.
public struct PackageManifest: Sendable, Codable, Equatable {
    public struct Generator: Sendable, Codable, Equatable {
        public let name: String
        public let version: String
    }

    public struct StudioInfo: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
        public let leader: String
        public let field: String
        public let recognized: CalendarDate
        public let constructionWindowEnd: CalendarDate
        public let approvedSubsidyFen: Money
    }

    public struct HostUnitInfo: Sendable, Codable, Equatable {
        public let creditCode: String
        public let name: String
        public let kind: String
        public let county: String
    }

    public struct FundInfo: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
    }

    public struct ChainHead: Sendable, Codable, Equatable {
        /// Position in the chain (1-based); 0 with the genesis hash for an empty chain.
        public let sequence: Int
        public let hash: String
    }

    public struct Coverage: Sendable, Codable, Equatable {
        public let from: Period
        public let to: Period
        public let asOf: CalendarDate
        public let vouchers: Int
    }

    public struct SigningKeyInfo: Sendable, Codable, Equatable {
        public let algorithm: String
        public let publicKey: String
        public let fingerprint: String
    }

    public struct FileEntry: Sendable, Codable, Equatable {
        public let path: String
        public let size: Int
        public let sha256: String
    }

    public let format: String
    public let generator: Generator
    public let studio: StudioInfo
    public let hostUnit: HostUnitInfo
    public let funds: [FundInfo]
    public let coverage: Coverage
    public let voucherChain: ChainHead
    public let operationLog: ChainHead
    public let signingKey: SigningKeyInfo
    public let files: [FileEntry]
    /// When the package was made (ISO 8601), for telling which of a host unit's keys was current
    /// then. Packages leave it out (their bytes depend only on the books and the day), so a
    /// package signed by any key the host unit registered is accepted, and verify says which.
    public var createdAt: String? = nil
    /// The host unit's 涉密 marking (第十二条) when it is in force, and whether the evidence
    /// files were included on purpose; absent for an unmarked host unit.
    public var confidentiality: Confidentiality? = nil

    public struct Confidentiality: Sendable, Codable, Equatable {
        public let marking: String
        public let basis: String
        public let since: CalendarDate
        public let evidenceIncluded: Bool
    }

    public static let formatName = "workshop-ledger-audit-package/1"
}

/// What `audit-package verify` found.
public struct PackageVerification: Sendable {
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        case manifestMissing
        case manifestUnreadable(String)
        case signatureMissing
        case signatureInvalid
        case keyNotTrusted(expected: String, found: String)
        case fileMissing(String)
        case fileChanged(String)
        case fileAdded(String)
        case duplicateEntry(String)
        case symlinkEntry(String)
        case unsafePath(String)
        case entryTooLarge(String, declared: Int)
        case manifestTooLarge(limit: Int)
        /// No registered key and no `--public-key`: anyone could have signed it.
        case signerUnconfirmed(found: String)
        /// Signed by a key of the host unit, but not the one current when the package was made.
        case keyNotCurrent(expected: String, found: String, at: String)
        /// The manifest's creation time is before the host unit registered any key.
        case noKeyAtCreation(found: String, at: String)

        public var description: String {
            switch self {
            case .manifestMissing: "缺少 manifest.json"
            case .manifestUnreadable(let why): "manifest.json 无法读取：\(why)"
            case .signatureMissing: "缺少 manifest.sig"
            case .signatureInvalid: "签名无效：manifest.json 被改动，或签名不是清单所列公钥所签"
            case .keyNotTrusted(let expected, let found): "签名公钥 \(found) 不是登记的公钥 \(expected)"
            case .fileMissing(let path): "缺少文件：\(path)"
            case .fileChanged(let path): "文件被改动（大小或 SHA-256 不符）：\(path)"
            case .fileAdded(let path): "清单外的文件：\(path)"
            case .duplicateEntry(let path): "ZIP 中同名条目出现不止一次（可能有伪造的副本）：\(path)"
            case .symlinkEntry(let path): "ZIP 中有符号链接条目：\(path)"
            case .unsafePath(let path): "ZIP 条目路径不安全（绝对路径、含 .. 或非法字符）：\(path)"
            case .entryTooLarge(let path, let declared): "文件解压后超过清单所列的 \(declared) 字节，已停止读取：\(path)"
            case .manifestTooLarge(let limit): "manifest.json 超过 \(limit / (1 << 20)) MiB 上限，未读取"
            case .signerUnconfirmed(let found):
                "未能确认签名人：签名公钥 \(found) 未与任何登记的公钥比对；请用 --public-key 指定依托单位的公钥，或用 --db 指定登记了该公钥的账簿"
            case .keyNotCurrent(let expected, let found, let at):
                "签名公钥 \(found) 不是资料包生成时（\(at)）登记的现行公钥 \(expected)"
            case .noKeyAtCreation(let found, let at):
                "未能确认签名人：资料包生成时（\(at)）依托单位尚未登记任何公钥，签名公钥 \(found) 无从比对"
            }
        }
    }

    public let manifest: PackageManifest?
    public let problems: [Problem]
    public let filesChecked: Int

    public var isClean: Bool { problems.isEmpty }
}

/// The third-party audit package (第十四条): statements, evidence and data for audit software,
/// with a signed manifest. Its bytes depend only on the ledger and the as-of day.
public enum AuditPackage {
    /// The statement files: (folder-relative name, kind) in the order an auditor reads them.
    static let statements: [(String, ReportKind)] = [
        ("01-专项资金收支情况表", .fundStatement), ("02-支出明细表", .expenseDetail), ("03-科目余额表", .trialBalance),
        ("04-总账", .generalLedger), ("05-明细账", .subsidiaryLedger), ("06-序时账", .journal), ("07-记账凭证", .vouchers),
        ("08-检查发现报告", .findings), ("09-累计支出图", .spendingChart),
    ]

    /// A public-institution studio's budget statements (平行记账), after the others.
    static let budgetStatements: [(String, ReportKind)] = [
        ("10-项目预算收入支出表", .budgetStatement), ("11-预算结转结余变动表", .budgetCarryover),
        ("12-本期预算结余与本期盈余差异调节表", .budgetReconciliation),
    ]

    /// Statements whose files take longest to render go first: voucher prints and ledgers make
    /// the most pages.
    static let renderWeight: [ReportKind: Int] = [.vouchers: 9, .subsidiaryLedger: 8, .journal: 7, .expenseDetail: 6, .findings: 5]

    /// The largest `manifest.json` a package may have (a real one is a few kilobytes per
    /// hundred files); a bigger one is not read.
    public static let manifestLimit = 4 << 20
    /// The largest `manifest.sig` (an Ed25519 signature is 64 bytes).
    static let signatureLimit = 1024

    /// Reads a package and checks its integrity: the ZIP's entries (no duplicate names, links,
    /// absolute or `..` paths, nothing outside the manifest), every file's size and SHA-256
    /// against the manifest (each entry read in a stream and given up as soon as it inflates
    /// past the size the manifest declares), the signature against the key the manifest names
    /// and, when given, that this key is the trusted one. Who signed is the caller's to confirm
    /// (`PackagesDesk.verifyPackage` refuses a package whose signer it cannot pin).
    public static func verify(_ data: Data, trustedKey: String? = nil) -> PackageVerification {
        guard let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else {
            return PackageVerification(manifest: nil, problems: [.manifestUnreadable("不是有效的 ZIP 文件")], filesChecked: 0)
        }
        var problems: [PackageVerification.Problem] = []
        // The entries themselves, before a byte is inflated: a second entry of a name (a forged
        // copy placed first), a link, a path that would leave the folder it is unpacked in.
        var entries: [String: Entry] = [:]
        var seen: Set<String> = []
        var rejected: Set<String> = []
        for entry in archive {
            let path = entry.path
            if !seen.insert(path).inserted {
                if !rejected.contains(path) { problems.append(.duplicateEntry(path)) }
                rejected.insert(path)
                entries[path] = nil
                continue
            }
            if !isSafePath(path) {
                problems.append(.unsafePath(path))
                rejected.insert(path)
            } else if entry.type == .symlink {
                problems.append(.symlinkEntry(path))
                rejected.insert(path)
            } else if entry.type == .directory {
                problems.append(.fileAdded(path))
                rejected.insert(path)
            } else {
                entries[path] = entry
            }
        }
        guard let manifestEntry = entries["manifest.json"] else {
            return PackageVerification(
                manifest: nil, problems: problems + (rejected.contains("manifest.json") ? [] : [.manifestMissing]), filesChecked: 0)
        }
        let manifestData: Data
        switch read(manifestEntry, of: archive, limit: manifestLimit) {
        case .success(let bytes): manifestData = bytes
        case .failure(.tooLarge):
            return PackageVerification(manifest: nil, problems: problems + [.manifestTooLarge(limit: manifestLimit)], filesChecked: 0)
        case .failure(.unreadable):
            return PackageVerification(manifest: nil, problems: problems + [.manifestUnreadable("条目损坏（CRC 不符或无法解压）")], filesChecked: 0)
        }
        let manifest: PackageManifest
        do { manifest = try JSONDecoder().decode(PackageManifest.self, from: manifestData) } catch {
            return PackageVerification(manifest: nil, problems: problems + [.manifestUnreadable("\(error)")], filesChecked: 0)
        }
        if let signatureEntry = entries["manifest.sig"] {
            let signature = try? read(signatureEntry, of: archive, limit: signatureLimit).get()
            let valid = signature.flatMap { signature in
                Hex.decode(manifest.signingKey.publicKey).flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
                    .map { $0.isValidSignature(signature, for: manifestData) }
            } ?? false
            if !valid { problems.append(.signatureInvalid) }
        } else if !rejected.contains("manifest.sig") {
            problems.append(.signatureMissing)
        }
        if let trustedKey, trustedKey.lowercased() != manifest.signingKey.publicKey {
            problems.append(.keyNotTrusted(expected: trustedKey.lowercased(), found: manifest.signingKey.publicKey))
        }
        var listed: Set<String> = ["manifest.json", "manifest.sig"]
        for file in manifest.files {
            guard listed.insert(file.path).inserted else {
                problems.append(.manifestUnreadable("清单重复列出 \(file.path)"))
                continue
            }
            guard let entry = entries[file.path] else {
                if !rejected.contains(file.path) { problems.append(.fileMissing(file.path)) }
                continue
            }
            // The declared size bounds what is inflated: one byte more and the entry is given up.
            switch read(entry, of: archive, limit: max(0, file.size)) {
            case .success(let bytes):
                if bytes.count != file.size || Hex.encode(SHA256.hash(data: bytes)) != file.sha256 {
                    problems.append(.fileChanged(file.path))
                }
            case .failure(.tooLarge): problems.append(.entryTooLarge(file.path, declared: file.size))
            case .failure(.unreadable): problems.append(.fileChanged(file.path))
            }
        }
        for path in Set(entries.keys).subtracting(listed).sorted() { problems.append(.fileAdded(path)) }
        return PackageVerification(manifest: manifest, problems: problems, filesChecked: manifest.files.count)
    }

    /// Why an entry was not read.
    enum ReadFailure: Error {
        /// It inflates past the limit (reading stopped at limit + 1 bytes).
        case tooLarge
        /// A corrupt entry (CRC mismatch, bad deflate stream).
        case unreadable
    }

    /// An entry's bytes, read in a stream and given up as soon as they pass `limit`.
    static func read(_ entry: Entry, of archive: Archive, limit: Int) -> Result<Data, ReadFailure> {
        if entry.uncompressedSize > UInt64(limit) { return .failure(.tooLarge) }
        var bytes = Data()
        var tooLarge = false
        do {
            _ = try archive.extract(entry, bufferSize: 16 * 1024) { chunk in
                guard bytes.count + chunk.count <= limit else {
                    tooLarge = true
                    throw ReadFailure.tooLarge
                }
                bytes.append(chunk)
            }
        } catch {
            return .failure(tooLarge ? .tooLarge : .unreadable)
        }
        return .success(bytes)
    }

    /// A relative path that stays inside the folder it is unpacked in: not absolute, no `..`
    /// or `.` component, no backslash or drive letter, no empty component, no control character
    /// (a folder entry's one trailing `/` aside).
    static func isSafePath(_ given: String) -> Bool {
        let path = given.hasSuffix("/") ? String(given.dropLast()) : given
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return false }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if let first = components.first, first.count == 2, first.hasSuffix(":") { return false }
        return !components.contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Every file of a ZIP by path (for tests and tools that inspect a package). Refuses what
    /// `verify` refuses in the entries themselves (duplicate names, links, unsafe paths), and
    /// any entry larger than `limit` bytes.
    public static func contents(of data: Data, limit: Int = 1 << 30) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
        var contents: [String: Data] = [:]
        for entry in archive {
            guard isSafePath(entry.path), entry.type != .symlink else {
                throw LedgerEnvironmentError("ZIP 条目不安全：\(entry.path)")
            }
            guard entry.type == .file else { continue }
            guard contents[entry.path] == nil else { throw LedgerEnvironmentError("ZIP 条目名重复：\(entry.path)") }
            switch read(entry, of: archive, limit: limit) {
            case .success(let bytes): contents[entry.path] = bytes
            case .failure(.tooLarge): throw LedgerEnvironmentError("ZIP 条目超过 \(limit) 字节：\(entry.path)")
            case .failure(.unreadable): throw LedgerEnvironmentError("ZIP 条目损坏：\(entry.path)")
            }
        }
        return contents
    }

    /// Writes files into a ZIP the way packages are written (sorted, deflated, fixed times).
    public static func zipFiles(_ files: [String: Data]) throws -> Data {
        try zip(files.map { (path: $0.key, data: $0.value) })
    }

    /// SubjectPublicKeyInfo PEM of an Ed25519 public key (what openssl reads).
    public static func publicKeyPEM(_ raw: [UInt8]) -> String {
        let der: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00] + raw
        return "-----BEGIN PUBLIC KEY-----\n\(Data(der).base64EncodedString())\n-----END PUBLIC KEY-----\n"
    }

    /// Formats that are compressed already: stored as they are (deflating them again costs
    /// time and saves nothing).
    static let storedExtensions: Set<String> = ["pdf", "xlsx", "zip", "png", "jpg", "jpeg"]

    /// Writes the entries into a ZIP in path order, text deflated, with a fixed entry time.
    static func zip(_ files: [(path: String, data: Data)]) throws -> Data {
        try ZIPWriter.archive(files.sorted { $0.path < $1.path }.map { ZIPWriter.Entry(path: $0.path, data: $0.data, stored: isStored($0.path)) })
    }

    static func isStored(_ path: String) -> Bool {
        storedExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }
}

/// Evidence files, signing keys and audit packages.
public struct PackagesDesk: Desk {
    let app: LedgerApp
}

extension PackagesDesk {
    /// Attaches an evidence file to a voucher (see `EvidenceStorage.addEvidence`).
    public func addEvidence(_ data: Data, fileName: String, to ref: VoucherRef) throws -> EvidenceFile {
        try store.evidence.addEvidence(data, fileName: fileName, to: ref, stamp: stamp())
    }

    /// The default place of a host unit's private key: beside the database, readable by its
    /// owner only.
    public func defaultKeyFile(hostUnit: CreditCode) -> URL {
        defaultKeyFile(hostUnit: hostUnit, number: (try? store.evidence.signingKeys(hostUnit: hostUnit).count) ?? 1)
    }

    /// The file of a host unit's current private key in `directory` (named as in the default
    /// folder), or its default file when no directory is given: how a server configured with a
    /// key folder finds the key to sign a package with.
    public func currentKeyFile(hostUnit: CreditCode, in directory: URL?) -> URL {
        guard let directory else { return defaultKeyFile(hostUnit: hostUnit) }
        let number = (try? store.evidence.signingKeys(hostUnit: hostUnit).count) ?? 1
        return directory.appendingPathComponent(number <= 1 ? "\(hostUnit).ed25519" : "\(hostUnit).\(number).ed25519")
    }

    /// The default file of a host unit's `number`-th key: CODE.ed25519 for the first, then
    /// CODE.2.ed25519, CODE.3.ed25519 … (a rotation never overwrites the key it replaces).
    func defaultKeyFile(hostUnit: CreditCode, number: Int) -> URL {
        URL(fileURLWithPath: store.path + ".keys").appendingPathComponent(number <= 1 ? "\(hostUnit).ed25519" : "\(hostUnit).\(number).ed25519")
    }

    /// Generates a host unit's Ed25519 key pair: the private key goes to `file` (hex, mode
    /// 0600; an existing file is never overwritten), the public key is registered and logged.
    /// A host unit that has a key gets a new one only by rotation (`rotate`): the current
    /// private key (`currentKeyFile`, default its default file) signs the new public key, and
    /// packages made before stay verifiable against the key they were signed with.
    public func generateSigningKey(
        hostUnit code: String, file: URL?, rotate: Bool = false, currentKeyFile: URL? = nil
    ) throws -> (key: SigningKey, file: URL) {
        let hostUnit = try CreditCode(code)
        guard try store.register.hostUnits().contains(where: { $0.creditCode == hostUnit }) else {
            throw Rejection(.hostUnitUnknown, field: "host-unit", "依托单位 \(hostUnit) 未登记")
        }
        let existing = try store.evidence.signingKeys(hostUnit: hostUnit)
        var current: Curve25519.Signing.PrivateKey? = nil
        if let last = existing.last {
            guard rotate else {
                throw Rejection(
                    .signingKeyExists, field: "rotate",
                    "依托单位 \(hostUnit) 已登记签名密钥（指纹 \(last.fingerprint)）；更换密钥须加 --rotate，并用现行私钥（--current-key-file）签署新公钥")
            }
            current = try signingKey(for: hostUnit, file: currentKeyFile)
        }
        let url = file ?? defaultKeyFile(hostUnit: hostUnit, number: existing.count + 1)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw Rejection(.signingKeyInvalid, field: "key-file", "密钥文件 \(url.path) 已存在，不会覆盖；如需更换密钥请指定新文件")
        }
        let privateKey = Curve25519.Signing.PrivateKey()
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard FileManager.default.createFile(
            atPath: url.path, contents: Data((Hex.encode(privateKey.rawRepresentation) + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        else {
            throw Rejection(.signingKeyInvalid, field: "key-file", "无法写入密钥文件 \(url.path)")
        }
        let publicKeyHex = Hex.encode(privateKey.publicKey.rawRepresentation)
        var endorsement = ""
        if let current {
            let text = Canonical.keyEndorsementText(
                hostUnit: hostUnit.description, previousKeyHex: Hex.encode(current.publicKey.rawRepresentation), nextKeyHex: publicKeyHex)
            endorsement = Hex.encode(try current.signature(for: Data(text.utf8)))
        }
        let key: SigningKey
        do {
            key = try store.evidence.registerSigningKey(hostUnit: hostUnit, publicKeyHex: publicKeyHex, endorsement: endorsement, stamp: stamp())
        } catch {
            try? FileManager.default.removeItem(at: url)  // the key was not registered: its file must not linger
            throw error
        }
        return (key, url)
    }

    /// Reads a private key file and checks it against the host unit's registered public key.
    func signingKey(for hostUnit: CreditCode, file: URL?) throws -> Curve25519.Signing.PrivateKey {
        guard let registered = try store.evidence.signingKey(hostUnit: hostUnit) else {
            throw Rejection(.signingKeyMissing, field: "host-unit", "依托单位 \(hostUnit) 尚未登记签名密钥：先运行 workshop-ledger keys generate --host-unit \(hostUnit)")
        }
        let url = file ?? defaultKeyFile(hostUnit: hostUnit)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw Rejection(.signingKeyMissing, field: "key-file", "找不到私钥文件 \(url.path)（用 --key-file 指定）")
        }
        guard let raw = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw Rejection(.signingKeyInvalid, field: "key-file", "\(url.path) 不是 Ed25519 私钥（64 位十六进制）")
        }
        guard Hex.encode(key.publicKey.rawRepresentation) == registered.publicKeyHex else {
            throw Rejection(.signingKeyMismatch, field: "key-file", "\(url.path) 与依托单位 \(hostUnit) 登记的公钥（指纹 \(registered.fingerprint)）不符")
        }
        return key
    }

    /// Builds the audit package of one studio as of a day. The same ledger and day give the
    /// same bytes: the books are cut off at the day, every file is dated on it, and the export
    /// itself is logged after the fact and left out of the manifest's log head.
    public func auditPackage(
        studio code: String, asOf given: CalendarDate?, keyFile: URL? = nil, includeConfidentialEvidence: Bool = false
    ) throws -> Data {
        let built = try buildPackage(studio: code, asOf: given, keyFile: keyFile, includeConfidentialEvidence: includeConfidentialEvidence)
        try store.evidence.logExport(studio: code, detail: built.logDetail, stamp: stamp())
        try signCheckpoint(studio: code, hostUnit: built.hostUnit, kind: "package", label: built.label, key: built.key)
        return built.data
    }

    /// Builds the package and writes it to `path` without ever clobbering (see `SafeOutput`):
    /// the ledger database, its companions, key folders (the default one, the `keyFile`'s when
    /// it holds only keys) and key files are refused before anything is built; the export is logged only once the
    /// file is in place.
    public func writeAuditPackage(
        studio code: String, asOf given: CalendarDate?, keyFile: URL? = nil, to path: String, includeConfidentialEvidence: Bool = false
    ) throws -> (url: URL, data: Data, verification: PackageVerification) {
        var protected = app.protectedPaths
        if let keyFile {
            protected.keyFiles.append(keyFile.path)
            // A folder of its own (`x.keys/`, or holding nothing but keys) is protected whole.
            let folder = keyFile.deletingLastPathComponent()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            if folder.lastPathComponent.hasSuffix(".keys") || (!names.isEmpty && names.allSatisfy { $0.hasSuffix(".ed25519") }) {
                protected.keyFolders.append(folder.path)
            }
        }
        let target = path == "-" ? URL(fileURLWithPath: "/dev/stdout") : try SafeOutput.check(path, protecting: protected)
        let built = try buildPackage(studio: code, asOf: given, keyFile: keyFile, includeConfidentialEvidence: includeConfidentialEvidence)
        try SafeOutput.write(built.data, to: path, protecting: protected)
        try store.evidence.logExport(studio: code, detail: built.logDetail, stamp: stamp())
        try signCheckpoint(studio: code, hostUnit: built.hostUnit, kind: "package", label: built.label, key: built.key)
        return (target, built.data, AuditPackage.verify(built.data))
    }

    /// Signs the studio's chain heads as they are now with the host unit's key and stores the
    /// checkpoint (`verify` checks it from then on).
    func signCheckpoint(studio: String, hostUnit: String, kind: String, label: String, key: Curve25519.Signing.PrivateKey) throws {
        let heads = try store.evidence.checkpointHeads(studio: studio)
        let unsigned = Checkpoint(
            studio: studio, hostUnit: hostUnit, kind: kind, label: label, voucherSequence: heads.vouchers.sequence,
            voucherHash: heads.vouchers.hash, logSequence: heads.log.sequence, logHash: heads.log.hash, rowSequence: heads.rows.sequence,
            rowHash: heads.rows.hash, publicKeyHex: Hex.encode(key.publicKey.rawRepresentation), signatureHex: "")
        let signature = Hex.encode(try key.signature(for: Data(unsigned.signedText.utf8)))
        try store.evidence.recordCheckpoint(unsigned.signed(signature), stamp: stamp())
    }

    /// The studio's books must verify before a package is cut from them: the first problem of
    /// the studio or of the operation log it is recorded in is thrown.
    func requireIntactBooks(studio code: String) throws {
        let report = try store.admin.verify(studio: code)
        if let problem = report.problems.first {
            throw IntegrityFailure(problem)
        }
    }

    /// The package's bytes and what the log says about it.
    func buildPackage(
        studio code: String, asOf given: CalendarDate?, keyFile: URL?, includeConfidentialEvidence: Bool = false
    ) throws -> (data: Data, logDetail: String, key: Curve25519.Signing.PrivateKey, hostUnit: String, label: String) {
        try requireIntactBooks(studio: code)
        let asOf = app.cutoff(given)
        let snapshot = try app.statements.booksSnapshot(studio: code, asOf: asOf)
        let privateKey = try signingKey(for: snapshot.hostUnit.creditCode, file: keyFile)
        // Work that does not touch the database runs on the other cores while this thread reads:
        // the data exports from the snapshot, and each statement's PDF and XLSX as soon as the
        // statement is built (the biggest first). The PDFs get their fonts together at the end.
        let work = PackageWork()
        work.run { try Self.dataFiles(snapshot) }
        let kept = try app.store.registry.budgetAccounting(studio: code).kept
        let order = (AuditPackage.statements + (kept ? AuditPackage.budgetStatements : [])).sorted { (AuditPackage.renderWeight[$0.1] ?? 0) > (AuditPackage.renderWeight[$1.1] ?? 0) }
        for (name, kind) in order {
            let built = try app.statements.buildReport(ReportRequest(kind: kind, studio: code, asOf: asOf), books: snapshot)
            work.draft("报表/\(name).pdf", built.document)
            work.run { [(path: "报表/\(name).xlsx", data: try LedgerApp.render(built, format: .xlsx))] }
        }
        work.finishPDFs()
        // Meanwhile, the rest of what the database holds: evidence, chain heads.
        var files: [PackageFile] = []
        // Evidence, content-addressed, with an index from vouchers to files. A 涉密 host unit's
        // files (第十二条) stay out unless included on purpose: the index still lists each
        // voucher's files by SHA-256, with no file in the package.
        let marking = try app.register.confidentiality(hostUnit: snapshot.hostUnit.creditCode)
        let withheld = marking != nil && !includeConfidentialEvidence
        let evidence = try store.evidence.evidence(studio: code).filter { link in snapshot.vouchers.contains { $0.ref == link.voucher } }
        var index = CSVWriter()
        index.row(text: ["会计期间", "凭证字号", "附单据张数", "文件名", "包内路径", "字节数", "SHA-256"])
        var stored: Set<String> = []
        for link in evidence {
            let ext = URL(fileURLWithPath: link.fileName).pathExtension.lowercased()
            let path = withheld ? "未收录（涉密）" : "证据/\(link.sha256)\(ext.isEmpty ? "" : ".\(ext)")"
            if !withheld, stored.insert(path).inserted { files.append(try PackageFile(path: path, data: try store.evidence.evidenceContent(sha256: link.sha256))) }
            let attachments = snapshot.vouchers.first { $0.ref == link.voucher }?.draft.attachments ?? 0
            index.row([
                .text(link.voucher.period.iso), .text(link.voucher.label), .count(attachments), .text(withheld ? "（涉密，不列文件名）" : link.fileName), .text(path),
                .count(link.size), .text(link.sha256),
            ])
        }
        var missing = CSVWriter()
        missing.row(text: ["会计期间", "凭证字号", "附单据张数", "已附电子文件数", "缺少"])
        for voucher in snapshot.vouchers where voucher.draft.attachments > 0 {
            let count = evidence.filter { $0.voucher == voucher.ref }.count
            if count < voucher.draft.attachments {
                missing.row([
                    .text(voucher.ref.period.iso), .text(voucher.ref.label), .count(voucher.draft.attachments), .count(count),
                    .count(voucher.draft.attachments - count),
                ])
            }
        }
        files.append(try PackageFile(path: "证据/证据索引.csv", data: CSVEncoding.utf8.encode(index.text)))
        files.append(try PackageFile(path: "证据/未附电子文件的单据.csv", data: CSVEncoding.utf8.encode(missing.text)))
        let publicKey = Array(privateKey.publicKey.rawRepresentation)
        files.append(try PackageFile(path: "签名公钥.pem", data: Data(AuditPackage.publicKeyPEM(publicKey).utf8)))
        let range = snapshot.periodRange
        let chain = try store.evidence.chainHead(studio: code, asOf: asOf)
        // The log head as the package is made (exports left out, so making a package does not
        // change the next one): the auditor can check the whole log up to it.
        let log = try store.evidence.logHead(excluding: ["export."])
        files += try work.files()
        // The manifest, signed.
        let keyInfo = SigningKey(
            hostUnit: snapshot.hostUnit.creditCode.description, publicKeyHex: Hex.encode(publicKey), at: "", user: "",
            fingerprint: SigningKey.fingerprint(publicKeyHex: Hex.encode(publicKey), sha256: { Array(SHA256.hash(data: $0)) }))
        var readme = Self.packageReadme(snapshot: snapshot, fingerprint: keyInfo.fingerprint, files: files.map(\.path))
        if let marking {
            readme = "【\(ReportHeader.markingText(marking))】\n"
                + (withheld
                    ? "依托单位为涉密单位：凭证所附电子单据未收入本资料包（证据索引只列 SHA-256），须经批准另行调阅。\n\n"
                    : "依托单位为涉密单位：经明确要求，本资料包收入了凭证所附电子单据，须按涉密载体管理。\n\n")
                + readme
        }
        files.append(try PackageFile(path: "README.txt", data: CSVEncoding.utf8.encode(readme)))
        let manifest = PackageManifest(
            format: PackageManifest.formatName, generator: .init(name: "WorkshopLedger", version: LedgerApp.version),
            studio: .init(
                code: snapshot.studio.code, name: snapshot.studio.name, leader: snapshot.studio.leader, field: snapshot.studio.field,
                recognized: snapshot.studio.recognized, constructionWindowEnd: snapshot.studio.constructionWindow.upperBound,
                approvedSubsidyFen: snapshot.studio.approvedSubsidy),
            hostUnit: .init(
                creditCode: snapshot.hostUnit.creditCode.description, name: snapshot.hostUnit.name, kind: snapshot.hostUnit.kind.rawValue,
                county: snapshot.hostUnit.county),
            funds: Fund.allCases.map { .init(code: $0.rawValue, name: $0.chineseName) },
            coverage: .init(from: range.from, to: range.to, asOf: asOf, vouchers: snapshot.vouchers.count),
            voucherChain: .init(sequence: chain?.sequence ?? 0, hash: chain?.hash ?? Canonical.genesis),
            operationLog: .init(sequence: log?.sequence ?? 0, hash: log?.hash ?? Canonical.genesis),
            signingKey: .init(algorithm: "Ed25519", publicKey: keyInfo.publicKeyHex, fingerprint: keyInfo.fingerprint),
            files: files.sorted { $0.path < $1.path }.map { .init(path: $0.path, size: $0.size, sha256: $0.sha256) },
            confidentiality: marking.map {
                .init(marking: HostUnitMarking.label, basis: $0.basis, since: $0.date, evidenceIncluded: !withheld)
            })
        let manifestData = try ReportOutput.json(manifest)
        let signature = try privateKey.signature(for: manifestData)
        files.append(try PackageFile(path: "manifest.json", data: manifestData))
        files.append(try PackageFile(path: "manifest.sig", data: signature))
        let package = try ZIPWriter.archive(prepared: files.sorted { $0.path < $1.path }.map(\.entry))
        return (
            package, "生成审计资料包（截至 \(asOf.iso)，\(manifest.files.count) 个文件\(marking == nil ? "" : withheld ? "，涉密：电子单据未收录" : "，涉密：经明确要求收录电子单据")，清单 SHA-256 \(Hex.encode(SHA256.hash(data: manifestData)))）",
            privateKey, snapshot.hostUnit.creditCode.description, Self.packageLabel(asOf: asOf, manifest: manifestData)
        )
    }

    /// The files for audit software: GB/T 24589 XML, the AO tables in both encodings, the
    /// hledger journal and the beancount file.
    static func dataFiles(_ snapshot: BooksSnapshot) throws -> [(path: String, data: Data)] {
        var files: [(path: String, data: Data)] = []
        for file in try GBT24589Export.files(snapshot) { files.append(("数据/GBT24589/\(file.name)", file.data)) }
        for table in try AOTablesExport.tables(snapshot) {
            files.append(("数据/AO/UTF-8/\(table.name)", CSVEncoding.utf8.encode(table.text)))
            files.append(("数据/AO/GB18030/\(table.name)", CSVEncoding.gb18030.encode(table.text)))
        }
        files.append(("数据/books.journal", Data(HledgerExport.journal(snapshot).utf8)))
        files.append(("数据/books.beancount", Data(BeancountExport.file(snapshot).utf8)))
        return files
    }

    static func packageReadme(snapshot: BooksSnapshot, fingerprint: String, files: [String]) -> String {
        let studio = snapshot.studio
        return """
            技能大师工作室项目资金审计资料包
            ================================

            工作室：\(studio.name)（\(studio.code)），领办人 \(studio.leader)
            依托单位：\(snapshot.hostUnit.name)（统一社会信用代码 \(snapshot.hostUnit.creditCode)）
            认定日期：\(studio.recognized.chinese)；建设期至 \(studio.constructionWindow.upperBound.chinese)
            核定补助资金：\(studio.approvedSubsidy.groupedString) 元
            账簿截至：\(snapshot.asOf.chinese)，共 \(snapshot.vouchers.count) 张凭证（含红字冲销）
            生成：WorkshopLedger \(LedgerApp.version)

            本资料包依据《资阳市技能大师工作室建设项目实施管理办法》（资人社规〔2025〕2号）第十四条准备，供第三方审计机构出具项目资金
            使用情况审计报告之用。补助资金、企业支持资金、自筹资金分别建账，各自借贷平衡。

            一、目录
            报表/        专项资金收支情况表、支出明细表、科目余额表（分资金及合并）、总账、明细账、序时账、
                         记账凭证、检查发现报告（含说明及复核意见）、累计支出图；各有 XLSX 与 PDF 两种格式。
            证据/        凭证所附电子单据，文件名为其 SHA-256；证据索引.csv 列出凭证与文件的对应关系，
                         未附电子文件的单据.csv 列出附单据张数多于已附电子文件的凭证。
            数据/GBT24589/  公共档案.xml、总账.xml：参照 GB/T 24589 会计软件数据接口标准，GB18030 编码，
                         资金来源和工作室作为自定义档案项，通过辅助项1、辅助项2 引用。
            数据/AO/     会计科目表、科目余额表、凭证库（含对方科目）平面表，UTF-8（带 BOM）与 GB18030 两种编码，
                         可导入现场审计实施系统（AO）或其他审计软件。
            数据/books.journal、数据/books.beancount：同一账簿的 hledger 与 beancount 格式，可用
                         hledger -f books.journal balance、bean-check books.beancount 独立复核余额。
            签名公钥.pem  依托单位签名公钥（Ed25519）。
            manifest.json 资料包清单：工作室、依托单位、资金、期间、凭证哈希链和操作日志链的链头，
                         以及每个文件的路径、字节数和 SHA-256。
            manifest.sig  依托单位私钥对 manifest.json 的 Ed25519 签名（64 字节）。

            二、如何核验
            1. 公钥指纹：\(fingerprint)。请与依托单位在工作室登记的公钥指纹核对（workshop-ledger keys show）。
            2. 核验签名与全部文件：workshop-ledger audit-package verify 本文件.zip
               或用 OpenSSL：openssl pkeyutl -verify -pubin -inkey 签名公钥.pem -rawin -in manifest.json -sigfile manifest.sig
            3. 逐个文件核对 SHA-256：sha256sum 文件，与 manifest.json 中的 sha256 比较；清单外多出的文件、
               缺少的文件或任何一个字节的改动都会被发现。
            4. 账簿本身可在依托单位的账套中用 workshop-ledger verify 重新计算哈希链，与清单中的链头比较。

            三、文件清单（\(files.count + 3) 个，另见 manifest.json）
            \(files.sorted().joined(separator: "\n"))

            """
    }
}

/// One file of a package as the manifest and the ZIP need it: size, SHA-256 and the prepared
/// ZIP entry, made on the thread that made the file.
struct PackageFile: Sendable {
    let path: String
    let size: Int
    let sha256: String
    let entry: ZIPWriter.Prepared

    init(path: String, data: Data) throws {
        self.path = path
        size = data.count
        sha256 = Hex.encode(SHA256.hash(data: data))
        entry = try ZIPWriter.prepare(.init(path: path, data: data, stored: AuditPackage.isStored(path)))
    }
}

/// A package's files made on worker threads: jobs start as they are added; `finishPDFs`, once
/// every PDF job is added, embeds one font subset in all of them as soon as the last is drawn;
/// `files` waits for everything and returns the files in the order the jobs were added (the
/// first error, in that order, is thrown).
final class PackageWork: @unchecked Sendable {
    private enum Output {
        case files([PackageFile])
        case draft(path: String, PDFDraft)
    }

    private let group = DispatchGroup()
    private let drafts = DispatchGroup()
    private let queue = DispatchQueue.global(qos: .userInitiated)
    private let lock = NSLock()
    private var outputs: [Result<Output, any Error>?] = []
    private var pdfs: Result<[PackageFile], any Error> = .success([])

    private func start(in groups: [DispatchGroup], _ body: @escaping @Sendable () throws -> Output) {
        let index = lock.withLock {
            outputs.append(nil)
            return outputs.count - 1
        }
        for group in groups { group.enter() }
        queue.async {
            let output = Result { try body() }
            self.lock.withLock { self.outputs[index] = output }
            for group in groups { group.leave() }
        }
    }

    func run(_ body: @escaping @Sendable () throws -> [(path: String, data: Data)]) {
        start(in: [group]) { .files(try body().map { try PackageFile(path: $0.path, data: $0.data) }) }
    }

    func draft(_ path: String, _ document: ReportDocument) {
        start(in: [group, drafts]) { .draft(path: path, try PDFRenderer.draft(document)) }
    }

    /// After the last `draft`: the PDFs get their fonts when every draft is done.
    func finishPDFs() {
        group.enter()
        drafts.notify(queue: queue) {
            let result = Result { () throws -> [PackageFile] in
                let drafts = try self.lock.withLock { () throws -> [(path: String, draft: PDFDraft)] in
                    var drafts: [(path: String, draft: PDFDraft)] = []
                    for output in self.outputs {
                        if case .success(.draft(let path, let draft)) = output { drafts.append((path, draft)) }
                    }
                    return drafts
                }
                let pdfs = try PDFRenderer.finish(drafts.map(\.draft))
                return try Parallel.map(pdfs.count) { try PackageFile(path: drafts[$0].path, data: pdfs[$0]) }
            }
            self.lock.withLock { self.pdfs = result }
            self.group.leave()
        }
    }

    func files() throws -> [PackageFile] {
        group.wait()
        return try lock.withLock {
            var files: [PackageFile] = []
            for output in outputs {
                if case .files(let made) = try output!.get() { files += made }
            }
            return files + (try pdfs.get())
        }
    }
}

extension PackagesDesk {
    /// The evidence files linked to a studio's vouchers.
    public func evidence(studio: String) throws -> [EvidenceFile] {
        _ = try store.register.studio(code: studio)
        return try store.evidence.evidence(studio: studio)
    }

    /// A host unit's registered public keys, oldest first (the last is the current one).
    public func signingKeys(hostUnit: String) throws -> [SigningKey] {
        try store.evidence.signingKeys(hostUnit: try CreditCode(hostUnit))
    }

    /// What a package verification was checked against.
    public struct PackageCheck: Sendable {
        public let verification: PackageVerification
        /// The public key the signature was compared with: given, or registered in the books for
        /// the package's host unit; nil when neither was there (then the check is not clean).
        public let trustedKey: String?
        /// How the signer was pinned, in words ("--public-key", "账簿登记的现行公钥", …); nil when
        /// it was not.
        public let pinnedBy: String?
    }

    /// Verifies a package: every file's size and SHA-256 against the signed manifest, and the
    /// signer against `publicKey` or, without one, the keys the books register for the
    /// package's host unit: the one current when the package was made, or, when the manifest
    /// does not say when that was, any of them (`pinnedBy` says which). With neither the
    /// result is not clean (`signerUnconfirmed`).
    public func verifyPackage(_ data: Data, publicKey: String?) throws -> PackageCheck {
        if publicKey != nil { return Self.verifyPackage(data, publicKey: publicKey) }
        let plain = AuditPackage.verify(data)
        guard let manifest = plain.manifest, let code = try? CreditCode(manifest.hostUnit.creditCode) else {
            return Self.verifyPackage(data, publicKey: nil)
        }
        let keys = try store.evidence.signingKeys(hostUnit: code)
        // The books' own record of making this package (its checkpoint names the manifest's
        // SHA-256) says when it was made, so the key current then is the one that must have signed.
        var made: String? = nil
        if let manifestData = try? AuditPackage.contents(of: data)["manifest.json"] {
            let label = Self.packageLabel(asOf: manifest.coverage.asOf, manifest: manifestData)
            made = try store.evidence.checkpoints(studio: manifest.studio.code).last { $0.kind == "package" && $0.label == label }?.at
        }
        return Self.pin(plain, manifest: manifest, keys: keys, made: made)
    }

    /// A package checkpoint's label: the as-of day and the SHA-256 of the signed manifest.
    static func packageLabel(asOf: CalendarDate, manifest: Data) -> String {
        "\(asOf.iso) \(Hex.encode(SHA256.hash(data: manifest)))"
    }

    /// Verifies a package without books: against `publicKey` when given; without one the
    /// signer is unconfirmed and the result is not clean.
    public static func verifyPackage(_ data: Data, publicKey: String?) -> PackageCheck {
        let verification = AuditPackage.verify(data, trustedKey: publicKey)
        guard publicKey == nil, let manifest = verification.manifest else {
            return PackageCheck(verification: verification, trustedKey: publicKey, pinnedBy: publicKey == nil ? nil : "--public-key")
        }
        return PackageCheck(
            verification: PackageVerification(
                manifest: manifest, problems: verification.problems + [.signerUnconfirmed(found: manifest.signingKey.publicKey)],
                filesChecked: verification.filesChecked),
            trustedKey: nil, pinnedBy: nil)
    }

    /// Compares a package's signer with the host unit's registered keys (oldest first).
    static func pin(_ plain: PackageVerification, manifest: PackageManifest, keys: [SigningKey], made recorded: String? = nil) -> PackageCheck {
        let found = manifest.signingKey.publicKey
        func result(_ extra: [PackageVerification.Problem], trusted: String?, pinnedBy: String?) -> PackageCheck {
            PackageCheck(
                verification: PackageVerification(manifest: manifest, problems: plain.problems + extra, filesChecked: plain.filesChecked),
                trustedKey: trusted, pinnedBy: pinnedBy)
        }
        guard let current = keys.last else {
            return result([.signerUnconfirmed(found: found)], trusted: nil, pinnedBy: nil)
        }
        if let made = manifest.createdAt ?? recorded {
            // The key registered last at or before the package was made.
            guard let then = keys.last(where: { $0.at <= made }) else {
                return result([.noKeyAtCreation(found: found, at: made)], trusted: nil, pinnedBy: nil)
            }
            // Keys registered in the same instant are equally current then.
            if keys.contains(where: { $0.at == then.at && $0.publicKeyHex.lowercased() == found }) {
                return result([], trusted: then.publicKeyHex, pinnedBy: "生成时（\(made)）登记的现行公钥，\(then.at) 登记")
            }
            return result([.keyNotCurrent(expected: then.publicKeyHex, found: found, at: made)], trusted: then.publicKeyHex, pinnedBy: nil)
        }
        if current.publicKeyHex.lowercased() == found {
            return result([], trusted: current.publicKeyHex, pinnedBy: "账簿登记的现行公钥（\(current.at) 登记）")
        }
        if keys.contains(where: { $0.publicKeyHex.lowercased() == found }) {
            // A key since replaced, and the books have no record of making this package with it:
            // a package signed later with an old (perhaps leaked) key is not taken on trust.
            return result(
                [.keyNotCurrent(expected: current.publicKeyHex, found: found, at: "账簿中没有此资料包的生成记录")],
                trusted: current.publicKeyHex, pinnedBy: nil)
        }
        return result([.keyNotTrusted(expected: current.publicKeyHex, found: found)], trusted: current.publicKeyHex, pinnedBy: nil)
    }
}
