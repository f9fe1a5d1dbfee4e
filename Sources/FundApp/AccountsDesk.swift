import Crypto
import FundCore
import FundReports
import FundStore
import Foundation
import HummingbirdBcrypt

// The web desk's accounts (issue 13): who may sign in, with which role and scope, until when;
// passwords (bcrypt), sessions and the login throttle; and the one authorisation function every
// web route calls. The CLI's `user` commands and the web desk both come through here.

/// What `user add` (or the admin page) asks for. Scope options: at most one of `hostUnit`,
/// `county` and `studios`; none for bureau (every studio) and admin (no books).
public struct NewAccountForm: Sendable {
    public var name: String
    /// bureau, county, accountant, supervisor, auditor, admin.
    public var role: String
    /// A registered host unit's 统一社会信用代码 (accountant, supervisor).
    public var hostUnit: String?
    /// The county (县（区）) of at least one registered host unit (county).
    public var county: String?
    /// Registered studio codes (auditor).
    public var studios: [String]
    /// The last day the grant works (YYYY-MM-DD); nil: no end.
    public var expires: String?

    public init(name: String, role: String, hostUnit: String? = nil, county: String? = nil, studios: [String] = [], expires: String? = nil) {
        self.name = name
        self.role = role
        self.hostUnit = hostUnit
        self.county = county
        self.studios = studios
        self.expires = expires
    }
}

/// A signed-in person on the web desk.
public struct WebSession: Sendable {
    /// The raw session token (the cookie's value): only meaningful as returned by `login` or
    /// passed to `session(token:)`; the store keeps its SHA-256 only.
    public let token: String
    /// The account as it is now (role, scope, expiry, must-change).
    public let account: WebAccount
    /// The token every form of this session must carry.
    public let csrfToken: String
    /// Unix seconds.
    public let createdAt: Int64
    /// Unix seconds: the last time the session was seen (kept to the minute).
    public let seenAt: Int64

    public init(token: String, account: WebAccount, csrfToken: String, createdAt: Int64, seenAt: Int64) {
        self.token = token
        self.account = account
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.seenAt = seenAt
    }
}

/// A login refused: wrong name or password (one message for both), a disabled or expired
/// account, or a name locked after repeated failures (`retryAfter` seconds).
public struct LoginRefused: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// Seconds until the name may try again (HTTP Retry-After); nil when waiting will not help.
    public let retryAfter: Int?

    public init(_ message: String, retryAfter: Int? = nil) {
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { message }
}

/// Accounts and grants, passwords, sessions, and the authorisation decision.
public struct AccountsDesk: Desk {
    let app: LedgerApp

    /// bcrypt's cost (log2 rounds) for every password hash.
    public static let bcryptCost = 11
    /// A session unused for longer than this (seconds) has ended.
    public static let idleTimeout: Int64 = 30 * 60
    /// A session older than this (seconds) has ended, however busy.
    public static let absoluteTimeout: Int64 = 12 * 3600
    /// `seen_at` is written at most this often (seconds): not one write per request.
    static let touchInterval: Int64 = 60
    /// From this many consecutive failures on, a name is locked.
    static let failuresBeforeLock = 5
    /// The longest lock (seconds).
    static let lockMax: Int64 = 3600
    /// The log's user for a login whose name is not a valid name.
    static let invalidName = "（无效用户名）"
    /// The message for a wrong name and for a wrong password alike.
    static let wrongCredentials = "用户名或密码错误"
    /// One-time passwords: no 0/O/o, 1/l/I.
    static let oneTimeAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789")
    static let oneTimeLength = 16
    /// A bcrypt hash (cost `bcryptCost`) of a password nobody has: verified against when the
    /// name is unknown, so that an unknown name takes as long as a wrong password.
    static let dummyHash = "$2b$11$jKh1CTDVwlU47F3vh6/QA.eITMafxepqA.jeUAhG5lCCdY9tZMDkK"
}

// MARK: - Accounts

