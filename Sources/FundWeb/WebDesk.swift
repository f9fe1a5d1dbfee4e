// FundWeb: the web desk, a second thin adapter over LedgerApp. It parses requests, asks
// LedgerApp (through the one guard below) whether the signed-in account may do what the route
// does, calls a desk and renders what it returns. It holds no accounting logic and never sees
// the store.
import FundApp
import FundCore
import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// How the server runs.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Sets `Secure` on cookies: on when the desk is served over HTTPS (behind a proxy).
    public var secureCookies: Bool
    /// One JSON line per request on standard error.
    public var accessLog: Bool
    /// Where the host units' private signing keys are (the server signs the audit packages it
    /// hands out); nil: beside the database (`DB.keys/`).
    public var keyDirectory: URL?
    /// Sign-ins checked at once by this server (each is a bcrypt of about 0.1 s): more are
    /// refused with 503, so a flood of guesses cannot take every core from the desk.
    let signIns = SignInGate(limit: 4)

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, accessLog: Bool = true, keyDirectory: URL? = nil) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.accessLog = accessLog
        self.keyDirectory = keyDirectory
    }
}

/// What a route's handler gets: the app acting as the signed-in account, the account, the
/// session, the parsed query and form, and the path's parameters.
struct WebCall: Sendable {
    let app: LedgerApp
    let account: WebAccount?
    let session: WebSession?
    let query: [String: String]
    let form: [String: String]
    /// Files sent with a `multipart/form-data` form, by field name.
    var files: [String: Upload] = [:]
    let parameters: [String: String]
    let path: String
    let configuration: WebConfiguration

    func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// The studio of a studio route.
    var studio: String { parameter("code") }

    /// The query value, nil when absent or empty.
    func value(_ name: String) -> String? {
        guard let value = query[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

/// What a handler answers.
enum WebReply: Sendable {
    case page(title: String, body: HTML, status: HTTPResponse.Status = .ok)
    case redirect(String)
    case file(Data, contentType: String, fileName: String)
    /// A file shown in the browser (an evidence PDF or image), sandboxed by its own policy.
    case inline(Data, contentType: String)
    case text(String, status: HTTPResponse.Status = .ok)
    /// A page answered by a handler that also sets or clears cookies (login, logout).
    case withCookies(Box, cookies: [Cookie])

    final class Box: Sendable {
        let reply: WebReply
        init(_ reply: WebReply) { self.reply = reply }
    }
}

/// One route: its method and path (Hummingbird's `:name` parameters), the action it performs
/// (nil: open to everyone, signed in or not) and its handler. The table of all routes is
/// `WebDesk.routes`; the guard, not the handler, decides who may call it.
public struct WebRoute: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public let method: Method
    public let path: String
    public let action: Action?
    let handler: @Sendable (WebCall) async throws -> WebReply

    init(_ method: Method, _ path: String, _ action: Action?, _ handler: @escaping @Sendable (WebCall) async throws -> WebReply) {
        self.method = method
        self.path = path
        self.action = action
        self.handler = handler
    }
}

public enum WebDesk {
    public static let sessionCookie = "wl_session"
    static let loginCookie = "wl_login"

    /// Every route of the desk. The authorisation matrix test is generated from this table.
    public static var routes: [WebRoute] {
        PublicPages.routes + ScopePages.routes + StudioPages.routes + VoucherPages.routes + AdminPages.routes
    }

    /// The router with every route behind the guard, and the headers every answer carries.
    public static func router(app: LedgerApp, configuration: WebConfiguration) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: SecurityHeaders(accessLog: configuration.accessLog))
        for route in routes {
            router.on(RouterPath(route.path), method: route.method == .get ? .get : .post) { request, context in
                try await Guard.respond(route, request: request, context: context, app: app, configuration: configuration)
            }
        }
        return router
    }

