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
        var out = voucherTag + "\n"
        out += "studio=" + quote(ref.studio) + "\n"
        out += "seq=\(sequence)\n"
        out += "period=\(ref.period.iso) class=" + quote(ref.voucherClass.rawValue) + " number=\(ref.number)\n"
        out += "date=\(draft.date.iso)\n"
        out += "kind=\(kind.code) link=" + quote(kind.link.map { "\($0.period.iso) \($0.label)" } ?? "") + "\n"
        out += "attachments=\(draft.attachments) settlement=" + quote(draft.settlement?.rawValue ?? "") + "\n"
        out += "counterparty=" + quote(draft.counterparty) + "\n"
        out += "preparer=" + quote(draft.preparer) + " reviewer=" + quote(draft.reviewer)
        out += " poster=" + quote(draft.poster) + "\n"
        out += "source=" + quote(draft.sourceRef ?? "") + "\n"
        out += "postedBy=" + quote(postedBy) + " postedAt=" + quote(postedAt) + "\n"
        for (index, line) in draft.lines.enumerated() {
            out += "line=\(index + 1) account=\(line.account) fund=\(line.fund.rawValue) side=\(line.side.rawValue)"
            out += " fen=\(line.amount.fen) invoice=" + quote(line.invoice?.description ?? "")
            out += " memo=" + quote(line.memo) + "\n"
        }
        out += "prev=" + previousHash + "\n"
        return out
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

    /// A JSON string literal for `text`.
    public static func quote(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
