// What FundApp needs of a ledger database, one protocol per area of use. `LedgerStore` is the
// SQLite implementation; a second backend (PostgreSQL) implements these same protocols. They
// speak FundCore values and `Stamp` only: no SQL text, no database type, no row.
//
// Every write is one transaction (all of it or none), appends its entry to the operation log's
// hash chain in that transaction and throws a `Rejection` for input the ledger refuses; a
// stored value that no longer decodes throws `StoreCorruption`.

import FundCore
import Foundation

/// Who does a write and when: the operation log records both, and voucher hashes cover them.
public struct Stamp: Sendable, Equatable {
    public let user: String
    /// ISO 8601 UTC instant, e.g. "2026-11-25T13:20:04Z".
    public let at: String
    /// The calendar day of `at` in China (UTC+8), which period closing compares against.
    public let today: CalendarDate

    public init(user: String, at: String, today: CalendarDate) {
        precondition(!user.isEmpty, "every write names its user")
        self.user = user
        self.at = at
        self.today = today
    }
}

/// The chart of accounts, host units and studios: what every other area refers to.
///
/// What a second backend (PostgreSQL) implements for registration.
public protocol RegisterStorage: Sendable {
    /// Installs the chart once, into an empty database.
    func installChart(_ chart: ChartOfAccounts, source: String, stamp: Stamp) throws
    /// Adds `chart`'s budget accounts (classes 6–8) the installed chart lacks; logged
    /// `chart.extend`. Returns how many were added.
    func addBudgetAccounts(from chart: ChartOfAccounts, stamp: Stamp) throws -> Int
    /// The chart; rejects with `chartEmpty` before `installChart`.
    func chart() throws -> ChartOfAccounts
    func addHostUnit(_ unit: HostUnit, stamp: Stamp) throws
    /// Host units by credit code.
    func hostUnits() throws -> [HostUnit]
    /// Registers a studio of a registered host unit.
    func addStudio(_ studio: Studio, stamp: Stamp) throws
    /// Studios by code.
    func studios() throws -> [Studio]
    /// The studio `code`; rejects with `studioUnknown`.
    func studio(code: String) throws -> Studio
}

/// What a bureau loads into the ledger beside the books (migration v14): policy versions,
/// holiday schedules and host units' confidentiality markings — append-only, in the row chain,
/// each load logged.
///
/// What a second backend (PostgreSQL) implements for the registry.
public protocol RegistryStorage: Sendable {
    /// Stores `content` as the next version of (`kind`, `key`); rejects content identical to
    /// the current version of that key (`documentAlreadyLoaded`). Logged as `policy.add` or
    /// `calendar.add`.
    func addDocument(
        kind: LoadedDocument.Kind, key: String, content: String, sourceText: String, fileName: String, stamp: Stamp
    ) throws -> LoadedDocument
    /// Every loaded document of `kind`, in load order.
    func documents(kind: LoadedDocument.Kind) throws -> [LoadedDocument]
    /// Marks a registered host unit 涉密 (or lifts the marking); rejects with `markingUnchanged`
    /// when it is already so. Logged as `host-unit.confidential`.
    func markHostUnit(_ marking: HostUnitMarking, stamp: Stamp) throws
    /// Every marking, in the order recorded (the last of a host unit is in force).
    func markings() throws -> [HostUnitMarking]
    /// The studio's budget accounting (平行记账): whether it is kept, and each fund's 预算收入.
    func budgetAccounting(studio: String) throws -> BudgetAccounting
    /// What raised a payable of the studio: the spending category of its latest credit to
    /// `account` for `fund`, when that voucher spent on one category (for 平行记账's image of a
    /// payable paid on its own).
    func payableCategory(studio: String, account: String, fund: Fund) throws -> SpendingCategory?
    /// Makes `account` the 预算收入 of `fund`'s receipts for the studio's vouchers posted from
    /// now on. Logged as `studio.budget-basis`.
    func setBudgetRevenue(studio: String, fund: Fund, account: String, stamp: Stamp) throws
}

