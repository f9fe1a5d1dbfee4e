import FundApp
import FundCore
import FundTestSupport
import FundWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

@Suite("Web desk security")
struct WebSecurityTests {
    static func run(_ app: LedgerApp, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            try await body(client)
        }
    }

    @Test func headersOnEveryAnswer() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            for (uri, visitor) in [("/login", Visitor.anonymous), ("/overview", bureau), ("/no-such-page", bureau), ("/studios/NOPE", bureau)] {
                let response = try await client.get(uri, as: visitor)
                #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true, "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
            }
            let missing = try await client.get("/no-such-page", as: bureau)
            #expect(missing.status == .notFound)
            let text = String(buffer: missing.body)
            #expect(!text.contains("Swift") && !text.contains("SELECT") && !text.contains("HTTPError"))
        }
    }

    @Test func postsWithoutTheFormTokenAreRefused() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let supervisor = try await client.signIn(WebFixture.names[.supervisor]!)
            let uri = "/studios/\(WebFixture.own)/periods/reopen"
            let none = try await client.post(uri, ["period": "2026-01", "reason": "测试"], cookie: supervisor.cookie)
            #expect(none.status == .forbidden)
            let forged = try await client.post(uri, ["period": "2026-01", "reason": "测试", "_csrf": String(repeating: "0", count: 64)], as: supervisor)
            #expect(forged.status == .forbidden)
            // The login form is protected too: its token must match the cookie set with it.
            let login = try await client.post("/login", ["name": WebFixture.names[.bureau]!, "password": WebFixture.password], cookie: "")
            #expect(login.status == .forbidden)
        }
        #expect(try app.admin.log(action: "period.reopen").isEmpty)
    }

    @Test func everythingIsEscaped() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let accountant = try await client.signIn(WebFixture.names[.accountant]!)
            let findings = String(buffer: try await client.get("/studios/\(WebFixture.own)/findings", as: accountant).body)
            let key = try #require(hidden(findings, "key"))
            let explained = try await client.post(
                "/studios/\(WebFixture.own)/findings/explain", ["key": key, "text": "<script>alert(1)</script>\"'&"], as: accountant)
            #expect(explained.status == .seeOther)
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            let inbox = String(buffer: try await client.get("/findings", as: bureau).body)
            #expect(inbox.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
            #expect(!inbox.contains("<script>alert(1)"))
            // A search text comes back into the page escaped, and into links percent-encoded.
            let journal = String(buffer: try await client.get("/studios/\(WebFixture.own)/journal?q=%3Cimg%20src%3Dx%3E", as: bureau).body)
            #expect(journal.contains("value=\"&lt;img src=x&gt;\""))
            #expect(!journal.contains("<img src=x>"))
        }
        let entry = try #require(try app.admin.log(action: "finding.explain").last)
        #expect(entry.user == WebFixture.names[.accountant]!)
    }

    @Test func sessionCookiesAndLogout() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(setCookie(form, "wl_login"))
            let token = try #require(hidden(String(buffer: form.body), "_csrf"))
            let response = try await client.post(
                "/login", ["name": WebFixture.names[.bureau]!, "password": WebFixture.password, "_csrf": token], cookie: "wl_login=\(loginCookie)")
            let header = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("wl_session=") })
            #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Path=/"))
            let first = try await client.signIn(WebFixture.names[.bureau]!)
            let second = try await client.signIn(WebFixture.names[.bureau]!)
            #expect(first.cookie != second.cookie, "a new session id at every login")
            #expect(try await client.get("/overview", as: first).status == .ok)
            #expect(try await client.post("/logout", [:], as: first).status == .seeOther)
            #expect(try await client.get("/overview", as: first).status == .seeOther, "the session ended at logout")
            #expect(try await client.get("/overview", as: second).status == .ok, "other sessions live on")
            // After login only a path on this site: never another host.
            let evil = try await client.execute(uri: "/login?next=//evil.example/x", method: .get)
            let evilToken = try #require(hidden(String(buffer: evil.body), "_csrf"))
            #expect(hidden(String(buffer: evil.body), "next") == "/")
            let redirected = try await client.post(
                "/login", ["name": WebFixture.names[.bureau]!, "password": WebFixture.password, "_csrf": evilToken, "next": "//evil.example/x"],
                cookie: "wl_login=\(try #require(setCookie(evil, "wl_login")))")
            #expect(redirected.headers[.location] == "/")
        }
    }

    @Test func reviewFindingsStayMended() async throws {
        // Each of these was a finding of the security review (2026-12-05).
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            // A page number that would overflow (page − 1) × size gives the last page.
            let huge = try await client.get("/studios/\(WebFixture.own)/journal?page=9223372036854775807", as: bureau)
            #expect(huge.status == .ok)
            // Whether a studio exists is not told to a role that may not read studios.
            let admin = try await client.signIn(WebFixture.names[.admin]!)
            let real = try await client.get("/studios/\(WebFixture.own)", as: admin)
            let none = try await client.get("/studios/NO-SUCH", as: admin)
            #expect(real.status == .forbidden && none.status == .forbidden)
            #expect(String(buffer: real.body) == String(buffer: none.body).replacingOccurrences(of: "NO-SUCH", with: WebFixture.own))
            #expect(try await client.get("/studios/NO-SUCH", as: bureau).status == .notFound)
            // A password change ends the other sessions, and keeps the one it was made in.
            let accountant = WebFixture.names[.accountant]!
            let here = try await client.signIn(accountant)
            let elsewhere = try await client.signIn(accountant)
            let changed = try await client.post(
                "/account/password", ["current": WebFixture.password, "new": "a-new-password-9", "repeat": "a-new-password-9"], as: here)
            #expect(changed.status == .ok)
            #expect(try await client.get("/overview", as: here).status == .ok)
            #expect(try await client.get("/overview", as: elsewhere).status == .seeOther)
            // Signing in again from a browser with a session ends that session.
            let first = try await client.signIn(WebFixture.names[.county]!)
            let form = try await client.get("/login", as: first)
            let token = try #require(setCookie(form, "wl_login"))
            #expect(String(buffer: form.body).contains("value=\"\(token)\""), "the login form carries its cookie's token")
            let again = try await client.post(
                "/login", ["name": WebFixture.names[.county]!, "password": WebFixture.password, "_csrf": token],
                cookie: first.cookie + "; wl_login=\(token)")
            #expect(again.status == .seeOther)
            #expect(try await client.get("/overview", as: first).status == .seeOther)
        }
        for next in ["/\t/evil.example", "/\\evil.example", "/%09/x".removingPercentEncoding!, "/ /evil", "//evil", "https://evil", "/\u{0B}/evil"] {
            #expect(FundWebTesting.safeNext(next) == "/", "\(next.debugDescription)")
        }
        #expect(FundWebTesting.safeNext("/studios/ZY2025-001/findings?x=1") == "/studios/ZY2025-001/findings?x=1")
    }

    @Test func loginThrottling() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let name = WebFixture.names[.county]!
            for _ in 0..<5 {
                await #expect(throws: SignInFailed.self) { _ = try await client.signIn(name, password: "wrong-password-1") }
            }
            do {
                _ = try await client.signIn(name)
                Issue.record("the right password went through during the lockout")
            } catch let failed as SignInFailed {
                #expect(failed.status == 429)
                #expect(failed.body.contains("秒"))
            }
        }
        #expect(try app.admin.log(action: "login.failed").count == 5)
        #expect(try app.admin.log(action: "login.locked").count == 1)
        let details = try app.admin.log().map(\.detail).joined()
        #expect(!details.contains("wrong-password-1") && !details.contains(WebFixture.password), "no password in the log")
    }

    @Test func aDisabledAccountIsOutAtOnce() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let accountant = try await client.signIn(WebFixture.names[.accountant]!)
            #expect(try await client.get("/studios/\(WebFixture.own)", as: accountant).status == .ok)
            let admin = try await client.signIn(WebFixture.names[.admin]!)
            #expect(try await client.post("/admin/users/disable", ["name": WebFixture.names[.accountant]!], as: admin).status == .ok)
            #expect(try await client.get("/studios/\(WebFixture.own)", as: accountant).status == .seeOther)
            // The administrator's log holds accounts and sign-ins, nothing of the books.
            let log = String(buffer: try await client.get("/admin/log", as: admin).body)
            #expect(log.contains("user.disable") && log.contains("login"))
            #expect(!log.contains("voucher.") && !log.contains("studio.add") && !log.contains("period.close"))
        }
        #expect(try app.admin.log(action: "user.disable").last?.user == WebFixture.names[.admin]!)
    }

    @Test func anAuditorsGrantEndsTheDayAfterItExpires() async throws {
        let clock = WebFixture.clock()
        let app = try WebFixture.app(clock: clock)
        try await Self.run(app) { client in
            clock.set(1_798_732_200)  // 2026-12-31 23:50 in China: the last day of the grant
            #expect(clock.today() == TestLedger.date("2026-12-31"))
            let auditor = try await client.signIn(WebFixture.names[.auditor]!)
            #expect(try await client.get("/studios/\(WebFixture.own)", as: auditor).status == .ok)
            clock.advance(by: 20 * 60)  // 2027-01-01 00:10: within the idle timeout, past the grant
            #expect(try await client.get("/studios/\(WebFixture.own)", as: auditor).status == .seeOther)
            await #expect(throws: SignInFailed.self) { _ = try await client.signIn(WebFixture.names[.auditor]!) }
        }
    }

    @Test func downloadsAreBuiltByTheServerAndLogged() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let auditor = try await client.signIn(WebFixture.names[.auditor]!)
            let pdf = try await client.get("/studios/\(WebFixture.own)/reports/fund-statement.pdf", as: auditor)
            #expect(pdf.status == .ok)
            #expect(String(buffer: pdf.body).hasPrefix("%PDF-"))
            #expect(pdf.headers[.contentDisposition]?.contains("attachment") == true)
            let xlsx = try await client.get("/studios/\(WebFixture.own)/reports/trial-balance.xlsx", as: auditor)
            #expect(Array(xlsx.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            let evaluation = try await client.get("/studios/\(WebFixture.own)/evaluation-package.zip", as: auditor)
            #expect(evaluation.status == .ok && Array(evaluation.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            // Evidence: a PDF may be viewed (sandboxed), anything else only downloaded.
            let attached = Set(try app.packages.evidence(studio: WebFixture.own).map(\.voucher))
            let free = try app.books.journal(studio: WebFixture.own).filter { $0.draft.attachments > 0 && !attached.contains($0.ref) }
            try #require(free.count >= 2)
            let invoice = try app.packages.addEvidence(Data("%PDF-1.4 发票".utf8), fileName: "发票.pdf", to: free[0].ref)
            let html = try app.packages.addEvidence(Data("<script>alert(1)</script>".utf8), fileName: "page.html", to: free[1].ref)
            let viewed = try await client.get("/studios/\(WebFixture.own)/evidence/\(invoice.sha256)?view=1", as: auditor)
            #expect(viewed.headers[.contentType] == "application/pdf" && viewed.headers[.contentDisposition] == "inline")
            #expect(viewed.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
            let script = try await client.get("/studios/\(WebFixture.own)/evidence/\(html.sha256)?view=1", as: auditor)
            #expect(script.headers[.contentType] == "application/octet-stream" && script.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            // Another studio's file is not this studio's, whoever may read both.
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            #expect(try await client.get("/studios/ZY2025-003/evidence/\(invoice.sha256)", as: bureau).status == .notFound)
            // Only names of reports the server builds: a path is not a report.
            for bad in ["..%2F..%2Fetc%2Fpasswd", "trial-balance.exe", "ledger.sqlite"] {
                #expect(try await client.get("/studios/\(WebFixture.own)/reports/\(bad)", as: auditor).status.code >= 400)
            }
        }
        let downloads = try app.admin.log(action: "download")
        #expect(downloads.count == 5)
        #expect(downloads.allSatisfy { $0.user == WebFixture.names[.auditor]! && $0.studio == WebFixture.own })
    }

    @Test func theScopeDecidesWhatTheOverviewShows() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            let all = String(buffer: try await client.get("/overview.csv", as: bureau).body)
            for code in ["ZY2024-001", "ZY2025-001", "ZY2025-002", "ZY2025-003"] { #expect(all.contains(code)) }
            #expect(all.contains("合计"))
            let county = try await client.signIn(WebFixture.names[.county]!)
            let mine = String(buffer: try await client.get("/overview.csv", as: county).body)
            #expect(mine.contains("ZY2025-001") && mine.contains("ZY2025-003") && !mine.contains("ZY2025-002"))
            let page = String(buffer: try await client.get("/overview", as: bureau).body)
            #expect(page.contains("<svg class=\"chart\"") && page.contains("授权范围内 4 个工作室累计支出") && page.contains("核定补助合计 120,000.00"))
            let filtered = String(buffer: try await client.get("/overview?county=%E5%AE%89%E5%B2%B3%E5%8E%BF", as: bureau).body)
            #expect(filtered.contains("授权范围内 1 个工作室累计支出"))
            #expect(filtered.contains("ZY2025-002") && !filtered.contains(">ZY2025-001<"))
            let auditor = try await client.signIn(WebFixture.names[.auditor]!)
            let engagement = String(buffer: try await client.get("/findings", as: auditor).body)
            #expect(!engagement.contains("ZY2025-002"))
        }
    }

    @Test func badInputNamesTheField() async throws {
        let app = try WebFixture.app()
        try await Self.run(app) { client in
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            let response = try await client.get("/studios/\(WebFixture.own)/journal?from=2026-13", as: bureau)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("字段 from"))
            let count = try app.books.journal(studio: WebFixture.own).count
            let pages = (count + 49) / 50
            let paged = String(buffer: try await client.get("/studios/\(WebFixture.own)/journal?page=2", as: bureau).body)
            #expect(paged.contains("共 \(count) 张凭证，第 \(min(2, pages))/\(pages) 页"))
            let package = try await client.get("/studios/\(WebFixture.own)/audit-package.zip", as: bureau)
            #expect(package.status == .ok, Comment(rawValue: String(buffer: package.body)))
        }
    }
}
