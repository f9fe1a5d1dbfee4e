import FundApp
import FundCore
import Foundation
import Hummingbird

/// Signing in and out, the password, the static files and the health check.
enum PublicPages {
    static var routes: [WebRoute] {
        [
            WebRoute(.get, "/healthz", nil) { call in
                _ = try await offload { try call.app.register.studios() }
                return .text("ok\n")
            },
            WebRoute(.get, "/static/app.css", nil) { _ in .file(Data(Assets.stylesheet.utf8), contentType: "text/css; charset=utf-8", fileName: "app.css") },
            WebRoute(.get, "/static/app.js", nil) { _ in .file(Data(Assets.script.utf8), contentType: "text/javascript; charset=utf-8", fileName: "app.js") },
            WebRoute(.get, "/login", nil, loginPage),
            WebRoute(.post, "/login", nil, login),
            WebRoute(.post, "/logout", .ownAccount) { call in
                if let token = call.session?.token { try await offload { try call.app.accounts.logout(token: token) } }
                return .withCookies(.init(.redirect("/login")), cookies: [expired(WebDesk.sessionCookie, call)])
            },
            WebRoute(.get, "/", .ownAccount) { call in
                guard let account = call.account else { return .redirect("/login") }
                return .redirect(Access.actions(of: account.role).contains(.viewScope) ? "/overview" : "/admin/users")
            },
            WebRoute(.get, "/account/password", .ownAccount) { call in passwordPage(call, message: nil) },
            WebRoute(.post, "/account/password", .ownAccount) { call in
                guard let account = call.account else { return .redirect("/login") }
                let new = call.form["new"] ?? ""
                guard new == call.form["repeat"] else {
                    return passwordPage(call, message: "两次输入的新密码不一致", status: .badRequest)
                }
                let token = call.session?.token
                try await offload {
                    try call.app.accounts.changePassword(account: account, current: call.form["current"] ?? "", new: new, keeping: token)
                }
                return .page(title: "密码已修改", body: "<p class=\"notice\">密码已修改。</p><p><a href=\"/\">继续</a></p>")
            },
        ]
    }

    static func cookie(_ name: String, _ value: String, _ call: WebCall, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: call.configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    static func expired(_ name: String, _ call: WebCall) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: call.configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// The login form carries a token that must match a cookie set with it (a login form posted
    /// from another site has neither).
    static func loginPage(_ call: WebCall) -> WebReply {
        loginForm(call, message: nil, name: "", status: .ok)
    }

    static func loginForm(_ call: WebCall, message: String?, name: String, status: HTTPResponse.Status) -> WebReply {
        let token = randomToken()
        let next = Address.safeNext(call.value("next") ?? call.form["next"])
        let body: HTML = """
            \(message.map { m -> HTML in "<p class=\"error\">\(m)</p>" } ?? .empty)
            <form method="post" action="/login" class="login">
            <input type="hidden" name="_csrf" value="\(token)"><input type="hidden" name="next" value="\(next)">
            <label>用户名<input name="name" value="\(name)" autocomplete="username" required autofocus></label>
            <label>密码<input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">登录</button>
            <p class="muted">账户由系统管理员开设（workshop-ledger user add）。</p>
            </form>
            """
        return .withCookies(.init(.page(title: "登录", body: body, status: status)), cookies: [cookie(WebDesk.loginCookie, token, call, maxAge: 3600)])
    }

    static func login(_ call: WebCall) async throws -> WebReply {
        let name = call.form["name"] ?? ""
        let password = call.form["password"] ?? ""
        let signIns = call.configuration.signIns
        guard signIns.enter() else {
            return .page(title: "请稍后再试", body: "<p class=\"error\">登录请求过多，请稍后再试。</p>", status: .serviceUnavailable)
        }
        let outcome: Result<WebSession, LoginRefused>
        do {
            defer { signIns.leave() }
            // A sign-in from a browser that still holds a session ends that session first.
            if let old = call.session?.token { try await offload { try call.app.accounts.logout(token: old) } }
            do {
                outcome = .success(try await offload { try call.app.accounts.login(name: name, password: password) })
            } catch let refused as LoginRefused {
                outcome = .failure(refused)
            }
        }
        switch outcome {
        case .success(let session):
            let next = Address.safeNext(call.form["next"])
            return .withCookies(
                .init(.redirect(next == "/login" ? "/" : next)),
                cookies: [cookie(WebDesk.sessionCookie, session.token, call), expired(WebDesk.loginCookie, call)])
        case .failure(let refused):
            // A failed sign-in costs the caller a second (outside the gate), on top of the
            // lockout the desk counts.
            try await Task.sleep(for: .seconds(1))
            return loginForm(call, message: refused.message, name: name, status: refused.retryAfter == nil ? .unauthorized : .tooManyRequests)
        }
    }

    static func passwordPage(_ call: WebCall, message: String?, status: HTTPResponse.Status = .ok) -> WebReply {
        let forced = call.account?.mustChangePassword == true
        let body: HTML = """
            \(forced ? "<p class=\"notice\">您使用的是一次性密码，请先设置自己的密码。</p>" as HTML : .empty)
            \(message.map { m -> HTML in "<p class=\"error\">\(m)</p>" } ?? .empty)
            <form method="post" action="/account/password" class="login">\(Pages.csrf(call))
            <label>当前密码<input name="current" type="password" autocomplete="current-password" required></label>
            <label>新密码（至少 10 个字符）<input name="new" type="password" autocomplete="new-password" minlength="10" required></label>
            <label>再次输入新密码<input name="repeat" type="password" autocomplete="new-password" minlength="10" required></label>
            <button type="submit">修改密码</button></form>
            """
        return .page(title: "修改密码", body: body, status: status)
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.map { String(repeating: "0", count: 16 - $0.count) + $0 }.joined()
    }
}

/// A count of sign-ins in progress, refused beyond a limit.
final class SignInGate: @unchecked Sendable {
    private let lock = NSLock()
    private var active = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func enter() -> Bool {
        lock.withLock {
            guard active < limit else { return false }
            active += 1
            return true
        }
    }

    func leave() { lock.withLock { active -= 1 } }
}