extension RegistryStorage {
    /// The host units whose latest marking is 涉密.
    public func confidentialHostUnits() throws -> Set<CreditCode> {
        var state: [CreditCode: Bool] = [:]
        for marking in try markings() { state[marking.hostUnit] = marking.confidential }
        return Set(state.filter(\.value).keys)
    }
}

/// The journal: posting and reversing vouchers (numbered and hash-chained per studio), closing
/// and reopening months, and what is read back from the books.
///
/// What a second backend (PostgreSQL) implements for the books.
public protocol BookStorage: Sendable {
    /// Posts vouchers in one write transaction: all of them or none. The log gets one entry
    /// (`action`, `detail`) per studio for the batch.
    @discardableResult
    func post(_ drafts: [VoucherDraft], stamp: Stamp, action: String, detail: String?) throws -> [PostedVoucher]
    /// Posts vouchers handed over one at a time, in one write transaction: all of them or
    /// none. `produce` is given the function that posts one voucher (numbered, hashed and
    /// written as it comes; the posted vouchers are not kept) and returns the log's detail
    /// once it has handed over every voucher; throwing rolls everything back. The log gets the
    /// same entry `post` writes for the same vouchers. Returns how many were posted.
    @discardableResult
    func postStream(
        stamp: Stamp, action: String, _ produce: (_ post: (VoucherDraft) throws -> PostedVoucher) throws -> String?
    ) throws -> Int
    /// Red-reverses a posted voucher (红字冲销) and optionally posts its correcting voucher,
    /// in one transaction. Returns the reversal and the correction.
    func reverse(
        _ ref: VoucherRef, date: CalendarDate, reason: String, correction: VoucherDraft?, signOff: SignOff, stamp: Stamp
    ) throws -> [PostedVoucher]
    func voucher(_ ref: VoucherRef) throws -> PostedVoucher
    /// A studio's vouchers in book order (period, class, number), optionally for a range of months.
    func vouchers(studio: String, from: Period?, to: Period?) throws -> [PostedVoucher]
    /// The vouchers reversing or correcting `ref`.
    func followUps(of ref: VoucherRef) throws -> [PostedVoucher]
    /// The studio's closed and reopened months.
    func periodBook(studio: String) throws -> PeriodBook
    func closePeriod(_ period: Period, studio: String, stamp: Stamp) throws
    func reopenPeriod(_ period: Period, studio: String, reason: String, stamp: Stamp) throws
    /// Month turnovers up to `through`, of one studio or (nil) of all, optionally one fund's.
    func turnovers(studio: String?, fund: Fund?, through: Period?) throws -> [MonthTurnover]
    /// The first and last month with any turnover for a studio, if any.
    func activeRange(studio: String) throws -> ClosedRange<Period>?
    /// Postings of one account (a leaf, or every leaf under a parent code) in book order.
    func ledgerEntries(studio: String, accountPrefix: String, fund: Fund?, from: Period, to: Period) throws -> [LedgerEntry]
    /// Every invoice key in the books up to `asOf`, with the vouchers using it (each voucher
    /// once), leaving out red reversals and the vouchers they reversed.
    func invoiceUses(asOf: CalendarDate) throws -> [InvoiceKey: [VoucherRef]]
    /// One page of a studio's vouchers that match `query`, in book order (date, then class and
    /// number), and how many match in all: filtered, counted and paged by the database, so a
    /// page costs what the index gives, not the size of the books.
    func journalPage(_ query: VoucherQuery, offset: Int, limit: Int) throws -> (vouchers: [PostedVoucher], total: Int)
}

extension BookStorage {
    /// A red reversal prepared by the acting user, with no reviewer named (tests, and the
    /// lifecycle's own reversals).
    public func reverse(_ ref: VoucherRef, date: CalendarDate, reason: String, correction: VoucherDraft?, stamp: Stamp) throws -> [PostedVoucher] {
        try reverse(ref, date: date, reason: reason, correction: correction, signOff: SignOff(preparer: stamp.user, reviewer: "", poster: ""), stamp: stamp)
    }

