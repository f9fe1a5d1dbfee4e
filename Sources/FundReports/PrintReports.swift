import FundCore

/// 记账凭证 prints: one voucher per half page in the customary layout.
public struct VoucherPrints: Sendable, Codable, Hashable {
    public struct Voucher: Sendable, Codable, Hashable {
        public let period: Period
        public let label: String
        public let date: CalendarDate
        public let attachments: Int
        public let kind: String
        public let lines: [VoucherPrint.Line]
        public let debitTotalFen: Money
        public let creditTotalFen: Money
        public let hash: String
    }

    public let studio: String
    public let vouchers: [Voucher]
}

public enum VoucherPrintReport {
    public static func build(_ header: ReportHeader, vouchers: [PostedVoucher]) throws -> BuiltReport<VoucherPrints> {
        let funds = Set(header.funds)
        var prints: [VoucherPrint] = []
        var values: [VoucherPrints.Voucher] = []
        for voucher in vouchers where voucher.ref.period >= header.from && voucher.ref.period <= header.to {
            guard voucher.draft.lines.contains(where: { funds.contains($0.fund) }) else { continue }
            let lines = voucher.draft.lines.map { line in
                VoucherPrint.Line(
                    memo: line.memo, account: header.accountTitle(line.account), fund: line.fund.chineseName,
                    debit: line.side == .debit ? line.amount : nil, credit: line.side == .credit ? line.amount : nil)
            }
            // 平行记账: a public institution's budget lines (classes 6–8) print with the voucher;
            // its 合计 (and 大写) is the financial lines', the budget lines' own total is noted.
            let budget = voucher.draft.lines.map { header.chart[$0.account]?.type.isBudget == true }
            let debit = try sum(lines.indices.filter { !budget[$0] }.compactMap { lines[$0].debit })
            let credit = try sum(lines.indices.filter { !budget[$0] }.compactMap { lines[$0].credit })
            let budgetDebit = try sum(lines.indices.filter { budget[$0] }.compactMap { lines[$0].debit })
            let budgetCredit = try sum(lines.indices.filter { budget[$0] }.compactMap { lines[$0].credit })
            guard debit == credit, budgetDebit == budgetCredit else {
                throw ReportInconsistency(report: "记账凭证", detail: "\(voucher.ref) 借贷不平")
            }
            let kindNote: String? = switch voucher.kind {
            case .normal: nil
            case .reversal(let original): "红字冲销：注销 \(original.period.chinese) \(original.label) 号凭证"
            case .correction(let original): "订正：更正 \(original.period.chinese) \(original.label) 号凭证"
            }
            let budgetNote: String? = budget.contains(true)
                ? "平行记账：6–8 类为预算会计分录，借贷各 \(budgetDebit.groupedString) 元；合计为财务会计分录" : nil
            let note = [kindNote, budgetNote].compactMap { $0 }.joined(separator: "；")
            let cashier = voucher.draft.settlement.map { _ in "" } ?? "—"
            prints.append(VoucherPrint(
                label: voucher.ref.label, date: voucher.draft.date, attachments: voucher.draft.attachments,
                unit: "\(header.hostUnit.name)　\(header.studio.name)", note: note.isEmpty ? nil : note, lines: lines, debitTotal: debit, creditTotal: credit,
                signatures: [
                    LabeledValue("会计主管", ""), LabeledValue("记账", voucher.draft.poster), LabeledValue("审核", voucher.draft.reviewer),
                    LabeledValue("出纳", cashier), LabeledValue("制单", voucher.draft.preparer),
                ]))
            values.append(.init(
                period: voucher.ref.period, label: voucher.ref.label, date: voucher.draft.date, attachments: voucher.draft.attachments,
                kind: voucher.kind.code, lines: lines, debitTotalFen: debit, creditTotalFen: credit, hash: voucher.hash))
        }
        let value = VoucherPrints(studio: header.studio.code, vouchers: values)
        let document = ReportDocument(
            kind: .vouchers, title: ReportKind.vouchers.chineseTitle, titleBlock: header.titleBlock(),
            sections: [DocumentSection(heading: nil, blocks: prints.isEmpty ? [.paragraph("本期间没有凭证。")] : prints.map { .voucher($0) })],
            fileStem: header.fileStem(.vouchers))
        return BuiltReport(value: value, document: document)
    }
}

/// The findings report: the checker's findings grouped by severity and article, with the
/// accountant's explanations and the reviewer's decisions.
public struct FindingsStatement: Sendable, Codable, Hashable {
    public struct Group: Sendable, Codable, Hashable {
        public let severity: Severity
        public let article: String
        public let findings: [Finding]
        public let amountFen: Money
    }

    public let studio: String
    public let asOf: CalendarDate
    public let policy: String
    public let groups: [Group]
    public let counts: [String: Int]
    public let amountFen: Money
}

