import FundCore
import FundReports
import Foundation

/// The flat tables AO (审计署现场审计实施系统) and other audit tools map on import: 会计科目表,
/// 科目余额表 and 凭证库 (one row per voucher line, with 对方科目). Text, to be written as
/// UTF-8 with BOM and as GB18030, by `CSVWriter`: amounts and counts are number fields, the rest
/// (memos, names, codes) text fields, defused when they start like a formula.
public enum AOTablesExport {
    public static func tables(_ books: BooksSnapshot) throws(Rejection) -> [(name: String, text: String)] {
        [
            ("会计科目表.csv", accounts(books)),
            ("科目余额表.csv", try balances(books)),
            ("凭证库.csv", journal(books)),
        ]
    }

    static func accounts(_ books: BooksSnapshot) -> String {
        var csv = CSVWriter()
        csv.row(text: ["科目编码", "科目名称", "科目全称", "科目类型", "余额方向", "上级科目编码", "科目级次", "是否末级", "限用资金"])
        for account in books.chart.accounts {
            csv.row([
                .text(account.code), .text(account.name), .text(path(account.code, books.chart)), .text(account.type.chineseName),
                .text(account.normalSide.chinese), .text(account.parentCode ?? ""), .count(account.level),
                .text(account.isLeaf ? "是" : "否"), .text(account.funds.map(\.chineseName).joined(separator: "、")),
            ])
        }
        return csv.text
    }

    static func balances(_ books: BooksSnapshot) throws(Rejection) -> String {
        let balance = try books.trialBalance()
        var csv = CSVWriter()
        csv.row(text: [
            "资金来源", "科目编码", "科目名称", "科目级次", "是否末级", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方",
        ])
        for section in balance.sections {
            let fund = section.fund?.chineseName ?? "合计"
            for row in section.rows {
                csv.row([
                    .text(fund), .text(row.account), .text(row.name), .count(row.level), .text(row.isLeaf ? "是" : "否"),
                    .money(debit(row.opening)), .money(credit(row.opening)), .money(row.debit), .money(row.credit),
                    .money(debit(row.closing)), .money(credit(row.closing)),
                ])
            }
        }
        return csv.text
    }

    static func journal(_ books: BooksSnapshot) -> String {
        var csv = CSVWriter()
        csv.row(text: [
            "凭证日期", "会计期间", "凭证类型", "凭证号", "分录号", "科目编码", "科目名称", "摘要", "借方金额", "贷方金额", "对方科目", "资金来源",
            "工作室", "附件数", "制单人", "审核人", "记账人", "结算方式", "往来单位", "发票", "凭证性质", "关联凭证",
        ])
        for voucher in books.vouchers {
            let kind: String = switch voucher.kind {
            case .normal: "正常"
            case .reversal: "红字冲销"
            case .correction: "订正"
            }
            for (index, line) in voucher.draft.lines.enumerated() {
                csv.row([
                    .text(voucher.draft.date.iso), .text(voucher.ref.period.iso), .text(voucher.ref.voucherClass.rawValue),
                    .count(voucher.ref.number), .count(index + 1), .text(line.account), .text(path(line.account, books.chart)),
                    .text(line.memo), .money(line.side == .debit ? line.amount : .zero), .money(line.side == .credit ? line.amount : .zero),
                    .text(BooksSnapshot.counterAccounts(voucher, line: index)), .text(line.fund.chineseName), .text(books.studio.code),
                    .count(voucher.draft.attachments), .text(voucher.draft.preparer), .text(voucher.draft.reviewer),
                    .text(voucher.draft.poster), .text(voucher.draft.settlement?.chineseName ?? ""), .text(voucher.draft.counterparty),
                    .text(line.invoice?.description ?? ""), .text(kind), .text(voucher.kind.link.map { "\($0.period.iso) \($0.label)" } ?? ""),
                ])
            }
        }
        return csv.text
    }

    static func debit(_ balance: Money) -> Money { balance.fen > 0 ? balance : .zero }
    static func credit(_ balance: Money) -> Money { balance.fen < 0 ? balance.magnitude : .zero }

    static func path(_ code: String, _ chart: ChartOfAccounts) -> String {
        chart.namePath(code).joined(separator: "\\")
    }
}

/// GB/T 24589-style XML (the accounting-software data interface standard): a 公共档案 file and
/// a 总账 file, GB18030, in the standard's namespace (part 1 for enterprises, part 2 for public
/// institutions), dates as yyyyMMdd. The fund source and the studio go out as 自定义档案项 01 and
/// 02, referenced from every balance and voucher line through 辅助项1 and 辅助项2.
public enum GBT24589Export {
    public static let enterpriseNamespace = "http://sxbw.audit.gov.cn/AccountingSoftwareDataInterfaceStandard/2010/SOE/XMLSchema"
    public static let publicInstitutionNamespace = "http://sxbw.audit.gov.cn/AccountingSoftwareDataInterfaceStandard/2010/PSGA/XMLSchema"

