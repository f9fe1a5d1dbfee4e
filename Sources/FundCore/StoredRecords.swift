// What the store hands back besides the books themselves: the operation log, evidence links,
// signing keys, lifecycle records and what `verify` found. Plain values, so that report builders
// (FundReports) and any second storage backend speak the same types.

/// Lower-case hexadecimal text of bytes (hashes, keys) and back.
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of hex text (either case); nil for an odd length or a non-hex character.
    public static func decode(_ hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

/// One entry of the operation log (操作日志): who did what, when, to which studio.
public struct LogEntry: Sendable, Equatable, Codable {
    public let sequence: Int
    public let at: String
    public let user: String
    public let action: String
    public let studio: String
    public let detail: String
    public let hash: String

    public init(sequence: Int, at: String, user: String, action: String, studio: String, detail: String, hash: String) {
        self.sequence = sequence
        self.at = at
        self.user = user
        self.action = action
        self.studio = studio
        self.detail = detail
        self.hash = hash
    }
}

/// An evidence file attached to a voucher (scanned invoice, contract, photo), stored once by
/// its SHA-256.
public struct EvidenceFile: Sendable, Hashable, Codable {
    public let voucher: VoucherRef
    public let sha256: String
    public let size: Int
    public let fileName: String
    public let at: String
    public let user: String

    public init(voucher: VoucherRef, sha256: String, size: Int, fileName: String, at: String, user: String) {
        self.voucher = voucher
        self.sha256 = sha256
        self.size = size
        self.fileName = fileName
        self.at = at
        self.user = user
    }
}

/// A host unit's registered Ed25519 public key (hex), the one audit packages are signed with.
public struct SigningKey: Sendable, Hashable, Codable {
    public let hostUnit: String
    public let publicKeyHex: String
    public let at: String
    public let user: String

    /// The first 16 hex digits of the SHA-256 of the raw public key: short enough to read out
    /// over the phone, long enough to tell keys apart.
    public let fingerprint: String

    public init(hostUnit: String, publicKeyHex: String, at: String, user: String, fingerprint: String) {
        self.hostUnit = hostUnit
        self.publicKeyHex = publicKeyHex
        self.at = at
        self.user = user
        self.fingerprint = fingerprint
    }

    /// The fingerprint of a hex public key, with the caller's SHA-256 (FundCore has none).
    public static func fingerprint(publicKeyHex: String, sha256: ([UInt8]) -> [UInt8]) -> String {
        String(Hex.encode(sha256(Hex.decode(publicKeyHex) ?? [])).prefix(16))
    }
}


/// One row of a studio's lifecycle record: a transition, or a warning or commendation.
public struct LifecycleRecord: Sendable, Hashable, Codable {
    public let id: Int
    /// "transition", "warning" or "commendation".
    public let kind: String
    public let transition: LifecycleTransition
    public let at: String
    public let user: String

    public init(id: Int, kind: String, transition: LifecycleTransition, at: String, user: String) {
        self.id = id
        self.kind = kind
        self.transition = transition
        self.at = at
        self.user = user
    }
}

/// One thing `verify` found wrong in the stored data.
public struct VerificationProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case hashMismatch = "X001"
        case chainBroken = "X002"
        case sequenceGap = "X003"
        case invariantBroken = "X004"
        case numberingGap = "X005"
        case balanceMismatch = "X006"
        case logChainBroken = "X007"
        case periodEventsInconsistent = "X008"
        case unreadableRow = "X009"
        case postingMisfiled = "X010"
        case chartInvalid = "X011"
        case evidenceCorrupt = "X012"
        case anchorMismatch = "X013"
        case keyUnendorsed = "X014"
        case rowTampered = "X015"
        case rowChainBroken = "X016"
        case checkpointBroken = "X017"
        case parallelBroken = "X018"
    }

    public let code: Code
    public let studio: String
    /// "2025-11 记-0003" when the problem is one voucher's.
    public let voucher: String?
    public let message: String

    public init(code: Code, studio: String, voucher: String?, message: String) {
        self.code = code
        self.studio = studio
        self.voucher = voucher
        self.message = message
    }

    public var description: String {
        let location = [studio, voucher].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return "[\(code.rawValue)] \(location.isEmpty ? "" : location + "：")\(message)"
    }
}

