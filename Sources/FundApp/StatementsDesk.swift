import FundCore
import FundExchange
import FundRender
import FundReports
import FundRules
import FundStore
import Foundation

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

extension AnyReport {
    /// The report value as pretty, key-sorted JSON (encoded on demand: packages and the PDF
    /// and XLSX formats never need it).
    public func json() throws -> Data { try ReportOutput.json(value) }
}

/// Statements of the books: reports in every format, the data exports, budgets.
public struct StatementsDesk: Desk {
    let app: LedgerApp
}

extension StatementsDesk {
    /// The statements of a studio's books: `ReportKind.bookKinds`, and the budget statements
    /// when it keeps budget accounting (平行记账, a public-institution host).
    public func bookKinds(studio: String) throws -> [ReportKind] {
        ReportKind.bookKinds + (try store.registry.budgetAccounting(studio: studio).kept ? ReportKind.budgetKinds : [])
    }

    /// Every statement `report KIND` builds for the studio (the books' and the evaluation's).
    public func statementKinds(studio: String) throws -> [ReportKind] {
        let books = try bookKinds(studio: studio)
        return ReportKind.statementKinds.filter { !ReportKind.budgetKinds.contains($0) || books.contains($0) }
    }

    /// Builds one report of one studio from the books. `books`, when given, are the studio's
    /// books already read and cut off at the request's as-of day (the audit package builds nine
    /// statements from one read).
    public func buildReport(_ request: ReportRequest, books: BooksSnapshot? = nil) throws -> AnyReport {
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
        var header = ReportHeader(
            studio: studio, hostUnit: hostUnit, chart: chart, fund: request.fund, from: from, to: to,
            preparedOn: asOf)
        header.confidentiality = try app.register.confidentiality(hostUnit: hostUnit.creditCode)
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
                header, vouchers: vouchers, turnovers: turnovers, budget: store.compliance.budget(studio: studio.code), policy: policy(for: studio)))
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
                header, turnovers: allTurnovers, budget: store.compliance.budget(studio: studio.code), asOf: asOf))
        case .selfEvaluation, .evaluationReport:
            let built = try app.evaluation.evaluate(studio: studio.code, asOf: asOf)
            return AnyReport(document: request.kind == .selfEvaluation ? built.selfEvaluation : built.report, value: built.value)
        case .budgetStatement, .budgetCarryover, .budgetReconciliation:
            let accounting = try store.registry.budgetAccounting(studio: studio.code)
            guard accounting.kept else {
                throw Rejection(
                    .budgetLinesNotKept, field: "report",
                    accounting.hostUnitKind == .enterprise
                        ? "工作室 \(studio.code) 的依托单位是企业，不做预算会计，没有\(request.kind.chineseTitle)"
                        : "科目表没有预算会计科目（6/7/8 类），工作室 \(studio.code) 未平行记账，没有\(request.kind.chineseTitle)")
            }
            let build = switch request.kind {
            case .budgetStatement: BudgetStatementReport.build
            case .budgetCarryover: BudgetStatementReport.buildCarryover
            default: BudgetStatementReport.buildReconciliation
            }
            return try statement(dated: header.preparedOn, build(header, vouchers, turnovers, accounting.basis))
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
    public func renderReport(_ request: ReportRequest, format: OutputFormat, encoding: CSVEncoding = .utf8) throws -> Data {
        try LedgerApp.render(try buildReport(request), format: format, encoding: encoding)
    }

    /// The policy version a studio is checked under (the one in force on its recognition date).
    func policy(for studio: Studio) throws -> Policy {
        guard let policy = Policy.inForce(on: studio.recognized, among: try app.compliance.policies()) else {
            throw Rejection(.periodInvalid, field: "policy", "没有适用于 \(studio.recognized.iso) 认定的工作室的政策版本")
        }
        return policy
    }

    func statement<Value>(dated date: CalendarDate, _ built: BuiltReport<Value>) throws -> AnyReport {
        var document = built.document
        document.date = date
        return AnyReport(document: document, value: built.value)
    }

    // MARK: Budgets

    /// Sets one budget line (a new revision, logged).
    public func setBudget(studio: String, fund: Fund, category: SpendingCategory, amount: Money, reason: String) throws -> Int {
        _ = try store.register.studio(code: studio)
        try TextField.validate(reason, field: "reason")
        return try store.compliance.setBudget([try BudgetLine(studio: studio, fund: fund, category: category, amount: amount)], reason: reason, stamp: stamp())
    }

    /// Imports a budget CSV for one studio: all lines or none.
    public func importBudget(csv data: Data, file: String, studio: String, reason: String) throws -> Int {
        _ = try store.register.studio(code: studio)
        let lines = try BudgetCSVReader(file: file, studio: studio).read(data)
        try TextField.validate(reason, field: "reason")
        return try store.compliance.setBudget(lines, reason: reason.isEmpty ? "导入 \(URL(fileURLWithPath: file).lastPathComponent)" : reason, stamp: stamp())
    }

    public func budget(studio: String) throws -> [BudgetLine] {
        _ = try store.register.studio(code: studio)
        return try store.compliance.budget(studio: studio)
    }

    public func budgetHistory(studio: String) throws -> [BudgetRevision] {
        _ = try store.register.studio(code: studio)
        return try store.compliance.budgetHistory(studio: studio)
    }
}

