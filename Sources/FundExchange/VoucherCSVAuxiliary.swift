import FundCore

// What the ERPs' own voucher exports add to a row: the fund named in a 辅助核算 column
// (核算项目 `项目:001 补助资金`, `[项目]补助资金`, `项目—补助资金`), the currency (人民币 only),
// 会计年度/会计期间 beside the date, and account codes in the host unit's own chart.

extension VoucherCSVReader {
    /// The row's account (ours) and fund: from 资金来源, else the default fund (`--fund`), else
    /// from the 核算项目 value; with host codes, their code + project translated through the
    /// mapping.
    func accountAndFund(_ value: RowFields, memos: inout ParseMemos) throws(Rejection) -> (account: String, fund: Fund) {
        let account = value(.account)
        let fundText = value(.fund)
        let auxiliary = value(.auxiliary)
        if hostCodes, let mapping {
            return try translate(hostAccount: account, fundText: fundText, auxiliary: auxiliary, mapping: mapping)
        }
        if !fundText.isEmpty {
            return (account, try memos.funds.value(fundText) { text throws(Rejection) in try Fund.parse(text) })
        }
        // `--fund` is the accountant's word for the whole file: it wins over a 核算项目 column.
        if let defaultFund { return (account, defaultFund) }
        if !auxiliary.isEmpty { return (account, try fund(namedBy: auxiliary)) }
        if value.columns[.fund] == nil {
            throw Rejection(.importAuxiliary, field: Column.auxiliary.chineseName, "核算项目为空：无法确定该行的资金来源")
        }
        return (account, try Fund.parse(fundText))
    }

    /// The one fund a 核算项目 value names, directly (补助资金) or through the host unit's
    /// project codes and names.
    func fund(namedBy auxiliary: String) throws(Rejection) -> Fund {
        var funds = Set<Fund>()
        for token in Self.auxiliaryTokens(auxiliary) {
            if let fund = try? Fund.parse(token) { funds.insert(fund) }
            if let mapping { funds.formUnion(mapping.funds(namedByProject: token)) }
        }
        if funds.count == 1, let fund = funds.first { return fund }
        let names = Fund.allCases.filter(funds.contains).map(\.chineseName).joined(separator: "、")
        throw Rejection(
            .importAuxiliary, field: Column.auxiliary.chineseName,
            funds.isEmpty
                ? "核算项目“\(auxiliary)”没有指明资金来源（应含 补助资金/企业支持资金/自筹资金\(mapping == nil ? "" : "，或依托单位科目对照表中的项目编码、项目名称")）"
                : "核算项目“\(auxiliary)”同时指向多个资金来源（\(names)）")
    }

    /// Their account code + project → our account and fund. A code the mapping lacks is
    /// I015 (gathered into one error by the collector: the message is the code).
    func translate(
        hostAccount: String, fundText: String, auxiliary: String, mapping: HostAccountMapping
    ) throws(Rejection) -> (account: String, fund: Fund) {
        let candidates = mapping.entries(hostAccount: hostAccount)
        guard !candidates.isEmpty else {
            throw Rejection(.importHostAccountUnmapped, field: Column.account.chineseName, hostAccount)
        }
        var tokens = Self.auxiliaryTokens(auxiliary)
        if !fundText.isEmpty { tokens.append(fundText) }
        if tokens.isEmpty {
            // No project on the row: the one line of this code, or its one line without a project.
            let bare = candidates.count == 1 ? candidates : candidates.filter { $0.projectCode.isEmpty }
            if bare.count == 1 { return (bare[0].account, bare[0].fund) }
        }
        let matched = candidates.filter { entry in
            tokens.contains { token in
                (!entry.projectCode.isEmpty && token == entry.projectCode) || (!entry.projectName.isEmpty && token == entry.projectName)
                    || (try? Fund.parse(token)) == entry.fund
            }
        }
        if matched.count == 1 { return (matched[0].account, matched[0].fund) }
        let lines = candidates.map { "\($0.projectCode.isEmpty ? "（无项目）" : $0.projectCode) → \($0.account) \($0.fund.chineseName)" }
        throw Rejection(
            .importAuxiliary, field: Column.auxiliary.chineseName,
            "依托单位科目 \(hostAccount) 的核算项目“\(auxiliary)”在科目对照表中"
                + (matched.isEmpty ? "对应不到任何一行" : "对应 \(matched.count) 行") + "（该科目的对照：\(lines.joined(separator: "；"))）")
    }

