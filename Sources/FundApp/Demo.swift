import FundCore
import FundExchange
import FundRender
import FundFixtures
import FundStore
import Foundation
import FundReports

/// The sample books `workshop-ledger demo` builds from `Fixtures/demo/demo.json`: host units,
/// studios, a year of vouchers per studio, a reversal with its correction and closed months.
public struct DemoManifest: Decodable, Sendable {
    public struct HostUnitEntry: Decodable, Sendable {
        public let creditCode: String
        public let name: String
        public let kind: String
        public let county: String
    }

    public struct StudioEntry: Decodable, Sendable {
        public let code: String
        public let name: String
        public let hostUnit: String
        public let leader: String
        public let field: String
        public let recognized: String
        public let subsidy: String
    }

    public struct ImportEntry: Decodable, Sendable {
        public let studio: String
        public let file: String
    }

    public struct ReversalEntry: Decodable, Sendable {
        public let studio: String
        public let period: String
        public let `class`: String
        public let number: Int
        public let date: String
        public let reason: String
        /// Who reviewed the reversal (someone other than the demo's operator).
        public let reviewer: String
        public let correction: String?
    }

    public struct CloseEntry: Decodable, Sendable {
        public let studio: String
        public let through: String
    }

    /// A public-institution studio's year-end closing of its budget accounts (平行记账).
    public struct BudgetCloseEntry: Decodable, Sendable {
        public let studio: String
        public let year: Int
        public let reviewer: String
    }

    public let today: String
    public let instant: String
    public let user: String
    public let hostUnits: [HostUnitEntry]
    public let studios: [StudioEntry]
    public let imports: [ImportEntry]
    public let reversals: [ReversalEntry]
    public let closes: [CloseEntry]
    /// Year-end closings of budget accounts, posted before the month closes (optional).
    public let budgetCloses: [BudgetCloseEntry]?
    /// 资金使用计划 CSVs, one per studio (optional).
    public let budgets: [ImportEntry]?
    /// Activity records (第十三条 outputs), one CSV per studio (optional).
    public let activities: [ImportEntry]?
    public let targets: [TargetEntry]?
    /// Lifecycle steps, in order (optional).
    public let lifecycle: [LifecycleEntry]?
    public let notices: [NoticeEntry]?
    public let changes: [ChangeEntry]?
    /// Evaluation packages `demo` writes (optional).
    public let evaluations: [EvaluationEntry]?

    public struct TargetEntry: Decodable, Sendable {
        public let studio: String
        public let indicator: String
        public let target: String
        public let actual: String?
        public let note: String?
    }

    public struct LifecycleEntry: Decodable, Sendable {
        public let studio: String
        public let to: String
        public let date: String
        public let by: String
        public let note: String?
        public let ground: String?
        public let deadline: String?
        public let score: String?
    }

    public struct NoticeEntry: Decodable, Sendable {
        public let studio: String
        public let kind: String
        public let date: String
        public let by: String
        public let note: String?
    }

    public struct ChangeEntry: Decodable, Sendable {
        public let studio: String
        public let kind: String
        public let date: String
        public let note: String?
    }

    public struct EvaluationEntry: Decodable, Sendable {
        public let studio: String
        public let asOf: String
    }
}

public struct DemoResult: Sendable {
    public let databasePath: String
    public let app: LedgerApp
    public let studios: [String]
    public let vouchers: Int
    /// The evaluation packages to write: studio and as-of day.
    public let evaluations: [(studio: String, asOf: CalendarDate)]
}

public enum Demo {
    /// The file formats every statement of the demo is written in.
    public static let reportFormats: [OutputFormat] = [.xlsx, .pdf, .csv, .html, .json]

