import FundCore
import FundReports
import Foundation

/// The books as an hledger journal: accounts are `资金:一级科目:二级科目…` (each level "code
/// name"), amounts in CNY with two decimals, one transaction per voucher with its number as the
/// code and its hash as a tag. `hledger balance` then gives our trial balance per fund.
public enum HledgerExport {
    public static func journal(_ books: BooksSnapshot) -> String {
        var out = """
            ; WorkshopLedger 导出：\(books.hostUnit.name) \(books.studio.name)（\(books.studio.code)）
            ; 截至 \(books.asOf.iso)，\(books.vouchers.count) 张凭证（含红字冲销）；金额单位：元（CNY）
            ; 账户：资金来源:科目（4-2-2 各级"编码 名称"）

            commodity 1,000.00 CNY

            """
        for code in books.postedAccounts {
            for fund in Fund.allCases where books.vouchers.contains(where: { $0.draft.lines.contains { $0.account == code && $0.fund == fund } }) {
                out += "account \(account(code, fund: fund, chart: books.chart))\n"
            }
        }
        out += "\n"
        var names = AccountNames { account($0, fund: $1, chart: books.chart) }
        for voucher in books.vouchers {
            let note = voucher.kind.link.map { " \(voucher.kind.code):\($0.period.iso) \($0.label)" } ?? ""
            out += "\(voucher.draft.date.iso) * (\(voucher.ref.period.iso) \(voucher.ref.label)) \(clean(BooksSnapshot.description(voucher)))"
            out += "  ; counterparty:\(clean(voucher.draft.counterparty)), hash:\(voucher.hash)\(note.isEmpty ? "" : ",\(note)")\n"
            for line in voucher.draft.lines {
                out += "    \(names[line.account, line.fund])  \(line.signedAmount.plainString) CNY  ; \(clean(line.memo))\n"
            }
            out += "\n"
        }
        return out
    }

    /// 补助资金:1002 银行存款:100201 项目资金专户.
    public static func account(_ code: String, fund: Fund, chart: ChartOfAccounts) -> String {
        var levels: [String] = []
        var current: String? = code
        while let each = current {
            levels.insert("\(each) \(clean(chart[each]?.name ?? "未知科目"))", at: 0)
            current = chart[each]?.parentCode
        }
        return ([fund.chineseName] + levels).joined(separator: ":")
    }

    /// Names and memos on one line, without the characters hledger reads as syntax: colons
    /// (account separators), semicolons (comments), runs of spaces (the amount separator).
    static func clean(_ text: String) -> String {
        // Most memos have nothing to replace.
        var previous: UInt8 = 0
        if !text.utf8.contains(where: { byte in
            defer { previous = byte }
            return byte == 0x3A || byte == 0x3B || byte < 0x20 || (byte == 0x20 && (previous == 0x20 || previous == 0))
        }), text.utf8.last != 0x20 {
            return text
        }
        var out = ""
        var lastSpace = false
        for character in text {
            let mapped: Character = switch character {
            case ":": "："
            case ";": "；"
            case "\n", "\r", "\t": " "
            default: character
            }
            if mapped == " " {
                if lastSpace { continue }
                lastSpace = true
            } else {
                lastSpace = false
            }
            out.append(mapped)
        }
        return out.trimmingSpaces
    }
}

/// The books as a beancount file: `Assets:Subsidy:1002:100201` (beancount needs an English
/// root and components that start with a capital or a digit; the Chinese names go into each
/// account's `name` metadata), one transaction per voucher, `bean-check` clean.
public enum BeancountExport {
    public static func file(_ books: BooksSnapshot) -> String {
        var out = """
            ; WorkshopLedger 导出：\(books.hostUnit.name) \(books.studio.name)（\(books.studio.code)）
            ; 截至 \(books.asOf.iso)，\(books.vouchers.count) 张凭证（含红字冲销）；金额单位：元（CNY）
            option "title" "\(quoted("\(books.studio.name)（\(books.studio.code)）"))"
            option "operating_currency" "CNY"

            """
        let openDate = books.firstDate.iso
        for code in books.postedAccounts {
            for fund in Fund.allCases where books.vouchers.contains(where: { $0.draft.lines.contains { $0.account == code && $0.fund == fund } }) {
                out += "\(openDate) open \(account(code, fund: fund, chart: books.chart)) CNY\n"
                out += "  name: \"\(quoted("\(fund.chineseName) \(code) \(path(code, chart: books.chart))"))\"\n"
            }
        }
        out += "\n"
        var names = AccountNames { account($0, fund: $1, chart: books.chart) }
        for voucher in books.vouchers {
            out += "\(voucher.draft.date.iso) * \"\(quoted(voucher.draft.counterparty))\" \"\(quoted(BooksSnapshot.description(voucher)))\"\n"
            out += "  voucher: \"\(voucher.ref.period.iso) \(voucher.ref.label)\"\n"
            out += "  hash: \"\(voucher.hash)\"\n"
            if let link = voucher.kind.link {
                out += "  \(voucher.kind.code): \"\(link.period.iso) \(link.label)\"\n"
            }
            for line in voucher.draft.lines {
                out += "  \(names[line.account, line.fund])  \(line.signedAmount.plainString) CNY\n"
                out += "    memo: \"\(quoted(line.memo))\"\n"
            }
            out += "\n"
        }
        return out
    }

    public static func root(_ type: AccountType) -> String {
        switch type {
        case .asset: "Assets"
        case .liability: "Liabilities"
        case .netAssets: "Equity"
        case .revenue: "Income"
        case .expense: "Expenses"
        // Beancount allows only its five roots. Budget accounting (classes 6–8) restates the
        // cash, so it sits under Equity, in a `Budget` branch of each fund
        // (`account(_:fund:chart:)`), where no income statement adds it to the financial books.
        case .budgetRevenue, .budgetExpenditure, .budgetBalance: "Equity"
        }
    }

    public static func fundComponent(_ fund: Fund) -> String {
        switch fund {
        case .subsidy: "Subsidy"
        case .enterprise: "Enterprise"
        case .selfRaised: "SelfRaised"
        }
    }

    /// Assets:Subsidy:1002:100201; a budget account Equity:Subsidy:Budget:6601:660101.
    public static func account(_ code: String, fund: Fund, chart: ChartOfAccounts) -> String {
        var levels: [String] = []
        var current: String? = code
        while let each = current {
            levels.insert(each, at: 0)
            current = chart[each]?.parentCode
        }
        let type = chart[code]?.type ?? .asset
        return ([root(type), fundComponent(fund)] + (type.isBudget ? ["Budget"] : []) + levels).joined(separator: ":")
    }

    static func path(_ code: String, chart: ChartOfAccounts) -> String {
        chart.namePath(code).joined(separator: "—")
    }

    static func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return text }
        return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: " ")
    }
}

/// An export's account names, each worked out once (the chart walk is per account, not per
/// posting line).
struct AccountNames {
    private var names: [String: String] = [:]
    private let make: (String, Fund) -> String

    init(_ make: @escaping (String, Fund) -> String) { self.make = make }

    subscript(code: String, fund: Fund) -> String {
        mutating get {
            let key = fund.rawValue + "|" + code
            if let name = names[key] { return name }
            let name = make(code, fund)
            names[key] = name
            return name
        }
    }
}
