import FundCore
import FundExchange
import FundRender
import FundReports
import FundRules
import FundStore
import Foundation

/// The formats a statement is written in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case xlsx, pdf, csv, html, json

    public var fileExtension: String { rawValue }
}

/// Bytes of a CSV file: UTF-8 with a BOM (Excel then opens Chinese text right) or GB18030.
public enum CSVEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case gb18030

    public func encode(_ text: String) -> Data {
        switch self {
        case .utf8: TextEncoding.encode(text, as: .utf8, bom: true)
        case .gb18030: TextEncoding.encode(text, as: .gb18030)
        }
    }
}

/// What `report KIND` is asked for.
public struct ReportRequest: Sendable {
    public var kind: ReportKind
    public var studio: String
    public var fund: Fund?
    public var from: Period?
    public var to: Period?
    /// The day the books are taken as of (default today, by the app's clock): vouchers dated
    /// after it are left out, even within its month, and the report is dated on it. The same
    /// ledger and day give the same bytes.
    public var asOf: CalendarDate?
    /// 明细账 of one account (a parent covers its leaves); nil: every account with entries.
    public var account: String?

    public init(
        kind: ReportKind, studio: String, fund: Fund? = nil, from: Period? = nil, to: Period? = nil, asOf: CalendarDate? = nil,
        account: String? = nil
    ) {
        self.kind = kind
        self.studio = studio
        self.fund = fund
        self.from = from
        self.to = to
        self.asOf = asOf
        self.account = account
    }
}

/// A built report: its document for the renderers and its value (JSON, amounts in fen).
public struct BuiltStatement: Sendable {
    public let document: ReportDocument
    public let value: any Encodable & Sendable

    /// The report value as pretty, key-sorted JSON (encoded on demand: packages and the PDF
    /// and XLSX formats never need it).
    public func json() throws -> Data { try LedgerApp.reportJSON(value) }
}

/// Statements of the books: reports in every format, the data exports, budgets.
public struct StatementsDesk: Desk {
    let app: LedgerApp
}

extension StatementsDesk {
    /// Builds one report of one studio from the books. `books`, when given, are the studio's
    /// books already read and cut off at the request's as-of day (the audit package builds nine
    /// statements from one read).
    public func buildReport(_ request: ReportRequest, books: BooksSnapshot? = nil) throws -> BuiltStatement {
        let asOf = app.cutoff(request.asOf)
        let snapshot = try books.flatMap { $0.studio.code == request.studio && $0.asOf == asOf ? $0 : nil }
            ?? booksSnapshot(studio: request.studio, asOf: asOf)
        let chart = snapshot.chart
        let studio = snapshot.studio
        let hostUnit = snapshot.hostUnit
        var (from, to) = try app.books.range(studio: studio.code, from: request.from, to: request.to)
        // Nothing after the as-of day: the months end at its month at the latest.
        to = max(from, min(to, asOf.period))
        let allVouchers = snapshot.vouchers
        let allTurnovers = snapshot.turnovers.filter { request.fund == nil || $0.fund == request.fund }
        // Books list entries by date, then voucher (class and number) within the day.
        let vouchers = allVouchers.filter { $0.ref.period >= from && $0.ref.period <= to }
            .sorted { ($0.draft.date, $0.ref) < ($1.draft.date, $1.ref) }
        let turnovers = allTurnovers.filter { $0.period <= to }
        let header = ReportHeader(
            studio: studio, hostUnit: hostUnit, chart: chart, fund: request.fund, from: from, to: to,
            preparedOn: asOf)
        switch request.kind {
        case .trialBalance:
            let balance = try TrialBalance.build(
                studio: studio.code, chart: chart, turnovers: turnovers, funds: request.fund.map { [$0] } ?? Fund.allCases, from: from, to: to)
            return try statement(dated: header.preparedOn, TrialBalanceReport.build(header, balance))
        case .generalLedger:
            return try statement(dated: header.preparedOn, GeneralLedgerReport.build(header, turnovers: turnovers))
        case .subsidiaryLedger:
            let codes: [String]
            if let account = request.account {
                guard chart[account] != nil else {
                    throw Rejection(.accountUnknown, field: "account", "科目编码 \(account) 不存在")
                }
                codes = [account]
            } else {
                codes = Array(Set(turnovers.map(\.account))).sorted()
            }
            let ledgers = try codes.compactMap { code in
                try Self.accountLedger(code, chart: chart, fund: request.fund, turnovers: turnovers, vouchers: vouchers, from: from)
            }
            return try statement(dated: header.preparedOn, SubsidiaryLedgerReport.build(header, ledgers: ledgers))
        case .journal:
            return try statement(dated: header.preparedOn, JournalReport.build(header, vouchers: vouchers))
        case .fundStatement:
            return try statement(dated: header.preparedOn, FundStatementReport.build(
                header, vouchers: vouchers, turnovers: turnovers, budget: store.budget(studio: studio.code), policy: policy(for: studio)))
        case .expenseDetail:
            return try statement(dated: header.preparedOn, ExpenseDetailReport.build(header, vouchers: vouchers, policy: policy(for: studio)))
        case .vouchers:
            return try statement(dated: header.preparedOn, VoucherPrintReport.build(header, vouchers: vouchers))
        case .findings:
            let result = try app.compliance.check(studio: studio.code, asOf: asOf)
            let findings = result.findings.filter { request.fund == nil || $0.fund == nil || $0.fund == request.fund }
            return try statement(dated: header.preparedOn, FindingsReport.build(header, findings: findings, asOf: asOf, policy: policy(for: studio)))
        case .spendingChart:
            return try statement(dated: header.preparedOn, SpendingChartReport.build(
                header, turnovers: allTurnovers, budget: store.budget(studio: studio.code), asOf: asOf))
        case .selfEvaluation, .evaluationReport:
            let built = try app.lifecycle.evaluation(studio: studio.code, asOf: asOf)
            return BuiltStatement(document: request.kind == .selfEvaluation ? built.selfEvaluation : built.report, value: built.value)
        }
    }