extension AccountsDesk {
    /// Adds an account. With `password` (the administrator's choice) it is the account's
    /// password; without, a one-time password is made, returned once and must be changed at the
    /// first login.
    public func add(_ form: NewAccountForm, password: String?) throws -> (account: WebAccount, oneTimePassword: String?) {
        let name = try Self.accountName(form.name)
        let role = try Role.parse(form.role)
        let scope = try scope(of: form, role: role)
        let expires = try form.expires.map { text in try parseField("expires") { () throws(Rejection) in try CalendarDate.parse(text) } }
        if let existing = try store.accounts.accounts().first(where: { PersonName.samePerson($0.name, name) }) {
            throw Rejection(.userDuplicate, field: "name", "用户名“\(name)”已有账户（“\(existing.name)”）")
        }
        let oneTime: String?
        let chosen: String
        if let password {
            try Self.checkStrength(password, name: name, field: "password")
            chosen = password
            oneTime = nil
        } else {
            chosen = Self.oneTimePassword()
            oneTime = chosen
        }
        let account = try store.accounts.addAccount(
            name: name, role: role, scope: scope, expires: expires, passwordHash: Self.hash(chosen), mustChange: password == nil,
            stamp: stamp())
        return (account, oneTime)
    }

    /// Every account, by name.
    public func list() throws -> [WebAccount] { try store.accounts.accounts() }

    /// 用户与授权 as of today (by the app's clock).
    public func usersReport() throws -> AnyReport {
        UserReports.users(try list(), today: clock.today())
    }

    /// Disables an account and ends its sessions at once.
    public func disable(name: String) throws -> WebAccount {
        try store.accounts.disableAccount(name: try existing(name).name, stamp: stamp())
    }

    /// Gives the account a new one-time password (returned once): it must be changed at the next
    /// login, and the account's sessions end.
    public func resetPassword(name: String) throws -> String {
        let account = try existing(name)
        let password = Self.oneTimePassword()
        _ = try store.accounts.setPassword(name: account.name, passwordHash: Self.hash(password), reset: true, keeping: nil, stamp: stamp())
        return password
    }

    /// The person's own change: `current` must be right (W006), `new` strong enough (W005).
    /// Clears must-change.
    /// Every other session of the account ends; the one the change was made in (`token`) stays.
    public func changePassword(account: WebAccount, current: String, new: String, keeping token: String? = nil) throws {
        guard let stored = try store.accounts.credentials(id: account.id) else {
            throw Rejection(.userUnknown, field: "name", "没有用户名为“\(account.name)”的账户")
        }
        guard Self.verify(current, hash: stored.passwordHash) else {
            throw Rejection(.passwordWrong, field: "current-password", "当前密码不正确")
        }
        try Self.checkStrength(new, name: stored.account.name, field: "new-password")
        if Self.prepared(new) == Self.prepared(current) {
            throw Rejection(.passwordWeak, field: "new-password", "新密码不能与当前密码相同")
        }
        _ = try store.accounts.setPassword(
            name: stored.account.name, passwordHash: Self.hash(new), reset: false, keeping: token.map(Self.tokenHash), stamp: stamp())
    }

    /// The account whose name is the same person's as `name`; W003 when there is none.
    func existing(_ name: String) throws -> WebAccount {
        let wanted = try Self.accountName(name)
        if let account = try find(wanted)?.account { return account }
        throw Rejection(.userUnknown, field: "name", "没有用户名为“\(wanted)”的账户")
    }

    /// The stored account for a normalised name: stored exactly so, else the one that is the
    /// same person (周丽 / 周麗, Zhou / zhou). `add` lets no two accounts be the same person.
    func find(_ name: String) throws -> AccountCredentials? {
        if let exact = try store.accounts.credentials(name: name) { return exact }
        guard let other = try store.accounts.accounts().first(where: { PersonName.samePerson($0.name, name) }) else { return nil }
        return try store.accounts.credentials(id: other.id)
    }

    /// An account name as stored: refused when empty, too long or holding a character V030
    /// forbids; otherwise normalised like every name the ledger records (PersonName).
    public static func accountName(_ name: String) throws(Rejection) -> String {
        try LedgerApp.personName(name, field: "name", label: "用户名（--name）")
    }

