import FundApp
import FundCore
import FundRender
import Foundation
import HTTPTypes

/// The accountant's voucher desk: 填制凭证 (the form), the drafts and the review queue, 审核,
/// 退回, 记账 (one or many), red reversals with corrections, source documents, and voucher
/// files imported in the browser. Every rule is LedgerApp's; these handlers parse the form,
/// call `app.vouchers` and render.
enum VoucherPages {
    static var routes: [WebRoute] {
        [
            WebRoute(.get, "/vouchers", .voucherDesk, desk),
            WebRoute(.get, "/studios/:code/drafts", .enterVoucher, studioDrafts),
            WebRoute(.get, "/studios/:code/drafts/new", .enterVoucher, newDraft),
            WebRoute(.post, "/studios/:code/drafts", .enterVoucher, create),
            WebRoute(.post, "/studios/:code/drafts/post", .reviewVoucher, post),
            WebRoute(.get, "/studios/:code/drafts/:id", .enterVoucher, show),
            WebRoute(.post, "/studios/:code/drafts/:id", .enterVoucher, update),
            WebRoute(.post, "/studios/:code/drafts/:id/delete", .enterVoucher, delete),
            WebRoute(.post, "/studios/:code/drafts/:id/submit", .enterVoucher, submit),
            WebRoute(.post, "/studios/:code/drafts/:id/files", .enterVoucher, upload),
            WebRoute(.post, "/studios/:code/drafts/:id/files/remove", .enterVoucher, removeFile),
            WebRoute(.get, "/studios/:code/drafts/:id/files/:sha", .enterVoucher, viewFile),
            WebRoute(.post, "/studios/:code/drafts/:id/review", .reviewVoucher, review),
            WebRoute(.post, "/studios/:code/drafts/:id/return", .reviewVoucher, returnDraft),
            WebRoute(.get, "/studios/:code/vouchers/:ref/reverse", .enterVoucher, reverseForm),
            WebRoute(.post, "/studios/:code/vouchers/:ref/reverse", .enterVoucher, reverse),
            WebRoute(.post, "/studios/:code/vouchers/:ref/evidence", .editStudio, voucherEvidence),
            WebRoute(.get, "/studios/:code/import", .enterVoucher, importPage),
            WebRoute(.post, "/studios/:code/import", .enterVoucher, importPreview),
            WebRoute(.post, "/studios/:code/import/drafts", .enterVoucher, importDrafts),
            WebRoute(.post, "/studios/:code/import/post", .reviewVoucher, importPost),
        ]
    }

    static func may(_ call: WebCall, _ action: Action) -> Bool {
        call.account.map { Access.actions(of: $0.role).contains(action) } ?? false
    }

    static func draftID(_ call: WebCall) throws -> Int64 {
        guard let id = Int64(call.parameter("id")), id > 0 else {
            throw Rejection(.draftUnknown, field: "draft", "草稿编号“\(call.parameter("id"))”无效")
        }
        return id
    }

    static func version(_ call: WebCall) -> Int? { call.form["version"].flatMap { Int($0) } }

    /// The version a step's form was built from: every step that changes a draft's state
    /// carries it, so a step taken from a stale page is refused, not applied to a newer draft.
    static func requiredVersion(_ call: WebCall) throws -> Int {
        guard let version = version(call) else {
            throw Rejection(.fieldEmpty, field: "version", "表单缺少草稿版本号，请刷新页面后重试")
        }
        return version
    }

    static func draftPath(_ draft: StoredDraft) -> String { Address.studio(draft.studio, "drafts", String(draft.id)) }

    static func stateBadge(_ state: DraftState) -> HTML {
        "<span class=\"state draft-\(state.rawValue)\">\(state.chineseName)</span>"
    }

    // MARK: The desk and the queue

    static func desk(_ call: WebCall) async throws -> WebReply {
        guard let account = call.account else { return .redirect("/login") }
        let studios = try await offload { try call.app.vouchers.studios(of: account) }
        let body = try await queue(call, studios: studios)
        let links: [HTML] = studios.map { code -> HTML in
            "<a class=\"button secondary\" href=\"\(Address.studio(code, "drafts", "new"))\">\(code) 填制凭证</a>"
        }
        return .page(title: "凭证工作台", body: "<p class=\"downloads\">\(links)</p>" + body)
    }

    static func studioDrafts(_ call: WebCall) async throws -> WebReply {
        let actions: HTML = """
            <p class="downloads"><a class="button" href="\(Address.studio(call.studio, "drafts", "new"))">填制凭证</a>
            <a class="button secondary" href="\(Address.studio(call.studio, "import"))">导入凭证文件</a></p>
            """
        return try await StudioPages.page(call, tab: "drafts", title: "凭证录入与审核", actions + (try await queue(call, studios: [call.studio])))
    }

