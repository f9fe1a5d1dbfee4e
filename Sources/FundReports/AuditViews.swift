import FundCore

// What the audit trail and the checks show: 操作日志, 合规检查, the findings raised by posting,
// 账簿校验, one 记账凭证 and the closing state of the months.

public enum AuditViews {
    /// 操作日志. JSON: the entries as stored.
    public static func log(_ entries: [LogEntry]) -> AnyReport {
        let table = DocumentTable(
            name: "操作日志",
            columns: [
                Column("序号", .count, width: 6), Column("时间", .code, width: 20), Column("操作人", .text, width: 8),
                Column("操作", .code, width: 14), Column("工作室", .code, width: 12), Column("内容", .text, width: 40),
                Column("哈希", .code, width: 64),
            ],
            rows: entries.map {
                Row(.body, [
                    .count($0.sequence), .text($0.at), .text($0.user), .text($0.action), .optionalText($0.studio), .optionalText($0.detail),
                    .text($0.hash),
                ])
            })
        return AnyReport(document: .view(.log, blocks: [.table(table)], orientation: .landscape), value: entries)
    }

    /// `{"findings": [...], "summary": ...}`: what `check --format json` prints (README).
    public struct FindingsJSON<Summary: Codable & Sendable>: Codable, Sendable {
        public let findings: [Finding]
        public let summary: Summary
    }

    /// 合规检查: the findings grouped by severity (违规, 预警, 提示), then the two summary lines.
    public static func check(_ result: CheckResult) -> AnyReport {
        let summary = result.summary
        let counts = Severity.allCases.map { "\($0.chineseName) \(summary.bySeverity[$0.rawValue] ?? 0)" }.joined(separator: "，")
        let lines = [
            "检查基准日 \(summary.asOf)，\(summary.studios) 个工作室、\(summary.vouchers) 张凭证，政策版本 \(summary.policies.joined(separator: "、"))",
            "共 \(summary.findings) 项：\(counts)；违规涉及金额 \(Money(fen: summary.violationFen).groupedString) 元",
        ]
        var sections = findingSections(result.findings)
        sections.append(DocumentSection(heading: "汇总", blocks: lines.map { .paragraph($0) }))
        let document = ReportDocument(
            view: .check, title: ViewKind.check.chineseTitle,
            titleBlock: [LabeledValue("检查基准日", summary.asOf)], sections: sections, orientation: .landscape,
            fileStem: ViewKind.check.rawValue)
        return AnyReport(document: document, value: FindingsJSON(findings: result.findings, summary: summary))
    }

    /// What posting or importing prints when the new vouchers raise findings. JSON:
    /// `{"findings": [...], "summary": N}`.
    public static func raisedFindings(_ findings: [Finding]) -> AnyReport {
        var sections = [DocumentSection(heading: nil, blocks: [
            .paragraph("注意：本次记账的凭证有 \(findings.count) 项合规发现（已照实记账，请按提示处理）："),
        ])]
        sections += findingSections(findings)
        let document = ReportDocument(
            view: .raisedFindings, title: ViewKind.raisedFindings.chineseTitle, titleBlock: [], sections: sections,
            orientation: .landscape, fileStem: ViewKind.raisedFindings.rawValue)
        return AnyReport(document: document, value: FindingsJSON(findings: findings, summary: findings.count))
    }

    /// Today's `check --format csv` columns in their order, then who explained and who decided.
    static let findingColumns = [
        Column("编号", .text, width: 30), Column("严重程度", .text, width: 6), Column("规则", .code, width: 8),
        Column("类别", .text, width: 18), Column("工作室", .code, width: 12), Column("凭证", .text, width: 22),
        Column("资金来源", .text, width: 10), Column("金额", .money, width: 14), Column("条款", .text, width: 20),
        Column("说明", .text, width: 40), Column("整改建议", .text, width: 30), Column("处理状态", .text, width: 10),
        Column("情况说明", .text, width: 24), Column("审核意见", .text, width: 20), Column("说明人", .text, width: 8),
        Column("审核人", .text, width: 8),
    ]

    /// One table, a group row per severity ("违规 3 项") over its findings; "未发现问题" when none.
    static func findingSections(_ findings: [Finding]) -> [DocumentSection] {
        guard !findings.isEmpty else { return [DocumentSection(heading: nil, blocks: [.paragraph("未发现问题")])] }
        var rows: [Row] = []
        for severity in Severity.allCases {
            let group = findings.filter { $0.severity == severity }
            guard !group.isEmpty else { continue }
            rows.append(Row(.group, [.text("\(severity.chineseName) \(group.count) 项")] + Array(repeating: .empty, count: findingColumns.count - 1)))
            for finding in group {
                let review = finding.review
                rows.append(Row(.body, [
                    .text(finding.key), .text(severity.chineseName), .text(finding.rule), .text(finding.category.chineseName),
                    .text(finding.studio), .optionalText(voucherLabel(finding)), .optionalText(finding.fund?.chineseName),
                    .money(Money(fen: finding.amountFen)), .optionalText(finding.article), .optionalText(finding.message),
                    .optionalText(finding.remedy), .text(review?.status.chineseName ?? "未处理"), .optionalText(review?.explanation),
                    .optionalText(review?.decisionNote), .optionalText(review?.explainedBy), .optionalText(review?.decidedBy),
                ]))
            }
        }
        return [DocumentSection(heading: nil, blocks: [.table(DocumentTable(name: "合规发现", columns: findingColumns, rows: rows))])]
    }