    /// The grant's scope from the form's options, checked against the register and the role.
    func scope(of form: NewAccountForm, role: Role) throws -> Scope {
        func given(_ text: String?) -> String? {
            guard let text = text?.trimmingSpaces, !text.isEmpty else { return nil }
            return text
        }
        var scopes: [Scope] = []
        if let text = given(form.hostUnit) {
            let code = try parseField("host-unit") { () throws(Rejection) in try CreditCode(text) }
            guard try store.register.hostUnits().contains(where: { $0.creditCode == code }) else {
                throw Rejection(.scopeInvalid, field: "host-unit", "依托单位 \(code) 未登记")
            }
            scopes.append(.hostUnit(code.text))
        }
        if let county = given(form.county) {
            guard try store.register.hostUnits().contains(where: { $0.county == county }) else {
                throw Rejection(.scopeInvalid, field: "county", "没有登记在“\(county)”的依托单位")
            }
            scopes.append(.county(county))
        }
        let codes = form.studios.compactMap(given).reduce(into: [String]()) { codes, code in
            if !codes.contains(code) { codes.append(code) }
        }
        if !codes.isEmpty {
            let registered = Set(try store.register.studios().map(\.code))
            if let unknown = codes.first(where: { !registered.contains($0) }) {
                throw Rejection(.scopeInvalid, field: "studio", "工作室 \(unknown) 不存在")
            }
            scopes.append(.studios(codes))
        }
        guard scopes.count <= 1 else {
            throw Rejection(.scopeInvalid, field: "scope", "授权范围只能是一种：--host-unit、--county 或 --studio")
        }
        let scope = scopes.first ?? (role == .bureau ? .all : .none)
        try Scope.check(scope, for: role)
        return scope
    }
}

// MARK: - Passwords

extension AccountsDesk {
    /// Refuses a password shorter than 10 characters, equal to the account name, made of one
    /// repeated character, longer than bcrypt reads (72 bytes) or holding a control character.
    /// The message never repeats the password.
    static func checkStrength(_ password: String, name: String, field: String) throws(Rejection) {
        let text = prepared(password)
        if text.count < 10 { throw Rejection(.passwordWeak, field: field, "密码至少 10 个字符") }
        if text == name || PersonName.samePerson(text, name) {
            throw Rejection(.passwordWeak, field: field, "密码不能与用户名相同")
        }
        if Set(text).count == 1 { throw Rejection(.passwordWeak, field: field, "密码不能由同一个字符重复组成") }
        if text.utf8.count > 72 { throw Rejection(.passwordWeak, field: field, "密码不能超过 72 字节（bcrypt 只读前 72 字节）") }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw Rejection(.passwordWeak, field: field, "密码不能含控制字符")
        }
    }

    /// The form hashed: NFC, so the same password typed on another system matches.
    static func prepared(_ password: String) -> String { password.precomposedStringWithCanonicalMapping }

    static func hash(_ password: String) -> String {
        Bcrypt.hash(prepared(password), cost: UInt8(bcryptCost))
    }

    static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(prepared(password), hash: hash)
    }

    /// 16 characters from an alphabet without 0/O/o and 1/l/I, from the system's random source.
    static func oneTimePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<oneTimeLength).map { _ in oneTimeAlphabet.randomElement(using: &generator)! })
    }
}

// MARK: - Login and sessions

extension AccountsDesk {
    /// Signs a person in: a new session (random 32-byte token, of which only the SHA-256 is
    /// stored, and a 32-byte CSRF token). Throws `LoginRefused`: "用户名或密码错误" for a wrong
    /// name and a wrong password alike (an unknown name is checked against a dummy hash, so it
    /// takes as long); "账户已停用" or "授权已于 … 到期" only once the password is right; and,
    /// from the 5th consecutive failure of a name, a lock of min(60·2^(n−5), 3600) seconds after
    /// the latest failure, during which even the right password is refused (`retryAfter`).
    public func login(name: String, password: String) throws -> WebSession {
        let now = clock.seconds()
        let tried = try? Self.accountName(name)
        let logUser = tried ?? Self.invalidName
        let found = try tried.flatMap(find)
        // Failures are counted per account (whatever spelling of its name was typed), or per
        // name tried when there is no such account.
        let key = found?.account.name ?? logUser
        let failures = try store.accounts.loginFailures(name: key)
        if let until = Self.lockedUntil(failures: failures), now < until {
            let wait = Int(until - now)
            try store.accounts.recordLoginRefusal(
                name: key, at: now, counted: false, action: "login.locked",
                detail: "登录被拒：连续失败 \(failures.count) 次，锁定中（还剩 \(wait) 秒）", stamp: stamp(as: logUser))
            throw LoginRefused("登录失败次数过多，请 \(wait) 秒后再试", retryAfter: wait)
        }
        let matches = Self.verify(password, hash: found?.passwordHash ?? Self.dummyHash)
        guard let found, matches else {
            let count = failures.count + 1
            let lock = Self.lockedUntil(failures: failures + [now]).map { Int($0 - now) }
            try store.accounts.recordLoginRefusal(
                name: key, at: now, counted: true, action: "login.failed",
                detail: "登录失败：\(found == nil ? "无此账户" : "密码错误")（连续第 \(count) 次）" + (lock.map { "，锁定 \($0) 秒" } ?? ""),
                stamp: stamp(as: logUser))
            throw LoginRefused(Self.wrongCredentials + (lock.map { "；连续失败 \(count) 次，请 \($0) 秒后再试" } ?? ""), retryAfter: lock)
        }
        let account = found.account
        let today = clock.today()
        if account.disabled || !account.isActive(on: today) {
            let message = account.disabled ? "账户已停用" : "授权已于 \(account.expires!.iso) 到期"
            try store.accounts.recordLoginRefusal(
                name: key, at: now, counted: false, action: "login.failed", detail: "登录被拒：\(message)", stamp: stamp(as: account.name))
            throw LoginRefused(message)
        }
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        try store.accounts.openSession(
            accountID: account.id, failureName: key, tokenHash: Self.tokenHash(token), csrf: csrf, at: now,
            idleBefore: now - Self.idleTimeout, createdBefore: now - Self.absoluteTimeout, stamp: stamp(as: account.name))
        return WebSession(token: token, account: account, csrfToken: csrf, createdAt: now, seenAt: now)
    }