    /// The drafts of these studios by state: the maker's own work, what awaits review (with
    /// the findings each would raise), and what awaits posting (posted together per studio).
    static func queue(_ call: WebCall, studios: [String]) async throws -> HTML {
        let me = call.app.user
        let drafts = try await offload { try call.app.vouchers.drafts(studios: studios) }
        let waiting = drafts.filter { $0.state == .submitted || $0.state == .reviewed }
        let findings = try await offload { try call.app.vouchers.findings(of: waiting) }
        let chart = try await offload { try call.app.register.chart() }
        func row(_ draft: StoredDraft, check: Bool = false) -> HTML {
            let debit = ParallelEntries.financialDebits(draft.voucher, chart: chart)
            let raised = findings[draft.id] ?? []
            let found: HTML = raised.isEmpty ? "<span class=\"muted\">无</span>" : HTML(trusted: raised.map { finding -> String in
                "<div>\(Pages.severityBadge(finding.severity).raw) \(HTML.escape(finding.rule)) \(HTML.escape(finding.category.chineseName))</div>"
            }.joined())
            let box: HTML = check ? "<input type=\"checkbox\" name=\"id_\(Int(draft.id))\" value=\"\(draft.version)\" checked aria-label=\"选择\(draft.label)\">" : .empty
            let what: HTML = draft.reverses.map { ref -> HTML in "红字冲销 \(ref.label)（\(ref.period.iso)）" + (draft.voucher.lines.isEmpty ? "" : " 并更正") }
                ?? "\(draft.voucher.lines.first?.memo ?? "")"
            return """
                <tr><td>\(box)</td><td class="code"><a href="\(draftPath(draft))">\(draft.label)</a></td><td class="code">\(draft.studio)</td>
                <td class="nowrap">\(draft.voucher.date)</td><td>\(what)</td><td class="num">\(debit)</td><td>\(stateBadge(draft.state))\(draft.state == .returned ? "<div class=\"muted\">\(draft.returnReason)</div>" as HTML : .empty)</td>
                <td>\(draft.maker)</td><td>\(draft.reviewer ?? "")</td><td>\(found)</td></tr>
                """
        }
        let headers = ["", "草稿", "工作室", "日期", "摘要", "借方合计", "状态", "制单", "审核", "将形成的发现"]
        let mine = drafts.filter { $0.state.isEditable && PersonName.normalized($0.maker) == me }
        let others = drafts.filter { $0.state.isEditable && PersonName.normalized($0.maker) != me }
        let submitted = drafts.filter { $0.state == .submitted }
        let reviewed = drafts.filter { $0.state == .reviewed }
        var body: HTML = "<h2>我的草稿与退回（\(mine.count)）</h2>"
        body = body + (mine.isEmpty ? "<p class=\"muted\">无</p>" : Pages.table(headers, mine.map { row($0) }))
        body = body + "<h2>待审核（\(submitted.count)）</h2>"
        body = body + (submitted.isEmpty ? "<p class=\"muted\">无</p>" : Pages.table(headers, submitted.map { row($0) }))
        body = body + "<h2>已审核待记账（\(reviewed.count)）</h2>"
        if reviewed.isEmpty {
            body = body + "<p class=\"muted\">无</p>"
        } else if may(call, .reviewVoucher) {
            for (studio, group) in Dictionary(grouping: reviewed, by: \.studio).sorted(by: { $0.key < $1.key }) {
                body = body + """
                    <form method="post" action="\(Address.studio(studio, "drafts", "post"))" class="batch" data-confirm="记账后凭证进入账簿、取得凭证号，不能修改，只能红字冲销。确定记账所选凭证？">\(Pages.csrf(call))
                    <input type="hidden" name="back" value="\(call.path)">
                    \(Pages.table(headers, group.map { row($0, check: true) }))
                    <button type="submit">记账所选凭证（\(studio)，\(group.count) 张，全部成功或全部不记）</button></form>
                    """
            }
        } else {
            body = body + Pages.table(headers, reviewed.map { row($0) })
        }
        if !others.isEmpty {
            body = body + "<h2>他人草稿（\(others.count)）</h2>" + Pages.table(headers, others.map { row($0) })
        }
        return body
    }

    // MARK: The voucher form

    static func newDraft(_ call: WebCall) async throws -> WebReply {
        let today = call.app.clock.today()
        let form = VoucherForm(date: today.iso, lines: [])
        return try await formPage(call, form: form, errors: [], draft: nil)
    }

    static func readForm(_ call: WebCall) -> VoucherForm {
        let count = min(max(Int(call.form["line_count"] ?? "") ?? 0, 0), Limits.linesPerVoucherMax + 20)
        var lines: [VoucherForm.Line] = []
        for index in 0..<count {
            func value(_ name: String) -> String { call.form["l\(index)_\(name)"] ?? "" }
            lines.append(VoucherForm.Line(
                memo: value("memo"), account: value("account"), fund: value("fund"), debit: value("debit"), credit: value("credit"),
                invoiceCode: value("invoice_code"), invoiceNumber: value("invoice_number")))
        }
        return VoucherForm(
            date: call.form["date"] ?? "", voucherClass: call.form["class"] ?? "记", attachments: call.form["attachments"] ?? "0",
            settlement: call.form["settlement"] ?? "", counterparty: call.form["counterparty"] ?? "", lines: lines)
    }

    static func create(_ call: WebCall) async throws -> WebReply {
        let form = readForm(call)
        do {
            let saved = try await offload { try call.app.vouchers.save(form, studio: call.studio) }
            return try await afterSave(call, saved)
        } catch let errors as VoucherFormErrors {
            return try await formPage(call, form: form, errors: errors.errors, draft: nil, status: .badRequest)
        }
    }