    /// Builds a fresh demo database in `directory` (an existing demo database there is
    /// replaced) from the fixtures in `fixtures` (default: the shipped ones).
    public static func build(in directory: URL, fixtures: URL = FixturesBundle.demoDirectory) throws -> DemoResult {
        let manifestURL = fixtures.appendingPathComponent("demo.json")
        let manifest = try JSONDecoder().decode(DemoManifest.self, from: Data(contentsOf: manifestURL))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("workshop-ledger.sqlite").path
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        // What an earlier demo wrote beside its database belongs to that database: its keys
        // (registered there, kept where every later command looks: DB.keys/), its reports and
        // packages.
        for folder in ["workshop-ledger.sqlite.keys", "keys", "reports", "packages", "evaluation"] {
            let url = directory.appendingPathComponent(folder)
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        }
        let clock = FixedClock(instant: manifest.instant, today: try CalendarDate.parse(manifest.today))
        let app = try LedgerApp(path: path, clock: clock, user: manifest.user)
        _ = try app.register.initialize()
        for unit in manifest.hostUnits {
            _ = try app.register.addHostUnit(creditCode: unit.creditCode, name: unit.name, kind: unit.kind, county: unit.county)
        }
        for studio in manifest.studios {
            _ = try app.register.addStudio(
                code: studio.code, name: studio.name, hostUnit: studio.hostUnit, leader: studio.leader,
                field: studio.field, recognized: studio.recognized, subsidy: studio.subsidy)
        }
        for entry in manifest.budgets ?? [] {
            let url = fixtures.appendingPathComponent(entry.file)
            _ = try app.statements.importBudget(csv: Data(contentsOf: url), file: url.path, studio: entry.studio, reason: "认定时报送的资金使用计划")
        }
        var vouchers = 0
        for entry in manifest.imports {
            let url = fixtures.appendingPathComponent(entry.file)
            // The demo's books came from the host units' ERP (a migration), and some of their
            // vouchers were never reviewed by a second person: they are loaded as such, logged,
            // and raise JE-002, which the demo shows.
            vouchers += try app.books.importVouchers(csv: Data(contentsOf: url), file: url.path, studio: entry.studio, allowUnreviewed: true)
                .vouchers.count
        }
        for reversal in manifest.reversals {
            let ref = VoucherRef(
                studio: reversal.studio, period: try Period.parse(reversal.period),
                voucherClass: try VoucherClass.parse(reversal.class), number: reversal.number)
            let correction = try reversal.correction.map { name -> (Data, String) in
                let url = fixtures.appendingPathComponent(name)
                return (try Data(contentsOf: url), url.path)
            }
            vouchers += try app.books.reverse(ref, date: try CalendarDate.parse(reversal.date), reason: reversal.reason, correction: correction,
                reviewer: reversal.reviewer).count
        }
        for entry in manifest.budgetCloses ?? [] {
            vouchers += try app.books.closeBudgetYear(studio: entry.studio, year: entry.year, reviewer: entry.reviewer).count
        }
        for close in manifest.closes {
            try closeThrough(try Period.parse(close.through), studio: close.studio, app: app)
        }
        vouchers += try applyLifecycle(manifest, fixtures: fixtures, app: app)
        return DemoResult(
            databasePath: path, app: app, studios: manifest.studios.map(\.code), vouchers: vouchers,
            evaluations: try (manifest.evaluations ?? []).map { ($0.studio, try CalendarDate.parse($0.asOf)) })
    }

