import FundCore
import Foundation

/// Renders the ledger's own views (科目余额表, 序时账, 明细账) as text tables, CSV or JSON.
/// Amounts in JSON are integer fen in keys ending `Fen`; balances are debit-positive.
public enum LedgerViews {
    // MARK: 科目余额表

    struct TrialBalanceJSON: Encodable {
        struct Row: Encodable {
            let fund: String
            let account: String
            let name: String
            let level: Int
            let leaf: Bool
            let openingFen: Int64
            let debitFen: Int64
            let creditFen: Int64
            let closingFen: Int64
        }
        struct Section: Encodable {
            let fund: String
            let rows: [Row]
            let totals: Row
            let balanced: Bool
        }
        let studio: String
        let from: String
        let to: String
        let sections: [Section]
    }

    public static func sectionTitle(_ fund: Fund?) -> String { fund?.chineseName ?? "合并（全部资金）" }

    public static func trialBalance(_ balance: TrialBalance, format: ViewFormat) -> String {
        switch format {
        case .json:
            let sections = balance.sections.map { section in
                let fund = section.fund?.rawValue ?? "combined"
                let rows = section.rows.map {
                    TrialBalanceJSON.Row(
                        fund: fund, account: $0.account, name: $0.name, level: $0.level, leaf: $0.isLeaf,
                        openingFen: $0.opening.fen, debitFen: $0.debit.fen, creditFen: $0.credit.fen, closingFen: $0.closing.fen)
                }
                let t = section.totals
                let totals = TrialBalanceJSON.Row(
                    fund: fund, account: "", name: "合计", level: 0, leaf: false, openingFen: t.opening.fen,
                    debitFen: t.debit.fen, creditFen: t.credit.fen, closingFen: t.closing.fen)
                return TrialBalanceJSON.Section(fund: fund, rows: rows, totals: totals, balanced: t.isBalanced)
            }
            return json(TrialBalanceJSON(studio: balance.studio, from: balance.from.iso, to: balance.to.iso, sections: sections))
        case .csv:
            var table = CSVTable(headers: ["资金来源", "科目编码", "科目名称", "级次", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方"])
            for section in balance.sections {
                for row in section.rows {
                    table.add([sectionTitle(section.fund), row.account, row.name, String(row.level)] + amounts(row.opening, row.debit, row.credit, row.closing, grouped: false))
                }
                let t = section.totals
                table.add([sectionTitle(section.fund), "", "合计", ""] + amounts(t.opening, t.debit, t.credit, t.closing, grouped: false))
            }
            return table.render()
        case .table:
            var out = "科目余额表　工作室：\(balance.studio)　期间：\(balance.from.chinese) 至 \(balance.to.chinese)　单位：元\n"
            for section in balance.sections {
                out += "\n【\(sectionTitle(section.fund))】\n"
                if section.rows.isEmpty {
                    out += "（本期间无余额和发生额）\n"
                    continue
                }
                var table = TextTable(
                    headers: ["科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方"],
                    alignments: [.left, .left, .right, .right, .right, .right, .right, .right])
                for row in section.rows {
                    let indent = String(repeating: "  ", count: row.level - 1)
                    table.add([row.account, indent + row.name] + amounts(row.opening, row.debit, row.credit, row.closing, grouped: true))
                }
                table.addRule()
                let t = section.totals
                table.add(["", "合计"] + amounts(t.opening, t.debit, t.credit, t.closing, grouped: true))
                out += table.render()
                if !t.isBalanced { out += "！！ 本资金账不平衡，请运行 workshop-ledger verify\n" }
            }
            return out
        }
    }

    /// Opening and closing split into 借/贷 columns, the way a 科目余额表 prints them.
    static func amounts(_ opening: Money, _ debit: Money, _ credit: Money, _ closing: Money, grouped: Bool) -> [String] {
        func text(_ money: Money) -> String {
            money.isZero ? "" : (grouped ? money.groupedString : money.plainString)
        }
        func split(_ balance: Money) -> [String] {
            balance.isNegative ? ["", text(balance.magnitude)] : [text(balance), ""]
        }
        return split(opening) + [text(debit), text(credit)] + split(closing)
    }

    // MARK: 序时账

    struct JournalJSON: Encodable {
        struct Line: Encodable {
            let line: Int
            let memo: String
            let account: String
            let name: String
            let fund: String
            let side: String
            let amountFen: Int64
            let invoice: String?
        }
        struct Voucher: Encodable {
            let studio: String
            let period: String
            let `class`: String
            let number: Int
            let label: String
            let date: String
            let kind: String
            let link: String?
            let attachments: Int
            let settlement: String?
            let counterparty: String
            let preparer: String
            let reviewer: String
            let poster: String
            let sourceRef: String?
            let postedBy: String
            let postedAt: String
            let hash: String
            let lines: [Line]
        }
        let vouchers: [Voucher]
    }

    public static func journal(_ vouchers: [PostedVoucher], chart: ChartOfAccounts, format: ViewFormat) -> String {
        switch format {
        case .json:
            return json(JournalJSON(vouchers: vouchers.map { voucherJSON($0, chart: chart) }))
        case .csv:
            var table = CSVTable(headers: ["日期", "凭证字号", "摘要", "科目编码", "科目名称", "资金来源", "借方金额", "贷方金额", "附单据数", "往来单位", "制单人", "审核人"])
            for voucher in vouchers {
                for line in voucher.draft.lines {
                    table.add([
                        voucher.draft.date.iso, voucher.ref.label, line.memo, line.account, chart[line.account]?.name ?? "",
                        line.fund.chineseName, line.side == .debit ? line.amount.plainString : "",
                        line.side == .credit ? line.amount.plainString : "", String(voucher.draft.attachments),
                        voucher.draft.counterparty, voucher.draft.preparer, voucher.draft.reviewer,
                    ])
                }
            }
            return table.render()
        case .table:
            var table = TextTable(
                headers: ["日期", "凭证字号", "摘要", "科目", "资金来源", "借方", "贷方"],
                alignments: [.left, .left, .left, .left, .left, .right, .right])
            for voucher in vouchers {
                for (index, line) in voucher.draft.lines.enumerated() {
                    let first = index == 0
                    table.add([
                        first ? voucher.draft.date.iso : "", first ? voucher.ref.label : "", line.memo,
                        line.account + " " + (chart[line.account]?.name ?? ""), line.fund.chineseName,
                        line.side == .debit ? line.amount.groupedString : "", line.side == .credit ? line.amount.groupedString : "",
                    ])
                }
            }
            return "序时账　单位：元\n" + table.render()
        }
    }

    static func voucherJSON(_ voucher: PostedVoucher, chart: ChartOfAccounts) -> JournalJSON.Voucher {
        let lines = voucher.draft.lines.enumerated().map { index, line in
            JournalJSON.Line(
                line: index + 1, memo: line.memo, account: line.account, name: chart[line.account]?.name ?? "",
                fund: line.fund.rawValue, side: line.side.rawValue, amountFen: line.amount.fen, invoice: line.invoice?.description)
        }
        let draft = voucher.draft
        return JournalJSON.Voucher(
            studio: voucher.ref.studio, period: voucher.ref.period.iso, class: voucher.ref.voucherClass.rawValue,
            number: voucher.ref.number, label: voucher.ref.label, date: draft.date.iso, kind: voucher.kind.code,
            link: voucher.kind.link.map { "\($0.period.iso) \($0.label)" }, attachments: draft.attachments,
            settlement: draft.settlement?.rawValue, counterparty: draft.counterparty, preparer: draft.preparer,
            reviewer: draft.reviewer, poster: draft.poster, sourceRef: draft.sourceRef, postedBy: voucher.postedBy,
            postedAt: voucher.postedAt, hash: voucher.hash, lines: lines)
    }

    /// One voucher laid out like a printed 记账凭证, for the terminal.
    public static func voucher(_ voucher: PostedVoucher, chart: ChartOfAccounts, format: ViewFormat) -> String {
        if format != .table { return journal([voucher], chart: chart, format: format) }
        let draft = voucher.draft
        var out = "记账凭证　\(voucher.ref.label)　\(draft.date.chinese)　附单据 \(draft.attachments) 张\n"
        switch voucher.kind {
        case .normal: break
        case .reversal(let ref): out += "红字冲销：\(ref.period.iso) \(ref.label)\n"
        case .correction(let ref): out += "订正：\(ref.period.iso) \(ref.label)\n"
        }
        var table = TextTable(headers: ["摘要", "会计科目", "资金来源", "借方金额", "贷方金额"], alignments: [.left, .left, .left, .right, .right])
        var debit = Money.zero
        var credit = Money.zero
        for line in draft.lines {
            table.add([
                line.memo, line.account + " " + (chart[line.account]?.name ?? ""), line.fund.chineseName,
                line.side == .debit ? line.amount.groupedString : "", line.side == .credit ? line.amount.groupedString : "",
            ])
            if line.side == .debit { debit = (try? debit.adding(line.amount)) ?? debit } else { credit = (try? credit.adding(line.amount)) ?? credit }
        }
        table.addRule()
        table.add(["合计", "", "", debit.groupedString, credit.groupedString])
        out += table.render()
        if let settlement = draft.settlement { out += "结算方式：\(settlement.chineseName)　" }
        if !draft.counterparty.isEmpty { out += "往来单位：\(draft.counterparty)" }
        out += "\n制单：\(draft.preparer)　审核：\(draft.reviewer)　记账：\(draft.poster)　录入：\(voucher.postedBy) \(voucher.postedAt)\n"
        if let source = draft.sourceRef { out += "来源：\(source)\n" }
        out += "哈希：\(voucher.hash)\n"
        return out
    }

    // MARK: 明细账

    struct LedgerJSON: Encodable {
        struct Row: Encodable {
            let kind: String
            let date: String?
            let voucher: String?
            let memo: String
            let fund: String?
            let debitFen: Int64
            let creditFen: Int64
            let direction: String
            let balanceFen: Int64
        }
        let account: String
        let name: String
        let rows: [Row]
    }

    public static func accountLedger(_ ledger: AccountLedger, studio: String, format: ViewFormat) -> String {
        switch format {
        case .json:
            let rows = ledger.rows.map {
                LedgerJSON.Row(
                    kind: $0.kind.rawValue, date: $0.date?.iso, voucher: $0.ref.map { "\($0.period.iso) \($0.label)" },
                    memo: $0.memo, fund: $0.fund?.rawValue, debitFen: $0.debit.fen, creditFen: $0.credit.fen,
                    direction: $0.direction, balanceFen: $0.balance.fen)
            }
            return json(LedgerJSON(account: ledger.account.code, name: ledger.account.name, rows: rows))
        case .csv:
            var table = CSVTable(headers: ["日期", "凭证字号", "摘要", "资金来源", "借方", "贷方", "方向", "余额"])
            for row in ledger.rows { table.add(ledgerCells(row, grouped: false)) }
            return table.render()
        case .table:
            var table = TextTable(
                headers: ["日期", "凭证字号", "摘要", "资金来源", "借方", "贷方", "方向", "余额"],
                alignments: [.left, .left, .left, .left, .right, .right, .left, .right])
            for row in ledger.rows { table.add(ledgerCells(row, grouped: true)) }
            return "明细账　工作室：\(studio)　科目：\(ledger.account.code) \(ledger.account.name)　单位：元\n" + table.render()
        }
    }

    static func ledgerCells(_ row: AccountLedgerRow, grouped: Bool) -> [String] {
        func text(_ money: Money) -> String { money.isZero ? "" : (grouped ? money.groupedString : money.plainString) }
        let showMovement = row.kind != .opening
        return [
            row.date?.iso ?? "", row.ref?.label ?? "", row.memo, row.fund?.chineseName ?? "",
            showMovement ? text(row.debit) : "", showMovement ? text(row.credit) : "", row.direction,
            row.balance.isZero ? "0.00" : (grouped ? row.balance.magnitude.groupedString : row.balance.magnitude.plainString),
        ]
    }

    // MARK: JSON

    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try! encoder.encode(value)  // our own Encodable values with String/Int fields
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