    static func update(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        let v = try requiredVersion(call)
        let form = readForm(call)
        do {
            let saved = try await offload { try call.app.vouchers.save(form, studio: call.studio, id: id, version: v) }
            return try await afterSave(call, saved)
        } catch let errors as VoucherFormErrors {
            let draft = try await offload { try call.app.vouchers.draft(id, studio: call.studio) }
            return try await formPage(call, form: form, errors: errors.errors, draft: draft, status: .badRequest)
        }
    }

    /// After a save: submitted at once when the maker asked (保存并提交), then to the draft.
    static func afterSave(_ call: WebCall, _ saved: StoredDraft) async throws -> WebReply {
        if call.form["then"] == "submit" {
            // Saved either way: a voucher the policy blocks (or with too many files) stays a
            // draft, and its page says why it was not submitted.
            _ = try? await offload { try call.app.vouchers.submit(saved.id, studio: saved.studio, version: saved.version) }
        }
        return .redirect(draftPath(saved))
    }

    static func formPage(
        _ call: WebCall, form: VoucherForm, errors: [FormError], draft: StoredDraft?, status: HTTPResponse.Status = .ok
    ) async throws -> WebReply {
        let choices = try await offload { try call.app.vouchers.accountChoices() }
        let action = draft.map(draftPath) ?? Address.studio(call.studio, "drafts")
        let body = voucherForm(call, form: form, errors: errors, choices: choices, action: action, version: draft?.version)
            + """
            <div class="form-buttons"><button type="submit" form="voucher-form" name="then" value="save">保存草稿（Ctrl+S）</button>
            <button type="submit" form="voucher-form" name="then" value="submit" class="secondary">保存并提交审核</button>
            <a href="\(draft.map(draftPath) ?? Address.studio(call.studio, "drafts"))">取消</a></div>
            """
        let title = draft.map { "修改\($0.label)" } ?? "填制凭证"
        guard case .page(let pageTitle, let pageBody, _) = try await StudioPages.page(call, tab: "drafts", title: title, body) else {
            return .page(title: title, body: body, status: status)
        }
        return .page(title: pageTitle, body: pageBody, status: status)
    }

