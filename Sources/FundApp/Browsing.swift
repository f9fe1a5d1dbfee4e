import FundCore
import FundReports
import FundStore
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
    /// then voucher), `pageSize` at a time: filtered, counted and paged by the store.
    public func journalPage(studio: String, filter: JournalFilter, asOf: CalendarDate? = nil, page: Int, pageSize: Int = 50) throws -> JournalPage {
        let query = VoucherQuery(
            studio: studio, from: filter.from, to: filter.to, through: app.cutoff(asOf), accountPrefix: filter.account, fund: filter.fund,
            text: filter.text, minimumFen: filter.minimum?.fen, maximumFen: filter.maximum?.fen)
        // Bounded so that (page - 1) × size cannot overflow, whatever page a request names.
        let size = min(max(1, pageSize), 10_000)
        var current = min(max(1, page), 1_000_000_000)
        var found = try store.books.journalPage(query, offset: (current - 1) * size, limit: size)
        let pages = max(1, (found.total + size - 1) / size)
        if current > pages {
            current = pages
            found = try store.books.journalPage(query, offset: (current - 1) * size, limit: size)
        }
        return JournalPage(vouchers: found.vouchers, total: found.total, page: current, pageSize: size)
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
    public func accountLogReport(user: String? = nil, action: String? = nil) throws -> AnyReport {
        let entries = try store.admin.log(studio: nil, user: user, action: action).filter {
            $0.action.hasPrefix("user.") || $0.action.hasPrefix("login") || $0.action == "logout"
        }
        return AuditViews.log(entries)
    }
}
