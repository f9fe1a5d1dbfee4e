/// The canonical text of a posted voucher and of an operation-log entry: the exact bytes the
/// per-studio SHA-256 hash chain covers. Every field appears, in a fixed order, each text
/// JSON-escaped, so no two different vouchers share a canonical text. The format carries a
/// version tag; changing it means a new tag, never an edit.
public enum Canonical {
    public static let voucherTag = "WL-VOUCHER-1"
    public static let logTag = "WL-OPLOG-1"
    /// The "previous hash" of the first link of a chain.
    public static let genesis = String(repeating: "0", count: 64)

    public static func voucherText(
        ref: VoucherRef, draft: VoucherDraft, kind: VoucherKind, postedBy: String, postedAt: String,
        sequence: Int, previousHash: String
    ) -> String {
        // Written byte by byte into one buffer: this runs for every posted voucher (twice with
        // `verify`), and string concatenation reallocated the text a dozen times per voucher.
        var out = CanonicalWriter(capacity: 384 + draft.lines.count * 160)
        out.text(voucherTag); out.literal("\n")
        out.literal("studio="); out.quoted(ref.studio); out.literal("\n")
        out.literal("seq="); out.decimal(sequence); out.literal("\n")
        out.literal("period="); out.period(ref.period); out.literal(" class="); out.quoted(ref.voucherClass.rawValue)
        out.literal(" number="); out.decimal(ref.number); out.literal("\n")
        out.literal("date="); out.date(draft.date); out.literal("\n")
        out.literal("kind="); out.text(kind.code); out.literal(" link=")
        out.quoted(kind.link.map { "\($0.period.iso) \($0.label)" } ?? ""); out.literal("\n")
        out.literal("attachments="); out.decimal(draft.attachments); out.literal(" settlement=")
        out.quoted(draft.settlement?.rawValue ?? ""); out.literal("\n")
        out.literal("counterparty="); out.quoted(draft.counterparty); out.literal("\n")
        out.literal("preparer="); out.quoted(draft.preparer); out.literal(" reviewer="); out.quoted(draft.reviewer)
        out.literal(" poster="); out.quoted(draft.poster); out.literal("\n")
        out.literal("source="); out.quoted(draft.sourceRef ?? ""); out.literal("\n")
        out.literal("postedBy="); out.quoted(postedBy); out.literal(" postedAt="); out.quoted(postedAt); out.literal("\n")
        for (index, line) in draft.lines.enumerated() {
            out.literal("line="); out.decimal(index + 1); out.literal(" account="); out.text(line.account)
            out.literal(" fund="); out.text(line.fund.rawValue); out.literal(" side="); out.text(line.side.rawValue)
            out.literal(" fen="); out.decimal(line.amount.fen); out.literal(" invoice=")
            out.quoted(line.invoice?.description ?? "")
            out.literal(" memo="); out.quoted(line.memo); out.literal("\n")
        }
        out.literal("prev="); out.text(previousHash); out.literal("\n")
        return out.string
    }

    public static func logText(
        sequence: Int, at: String, user: String, action: String, studio: String, detail: String, previousHash: String
    ) -> String {
        var out = logTag + "\n"
        out += "seq=\(sequence) at=" + quote(at) + " user=" + quote(user) + "\n"
        out += "action=" + quote(action) + " studio=" + quote(studio) + "\n"
        out += "detail=" + quote(detail) + "\n"
        out += "prev=" + previousHash + "\n"
        return out
    }

    public static let keyTag = "WL-KEY-ROTATION-1"

    /// What the previous key signs when a host unit's signing key is rotated: the new key is
    /// endorsed by the one it replaces, so a key row written behind the ledger's back fails
    /// `verify`.
    public static func keyEndorsementText(hostUnit: String, previousKeyHex: String, nextKeyHex: String) -> String {
        keyTag + "\nhost=" + quote(hostUnit) + "\nprevious=" + previousKeyHex + "\nnext=" + nextKeyHex + "\n"
    }

    /// A JSON string literal for `text`.
    public static func quote(_ text: String) -> String {
        var out = CanonicalWriter(capacity: text.utf8.count + 2)
        out.quoted(text)
        return out.string
    }
}

/// The canonical voucher text written from stored bytes: the same bytes `voucherText` returns
/// (as UTF-8) for the voucher whose fields these bytes are, into one buffer that is reused from
/// voucher to voucher. `verify` hashes every voucher of every chain this way, without building a
/// `PostedVoucher`, a draft or a string per line. Text fields are given as their UTF-8 bytes;
/// a field that `voucherText` writes quoted is quoted here too.
public struct CanonicalVoucherBytes {
    private var out = CanonicalWriter(capacity: 2_048)

    public init() {}

