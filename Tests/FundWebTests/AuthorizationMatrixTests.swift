import FundApp
import FundCore
import FundTestSupport
import FundWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every route × every role (and no one) × own and foreign studio, from the route table itself.
/// The expectations are written out here by hand, apart from the code they test: which action
/// each route performs, and which actions each role has. A route that is not listed here fails.
@Suite("Authorisation matrix", .serialized)
struct AuthorizationMatrixTests {
    /// The action of every route, as the issue's table assigns them (nil: open to everyone).
    static let expectedAction: [String: Action?] = [
        "GET /healthz": nil, "GET /static/app.css": nil, "GET /static/app.js": nil, "GET /login": nil, "POST /login": nil,
        "POST /logout": .ownAccount, "GET /": .ownAccount, "GET /account/password": .ownAccount, "POST /account/password": .ownAccount,
        "GET /overview": .viewScope, "GET /overview.csv": .viewScope, "GET /overview.xlsx": .viewScope, "GET /findings": .viewScope,
        "GET /deadlines": .viewScope, "GET /log": .readLog,
        "GET /studios/:code": .readStudio, "GET /studios/:code/balance": .readStudio, "GET /studios/:code/journal": .readStudio,
        "GET /studios/:code/vouchers/:ref": .readStudio, "GET /studios/:code/ledger": .readStudio,
        "GET /studios/:code/statements": .readStudio, "GET /studios/:code/findings": .readStudio,
        "GET /studios/:code/lifecycle": .readStudio, "GET /studios/:code/downloads": .readStudio,
        "GET /studios/:code/reports/:file": .download, "GET /studios/:code/audit-package.zip": .download,
        "GET /studios/:code/evaluation-package.zip": .download,
        "GET /studios/:code/evidence/:sha": .download,
        "POST /studios/:code/findings/explain": .explainFinding, "POST /studios/:code/findings/decide": .decideFinding,
        "POST /studios/:code/periods/close": .closePeriod, "POST /studios/:code/periods/reopen": .closePeriod,
        "POST /studios/:code/lifecycle/municipal": .municipalStep, "POST /studios/:code/lifecycle/acceptance": .acceptanceStep,
        "POST /studios/:code/lifecycle/notice": .municipalStep,
        "POST /studios/:code/lifecycle/change-effect": .municipalStep,
        "POST /studios/:code/supervision": .acceptanceStep, "POST /studios/:code/budget": .editStudio, "POST /studios/:code/activities": .editStudio, "POST /studios/:code/targets": .editStudio,
        "GET /vouchers": .voucherDesk, "GET /studios/:code/drafts": .enterVoucher, "GET /studios/:code/drafts/new": .enterVoucher,
        "POST /studios/:code/drafts": .enterVoucher, "POST /studios/:code/drafts/post": .reviewVoucher,
        "GET /studios/:code/drafts/:id": .enterVoucher, "POST /studios/:code/drafts/:id": .enterVoucher,
        "POST /studios/:code/drafts/:id/delete": .enterVoucher, "POST /studios/:code/drafts/:id/submit": .enterVoucher,
        "POST /studios/:code/drafts/:id/files": .enterVoucher, "POST /studios/:code/drafts/:id/files/remove": .enterVoucher,
        "GET /studios/:code/drafts/:id/files/:sha": .enterVoucher, "POST /studios/:code/drafts/:id/review": .reviewVoucher,
        "POST /studios/:code/drafts/:id/return": .reviewVoucher, "GET /studios/:code/vouchers/:ref/reverse": .enterVoucher,
        "POST /studios/:code/vouchers/:ref/reverse": .enterVoucher, "POST /studios/:code/vouchers/:ref/evidence": .editStudio,
        "GET /studios/:code/import": .enterVoucher, "POST /studios/:code/import": .enterVoucher,
        "POST /studios/:code/import/drafts": .enterVoucher, "POST /studios/:code/import/post": .reviewVoucher,
        "GET /admin/users": .manageAccounts, "POST /admin/users": .manageAccounts, "POST /admin/users/disable": .manageAccounts,
        "POST /admin/users/reset-password": .manageAccounts, "GET /admin/log": .manageAccounts,
    ]

    /// What each role may do (the issue's role table), written out independently of `Access`.
    static let may: [Role: Set<Action>] = [
        .bureau: [.ownAccount, .viewScope, .readStudio, .download, .decideFinding, .municipalStep, .readLog],
        .county: [.ownAccount, .viewScope, .readStudio, .download, .acceptanceStep],
        .accountant: [.ownAccount, .viewScope, .readStudio, .download, .explainFinding, .editStudio, .voucherDesk, .enterVoucher],
        .supervisor: [
            .ownAccount, .viewScope, .readStudio, .download, .explainFinding, .editStudio, .closePeriod, .voucherDesk, .enterVoucher, .reviewVoucher,
        ],
        .auditor: [.ownAccount, .viewScope, .readStudio, .download],
        .admin: [.ownAccount, .manageAccounts],
    ]