    /// The texts of a 核算项目 value that may name a project or fund: its project items (an
    /// item of another category such as 部门 or 职员 is skipped), each whole and split into code
    /// and name. `项目:001 补助资金` → ["001 补助资金", "001", "补助资金"].
    static func auxiliaryTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        func add(_ token: Substring) {
            let trimmed = String(token).trimmingSpaces
            if !trimmed.isEmpty && !tokens.contains(trimmed) { tokens.append(trimmed) }
        }
        for item in text.split(whereSeparator: { ";；|\n".contains($0) }) {
            let (category, rest) = splitCategory(String(item).trimmingSpaces)
            if let category, !(category.contains("项目") || category.contains("资金")) { continue }
            add(Substring(rest))
            for piece in rest.split(whereSeparator: { " \t　-－—_/、".contains($0) }) { add(piece) }
        }
        return tokens
    }

    /// `[项目]x`, `【项目】x`, `项目:x`, `项目：x`, `项目—x` → ("项目", "x"); anything else
    /// has no category.
    static func splitCategory(_ item: String) -> (category: String?, rest: String) {
        if let open = item.first, open == "[" || open == "【" {
            let close: Character = open == "[" ? "]" : "】"
            if let end = item.firstIndex(of: close) {
                return (String(item[item.index(after: item.startIndex)..<end]).trimmingSpaces, String(item[item.index(after: end)...]))
            }
        }
        if let colon = item.firstIndex(where: { $0 == ":" || $0 == "：" }) {
            return (String(item[..<colon]).trimmingSpaces, String(item[item.index(after: colon)...]))
        }
        for label in ["核算项目", "辅助项目", "项目", "资金来源", "资金性质"] where item.hasPrefix(label) {
            let rest = item.dropFirst(label.count)
            if let first = rest.first, "-－—_ ".contains(first) {
                return (label, String(rest.drop(while: { "-－—_ ".contains($0) })))
            }
        }
        return (nil, item)
    }

    /// 币别 must be 人民币; 会计年度/会计期间, when given, must be the date's.
    static func checkCurrencyAndPeriod(_ value: RowFields, date: CalendarDate) throws(Rejection) {
        let currency = value(.currency)
        guard currency.isEmpty || renminbi.contains(currency.lowercased()) else {
            throw Rejection(
                .importCurrency, field: Column.currency.chineseName,
                "币别“\(currency)”不是人民币：项目账簿只记人民币（外币业务请按记账汇率折成人民币后导入）")
        }
        let yearText = value(.fiscalYear)
        if !yearText.isEmpty && Int(yearText) != date.year {
            throw Rejection(
                .importFiscalPeriod, field: Column.fiscalYear.chineseName, "会计年度“\(yearText)”与凭证日期 \(date.iso) 不符")
        }
        let periodText = value(.fiscalPeriod)
        if !periodText.isEmpty && !periodMatches(periodText, date) {
            throw Rejection(
                .importFiscalPeriod, field: Column.fiscalPeriod.chineseName, "会计期间“\(periodText)”与凭证日期 \(date.iso) 不符")
        }
    }

    /// 会计期间 as 金蝶 writes it (12) or with its year (2025-12, 2025.12, 202512).
    static func periodMatches(_ text: String, _ date: CalendarDate) -> Bool {
        if let month = Int(text), text.count <= 2 { return month == date.month }
        let digits = text.filter { $0.isASCII && $0.isNumber }
        let pieces = text.split(whereSeparator: { !($0.isASCII && $0.isNumber) })
        if pieces.count == 2, let year = Int(pieces[0]), let month = Int(pieces[1]) {
            return year == date.year && month == date.month
        }
        if digits.count == 6, let key = Int(digits) { return key == date.period.key }
        return false
    }

    /// I015: every host code the mapping lacks, with its lines, in one rejection.
    static func unmappedRejection(_ found: [(code: String, line: Int)]) -> Rejection {
        var order: [String] = []
        var lines: [String: [Int]] = [:]
        for (code, line) in found {
            if lines[code] == nil { order.append(code) }
            lines[code, default: []].append(line)
        }
        let listed = order.map { code in "\(code)（第 \(lines[code]!.map(String.init).joined(separator: "、")) 行）" }
        return Rejection(
            .importHostAccountUnmapped, field: Column.account.chineseName,
            "以下 \(order.count) 个依托单位科目编码不在科目对照表中（先用 mapping import 补上对照）：\(listed.joined(separator: "；"))")
    }
}