    /// The session of a token, with its account as it is now; nil when the token is unknown,
    /// idle longer than `idleTimeout`, older than `absoluteTimeout`, or its account is disabled
    /// or past its last day. An ended session is deleted; `seen_at` is written at most once a
    /// minute.
    public func session(token: String) throws -> WebSession? {
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        let hash = Self.tokenHash(token)
        guard let stored = try store.accounts.session(tokenHash: hash) else { return nil }
        let now = clock.seconds()
        if now - stored.seenAt > Self.idleTimeout || now - stored.createdAt > Self.absoluteTimeout
            || !stored.account.isActive(on: clock.today())
        {
            try store.accounts.endSession(tokenHash: hash, stamp: nil)
            return nil
        }
        var seen = stored.seenAt
        if now - seen >= Self.touchInterval {
            try store.accounts.touchSession(tokenHash: hash, at: now)
            seen = now
        }
        return WebSession(token: token, account: stored.account, csrfToken: stored.csrf, createdAt: stored.createdAt, seenAt: seen)
    }

    /// Ends the session of a token (logged `logout` under its account); an unknown token does
    /// nothing.
    public func logout(token: String) throws {
        guard !token.isEmpty, token.utf8.count <= 256 else { return }
        let hash = Self.tokenHash(token)
        guard let stored = try store.accounts.session(tokenHash: hash) else { return }
        try store.accounts.endSession(tokenHash: hash, stamp: stamp(as: stored.account.name))
    }

    /// When a name with these failures (unix seconds, oldest first) may try again; nil when it
    /// is not locked: from the 5th failure on, min(60·2^(n−5), 3600) seconds after the latest.
    static func lockedUntil(failures: [Int64]) -> Int64? {
        guard failures.count >= failuresBeforeLock, let latest = failures.max() else { return nil }
        let exponent = failures.count - failuresBeforeLock
        let seconds = exponent >= 6 ? lockMax : min(60 << Int64(exponent), lockMax)
        return latest + seconds
    }

    func stamp(as user: String) -> Stamp {
        Stamp(user: user, at: clock.instant(), today: clock.today())
    }

    /// 32 random bytes, base64url without padding (43 characters).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What the store keeps of a token: its SHA-256, hex.
    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}

// MARK: - Authorisation

extension AccountsDesk {
    /// The one authorisation decision every web route asks: the studio's place from the
    /// register (an unknown studio is denied), then `Access.decide` as of today.
    public func authorize(_ account: WebAccount, _ action: Action, studio: String?) throws -> AccessDecision {
        var place: StudioPlace?
        if let studio {
            // An unknown studio is decided as no studio: a role without the action hears that,
            // whether the studio exists or not, and one with it is refused the studio either way.
            guard let found = try store.accounts.studioPlace(code: studio) else {
                return Access.decide(account, action, studio: nil, today: clock.today())
            }
            place = found
        }
        return Access.decide(account, action, studio: place, today: clock.today())
    }

    /// Every studio's place (code, host unit, county), by code: lists filter with
    /// `Access.covers`.
    public func places() throws -> [StudioPlace] { try store.accounts.studioPlaces() }
}

extension LedgerApp {
    /// The same ledger (store, clock, policy file) acting as `account`: what it writes is
    /// logged under the account's name.
    public func acting(as account: WebAccount) -> LedgerApp {
        LedgerApp(store: store, clock: clock, user: account.name, policyFile: policyFile, cache: cache)
    }
}
