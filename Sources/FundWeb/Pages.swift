import FundApp
import FundCore
import FundRender
import FundReports
import Foundation
import Hummingbird

/// The page around every answer: the header with the account and its navigation, the
/// stylesheet, and the error pages. Everything inside is `HTML`, so escaped.
enum Pages {
    static func response(_ html: HTML, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html.raw)))
    }

    /// A page with no account around it (login, errors before a session).
    static func bare(title: String, body: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · 技能大师工作室项目账簿</title>
        <link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script></head>
        <body><header class="bar"><a class="brand" href="/">技能大师工作室项目账簿</a></header>
        <main><h1 class="page-title">\(title)</h1>
        \(body)</main></body></html>
        """
    }

    static func layout(_ call: WebCall, title: String, body: HTML) -> HTML {
        guard let account = call.account, let session = call.session else { return bare(title: title, body: body) }
        var links: [HTML] = []
        let role = account.role
        if Access.actions(of: role).contains(.viewScope) {
            links.append("<a href=\"/overview\">工作室总览</a>")
            links.append("<a href=\"/findings\">发现</a>")
            links.append("<a href=\"/deadlines\">期限</a>")
        }
        if Access.actions(of: role).contains(.readLog) { links.append("<a href=\"/log\">操作日志</a>") }
        if Access.actions(of: role).contains(.manageAccounts) {
            links.append("<a href=\"/admin/users\">用户与授权</a>")
            links.append("<a href=\"/admin/log\">账户日志</a>")
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · 技能大师工作室项目账簿</title>
            <link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script></head>
            <body><header class="bar"><a class="brand" href="/">技能大师工作室项目账簿</a>
            <nav>\(links)</nav>
            <div class="who"><span class="user">\(account.name)</span><span class="role">\(role.chineseName)</span>
            <a href="/account/password">修改密码</a>
            <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="\(session.csrfToken)"><button type="submit" class="link">退出</button></form></div>
            </header>
            <main><h1 class="page-title">\(title)</h1>
            \(body)</main>
            <footer class="foot">资阳市技能大师工作室建设管理 · 资人社规〔2025〕2号 · WorkshopLedger \(LedgerApp.version)</footer></body></html>
            """
    }

    /// The hidden CSRF field of the signed-in session.
    static func csrf(_ call: WebCall) -> HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(call.session?.csrfToken ?? "")\">"
    }

    static func denied(_ call: WebCall, status: HTTPResponse.Status, reason: String) -> Response {
        let title = status == .notFound ? "未找到" : status == .tooManyRequests ? "请稍后再试" : "无权访问"
        return response(layout(call, title: title, body: "<p class=\"error\">\(reason)</p><p><a href=\"/\">返回首页</a></p>"), status: status)
    }

    static func rejected(_ call: WebCall, _ rejection: Rejection) -> Response {
        let field = rejection.field.map { "（字段 \($0)）" } ?? ""
        let body: HTML = """
            <p class="error">\(rejection.message)\(field) [\(rejection.code.rawValue)]</p>
            <p>没有写入任何内容。<a href="/" data-back>返回修改</a></p>
            """
        let status: HTTPResponse.Status = rejection.code == .studioUnknown || rejection.code == .voucherUnknown
            || rejection.code == .evidenceMissing ? .notFound : .badRequest
        return response(layout(call, title: "输入有误", body: body), status: status)
    }

    static func failed(_ call: WebCall, _ error: any Error) -> Response {
        let message: String
        switch error {
        case let error as LedgerEnvironmentError: message = error.message
        case let error as CheckFailed: message = error.message
        case let error as LedgerBusy: message = String(describing: error)
        default: message = "服务器内部错误，已记录。请稍后重试或联系系统管理员。"
        }
        return response(layout(call, title: "无法完成", body: "<p class=\"error\">\(message)</p>"), status: .internalServerError)
    }

    /// A report's document as part of a page (the renderer escapes every text).
    static func document(_ report: AnyReport, titled: Bool = true) -> HTML {
        HTML(trusted: HTMLRenderer.fragment(report.document, titled: titled))
    }

    static func table(_ headers: [String], _ rows: [HTML], classes: String = "list") -> HTML {
        let head = headers.map { header -> HTML in "<th>\(header)</th>" }
        return "<table class=\"\(classes)\"><thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table>"
    }

    static func stateBadge(_ state: LifecycleState) -> HTML {
        "<span class=\"state state-\(state.rawValue)\">\(state.chineseName)</span>"
    }

    static func severityBadge(_ severity: Severity) -> HTML {
        "<span class=\"sev sev-\(severity.rawValue)\">\(severity.chineseName)</span>"
    }
}