    /// Starts a voucher: everything before its lines. `settlement`, `source` and the link text
    /// are empty when the voucher has none.
    public mutating func begin(
        studio: UnsafeBufferPointer<UInt8>, sequence: Int, period: Period, voucherClass: UnsafeBufferPointer<UInt8>, number: Int,
        date: CalendarDate, kind: VoucherKind, attachments: Int, settlement: UnsafeBufferPointer<UInt8>,
        counterparty: UnsafeBufferPointer<UInt8>, preparer: UnsafeBufferPointer<UInt8>, reviewer: UnsafeBufferPointer<UInt8>,
        poster: UnsafeBufferPointer<UInt8>, source: UnsafeBufferPointer<UInt8>, postedBy: UnsafeBufferPointer<UInt8>,
        postedAt: UnsafeBufferPointer<UInt8>
    ) {
        out.removeAll()
        out.text(Canonical.voucherTag); out.literal("\n")
        out.literal("studio="); out.quoted(bytes: studio); out.literal("\n")
        out.literal("seq="); out.decimal(sequence); out.literal("\n")
        out.literal("period="); out.period(period); out.literal(" class="); out.quoted(bytes: voucherClass)
        out.literal(" number="); out.decimal(number); out.literal("\n")
        out.literal("date="); out.date(date); out.literal("\n")
        out.literal("kind="); out.text(kind.code); out.literal(" link=")
        out.quoted(kind.link.map { "\($0.period.iso) \($0.label)" } ?? ""); out.literal("\n")
        out.literal("attachments="); out.decimal(attachments); out.literal(" settlement=")
        out.quoted(bytes: settlement); out.literal("\n")
        out.literal("counterparty="); out.quoted(bytes: counterparty); out.literal("\n")
        out.literal("preparer="); out.quoted(bytes: preparer); out.literal(" reviewer="); out.quoted(bytes: reviewer)
        out.literal(" poster="); out.quoted(bytes: poster); out.literal("\n")
        out.literal("source="); out.quoted(bytes: source); out.literal("\n")
        out.literal("postedBy="); out.quoted(bytes: postedBy); out.literal(" postedAt="); out.quoted(bytes: postedAt); out.literal("\n")
    }

    /// One line; `index` counts from 0 as `draft.lines` does. `invoice` is the invoice key's
    /// `description`, empty without one.
    public mutating func line(
        index: Int, account: UnsafeBufferPointer<UInt8>, fund: UnsafeBufferPointer<UInt8>, side: UnsafeBufferPointer<UInt8>,
        fen: Int64, invoice: UnsafeBufferPointer<UInt8>, memo: UnsafeBufferPointer<UInt8>
    ) {
        out.literal("line="); out.decimal(index + 1); out.literal(" account="); out.text(bytes: account)
        out.literal(" fund="); out.text(bytes: fund); out.literal(" side="); out.text(bytes: side)
        out.literal(" fen="); out.decimal(fen); out.literal(" invoice=")
        out.quoted(bytes: invoice)
        out.literal(" memo="); out.quoted(bytes: memo); out.literal("\n")
    }

    /// Ends the voucher with its previous hash.
    public mutating func end(previousHash: UnsafeBufferPointer<UInt8>) {
        out.literal("prev="); out.text(bytes: previousHash); out.literal("\n")
    }

    /// The text written so far.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try out.withBytes(body)
    }
}

/// UTF-8 output for canonical texts. Every byte it escapes is ASCII, and UTF-8 never uses an
/// ASCII byte inside a multi-byte scalar, so escaping bytes gives the same text as escaping
/// scalars did.
struct CanonicalWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the buffer, keeping its capacity (`CanonicalVoucherBytes` reuses it).
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer(body)
    }

    /// `text(_:)` of a text given as its UTF-8 bytes.
    mutating func text(bytes text: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: text)
    }

    /// `quoted(_:)` of a text given as its UTF-8 bytes.
    mutating func quoted(bytes utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
            escape(byte)
            start = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Fixed text of the format (names, separators).
    mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text copied as it is (tags, codes, hashes).
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `String(value)`: optional minus, then the digits.
    mutating func decimal(_ value: some BinaryInteger) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        let end = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[end...].reverse()
    }

    /// `CalendarDate.pad`: two digits below ten, else the plain number.
    mutating func padded(_ value: Int) {
        if value < 10 { bytes.append(UInt8(ascii: "0")) }
        decimal(value)
    }

    /// `Period.iso`, "2025-11".
    mutating func period(_ period: Period) {
        decimal(period.year); bytes.append(UInt8(ascii: "-")); padded(period.month)
    }

    /// `CalendarDate.iso`, "2025-11-03".
    mutating func date(_ date: CalendarDate) {
        decimal(date.year); bytes.append(UInt8(ascii: "-")); padded(date.month)
        bytes.append(UInt8(ascii: "-")); padded(date.day)
    }

    /// A JSON string literal: quote and backslash escaped with a backslash, LF, CR and tab by
    /// name (n, r, t), other control characters as u00XX (lower-case hex); all else as it is.
    mutating func quoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied whole.
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        default:
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)
}
