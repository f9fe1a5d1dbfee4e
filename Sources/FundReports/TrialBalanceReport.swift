import FundCore

/// 科目余额表 as statements print it: opening, turnover and closing, each split into 借方 and
/// 贷方 columns; a section per fund and a combined one. Totals add the leaf accounts (parents
/// are sums of their leaves) and must balance: 借方合计 = 贷方合计 in each pair.
public struct TrialBalanceStatement: Sendable, Codable, Hashable {
    /// A line in the split-column form (opening and closing each as 借方/贷方), and also in the
    /// `balance --format json` form (`fund`, `leaf`, debit-positive `openingFen`/`closingFen`),
    /// so that the section's `totals` carry both sets of keys.
    public struct Line: Sendable, Codable, Hashable {
        /// The fund's raw value, or "combined".
        public let fund: String
        public let account: String
        public let name: String
        public let level: Int
        public let isLeaf: Bool
        public let leaf: Bool
        public let openingDebitFen: Money
        public let openingCreditFen: Money
        public let debitFen: Money
        public let creditFen: Money
        public let closingDebitFen: Money
        public let closingCreditFen: Money
        /// Debit-positive opening and closing balances.
        public let openingFen: Money
        public let closingFen: Money

        /// `opening` and `closing`: the debit-positive balances the split columns come from.
        init(
            fund: String, account: String, name: String, level: Int, isLeaf: Bool, openingDebitFen: Money, openingCreditFen: Money,
            debitFen: Money, creditFen: Money, closingDebitFen: Money, closingCreditFen: Money, opening: Money, closing: Money
        ) {
            self.fund = fund
            self.account = account
            self.name = name
            self.level = level
            self.isLeaf = isLeaf
            self.leaf = isLeaf
            self.openingDebitFen = openingDebitFen
            self.openingCreditFen = openingCreditFen
            self.debitFen = debitFen
            self.creditFen = creditFen
            self.closingDebitFen = closingDebitFen
            self.closingCreditFen = closingCreditFen
            self.openingFen = opening
            self.closingFen = closing
        }
    }

    /// A row as `balance --format json` documents it (README): amounts in fen, balances
    /// debit-positive.
    public struct BalanceRow: Sendable, Codable, Hashable {
        /// The fund's raw value, or "combined".
        public let fund: String
        public let account: String
        public let name: String
        public let level: Int
        public let leaf: Bool
        public let openingFen: Money
        public let debitFen: Money
        public let creditFen: Money
        public let closingFen: Money
    }

    public struct Section: Sendable, Codable, Hashable {
        /// nil: all funds combined (JSON: "combined").
        public let fund: Fund?
        public let title: String
        public let lines: [Line]
        /// The same accounts as `lines`, in the `balance --format json` shape.
        public let rows: [BalanceRow]
        public let totals: Line
        public let balanced: Bool

    }

    public let studio: String
    public let from: Period
    public let to: Period
    public let sections: [Section]
}

extension TrialBalanceStatement.Section {
    enum CodingKeys: String, CodingKey {
        case fund, title, lines, rows, totals, balanced
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let fundText = try container.decodeIfPresent(String.self, forKey: .fund)
        fund = fundText.flatMap(Fund.init(rawValue:))
        title = try container.decode(String.self, forKey: .title)
        lines = try container.decode([TrialBalanceStatement.Line].self, forKey: .lines)
        rows = try container.decode([TrialBalanceStatement.BalanceRow].self, forKey: .rows)
        totals = try container.decode(TrialBalanceStatement.Line.self, forKey: .totals)
        balanced = try container.decode(Bool.self, forKey: .balanced)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fund?.rawValue ?? "combined", forKey: .fund)
        try container.encode(title, forKey: .title)
        try container.encode(lines, forKey: .lines)
        try container.encode(rows, forKey: .rows)
        try container.encode(totals, forKey: .totals)
        try container.encode(balanced, forKey: .balanced)
    }
}

