import FundApp
import FundCore
import FundRender
import FundReports
import Foundation

/// The pages across an account's scope: the overview of studios, the findings inbox, the
/// deadlines, and the operation log.
enum ScopePages {
    static var routes: [WebRoute] {
        [
            WebRoute(.get, "/overview", .viewScope, overview),
            WebRoute(.get, "/overview.csv", .viewScope) { call in try await overviewFile(call, .csv) },
            WebRoute(.get, "/overview.xlsx", .viewScope) { call in try await overviewFile(call, .xlsx) },
            WebRoute(.get, "/findings", .viewScope, inbox),
            WebRoute(.get, "/deadlines", .viewScope, deadlines),
            WebRoute(.get, "/log", .readLog, log),
        ]
    }

    /// The studios of the account's scope (nil: every studio).
    static func scope(_ call: WebCall) throws -> Set<String>? {
        guard let account = call.account else { return [] }
        if account.scope == .all { return nil }
        return Set(try call.app.accounts.places().filter { Access.covers(account.scope, $0) }.map(\.code))
    }

    static func asOf(_ call: WebCall) throws(Rejection) -> CalendarDate? {
        guard let text = call.value("as-of") else { return nil }
        do { return try CalendarDate.parse(text) } catch { throw Rejection(error.code, field: "as-of", error.message) }
    }

    /// The overview's rows after the page's filters, sorted as asked.
    static func filteredRows(_ call: WebCall) async throws -> (rows: [StudioOverview], all: [StudioOverview], day: CalendarDate) {
        let day = call.app.cutoff(try asOf(call))
        let all = try await offload { try call.app.review.overview(studios: try scope(call), asOf: day) }
        var rows = all
        if let county = call.value("county") { rows = rows.filter { $0.county == county } }
        if let state = call.value("state") { rows = rows.filter { $0.state.rawValue == state } }
        if let kind = call.value("kind") { rows = rows.filter { $0.kind.rawValue == kind } }
        if call.value("violations") == "1" { rows = rows.filter(\.hasViolations) }
        if call.value("ending") == "90" {
            rows = rows.filter { $0.windowEnds >= day && $0.windowEnds.dayNumber - day.dayNumber <= 90 }
        }
        let descending = call.value("dir") == "desc"
        let key = call.value("sort") ?? "code"
        rows.sort { a, b in
            let ordered: Bool
            switch key {
            case "balance": ordered = (a.subsidyBalanceFen, a.code) < (b.subsidyBalanceFen, b.code)
            case "spent": ordered = (a.subsidySpentFen, a.code) < (b.subsidySpentFen, b.code)
            case "rate": ordered = (a.executionRate?.hundredths ?? -1, a.code) < (b.executionRate?.hundredths ?? -1, b.code)
            case "findings": ordered = (a.openViolations, a.openWarnings, a.code) < (b.openViolations, b.openWarnings, b.code)
            case "window": ordered = (a.windowEnds, a.code) < (b.windowEnds, b.code)
            case "county": ordered = (a.county, a.code) < (b.county, b.code)
            default: ordered = a.code < b.code
            }
            return descending ? !ordered : ordered
        }
        return (rows, all, day)
    }

    static func scopeText(_ call: WebCall) -> String { call.account?.scope.chineseText ?? "" }