    /// The voucher form (填制凭证). Without the script it is a plain form: five spare lines,
    /// the server's checks, errors beside the cells. The script (app.js) adds the type-ahead,
    /// `=`, Enter to the next cell, new lines and the live totals.
    static func voucherForm(
        _ call: WebCall, form: VoucherForm, errors: [FormError], choices: [AccountChoice], action: String, version: Int?,
        formID: String = "voucher-form", extra: HTML = .empty
    ) -> HTML {
        func errorText(_ line: Int?, _ field: String) -> HTML {
            let found = errors.filter { $0.line == line && $0.field == field }
            guard !found.isEmpty else { return .empty }
            return HTML(trusted: found.map { "<div class=\"cell-error\" role=\"alert\">\(HTML.escape($0.message))</div>" }.joined())
        }
        func invalid(_ line: Int?, _ field: String) -> HTML {
            errors.contains { $0.line == line && $0.field == field } ? " class=\"invalid\" aria-invalid=\"true\"" : .empty
        }
        let names = Dictionary(choices.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let classOptions = VoucherClass.allCases.map { item -> HTML in
            "<option value=\"\(item.rawValue)\"\(form.voucherClass == item.rawValue ? " selected" : "")>\(item.rawValue)</option>"
        }
        let settlementOptions = [("", "（无）")] + Settlement.allCases.map { ($0.rawValue, $0.chineseName) }
        let settlements = settlementOptions.map { value, name -> HTML in
            "<option value=\"\(value)\"\(form.settlement == value ? " selected" : "")>\(name)</option>"
        }
        var lines = form.lines
        while lines.count < max(form.lines.filter { !$0.isBlank }.count + 2, 5) { lines.append(VoucherForm.Line()) }
        var rows: [HTML] = []
        var previousFund = Fund.subsidy.rawValue
        for (index, line) in lines.enumerated() {
            let fund = line.fund.isEmpty ? previousFund : line.fund
            if !line.fund.isEmpty { previousFund = line.fund }
            let funds = Fund.allCases.map { item -> HTML in
                "<option value=\"\(item.rawValue)\"\(fund == item.rawValue ? " selected" : "")>\(item.chineseName)</option>"
            }
            let p = "l\(index)_"
            rows.append("""
                <tr data-line="\(index)"><td class="num">\(index + 1)</td>
                <td><input name="\(p)memo" value="\(line.memo)" size="26" class="memo" aria-label="第\(index + 1)行摘要"\(invalid(index, "memo"))>\(errorText(index, "memo"))</td>
                <td class="account-cell"><input name="\(p)account" value="\(line.account)" size="9" class="account" list="chart-accounts" autocomplete="off" aria-label="第\(index + 1)行科目"\(invalid(index, "account"))>
                <div class="account-name muted">\(names[line.account.trimmingCharacters(in: .whitespaces)] ?? "")</div>\(errorText(index, "account"))</td>
                <td><select name="\(p)fund" class="fund" aria-label="第\(index + 1)行资金来源"\(invalid(index, "fund"))>\(funds)</select>\(errorText(index, "fund"))</td>
                <td><input name="\(p)debit" value="\(line.debit)" size="11" class="amount debit" inputmode="decimal" aria-label="第\(index + 1)行借方金额"\(invalid(index, "debit"))>\(errorText(index, "debit"))</td>
                <td><input name="\(p)credit" value="\(line.credit)" size="11" class="amount credit" inputmode="decimal" aria-label="第\(index + 1)行贷方金额"\(invalid(index, "credit"))>\(errorText(index, "credit"))</td>
                <td><input name="\(p)invoice_code" value="\(line.invoiceCode)" size="10" class="invoice" aria-label="第\(index + 1)行发票代码"\(invalid(index, "invoice_code"))>\(errorText(index, "invoice_code"))</td>
                <td><input name="\(p)invoice_number" value="\(line.invoiceNumber)" size="18" class="invoice" aria-label="第\(index + 1)行发票号码"\(invalid(index, "invoice_number"))>\(errorText(index, "invoice_number"))</td></tr>
                """)
        }
        // The totals as the server reads the form (the script keeps them live while typing).
        // 平行记账: budget lines (classes 6–8) restate the money; the 合计 is the financial lines'.
        var debit: Int64 = 0, credit: Int64 = 0
        var perFund: [Fund: Int64] = [:]
        for line in form.lines where !line.isBlank && !"678".contains(line.account.trimmingCharacters(in: .whitespaces).first ?? "0") {
            guard let fund = try? Fund.parse(line.fund) else { continue }
            if let amount = try? Money.parse(line.debit) { debit &+= amount.fen; perFund[fund, default: 0] &+= amount.fen }
            if let amount = try? Money.parse(line.credit) { credit &+= amount.fen; perFund[fund, default: 0] &-= amount.fen }
        }
        let balances = Fund.allCases.compactMap { fund -> String? in
            guard let net = perFund[fund], net != 0 else { return nil }
            return "\(fund.chineseName)借贷差 \(Money(fen: net).groupedString)"
        }
        let headerErrors = errors.filter { error in
            error.line == nil ? !["date", "class", "attachments", "settlement", "counterparty"].contains(error.field) : error.field == "lines"
        }
        let generalErrors: HTML = headerErrors.isEmpty ? .empty
            : HTML(trusted: "<div class=\"error\" role=\"alert\">" + headerErrors.map { HTML.escape($0.message) }.joined(separator: "<br>") + "</div>")
        let datalist = choices.map { choice -> HTML in "<option value=\"\(choice.code)\" label=\"\(choice.name) \(choice.initials)\"></option>" }
        let choicesJSON = (try? JSONEncoder().encode(choices)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return """
            \(errors.isEmpty ? HTML.empty : "<p class=\"error\" role=\"alert\">凭证有 \(errors.count) 处错误，未保存；请按提示改正。</p>" as HTML)
            <form method="post" action="\(action)" id="\(formID)" class="voucher-form" data-choices="\(choicesJSON)">\(Pages.csrf(call))
            \(version.map { "<input type=\"hidden\" name=\"version\" value=\"\($0)\">" as HTML } ?? .empty)\(extra)
            <div class="voucher-head filters">
            <label>日期<input type="date" name="date" value="\(form.date)" required\(invalid(nil, "date"))>\(errorText(nil, "date"))</label>
            <label>凭证字<select name="class">\(classOptions)</select>\(errorText(nil, "class"))</label>
            <label>附单据数<input name="attachments" value="\(form.attachments)" size="4" inputmode="numeric"\(invalid(nil, "attachments"))>\(errorText(nil, "attachments"))</label>
            <label>结算方式<select name="settlement">\(settlements)</select>\(errorText(nil, "settlement"))</label>
            <label>往来单位<input name="counterparty" value="\(form.counterparty)" size="28">\(errorText(nil, "counterparty"))</label>
            </div>
            <datalist id="chart-accounts">\(datalist)</datalist>
            <table class="list voucher-lines"><thead><tr><th>行</th><th>摘要</th><th>会计科目</th><th>资金来源</th><th>借方金额</th><th>贷方金额</th><th>发票代码</th><th>发票号码</th></tr></thead>
            <tbody>\(rows)</tbody>
            <tfoot><tr class="total"><td colspan="4">合计：<span class="daxie">\(AmountText.uppercase(Money(fen: max(debit, credit))))</span></td>
            <td class="num sum-debit">\(Money(fen: debit))</td><td class="num sum-credit">\(Money(fen: credit))</td>
            <td colspan="2" class="fund-balance">\(balances.isEmpty ? (debit == credit ? "各资金借贷平衡" : "") : balances.joined(separator: "；"))</td></tr></tfoot></table>
            <input type="hidden" name="line_count" value="\(lines.count)">\(generalErrors)
            <p class="muted">回车到下一格；在金额格输入 = 自动填入使本行资金借贷平衡的金额；科目可输入编码、名称或拼音首字母（如 yhck）。</p>
            </form>
            """
    }

    // MARK: One draft

    static func show(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        let view = try await offload { try call.app.vouchers.view(id, studio: call.studio) }
        let draft = view.draft
        let me = call.app.user
        let isMaker = PersonName.normalized(draft.maker) == me
        var body: HTML = """
            <dl class="meta"><dt>状态</dt><dd>\(stateBadge(draft.state))</dd><dt>制单</dt><dd>\(draft.maker)（\(Pages.chinaTime(draft.createdAt))）</dd>
            <dt>审核</dt><dd>\(draft.reviewer.map { "\($0)（\(Pages.chinaTime(draft.reviewedAt ?? ""))）" } ?? "—")</dd><dt>最后修改</dt><dd>\(Pages.chinaTime(draft.updatedAt))（北京时间；第 \(draft.version) 版）</dd></dl>
            """
        if draft.state == .returned {
            body = body + "<p class=\"error\">已被 \(draft.returnedBy ?? "") 退回：\(draft.returnReason)</p>"
        }
        if let ref = draft.reverses {
            body = body + """
                <p class="notice">红字冲销 <a href="\(Address.studio(draft.studio, "vouchers", StudioPages.voucherPath(ref)))">\(ref.period.iso) \(ref.label)</a>，原因：\(draft.reason)。
                \(draft.voucher.lines.isEmpty ? "不附更正凭证。" : "同时记入下列更正凭证。")</p>
                """
        }
        if !draft.posted.isEmpty {
            let links = draft.posted.map { (ref: VoucherRef) -> HTML in
                "<a href=\"\(Address.studio(draft.studio, "vouchers", StudioPages.voucherPath(ref)))\">\(ref.period.iso) \(ref.label)</a> "
            }
            body = body + "<p class=\"notice\">已记账为 \(links)</p>"
        }
        if let problem = view.problem {
            body = body + "<p class=\"error\">[\(problem.code.rawValue)] \(problem.message)</p>"
        }
        let editable = draft.state.isEditable && isMaker && may(call, .enterVoucher)
        if editable {
            let choices = try await offload { try call.app.vouchers.accountChoices() }
            if draft.reverses == nil {
                body = body + voucherForm(call, form: VoucherForm(draft.voucher), errors: [], choices: choices, action: draftPath(draft), version: draft.version)
                    + """
                    <div class="form-buttons"><button type="submit" form="voucher-form" name="then" value="save">保存修改</button>
                    <button type="submit" form="voucher-form" name="then" value="submit" class="secondary">保存并提交审核</button></div>
                    """
            } else {
                body = body + voucherTable(draft.voucher, chart: try await offload { try call.app.register.chart() })
            }
        } else if !draft.voucher.lines.isEmpty {
            body = body + voucherTable(draft.voucher, chart: try await offload { try call.app.register.chart() })
        }
        // Findings the rules would raise.
        if !view.findings.isEmpty {
            let rows = view.findings.map { finding -> HTML in
                "<tr><td>\(Pages.severityBadge(finding.severity))</td><td class=\"code\">\(finding.rule)</td><td>\(finding.category.chineseName)<div class=\"muted\">\(finding.article)</div></td><td>\(finding.message)</td><td class=\"num\">\(Money(fen: finding.amountFen))</td></tr>"
            }
            body = body + "<h2>记账后将形成的发现</h2>" + Pages.table(["严重程度", "规则", "类别与依据", "说明", "金额"], rows)
        } else if draft.state != .posted, !draft.voucher.lines.isEmpty {
            body = body + "<p class=\"notice\">按现行政策检查，本凭证记账后不形成发现。</p>"
        }
        body = body + files(call, draft: draft, editable: editable)
        var actions: [HTML] = []
        if editable {
            actions.append("""
                <form method="post" action="\(draftPath(draft))/submit">\(Pages.csrf(call))<input type="hidden" name="version" value="\(draft.version)">
                <button type="submit">提交审核</button></form>
                <form method="post" action="\(draftPath(draft))/delete" data-confirm="删除\(draft.label)？">\(Pages.csrf(call))<input type="hidden" name="version" value="\(draft.version)">
                <button type="submit" class="secondary">删除草稿</button></form>
                """)
        }
        if may(call, .reviewVoucher), draft.state == .submitted {
            actions.append("""
                <form method="post" action="\(draftPath(draft))/review">\(Pages.csrf(call))<input type="hidden" name="version" value="\(draft.version)">
                <button type="submit"\(isMaker ? " disabled title=\"制单人不能审核自己填制的凭证\"" : "")>审核通过</button></form>
                """)
        }
        if may(call, .reviewVoucher), draft.state == .reviewed {
            actions.append("""
                <form method="post" action="\(Address.studio(draft.studio, "drafts", "post"))" data-confirm="记账后凭证进入账簿、取得凭证号，只能红字冲销。确定记账？">\(Pages.csrf(call))
                <input type="hidden" name="id_\(Int(draft.id))" value="\(draft.version)"><button type="submit">记账</button></form>
                """)
        }
        if may(call, .reviewVoucher), draft.state == .submitted || draft.state == .reviewed {
            actions.append("""
                <form method="post" action="\(draftPath(draft))/return">\(Pages.csrf(call))<input type="hidden" name="version" value="\(draft.version)">
                <label>退回原因 <input name="reason" required size="30"></label><button type="submit" class="secondary">退回制单人</button></form>
                """)
        }
        if may(call, .reviewVoucher), draft.state == .submitted, isMaker {
            actions.append("<p class=\"muted\">本凭证由您填制，须由其他财务负责人审核（\(DraftRules.reviewBasis)）。</p>")
        }
        if !actions.isEmpty { body = body + "<section class=\"actions\"><h2>操作</h2>\(actions)</section>" }
        return try await StudioPages.page(call, tab: "drafts", title: draft.label + (draft.reverses == nil ? "" : "（红字冲销申请）"), body)
    }

    /// A voucher's lines read-only, with the 合计 and its 大写.
    /// 平行记账: a public institution's budget lines (classes 6–8) are listed with the others,
    /// marked 预算; the 合计 and its 大写 are the financial lines'.
    static func voucherTable(_ voucher: VoucherDraft, chart: ChartOfAccounts) -> HTML {
        let rows = voucher.lines.map { line -> HTML in
            """
            <tr><td>\(line.memo)</td><td class="code">\(line.account)\(chart[line.account]?.type.isBudget == true ? " 预算" as HTML : .empty)</td><td>\(line.fund.chineseName)</td>
            <td class="num">\(line.side == .debit ? "\(line.amount)" as HTML : .empty)</td><td class="num">\(line.side == .credit ? "\(line.amount)" as HTML : .empty)</td>
            <td class="code">\(line.invoice?.description ?? "")</td></tr>
            """
        }
        let debit = ParallelEntries.financialDebits(voucher, chart: chart)
        let credit = ParallelEntries.financialCredits(voucher, chart: chart)
        return """
            <p>日期 \(voucher.date) · 凭证字 \(voucher.voucherClass.rawValue) · 附单据 \(voucher.attachments) 张\(voucher.settlement.map { " · \($0.chineseName)" } ?? "")\(voucher.counterparty.isEmpty ? "" : " · 往来单位 \(voucher.counterparty)")</p>
            <table class="list"><thead><tr><th>摘要</th><th>科目</th><th>资金来源</th><th>借方金额</th><th>贷方金额</th><th>发票</th></tr></thead><tbody>\(rows)</tbody>
            <tfoot><tr class="total"><td colspan="3">合计：\(AmountText.uppercase(debit))</td><td class="num">\(debit)</td><td class="num">\(credit)</td><td></td></tr></tfoot></table>
            """
    }

    static func files(_ call: WebCall, draft: StoredDraft, editable: Bool) -> HTML {
        let items = draft.files.map { file -> HTML in
            let address = "\(draftPath(draft))/files/\(file.sha256)"
            let remove: HTML = editable ? """
                <form method="post" action="\(draftPath(draft))/files/remove" class="inline">\(Pages.csrf(call))<input type="hidden" name="sha" value="\(file.sha256)">
                <button type="submit" class="link">删除</button></form>
                """ : .empty
            return "<li>\(file.fileName)（\(file.type.rawValue.uppercased())，\(file.size) 字节）<a href=\"\(address)?view=1\" target=\"_blank\" rel=\"noopener\">查看</a> <a href=\"\(address)\">下载</a> \(remove)</li>"
        }
        let count: HTML = "已附 \(draft.files.count) 个文件 / 附单据数 \(draft.voucher.attachments) 张"
        let upload: HTML = editable ? """
            <form method="post" action="\(draftPath(draft))/files" enctype="multipart/form-data" class="upload">\(Pages.csrf(call))
            <label>上传原始单据（发票、合同、收据；PDF、JPEG、PNG 或 OFD，不超过 \(EvidenceType.maximumBytes / 1024 / 1024) MB）<input type="file" name="file" required accept=".pdf,.jpg,.jpeg,.png,.ofd"></label>
            <button type="submit">上传</button></form>
            """ : .empty
        return "<h2>原始单据</h2><p class=\"muted\">\(count)</p>" + (items.isEmpty ? .empty : "<ul>\(items)</ul>" as HTML) + upload
    }

    // MARK: Steps

    static func delete(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        let v = try requiredVersion(call)
        try await offload { try call.app.vouchers.delete(id, studio: call.studio, version: v) }
        return .redirect(Address.studio(call.studio, "drafts"))
    }

    static func submit(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        let v = try requiredVersion(call)
        let draft = try await offload { try call.app.vouchers.submit(id, studio: call.studio, version: v) }
        return .redirect(draftPath(draft))
    }

    static func review(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        let v = try requiredVersion(call)
        let draft = try await offload { try call.app.vouchers.review(id, studio: call.studio, version: v) }
        return .redirect(draftPath(draft))
    }

    static func returnDraft(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        let v = try requiredVersion(call)
        let draft = try await offload {
            try call.app.vouchers.returnToMaker(id, studio: call.studio, reason: call.form["reason"] ?? "", version: v)
        }
        return .redirect(draftPath(draft))
    }

    static func post(_ call: WebCall) async throws -> WebReply {
        // id_N = the version of draft N the page showed.
        var versions: [Int64: Int] = [:]
        for (key, value) in call.form where key.hasPrefix("id_") {
            guard let id = Int64(key.dropFirst(3)), let version = Int(value) else { continue }
            versions[id] = version
        }
        guard !versions.isEmpty else { throw Rejection(.fieldEmpty, field: "draft", "没有选择要记账的凭证") }
        let chosen = versions
        let posted = try await offload { try call.app.vouchers.post(versions: chosen, studio: call.studio) }
        if posted.count == 1 || versions.count == 1, let first = posted.first {
            return .redirect(Address.studio(call.studio, "vouchers", StudioPages.voucherPath(first.ref)))
        }
        return .redirect(Address.studio(call.studio, "journal"))
    }

    static func upload(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        guard let file = call.files["file"] else { throw Rejection(.fieldEmpty, field: "file", "请选择要上传的文件") }
        _ = try await offload { try call.app.vouchers.attach(file.data, fileName: file.fileName, to: id, studio: call.studio) }
        return .redirect(Address.studio(call.studio, "drafts", String(id)))
    }

    static func removeFile(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        guard let sha = call.form["sha"], !sha.isEmpty else { throw Rejection(.fieldEmpty, field: "sha", "没有指定要删除的单据") }
        try await offload { try call.app.vouchers.removeFile(sha, from: id, studio: call.studio) }
        return .redirect(Address.studio(call.studio, "drafts", String(id)))
    }

    static func viewFile(_ call: WebCall) async throws -> WebReply {
        let id = try draftID(call)
        let (file, content) = try await offload { try call.app.vouchers.file(call.parameter("sha"), of: id, studio: call.studio) }
        if call.value("view") == "1", file.type.isViewable {
            return .inline(content, contentType: file.type.contentType)
        }
        return .file(content, contentType: "application/octet-stream", fileName: file.fileName)
    }

    // MARK: Red reversal and correction

    static func reverseForm(_ call: WebCall) async throws -> WebReply {
        let ref = try StudioPages.voucherRef(call)
        let (original, _) = try await offload { try call.app.books.voucher(ref) }
        var form = VoucherForm(original.draft)
        form.date = call.app.clock.today().iso
        return try await reversalPage(call, ref: ref, original: original.draft, form: form, reason: "", correct: false, errors: [])
    }

    static func reversalPage(
        _ call: WebCall, ref: VoucherRef, original: VoucherDraft, form: VoucherForm, reason: String, correct: Bool, errors: [FormError],
        status: HTTPResponse.Status = .ok
    ) async throws -> WebReply {
        let choices = try await offload { try call.app.vouchers.accountChoices() }
        let reasonError: HTML = errors.filter { $0.field == "reason" }.isEmpty ? .empty
            : HTML(trusted: "<div class=\"cell-error\">" + HTML.escape(errors.first { $0.field == "reason" }!.message) + "</div>")
        let extra: HTML = """
            <div class="filters"><label>冲销原因（必填）<input name="reason" value="\(reason)" size="50" required>\(reasonError)</label>
            <label class="check"><span><input type="checkbox" name="correct" value="1"\(correct ? " checked" : "")> 同时填制更正凭证（按下表，已按原凭证预填，请改正）</span></label></div>
            """
        let body: HTML = "<h2>原凭证 \(ref.period.iso) \(ref.label)</h2>" + voucherTable(original, chart: try await offload { try call.app.register.chart() })
            + "<h2>红字冲销申请</h2><p class=\"muted\">提交后由财务负责人审核、记账：记账时生成红字冲销凭证（金额取负）及更正凭证。日期为冲销（及更正）凭证的日期。</p>"
            + voucherForm(call, form: form, errors: errors.filter { $0.field != "reason" }, choices: choices,
                action: Address.studio(call.studio, "vouchers", StudioPages.voucherPath(ref), "reverse"), version: nil, extra: extra)
            + "<div class=\"form-buttons\"><button type=\"submit\" form=\"voucher-form\" name=\"then\" value=\"submit\">保存并提交审核</button><button type=\"submit\" form=\"voucher-form\" name=\"then\" value=\"save\" class=\"secondary\">保存草稿</button></div>"
        guard case .page(let pageTitle, let pageBody, _) = try await StudioPages.page(call, tab: "journal", title: "红字冲销 \(ref.label)", body) else {
            return .page(title: "红字冲销", body: body, status: status)
        }
        return .page(title: pageTitle, body: pageBody, status: status)
    }

    static func reverse(_ call: WebCall) async throws -> WebReply {
        let ref = try StudioPages.voucherRef(call)
        let typed = readForm(call)
        let correct = call.form["correct"] == "1"
        let reason = call.form["reason"] ?? ""
        var chosen = typed
        if !correct { chosen.lines = [] }
        let form = chosen
        do {
            let saved = try await offload { try call.app.vouchers.requestReversal(of: ref, reason: reason, correction: form) }
            return try await afterSave(call, saved)
        } catch let errors as VoucherFormErrors {
            let (original, _) = try await offload { try call.app.books.voucher(ref) }
            return try await reversalPage(call, ref: ref, original: original.draft, form: typed, reason: reason, correct: correct, errors: errors.errors, status: .badRequest)
        }
    }

    static func voucherEvidence(_ call: WebCall) async throws -> WebReply {
        let ref = try StudioPages.voucherRef(call)
        guard let file = call.files["file"] else { throw Rejection(.fieldEmpty, field: "file", "请选择要上传的文件") }
        _ = try await offload { try call.app.vouchers.attach(file.data, fileName: file.fileName, to: ref) }
        return .redirect(Address.studio(call.studio, "vouchers", StudioPages.voucherPath(ref)))
    }

    // MARK: Imports

    static func importPage(_ call: WebCall) async throws -> WebReply {
        let body: HTML = """
            <p>导入用友、金蝶等导出的序时账（凭证）CSV 文件（UTF-8 或 GB18030）。先检查并列出全部错误，确认后才写入：作为草稿提交审核，或（财务负责人）直接记账，全部成功或全部不写。</p>
            <form method="post" action="\(Address.studio(call.studio, "import"))" enctype="multipart/form-data" class="filters">\(Pages.csrf(call))
            <label>凭证文件<input type="file" name="file" required accept=".csv,text/csv"></label>
            <button type="submit">检查文件</button></form>
            """
        return try await StudioPages.page(call, tab: "drafts", title: "导入凭证文件", body)
    }

    static func importData(_ call: WebCall) throws -> (data: Data, name: String) {
        if let file = call.files["file"] { return (file.data, file.fileName) }
        guard let text = call.form["content"], let data = Data(base64Encoded: text) else {
            throw Rejection(.fieldEmpty, field: "file", "请选择要导入的凭证文件")
        }
        return (data, call.form["file_name"] ?? "凭证.csv")
    }

    static func importPreview(_ call: WebCall) async throws -> WebReply {
        let (data, name) = try importData(call)
        let preview = try await offload { try call.app.vouchers.previewImport(csv: data, file: name, studio: call.studio) }
        var body: HTML
        if !preview.errors.isEmpty {
            let rows = preview.errors.map { error -> HTML in
                "<tr><td class=\"num\">\(error.line.map { "\($0)" } ?? "—")</td><td>\(error.rejection.field ?? "")</td><td>行 \(error.line.map { "\($0)" } ?? "—") 列 \(error.rejection.field ?? "—")：\(error.rejection.message)</td><td class=\"code\">\(error.rejection.code.rawValue)</td></tr>"
            }
            body = """
                <p class="error" role="alert">文件 \(name) 有 \(preview.errors.count)\(preview.truncated ? "+" : "") 处错误，没有写入任何内容。请改正后重新上传。</p>
                \(Pages.table(["行", "列", "错误", "代码"], rows))
                """
        } else {
            let chart = try await offload { try call.app.register.chart() }
            let rows = preview.vouchers.enumerated().map { index, voucher -> HTML in
                let debit = ParallelEntries.financialDebits(voucher, chart: chart)
                return """
                    <tr><td class="nowrap">\(voucher.date)</td><td class="code">\(voucher.sourceRef ?? "")</td><td>\(voucher.lines.first?.memo ?? "")</td>
                    <td class="num">\(voucher.lines.count)</td><td class="num">\(debit)</td><td>\(voucher.preparer)</td><td>\(voucher.reviewer)\(preview.unreviewed.contains(index) ? "<span class=\"sev sev-warning\">未经他人审核</span>" as HTML : .empty)</td></tr>
                    """
            }
            let content = data.base64EncodedString()
            let hidden: HTML = "\(Pages.csrf(call))<input type=\"hidden\" name=\"content\" value=\"\(content)\"><input type=\"hidden\" name=\"file_name\" value=\"\(name)\">"
            let post: HTML = may(call, .reviewVoucher) ? """
                <form method="post" action="\(Address.studio(call.studio, "import", "post"))" enctype="multipart/form-data" class="inline" data-confirm="直接记账 \(preview.vouchers.count) 张凭证？">\(hidden)
                <button type="submit" class="secondary">直接记账（凭证须已有他人审核）</button></form>
                """ : .empty
            body = """
                <p class="notice">文件 \(name) 检查通过：\(preview.vouchers.count) 张凭证，尚未写入。</p>
                \(Pages.table(["日期", "原凭证号", "摘要", "分录行数", "借方合计", "制单", "审核"], rows))
                <section class="actions"><form method="post" action="\(Address.studio(call.studio, "import", "drafts"))" enctype="multipart/form-data" class="inline">\(hidden)
                <button type="submit">作为草稿提交审核</button></form>\(post)</section>
                """
        }
        return try await StudioPages.page(call, tab: "drafts", title: "导入凭证文件：检查结果", body)
    }

    static func importDrafts(_ call: WebCall) async throws -> WebReply {
        let (data, name) = try importData(call)
        _ = try await offload { try call.app.vouchers.importAsDrafts(csv: data, file: name, studio: call.studio) }
        return .redirect(Address.studio(call.studio, "drafts"))
    }

    static func importPost(_ call: WebCall) async throws -> WebReply {
        let (data, name) = try importData(call)
        _ = try await offload { try call.app.books.importVouchers(csv: data, file: name, studio: call.studio) }
        return .redirect(Address.studio(call.studio, "journal"))
    }
}
