import FundCore
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
        public let correction: String?
    }

    public struct CloseEntry: Decodable, Sendable {
        public let studio: String
        public let through: String
    }

    public let today: String
    public let instant: String
    public let user: String
    public let hostUnits: [HostUnitEntry]
    public let studios: [StudioEntry]
    public let imports: [ImportEntry]
    public let reversals: [ReversalEntry]
    public let closes: [CloseEntry]
    /// 资金使用计划 CSVs, one per studio (optional).
    public let budgets: [ImportEntry]?
}

public struct DemoResult: Sendable {
    public let databasePath: String
    public let app: LedgerApp
    public let studios: [String]
    public let vouchers: Int
}

public enum Demo {
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
        let clock = FixedClock(instant: manifest.instant, today: try CalendarDate.parse(manifest.today))
        let app = try LedgerApp(path: path, clock: clock, user: manifest.user)
        _ = try app.initialize()
        for unit in manifest.hostUnits {
            _ = try app.addHostUnit(creditCode: unit.creditCode, name: unit.name, kind: unit.kind, county: unit.county)
        }
        for studio in manifest.studios {
            _ = try app.addStudio(
                code: studio.code, name: studio.name, hostUnit: studio.hostUnit, leader: studio.leader,
                field: studio.field, recognized: studio.recognized, subsidy: studio.subsidy)
        }
        for entry in manifest.budgets ?? [] {
            let url = fixtures.appendingPathComponent(entry.file)
            _ = try app.importBudget(csv: Data(contentsOf: url), file: url.path, studio: entry.studio, reason: "认定时报送的资金使用计划")
        }
        var vouchers = 0
        for entry in manifest.imports {
            let url = fixtures.appendingPathComponent(entry.file)
            vouchers += try app.importVouchers(csv: Data(contentsOf: url), file: url.path, studio: entry.studio).vouchers.count
        }
        for reversal in manifest.reversals {
            let ref = VoucherRef(
                studio: reversal.studio, period: try Period.parse(reversal.period),
                voucherClass: try VoucherClass.parse(reversal.class), number: reversal.number)
            let correction = try reversal.correction.map { name -> (Data, String) in
                let url = fixtures.appendingPathComponent(name)
                return (try Data(contentsOf: url), url.path)
            }
            vouchers += try app.reverse(ref, date: try CalendarDate.parse(reversal.date), reason: reversal.reason, correction: correction).count
        }
        for close in manifest.closes {
            try closeThrough(try Period.parse(close.through), studio: close.studio, app: app)
        }
        return DemoResult(databasePath: path, app: app, studios: manifest.studios.map(\.code), vouchers: vouchers)
    }

    /// Writes every report of every studio in every format into `directory/STUDIO/`, as of
    /// the app's today. Returns the files written, in order.
    public static func writeReports(
        app: LedgerApp, studios: [String], into directory: URL, formats: [ReportFormat] = ReportFormat.allCases
    ) throws -> [URL] {
        var written: [URL] = []
        for studio in studios {
            let folder = directory.appendingPathComponent(studio, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for kind in ReportKind.bookKinds {
                let built = try app.buildReport(ReportRequest(kind: kind, studio: studio))
                for format in formats {
                    let url = folder.appendingPathComponent("\(built.document.fileStem).\(format.fileExtension)")
                    try LedgerApp.render(built, format: format).write(to: url, options: .atomic)
                    written.append(url)
                }
            }
        }
        return written
    }

    /// Closes every month from the start of the books through `last`.
    static func closeThrough(_ last: Period, studio: String, app: LedgerApp) throws {
        let studioValue = try app.store.studio(code: studio)
        var period = min(try app.store.activeRange(studio: studio)?.lowerBound ?? studioValue.recognized.period, studioValue.recognized.period)
        while period <= last {
            try app.closePeriod(period, studio: studio)
            period = period.next
        }
    }
}
