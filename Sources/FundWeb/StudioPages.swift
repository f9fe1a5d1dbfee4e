import FundApp
import FundCore
import FundRender
import FundReports
import Foundation

/// A studio's pages under its code: summary, 科目余额表, 序时账, vouchers, 明细账, statements,
/// findings, lifecycle, downloads; and the studio's forms (explain and decide findings, close
/// months, lifecycle steps).
enum StudioPages {
    static var routes: [WebRoute] {
        [
            WebRoute(.get, "/studios/:code", .readStudio, summary),
            WebRoute(.get, "/studios/:code/balance", .readStudio, balance),
            WebRoute(.get, "/studios/:code/journal", .readStudio, journal),
            WebRoute(.get, "/studios/:code/vouchers/:ref", .readStudio, voucher),
            WebRoute(.get, "/studios/:code/ledger", .readStudio, ledger),
            WebRoute(.get, "/studios/:code/statements", .readStudio, statements),
            WebRoute(.get, "/studios/:code/findings", .readStudio, findings),
            WebRoute(.get, "/studios/:code/lifecycle", .readStudio, lifecycle),
            WebRoute(.get, "/studios/:code/downloads", .readStudio, downloads),
            WebRoute(.get, "/studios/:code/reports/:file", .download, report),
            WebRoute(.get, "/studios/:code/audit-package.zip", .download, auditPackage),
            WebRoute(.get, "/studios/:code/evaluation-package.zip", .download, evaluationPackage),
            WebRoute(.get, "/studios/:code/evidence/:sha", .download, evidence),
            WebRoute(.post, "/studios/:code/findings/explain", .explainFinding) { call in try await FindingForms.note(call, .explain) },
            WebRoute(.post, "/studios/:code/findings/decide", .decideFinding) { call in
                try await FindingForms.note(call, call.form["decision"] == "reject" ? .reject : .accept)
            },
            WebRoute(.post, "/studios/:code/periods/close", .closePeriod, closePeriod),
            WebRoute(.post, "/studios/:code/periods/reopen", .closePeriod, reopenPeriod),
            WebRoute(.post, "/studios/:code/lifecycle/municipal", .municipalStep) { call in try await step(call, .municipalStep) },
            WebRoute(.post, "/studios/:code/lifecycle/acceptance", .acceptanceStep) { call in try await step(call, .acceptanceStep) },
            WebRoute(.post, "/studios/:code/lifecycle/notice", .municipalStep, notice),
            WebRoute(.post, "/studios/:code/lifecycle/change-effect", .municipalStep, changeEffect),
            WebRoute(.post, "/studios/:code/supervision", .acceptanceStep) { call in
                _ = try await offload {
                    try call.app.lifecycle.addSupervisionNote(studio: call.studio, date: call.form["date"] ?? "", text: call.form["text"] ?? "")
                }
                return .redirect(Address.studio(call.studio, "lifecycle"))
            },
            WebRoute(.post, "/studios/:code/budget", .editStudio, setBudget),
            WebRoute(.post, "/studios/:code/activities", .editStudio, addActivity),
            WebRoute(.post, "/studios/:code/targets", .editStudio, setTarget),
        ]
    }

    static let tabs: [(path: String, title: String)] = [
        ("", "概况"), ("balance", "科目余额表"), ("journal", "序时账"), ("ledger", "明细账"), ("statements", "收支与预算"),
        ("findings", "合规发现"), ("lifecycle", "建设与验收"), ("downloads", "下载"), ("drafts", "凭证录入"),
    ]

