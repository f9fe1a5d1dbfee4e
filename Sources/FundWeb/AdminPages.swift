import FundApp
import FundCore
import Foundation

/// The system administrator's pages: accounts and grants, and their part of the log. No book
/// data is reachable from here.
enum AdminPages {
    static var routes: [WebRoute] {
        [
            WebRoute(.get, "/admin/users", .manageAccounts) { call in try await users(call, message: nil) },
            WebRoute(.post, "/admin/users", .manageAccounts, add),
            WebRoute(.post, "/admin/users/disable", .manageAccounts) { call in
                let name = call.form["name"] ?? ""
                let account = try await offload { try call.app.accounts.disable(name: name) }
                return try await users(call, message: "已停用 \(account.name)，其会话已全部结束。")
            },
            WebRoute(.post, "/admin/users/reset-password", .manageAccounts) { call in
                let name = call.form["name"] ?? ""
                let password = try await offload { try call.app.accounts.resetPassword(name: name) }
                return try await users(call, message: "\(name) 的一次性密码（只显示这一次，首次登录须修改）：", secret: password)
            },
            WebRoute(.get, "/admin/log", .manageAccounts) { call in
                let report = try await offload { try call.app.admin.accountLogReport(user: call.value("user"), action: call.value("action")) }
                let filters: HTML = """
                    <form class="filters" method="get" action="/admin/log">
                    <label>用户<input name="user" value="\(call.value("user") ?? "")"></label>
                    <label>操作（前缀，如 login、user.）<input name="action" value="\(call.value("action") ?? "")"></label>
                    <button type="submit">筛选</button></form>
                    """
                return .page(title: "账户与登录日志", body: filters + Pages.document(report))
            },
        ]
    }

    static func users(_ call: WebCall, message: String?, secret: String? = nil) async throws -> WebReply {
        let accounts = try await offload { try call.app.accounts.list() }
        let today = call.app.clock.today()
        let rows = accounts.map { account -> HTML in
            let state = account.disabled ? "停用" : account.isActive(on: today) ? "启用" : "已到期"
            let actions: HTML = account.disabled ? .empty : """
                <form method="post" action="/admin/users/disable" class="inline" data-confirm="停用 \(account.name)？">\(Pages.csrf(call))
                <input type="hidden" name="name" value="\(account.name)"><button type="submit" class="secondary">停用</button></form>
                <form method="post" action="/admin/users/reset-password" class="inline">\(Pages.csrf(call))
                <input type="hidden" name="name" value="\(account.name)"><button type="submit" class="secondary">重置密码</button></form>
                """
            return """
                <tr><td>\(account.name)</td><td>\(account.role.chineseName)</td><td>\(account.scope.chineseText)</td>
                <td>\(account.expires.map { "\($0)" as HTML } ?? "长期")</td><td>\(state)</td><td>\(account.createdAt)</td><td>\(account.createdBy)</td><td>\(actions)</td></tr>
                """
        }
        let roles = Role.allCases.map { role -> HTML in "<option value=\"\(role.rawValue)\">\(role.chineseName)</option>" }
        let form: HTML = """
            <section class="actions"><h2>新增账户</h2>
            <form method="post" action="/admin/users">\(Pages.csrf(call))
            <label>用户名<input name="name" required></label><label>角色<select name="role">\(roles)</select></label>
            <label>依托单位信用代码（会计、财务负责人）<input name="host-unit" size="20"></label>
            <label>县（区）（县区人社局）<input name="county" size="8"></label>
            <label>工作室编号（审计机构，逗号分隔）<input name="studios" size="20"></label>
            <label>有效期至<input type="date" name="expires"></label>
            <button type="submit">创建并生成一次性密码</button></form></section>
            """
        let notice: HTML = message.map { text -> HTML in
            "<p class=\"notice\">\(text)\(secret.map { " <span class=\"secret\">\($0)</span>" as HTML } ?? .empty)</p>"
        } ?? .empty
        return .page(title: "用户与授权", body: notice + Pages.table(["用户名", "角色", "授权范围", "有效期至", "状态", "创建时间", "创建人", "操作"], rows) + form)
    }

    static func add(_ call: WebCall) async throws -> WebReply {
        func optional(_ name: String) -> String? {
            guard let value = call.form[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let studios = (call.form["studios"] ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map(String.init)
        let form = NewAccountForm(
            name: call.form["name"] ?? "", role: call.form["role"] ?? "", hostUnit: optional("host-unit"), county: optional("county"),
            studios: studios, expires: optional("expires"))
        let (account, password) = try await offload { try call.app.accounts.add(form, password: nil) }
        return try await users(call, message: "已创建 \(account.name)（\(account.role.chineseName)，\(account.scope.chineseText)）。一次性密码（只显示这一次）：", secret: password)
    }
}