public enum TrialBalanceReport {
    public static func build(_ header: ReportHeader, _ balance: TrialBalance) throws -> BuiltReport<TrialBalanceStatement> {
        var sections: [TrialBalanceStatement.Section] = []
        var blocks: [DocumentSection] = []
        for section in balance.sections {
            let fundKey = section.fund?.rawValue ?? "combined"
            let lines = section.rows.map { row in
                TrialBalanceStatement.Line(
                    fund: fundKey, account: row.account, name: row.name, level: row.level, isLeaf: row.isLeaf,
                    openingDebitFen: row.opening.debitPart ?? .zero, openingCreditFen: row.opening.creditPart ?? .zero,
                    debitFen: row.debit, creditFen: row.credit,
                    closingDebitFen: row.closing.debitPart ?? .zero, closingCreditFen: row.closing.creditPart ?? .zero,
                    opening: row.opening, closing: row.closing)
            }
            let leaves = lines.filter(\.isLeaf)
            let openingDebit = try sum(leaves.map(\.openingDebitFen))
            let openingCredit = try sum(leaves.map(\.openingCreditFen))
            let closingDebit = try sum(leaves.map(\.closingDebitFen))
            let closingCredit = try sum(leaves.map(\.closingCreditFen))
            let totals = TrialBalanceStatement.Line(
                fund: fundKey, account: "", name: "合计", level: 0, isLeaf: false,
                openingDebitFen: openingDebit, openingCreditFen: openingCredit,
                debitFen: try sum(leaves.map(\.debitFen)), creditFen: try sum(leaves.map(\.creditFen)),
                closingDebitFen: closingDebit, closingCreditFen: closingCredit,
                opening: try openingDebit.subtracting(openingCredit), closing: try closingDebit.subtracting(closingCredit))
            // Cross-check against the ledger's own totals (debit-positive nets).
            guard totals.debitFen == section.totals.debit, totals.creditFen == section.totals.credit,
                totals.openingFen == section.totals.opening, totals.closingFen == section.totals.closing
            else {
                throw ReportInconsistency(report: "科目余额表", detail: "分栏合计与账簿合计不一致（\(section.fund?.chineseName ?? "合并")）")
            }
            let balanced = totals.openingDebitFen == totals.openingCreditFen && totals.debitFen == totals.creditFen
                && totals.closingDebitFen == totals.closingCreditFen
            let title = section.fund?.chineseName ?? "合并"
            let rows = section.rows.map { row in
                TrialBalanceStatement.BalanceRow(
                    fund: fundKey, account: row.account, name: row.name, level: row.level, leaf: row.isLeaf, openingFen: row.opening,
                    debitFen: row.debit, creditFen: row.credit, closingFen: row.closing)
            }
            sections.append(.init(fund: section.fund, title: title, lines: lines, rows: rows, totals: totals, balanced: balanced))
            blocks.append(DocumentSection(
                heading: section.fund.map { "\($0.chineseName)账" } ?? "合并（全部资金）",
                blocks: (lines.isEmpty ? [.paragraph("（本期间无余额和发生额）")] : [])
                    + [.table(table(name: title, lines: lines, totals: totals))]
                    + (balanced ? [] : [.paragraph("注意：本表借贷合计不平衡，请运行 workshop-ledger verify 检查账簿。")]),
                startsNewPage: !blocks.isEmpty))
        }
        let value = TrialBalanceStatement(studio: header.studio.code, from: header.from, to: header.to, sections: sections)
        let document = ReportDocument(
            kind: .trialBalance, title: ReportKind.trialBalance.chineseTitle, titleBlock: header.titleBlock(),
            sections: blocks, signatures: header.statementSignatures, orientation: .landscape,
            fileStem: header.fileStem(.trialBalance))
        return BuiltReport(value: value, document: document)
    }

    static let columns = [
        Column("科目编码", .code, width: 10), Column("科目名称", .text, width: 24),
        Column("借方", .money, width: 14), Column("贷方", .money, width: 14),
        Column("借方", .money, width: 14), Column("贷方", .money, width: 14),
        Column("借方", .money, width: 14), Column("贷方", .money, width: 14),
    ]

    static func table(name: String, lines: [TrialBalanceStatement.Line], totals: TrialBalanceStatement.Line) -> DocumentTable {
        var rows = lines.map { line in
            Row(.body, indent: line.level - 1, [
                .text(line.account), .text(line.name),
                blank(line.openingDebitFen), blank(line.openingCreditFen), blank(line.debitFen), blank(line.creditFen),
                blank(line.closingDebitFen), blank(line.closingCreditFen),
            ])
        }
        let leafRows = lines.indices.filter { lines[$0].isLeaf }
        rows.append(Row(.total, [
            .text(""), .text("合计"),
            .moneySum(totals.openingDebitFen, rows: leafRows), .moneySum(totals.openingCreditFen, rows: leafRows),
            .moneySum(totals.debitFen, rows: leafRows), .moneySum(totals.creditFen, rows: leafRows),
            .moneySum(totals.closingDebitFen, rows: leafRows), .moneySum(totals.closingCreditFen, rows: leafRows),
        ]))
        return DocumentTable(
            name: name, columns: columns,
            groupHeader: [HeaderGroup("科目", span: 2), HeaderGroup("期初余额", span: 2), HeaderGroup("本期发生额", span: 2), HeaderGroup("期末余额", span: 2)],
            rows: rows)
    }

    /// Zero amounts print blank in the split columns, as in paper books; `moneySum` formulas
    /// still add them as zero.
    static func blank(_ money: Money) -> Cell { money.isZero ? .empty : .money(money) }
}