/// The stylesheet and the one small script, served by the binary.
enum Assets {
    static let stylesheet: String = HTMLRenderer.stylesheet(.landscape).replacingOccurrences(
        of: "body { font-family", with: "body.report-body { font-family") + """

        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               font-size: 14px; color: #1d1d1d; margin: 0; background: #f6f4ef; }
        header.bar { display: flex; align-items: center; gap: 24px; background: #8b1a1a; color: #fff; padding: 8px 20px; flex-wrap: wrap; }
        header.bar a { color: #fff; text-decoration: none; }
        header.bar .brand { font-weight: bold; font-size: 17px; letter-spacing: 0.08em; }
        header.bar nav { display: flex; gap: 16px; flex: 1; }
        header.bar nav a:hover, header.bar .who a:hover { text-decoration: underline; }
        header.bar .who { display: flex; gap: 10px; align-items: center; font-size: 13px; }
        header.bar .role { background: rgba(255,255,255,0.18); padding: 1px 8px; border-radius: 10px; }
        main { max-width: 1500px; margin: 0 auto; padding: 14px 20px 40px; background: #fff; min-height: 80vh; }
        h1.page-title { text-align: left; font-size: 20px; margin: 6px 0 12px; letter-spacing: 0.05em; }
        footer.foot { text-align: center; color: #777; font-size: 12px; padding: 12px; }
        form.inline { display: inline; margin: 0; }
        button.link { background: none; border: none; color: inherit; cursor: pointer; font: inherit; padding: 0; text-decoration: underline; }
        table.list { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
        table.list th, table.list td { border: 1px solid #c9c4b8; padding: 4px 6px; vertical-align: top; }
        table.list thead th { background: #f1ede4; position: sticky; top: 0; }
        table.list td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.list td.nowrap, table.list td.code { white-space: nowrap; }
        table.list tr.total td { font-weight: bold; border-top: 3px double #333; }
        table.list tbody tr:hover { background: #fbf7ea; }
        .filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; background: #faf8f3; border: 1px solid #e2dccd; padding: 8px 10px; margin: 0 0 10px; }
        .filters label { display: flex; flex-direction: column; font-size: 12px; color: #555; gap: 2px; }
        input, select, textarea { font: inherit; padding: 3px 6px; border: 1px solid #aaa; border-radius: 3px; }
        button, .button { font: inherit; padding: 4px 12px; border: 1px solid #8b1a1a; background: #8b1a1a; color: #fff; border-radius: 3px; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: #8b1a1a; }
        .tabs { display: flex; flex-wrap: wrap; gap: 2px; border-bottom: 2px solid #8b1a1a; margin: 8px 0 12px; }
        .tabs a { padding: 6px 12px; text-decoration: none; color: #333; background: #f1ede4; border-radius: 4px 4px 0 0; }
        .tabs a.current { background: #8b1a1a; color: #fff; }
        .error { color: #a00000; background: #fff0f0; border: 1px solid #e3b5b5; padding: 8px 10px; }
        .notice { background: #f3f8ee; border: 1px solid #bcd5a8; padding: 8px 10px; }
        .secret { font-family: monospace; font-size: 18px; background: #fff8d8; padding: 4px 10px; border: 1px dashed #b59a00; }
        .state { padding: 1px 6px; border-radius: 3px; background: #eee; white-space: nowrap; }
        .state-revoked { background: #f6d5d5; color: #8b0000; } .state-accepted { background: #dcefd8; color: #1d5d14; }
        .state-rectification, .state-re-inspection { background: #fbe9c8; color: #7a4b00; }
        .sev { padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
        .sev-violation { background: #a00000; color: #fff; } .sev-warning { background: #e8a317; color: #fff; } .sev-notice { background: #ddd; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin: 8px 0 14px; }
        .card { border: 1px solid #e2dccd; background: #faf8f3; padding: 8px 10px; }
        .card .label { font-size: 12px; color: #666; } .card .value { font-size: 17px; font-variant-numeric: tabular-nums; }
        .pager { display: flex; gap: 10px; align-items: center; margin: 6px 0; }
        .downloads a { margin-right: 8px; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; }
        dl.meta dt { color: #666; } dl.meta dd { margin: 0; word-break: break-all; }
        .login { max-width: 380px; margin: 40px auto; display: flex; flex-direction: column; gap: 10px; }
        .login label { display: flex; flex-direction: column; gap: 3px; }
        section.actions form { margin: 6px 0; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
        .muted { color: #777; }
        @media print { header.bar, footer.foot, .filters, .tabs, .downloads, form { display: none; } main { max-width: none; } }
        """

    /// Progressive enhancement only: filters submit when a select changes, and a confirmation
    /// before a form marked `data-confirm` is sent. Every page works without it.
    static let script = """
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("form.filters select").forEach(function (select) {
            select.addEventListener("change", function () { select.form.submit(); });
          });
          document.querySelectorAll("form[data-confirm]").forEach(function (form) {
            form.addEventListener("submit", function (event) {
              if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
            });
          });
          document.querySelectorAll("[data-back]").forEach(function (link) {
            link.addEventListener("click", function (event) { event.preventDefault(); history.back(); });
          });
        });
        """
}