    @discardableResult
    public func post(_ drafts: [VoucherDraft], stamp: Stamp) throws -> [PostedVoucher] {
        try post(drafts, stamp: stamp, action: "voucher.post", detail: nil)
    }

    @discardableResult
    public func post(_ drafts: [VoucherDraft], stamp: Stamp, detail: String?) throws -> [PostedVoucher] {
        try post(drafts, stamp: stamp, action: "voucher.post", detail: detail)
    }

    /// Posts vouchers one by one, rejecting each bad one on its own (a rejection is returned,
    /// nothing of that voucher written); each good one commits in its own transaction.
    /// Tests and benchmarks use it to interleave valid and invalid input.
    public func postEach(_ draft: VoucherDraft, stamp: Stamp) throws -> Result<PostedVoucher, Rejection> {
        do {
            return .success(try post([draft], stamp: stamp)[0])
        } catch let rejection as Rejection {
            return .failure(rejection)
        }
    }

    /// Every voucher of the studio, in book order.
    public func vouchers(studio: String) throws -> [PostedVoucher] {
        try vouchers(studio: studio, from: nil, to: nil)
    }

    public func turnovers(studio: String?) throws -> [MonthTurnover] {
        try turnovers(studio: studio, fund: nil, through: nil)
    }

    public func turnovers(studio: String?, fund: Fund?) throws -> [MonthTurnover] {
        try turnovers(studio: studio, fund: fund, through: nil)
    }

    public func turnovers(studio: String?, through: Period?) throws -> [MonthTurnover] {
        try turnovers(studio: studio, fund: nil, through: through)
    }
}

/// A position in a hash chain (a studio's vouchers, the operation log): its 1-based sequence
/// number and the hash there.
public struct ChainPosition: Sendable, Equatable {
    public let sequence: Int
    public let hash: String