    /// 明细账 of one account (a parent code covers its leaves) from the books in hand; nil when
    /// the account has neither an opening balance nor entries in the range.
    static func accountLedger(
        _ code: String, chart: ChartOfAccounts, fund: Fund?, turnovers: [MonthTurnover], vouchers: [PostedVoucher], from: Period
    ) throws -> AccountLedger? {
        guard let account = chart[code] else { return nil }
        var entries: [LedgerEntry] = []
        for voucher in vouchers {
            for (index, line) in voucher.draft.lines.enumerated()
            where line.account.hasPrefix(code) && (fund == nil || line.fund == fund) {
                entries.append(LedgerEntry(ref: voucher.ref, date: voucher.draft.date, lineNumber: index + 1, line: line, counterparty: voucher.draft.counterparty))
            }
        }
        let ledger = try AccountLedger.build(account: account, turnovers: turnovers, entries: entries, from: from)
        return entries.isEmpty && ledger.rows[0].balance.isZero ? nil : ledger
    }

    /// Builds and renders one report.
    public func renderReport(_ request: ReportRequest, format: ReportFormat, encoding: CSVEncoding = .utf8) throws -> Data {
        let built = try buildReport(request)
        return try LedgerApp.render(built, format: format, encoding: encoding)
    }

    /// The policy version a studio is checked under (the one in force on its recognition date).
    func policy(for studio: Studio) throws -> Policy {
        guard let policy = Policy.inForce(on: studio.recognized, among: try app.compliance.policies()) else {
            throw Rejection(.periodInvalid, field: "policy", "没有适用于 \(studio.recognized.iso) 认定的工作室的政策版本")
        }
        return policy
    }

    func statement<Value>(dated date: CalendarDate, _ built: BuiltReport<Value>) throws -> BuiltStatement {
        var document = built.document
        document.date = date
        return BuiltStatement(document: document, value: built.value)
    }

    // MARK: Budgets

    /// Sets one budget line (a new revision, logged).
    public func setBudget(studio: String, fund: Fund, category: SpendingCategory, amount: Money, reason: String) throws -> Int {
        _ = try store.studio(code: studio)
        return try store.setBudget([try BudgetLine(studio: studio, fund: fund, category: category, amount: amount)], reason: reason, stamp: stamp())
    }

    /// Imports a budget CSV for one studio: all lines or none.
    public func importBudget(csv data: Data, file: String, studio: String, reason: String) throws -> Int {
        _ = try store.studio(code: studio)
        let lines = try BudgetCSVReader(file: file, studio: studio).read(data)
        return try store.setBudget(lines, reason: reason.isEmpty ? "导入 \(URL(fileURLWithPath: file).lastPathComponent)" : reason, stamp: stamp())
    }

    public func budget(studio: String) throws -> [BudgetLine] {
        _ = try store.studio(code: studio)
        return try store.budget(studio: studio)
    }

    public func budgetHistory(studio: String) throws -> [BudgetRevision] {
        _ = try store.studio(code: studio)
        return try store.budgetHistory(studio: studio)
    }
}

extension StatementsDesk {
    /// One studio's books as of a day, for the data exports.
    public func booksSnapshot(studio code: String, asOf: CalendarDate) throws -> BooksSnapshot {
        let studio = try store.studio(code: code)
        guard let hostUnit = try store.hostUnits().first(where: { $0.creditCode == studio.hostUnit }) else {
            throw Rejection(.hostUnitUnknown, field: "studio", "工作室 \(studio.code) 的依托单位未登记")
        }
        return BooksSnapshot(studio: studio, hostUnit: hostUnit, chart: try store.chart(), vouchers: try store.vouchers(studio: code), asOf: asOf)
    }
}

extension LedgerApp {
    public static func render(_ built: BuiltStatement, format: ReportFormat, encoding: CSVEncoding = .utf8) throws -> Data {
        switch format {
        case .json: return try built.json()
        case .csv: return encoding.encode(CSVRenderer.render(built.document))
        case .html: return Data(HTMLRenderer.render(built.document, generator: "WorkshopLedger \(LedgerApp.version)").utf8)
        case .xlsx: return try XLSXRenderer.render(built.document)
        case .pdf: return try PDFRenderer.render(built.document)
        }
    }

    /// Pretty, key-sorted JSON: the same books give the same bytes.
    public static func reportJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value) + Data("\n".utf8)
    }
}