    /// "2025-11 记-0003 第2行": the one form of a finding's voucher in every report (the
    /// number four digits at least, as `VoucherRef.label` prints it).
    public static func voucherLabel(_ finding: Finding) -> String {
        guard let voucher = finding.voucher else { return "" }
        let number = String(voucher.number)
        let label = "\(voucher.period) \(voucher.class)-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number)"
        return finding.line.map { "\(label) 第\($0)行" } ?? label
    }

    /// 账簿校验: what was read, every problem, and the verdict. JSON: the report as it is.
    public static func verification(_ report: VerificationReport) -> AnyReport {
        var blocks: [Block] = [
            .paragraph("校验 \(report.studios) 个工作室、\(report.vouchers) 张凭证、\(report.postings) 行分录、\(report.logEntries) 条操作日志"),
        ]
        if !report.problems.isEmpty {
            blocks.append(.table(DocumentTable(
                name: "问题",
                columns: [
                    Column("代码", .code, width: 6), Column("工作室", .code, width: 12), Column("凭证", .code, width: 16),
                    Column("说明", .text, width: 60),
                ],
                rows: report.problems.map {
                    Row(.body, [.text($0.code.rawValue), .optionalText($0.studio), .optionalText($0.voucher), .text($0.message)])
                })))
        }
        blocks.append(.paragraph(report.isClean ? "全部通过" : "发现 \(report.problems.count) 个问题"))
        return AnyReport(document: .view(.verification, blocks: blocks), value: report)
    }

    /// One 记账凭证 as printed, with its posting stamp, hash and the vouchers that reverse or
    /// correct it. The 合计 is added here (overflow-checked). JSON: `{"vouchers": [the voucher]}`,
    /// as `journal --format json` lists it.
    public static func voucher(_ voucher: PostedVoucher, chart: ChartOfAccounts, followUps: [PostedVoucher]) throws -> AnyReport {
        let draft = voucher.draft
        var debit = Money.zero
        var credit = Money.zero
        var lines: [VoucherPrint.Line] = []
        for line in draft.lines {
            // 平行记账: the 合计 is the financial lines'; budget lines (6–8) restate the money.
            if chart[line.account]?.type.isBudget == true {
            } else if line.side == .debit { debit = try debit.adding(line.amount) } else { credit = try credit.adding(line.amount) }
            lines.append(VoucherPrint.Line(
                memo: line.memo, account: line.account + " " + (chart[line.account]?.name ?? ""), fund: line.fund.chineseName,
                debit: line.side == .debit ? line.amount : nil, credit: line.side == .credit ? line.amount : nil))
        }
        let note: String? = switch voucher.kind {
        case .normal: nil
        case .reversal(let ref): "红字冲销：\(ref.period.iso) \(ref.label)"
        case .correction(let ref): "订正：\(ref.period.iso) \(ref.label)"
        }
        let print = VoucherPrint(
            label: voucher.ref.label, date: draft.date, attachments: draft.attachments, unit: voucher.ref.studio, note: note,
            lines: lines, debitTotal: debit, creditTotal: credit,
            signatures: [LabeledValue("制单", draft.preparer), LabeledValue("审核", draft.reviewer), LabeledValue("记账", draft.poster)])
        var blocks: [Block] = [.voucher(print)]
        var facts: [Fact] = []
        if let settlement = draft.settlement { facts.append(Fact("结算方式", .text(settlement.chineseName))) }
        if !draft.counterparty.isEmpty { facts.append(Fact("往来单位", .text(draft.counterparty))) }
        facts.append(Fact("录入", .text("\(voucher.postedBy) \(voucher.postedAt)")))
        if let source = draft.sourceRef { facts.append(Fact("来源", .text(source))) }
        facts.append(Fact("哈希", .text(voucher.hash)))
        blocks.append(.facts(facts))
        for followUp in followUps {
            blocks.append(.paragraph("已被 \(followUp.ref.period.iso) \(followUp.ref.label) \(followUp.kind.code == "reversal" ? "红字冲销" : "订正")"))
        }
        let document = ReportDocument(
            view: .voucher, title: ViewKind.voucher.chineseTitle,
            titleBlock: [LabeledValue("工作室", voucher.ref.studio), LabeledValue("期间", voucher.ref.period.iso), LabeledValue("单位", "元")],
            sections: [DocumentSection(heading: nil, blocks: blocks)],
            fileStem: "\(voucher.ref.studio)-\(voucher.ref.period.iso)-voucher-\(voucher.ref.number)")
        return AnyReport(document: document, value: JournalVouchersJSON(vouchers: [JournalVoucherJSON(voucher, chart: chart)]))
    }

    public struct PeriodStatusJSON: Sendable, Codable, Hashable {
        public let studio: String
        /// The last closed month, nil when none is.
        public let closedThrough: Period?
        public let closed: [Period]
    }

    /// 结账状态 of a studio.
    public static func periodStatus(studio: String, book: PeriodBook) -> AnyReport {
        let line = book.closedThrough.map { "\(studio) 已结账至 \($0.chinese)；\($0.next.chinese) 起可记账" } ?? "\(studio) 尚未结账，所有期间均可记账"
        return AnyReport(
            document: .view(.periodStatus, titleBlock: [LabeledValue("工作室", studio)], blocks: [.paragraph(line)], stem: studio),
            value: PeriodStatusJSON(studio: studio, closedThrough: book.closedThrough, closed: book.closed))
    }
}