    /// Writes every report of every studio in every format into `directory/STUDIO/`, as of
    /// the app's today. Returns the files written, in order.
    public static func writeReports(
        app: LedgerApp, studios: [String], into directory: URL, formats: [OutputFormat] = Demo.reportFormats, asciiNames: Bool = false
    ) throws -> [URL] {
        var written: [URL] = []
        for studio in studios {
            let folder = directory.appendingPathComponent(studio, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for kind in try app.statements.bookKinds(studio: studio) {
                let built = try app.statements.buildReport(ReportRequest(kind: kind, studio: studio))
                for format in formats {
                    // Chinese names like the audit package's (ZY2025-001-科目余额表.pdf), or ASCII
                    // ones (ZY2025-001-trial-balance.pdf) for systems that mangle them.
                    let stem = asciiNames ? kind.fileStem(studio: studio, fund: nil, ascii: true) : built.document.fileStem
                    let url = folder.appendingPathComponent("\(stem).\(format.fileExtension)")
                    try app.writeOutput(LedgerApp.render(built, format: format), to: url.path)
                    written.append(url)
                }
            }
        }
        return written
    }

    /// Gives every host unit of the sample studios a signing key (private keys beside the
    /// database, in `DB.keys/`, where `audit-package build`, `period close` and `serve` find them
    /// without `--key-file`) and writes each studio's audit package, as of the app's today, into
    /// `directory/packages/`. Returns the packages written.
    public static func writePackages(app: LedgerApp, studios: [String], into directory: URL) throws -> [URL] {
        let packages = directory.appendingPathComponent("packages", isDirectory: true)
        try FileManager.default.createDirectory(at: packages, withIntermediateDirectories: true)
        var written: [URL] = []
        for code in studios {
            let studio = try app.register.studio(code: code)
            let keyFile = app.packages.defaultKeyFile(hostUnit: studio.hostUnit)
            if try app.packages.signingKeys(hostUnit: studio.hostUnit.description).isEmpty {
                _ = try app.packages.generateSigningKey(hostUnit: studio.hostUnit.description, file: keyFile)
            }
            let url = packages.appendingPathComponent("\(code)-audit-package.zip")
            _ = try app.packages.writeAuditPackage(studio: code, asOf: app.clock.today(), keyFile: keyFile, to: url.path)
            written.append(url)
        }
        return written
    }

    /// Activities, targets, lifecycle steps (the clawback among them), notices and changes.
    /// Returns the number of vouchers the steps posted.
    static func applyLifecycle(_ manifest: DemoManifest, fixtures: URL, app: LedgerApp) throws -> Int {
        for entry in manifest.activities ?? [] {
            let url = fixtures.appendingPathComponent(entry.file)
            _ = try app.lifecycle.importActivities(csv: Data(contentsOf: url), file: url.path, studio: entry.studio)
        }
        for target in manifest.targets ?? [] {
            _ = try app.lifecycle.setTarget(studio: target.studio, indicator: target.indicator, target: target.target, actual: target.actual, note: target.note ?? "")
        }
        // Notices first: each is dated before the steps that follow it in the demo.
        for notice in manifest.notices ?? [] {
            try app.lifecycle.notice(try GovernanceNoticeKind.parse(notice.kind), studio: notice.studio, date: try CalendarDate.parse(notice.date), by: notice.by, note: notice.note ?? "")
        }
        var vouchers = 0
        for step in manifest.lifecycle ?? [] {
            let transition = LifecycleTransition(
                to: try LifecycleState.parse(step.to), date: try CalendarDate.parse(step.date), by: step.by, note: step.note ?? "",
                ground: try step.ground.map { try RevocationGround.parse($0) }, deadline: try step.deadline.map { try CalendarDate.parse($0) },
                score: try step.score.map { try Score.parse($0) })
            vouchers += try app.lifecycle.advance(studio: step.studio, transition: transition).count
        }
        for change in manifest.changes ?? [] {
            _ = try app.lifecycle.recordChange(studio: change.studio, kind: try ChangeKind.parse(change.kind), date: try CalendarDate.parse(change.date), detail: change.note ?? "")
        }
        return vouchers
    }

    /// Writes the evaluation package of each studio the manifest names into `directory/STUDIO/`.
    public static func writeEvaluations(_ result: DemoResult, into directory: URL) throws -> [URL] {
        var written: [URL] = []
        for (studio, asOf) in result.evaluations {
            written += try result.app.evaluation.write(studio: studio, asOf: asOf, into: directory.appendingPathComponent(studio, isDirectory: true)).files
        }
        return written
    }

    /// Closes every month from the start of the books through `last`.
    static func closeThrough(_ last: Period, studio: String, app: LedgerApp) throws {
        let studioValue = try app.store.register.studio(code: studio)
        var period = min(try app.store.books.activeRange(studio: studio)?.lowerBound ?? studioValue.recognized.period, studioValue.recognized.period)
        while period <= last {
            try app.books.closePeriod(period, studio: studio)
            period = period.next
        }
    }
}

/// What `demo` did, for the front end to show: the books, their checks, the files written.
public struct DemoOutcome: Sendable {
    public struct StudioSummary: Sendable {
        public let code: String
        public let name: String
        /// The studio's 科目余额表 as of the demo's day.
        public let trialBalance: AnyReport
        /// 项目预算收入支出表 of a studio that keeps budget accounting (平行记账), else nil.
        public let budgetStatement: AnyReport?
        public let status: StudioStatus
    }

    public struct EvaluationSummary: Sendable {
        public let studio: String
        public let asOf: CalendarDate
        public let total: Score
        public let grade: String
    }

    public struct PackageSummary: Sendable {
        public let file: URL
        public let filesChecked: Int
        public let signatureValid: Bool
    }

