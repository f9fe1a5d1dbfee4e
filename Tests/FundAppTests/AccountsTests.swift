@testable import FundApp
import FundCore
import FundRender
import FundReports
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// The web desk's accounts through `app.accounts`: grants, passwords, logins, the throttle,
/// sessions and the authorisation decision, with a clock the tests move.
@Suite("accounts, logins and sessions")
struct AccountsTests {
    /// 2026-11-20 09:00 in China.
    static let start = "2026-11-20T01:00:00Z"
    static let otherHost = TestLedger.otherHostCode
    static let strong = "Gong-Jiang-2026!"

    /// An app (acting as 管理员) over S1, S2 (host unit 1, 雁江区) and S3 (host unit 2, 安岳县).
    static func app(clock: SteppingClock = SteppingClock(instant: start)) throws -> (LedgerApp, SteppingClock) {
        let app = try TestLedger.app(studios: ["S1", "S2"], clock: clock, user: "管理员")
        _ = try app.register.addHostUnit(creditCode: otherHost, name: "安岳县职业技能公共实训基地", kind: "training-base", county: "安岳县")
        _ = try app.register.addStudio(
            code: "S3", name: "S3 工作室", hostUnit: otherHost, leader: "刘师傅", field: "川菜", recognized: "2025-12-15", subsidy: "30000")
        return (app, clock)
    }

    static func log(_ app: LedgerApp) throws -> [LogEntry] { try app.admin.log() }

    /// The login refusal `body` threw.
    static func refusal(_ body: () throws -> Void) -> LoginRefused? {
        do {
            try body()
            return nil
        } catch let refused as LoginRefused {
            return refused
        } catch {
            Issue.record("expected LoginRefused, got \(error)")
            return nil
        }
    }

    static func rejection(_ body: () throws -> Void) -> Rejection? {
        do {
            try body()
            return nil
        } catch let rejection as Rejection {
            return rejection
        } catch {
            Issue.record("expected a Rejection, got \(error)")
            return nil
        }
    }

    // MARK: Accounts

    @Test("add, list, disable, reset")
    func addListDisableReset() throws {
        let (app, _) = try Self.app()
        let desk = app.accounts
        let (bureau, none) = try desk.add(NewAccountForm(name: "王主管", role: "bureau"), password: Self.strong)
        #expect(none == nil)
        #expect(bureau.role == .bureau && bureau.scope == .all && !bureau.mustChangePassword && !bureau.disabled)
        #expect(bureau.createdBy == "管理员" && bureau.createdAt == Self.start)
        let (auditor, oneTime) = try desk.add(
            NewAccountForm(name: "审计员", role: "auditor", studios: ["S1", "S3", "S1"], expires: "2027-12-31"), password: nil)
        let password = try #require(oneTime)
        #expect(password.count == 16)
        #expect(password.allSatisfy { AccountsDesk.oneTimeAlphabet.contains($0) })
        #expect(!password.contains { "0O1lI".contains($0) })
        #expect(auditor.mustChangePassword && auditor.scope == .studios(["S1", "S3"]) && auditor.expires == TestLedger.date("2027-12-31"))
        let county = try desk.add(NewAccountForm(name: "雁江区人社局", role: "county", county: "雁江区"), password: Self.strong).account
        #expect(county.scope == .county("雁江区"))
        let accountant = try desk.add(
            NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode.lowercased()), password: Self.strong).account
        #expect(accountant.scope == .hostUnit(TestLedger.hostCode))
        #expect(try desk.add(NewAccountForm(name: "系统管理员", role: "admin"), password: Self.strong).account.scope == Scope.none)
        #expect(try desk.list().map(\.name) == ["审计员", "李会计", "王主管", "系统管理员", "雁江区人社局"].sorted())

        let disabled = try desk.disable(name: "李会计")
        #expect(disabled.disabled && disabled.id == accountant.id)
        #expect(try desk.list().first { $0.name == "李会计" }?.disabled == true)
        let unknown = Self.rejection { _ = try desk.disable(name: "赵六") }
        #expect(unknown?.code == .userUnknown && unknown?.field == "name")