public enum FindingsReport {
    public static func build(
        _ header: ReportHeader, findings: [Finding], asOf: CalendarDate, policy: Policy
    ) throws -> BuiltReport<FindingsStatement> {
        var groups: [FindingsStatement.Group] = []
        var counts: [String: Int] = [:]
        for severity in Severity.allCases {
            let own = findings.filter { $0.severity == severity }
            counts[severity.rawValue] = own.count
            let articles = own.map(\.article).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.sorted(by: articleOrder)
            for article in articles {
                let inArticle = own.filter { $0.article == article }
                groups.append(.init(
                    severity: severity, article: article, findings: inArticle,
                    amountFen: try sum(inArticle.map { Money(fen: $0.amountFen) })))
            }
        }
        let total = try sum(groups.map(\.amountFen))
        let value = FindingsStatement(
            studio: header.studio.code, asOf: asOf, policy: policy.id, groups: groups, counts: counts, amountFen: total)
        var summaryRows = Severity.allCases.map { severity in
            Row(.body, [
                .text(severity.chineseName), .count(counts[severity.rawValue] ?? 0),
                .money(groups.filter { $0.severity == severity }.reduce(Money.zero) { (try? $0.adding($1.amountFen)) ?? $0 }),
            ])
        }
        summaryRows.append(Row(.total, [.text("合计"), .count(findings.count), .moneySum(total, rows: Array(summaryRows.indices))]))
        var sections = [DocumentSection(heading: "一、总体情况", blocks: [
            .paragraph("依据政策版本 \(policy.id)（\(policy.document)），截至 \(asOf.chinese) 对账簿逐条检查。违规须整改或作出说明并经复核；预警须说明理由；提示供复核参考。"),
            .table(DocumentTable(
                name: "概况",
                columns: [Column("严重程度", .text, width: 10), Column("条数", .count, width: 8), Column("涉及金额", .money, width: 16)],
                rows: summaryRows)),
        ])]
        for severity in Severity.allCases {
            let own = groups.filter { $0.severity == severity }
            guard !own.isEmpty else { continue }
            var rows: [Row] = []
            for group in own {
                rows.append(Row(.group, [.text("\(group.article)（\(group.findings.count) 条，涉及 \(group.amountFen.groupedString) 元）")]
                    + Array(repeating: .empty, count: 7)))
                for finding in group.findings {
                    rows.append(Row(.body, [
                        .text(finding.rule), .text(voucherText(finding)), .text(finding.fund?.chineseName ?? ""),
                        .money(Money(fen: finding.amountFen)), .text(finding.message), .text(finding.remedy), .text(reviewText(finding.review)),
                        .text(finding.category.chineseName),
                    ]))
                }
            }
            sections.append(DocumentSection(heading: "\(severity.chineseName)（\(counts[severity.rawValue] ?? 0) 条）", blocks: [
                .table(DocumentTable(
                    name: severity.chineseName,
                    columns: [
                        Column("规则", .code, width: 8), Column("凭证", .code, width: 16), Column("资金", .text, width: 10),
                        Column("金额", .money, width: 13), Column("发现", .text, width: 40), Column("整改建议", .text, width: 28),
                        Column("说明与复核", .text, width: 24), Column("类别", .code, width: 14),
                    ],
                    rows: rows)),
            ]))
        }
        if findings.isEmpty {
            sections.append(DocumentSection(heading: nil, blocks: [.paragraph("未发现问题。")]))
        }
        let document = ReportDocument(
            kind: .findings, title: ReportKind.findings.chineseTitle,
            titleBlock: header.titleBlock(fund: false, extra: [LabeledValue("检查截止日", asOf.chinese), LabeledValue("政策版本", policy.id)]),
            sections: sections, signatures: [LabeledValue("检查人", ""), LabeledValue("复核人", "")], orientation: .landscape,
            fileStem: header.fileStem(.findings))
        return BuiltReport(value: value, document: document)
    }

    static func voucherText(_ finding: Finding) -> String { AuditViews.voucherLabel(finding) }

    static func reviewText(_ review: FindingReview?) -> String {
        guard let review else { return "未说明" }
        var text = "\(review.status.chineseName)：\(review.explanation)（\(review.explainedBy)）"
        if let decidedBy = review.decidedBy {
            text += "；复核 \(decidedBy)" + (review.decisionNote.map { "：\($0)" } ?? "")
        }
        return text
    }

    /// 第四条 before 第八条(一) before 第十四条: by the article number, then the clause.
    public static func articleOrder(_ lhs: String, _ rhs: String) -> Bool {
        let left = articleKey(lhs), right = articleKey(rhs)
        return left != right ? left < right : lhs < rhs
    }

