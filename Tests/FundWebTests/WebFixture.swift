import FundApp
import FundCore
import FundTestSupport
import FundWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The demo books, built once for the web tests; each test works on its own copy (the file and
/// its signing keys), with accounts of every role whose passwords the tests know.
enum WebFixture {
    static let own = "ZY2025-001"       // 雁江区, host unit 91512002MA62Q8K514
    static let foreign = "ZY2025-002"   // 安岳县, another host unit and county
    static let password = "correct-horse-42"

    /// The test accounts by role: the one scoped to the own studio's host unit / county / engagement.
    static let names: [Role: String] = [
        .bureau: "市局审核员", .county: "雁江区人社局科员", .accountant: "众诚会计", .supervisor: "众诚财务负责人",
        .auditor: "审计师张三", .admin: "系统管理员甲",
    ]

    static let demo: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wl-web-demo-\(UUID().uuidString)", isDirectory: true)
        let outcome = try! Demo.run(in: folder)
        return URL(fileURLWithPath: outcome.databasePath)
    }()

    /// 2026-11-20 09:00 in China, the demo's day.
    static func clock() -> SteppingClock { SteppingClock(instant: "2026-11-20T01:00:00Z") }

    /// A copy of the demo ledger with the test accounts, acting as the operator.
    static func app(clock: SteppingClock = clock()) throws -> LedgerApp {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wl-web-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("ledger.sqlite")
        try FileManager.default.copyItem(at: demo, to: path)
        // The demo keeps its host units' private keys beside its database (DB.keys/), where the
        // server finds them without --key-dir.
        try FileManager.default.copyItem(at: URL(fileURLWithPath: demo.path + ".keys"), to: URL(fileURLWithPath: path.path + ".keys"))
        let app = try LedgerApp(path: path.path, clock: clock, user: "测试操作员")
        let forms: [NewAccountForm] = [
            NewAccountForm(name: names[.bureau]!, role: "bureau"),
            NewAccountForm(name: names[.county]!, role: "county", county: "雁江区"),
            NewAccountForm(name: names[.accountant]!, role: "accountant", hostUnit: "91512002MA62Q8K514"),
            NewAccountForm(name: names[.supervisor]!, role: "supervisor", hostUnit: "91512002MA62Q8K514"),
            NewAccountForm(name: names[.auditor]!, role: "auditor", studios: [own], expires: "2026-12-31"),
            NewAccountForm(name: names[.admin]!, role: "admin"),
        ]
        for form in forms { _ = try app.accounts.add(form, password: password) }
        return app
    }
}

extension WebFixture {
    /// The server's configuration for a fixture ledger: no access log, the copied keys.
    static func configuration(_ app: LedgerApp) -> WebConfiguration {
        WebConfiguration(accessLog: false)
    }
}

/// A signed-in browser, as far as the tests need one: the session cookie and the form token.
struct Visitor: Sendable {
    let cookie: String
    let csrf: String

    static let anonymous = Visitor(cookie: "", csrf: "")

    var headers: HTTPFields {
        var fields = HTTPFields()
        if !cookie.isEmpty { fields[.cookie] = cookie }
        return fields
    }
}

extension TestClientProtocol {
    /// Signs in through the login form (its token and cookie), then reads the session's form token.
    func signIn(_ name: String, password: String = WebFixture.password) async throws -> Visitor {
        let form = try await execute(uri: "/login", method: .get)
        let loginCookie = try #require(setCookie(form, "wl_login"))
        let token = try #require(hidden(String(buffer: form.body), "_csrf"))
        let response = try await post("/login", ["name": name, "password": password, "_csrf": token, "next": "/"], cookie: "wl_login=\(loginCookie)")
        guard response.status == .seeOther, let session = setCookie(response, "wl_session") else {
            throw SignInFailed(status: response.status.code, body: String(buffer: response.body))
        }
        let page = try await execute(uri: "/account/password", method: .get, headers: [.cookie: "wl_session=\(session)"])
        return Visitor(cookie: "wl_session=\(session)", csrf: try #require(hidden(String(buffer: page.body), "_csrf")))
    }

    func get(_ uri: String, as visitor: Visitor = .anonymous) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: visitor.headers)
    }

    func post(_ uri: String, _ fields: [String: String], as visitor: Visitor) async throws -> TestResponse {
        var fields = fields
        if fields["_csrf"] == nil, !visitor.csrf.isEmpty { fields["_csrf"] = visitor.csrf }
        return try await post(uri, fields, cookie: visitor.cookie)
    }

    func post(_ uri: String, _ fields: [String: String], cookie: String) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if !cookie.isEmpty { headers[.cookie] = cookie }
        let body = fields.sorted { $0.key < $1.key }.map { "\(formEncode($0.key))=\(formEncode($0.value))" }.joined(separator: "&")
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

struct SignInFailed: Error { let status: Int; let body: String }

func formEncode(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
}

/// The value of a cookie the response sets.
func setCookie(_ response: TestResponse, _ name: String) -> String? {
    for value in response.headers[values: .setCookie] where value.hasPrefix(name + "=") {
        return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
    }
    return nil
}

/// The value of a hidden input in a page.
func hidden(_ html: String, _ name: String) -> String? {
    guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}