extension StatementsDesk {
    /// One studio's books as of a day, for the data exports. The studio is as of that day:
    /// its leader and host unit after any approved change in effect by then (第十一条), so a
    /// statement, export or package dated before a change names the old ones and one dated on
    /// or after it the new ones (and the new host unit's key signs its package).
    public func booksSnapshot(studio code: String, asOf: CalendarDate) throws -> BooksSnapshot {
        let studio = try app.register.studio(code: code, asOf: asOf)
        guard let hostUnit = try store.register.hostUnits().first(where: { $0.creditCode == studio.hostUnit }) else {
            throw Rejection(.hostUnitUnknown, field: "studio", "工作室 \(studio.code) 的依托单位未登记")
        }
        return BooksSnapshot(studio: studio, hostUnit: hostUnit, chart: try store.register.chart(), vouchers: try store.books.vouchers(studio: code), asOf: asOf)
    }
}

extension LedgerApp {
    /// The one dispatch, with this program's name and version as the generator.
    public static func render(_ report: AnyReport, format: OutputFormat, encoding: CSVEncoding = .utf8) throws -> Data {
        try ReportOutput.render(report, format: format, encoding: encoding, generator: "WorkshopLedger \(version)")
    }
}

/// The data formats for audit software and for cross-checking with other ledgers.
public enum ExportFormat: String, CaseIterable, Sendable {
    case gbt24589, ao, hledger, beancount

    /// gbt24589 and ao are a folder of files; hledger and beancount one file.
    public var isFolder: Bool { self == .gbt24589 || self == .ao }
}

/// One file of an export: its path inside the export folder ("" for a one-file format).
public struct ExportedFile: Sendable {
    public let path: String
    public let data: Data
}

extension StatementsDesk {
    /// One studio's books as of a day in a data format: GB/T 24589 XML (GB18030), the AO
    /// tables in UTF-8/ and GB18030/, an hledger journal or a beancount file.
    /// The data exports carry no evidence files; for a studio of a 涉密 host unit (第十二条)
    /// every export also carries the marking: a `涉密标记.txt` in a folder export, a comment
    /// line at the top of a one-file export.
    public func export(_ format: ExportFormat, studio: String, asOf: CalendarDate? = nil) throws -> [ExportedFile] {
        let snapshot = try booksSnapshot(studio: studio, asOf: app.cutoff(asOf))
        var files = try unmarkedExport(format, snapshot)
        if let marking = try app.register.confidentiality(hostUnit: snapshot.hostUnit.creditCode) {
            let text = "\(snapshot.hostUnit.name) \(ReportHeader.markingText(marking))"
            if format.isFolder {
                files.insert(ExportedFile(path: "涉密标记.txt", data: Data((text + "\n").utf8)), at: 0)
            } else {
                files[0] = ExportedFile(path: files[0].path, data: Data("; \(text)\n".utf8) + files[0].data)
            }
        }
        return files
    }

    func unmarkedExport(_ format: ExportFormat, _ snapshot: BooksSnapshot) throws -> [ExportedFile] {
        switch format {
        case .hledger: return [ExportedFile(path: "", data: Data(HledgerExport.journal(snapshot).utf8))]
        case .beancount: return [ExportedFile(path: "", data: Data(BeancountExport.file(snapshot).utf8))]
        case .gbt24589: return try GBT24589Export.files(snapshot).map { ExportedFile(path: $0.name, data: $0.data) }
        case .ao:
            return try AOTablesExport.tables(snapshot).flatMap { table in
                [
                    ExportedFile(path: "UTF-8/\(table.name)", data: CSVEncoding.utf8.encode(table.text)),
                    ExportedFile(path: "GB18030/\(table.name)", data: CSVEncoding.gb18030.encode(table.text)),
                ]
            }
        }
    }
}