    public static func namespace(for kind: HostUnitKind) -> String {
        kind == .enterprise ? enterpriseNamespace : publicInstitutionNamespace
    }

    /// (file name, GB18030 bytes) for 公共档案.xml and 总账.xml.
    public static func files(_ books: BooksSnapshot) throws(Rejection) -> [(name: String, data: Data)] {
        [
            ("公共档案.xml", TextEncoding.encode(publicArchive(books), as: .gb18030)),
            ("总账.xml", TextEncoding.encode(try generalLedger(books), as: .gb18030)),
        ]
    }

    static func compact(_ date: CalendarDate) -> String { date.compact }

    public static func publicArchive(_ books: BooksSnapshot) -> String {
        var xml = XMLWriter(root: "公共档案", namespace: namespace(for: books.hostUnit.kind))
        let range = books.periodRange
        xml.element("电子账簿") { xml in
            xml.leaf("电子账簿编号", books.studio.code)
            xml.leaf("电子账簿名称", "\(books.studio.name)项目资金账")
            xml.leaf("会计核算单位", books.hostUnit.name)
            xml.leaf("组织机构代码", books.hostUnit.creditCode.description)
            xml.leaf("单位性质", books.hostUnit.kind.chineseName)
            xml.leaf("行业", books.studio.field)
            xml.leaf("开发单位", "WorkshopLedger")
            xml.leaf("版本号", "GB/T 24589-2010")
            xml.leaf("本位币", "CNY")
            xml.leaf("会计年度起始", String(range.from.year))
            xml.leaf("数据截止日期", compact(books.asOf))
        }
        var period = Period(year: range.from.year, month: 1)!
        let last = Period(year: range.to.year, month: 12)!
        while period <= last {
            xml.element("会计期间") { xml in
                xml.leaf("会计年度", String(period.year))
                xml.leaf("会计期间号", String(period.month))
                xml.leaf("会计期间起始日期", compact(period.firstDay))
                xml.leaf("会计期间结束日期", compact(period.lastDay))
            }
            period = period.next
        }
        for voucherClass in VoucherClass.allCases {
            xml.element("记账凭证类型") { xml in
                xml.leaf("记账凭证类型编号", voucherClass.rawValue)
                xml.leaf("记账凭证类型名称", "\(voucherClass.rawValue)账凭证")
            }
        }
        xml.element("币种") { xml in
            xml.leaf("币种编码", "CNY")
            xml.leaf("币种名称", "人民币")
            xml.leaf("是否本位币", "是")
        }
        xml.element("自定义档案项") { xml in
            xml.leaf("自定义档案项编号", "01")
            xml.leaf("自定义档案项名称", "资金来源")
        }
        xml.element("自定义档案项") { xml in
            xml.leaf("自定义档案项编号", "02")
            xml.leaf("自定义档案项名称", "技能大师工作室")
        }
        for fund in Fund.allCases {
            xml.element("自定义档案项值") { xml in
                xml.leaf("自定义档案项编号", "01")
                xml.leaf("自定义档案项值编号", fund.rawValue)
                xml.leaf("自定义档案项值名称", fund.chineseName)
            }
        }
        xml.element("自定义档案项值") { xml in
            xml.leaf("自定义档案项编号", "02")
            xml.leaf("自定义档案项值编号", books.studio.code)
            xml.leaf("自定义档案项值名称", books.studio.name)
        }
        return xml.finish()
    }