    @Test func everyRouteIsInTheTable() {
        let routes = WebDesk.routes.map { "\($0.method.rawValue) \($0.path)" }
        #expect(Set(routes).count == routes.count, "a route is registered twice")
        for route in WebDesk.routes {
            let key = "\(route.method.rawValue) \(route.path)"
            #expect(Self.expectedAction.keys.contains(key), "route \(key) is not in the authorisation table")
            if let expected = Self.expectedAction[key] { #expect(route.action == expected, Comment(rawValue: "\(key) performs \(String(describing: route.action))")) }
        }
        #expect(Set(Self.expectedAction.keys) == Set(routes), "the table lists routes the desk does not have")
    }

    /// What a cell must answer. Allowed POSTs are sent with an empty form, which every handler
    /// refuses (400) without writing; logout is the one POST that needs nothing.
    static func expected(_ route: WebRoute, role: Role?, foreign: Bool) -> Int {
        guard let action = route.action else {
            return route.method == .get ? 200 : 403  // POST /login without the login form's cookie
        }
        guard let role else { return route.method == .get ? 303 : 403 }
        guard may[role]!.contains(action) else { return 403 }
        if action.isStudioAction && foreign && role != .bureau { return 404 }
        if route.path == "/" || route.path == "/logout" { return 303 }
        return route.method == .get ? 200 : 400
    }

    @Test func everyCellAnswersAsTheTableSays() async throws {
        let app = try WebFixture.app()
        // Addresses for the path parameters: a voucher and an evidence file of each studio.
        // and a draft holding the same file (made by an accountant of neither test account).
        var refs: [String: String] = [:]
        var shas: [String: String] = [:]
        var drafts: [String: String] = [:]
        let maker = try LedgerApp(path: app.databasePath, clock: WebFixture.clock(), user: "另一会计")
        for code in [WebFixture.own, WebFixture.foreign] {
            let voucher = try #require(try app.books.journal(studio: code).first)
            refs[code] = "\(voucher.ref.period.iso)-\(voucher.ref.voucherClass.rawValue)-\(voucher.ref.number)"
            let content = Data("%PDF-1.4 发票 \(code)".utf8)
            let file = try app.packages.addEvidence(content, fileName: "发票-\(code).pdf", to: voucher.ref)
            shas[code] = file.sha256
            var form = VoucherForm(voucher.draft)
            form.date = "2026-11-20"
            let draft = try maker.vouchers.save(form, studio: code)
            try maker.vouchers.attach(content, fileName: "发票-\(code).pdf", to: draft.id, studio: code)
            drafts[code] = String(draft.id)
        }
        let voucherRefs = refs, evidence = shas, draftIDs = drafts
        let address: @Sendable (WebRoute, String) -> String = { route, studio in
            let refs = voucherRefs, shas = evidence, ids = draftIDs
            return route.path.replacingOccurrences(of: ":code", with: studio).replacingOccurrences(of: ":ref", with: refs[studio]!)
                .replacingOccurrences(of: ":id", with: ids[studio]!)
                .replacingOccurrences(of: ":file", with: "trial-balance.csv").replacingOccurrences(of: ":sha", with: shas[studio]!)
                .addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
        }
        let application = WebDesk.application(app: app, configuration: WebFixture.configuration(app))
        let tally = Tally()
        try await application.test(.router) { client in
            for role in [Role?.none] + Role.allCases.map(Optional.some) {
                var visitor = Visitor.anonymous
                if let role { visitor = try await client.signIn(WebFixture.names[role]!) }
                // Logout last: it ends the session the other cells use.
                let routes = WebDesk.routes.sorted { ($0.path == "/logout" ? 1 : 0) < ($1.path == "/logout" ? 1 : 0) }
                for route in routes {
                    let studios = route.path.contains(":code") ? [WebFixture.own, WebFixture.foreign] : [WebFixture.own]
                    for studio in studios {
                        let uri = address(route, studio)
                        let response = route.method == .get
                            ? try await client.get(uri, as: visitor)
                            : try await client.post(uri, [:], as: visitor)
                        let want = Self.expected(route, role: role, foreign: studio == WebFixture.foreign)
                        tally.cells += 1
                        if response.status.code != want {
                            tally.wrong.append("\(role?.rawValue ?? "anonymous") \(route.method.rawValue) \(uri): \(response.status.code), expected \(want)")
                        }
                        if route.path == "/logout", let role { visitor = try await client.signIn(WebFixture.names[role]!) }
                    }
                }
            }
        }
        #expect(tally.wrong.isEmpty, Comment(rawValue: "\(tally.wrong.count) of \(tally.cells) cells wrong:\n" + tally.wrong.joined(separator: "\n")))
        #expect(tally.cells == 7 * (WebDesk.routes.count + WebDesk.routes.filter { $0.path.contains(":code") }.count))
    }
}

/// The matrix's counts, written by one test task at a time.
final class Tally: @unchecked Sendable {
    var cells = 0
    var wrong: [String] = []
}