    static func overview(_ call: WebCall) async throws -> WebReply {
        let (rows, all, day) = try await filteredRows(call)
        let totals = try ReviewReports.totals(rows)
        let filterKeys = ["county", "state", "kind", "violations", "ending", "sort", "dir", "as-of"]
        let current = filterKeys.map { ($0, call.value($0)) }
        func sortLink(_ key: String, _ title: String) -> HTML {
            let dir = call.value("sort") == key && call.value("dir") != "desc" ? "desc" : "asc"
            let query = current.filter { $0.0 != "sort" && $0.0 != "dir" } + [("sort", key), ("dir", dir)]
            return "<a href=\"\(Address.with("/overview", query: query))\">\(title)</a>"
        }
        func option(_ value: String, _ title: String, selected: String?) -> HTML {
            "<option value=\"\(value)\"\(selected == value ? " selected" : "")>\(title)</option>"
        }
        let counties = Array(Set(all.map(\.county))).sorted()
        let filters: HTML = """
            <form class="filters" method="get" action="/overview">
            <label>县（区）<select name="county"><option value="">全部</option>\(counties.map { option($0, $0, selected: call.value("county")) })</select></label>
            <label>状态<select name="state"><option value="">全部</option>\(LifecycleState.allCases.map { option($0.rawValue, $0.chineseName, selected: call.value("state")) })</select></label>
            <label>依托单位类型<select name="kind"><option value="">全部</option>\(HostUnitKind.allCases.map { option($0.rawValue, $0.chineseName, selected: call.value("kind")) })</select></label>
            <label>违规<select name="violations"><option value="">不限</option>\(option("1", "有未解决违规", selected: call.value("violations")))</select></label>
            <label>建设期<select name="ending"><option value="">不限</option>\(option("90", "90 天内届满", selected: call.value("ending")))</select></label>
            <label>截至<input type="date" name="as-of" value="\(call.value("as-of") ?? "")"></label>
            <button type="submit">筛选</button> <a class="button secondary" href="/overview">清除</a>
            </form>
            """
        let body = rows.map { row -> HTML in
            let deadline: HTML = row.nextDeadline.map { item -> HTML in
                "\(item.date) \(item.kind.chineseName)\(item.overdue ? "<strong class=\"sev sev-violation\">逾期</strong>" as HTML : .empty)"
            } ?? "—"
            return """
                <tr><td class="code"><a href="\(Address.studio(row.code))">\(row.code)</a></td><td>\(row.name)</td><td>\(row.hostUnitName)</td>
                <td class="nowrap">\(row.county)</td><td class="nowrap">\(row.kind.chineseName)</td><td>\(Pages.stateBadge(row.state))</td>
                <td class="nowrap">\(row.recognized)</td><td class="nowrap">\(row.windowEnds)</td>
                <td class="num">\(row.approvedSubsidyFen)</td><td class="num">\(row.subsidyReceivedFen)</td><td class="num">\(row.subsidySpentFen)</td>
                <td class="num">\(row.subsidyBalanceFen)</td><td class="num">\(row.refundOwedFen)</td><td class="num">\(row.executionRate.map { $0.text } ?? "—")</td>
                <td class="num">\(row.openViolations)</td><td class="num">\(row.openWarnings)</td><td class="num">\(row.openNotices)</td>
                <td class="nowrap">\(deadline)</td><td>\(row.acceptanceGrade.map { "\($0.rawValue)（\(row.acceptanceScore?.text ?? "")）" } ?? "—")</td></tr>
                """
        }
        let total: HTML = """
            <tr class="total"><td>合计</td><td colspan="7">\(rows.count) 个工作室</td><td class="num">\(totals.approved)</td>
            <td class="num">\(totals.received)</td><td class="num">\(totals.spent)</td><td class="num">\(totals.balance)</td><td class="num">\(totals.owed)</td>
            <td></td><td class="num">\(totals.violations)</td><td class="num">\(totals.warnings)</td>
            <td class="num">\(totals.notices)</td><td colspan="2"></td></tr>
            """
        let head: HTML = """
            <tr><th>\(sortLink("code", "编号"))</th><th>工作室</th><th>依托单位</th><th>\(sortLink("county", "县（区）"))</th><th>类型</th><th>状态</th>
            <th>认定日期</th><th>\(sortLink("window", "建设期止"))</th><th>核定补助</th><th>补助到位</th><th>\(sortLink("spent", "补助已支出"))</th>
            <th>\(sortLink("balance", "补助结余"))</th><th>应退补助</th><th>\(sortLink("rate", "预算执行率"))</th><th>\(sortLink("findings", "违规"))</th><th>预警</th><th>提示</th>
            <th>下一期限</th><th>验收等级</th></tr>
            """
        let downloads: HTML = """
            <p class="downloads">下载本表：<a href="\(Address.with("/overview.csv", query: current))">CSV</a>
            <a href="\(Address.with("/overview.xlsx", query: current))">XLSX</a>
            <span class="muted">范围：\(scopeText(call))；截至 \(day)；金额单位：元</span></p>
            """
        let table: HTML = rows.isEmpty
            ? "<p class=\"notice\">没有符合条件的工作室。</p>"
            : "<table class=\"list\"><thead>\(head)</thead><tbody>\(body)\(total)</tbody></table>"
        let codes = Set(rows.map(\.code))
        let chart = try await offload { try call.app.review.spendingChart(studios: codes, asOf: day) }
        return .page(title: "工作室总览", body: filters + downloads + table + "<section class=\"chart\">" + Pages.document(chart, titled: false) + "</section>")
    }

    static func overviewFile(_ call: WebCall, _ format: OutputFormat) async throws -> WebReply {
        let (rows, _, day) = try await filteredRows(call)
        let data = try await offload {
            try LedgerApp.render(try call.app.review.overviewReport(rows, asOf: day, scope: scopeText(call)), format: format)
        }
        return .file(data, contentType: format.contentType, fileName: "工作室总览-\(day.iso).\(format.rawValue)")
    }

    static func inbox(_ call: WebCall) async throws -> WebReply {
        let day = call.app.cutoff(try asOf(call))
        let findings = try await offload { try call.app.review.inbox(studios: try scope(call), asOf: day) }
        let rows = findings.map { FindingForms.row($0, call) }
        let body: HTML = findings.isEmpty
            ? "<p class=\"notice\">授权范围内没有待处理的发现。</p>"
            : Pages.table(["严重程度", "工作室", "发现", "类别与依据", "金额", "说明与审核", "操作"], rows)
        return .page(title: "发现（待处理）", body: "<p class=\"muted\">截至 \(day)，未被接受的发现，违规在前，已说明待审核的在前。</p>" + body)
    }

    static func deadlines(_ call: WebCall) async throws -> WebReply {
        let day = call.app.cutoff(try asOf(call))
        let items = try await offload { try call.app.review.deadlines(studios: try scope(call), asOf: day) }
        let rows = items.map { item -> HTML in
            """
            <tr><td class="nowrap">\(item.date)</td><td class="code"><a href="\(Address.studio(item.studio, "lifecycle"))">\(item.studio)</a></td>
            <td>\(item.kind.chineseName)</td><td>\(item.detail)</td>
            <td class="num">\(item.overdue ? "<span class=\"sev sev-violation\">逾期 \(-item.daysLeft) 天</span>" as HTML : "剩 \(item.daysLeft) 天")</td></tr>
            """
        }
        let body: HTML = items.isEmpty ? "<p class=\"notice\">没有到期或逾期事项。</p>" : Pages.table(["日期", "工作室", "事项", "内容", "状态"], rows)
        return .page(title: "到期和逾期事项", body: "<p class=\"muted\">截至 \(day)，逾期在前。</p>" + body)
    }

    static func log(_ call: WebCall) async throws -> WebReply {
        let report = try await offload {
            try call.app.admin.logReport(studio: call.value("studio"), user: call.value("user"), action: call.value("action"))
        }
        let filters: HTML = """
            <form class="filters" method="get" action="/log">
            <label>工作室<input name="studio" value="\(call.value("studio") ?? "")"></label>
            <label>操作人<input name="user" value="\(call.value("user") ?? "")"></label>
            <label>操作（前缀）<input name="action" value="\(call.value("action") ?? "")"></label>
            <button type="submit">筛选</button></form>
            """
        return .page(title: "操作日志", body: filters + Pages.document(report))
    }
}

extension OutputFormat {
    var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pdf: "application/pdf"
        case .html: "text/html; charset=utf-8"
        case .json: "application/json"
        case .table: "text/plain; charset=utf-8"
        }
    }
}
