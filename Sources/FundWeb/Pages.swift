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
        if Access.actions(of: role).contains(.voucherDesk) { links.append("<a href=\"/vouchers\">凭证工作台</a>") }
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
        let status: HTTPResponse.Status = rejection.code == .studioUnknown || rejection.code == .voucherUnknown || rejection.code == .draftUnknown
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

    /// An ISO 8601 UTC instant as people in China read it: "2026-12-05 12:44" (Beijing time);
    /// text that is not an instant is shown as it is.
    static func chinaTime(_ instant: String) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        guard let date = parser.date(from: instant) else { return instant }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
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
        .voucher-lines input { width: 100%; min-width: 4em; }
        .voucher-lines td { position: relative; }
        .voucher-lines .amount { text-align: right; font-variant-numeric: tabular-nums; }
        .voucher-lines .account-name { font-size: 12px; }
        input.invalid, select.invalid { border-color: #a00000; background: #fff0f0; }
        .cell-error { color: #a00000; font-size: 12px; }
        .daxie { font-weight: bold; letter-spacing: 0.05em; }
        .form-buttons { display: flex; gap: 10px; align-items: center; margin: 10px 0; }
        .suggest { position: absolute; z-index: 10; background: #fff; border: 1px solid #8b1a1a; min-width: 22em; max-height: 16em; overflow-y: auto;
                   margin: 0; padding: 0; list-style: none; box-shadow: 0 2px 6px rgba(0,0,0,0.2); }
        .suggest li { padding: 3px 8px; cursor: pointer; white-space: nowrap; }
        .suggest li.active, .suggest li:hover { background: #8b1a1a; color: #fff; }
        .draft-submitted { background: #fbe9c8; color: #7a4b00; } .draft-reviewed { background: #dcefd8; color: #1d5d14; }
        .draft-returned { background: #f6d5d5; color: #8b0000; } .draft-posted { background: #e0e6f5; color: #1d3a7a; }
        @media print { header.bar, footer.foot, .filters, .tabs, .downloads, form { display: none; } main { max-width: none; } }
        """

    /// Progressive enhancement only: filters submit when a select changes, and a confirmation
    /// before a form marked `data-confirm` is sent. Every page works without it.
    static let script = """
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("form.filters select").forEach(function (select) {
            if (select.closest(".voucher-form")) { return; }
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
          document.querySelectorAll("form.voucher-form").forEach(voucherForm);
        });

        // The voucher form (填制凭证): keyboard first, as in the ERP forms accountants know.
        function voucherForm(form) {
          var choices = JSON.parse(form.getAttribute("data-choices") || "[]");
          var body = form.querySelector(".voucher-lines tbody");
          var count = form.querySelector("input[name=line_count]");
          var digits = "零壹贰叁肆伍陆柒捌玖";
          function fen(text) {
            var t = (text || "").replace(/[,，\\s]/g, "");
            if (!/^-?\\d+(\\.\\d{1,2})?$/.test(t)) { return null; }
            var negative = t.charAt(0) === "-"; if (negative) { t = t.slice(1); }
            var parts = t.split("."); var cents = parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
            return negative ? -cents : cents;
          }
          function yuan(cents) {
            var negative = cents < 0; cents = Math.abs(cents);
            var whole = Math.floor(cents / 100).toString().replace(/\\B(?=(\\d{3})+(?!\\d))/g, ",");
            var rest = ("0" + (cents % 100)).slice(-2);
            return (negative ? "-" : "") + whole + "." + rest;
          }
          // 大写金额, as AmountText.uppercase writes it on the printed voucher.
          function groupWords(group) {
            var text = "", pending = false, units = ["", "拾", "佰", "仟"];
            for (var place = 3; place >= 0; place--) {
              var d = Math.floor(group / Math.pow(10, place)) % 10;
              if (d === 0) { if (text !== "") { pending = true; } continue; }
              if (pending) { text += "零"; pending = false; }
              text += digits.charAt(d) + units[place];
            }
            return text;
          }
          function integerWords(value) {
            if (value === 0) { return "零"; }
            var groups = [], rest = value, names = ["", "万", "亿", "万亿", "亿亿"];
            while (rest > 0) { groups.push(rest % 10000); rest = Math.floor(rest / 10000); }
            var text = "", pending = false;
            for (var index = groups.length - 1; index >= 0; index--) {
              var group = groups[index];
              if (group === 0) { if (text !== "") { pending = true; } continue; }
              if (text !== "" && (pending || group < 1000)) { text += "零"; }
              text += groupWords(group) + names[index]; pending = false;
            }
            return text;
          }
          function upper(cents) {
            var text = "人民币" + (cents < 0 ? "负" : ""); cents = Math.abs(cents);
            var whole = Math.floor(cents / 100), jiao = Math.floor(cents / 10) % 10, f = cents % 10;
            if (whole === 0 && (jiao !== 0 || f !== 0)) {
              if (jiao !== 0) { text += digits.charAt(jiao) + "角"; }
              return text + (f !== 0 ? digits.charAt(f) + "分" : "整");
            }
            text += integerWords(whole) + "元";
            if (jiao === 0 && f === 0) { return text + "整"; }
            if (jiao === 0) { return text + "零" + digits.charAt(f) + "分"; }
            if (whole % 10 === 0) { text += "零"; }
            return text + digits.charAt(jiao) + "角" + (f === 0 ? "整" : digits.charAt(f) + "分");
          }
          function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr")); }
          function cell(row, name) { return row.querySelector("[name$=_" + name + "]"); }
          function fundName(value) {
            var option = form.querySelector(".fund option[value='" + value + "']"); return option ? option.textContent : value;
          }
          // 平行记账: a line on an account of classes 6–8 is budget accounting; it balances among
          // the budget lines and stays out of the 合计, which is the financial lines'.
          function isBudget(row) { return /^[678]/.test(cell(row, "account").value.trim()); }
          function totals() {
            var debit = 0, credit = 0, perFund = {};
            rows().forEach(function (row) {
              if (isBudget(row)) { return; }
              var fund = cell(row, "fund").value, d = fen(cell(row, "debit").value), c = fen(cell(row, "credit").value);
              if (d !== null) { debit += d; perFund[fund] = (perFund[fund] || 0) + d; }
              if (c !== null) { credit += c; perFund[fund] = (perFund[fund] || 0) - c; }
            });
            form.querySelector(".sum-debit").textContent = yuan(debit);
            form.querySelector(".sum-credit").textContent = yuan(credit);
            form.querySelector(".daxie").textContent = upper(Math.max(debit, credit));
            var notes = [];
            Object.keys(perFund).forEach(function (fund) { if (perFund[fund] !== 0) { notes.push(fundName(fund) + "借贷差 " + yuan(perFund[fund])); } });
            var balance = form.querySelector(".fund-balance");
            balance.textContent = notes.length ? notes.join("；") : (debit > 0 ? "各资金借贷平衡" : "");
            balance.classList.toggle("cell-error", notes.length > 0);
          }
          function balancing(row, side) {
            var fund = cell(row, "fund").value, net = 0;
            rows().forEach(function (other) {
              if (other === row || cell(other, "fund").value !== fund || isBudget(other) !== isBudget(row)) { return; }
              var d = fen(cell(other, "debit").value), c = fen(cell(other, "credit").value);
              if (d !== null) { net += d; } if (c !== null) { net -= c; }
            });
            var amount = side === "debit" ? -net : net;
            return amount > 0 ? amount : null;
          }
          function accepts(choice, row) { return choice.funds.indexOf(cell(row, "fund").value) >= 0; }
          function accountName(input) {
            var code = input.value.trim(), found = choices.filter(function (c) { return c.code === code; })[0];
            var label = input.parentNode.querySelector(".account-name"); if (label) { label.textContent = found ? found.name : ""; }
          }
          var list = null, items = [], active = 0, owner = null;
          function closeList() { if (list) { list.remove(); list = null; owner = null; } }
          function openList(input) {
            var row = input.closest("tr"), q = input.value.trim().toLowerCase();
            items = choices.filter(function (c) {
              return accepts(c, row) && (q === "" || c.code.indexOf(q) === 0 || c.name.indexOf(input.value.trim()) >= 0 || c.initials.indexOf(q) >= 0);
            }).slice(0, 12);
            closeList();
            if (!items.length) { return; }
            list = document.createElement("ul"); list.className = "suggest"; list.setAttribute("role", "listbox"); owner = input; active = 0;
            items.forEach(function (c, i) {
              var li = document.createElement("li"); li.textContent = c.code + "  " + c.name; li.setAttribute("role", "option");
              li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
              list.appendChild(li);
            });
            input.parentNode.appendChild(list); highlight();
          }
          function highlight() { if (!list) { return; } Array.prototype.forEach.call(list.children, function (li, i) { li.classList.toggle("active", i === active); }); }
          function choose(i) { if (!owner || !items[i]) { return; } owner.value = items[i].code; accountName(owner); var input = owner; closeList(); next(input); }
          function fields() {
            return Array.prototype.slice.call(form.querySelectorAll(".voucher-lines input, .voucher-lines select"));
          }
          function addRow() {
            var last = rows()[rows().length - 1], index = rows().length, copy = last.cloneNode(true);
            copy.setAttribute("data-line", index);
            copy.querySelector("td").textContent = String(index + 1);
            copy.querySelectorAll("input, select").forEach(function (field) {
              field.name = field.name.replace(/^l\\d+_/, "l" + index + "_");
              if (field.tagName === "INPUT") { field.value = ""; } else { field.value = cell(last, "fund").value; }
              field.classList.remove("invalid"); field.removeAttribute("aria-invalid");
              var label = field.getAttribute("aria-label"); if (label) { field.setAttribute("aria-label", label.replace(/第\\d+行/, "第" + (index + 1) + "行")); }
            });
            copy.querySelectorAll(".cell-error, .suggest").forEach(function (node) { node.remove(); });
            var name = copy.querySelector(".account-name"); if (name) { name.textContent = ""; }
            body.appendChild(copy); count.value = String(rows().length); bind(copy);
          }
          function next(field) {
            var all = fields(), at = all.indexOf(field);
            if (at === all.length - 1) { addRow(); all = fields(); }
            var target = all[at + 1];
            // From the last amount cell of a line, skip the invoice cells to the next line's 摘要.
            if (field.classList.contains("credit") || (field.classList.contains("debit") && field.value.trim() !== "")) {
              var row = field.closest("tr"), following = row.nextElementSibling;
              if (!following) { addRow(); following = row.nextElementSibling; }
              target = cell(following, "memo");
            }
            if (target) { target.focus(); if (target.select) { target.select(); } }
          }
          function bind(row) {
            row.querySelectorAll("input, select").forEach(function (field) {
              field.addEventListener("keydown", function (event) {
                if (list && owner === field) {
                  if (event.key === "ArrowDown") { active = Math.min(active + 1, items.length - 1); highlight(); event.preventDefault(); return; }
                  if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); highlight(); event.preventDefault(); return; }
                  if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); return; }
                  if (event.key === "Escape") { closeList(); return; }
                }
                if (event.key === "=" && field.classList.contains("amount")) {
                  event.preventDefault();
                  var amount = balancing(field.closest("tr"), field.classList.contains("debit") ? "debit" : "credit");
                  if (amount !== null) { field.value = yuan(amount).replace(/,/g, ""); totals(); }
                  return;
                }
                if (event.key === "Enter" && !event.ctrlKey) { event.preventDefault(); next(field); }
              });
              if (field.classList.contains("account")) {
                field.removeAttribute("list");
                field.addEventListener("input", function () { openList(field); });
                field.addEventListener("focus", function () { if (field.value === "") { openList(field); } });
                field.addEventListener("blur", function () { setTimeout(function () { if (owner === field) { closeList(); } }, 150); accountName(field); });
              }
              if (field.classList.contains("memo")) {
                field.addEventListener("input", function () {
                  // ".." or "//" copies the line above's 摘要, as in the ERP forms.
                  var v = field.value, above = field.closest("tr").previousElementSibling;
                  if ((v === ".." || v === "//") && above) { field.value = cell(above, "memo").value; }
                });
              }
              field.addEventListener("input", totals);
              field.addEventListener("change", totals);
            });
          }
          rows().forEach(bind);
          form.addEventListener("keydown", function (event) {
            if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
              event.preventDefault(); var save = document.querySelector("button[form=" + form.id + "][value=save]"); if (save) { save.click(); } else { form.submit(); }
            }
          });
          form.querySelectorAll(".voucher-head input").forEach(function (field) {
            field.addEventListener("keydown", function (event) {
              if (event.key === "Enter") { event.preventDefault(); var all = fields(); if (all.length) { all[0].focus(); } }
            });
          });
          totals();
        }
        """
}