    public init(sequence: Int, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// Evidence files (stored by SHA-256, linked to vouchers), host units' signing keys, and what
/// an audit package is cut from: the chain heads, and the log entry recording the export.
///
/// What a second backend (PostgreSQL) implements for evidence and packages.
public protocol EvidenceStorage: Sendable {
    /// Attaches a file to a voucher: stored once by SHA-256, linked and logged. A voucher takes
    /// no more files than its 附单据张数 and the same file only once.
    @discardableResult
    func addEvidence(_ content: Data, fileName: String, to ref: VoucherRef, stamp: Stamp) throws -> EvidenceFile
    /// A studio's evidence links, in book order of their vouchers.
    func evidence(studio: String) throws -> [EvidenceFile]
    /// The stored bytes of an evidence file, checked against its SHA-256 (`IntegrityFailure`
    /// when they no longer match).
    func evidenceContent(sha256: String) throws -> Data
    /// Registers a host unit's public key (64 hex digits); the latest registered is current.
    /// A host unit's first key has no `endorsement`; every later one must carry the current
    /// key's signature (hex) over `Canonical.keyEndorsementText`, or it is refused (K006).
    func registerSigningKey(hostUnit: CreditCode, publicKeyHex: String, endorsement: String, stamp: Stamp) throws -> SigningKey
    /// The host unit's current key, if any.
    func signingKey(hostUnit: CreditCode) throws -> SigningKey?
    /// Every key a host unit has registered, oldest first.
    func signingKeys(hostUnit: CreditCode) throws -> [SigningKey]
    /// The studio's voucher chain as of a voucher date: its last voucher dated on or before
    /// `asOf`; nil when there is none.
    func chainHead(studio: String, asOf: CalendarDate) throws -> ChainPosition?
    /// The operation log's head, leaving out entries whose action starts with one of
    /// `excluding` (exports, which must not change what they export).
    func logHead(excluding prefixes: [String]) throws -> ChainPosition?
    /// Records an export (an audit package, a data file) in the operation log.
    func logExport(studio: String, detail: String, stamp: Stamp) throws
    /// Logs a file handed out (a download from the web desk: a report, export or package).
    func logDownload(studio: String, detail: String, stamp: Stamp) throws
    /// The heads a checkpoint of `studio` signs: its voucher chain, the log, the row chain.
    func checkpointHeads(studio: String) throws -> (vouchers: ChainPosition, log: ChainPosition, rows: ChainPosition)
    /// Stores a signed checkpoint (its signature is checked by `verify`).
    func recordCheckpoint(_ checkpoint: Checkpoint, stamp: Stamp) throws
    /// Every checkpoint of a studio, oldest first.
    func checkpoints(studio: String) throws -> [Checkpoint]
}

/// An acceptance score the county recorded with a lifecycle step.
public struct AcceptanceScore: Sendable, Equatable {
    public let date: CalendarDate
    public let score: Score
    /// The state the step led to.
    public let result: LifecycleState
    /// Who decided.
    public let by: String

    public init(date: CalendarDate, score: Score, result: LifecycleState, by: String) {
        self.date = date
        self.score = score
        self.result = result
        self.by = by
    }
}

/// What a lifecycle step sees of the books inside its write transaction: the studio, its
/// history and each fund's account balances (debit positive), for the clawback.
public struct LifecycleBooks: Sendable {
    public let studio: Studio
    public let history: [LifecycleTransition]
    /// As of the day of the step (or of the repayment): vouchers dated later are not in them.
    let balances: [String: Money]
    /// The studio's closed months.
    public let periods: PeriodBook

    /// The first day on or after `date` in an open month: `date` itself when its month is
    /// open, else the first day of the first open month.
    public func firstOpenDay(onOrAfter date: CalendarDate) -> CalendarDate {
        guard !periods.isOpen(date.period), let closed = periods.closedThrough else { return date }
        return closed.next.firstDay
    }

    /// The debit-positive balance of `account` (a leaf or a parent code) in `fund`.
    public func balance(_ account: String, fund: Fund) throws(Rejection) -> Money {
        var total = Money.zero
        for (key, value) in balances where key.hasPrefix(fund.rawValue + "|" + account) {
            total = try total.adding(value)
        }
        return total
    }
}

extension LifecycleBooks {
    /// The books a backend hands a lifecycle step: `accountBalances` are each fund's
    /// debit-positive balances by leaf account code.
    public init(studio: Studio, history: [LifecycleTransition], accountBalances: [Fund: [String: Money]], periods: PeriodBook) {
        var balances: [String: Money] = [:]
        for (fund, accounts) in accountBalances {
            for (account, balance) in accounts { balances["\(fund.rawValue)|\(account)"] = balance }
        }
        self.init(studio: studio, history: history, balances: balances, periods: periods)
    }
}

/// A studio's lifecycle (recognition, acceptance, revocation and the clawback it posts),
/// governance notices, registered changes, performance targets and activities.
///
/// What a second backend (PostgreSQL) implements for the lifecycle.
public protocol LifecycleStorage: Sendable {
    /// Records one transition after checking it against the studio's history, and posts the
    /// vouchers `vouchers` derives from the books as of its date (the clawback), all in one
    /// transaction, logged.
    func recordTransition(
        _ transition: LifecycleTransition, studio: String, stamp: Stamp,
        vouchers: (LifecycleBooks) throws -> [VoucherDraft]
    ) throws -> [PostedVoucher]
    /// Records a warning or commendation (第九条(三)) for a recognised studio; a warning may order
    /// rectification by `deadline` (警告并限期整改).
    func recordNotice(
        _ kind: GovernanceNoticeKind, studio: String, date: CalendarDate, by: String, note: String, deadline: CalendarDate?, stamp: Stamp
    ) throws
    /// Transitions and notices, oldest first.
    func lifecycleRecords(studio: String) throws -> [LifecycleRecord]
    /// The acceptance scores the county recorded, oldest first.
    func acceptanceScores(studio: String) throws -> [AcceptanceScore]
    /// The studio's books as of `date` (vouchers dated on or before it), read in one transaction.
    func lifecycleBooks(studio: String, through date: CalendarDate) throws -> LifecycleBooks
    /// Posts the vouchers `build` derives from the studio's books as of `through`, read and
    /// written in one transaction (the repayment of a clawback), logged under `action`.
    func postFromBooks(
        studio: String, through date: CalendarDate, stamp: Stamp, action: String, detail: String,
        build: (LifecycleBooks) throws -> [VoucherDraft]
    ) throws -> [PostedVoucher]
    func recordChange(studio: String, kind: ChangeKind, date: CalendarDate, detail: String, stamp: Stamp) throws -> StudioChange
    func recordChangeStep(studio: String, id: Int, step: String, date: CalendarDate, note: String, stamp: Stamp) throws -> StudioChange
    func changes(studio: String) throws -> [StudioChange]
    /// Records that the decided change `change` (leader or host unit, approved) takes effect
    /// on its decision date with `target`; rejects anything else (L026, L027, S001). Logged as
    /// `studio.change.effect`.
    func recordChangeEffect(studio: String, change: Int, target: StudioChangeTarget, stamp: Stamp) throws -> StudioChangeEffect
    /// The changes in effect of one studio (every studio's when nil), in effect order.
    func changeEffects(studio: String?) throws -> [StudioChangeEffect]
    func setTargets(_ targets: [PerformanceTarget], stamp: Stamp) throws
    func targets(studio: String) throws -> [PerformanceTarget]
    func addActivities(_ activities: [Activity], source: String, stamp: Stamp) throws
    func activities(studio: String) throws -> [Activity]
    /// Records a supervision note (and its log entry); the studio must exist.
    func addSupervisionNote(studio: String, date: CalendarDate, text: String, stamp: Stamp) throws -> SupervisionNote
    /// A studio's supervision notes by date.
    func supervisionNotes(studio: String) throws -> [SupervisionNote]
}

extension LifecycleStorage {
    /// Records one transition that posts no vouchers.
    public func recordTransition(_ transition: LifecycleTransition, studio: String, stamp: Stamp) throws -> [PostedVoucher] {
        try recordTransition(transition, studio: studio, stamp: stamp, vouchers: { _ in [] })
    }

    /// The studio's transitions, oldest first.
    public func lifecycleHistory(studio: String) throws -> [LifecycleTransition] {
        try lifecycleRecords(studio: studio).filter { $0.kind == "transition" }.map(\.transition)
    }
}

/// Reviews of check findings (explanations and decisions on them) and budgets with their
/// revisions.
///
/// What a second backend (PostgreSQL) implements for compliance.
public protocol ComplianceStorage: Sendable {
    /// The review state of every finding key that has notes, of one studio or (nil) of all.
    func findingReviews(studio: String?) throws -> [String: FindingReview]
    /// Records an explanation (`explain`) or a reviewer's decision (`accept`/`reject`) on a
    /// finding. A decision needs an explanation to decide on, and may not come from its writer.
    func addFindingNote(key: String, studio: String, action: String, text: String, stamp: Stamp) throws
    /// Records budget lines as new revisions, skipping lines equal to the plan in force;
    /// returns the number of revisions written.
    @discardableResult
    func setBudget(_ lines: [BudgetLine], reason: String, stamp: Stamp) throws -> Int
    /// Every revision of the studio's budget, oldest first.
    func budgetHistory(studio: String) throws -> [BudgetRevision]
}

extension ComplianceStorage {
    public func findingReviews() throws -> [String: FindingReview] {
        try findingReviews(studio: nil)
    }

    /// The plan in force: the latest revision of each fund and category, in fund then category
    /// order; zero-amount lines are kept (a budget withdrawn is still a decision).
    public func budget(studio: String) throws -> [BudgetLine] {
        try budgetHistory(studio: studio).reduce(into: [String: BudgetRevision]()) { latest, revision in
            latest["\(revision.line.fund.rawValue)|\(revision.line.category.rawValue)"] = revision
        }.values.map(\.line).sorted {
            ($0.fund, SpendingCategory.allCases.firstIndex(of: $0.category)!)
                < ($1.fund, SpendingCategory.allCases.firstIndex(of: $1.category)!)
        }
    }
}

/// Verification of everything stored, the operation log, and the database's housekeeping.
///
/// What a second backend (PostgreSQL) implements for administration.
public protocol AdminStorage: Sendable {
    /// Re-checks every invariant from the stored data: vouchers against the chart and their
    /// hashes, chains, numbering, balances, period events and the log's chain. Reports bad data
    /// instead of throwing for it.
    func verify() throws -> VerificationReport
    /// `verify` of one studio's books (its chain, months, numbering, postings and balances)
    /// and of the operation log they are recorded in; what an audit package is cut from.
    func verify(studio: String) throws -> VerificationReport
    /// The log, oldest first, optionally only one studio's, one user's or one action's (a
    /// prefix) entries.
    func log(studio: String?, user: String?, action: String?) throws -> [LogEntry]
    /// Brings the database to rest (SQLite: the write-ahead log copied into the file); a
    /// backend with nothing to do does nothing.
    func checkpoint() throws
    /// A mark that changes whenever the books or any chained record change (the newest
    /// voucher and the row chain's head): what cached views are keyed by.
    func changeMark() throws -> ChangeMark
}

extension AdminStorage {
    /// The whole log, oldest first.
    public func log() throws -> [LogEntry] { try log(studio: nil, user: nil, action: nil) }
    public func log(studio: String?) throws -> [LogEntry] { try log(studio: studio, user: nil, action: nil) }
    public func log(user: String?) throws -> [LogEntry] { try log(studio: nil, user: user, action: nil) }
    public func log(action: String?) throws -> [LogEntry] { try log(studio: nil, user: nil, action: action) }
    public func log(studio: String?, user: String?) throws -> [LogEntry] { try log(studio: studio, user: user, action: nil) }
    public func log(studio: String?, action: String?) throws -> [LogEntry] { try log(studio: studio, user: nil, action: action) }
}

/// An account with its stored password hash: what a login or a password change checks. The
/// hash goes no further than FundApp's accounts desk.
public struct AccountCredentials: Sendable {
    public let account: WebAccount
    /// bcrypt ("$2b$…").
    public let passwordHash: String

    public init(account: WebAccount, passwordHash: String) {
        self.account = account
        self.passwordHash = passwordHash
    }
}

/// A stored web session: the SHA-256 of its token (the raw token is never stored), its
/// account as it is now, its CSRF token and its times in unix seconds.
public struct StoredSession: Sendable, Equatable {
    public let tokenHash: String
    public let account: WebAccount
    public let csrf: String
    public let createdAt: Int64
    public let seenAt: Int64

    public init(tokenHash: String, account: WebAccount, csrf: String, createdAt: Int64, seenAt: Int64) {
        self.tokenHash = tokenHash
        self.account = account
        self.csrf = csrf
        self.createdAt = createdAt
        self.seenAt = seenAt
    }
}

/// The web desk's accounts, their sessions and failed logins, and where each studio sits
/// (what scopes are measured against). Not books: none of it is in the row chain; every change
/// of an account and every login, logout and refused login is in the operation log instead,
/// written in the same transaction (studio ""). Passwords never reach the store, only hashes,
/// and no hash is ever logged.
///
/// What a second backend (PostgreSQL) implements for accounts.
public protocol AccountStorage: Sendable {
    /// Adds an account; a name already taken (exactly) is refused (W004). Logged `user.add`
    /// with the grant (name, role, scope, expiry).
    func addAccount(
        name: String, role: Role, scope: Scope, expires: CalendarDate?, passwordHash: String, mustChange: Bool, stamp: Stamp
    ) throws -> WebAccount
    /// Every account, by name.
    func accounts() throws -> [WebAccount]
    /// The account stored under exactly `name`, with its hash; nil when there is none.
    func credentials(name: String) throws -> AccountCredentials?
    /// The account `id`, with its hash; nil when there is none.
    func credentials(id: Int64) throws -> AccountCredentials?
    /// Disables the account and ends its sessions, in one transaction, logged `user.disable`.
    /// Rejects an unknown name (W003); an account already disabled is returned unchanged.
    func disableAccount(name: String, stamp: Stamp) throws -> WebAccount
    /// Replaces the account's password hash. `reset` (an administrator's one-time password):
    /// must-change set, its sessions ended, logged `user.reset-password`; otherwise (the person
    /// changed it) must-change cleared, logged `user.password`. Rejects an unknown name (W003).
    func setPassword(name: String, passwordHash: String, reset: Bool, keeping tokenHash: String?, stamp: Stamp) throws -> WebAccount
    /// When (unix seconds) logins as `name` failed since its last successful login, oldest first.
    func loginFailures(name: String) throws -> [Int64]
    /// Logs a refused login as `action` (`login.failed`, `login.locked`) with `detail`; `counted`:
    /// also records a failure of `name` at `at`, which the throttle counts.
    func recordLoginRefusal(name: String, at: Int64, counted: Bool, action: String, detail: String, stamp: Stamp) throws
    /// A successful login, in one transaction: clears the failures of `failureName`, deletes
    /// every session last seen before `idleBefore` or created before `createdBefore` (expired:
    /// cleared lazily here), stores the new session and logs `login`.
    func openSession(
        accountID: Int64, failureName: String, tokenHash: String, csrf: String, at: Int64,
        idleBefore: Int64, createdBefore: Int64, stamp: Stamp
    ) throws
    /// The session stored under `tokenHash`, with its account as it is now; nil when none.
    func session(tokenHash: String) throws -> StoredSession?
    /// Records that the session was used at `at`.
    func touchSession(tokenHash: String, at: Int64) throws
    /// Deletes the session; `stamp` given: logs `logout` when there was one. Returns whether
    /// there was.
    @discardableResult
    func endSession(tokenHash: String, stamp: Stamp?) throws -> Bool
    /// Every registered studio with its host unit and county, by code (one query).
    func studioPlaces() throws -> [StudioPlace]
    /// The studio `code` with its host unit and county; nil when it is not registered.
    func studioPlace(code: String) throws -> StudioPlace?
}

/// Which vouchers of a studio a 序时账 page shows; nil fields do not filter.
public struct VoucherQuery: Sendable, Equatable {
    public var studio: String
    public var from: Period?
    public var to: Period?
    /// Vouchers dated after this day are left out.
    public var through: CalendarDate
    /// An account code: vouchers with a line on it or on one of its leaves.
    public var accountPrefix: String?
    public var fund: Fund?
    /// Text in a memo, the counterparty or the voucher label (记-3).
    public var text: String?
    /// Bounds on the voucher's debit total in fen, inclusive.
    public var minimumFen: Int64?
    public var maximumFen: Int64?

    public init(
        studio: String, from: Period? = nil, to: Period? = nil, through: CalendarDate, accountPrefix: String? = nil, fund: Fund? = nil,
        text: String? = nil, minimumFen: Int64? = nil, maximumFen: Int64? = nil
    ) {
        self.studio = studio
        self.from = from
        self.to = to
        self.through = through
        self.accountPrefix = accountPrefix
        self.fund = fund
        self.text = text
        self.minimumFen = minimumFen
        self.maximumFen = maximumFen
    }
}

/// The state of the ledger's content at a moment: equal marks, equal books and records.
public struct ChangeMark: Hashable, Sendable {
    public let voucher: Int64
    public let row: Int64

    public init(voucher: Int64, row: Int64) {
        self.voucher = voucher
        self.row = row
    }
}