    static func articleKey(_ article: String) -> Int {
        let numerals: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        guard let start = article.firstIndex(of: "第"), let end = article.firstIndex(of: "条"), start < end else { return 999 }
        var value = 0
        var current = 0
        for character in article[article.index(after: start)..<end] {
            if character == "十" {
                value += max(current, 1) * 10
                current = 0
            } else if let digit = numerals[character] {
                current = digit
            } else {
                return 999
            }
        }
        return value + current
    }
}

/// Cumulative spending per fund over the construction window, against the approved subsidy
/// (and the other funds' budgets): the chart reviewers look at first.
public struct SpendingCurve: Sendable, Codable, Hashable {
    public struct Point: Sendable, Codable, Hashable {
        public let period: Period
        public let cumulativeFen: [String: Money]
    }

    public let studio: String
    public let windowStart: CalendarDate
    public let windowEnd: CalendarDate
    public let asOf: CalendarDate
    public let approvedSubsidyFen: Money
    public let budgetsFen: [String: Money]
    public let points: [Point]
}

public enum SpendingChartReport {
    public static func build(
        _ header: ReportHeader, turnovers: [MonthTurnover], budget: [BudgetLine], asOf: CalendarDate
    ) throws -> BuiltReport<SpendingCurve> {
        let window = header.studio.constructionWindow
        let first = window.lowerBound.period
        let last = max(window.upperBound.period, min(asOf.period, header.to))
        var months: [Period] = []
        var month = first
        while month <= last {
            months.append(month)
            month = month.next
        }
        let through = min(asOf.period, last)
        var monthly: [Fund: [Period: Money]] = [:]
        var before: [Fund: Money] = [:]
        for turnover in turnovers where header.funds.contains(turnover.fund) && header.chart[turnover.account]?.category != nil {
            let net = try turnover.debit.subtracting(turnover.credit)
            if turnover.period < first {
                before[turnover.fund] = try (before[turnover.fund] ?? .zero).adding(net)
            } else {
                monthly[turnover.fund, default: [:]][turnover.period] = try (monthly[turnover.fund]?[turnover.period] ?? .zero).adding(net)
            }
        }
        var series: [SpendingChart.Series] = []
        var points: [SpendingCurve.Point] = months.filter { $0 <= through }.map { SpendingCurve.Point(period: $0, cumulativeFen: [:]) }
        for fund in header.funds {
            var running = before[fund] ?? .zero
            var values: [Money] = []
            for (index, period) in months.enumerated() where period <= through {
                running = try running.adding(monthly[fund]?[period] ?? .zero)
                values.append(running)
                points[index] = SpendingCurve.Point(
                    period: period, cumulativeFen: points[index].cumulativeFen.merging([fund.rawValue: running]) { $1 })
            }
            series.append(SpendingChart.Series(name: fund.chineseName, points: values))
        }
        var budgets: [String: Money] = [:]
        for fund in header.funds {
            let own = budget.filter { $0.fund == fund }
            if !own.isEmpty { budgets[fund.rawValue] = try sum(own.map(\.amount)) }
        }
        var references: [SpendingChart.Reference] = []
        if header.funds.contains(.subsidy) {
            references.append(.init(label: "核定补助 \(header.studio.approvedSubsidy.groupedString)", amount: header.studio.approvedSubsidy))
        }
        for fund in header.funds where fund != .subsidy {
            if let amount = budgets[fund.rawValue] {
                references.append(.init(label: "\(fund.chineseName)预算 \(amount.groupedString)", amount: amount))
            }
        }
        let chart = SpendingChart(
            title: "累计支出（\(window.lowerBound.chinese)—\(window.upperBound.chinese) 建设期）", months: months, series: series,
            references: references, asOf: months.contains(asOf.period) ? asOf.period : nil)
        let value = SpendingCurve(
            studio: header.studio.code, windowStart: window.lowerBound, windowEnd: window.upperBound, asOf: asOf,
            approvedSubsidyFen: header.studio.approvedSubsidy, budgetsFen: budgets, points: points)
        var rows = points.map { point in
            Row(.body, [.text(point.period.iso)] + header.funds.map { Cell.money(point.cumulativeFen[$0.rawValue] ?? .zero) })
        }
        if rows.isEmpty { rows = [Row(.body, [.text("—")] + header.funds.map { _ in Cell.empty })] }
        let table = DocumentTable(
            name: "累计支出", caption: "各月末累计支出",
            columns: [Column("月份", .code, width: 9)] + header.funds.map { Column($0.chineseName, .money, width: 16) }, rows: rows)
        let document = ReportDocument(
            kind: .spendingChart, title: ReportKind.spendingChart.chineseTitle,
            titleBlock: header.titleBlock(extra: [LabeledValue("截至", asOf.chinese)]),
            sections: [DocumentSection(heading: nil, blocks: [.chart(chart), .table(table)])],
            orientation: .landscape, fileStem: header.fileStem(.spendingChart))
        return BuiltReport(value: value, document: document)
    }
}