    public let databasePath: String
    public let vouchers: Int
    public let studios: [StudioSummary]
    public let check: CheckResult
    public let reports: [URL]
    public let reportFormats: [OutputFormat]
    /// The check as a report.
    public var checkReport: AnyReport { AuditViews.check(check) }
    public let evaluationFiles: [URL]
    public let evaluations: [EvaluationSummary]
    public let packages: [PackageSummary]
    public let verification: VerificationReport
    /// One web desk account per role over the demo books, each with a random password that
    /// works at once (not must-change). Printed once by `demo`; stored only as bcrypt hashes.
    public let demoAccounts: [DemoAccount]
}

/// A web desk account the demo made, with its password.
public struct DemoAccount: Sendable {
    public let name: String
    public let role: Role
    public let scope: Scope
    public let expires: CalendarDate?
    public let password: String
}

extension Demo {
    /// The whole demo: builds the books in `directory`, writes every report (reports/), the
    /// evaluation packages (evaluation/) and signed audit packages (packages/), verifies each
    /// package and the ledger, and returns what a front end shows of it.
    public static func run(in directory: URL, formats: [OutputFormat] = Demo.reportFormats, asciiNames: Bool = false) throws -> DemoOutcome {
        let result = try build(in: directory)
        let app = result.app
        var studios: [DemoOutcome.StudioSummary] = []
        for code in result.studios {
            studios.append(DemoOutcome.StudioSummary(
                code: code, name: try app.register.studio(code: code).name,
                trialBalance: try app.statements.buildReport(ReportRequest(kind: .trialBalance, studio: code)),
                budgetStatement: try app.statements.bookKinds(studio: code).contains(.budgetStatement)
                    ? app.statements.buildReport(ReportRequest(kind: .budgetStatement, studio: code)) : nil,
                status: try app.lifecycle.status(studio: code)))
        }
        let check = try app.compliance.check(studio: nil)
        let reports = try writeReports(
            app: app, studios: result.studios, into: directory.appendingPathComponent("reports"), formats: formats, asciiNames: asciiNames)
        let evaluationFiles = try writeEvaluations(result, into: directory.appendingPathComponent("evaluation"))
        let evaluations = try result.evaluations.map { studio, asOf in
            let value = try app.evaluation.evaluate(studio: studio, asOf: asOf).value
            return DemoOutcome.EvaluationSummary(studio: studio, asOf: asOf, total: value.total, grade: value.grade.rawValue)
        }
        let packages = try writePackages(app: app, studios: result.studios, into: directory).map { url in
            let verification = AuditPackage.verify(try Data(contentsOf: url))
            return DemoOutcome.PackageSummary(file: url, filesChecked: verification.filesChecked, signatureValid: verification.isClean)
        }
        // Last, so that nothing the demo wrote before (packages, reports) changes with them.
        let accounts = try addAccounts(app: app)
        return DemoOutcome(
            databasePath: result.databasePath, vouchers: result.vouchers, studios: studios, check: check, reports: reports,
            reportFormats: formats, evaluationFiles: evaluationFiles, evaluations: evaluations, packages: packages,
            verification: try app.admin.verify(), demoAccounts: accounts)
    }

    /// One account per role over the demo books: the bureau; the county of ZY2025-001's host
    /// unit; an accountant and a supervisor of that host unit; an auditor of ZY2025-001 and
    /// ZY2025-002 until 2027-12-31; the administrator. Each gets a random password.
    static func addAccounts(app: LedgerApp) throws -> [DemoAccount] {
        let units = try app.register.hostUnits()
        let studios = try app.register.studios().map(\.code)
        let audited = ["ZY2025-001", "ZY2025-002"].filter(studios.contains)
        let named = audited.isEmpty ? Array(studios.prefix(2)) : audited
        guard let first = named.first, let unit = units.first(where: { $0.creditCode == (try? app.register.studio(code: first))?.hostUnit })
        else { return [] }
        let forms = [
            NewAccountForm(name: "市人社局审核员", role: "bureau"),
            NewAccountForm(name: "\(unit.county)人社局", role: "county", county: unit.county),
            NewAccountForm(name: "众诚机械会计", role: "accountant", hostUnit: unit.creditCode.text),
            NewAccountForm(name: "众诚机械财务负责人", role: "supervisor", hostUnit: unit.creditCode.text),
            NewAccountForm(name: "审计机构审计员", role: "auditor", studios: named, expires: "2027-12-31"),
            NewAccountForm(name: "系统管理员", role: "admin"),
        ]
        return try forms.map { form in
            let password = AccountsDesk.oneTimePassword()
            let account = try app.accounts.add(form, password: password).account
            return DemoAccount(name: account.name, role: account.role, scope: account.scope, expires: account.expires, password: password)
        }
    }
}
