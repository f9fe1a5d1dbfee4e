import FundCore
import FundReports
import Foundation

// What a reader browsing the books needs beyond the statements: a filtered, paged 序时账, the
// evidence of one studio by its hash, downloads recorded in the log, and the accounts' part of
// the log. The web desk's studio pages use these; nothing here writes to the books.

/// Which vouchers a 序时账 page shows. Empty fields do not filter.
public struct JournalFilter: Sendable, Equatable {
    public var from: Period?
    public var to: Period?
    /// An account code (a parent covers its leaves): vouchers with a line on it.
    public var account: String?
    public var fund: Fund?
    /// Text in a memo, the counterparty or the voucher label.
    public var text: String?
    /// Bounds on the voucher's debit total, inclusive.
    public var minimum: Money?
    public var maximum: Money?

    public init(
        from: Period? = nil, to: Period? = nil, account: String? = nil, fund: Fund? = nil, text: String? = nil, minimum: Money? = nil,
        maximum: Money? = nil
    ) {
        self.from = from
        self.to = to
        self.account = account
        self.fund = fund
        self.text = text
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Parses the filter's text fields as typed into a form; a bad field is a rejection naming it.
    public static func parse(
        from: String?, to: String?, account: String?, fund: String?, text: String?, minimum: String?, maximum: String?
    ) throws(Rejection) -> JournalFilter {
        func present(_ value: String?) -> String? {
            guard let trimmed = value?.trimmingSpaces, !trimmed.isEmpty else { return nil }
            return trimmed
        }
        var filter = JournalFilter()
        if let value = present(from) { filter.from = try parseField("from") { () throws(Rejection) in try Period.parse(value) } }
        if let value = present(to) { filter.to = try parseField("to") { () throws(Rejection) in try Period.parse(value) } }
        filter.account = present(account)
        if let value = present(fund) { filter.fund = try parseField("fund") { () throws(Rejection) in try Fund.parse(value) } }
        filter.text = present(text)
        if let value = present(minimum) { filter.minimum = try parseField("min") { () throws(Rejection) in try Money.parse(value) } }
        if let value = present(maximum) { filter.maximum = try parseField("max") { () throws(Rejection) in try Money.parse(value) } }
        return filter
    }

    func matches(_ voucher: PostedVoucher) -> Bool {
        if let account, !voucher.draft.lines.contains(where: { $0.account.hasPrefix(account) }) { return false }
        if let fund, !voucher.draft.lines.contains(where: { $0.fund == fund }) { return false }
        if minimum != nil || maximum != nil {
            let total = voucher.draft.lines.filter { $0.side == .debit }.reduce(Int64(0)) { $0 &+ $1.amount.fen }
            if let minimum, total < minimum.fen { return false }
            if let maximum, total > maximum.fen { return false }
        }
        if let text {
            let hit = voucher.draft.counterparty.contains(text) || voucher.ref.label.contains(text)
                || voucher.draft.lines.contains { $0.memo.contains(text) }
            if !hit { return false }
        }
        return true
    }
}

/// One page of a filtered 序时账.
public struct JournalPage: Sendable {
    public let vouchers: [PostedVoucher]
    /// How many vouchers match the filter in all.
    public let total: Int
    /// 1-based.
    public let page: Int
    public let pageSize: Int

    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }
}

extension BooksDesk {
    /// The vouchers of a studio that match `filter`, dated through `asOf`, in book order (date,
    /// then voucher), `pageSize` at a time.
    public func journalPage(studio: String, filter: JournalFilter, asOf: CalendarDate? = nil, page: Int, pageSize: Int = 50) throws -> JournalPage {
        let day = app.cutoff(asOf)
        _ = try store.register.studio(code: studio)
        let matching = try store.books.vouchers(studio: studio, from: filter.from, to: filter.to)
            .filter { $0.draft.date <= day && filter.matches($0) }
            .sorted { ($0.draft.date, $0.ref) < ($1.draft.date, $1.ref) }
        let size = max(1, pageSize)
        let pages = max(1, (matching.count + size - 1) / size)
        let current = min(max(1, page), pages)
        let slice = matching.dropFirst((current - 1) * size).prefix(size)
        return JournalPage(vouchers: Array(slice), total: matching.count, page: current, pageSize: size)
    }
}

extension PackagesDesk {
    /// One evidence file of a studio by its SHA-256, with its bytes (checked against the hash).
    /// A hash that is not one of this studio's files is unknown here, whatever else the ledger holds.
    public func evidenceFile(studio: String, sha256: String) throws -> (file: EvidenceFile, content: Data) {
        guard let file = try evidence(studio: studio).first(where: { $0.sha256 == sha256 }) else {
            throw Rejection(.evidenceMissing, field: "sha256", "工作室 \(studio) 没有证据文件 \(sha256)")
        }
        return (file, try store.evidence.evidenceContent(sha256: sha256))
    }
}

extension StatementsDesk {
    /// Records in the operation log that the acting user took a file of a studio's books.
    public func recordDownload(studio: String, file: String) throws {
        try store.evidence.logDownload(studio: studio, detail: "下载 \(file)", stamp: stamp())
    }
}

extension AdminDesk {
    /// The log entries about accounts and sign-ins (user.*, login*, logout): what the system
    /// administrator sees, without any entry about the books.
    public func accountLogReport(user: String? = nil) throws -> AnyReport {
        let entries = try store.admin.log(studio: nil, user: user, action: nil).filter {
            $0.action.hasPrefix("user.") || $0.action.hasPrefix("login") || $0.action == "logout"
        }
        return AuditViews.log(entries)
    }
}