    /// The studio's heading and tabs around a tab's content.
    static func page(_ call: WebCall, tab: String, title: String, _ content: HTML) async throws -> WebReply {
        let studio = try await offload { try call.app.register.studio(code: call.studio) }
        let enters = call.account.map { Access.actions(of: $0.role).contains(.enterVoucher) } ?? false
        let links = tabs.filter { $0.path != "drafts" || enters }.map { item -> HTML in
            let href = item.path.isEmpty ? Address.studio(studio.code) : Address.studio(studio.code, item.path)
            return "<a href=\"\(href)\"\(item.path == tab ? " class=\"current\"" : "")>\(item.title)</a>"
        }
        // 第十二条: a 涉密 host unit's studio says so on every page of it.
        let marking = try await offload { try call.app.register.confidentiality(hostUnit: studio.hostUnit) }
        let secret: HTML = marking.map { $0.confidential } == true
            ? " · <span class=\"sev sev-violation\">\(HostUnitMarking.label)</span> <span class=\"muted\">（第十二条；\(marking!.basis)）</span>" : .empty
        let head: HTML = "<p class=\"muted\">\(studio.code) · 领办人 \(studio.leader) · \(studio.field)\(secret)</p><nav class=\"tabs\">\(links)</nav>"
        return .page(title: "\(studio.name) · \(title)", body: head + content)
    }

    static func asOfField(_ call: WebCall) -> HTML {
        "<label>截至<input type=\"date\" name=\"as-of\" value=\"\(call.value("as-of") ?? "")\"></label>"
    }

    static func summary(_ call: WebCall) async throws -> WebReply {
        let day = call.app.cutoff(try ScopePages.asOf(call))
        guard let row = try await offload({ try call.app.review.overview(studios: [call.studio], asOf: day) }).first else {
            throw Rejection(.studioUnknown, field: "studio", "工作室 \(call.studio) 不存在")
        }
        let status = try await offload { try call.app.lifecycle.statusReport(studio: call.studio, asOf: day) }
        // 第十一条: a studio whose leader or host unit changed shows who and since when.
        let succession = try await offload {
            try call.app.register.studioHistory(code: call.studio).effects.isEmpty ? nil : try call.app.register.studioHistoryReport(code: call.studio)
        }
        func card(_ label: String, _ value: HTML) -> HTML { "<div class=\"card\"><div class=\"label\">\(label)</div><div class=\"value\">\(value)</div></div>" }
        let cards: HTML = """
            <div class="cards">
            \(card("状态", Pages.stateBadge(row.state)))\(card("依托单位", "\(row.hostUnitName)（\(row.county)）"))
            \(card("认定日期", "\(row.recognized)"))\(card("建设期止", "\(row.windowEnds)"))
            \(card("核定补助（元）", "\(row.approvedSubsidyFen)"))\(card("补助到位（元）", "\(row.subsidyReceivedFen)"))
            \(card("补助已支出（元）", "\(row.subsidySpentFen)"))\(card("补助结余（元）", "\(row.subsidyBalanceFen)"))
            \(card("预算执行率", "\(row.executionRate.map { $0.text } ?? "—")"))
            \(card("未解决发现", "违规 \(row.openViolations) · 预警 \(row.openWarnings) · 提示 \(row.openNotices)"))
            \(card("下一期限", row.nextDeadline.map { "\($0.date) \($0.kind.chineseName)" as HTML } ?? "—"))
            \(card("验收等级", "\(row.acceptanceGrade.map { "\($0.rawValue)（\(row.acceptanceScore?.text ?? "")）" } ?? "—")"))
            </div>
            """
        return try await page(call, tab: "", title: "概况", cards + Pages.document(status) + (succession.map { Pages.document($0) } ?? .empty) + periodForms(call))
    }

    /// Close or reopen a month: shown to those who may (the guard decides either way).
    static func periodForms(_ call: WebCall) async throws -> HTML {
        guard let account = call.account, Access.actions(of: account.role).contains(.closePeriod) else { return .empty }
        let status = try await offload { try call.app.books.periodStatusReport(studio: call.studio) }
        return """
            <section class="actions"><h2>结账</h2>\(Pages.document(status))
            <form method="post" action="\(Address.studio(call.studio, "periods", "close"))" data-confirm="结账后该月及以前各月不能再记账，确定？">\(Pages.csrf(call))
            <label>结账至月份 <input name="period" placeholder="2026-10" required pattern="[0-9]{4}-[0-9]{2}"></label><button type="submit">结账</button></form>
            <form method="post" action="\(Address.studio(call.studio, "periods", "reopen"))">\(Pages.csrf(call))
            <label>反结账月份 <input name="period" placeholder="2026-10" required></label><label>原因 <input name="reason" required></label>
            <button type="submit" class="secondary">反结账</button></form></section>
            """
    }

    static func balance(_ call: WebCall) async throws -> WebReply {
        let fund = try call.value("fund").map { text throws(Rejection) in try parse("fund") { () throws(Rejection) in try Fund.parse(text) } }
        let asOf = try ScopePages.asOf(call)
        let report = try await offload { try call.app.books.balanceReport(studio: call.studio, fund: fund, asOf: asOf) }
        let form: HTML = """
            <form class="filters" method="get">\(fundSelect(call))\(asOfField(call))<button type="submit">查看</button></form>
            """
        return try await page(call, tab: "balance", title: "科目余额表", form + Pages.document(report))
    }

    static func fundSelect(_ call: WebCall) -> HTML {
        let options = Fund.allCases.map { fund -> HTML in
            "<option value=\"\(fund.rawValue)\"\(call.value("fund") == fund.rawValue ? " selected" : "")>\(fund.chineseName)</option>"
        }
        return "<label>资金<select name=\"fund\"><option value=\"\">三类资金合并</option>\(options)</select></label>"
    }

    static func journal(_ call: WebCall) async throws -> WebReply {
        let filter = try JournalFilter.parse(
            from: call.value("from"), to: call.value("to"), account: call.value("account"), fund: call.value("fund"),
            text: call.value("q"), minimum: call.value("min"), maximum: call.value("max"))
        let asOf = try ScopePages.asOf(call)
        let number = min(max(1, Int(call.value("page") ?? "1") ?? 1), 1_000_000)
        let found = try await offload { try call.app.books.journalPage(studio: call.studio, filter: filter, asOf: asOf, page: number) }
        let form: HTML = """
            <form class="filters" method="get">
            <label>起始月份<input name="from" value="\(call.value("from") ?? "")" placeholder="2026-01" size="8"></label>
            <label>截止月份<input name="to" value="\(call.value("to") ?? "")" placeholder="2026-12" size="8"></label>
            <label>科目<input name="account" value="\(call.value("account") ?? "")" size="8"></label>\(fundSelect(call))
            <label>摘要/对方单位<input name="q" value="\(call.value("q") ?? "")"></label>
            <label>金额自<input name="min" value="\(call.value("min") ?? "")" size="9"></label>
            <label>至<input name="max" value="\(call.value("max") ?? "")" size="9"></label>\(asOfField(call))
            <button type="submit">查询</button></form>
            """
        var rows: [HTML] = []
        for voucher in found.vouchers {
            for (index, line) in voucher.draft.lines.enumerated() {
                let first = index == 0
                rows.append("""
                    <tr><td class="nowrap">\(first ? "\(voucher.draft.date)" as HTML : .empty)</td>
                    <td class="code">\(first ? "<a href=\"\(Address.studio(call.studio, "vouchers", voucherPath(voucher.ref)))\">\(voucher.ref.label)</a>" as HTML : .empty)</td>
                    <td>\(line.memo)</td><td class="code">\(line.account)</td><td class="nowrap">\(line.fund.chineseName)</td>
                    <td class="num">\(line.side == .debit ? "\(line.amount)" as HTML : .empty)</td><td class="num">\(line.side == .credit ? "\(line.amount)" as HTML : .empty)</td></tr>
                    """)
            }
        }
        let keys = ["from", "to", "account", "fund", "q", "min", "max", "as-of"]
        func pageLink(_ target: Int, _ title: String) -> HTML {
            let query = keys.map { ($0, call.value($0)) } + [("page", String(target))]
            return "<a href=\"\(Address.with(Address.studio(call.studio, "journal"), query: query))\">\(title)</a>"
        }
        let pager: HTML = """
            <div class="pager">共 \(found.total) 张凭证，第 \(found.page)/\(found.pageCount) 页
            \(found.page > 1 ? pageLink(found.page - 1, "上一页") : .empty) \(found.page < found.pageCount ? pageLink(found.page + 1, "下一页") : .empty)</div>
            """
        let table = Pages.table(["日期", "凭证号", "摘要", "科目", "资金", "借方", "贷方"], rows)
        return try await page(call, tab: "journal", title: "序时账", form + pager + table + pager)
    }

    /// "2026-04-记-3": the voucher's address under its studio.
    static func voucherPath(_ ref: VoucherRef) -> String {
        "\(ref.period.iso)-\(ref.voucherClass.rawValue)-\(ref.number)"
    }

    static func voucherRef(_ call: WebCall) throws -> VoucherRef {
        let text = call.parameter("ref")
        guard text.count > 8, let period = try? Period.parse(String(text.prefix(7))) else {
            throw Rejection(.voucherUnknown, field: "ref", "凭证号“\(text)”无效（形如 2026-04-记-3）")
        }
        return try BooksDesk.voucherRef(number: String(text.dropFirst(8)), studio: call.studio, period: period, voucherClass: nil)
    }

    static func voucher(_ call: WebCall) async throws -> WebReply {
        let ref = try voucherRef(call)
        let (posted, followUps) = try await offload { try call.app.books.voucher(ref) }
        let report = try await offload { try call.app.books.voucherReport(ref) }
        let files = try await offload { try call.app.packages.evidence(studio: call.studio).filter { $0.voucher == ref } }
        let links = followUps.map { other -> HTML in
            "<li><a href=\"\(Address.studio(call.studio, "vouchers", voucherPath(other.ref)))\">\(other.ref.label)</a> \(other.draft.lines.first?.memo ?? "")</li>"
        }
        let evidence = files.map { file -> HTML in
            let address = Address.studio(call.studio, "evidence", file.sha256)
            let ext = file.fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
            let view: HTML = viewable[ext] == nil ? .empty : "<a href=\"\(address)?view=1\" target=\"_blank\" rel=\"noopener\">查看</a> "
            return "<li>\(file.fileName) \(view)<a href=\"\(address)\">下载</a> <span class=\"muted\">\(file.size) 字节 · SHA-256 \(file.sha256)</span></li>"
        }
        let allowed = call.account.map { Access.actions(of: $0.role) } ?? []
        let reversed = followUps.contains { if case .reversal = $0.kind { true } else { false } }
        let isReversal: Bool = { if case .reversal = posted.kind { true } else { false } }()
        let reversible = allowed.contains(.enterVoucher) && !reversed && !isReversal
        let upload: HTML = allowed.contains(.editStudio) && files.count < posted.draft.attachments ? """
            <form method="post" action="\(Address.studio(call.studio, "vouchers", voucherPath(ref), "evidence"))" enctype="multipart/form-data" class="filters">\(Pages.csrf(call))
            <label>上传原始单据（PDF、JPEG、PNG 或 OFD）<input type="file" name="file" required accept=".pdf,.jpg,.jpeg,.png,.ofd"></label><button type="submit">上传</button></form>
            """ : .empty
        let meta: HTML = """
            <dl class="meta"><dt>制单 / 审核 / 记账</dt><dd>\(posted.draft.preparer) / \(posted.draft.reviewer.isEmpty ? "（无）" : posted.draft.reviewer) / \(posted.draft.poster.isEmpty ? "（无）" : posted.draft.poster)</dd><dt>链上位置</dt><dd>第 \(posted.sequence) 号</dd><dt>本凭证哈希</dt><dd>\(posted.hash)</dd>
            <dt>前一哈希</dt><dd>\(posted.previousHash)</dd><dt>记账</dt><dd>\(posted.postedBy) · \(Pages.chinaTime(posted.postedAt))（北京时间）</dd></dl>
            <h2>红字冲销与更正</h2>\(links.isEmpty ? "<p class=\"muted\">无</p>" as HTML : "<ul>\(links)</ul>")
            \(reversible ? "<p><a class=\"button secondary\" href=\"\(Address.studio(call.studio, "vouchers", voucherPath(ref), "reverse"))\">红字冲销 / 更正</a></p>" as HTML : .empty)
            <h2>原始单据</h2><p class="muted">已附 \(files.count) 个文件 / 附单据数 \(posted.draft.attachments) 张</p>
            \(evidence.isEmpty ? "<p class=\"muted\">无电子单据</p>" as HTML : "<ul>\(evidence)</ul>")\(upload)
            """
        return try await page(call, tab: "journal", title: "凭证 \(ref.label)", Pages.document(report) + meta)
    }

    static func ledger(_ call: WebCall) async throws -> WebReply {
        let fund = try call.value("fund").map { text throws(Rejection) in try parse("fund") { () throws(Rejection) in try Fund.parse(text) } }
        let asOf = try ScopePages.asOf(call)
        let account = call.value("account")
        let report = try await offload {
            try call.app.statements.report(ReportRequest(kind: .subsidiaryLedger, studio: call.studio, fund: fund, asOf: asOf, account: account))
        }
        let form: HTML = """
            <form class="filters" method="get"><label>科目（空为全部）<input name="account" value="\(account ?? "")" size="10"></label>\(fundSelect(call))\(asOfField(call))
            <button type="submit">查看</button></form>
            """
        return try await page(call, tab: "ledger", title: "明细账", form + Pages.document(report))
    }

    static func statements(_ call: WebCall) async throws -> WebReply {
        let asOf = try ScopePages.asOf(call)
        let (fundStatement, expenses, budget) = try await offload {
            (
                try call.app.statements.report(ReportRequest(kind: .fundStatement, studio: call.studio, asOf: asOf)),
                try call.app.statements.report(ReportRequest(kind: .expenseDetail, studio: call.studio, asOf: asOf)),
                try call.app.statements.budgetReport(studio: call.studio)
            )
        }
        let form: HTML = "<form class=\"filters\" method=\"get\">\(asOfField(call))<button type=\"submit\">查看</button></form>"
        return try await page(
            call, tab: "statements", title: "收支与预算",
            form + Pages.document(fundStatement) + Pages.document(expenses) + Pages.document(budget) + budgetForm(call))
    }

    static func findings(_ call: WebCall) async throws -> WebReply {
        let asOf = try ScopePages.asOf(call)
        let all = try await offload { try call.app.compliance.check(studio: call.studio, asOf: asOf).findings }
        let rows = all.sorted { ($0.severity, $0.key) < ($1.severity, $1.key) }.map { FindingForms.row($0, call) }
        let body: HTML = all.isEmpty ? "<p class=\"notice\">没有发现。</p>" : Pages.table(["严重程度", "工作室", "发现", "类别与依据", "金额", "说明与审核", "操作"], rows)
        return try await page(call, tab: "findings", title: "合规发现", body)
    }

    static func lifecycle(_ call: WebCall) async throws -> WebReply {
        let asOf = try ScopePages.asOf(call)
        let (history, succession, supervision, activities, targets) = try await offload {
            (
                try call.app.lifecycle.historyReport(studio: call.studio),
                try call.app.register.studioHistoryReport(code: call.studio),
                try call.app.lifecycle.supervisionReport(studio: call.studio),
                try call.app.lifecycle.activitiesReport(studio: call.studio),
                try call.app.lifecycle.targetsReport(studio: call.studio)
            )
        }
        let evaluation = try await offload {
            try call.app.statements.report(ReportRequest(kind: .evaluationReport, studio: call.studio, asOf: asOf))
        }
        let forms = stepForms(call) + recordForms(call)
        return try await page(
            call, tab: "lifecycle", title: "建设与验收",
            Pages.document(history) + Pages.document(succession) + forms + Pages.document(supervision) + supervisionForm(call) + Pages.document(activities) + Pages.document(targets) + Pages.document(evaluation))
    }

    static func stepForms(_ call: WebCall) -> HTML {
        guard let account = call.account else { return .empty }
        let allowed = Access.actions(of: account.role)
        var forms: [HTML] = []
        for action in [Action.municipalStep, .acceptanceStep] where allowed.contains(action) {
            let states = LifecycleState.allCases.filter { Access.stepAction(to: $0) == action }
            let options = states.map { state -> HTML in "<option value=\"\(state.rawValue)\">\(state.chineseName)</option>" }
            let path = action == .municipalStep ? "municipal" : "acceptance"
            forms.append("""
                <form method="post" action="\(Address.studio(call.studio, "lifecycle", path))" data-confirm="记录此步骤？">\(Pages.csrf(call))
                <label>步骤<select name="to">\(options)</select></label><label>日期<input type="date" name="date" required></label>
                \(action == .acceptanceStep ? "<label>得分<input name=\"score\" size=\"6\"></label><label>整改期限<input type=\"date\" name=\"deadline\"></label>" as HTML : "<label>撤销事由<select name=\"ground\"><option value=\"\"></option>\(RevocationGround.allCases.map { g -> HTML in "<option value=\"\(g.rawValue)\">\(g.chineseName)</option>" })</select></label>")
                <label>说明<input name="note" size="30"></label><button type="submit">记录</button></form>
                """)
        }
        if allowed.contains(.municipalStep) {
            forms.append("""
                <form method="post" action="\(Address.studio(call.studio, "lifecycle", "notice"))">\(Pages.csrf(call))
                <label>通报<select name="kind"><option value="commendation">通报表扬</option><option value="warning">警告</option></select></label>
                <label>日期<input type="date" name="date" required></label><label>限期整改至（仅警告，可不填）<input type="date" name="deadline"></label>
                <label>说明<input name="note" size="30" required></label><button type="submit">记录</button></form>
                """)
        }
        if allowed.contains(.municipalStep) {
            // 第十一条: an approved change of leader or host unit takes effect from its decision date.
            forms.append("""
                <form method="post" action="\(Address.studio(call.studio, "lifecycle", "change-effect"))" data-confirm="变更生效后不能撤回，确定？">\(Pages.csrf(call))
                <label>已答复的变动编号<input name="change" size="4" required></label>
                <label>新领办人<input name="new-leader" size="10"></label><label>或新依托单位（统一社会信用代码）<input name="new-host-unit" size="20"></label>
                <button type="submit">变更生效</button></form>
                """)
        }
        return forms.isEmpty ? .empty : "<section class=\"actions\"><h2>记录步骤</h2><p class=\"muted\">以您的账户（\(account.name)）记录。</p>\(forms)</section>"
    }

    /// 第十一条: records that a decided change of leader or host unit takes effect.
    static func changeEffect(_ call: WebCall) async throws -> WebReply {
        _ = try await offload {
            try call.app.lifecycle.changeEffect(
                studio: call.studio, change: call.form["change"] ?? "", newLeader: call.form["new-leader"], newHostUnit: call.form["new-host-unit"])
        }
        return .redirect(Address.studio(call.studio, "lifecycle"))
    }

    static func supervisionForm(_ call: WebCall) -> HTML {
        guard let account = call.account, Access.actions(of: account.role).contains(.acceptanceStep) else { return .empty }
        return """
            <section class="actions"><form method="post" action="\(Address.studio(call.studio, "supervision"))">\(Pages.csrf(call))
            <label>督导日期<input type="date" name="date" required></label><label>督导内容<input name="text" size="50" required></label>
            <button type="submit">记录督导</button></form></section>
            """
    }

    static func mayEdit(_ call: WebCall) -> Bool {
        call.account.map { Access.actions(of: $0.role).contains(.editStudio) } ?? false
    }

    static func budgetForm(_ call: WebCall) -> HTML {
        guard mayEdit(call) else { return .empty }
        let funds = Fund.allCases.map { fund -> HTML in "<option value=\"\(fund.rawValue)\">\(fund.chineseName)</option>" }
        let categories = SpendingCategory.allCases.map { category -> HTML in "<option value=\"\(category.rawValue)\">\(category.chineseName)</option>" }
        return """
            <section class="actions"><h2>调整资金使用计划</h2>
            <form method="post" action="\(Address.studio(call.studio, "budget"))">\(Pages.csrf(call))
            <label>资金<select name="fund">\(funds)</select></label><label>支出类别<select name="category">\(categories)</select></label>
            <label>预算金额（元）<input name="amount" size="12" required></label><label>调整原因<input name="reason" size="24" required></label>
            <button type="submit">保存</button></form></section>
            """
    }

    static func recordForms(_ call: WebCall) -> HTML {
        guard mayEdit(call) else { return .empty }
        let kinds = ActivityKind.allCases.map { kind -> HTML in "<option value=\"\(kind.rawValue)\">\(kind.chineseName)</option>" }
        return """
            <section class="actions"><h2>登记活动与绩效目标</h2>
            <form method="post" action="\(Address.studio(call.studio, "activities"))">\(Pages.csrf(call))
            <label>日期<input type="date" name="date" required></label><label>类型<select name="kind">\(kinds)</select></label>
            <label>名称<input name="title" size="20" required></label><label>数量<input name="quantity" value="1" size="4"></label>
            <label>金额（元）<input name="amount" size="10"></label><label>说明<input name="note" size="16"></label>
            <button type="submit">登记活动</button></form>
            <form method="post" action="\(Address.studio(call.studio, "targets"))">\(Pages.csrf(call))
            <label>指标编号<input name="indicator" size="10" required></label><label>目标值<input name="target" size="8" required></label>
            <label>实际值<input name="actual" size="8"></label><label>说明<input name="note" size="16"></label>
            <button type="submit">保存目标</button></form></section>
            """
    }

    static func setBudget(_ call: WebCall) async throws -> WebReply {
        let fund = try parse("fund") { () throws(Rejection) in try Fund.parse(call.form["fund"] ?? "") }
        _ = try await offload {
            try call.app.statements.setBudget(
                studio: call.studio, fund: fund, category: call.form["category"] ?? "", amount: call.form["amount"] ?? "",
                reason: call.form["reason"] ?? "")
        }
        return .redirect(Address.studio(call.studio, "statements"))
    }

    static func addActivity(_ call: WebCall) async throws -> WebReply {
        let quantityText = (call.form["quantity"] ?? "1").trimmingCharacters(in: .whitespaces)
        guard let quantity = Int(quantityText.isEmpty ? "1" : quantityText), quantity >= 0 else {
            throw Rejection(.activityInvalid, field: "quantity", "数量“\(quantityText)”不是非负整数")
        }
        func optional(_ name: String) -> String? {
            guard let value = call.form[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let form = ActivityForm(
            studio: call.studio, date: call.form["date"] ?? "", kind: call.form["kind"] ?? "", title: call.form["title"] ?? "",
            quantity: quantity, amount: optional("amount"), note: call.form["note"] ?? "")
        _ = try await offload { try call.app.lifecycle.addActivity(form) }
        return .redirect(Address.studio(call.studio, "lifecycle"))
    }

    static func setTarget(_ call: WebCall) async throws -> WebReply {
        let actual = call.form["actual"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        _ = try await offload {
            try call.app.lifecycle.setTarget(
                studio: call.studio, indicator: call.form["indicator"] ?? "", target: call.form["target"] ?? "", actual: actual,
                note: call.form["note"] ?? "")
        }
        return .redirect(Address.studio(call.studio, "lifecycle"))
    }

    static func downloads(_ call: WebCall) async throws -> WebReply {
        let asOf = call.value("as-of")
        let formats: [OutputFormat] = [.pdf, .xlsx, .csv, .html, .json]
        let kinds = try await offload { try call.app.statements.statementKinds(studio: call.studio) }
        let rows = kinds.map { kind -> HTML in
            let links = formats.map { format -> HTML in
                "<a href=\"\(Address.with(Address.studio(call.studio, "reports", "\(kind.rawValue).\(format.rawValue)"), query: [("as-of", asOf)]))\">\(format.rawValue.uppercased())</a>"
            }
            return "<tr><td>\(kind.chineseTitle)</td><td class=\"downloads\">\(links)</td></tr>"
        }
        let package: HTML = """
            <h2>审计包</h2><p><a class="button" href="\(Address.with(Address.studio(call.studio, "audit-package.zip"), query: [("as-of", asOf)]))">下载签名审计包（ZIP）</a>
            <span class="muted">可用 workshop-ledger audit-package verify 校验。每次下载均记入操作日志。</span></p>
            <h2>绩效评价材料</h2><p><a class="button secondary" href="\(Address.with(Address.studio(call.studio, "evaluation-package.zip"), query: [("as-of", asOf)]))">下载绩效自评表与评价报告（ZIP）</a></p>
            """
        let form: HTML = "<form class=\"filters\" method=\"get\">\(asOfField(call))<button type=\"submit\">更新链接</button></form>"
        return try await page(call, tab: "downloads", title: "下载", form + Pages.table(["报表", "格式"], rows) + package)
    }

    /// "fund-statement.pdf" → the statement in that format, built from the books; the file
    /// name is ours, never a path from the request.
    static func report(_ call: WebCall) async throws -> WebReply {
        let file = call.parameter("file")
        guard let dot = file.lastIndex(of: "."), let kind = ReportKind(rawValue: String(file[..<dot])),
            let format = OutputFormat(rawValue: String(file[file.index(after: dot)...])), format != .table
        else {
            throw Rejection(.voucherUnknown, field: "file", "没有报表“\(file)”（形如 fund-statement.pdf）")
        }
        let asOf = try ScopePages.asOf(call)
        let day = call.app.cutoff(asOf)
        let data = try await offload {
            let data = try call.app.statements.renderReport(ReportRequest(kind: kind, studio: call.studio, asOf: asOf), format: format)
            try call.app.statements.recordDownload(studio: call.studio, file: "\(kind.rawValue).\(format.rawValue)（截至 \(day.iso)）")
            return data
        }
        return .file(data, contentType: format.contentType, fileName: "\(call.studio)-\(kind.chineseTitle)-\(day.iso).\(format.rawValue)")
    }

    static func auditPackage(_ call: WebCall) async throws -> WebReply {
        let asOf = try ScopePages.asOf(call)
        let day = call.app.cutoff(asOf)
        let data = try await offload {
            // The package names (and is signed by) the host unit as of its day (第十一条).
            let hostUnit = try call.app.register.studio(code: call.studio, asOf: day).hostUnit
            let keyFile = call.app.packages.currentKeyFile(hostUnit: hostUnit, in: call.configuration.keyDirectory)
            let data: Data
            do {
                data = try call.app.packages.auditPackage(studio: call.studio, asOf: asOf, keyFile: keyFile)
            } catch let rejection as Rejection where rejection.code == .signingKeyMissing || rejection.code == .signingKeyInvalid
                || rejection.code == .signingKeyMismatch
            {
                // The key's path stays in the server's configuration, not on the page.
                throw LedgerEnvironmentError("服务器没有依托单位 \(hostUnit) 的现行签名私钥（serve --key-dir），暂不能生成审计包；请联系系统管理员")
            }
            try call.app.statements.recordDownload(studio: call.studio, file: "审计包（截至 \(day.iso)）")
            return data
        }
        return .file(data, contentType: "application/zip", fileName: "\(call.studio)-audit-\(day.iso).zip")
    }

    static func evaluationPackage(_ call: WebCall) async throws -> WebReply {
        let asOf = try ScopePages.asOf(call)
        let day = call.app.cutoff(asOf)
        let data = try await offload {
            let data = try call.app.evaluation.package(studio: call.studio, asOf: asOf)
            try call.app.statements.recordDownload(studio: call.studio, file: "绩效评价材料（截至 \(day.iso)）")
            return data
        }
        return .file(data, contentType: "application/zip", fileName: "\(call.studio)-evaluation-\(day.iso).zip")
    }

    /// The content types an evidence file may be shown as in the browser (`?view=1`); any other
    /// file is only ever a download.
    static let viewable: [String: String] = [
        "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
    ]

    static func evidence(_ call: WebCall) async throws -> WebReply {
        let sha = call.parameter("sha")
        let (file, content) = try await offload {
            let found = try call.app.packages.evidenceFile(studio: call.studio, sha256: sha)
            try call.app.statements.recordDownload(studio: call.studio, file: "单据 \(found.file.fileName)（\(sha)）")
            return found
        }
        let ext = file.fileName.split(separator: ".").last.map { $0.lowercased() } ?? ""
        if call.value("view") == "1", let type = viewable[ext] {
            return .inline(content, contentType: type)
        }
        return .file(content, contentType: "application/octet-stream", fileName: file.fileName)
    }

    static func closePeriod(_ call: WebCall) async throws -> WebReply {
        let period = try parse("period") { () throws(Rejection) in try Period.parse(call.form["period"] ?? "") }
        _ = try await offload { try call.app.books.closePeriod(period, studio: call.studio) }
        return .redirect(Address.studio(call.studio))
    }

    static func reopenPeriod(_ call: WebCall) async throws -> WebReply {
        let period = try parse("period") { () throws(Rejection) in try Period.parse(call.form["period"] ?? "") }
        try await offload { try call.app.books.reopenPeriod(period, studio: call.studio, reason: call.form["reason"] ?? "") }
        return .redirect(Address.studio(call.studio))
    }

    /// A lifecycle step recorded under the signed-in account's name; the step must belong to
    /// the route's action (a county cannot revoke through the acceptance form).
    static func step(_ call: WebCall, _ action: Action) async throws -> WebReply {
        let state = try LifecycleState.parse(call.form["to"] ?? "")
        guard Access.stepAction(to: state) == action else {
            throw Rejection(.lifecycleStateUnknown, field: "to", "“\(state.chineseName)”不能通过此表单记录")
        }
        func optional(_ name: String) -> String? {
            guard let value = call.form[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let form = TransitionForm(
            to: state.rawValue, date: call.form["date"] ?? "", by: call.app.user, note: call.form["note"] ?? "", ground: optional("ground"),
            deadline: optional("deadline"), score: optional("score"))
        _ = try await offload { try call.app.lifecycle.advance(studio: call.studio, form: form) }
        return .redirect(Address.studio(call.studio, "lifecycle"))
    }

    static func notice(_ call: WebCall) async throws -> WebReply {
        _ = try await offload {
            try call.app.lifecycle.notice(
                studio: call.studio, kind: call.form["kind"] ?? "", date: call.form["date"] ?? "", by: call.app.user, note: call.form["note"] ?? "",
                deadline: call.form["deadline"])
        }
        return .redirect(Address.studio(call.studio, "lifecycle"))
    }

    static func parse<T>(_ field: String, _ body: () throws(Rejection) -> T) throws(Rejection) -> T {
        do { return try body() } catch { throw Rejection(error.code, field: field, error.message) }
    }
}

/// A finding as a row, with the forms the account may use on it.
enum FindingForms {
    static func row(_ finding: Finding, _ call: WebCall) -> HTML {
        let allowed = call.account.map { Access.actions(of: $0.role) } ?? []
        let review: HTML = finding.review.map { review -> HTML in
            """
            <div><strong>\(review.status.chineseName)</strong></div><div>\(review.explanation)</div>
            <div class="muted">说明人 \(review.explainedBy)\(review.decidedBy.map { "；审核人 \($0)" } ?? "")\(review.decisionNote.map { "：\($0)" } ?? "")</div>
            """
        } ?? "<span class=\"muted\">未说明</span>"
        var forms: [HTML] = []
        let explained = finding.review?.status == .explained
        if allowed.contains(.decideFinding), explained {
            forms.append("""
                <form method="post" action="\(Address.studio(finding.studio, "findings", "decide"))">\(Pages.csrf(call))
                <input type="hidden" name="key" value="\(finding.key)"><input type="hidden" name="back" value="\(call.path)">
                <input name="note" placeholder="审核意见（驳回必填）" size="16">
                <button type="submit" name="decision" value="accept">接受说明</button>
                <button type="submit" name="decision" value="reject" class="secondary">驳回</button></form>
                """)
        }
        if allowed.contains(.explainFinding), finding.review?.status != .accepted {
            forms.append("""
                <form method="post" action="\(Address.studio(finding.studio, "findings", "explain"))">\(Pages.csrf(call))
                <input type="hidden" name="key" value="\(finding.key)"><input type="hidden" name="back" value="\(call.path)">
                <input name="text" placeholder="情况说明" size="20" required><button type="submit">提交说明</button></form>
                """)
        }
        let voucher: HTML = finding.voucher.map { v -> HTML in
            " · <a href=\"\(Address.studio(finding.studio, "vouchers", "\(v.period)-\(v.class)-\(v.number)"))\">\(AuditViews.voucherLabel(finding))</a>"
        } ?? .empty
        return """
            <tr><td>\(Pages.severityBadge(finding.severity))</td><td class="code"><a href="\(Address.studio(finding.studio, "findings"))">\(finding.studio)</a></td>
            <td><div class="code">\(finding.key)\(voucher)</div><div>\(finding.message)</div><div class="muted">\(finding.remedy)</div></td>
            <td>\(finding.category.chineseName)<div class="muted">\(finding.rule) \(finding.article)</div></td><td class="num">\(Money(fen: finding.amountFen))</td><td>\(review)</td><td>\(forms)</td></tr>
            """
    }

    static func note(_ call: WebCall, _ action: ComplianceDesk.FindingAction) async throws -> WebReply {
        let key = call.form["key"] ?? ""
        // The key names its studio; it must be the studio of the address the guard checked.
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[1] == call.studio else {
            throw Rejection(.findingKeyInvalid, field: "key", "发现编号“\(key)”不属于工作室 \(call.studio)")
        }
        let text = action == .explain ? call.form["text"] ?? "" : call.form["note"] ?? ""
        try await offload { try call.app.compliance.note(finding: key, action: action, text: text) }
        let back = Address.safeNext(call.form["back"])
        return .redirect(back == "/" ? Address.studio(call.studio, "findings") : back)
    }
}
