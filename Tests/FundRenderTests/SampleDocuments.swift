import FundCore
import FundReports

/// Hand-built documents for the renderer tests. The tests play the report builder here: every
/// total is added up below, so the renderers' output can be checked against it.
enum SampleDocuments {
    static func yuan(_ text: String) -> Money { try! Money.parse(text) }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
        CalendarDate(year: year, month: month, day: day)!
    }

    static let titleBlock = [
        LabeledValue("编制单位", "资阳市现代职业技术学院"),
        LabeledValue("工作室", "张建国焊接技能大师工作室"),
        LabeledValue("资金", "补助资金"),
        LabeledValue("期间", "2025-01 至 2025-06"),
        LabeledValue("单位", "元"),
    ]

    static let signatures = [
        LabeledValue("会计主管", "王敏"), LabeledValue("复核", ""), LabeledValue("制表", "李华"),
    ]

    /// The sum of a money column over the given rows, as a builder would compute it.
    static func sum(_ rows: [Row], _ indices: [Int], column: Int) -> Money {
        indices.reduce(Money.zero) { total, index in try! total.adding(rows[index].cells[column].money ?? .zero) }
    }

    /// A total row: "合计" in `labelColumn`, `moneySum` cells over `indices` in the money columns.
    static func totalRow(
        _ role: Row.Role, label: String, labelColumn: Int, columns: [Column], rows: [Row], indices: [Int],
        extra: [Int: Cell] = [:]
    ) -> Row {
        let cells: [Cell] = columns.enumerated().map { index, column in
            if let cell = extra[index] { return cell }
            if index == labelColumn { return .text(label) }
            guard column.kind == .money else { return .empty }
            return .moneySum(sum(rows, indices, column: index), rows: indices)
        }
        return Row(role, cells)
    }

    // MARK: 科目余额表

    static let trialBalanceColumns = [
        Column("科目编码", .code, width: 8), Column("科目名称", .text, width: 20),
        Column("借方", .money, width: 13), Column("贷方", .money, width: 13),
        Column("借方", .money, width: 13), Column("贷方", .money, width: 13),
        Column("借方", .money, width: 13), Column("贷方", .money, width: 13),
    ]

    static func trialBalanceTable() -> DocumentTable {
        func line(_ indent: Int, _ code: String, _ name: String, _ amounts: [String?]) -> Row {
            Row(.body, indent: indent, [.text(code), .text(name)] + amounts.map { $0.map { .money(yuan($0)) } ?? .empty })
        }
        var rows = [
            Row(.group, [.text("补助资金")] + Array(repeating: Cell.empty, count: 7)),
            line(0, "1002", "银行存款", ["0.00", nil, "30000.00", "12345.60", "17654.40", nil]),
            line(1, "100201", "银行存款—补助资金户（工商银行资阳分行营业部）", ["0.00", nil, "30000.00", "12345.60", "17654.40", nil]),
            line(0, "4001", "专项补助收入", [nil, "0.00", nil, "30000.00", nil, "30000.00"]),
            line(0, "5001", "业务活动费用", ["0.00", nil, "12345.60", nil, "12345.60", nil]),
            line(1, "500101", "设备购置费", ["0.00", nil, "10000.00", nil, "10000.00", nil]),
            line(1, "500102", "材料费", ["0.00", nil, "2345.60", nil, "2345.60", nil]),
        ]
        rows.append(totalRow(.total, label: "合计", labelColumn: 1, columns: trialBalanceColumns, rows: rows, indices: [1, 3, 4]))
        return DocumentTable(
            name: "补助资金", caption: "资金来源：补助资金", columns: trialBalanceColumns,
            groupHeader: [
                HeaderGroup("科目编码", span: 1), HeaderGroup("科目名称", span: 1), HeaderGroup("期初余额", span: 2),
                HeaderGroup("本期发生额", span: 2), HeaderGroup("期末余额", span: 2),
            ],
            rows: rows)
    }

    static func trialBalance() -> ReportDocument {
        let facts: [Fact] = [
            Fact("核定补助", .money(yuan("30000.00"))),
            Fact("资金到位率", .percent(Percent(hundredths: 10_000))),
            Fact("支出执行率", .percent(Percent(hundredths: 4_115))),
            Fact("凭证张数", .count(12)),
            Fact("截止日期", .date(date(2025, 6, 30))),
        ]
        return ReportDocument(
            kind: .trialBalance, title: "科目余额表", titleBlock: titleBlock,
            sections: [
                DocumentSection(heading: "补助资金", blocks: [.table(trialBalanceTable())]),
                DocumentSection(heading: "资金执行情况", blocks: [
                    .facts(facts),
                    .paragraph("本表按资金来源分别列示，期末余额借贷方向以科目性质为准；合计行只汇总一级科目，明细科目不重复计入。"),
                ]),
            ],
            signatures: signatures, orientation: .landscape, fileStem: "ZY2025-001-trial-balance")
    }

    // MARK: 明细账

    static let ledgerColumns = [
        Column("日期", .date, width: 10), Column("凭证字号", .code, width: 9), Column("摘要", .text, width: 30),
        Column("借方", .money, width: 13), Column("贷方", .money, width: 13), Column("方向", .direction, width: 4),
        Column("余额", .money, width: 13),
    ]

    static let memos = [
        "购买焊条",
        "支付实训耗材采购款（焊条、钢板、防护用品等），合同编号ZY-2025-0412，验收单、发票及入库单见附件",
        "报销差旅费",
        "Payment for TIG welding torch spare parts, invoice No. 44011234, shipped from Chengdu",
        "收到专项补助资金",
        "支付技能大师工作室2025年第二季度带徒培训讲课费及场地租赁费，按培训协议第三条分期支付",
        "支付水电费",
    ]

    /// `count` entries over twelve months with 本月合计 and 本年累计 rows after each month and a
    /// 合计 row at the end; every third memo is long enough to wrap.
    static func ledgerTable(entries count: Int) -> DocumentTable {
        var rows: [Row] = []
        var balance = Money.zero
        var bodies: [Int] = []
        let perMonth = max(1, (count + 11) / 12)
        var entry = 0
        for month in 1...12 where entry < count {
            var monthRows: [Int] = []
            for day in 0..<perMonth where entry < count {
                let debit = entry % 5 == 4 ? yuan("30000.00") : nil
                let credit = debit == nil ? Money(fen: Int64(1_000 + (entry * 7_919) % 900_000)) : nil
                balance = try! balance.adding(debit ?? .zero).subtracting(credit ?? .zero)
                let memo = memos[entry % memos.count]
                rows.append(Row(.body, [
                    .date(date(2025, month, 1 + day % 28)), .text("记-" + String(format4(entry + 1))), .text(memo),
                    debit.map(Cell.money) ?? .empty, credit.map(Cell.money) ?? .empty,
                    .direction(BalanceDirection(balance: balance)), .money(balance.magnitude),
                ]))
                monthRows.append(rows.count - 1)
                entry += 1
            }
            bodies += monthRows
            let end = [5: Cell.direction(BalanceDirection(balance: balance)), 6: .money(balance.magnitude)]
            let subtotal = totalRow(.subtotal, label: "本月合计", labelColumn: 2, columns: ledgerColumns, rows: rows, indices: monthRows, extra: end)
            let cumulative = totalRow(.cumulative, label: "本年累计", labelColumn: 2, columns: ledgerColumns, rows: rows, indices: bodies, extra: end)
            rows.append(subtotal)
            rows.append(cumulative)
        }
        let end = [5: Cell.direction(BalanceDirection(balance: balance)), 6: .money(balance.magnitude)]
        rows.append(totalRow(.total, label: "合计", labelColumn: 2, columns: ledgerColumns, rows: rows, indices: bodies, extra: end))
        return DocumentTable(name: "银行存款明细账", columns: ledgerColumns, rows: rows)
    }

    static func format4(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    static func ledger(entries: Int = 300) -> ReportDocument {
        ReportDocument(
            kind: .subsidiaryLedger, title: "明细账", titleBlock: titleBlock + [LabeledValue("科目", "100201 银行存款—补助资金户")],
            sections: [DocumentSection(heading: nil, blocks: [.table(ledgerTable(entries: entries))])],
            signatures: signatures, orientation: .portrait, fileStem: "ZY2025-001-subsidiary-ledger")
    }

    // MARK: 记账凭证

    static let voucherSignatures = [
        LabeledValue("会计主管", "王敏"), LabeledValue("记账", "李华"), LabeledValue("审核", "赵强"),
        LabeledValue("出纳", "陈静"), LabeledValue("制单", "李华"),
    ]

    static func voucher(_ number: Int, _ date: CalendarDate, attachments: Int, note: String? = nil,
                        lines: [(String, String, String?, String?)]) -> VoucherPrint {
        let printed = lines.map { memo, account, debit, credit in
            VoucherPrint.Line(memo: memo, account: account, fund: "补助资金",
                              debit: debit.map(yuan), credit: credit.map(yuan))
        }
        let debit = printed.reduce(Money.zero) { try! $0.adding($1.debit ?? .zero) }
        let credit = printed.reduce(Money.zero) { try! $0.adding($1.credit ?? .zero) }
        return VoucherPrint(
            label: "记-" + format4(number), date: date, attachments: attachments,
            unit: "资阳市现代职业技术学院—张建国焊接技能大师工作室", note: note, lines: printed,
            debitTotal: debit, creditTotal: credit, signatures: voucherSignatures)
    }

    static func vouchers() -> ReportDocument {
        let bank = "100201 银行存款—补助资金户"
        let first = voucher(1, date(2025, 3, 5), attachments: 2, lines: [
            ("收到专项补助资金", bank, "30000.00", nil),
            ("收到专项补助资金", "4001 专项补助收入", nil, "30000.00"),
        ])
        let second = voucher(2, date(2025, 3, 18), attachments: 5, note: "红字冲销 2025-03 记-0007", lines: [
            ("购买焊条（E4303，Φ3.2）", "500102 业务活动费用—材料费", "1280.00", nil),
            ("购买防护面罩", "500102 业务活动费用—材料费", "400.32", nil),
            ("支付材料款", bank, nil, "1680.32"),
        ])
        let third = voucher(3, date(2025, 4, 2), attachments: 8, lines: (1...8).map { index in
            ("支付第\(index)期带徒培训讲课费及场地租赁费（按培训协议分期支付）", "500103 业务活动费用—劳务费", "250.00", nil)
        } + [("支付劳务费", bank, nil, "2000.00")])
        return ReportDocument(
            kind: .vouchers, title: "记账凭证", titleBlock: titleBlock,
            sections: [DocumentSection(heading: nil, blocks: [.voucher(first), .voucher(second), .voucher(third)])],
            fileStem: "ZY2025-001-vouchers")
    }

    // MARK: 累计支出图

    static func chart() -> SpendingChart {
        let months = (1...12).map { Period(year: 2025, month: $0)! }
        let subsidy = [0, 1_200, 3_500, 6_800, 9_000, 12_345, 15_000, 18_200, 21_000, 21_000, 21_000, 21_000]
        let own = [0, 0, 800, 800, 2_400, 2_400, 5_100, 6_000, 7_300, 7_300, 7_300, 7_300]
        return SpendingChart(
            title: "专项资金累计支出图",
            months: months,
            series: [
                SpendingChart.Series(name: "补助资金", points: subsidy.map { Money(fen: Int64($0) * 100) }),
                SpendingChart.Series(name: "自筹资金", points: own.map { Money(fen: Int64($0) * 100) }),
            ],
            references: [
                SpendingChart.Reference(label: "核定补助 30,000.00", amount: yuan("30000.00")),
                SpendingChart.Reference(label: "自筹预算 10,000.00", amount: yuan("10000.00")),
            ],
            asOf: Period(year: 2025, month: 9))
    }

    static func spendingChart() -> ReportDocument {
        ReportDocument(
            kind: .spendingChart, title: "专项资金累计支出图", titleBlock: titleBlock,
            sections: [DocumentSection(heading: "累计支出", blocks: [
                .chart(chart()),
                .paragraph("截至 2025-09，补助资金累计支出 21,000.00 元，占核定补助的 70.00%。"),
            ])],
            orientation: .landscape, fileStem: "ZY2025-001-spending-chart")
    }
}
