// FundApp: the use cases, the one door both front ends (the CLI, the web desk) come through.
// It owns the store (internal: no adapter sees SQL, GRDB or the store type's methods), the
// clock and the acting user, and hands out one small desk per area of work:
//   register (chart, host units, studios), books (record, import, reverse, close, read),
//   compliance (check, findings, budgets), statements (reports, exports), packages (evidence,
//   keys, audit packages), lifecycle (status, steps, deadlines, targets, activities),
//   evaluation (the performance evaluation), admin (verify, operation log, demo) and accounts
//   (the web desk's accounts, sessions, logins and the one authorisation decision).
// Each desk returns values: FundReports reports (a document and its JSON value), result
// values, or typed errors. Adapters render what they get and decide nothing.
import FundCore
import FundStore
import Foundation

/// The use cases over one ledger database.
public final class LedgerApp: Sendable {
    /// The generator version written into reports and packages.
    public static let version = "0.3.0"

    let store: LedgerStore
    public let clock: any LedgerClock
    public let user: String
    /// An edited policy that replaces the shipped versions (`--policy FILE`).
    public let policyFile: URL?

    /// Views computed from the books, kept until the books change; shared by every app over the
    /// same store that `acting(as:)` makes.
    let cache: ViewCache

    public convenience init(store: LedgerStore, clock: any LedgerClock = SystemClock(), user: String, policyFile: URL? = nil) {
        self.init(store: store, clock: clock, user: user, policyFile: policyFile, cache: ViewCache())
    }

    init(store: LedgerStore, clock: any LedgerClock, user: String, policyFile: URL?, cache: ViewCache) {
        self.cache = cache
        self.store = store
        self.clock = clock
        // The name as people read it (PersonName.normalized) is what the log and the vouchers
        // record; the throwing initialisers below also refuse a name V030 forbids.
        let normalized = PersonName.normalized(user)
        self.user = normalized.isEmpty ? user : normalized
        self.policyFile = policyFile
    }

    /// Opens the database file at `path`, creating it if needed.
    public convenience init(path: String, clock: any LedgerClock = SystemClock(), user: String, policyFile: URL? = nil) throws {
        let user = try Self.operatorName(user)
        self.init(store: try LedgerStore(path: path), clock: clock, user: user, policyFile: policyFile)
    }

    /// The acting user's name (`--user`) as recorded: refused when empty or holding a character
    /// V030 forbids, otherwise normalised (NFC, trimmed, full-width folded).
    public static func operatorName(_ name: String) throws(Rejection) -> String {
        try personName(name, field: "user", label: "操作人（--user）")
    }

    /// A person's name as the ledger records it (PersonName.normalized), refused when empty,
    /// longer than a name may be, or holding a character V030 forbids; `field` and `label` name
    /// the option or form field in the message.
    static func personName(_ name: String, field: String, label: String) throws(Rejection) -> String {
        try TextField.validate(name, field: field)
        let normalized = PersonName.normalized(name)
        if normalized.isEmpty { throw Rejection(.fieldEmpty, field: field, "\(label)不能为空") }
        if normalized.count > Limits.nameLengthMax {
            throw Rejection(.fieldTooLong, field: field, "\(label)超过 \(Limits.nameLengthMax) 个字符")
        }
        return normalized
    }

    /// Opens an existing ledger: a mistyped path is refused instead of creating an empty ledger.
    public static func open(path: String, clock: any LedgerClock = SystemClock(), user: String, policyFile: URL? = nil) throws -> LedgerApp {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LedgerEnvironmentError("数据库 \(path) 不存在：请先运行 workshop-ledger init，或用 --db 指定")
        }
        return try LedgerApp(path: path, clock: clock, user: user, policyFile: policyFile)
    }

    /// The database file behind the app (":memory:" style paths for tests).
    public var databasePath: String { store.path }

    func stamp() -> Stamp {
        Stamp(user: user, at: clock.instant(), today: clock.today())
    }

    /// The one as-of cutoff: the day given (`--as-of`), else today by the app's clock. Every
    /// statement, check, evaluation and package takes the books through this day and no
    /// further: a voucher dated after it is out, even inside its month.
    public func cutoff(_ given: CalendarDate?) -> CalendarDate {
        given ?? clock.today()
    }

    // MARK: Desks

    public var register: RegisterDesk { RegisterDesk(app: self) }
    public var books: BooksDesk { BooksDesk(app: self) }
    public var compliance: ComplianceDesk { ComplianceDesk(app: self) }
    public var statements: StatementsDesk { StatementsDesk(app: self) }
    public var packages: PackagesDesk { PackagesDesk(app: self) }
    public var lifecycle: LifecycleDesk { LifecycleDesk(app: self) }
    public var evaluation: EvaluationDesk { EvaluationDesk(app: self) }
    public var admin: AdminDesk { AdminDesk(app: self) }
    public var accounts: AccountsDesk { AccountsDesk(app: self) }
}

/// A part of the app's use cases; every desk works on the same store, clock and user.
protocol Desk: Sendable {
    var app: LedgerApp { get }
}

extension Desk {
    var store: LedgerStore { app.store }
    var clock: any LedgerClock { app.clock }
    var user: String { app.user }
    var policyFile: URL? { app.policyFile }
    func stamp() -> Stamp { app.stamp() }
}

/// Something outside the input went wrong in a way the user can act on (a missing database
/// file, a busy ledger): exit 3 at the CLI, with this message.
public struct LedgerEnvironmentError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A failed check the user asked for (verify, package verification, a check with violations):
/// not an error of the program, exit 1 at the CLI. Carries the report to show.
public struct CheckFailed: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Runs `body`, naming `field` on any rejection it throws.
func parseField<T>(_ field: String, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
    do { return try body() } catch { throw Rejection(error.code, field: field, error.message) }
}