    /// The application, for `serve` and for tests (HummingbirdTesting).
    public static func application(
        app: LedgerApp, configuration: WebConfiguration, onRunning: @escaping @Sendable () -> Void = {}
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "workshop-ledger.web")
        logger.logLevel = .notice
        return Application(
            router: router(app: app, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { _ in onRunning() },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight and returns.
    public static func serve(app: LedgerApp, configuration: WebConfiguration, onRunning: @escaping @Sendable () -> Void = {}) async throws {
        try await application(app: app, configuration: configuration, onRunning: onRunning)
            .runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// The one guard every route goes through: session from the cookie, CSRF on every POST, the
/// forced password change, and `app.accounts.authorize` for the route's action and studio.
/// No handler runs without it and no handler decides access for itself.
enum Guard {
    static func respond(
        _ route: WebRoute, request: Request, context: BasicRequestContext, app: LedgerApp, configuration: WebConfiguration
    ) async throws -> Response {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where query[String(key)] == nil {
            query[String(key)] = String(value)
        }
        var parameters: [String: String] = [:]
        for name in routeParameterNames(route.path) {
            if let value = context.parameters.get(name) { parameters[name] = Address.decode(value) }
        }
        let path = request.uri.path
        let token = request.cookies[WebDesk.sessionCookie]?.value
        let session = try await offload { try token.flatMap { try app.accounts.session(token: $0) } }
        var form: [String: String] = [:]
        var files: [String: Upload] = [:]
        if route.method == .post {
            if session != nil, route.action != nil, let boundary = Multipart.boundary(contentType: request.headers[.contentType]) {
                // Files (source documents, voucher files) only from a signed-in session: up to
                // the largest file taken, and a little; parsed off the event loops.
                let body = try await request.body.collect(upTo: EvidenceType.maximumBytes + (1 << 20))
                let bytes = Array(buffer: body)
                (form, files) = try await offload { Multipart.parse(bytes, boundary: boundary) }
            } else {
                // A form without a session (the login form) is small.
                let body = try await request.body.collect(upTo: session == nil ? 64 * 1024 : 1 << 20)
                form = Address.decodeForm(String(buffer: body))
            }
        }
        var call = WebCall(
            app: app, account: session?.account, session: session, query: query, form: form, files: files, parameters: parameters, path: path,
            configuration: configuration)
        do {
            guard let action = route.action else {
                if route.method == .post, !(form["_csrf"].map { equal($0, request.cookies[WebDesk.loginCookie]?.value ?? "") } ?? false) {
                    return Pages.denied(call, status: .forbidden, reason: "表单已过期或来源不明（缺少 CSRF 令牌），请刷新页面后重试")
                }
                return try await render(route.handler(call), call: call)
            }
            guard let session else {
                if route.method == .get {
                    return redirect(Address.with("/login", query: [("next", path)]))
                }
                return Pages.denied(call, status: .forbidden, reason: "尚未登录或登录已过期")
            }
            if route.method == .post, !equal(form["_csrf"] ?? "", session.csrfToken) {
                return Pages.denied(call, status: .forbidden, reason: "表单已过期或来源不明（CSRF 令牌不符），请刷新页面后重试")
            }
            if session.account.mustChangePassword, action != .ownAccount {
                return redirect("/account/password")
            }
            let studio = action.isStudioAction ? call.studio : nil
            let decision = try await offload { try app.accounts.authorize(session.account, action, studio: studio) }
            if case .deny(let reason) = decision {
                // A studio outside the scope (or none such) is not found, whoever asks: the
                // address does not tell whether the studio exists. A role without the action is
                // forbidden, with the reason.
                if action.isStudioAction && Access.actions(of: session.account.role).contains(action) {
                    return Pages.denied(call, status: .notFound, reason: "工作室 \(call.studio) 不存在或不在您的授权范围内")
                }
                return Pages.denied(call, status: .forbidden, reason: reason)
            }
            call = WebCall(
                app: app.acting(as: session.account), account: session.account, session: session, query: query, form: form,
                files: files, parameters: parameters, path: path, configuration: configuration)
            return try await render(route.handler(call), call: call)
        } catch let rejection as Rejection {
            return Pages.rejected(call, rejection)
        } catch let located as LocatedRejection {
            return Pages.rejected(call, located.rejection)
        } catch let list as RejectionList {
            return Pages.rejected(call, list.items[0].rejection)
        } catch let errors as VoucherFormErrors where !errors.errors.isEmpty {
            return Pages.rejected(call, errors.errors[0].rejection)
        } catch let refused as LoginRefused {
            return Pages.denied(call, status: .tooManyRequests, reason: refused.message)
        } catch {
            // Never a stack trace or SQL in the page: the message goes to the server's log.
            context.logger.error("request failed", metadata: ["path": .string(path), "error": .string(String(describing: error))])
            return Pages.failed(call, error)
        }
    }

    static func render(_ reply: WebReply, call: WebCall, cookies: [Cookie] = []) -> Response {
        var response: Response
        switch reply {
        case .page(let title, let body, let status):
            response = Pages.response(Pages.layout(call, title: title, body: body), status: status)
        case .redirect(let location):
            response = redirect(location)
        case .file(let data, let contentType, let fileName):
            var headers = HTTPFields()
            headers[.contentType] = contentType
            headers[.contentDisposition] = "attachment; filename=\"\(asciiName(fileName))\"; filename*=UTF-8''\(Address.encode(fileName))"
            headers[.cacheControl] = "private, no-store"
            response = Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .inline(let data, let contentType):
            var headers = HTTPFields()
            headers[.contentType] = contentType
            headers[.contentDisposition] = "inline"
            headers[.cacheControl] = "private, no-store"
            response = Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            // Nothing in it may run or reach anything: the middleware keeps a sandbox it finds.
            response.headers[.contentSecurityPolicy] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; plugin-types application/pdf"
        case .text(let text, let status):
            response = Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .withCookies(let box, let more):
            return render(box.reply, call: call, cookies: cookies + more)
        }
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// Compares secrets in time independent of where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func routeParameterNames(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    static func asciiName(_ name: String) -> String {
        String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 ? Character($0) : "_" })
    }
}

/// Runs blocking work (SQLite, report building) off the server's event loops.
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}

/// Security headers on every answer, and one structured access-log line per request.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = BasicRequestContext
    let accessLog: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            response = Pages.response(Pages.bare(title: "页面不存在", body: "<p>没有这个地址。</p><p><a href=\"/\">返回首页</a></p>"), status: .notFound)
        } catch {
            response = Pages.response(Pages.bare(title: "请求无效", body: "<p>请求无法处理。</p><p><a href=\"/\">返回首页</a></p>"), status: .badRequest)
        }
        if response.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") != true {
            response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        }
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if accessLog {
            let elapsed = ContinuousClock.now - start
            let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            let line: [String: String] = [
                "method": request.method.rawValue, "path": request.uri.path, "status": String(response.status.code),
                "us": String(micros),
            ]
            if let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
                FileHandle.standardError.write(data + Data("\n".utf8))
            }
        }
        return response
    }
}