        let reset = try desk.resetPassword(name: "王主管")
        #expect(reset.count == 16 && reset != Self.strong)
        #expect(try desk.list().first { $0.name == "王主管" }?.mustChangePassword == true)
        #expect(Self.refusal { _ = try desk.login(name: "王主管", password: Self.strong) }?.message == "用户名或密码错误")
        let session = try desk.login(name: "王主管", password: reset)
        #expect(session.account.mustChangePassword)
        #expect(Self.rejection { _ = try desk.resetPassword(name: "赵六") }?.code == .userUnknown)
    }

    @Test("bad input is refused naming its field, and writes nothing")
    func validation() throws {
        let (app, _) = try Self.app()
        let desk = app.accounts
        _ = try desk.add(NewAccountForm(name: "王主管", role: "bureau"), password: Self.strong)
        let before = try Self.log(app).count
        let cases: [(NewAccountForm, String?, RejectionCode, String)] = [
            (NewAccountForm(name: "  ", role: "bureau"), nil, .fieldEmpty, "name"),
            (NewAccountForm(name: "王\u{0007}五", role: "bureau"), nil, .textControlCharacter, "name"),
            (NewAccountForm(name: String(repeating: "名", count: 101), role: "bureau"), nil, .fieldTooLong, "name"),
            (NewAccountForm(name: "张三", role: "boss"), nil, .roleUnknown, "role"),
            (NewAccountForm(name: "张三", role: "bureau", county: "雁江区"), nil, .scopeInvalid, "scope"),
            (NewAccountForm(name: "张三", role: "county"), nil, .scopeInvalid, "scope"),
            (NewAccountForm(name: "张三", role: "admin", studios: ["S1"]), nil, .scopeInvalid, "scope"),
            (NewAccountForm(name: "张三", role: "accountant", hostUnit: TestLedger.hostCode, county: "雁江区"), nil, .scopeInvalid, "scope"),
            (NewAccountForm(name: "张三", role: "county", county: "乐至县"), nil, .scopeInvalid, "county"),
            (NewAccountForm(name: "张三", role: "accountant", hostUnit: CreditCode.completing("91510100MA6CABCD1")!), nil, .scopeInvalid, "host-unit"),
            (NewAccountForm(name: "张三", role: "accountant", hostUnit: "123"), nil, .creditCodeLength, "host-unit"),
            (NewAccountForm(name: "张三", role: "auditor", studios: ["S1", "S9"]), nil, .scopeInvalid, "studio"),
            (NewAccountForm(name: "张三", role: "auditor", studios: ["S1"], expires: "2027-02-30"), nil, .dateInvalid, "expires"),
            (NewAccountForm(name: "王主管 ", role: "county", county: "雁江区"), nil, .userDuplicate, "name"),
            (NewAccountForm(name: "王主管", role: "county", county: "雁江区"), nil, .userDuplicate, "name"),
            (NewAccountForm(name: "张三", role: "bureau"), "short-pw", .passwordWeak, "password"),
            (NewAccountForm(name: "张三丰张三丰张三丰张", role: "bureau"), "张三丰张三丰张三丰张", .passwordWeak, "password"),
            (NewAccountForm(name: "张三", role: "bureau"), "aaaaaaaaaaaa", .passwordWeak, "password"),
            (NewAccountForm(name: "张三", role: "bureau"), String(repeating: "密码", count: 13), .passwordWeak, "password"),
            (NewAccountForm(name: "张三", role: "bureau"), "abcdefghij\u{0}kl", .passwordWeak, "password"),
        ]
        for (form, password, code, field) in cases {
            let refused = Self.rejection { _ = try desk.add(form, password: password) }
            #expect(refused?.code == code && refused?.field == field, "\(form.name) \(form.role): \(String(describing: refused))")
            if let password { #expect(!(refused?.description.contains(password) ?? true), "the message never repeats the password") }
        }
        #expect(try desk.list().map(\.name) == ["王主管"])
        #expect(try Self.log(app).count == before, "nothing logged")
    }

    @Test("passwords are bcrypt hashes of cost ≥ 10, and never reach the log")
    func bcryptAndLog() throws {
        let (app, clock) = try Self.app()
        let desk = app.accounts
        let admin = try desk.add(NewAccountForm(name: "系统管理员", role: "admin"), password: Self.strong).account
        let asAdmin = app.acting(as: admin).accounts
        let first = "Qiao-Jiang-8831"
        let account = try asAdmin.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: first).account
        let oneTime = try #require(try asAdmin.add(NewAccountForm(name: "周丽", role: "supervisor", hostUnit: TestLedger.hostCode), password: nil).1)
        let reset = try asAdmin.resetPassword(name: "周丽")
        let second = "Chuan-Cai-7742"
        try app.acting(as: account).accounts.changePassword(account: account, current: first, new: second)
        let wrong = "Wrong-Guess-5150"
        _ = Self.refusal { _ = try desk.login(name: "李会计", password: wrong) }
        _ = Self.refusal { _ = try desk.login(name: "李会计", password: first) }
        let session = try desk.login(name: "李会计", password: second)
        clock.advance(by: 5)
        try desk.logout(token: session.token)

        var hashes: [String] = []
        for name in ["系统管理员", "李会计", "周丽"] {
            let stored = try #require(try app.store.accounts.credentials(name: name))
            let hash = stored.passwordHash
            #expect(hash.hasPrefix("$2") && hash.count == 60, "\(name)")
            let cost = try #require(Int(hash.split(separator: "$")[1]))
            #expect(cost >= 10 && cost == AccountsDesk.bcryptCost)
            hashes.append(hash)
        }
        #expect(AccountsDesk.dummyHash.hasPrefix("$2b$\(AccountsDesk.bcryptCost)$") && AccountsDesk.dummyHash.count == 60)
        let secrets = [Self.strong, first, second, oneTime, reset, wrong, session.token, session.csrfToken] + hashes
        let entries = try Self.log(app)
        #expect(entries.count >= 9)
        for entry in entries {
            for secret in secrets {
                #expect(!entry.detail.contains(secret) && !entry.user.contains(secret) && !entry.action.contains(secret), "log \(entry.sequence)")
            }
        }
        let listing = try desk.usersReport()
        for format in [OutputFormat.json, .csv, .table] {
            let text = String(decoding: try LedgerApp.render(listing, format: format), as: UTF8.self)
            for secret in secrets { #expect(!text.contains(secret), "\(format)") }
        }
        // Only the token's SHA-256 is stored.
        #expect(try app.store.unsafeStringsForTesting("SELECT token_hash FROM web_session").isEmpty, "logged out")
        let again = try desk.login(name: "李会计", password: second)
        let stored = try app.store.unsafeStringsForTesting("SELECT token_hash || ' ' || csrf FROM web_session")
        #expect(stored == [AccountsDesk.tokenHash(again.token) + " " + again.csrfToken])
        #expect(!stored[0].contains(again.token))
    }

    // MARK: Login

    @Test("login: a session, and one message for a wrong name and a wrong password")
    func login() throws {
        let (app, _) = try Self.app()
        let desk = app.accounts
        let account = try desk.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: Self.strong).account
        let session = try desk.login(name: " 李会计 ", password: Self.strong)
        #expect(session.account == account)
        #expect(session.token.count == 43 && session.csrfToken.count == 43 && session.token != session.csrfToken)
        #expect(session.createdAt == session.seenAt && session.createdAt == 1_795_136_400)
        let found = try #require(try desk.session(token: session.token))
        #expect(found.account == account && found.csrfToken == session.csrfToken && found.token == session.token)
        #expect(try desk.session(token: session.token + "x") == nil)
        #expect(try desk.session(token: "") == nil)
        #expect(try desk.login(name: "李会计", password: Self.strong).token != session.token, "a new session each time")

        let wrongPassword = Self.refusal { _ = try desk.login(name: "李会计", password: "Not-The-Password") }
        let unknownName = Self.refusal { _ = try desk.login(name: "赵六", password: Self.strong) }
        let invalidName = Self.refusal { _ = try desk.login(name: "", password: Self.strong) }
        #expect(wrongPassword?.message == "用户名或密码错误")
        #expect(unknownName?.message == wrongPassword?.message && invalidName?.message == wrongPassword?.message)
        #expect(wrongPassword?.retryAfter == nil && unknownName?.retryAfter == nil)
        let failed = try app.admin.log(action: "login.failed")
        #expect(failed.map(\.user) == ["李会计", "赵六", "（无效用户名）"])
        #expect(failed.allSatisfy { $0.studio == "" })
        #expect(try app.admin.log(action: "login").filter { $0.action == "login" }.map(\.user) == ["李会计", "李会计"])

        _ = try desk.disable(name: "李会计")
        #expect(Self.refusal { _ = try desk.login(name: "李会计", password: "Not-The-Password") }?.message == "用户名或密码错误")
        #expect(Self.refusal { _ = try desk.login(name: "李会计", password: Self.strong) }?.message == "账户已停用")
    }

    @Test("five failures lock the name; the lock doubles and ends; a success clears the count")
    func throttling() throws {
        let (app, clock) = try Self.app()
        let desk = app.accounts
        _ = try desk.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: Self.strong)
        for attempt in 1...4 {
            let refused = Self.refusal { _ = try desk.login(name: "李会计", password: "Wrong-\(attempt)-password") }
            #expect(refused?.retryAfter == nil && refused?.message == "用户名或密码错误", "attempt \(attempt)")
            clock.advance(by: 1)
        }
        let fifth = Self.refusal { _ = try desk.login(name: "李会计", password: "Wrong-5-password") }
        #expect(fifth?.retryAfter == 60)
        #expect(fifth?.message.hasPrefix("用户名或密码错误") == true)
        clock.advance(by: 30)
        let locked = Self.refusal { _ = try desk.login(name: "李会计", password: Self.strong) }
        #expect(locked?.retryAfter == 30, "the right password is refused during the lock")
        // Another spelling of the same name is the same account, locked too.
        #expect(Self.refusal { _ = try desk.login(name: "李会计 ", password: Self.strong) }?.retryAfter == 30)
        #expect(try app.admin.log(action: "login.locked").count == 2)
        #expect(try app.admin.log(action: "login.locked").allSatisfy { $0.user == "李会计" })
        clock.advance(by: 29)
        #expect(Self.refusal { _ = try desk.login(name: "李会计", password: Self.strong) }?.retryAfter == 1)
        clock.advance(by: 1)
        // The lock has ended; attempts during it did not count. The 6th failure locks for 120 s.
        #expect(Self.refusal { _ = try desk.login(name: "李会计", password: "Wrong-6-password") }?.retryAfter == 120)
        clock.advance(by: 120)
        _ = try desk.login(name: "李会计", password: Self.strong)
        #expect(try app.store.accounts.loginFailures(name: "李会计").isEmpty, "a success clears the failures")
        #expect(Self.refusal { _ = try desk.login(name: "李会计", password: "Wrong-7-password") }?.retryAfter == nil)

        // Unknown names are throttled the same way, so a lock tells nothing about existence.
        for _ in 1...4 { _ = Self.refusal { _ = try desk.login(name: "赵六", password: "Whatever-123") } }
        #expect(Self.refusal { _ = try desk.login(name: "赵六", password: "Whatever-123") }?.retryAfter == 60)
        #expect(Self.refusal { _ = try desk.login(name: "赵六", password: "Whatever-123") }?.message == "登录失败次数过多，请 60 秒后再试")
    }

    @Test("the lock lasts min(60·2^(n−5), 3600) seconds after the latest failure")
    func lockSchedule() {
        let expected: [Int: Int64] = [4: 0, 5: 60, 6: 120, 7: 240, 8: 480, 9: 960, 10: 1920, 11: 3600, 12: 3600, 40: 3600, 100: 3600]
        for (count, seconds) in expected {
            let failures = (0..<count).map { Int64(1_000 + $0) }
            let latest = Int64(1_000 + count - 1)
            #expect(AccountsDesk.lockedUntil(failures: failures) == (seconds == 0 ? nil : latest + seconds), "\(count) failures")
        }
    }

    // MARK: Sessions

    @Test("a session ends after 30 idle minutes, and after 12 hours however busy")
    func sessionTimeouts() throws {
        let (app, clock) = try Self.app()
        let desk = app.accounts
        _ = try desk.add(NewAccountForm(name: "王主管", role: "bureau"), password: Self.strong)
        let session = try desk.login(name: "王主管", password: Self.strong)
        clock.advance(by: 30)
        #expect(try desk.session(token: session.token)?.seenAt == session.seenAt, "touched at most once a minute")
        clock.advance(by: 30)
        #expect(try desk.session(token: session.token)?.seenAt == session.seenAt + 60)
        clock.advance(by: AccountsDesk.idleTimeout)
        #expect(try desk.session(token: session.token) != nil, "exactly the idle timeout still counts")
        clock.advance(by: AccountsDesk.idleTimeout + 1)
        #expect(try desk.session(token: session.token) == nil, "idle too long")
        #expect(try app.store.unsafeScalarForTesting("SELECT count(*) FROM web_session") == 0, "deleted lazily")

        let busy = try desk.login(name: "王主管", password: Self.strong)
        var elapsed: Int64 = 0
        while elapsed + 20 * 60 <= AccountsDesk.absoluteTimeout {
            clock.advance(by: 20 * 60)
            elapsed += 20 * 60
            #expect(try desk.session(token: busy.token) != nil, "after \(elapsed) s")
        }
        clock.advance(by: AccountsDesk.absoluteTimeout - elapsed + 1)
        #expect(try desk.session(token: busy.token) == nil, "older than 12 hours")
    }

    @Test("disabling an account or resetting its password ends its sessions at once; logout ends one")
    func sessionsEnd() throws {
        let (app, _) = try Self.app()
        let desk = app.accounts
        _ = try desk.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: Self.strong)
        _ = try desk.add(NewAccountForm(name: "王主管", role: "bureau"), password: Self.strong)
        let first = try desk.login(name: "李会计", password: Self.strong)
        let second = try desk.login(name: "李会计", password: Self.strong)
        let other = try desk.login(name: "王主管", password: Self.strong)
        try desk.logout(token: first.token)
        #expect(try desk.session(token: first.token) == nil && desk.session(token: second.token) != nil)
        try desk.logout(token: first.token)
        #expect(try app.admin.log(action: "logout").map(\.user) == ["李会计"], "an unknown token logs nothing")
        _ = try desk.resetPassword(name: "李会计")
        #expect(try desk.session(token: second.token) == nil)
        #expect(try desk.session(token: other.token) != nil, "another account's sessions stay")
        let third = try desk.login(name: "王主管", password: Self.strong)
        _ = try desk.disable(name: "王主管")
        #expect(try desk.session(token: other.token) == nil && desk.session(token: third.token) == nil)
        #expect(try app.store.unsafeScalarForTesting("SELECT count(*) FROM web_session") == 0)
    }

    @Test("an auditor's grant: a session works through the last day and is gone the day after")
    func expiredGrant() throws {
        // 2026-11-20 23:30 in China.
        let (app, clock) = try Self.app(clock: SteppingClock(instant: "2026-11-20T15:30:00Z"))
        let desk = app.accounts
        _ = try desk.add(NewAccountForm(name: "审计员", role: "auditor", studios: ["S1"], expires: "2026-11-20"), password: Self.strong)
        let session = try desk.login(name: "审计员", password: Self.strong)
        clock.advance(by: 20 * 60)
        #expect(try desk.session(token: session.token) != nil, "23:50, the last day")
        clock.advance(by: 15 * 60)
        #expect(clock.today() == TestLedger.date("2026-11-21"))
        #expect(try desk.session(token: session.token) == nil, "00:05 the day after")
        #expect(Self.refusal { _ = try desk.login(name: "审计员", password: Self.strong) }?.message == "授权已于 2026-11-20 到期")
        #expect(Self.refusal { _ = try desk.login(name: "审计员", password: "Not-The-Password") }?.message == "用户名或密码错误")
        let report = try desk.usersReport()
        let json = String(decoding: try LedgerApp.render(report, format: .json), as: UTF8.self)
        #expect(json.contains("\"status\" : \"expired\""))
        #expect(TextRenderer.render(report.document).contains("已到期"))
    }

    @Test("changing one's password: the current one must be right, the new one strong")
    func changePassword() throws {
        let (app, _) = try Self.app()
        let desk = app.accounts
        let (account, oneTime) = try desk.add(NewAccountForm(name: "周丽", role: "supervisor", hostUnit: TestLedger.hostCode), password: nil)
        let temporary = try #require(oneTime)
        let own = app.acting(as: account).accounts
        let wrong = Self.rejection { try own.changePassword(account: account, current: "Not-The-Password", new: Self.strong) }
        #expect(wrong?.code == .passwordWrong && wrong?.field == "current-password")
        let weak = Self.rejection { try own.changePassword(account: account, current: temporary, new: "1234567") }
        #expect(weak?.code == .passwordWeak && weak?.field == "new-password")
        #expect(Self.rejection { try own.changePassword(account: account, current: temporary, new: "周丽") }?.code == .passwordWeak)
        #expect(Self.rejection { try own.changePassword(account: account, current: temporary, new: temporary) }?.code == .passwordWeak)
        try own.changePassword(account: account, current: temporary, new: Self.strong)
        #expect(try desk.list().first?.mustChangePassword == false)
        #expect(Self.refusal { _ = try desk.login(name: "周丽", password: temporary) } != nil)
        #expect(try !desk.login(name: "周丽", password: Self.strong).account.mustChangePassword)
        #expect(try app.admin.log(action: "user.password").map(\.user) == ["周丽"])
        // A change ends every other session of the account (a stolen cookie with it) and keeps
        // the one it was made in.
        let here = try desk.login(name: "周丽", password: Self.strong)
        let elsewhere = try desk.login(name: "周丽", password: Self.strong)
        try own.changePassword(account: account, current: Self.strong, new: "Another-Strong-4471", keeping: here.token)
        #expect(try desk.session(token: here.token) != nil)
        #expect(try desk.session(token: elsewhere.token) == nil)
    }

    @Test("every account change and login is logged under who did it, studio \"\"")
    func logEntries() throws {
        let (app, clock) = try Self.app()
        let admin = try app.accounts.add(NewAccountForm(name: "系统管理员", role: "admin"), password: Self.strong).account
        let asAdmin = app.acting(as: admin)
        #expect(asAdmin.user == "系统管理员" && (asAdmin.clock as AnyObject) === clock && asAdmin.databasePath == app.databasePath)
        let account = try asAdmin.accounts.add(
            NewAccountForm(name: "审计员", role: "auditor", studios: ["S1", "S2"], expires: "2027-12-31"), password: Self.strong).account
        let reset = try asAdmin.accounts.resetPassword(name: "审计员")
        let session = try app.accounts.login(name: "审计员", password: reset)
        try app.acting(as: session.account).accounts.changePassword(account: account, current: reset, new: "Shen-Ji-2027-ok", keeping: session.token)
        try app.accounts.logout(token: session.token)
        _ = Self.refusal { _ = try app.accounts.login(name: "审计员", password: "Not-The-Password") }
        _ = try asAdmin.accounts.disable(name: "审计员")
        let entries = try Self.log(app).filter { $0.action.hasPrefix("user.") || $0.action.hasPrefix("login") || $0.action == "logout" }
        let expected: [(String, String)] = [
            ("user.add", "管理员"), ("user.add", "系统管理员"), ("user.reset-password", "系统管理员"), ("login", "审计员"),
            ("user.password", "审计员"), ("logout", "审计员"), ("login.failed", "审计员"), ("user.disable", "系统管理员"),
        ]
        #expect(entries.map(\.action) == expected.map(\.0))
        #expect(entries.map(\.user) == expected.map(\.1))
        #expect(entries.allSatisfy { $0.studio == "" })
        let grant = try #require(entries.dropFirst().first)
        #expect(grant.detail.contains("审计员") && grant.detail.contains("auditor") && grant.detail.contains("studios:S1,S2")
            && grant.detail.contains("2027-12-31"))
        #expect(try app.admin.verify().isClean, "the log's chain holds, the account tables are outside the row chain")
    }

    // MARK: Authorisation

    @Test("authorize resolves the studio's place from the register, then decides")
    func authorize() throws {
        let (app, _) = try Self.app()
        let desk = app.accounts
        let accountant = try desk.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: Self.strong).account
        let county = try desk.add(NewAccountForm(name: "安岳县人社局", role: "county", county: "安岳县"), password: Self.strong).account
        #expect(try desk.authorize(accountant, .editStudio, studio: "S1") == .allow)
        #expect(try desk.authorize(accountant, .editStudio, studio: "S3") == .deny("工作室 S3 不在授权范围（依托单位 \(TestLedger.hostCode) 的工作室）内"))
        #expect(try desk.authorize(accountant, .closePeriod, studio: "S1") == .deny("角色“依托单位会计”无权结账与反结账"))
        // An unknown studio is decided as no studio: the answer does not tell it from a real one
        // a role may not act on.
        #expect(try desk.authorize(accountant, .readStudio, studio: "S9") == .deny("未指定工作室"))
        #expect(try desk.authorize(accountant, .closePeriod, studio: "S9") == desk.authorize(accountant, .closePeriod, studio: "S1"))
        #expect(try desk.authorize(accountant, .viewScope, studio: nil) == .allow)
        #expect(try desk.authorize(county, .acceptanceStep, studio: "S3") == .allow)
        #expect(try desk.authorize(county, .acceptanceStep, studio: "S1").isAllowed == false)
        let disabled = try desk.disable(name: "李会计")
        #expect(try desk.authorize(disabled, .readStudio, studio: "S1") == .deny("账户已停用"))
        let places = try desk.places()
        #expect(places == [
            StudioPlace(code: "S1", hostUnit: TestLedger.hostCode, county: "雁江区"),
            StudioPlace(code: "S2", hostUnit: TestLedger.hostCode, county: "雁江区"),
            StudioPlace(code: "S3", hostUnit: Self.otherHost, county: "安岳县"),
        ])
        #expect(places.filter { Access.covers(county.scope, $0) }.map(\.code) == ["S3"])
    }

    @Test("用户与授权: the columns, each status, no hash")
    func usersReport() throws {
        let (app, _) = try Self.app()
        let desk = app.accounts
        _ = try desk.add(NewAccountForm(name: "王主管", role: "bureau"), password: Self.strong)
        _ = try desk.add(NewAccountForm(name: "李会计", role: "accountant", hostUnit: TestLedger.hostCode), password: Self.strong)
        _ = try desk.add(NewAccountForm(name: "旧审计员", role: "auditor", studios: ["S1"], expires: "2026-01-31"), password: Self.strong)
        _ = try desk.disable(name: "李会计")
        let report = try desk.usersReport()
        #expect(report.document.kind == .view(.users) && report.document.title == "用户与授权")
        let table = try #require(report.document.tables.first)
        #expect(table.columns.map(\.title) == ["用户名", "角色", "授权范围", "有效期至", "状态", "创建时间", "创建人"])
        let statuses = table.rows.map { row -> String in
            if case .text(let text) = row.cells[4] { return text }
            return ""
        }
        #expect(table.rows.map { $0.cells[0] } == [.text("旧审计员"), .text("李会计"), .text("王主管")])
        #expect(statuses == ["已到期", "停用", "启用"])
        let json = String(decoding: try LedgerApp.render(report, format: .json), as: UTF8.self)
        #expect(!json.contains("$2") && !json.localizedCaseInsensitiveContains("hash"))
    }
}