public struct VerificationReport: Sendable, Codable {
    public var studios = 0
    public var vouchers = 0
    public var postings = 0
    public var logEntries = 0
    public var problems: [VerificationProblem] = []
    public var isClean: Bool { problems.isEmpty }

    public init() {}
}


/// Stored data that fails its own check when the app reads it (evidence whose bytes no longer
/// match their SHA-256, a row that cannot be decoded): the books were changed behind the
/// ledger's back. Not rejected input; at the CLI it is a failed verification (exit 1).
public struct IntegrityFailure: Error, Sendable, CustomStringConvertible {
    public let problem: VerificationProblem

    public init(_ problem: VerificationProblem) { self.problem = problem }

    public var description: String { problem.description }
}

/// A stored row that cannot be read back into a ledger value.
public struct StoreCorruption: Error, Sendable, Hashable, CustomStringConvertible {
    public let table: String
    /// The row's id (its integer primary key, or SQLite's rowid); nil for a table without one
    /// (posting, keyed by voucher and line: the message names the key) or a row read without it.
    public let rowID: Int64?
    public let message: String

    public init(table: String, rowID: Int64?, message: String) {
        self.table = table
        self.rowID = rowID
        self.message = message
    }

    public var description: String {
        if let rowID { return "数据库第 \(rowID) 行（表 \(table)）无法读取：\(message)" }
        return "数据库表 \(table) 中有一行无法读取：\(message)"
    }
}

/// Chain heads signed with a host unit's Ed25519 key when a month is closed or a package is
/// made (the private key is never in the database): `verify` checks each signature and that
/// the chains still pass through the heads, so books rewritten and re-hashed before a
/// checkpoint are caught without any file kept outside.
public struct Checkpoint: Sendable, Hashable, Codable {
    public let studio: String
    public let hostUnit: String
    /// "close" (a month closed, `label` its YYYY-MM) or "package" (`label` the as-of day).
    public let kind: String
    public let label: String
    public let voucherSequence: Int
    public let voucherHash: String
    public let logSequence: Int
    public let logHash: String
    public let rowSequence: Int
    public let rowHash: String
    public let publicKeyHex: String
    public let signatureHex: String
    /// When it was recorded (not signed; the row chain covers it), as read back.
    public let at: String?

    public init(
        studio: String, hostUnit: String, kind: String, label: String, voucherSequence: Int, voucherHash: String, logSequence: Int,
        logHash: String, rowSequence: Int, rowHash: String, publicKeyHex: String, signatureHex: String, at: String? = nil
    ) {
        self.at = at
        self.studio = studio
        self.hostUnit = hostUnit
        self.kind = kind
        self.label = label
        self.voucherSequence = voucherSequence
        self.voucherHash = voucherHash
        self.logSequence = logSequence
        self.logHash = logHash
        self.rowSequence = rowSequence
        self.rowHash = rowHash
        self.publicKeyHex = publicKeyHex
        self.signatureHex = signatureHex
    }

    /// The same checkpoint carrying `signature` (hex) over `signedText`.
    public func signed(_ signature: String) -> Checkpoint {
        Checkpoint(
            studio: studio, hostUnit: hostUnit, kind: kind, label: label, voucherSequence: voucherSequence, voucherHash: voucherHash,
            logSequence: logSequence, logHash: logHash, rowSequence: rowSequence, rowHash: rowHash, publicKeyHex: publicKeyHex,
            signatureHex: signature, at: at)
    }

    /// The text the host unit's key signs.
    public var signedText: String {
        "WL-CHECKPOINT-1\nstudio=\(Canonical.quote(studio)) host=\(Canonical.quote(hostUnit))\nkind=\(kind) label=\(Canonical.quote(label))\n"
            + "vouchers=\(voucherSequence):\(voucherHash)\nlog=\(logSequence):\(logHash)\nrows=\(rowSequence):\(rowHash)\nkey=\(publicKeyHex)\n"
    }
}