    public static func generalLedger(_ books: BooksSnapshot) throws(Rejection) -> String {
        var xml = XMLWriter(root: "总账", namespace: namespace(for: books.hostUnit.kind))
        let maxLevel = books.chart.accounts.map(\.level).max() ?? 1
        xml.element("总账基础信息") { xml in
            xml.leaf("电子账簿编号", books.studio.code)
            xml.leaf("会计科目编号规则", "4-2-2")
            xml.leaf("科目级数", String(maxLevel))
            xml.leaf("本位币", "CNY")
        }
        for account in books.chart.accounts {
            xml.element("会计科目") { xml in
                xml.leaf("科目编号", account.code)
                xml.leaf("科目名称", account.name)
                xml.leaf("上级科目编号", account.parentCode ?? "")
                xml.leaf("科目级次", String(account.level))
                xml.leaf("科目类型", account.type.chineseName)
                xml.leaf("余额方向", account.normalSide.chinese)
                xml.leaf("是否末级", account.isLeaf ? "是" : "否")
            }
        }
        for account in books.chart.accounts where account.isLeaf {
            for (number, name) in [("01", "资金来源"), ("02", "技能大师工作室")] {
                xml.element("科目辅助核算") { xml in
                    xml.leaf("科目编号", account.code)
                    xml.leaf("辅助项编号", number)
                    xml.leaf("辅助项名称", name)
                }
            }
        }
        // 科目余额及发生额: per month, fund and leaf account with movement or a balance.
        let turnovers = books.turnovers
        let range = books.periodRange
        struct Key: Hashable, Comparable {
            let fund: Fund
            let account: String
            static func < (lhs: Key, rhs: Key) -> Bool { (lhs.fund, lhs.account) < (rhs.fund, rhs.account) }
        }
        var balances: [Key: Money] = [:]
        var byPeriod: [Period: [Key: MonthTurnover]] = [:]
        for turnover in turnovers {
            byPeriod[turnover.period, default: [:]][Key(fund: turnover.fund, account: turnover.account)] = turnover
        }
        var period = range.from
        while period <= range.to {
            let moved = byPeriod[period] ?? [:]
            let keys = Set(balances.filter { !$0.value.isZero }.keys).union(moved.keys).sorted()
            for key in keys {
                let opening = balances[key] ?? .zero
                let debit = moved[key]?.debit ?? .zero
                let credit = moved[key]?.credit ?? .zero
                let closing = try opening.adding(debit).subtracting(credit)
                balances[key] = closing
                xml.element("科目余额及发生额") { xml in
                    xml.leaf("会计年度", String(period.year))
                    xml.leaf("会计期间号", String(period.month))
                    xml.leaf("科目编号", key.account)
                    xml.leaf("辅助项1编号", key.fund.rawValue)
                    xml.leaf("辅助项2编号", books.studio.code)
                    xml.leaf("期初余额方向", direction(opening))
                    xml.leaf("期初余额", opening.magnitude.plainString)
                    xml.leaf("借方发生额", debit.plainString)
                    xml.leaf("贷方发生额", credit.plainString)
                    xml.leaf("期末余额方向", direction(closing))
                    xml.leaf("期末余额", closing.magnitude.plainString)
                }
            }
            period = period.next
        }
        for voucher in books.vouchers {
            for (index, line) in voucher.draft.lines.enumerated() {
                xml.element("记账凭证") { xml in
                    xml.leaf("会计年度", String(voucher.ref.period.year))
                    xml.leaf("会计期间号", String(voucher.ref.period.month))
                    xml.leaf("记账凭证日期", compact(voucher.draft.date))
                    xml.leaf("记账凭证类型编号", voucher.ref.voucherClass.rawValue)
                    xml.leaf("记账凭证编号", String(voucher.ref.number))
                    xml.leaf("记账凭证行号", String(index + 1))
                    xml.leaf("记账凭证摘要", line.memo)
                    xml.leaf("科目编号", line.account)
                    xml.leaf("辅助项1编号", line.fund.rawValue)
                    xml.leaf("辅助项2编号", books.studio.code)
                    xml.leaf("币种编码", "CNY")
                    xml.leaf("借方本币发生额", line.side == .debit ? line.amount.plainString : "0.00")
                    xml.leaf("贷方本币发生额", line.side == .credit ? line.amount.plainString : "0.00")
                    xml.leaf("对方科目编号", BooksSnapshot.counterAccounts(voucher, line: index))
                    xml.leaf("附件数", String(voucher.draft.attachments))
                    xml.leaf("制单人", voucher.draft.preparer)
                    xml.leaf("审核人", voucher.draft.reviewer)
                    xml.leaf("记账人", voucher.draft.poster)
                    xml.leaf("记账标志", "1")
                    xml.leaf("作废标志", "0")
                }
            }
        }
        return xml.finish()
    }

    static func direction(_ balance: Money) -> String {
        balance.isZero ? "平" : (balance.isNegative ? "贷" : "借")
    }
}

/// A small writer for the flat, element-only XML of the exports: two-space indentation, text
/// escaped, an XML declaration naming GB18030.
struct XMLWriter {
    private var text: String
    private var depth = 1
    private let root: String

    init(root: String, namespace: String) {
        self.root = root
        text = "<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<\(root) xmlns=\"\(namespace)\">\n"
    }

    mutating func element(_ name: String, _ body: (inout XMLWriter) -> Void) {
        indent()
        text += "<\(name)>\n"
        depth += 1
        body(&self)
        depth -= 1
        indent()
        text += "</\(name)>\n"
    }

    mutating func leaf(_ name: String, _ value: String) {
        indent()
        text += "<\(name)>\(Self.escape(value))</\(name)>\n"
    }

    private mutating func indent() {
        for _ in 0..<depth { text += "  " }
    }

    func finish() -> String { text + "</\(root)>\n" }

    static func escape(_ value: String) -> String {
        // Most values (codes, amounts, names) have nothing to escape.
        guard value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // Control characters other than tab/newline are not allowed in XML 1.0.
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20, scalar != "\t", scalar != "\n" {
                    out += " "
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }
}
