import ArgumentParser
import FundApp
import FundCore
import Foundation

extension StudioCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "工作室当前状态（生命周期、建设期、应退补助资金）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(name: .customLong("as-of"), help: "截至日期（默认今天）") var asOf: CalendarDate?
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().lifecycle.statusReport(studio: studio, asOf: asOf), global) }
        }
    }

    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "推进工作室生命周期（申报、评审、公示、认定、建设、验收、整改、撤销）",
            discussion: """
                状态：\(LifecycleState.allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、"))
                撤销事由（--ground）：\(RevocationGround.allCases.map(\.rawValue).joined(separator: "、"))；
                因弄虚作假（fraud）或再次考核不合格（failed-reinspection）撤销时，全部已到位补助资金转入应退补助资金。
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(help: "目标状态") var to: String
        @Option(help: "日期 YYYY-MM-DD") var date: String
        @Option(help: "作出决定的单位或人员") var by: String
        @Option(help: "说明（考察意见、公示异议、验收意见等）") var note: String = ""
        @Option(help: "撤销事由") var ground: String?
        @Option(help: "整改期限（限期整改时必填，不超过 6 个月）") var deadline: String?
        @Option(help: "考核验收得分（0–100）") var score: String?

        func run() throws {
            try FundLedger.run {
                let form = TransitionForm(to: to, date: date, by: by, note: note, ground: ground, deadline: deadline, score: score)
                let (transition, clawback) = try global.open().lifecycle.advance(studio: studio, form: form)
                emit("\(studio) 已转为“\(transition.to.chineseName)”（\(transition.date.iso)）\n")
                for voucher in clawback {
                    let amount = voucher.draft.lines.first?.amount.groupedString ?? ""
                    emit("已记账追回补助资金凭证 \(voucher.ref.period.iso) \(voucher.ref.label)：应退补助资金 \(amount) 元\n")
                }
            }
        }
    }

    struct Notice: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "记录警告（可同时限期整改）或通报表扬（第九条第三项）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(help: "warning（警告）或 commendation（通报表扬）") var kind: String
        @Option(help: "日期 YYYY-MM-DD") var date: String
        @Option(help: "作出决定的单位") var by: String
        @Option(help: "说明") var note: String = ""
        @Option(help: "警告并限期整改的整改期限 YYYY-MM-DD（第九条第三项，建设期内任何时候均可；列入 deadlines）") var deadline: String?

        func run() throws {
            try FundLedger.run {
                let recorded = try global.open().lifecycle.notice(studio: studio, kind: kind, date: date, by: by, note: note, deadline: deadline)
                emit("已记录 \(studio) \(recorded.chineseName)（\(date)）\(deadline.map { "，限期整改至 \($0)" } ?? "")\n")
            }
        }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "记录工作室或领办人变动（第十一条）及其报告、答复",
            discussion: "新变动：--kind leader|host-unit|other --date 发生日期；已报告：--reported 编号 --date；已答复：--decided 编号 --date --note 结论")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(help: "变动类别：leader、host-unit、other") var kind: String?
        @Option(help: "日期 YYYY-MM-DD") var date: String
        @Option(help: "说明或答复结论") var note: String = ""
        @Option(help: "该编号的变动已向市人社局报告") var reported: Int?
        @Option(help: "市人社局已对该编号的变动作出答复") var decided: Int?

        func validate() throws {
            let given = [kind != nil, reported != nil, decided != nil].filter { $0 }.count
            guard given == 1 else { throw ValidationError("--kind、--reported、--decided 须且只能给出一个") }
        }

        var step: ChangeStep {
            if let reported { return .reported(id: reported) }
            if let decided { return .decided(id: decided) }
            return .new(kind: kind ?? "")
        }

        func run() throws {
            try FundLedger.run {
                let change = try global.open().lifecycle.change(studio: studio, step: step, date: date, note: note)
                if let decided = change.decided {
                    emit("第 \(change.id) 号变动已答复（\(decided.iso)）\n")
                    if change.kind != .other, StudioChangeEffect.refusal(in: change.decision ?? "") == nil {
                        let option = change.kind == .leader ? "--new-leader 姓名" : "--new-host-unit 统一社会信用代码"
                        emit("获认定的变更自答复之日起生效：workshop-ledger studio change-effect \(studio) --change \(change.id) \(option)\n")
                    }
                } else if let due = change.decisionDue {
                    emit("第 \(change.id) 号变动已报告：市人社局应于 \(due.iso) 前答复\n")
                } else {
                    emit("已记录第 \(change.id) 号\(change.kind.chineseName)：应于 \(change.reportDue.iso) 前向市人社局报告\n")
                }
            }
        }
    }

    struct ChangeEffect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change-effect",
            abstract: "已获市人社局认定的领办人或依托单位变更自答复之日起生效（第十一条）",
            discussion: """
                工作室编号、账簿和认定不变；答复之日及以后的报表、资料包和授权范围使用新的领办人或依托单位，
                此前的报表仍为原领办人或依托单位。变动须为 leader 或 host-unit 类别，且已答复、答复未予拒绝。
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(help: "已答复的变动编号（studio change --decided 的编号）") var change: Int
        @Option(name: .customLong("new-leader"), help: "新领办人姓名（领办人变更）") var newLeader: String?
        @Option(name: .customLong("new-host-unit"), help: "新依托单位统一社会信用代码（依托单位变更，须已登记）") var newHostUnit: String?

        func validate() throws {
            guard (newLeader == nil) != (newHostUnit == nil) else { throw ValidationError("--new-leader、--new-host-unit 须且只能给出一个") }
        }

        func run() throws {
            try FundLedger.run {
                let effect = try global.open().lifecycle.changeEffect(studio: studio, change: "\(change)", newLeader: newLeader, newHostUnit: newHostUnit)
                emit("第 \(effect.change) 号\(effect.target.kind.chineseName)自 \(effect.effective.iso) 起生效：\(effect.target.text)\n")
            }
        }
    }

    struct BudgetBasis: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "budget-basis",
            abstract: "事业单位工作室平行记账：查看或设定各资金收款记入的预算收入科目",
            discussion: """
                默认：补助资金 660101 非同级财政拨款预算收入，企业支持资金 660901 捐赠预算收入，自筹资金 610101 事业预算收入。
                市属单位由市财政拨付补助资金的，设为 600101 财政拨款预算收入（其结转记入 8101 财政拨款结转）。此后记账的凭证按新设定平行记账。
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(help: "资金来源（补助资金/企业支持资金/自筹资金）") var fund: String?
        @Option(help: "预算收入末级科目编码，如 600101") var account: String?

        func validate() throws {
            guard (fund == nil) == (account == nil) else { throw ValidationError("--fund 与 --account 须同时给出（都不给则只查看）") }
        }

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let accounting = try fund.map { try app.register.setBudgetRevenue(studio: studio, fund: $0, account: account!) }
                    ?? app.register.budgetAccounting(studio: studio)
                guard accounting.kept else {
                    emit("工作室 \(studio) 不做预算会计（依托单位类型：\(accounting.hostUnitKind.chineseName)）\n")
                    return
                }
                for fund in Fund.allCases {
                    emit("\(fund.chineseName)：\(accounting.basis.revenue[fund] ?? "—")；结转科目 \(accounting.basis.carryoverRoot(fund))\n")
                }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "工作室生命周期记录、通报和变动")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().lifecycle.historyReport(studio: studio), global) }
        }
    }

    struct Repay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "退回应退补助资金（记账：借 应退补助资金，贷 银行存款；专户不足部分由依托单位经内部往来补足）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(help: "退回日期 YYYY-MM-DD") var date: String
        @Option(help: "退回金额（元，默认为全部应退余额）") var amount: String?
        @Option(name: .customLong("shortfall-fund"), help: "专户余额不足时补足的资金来源（默认自筹资金）") var shortfallFund: Fund = .selfRaised

        func run() throws {
            try FundLedger.run {
                let posted = try global.open().lifecycle.repay(studio: studio, date: date, amount: amount, shortfallFund: shortfallFund)
                for voucher in posted {
                    emit("已记账退回补助资金凭证 \(voucher.ref.period.iso) \(voucher.ref.label)：\(voucher.draft.lines[0].amount.groupedString) 元\n")
                }
            }
        }
    }
}

struct DeadlinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines", abstract: "各工作室到期和逾期事项（公示期、建设期届满、整改期限、变动报告与答复），按日期排列")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("as-of"), help: "截至日期（默认今天）") var asOf: CalendarDate?
    @Option(help: "只看一个工作室") var studio: String?

    func run() throws {
        try FundLedger.run { try output.write(try global.open().lifecycle.deadlinesReport(asOf: asOf, studio: studio), global) }
    }
}

struct ActivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity", abstract: "工作室活动与产出记录（第十三条）", subcommands: [Add.self, Import.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记一条活动记录")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Option(help: "日期 YYYY-MM-DD") var date: String
        @Option(help: "类型：\(ActivityKind.allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、"))") var kind: String
        @Option(help: "名称") var title: String
        @Option(help: "数量（培训为参训人次，带徒为人数，交流为覆盖单位数）") var quantity: Int = 1
        @Option(help: "金额（元）：研发项目的经济效益或设备金额") var amount: String?
        @Option(help: "是否达成：徒弟取证或晋级、项目通过验收、设备在用（是/否）") var achieved: String?
        @Option(help: "证明材料（文件名、档案号或证据 SHA-256）") var evidence: String?
        @Option(help: "备注") var note: String = ""

        func run() throws {
            try FundLedger.run {
                let form = ActivityForm(
                    studio: studio, date: date, kind: kind, title: title, quantity: quantity, amount: amount, achieved: achieved,
                    evidence: evidence, note: note)
                let activity = try global.open().lifecycle.addActivity(form)
                emit("已登记 \(studio) \(activity.kind.chineseName)“\(activity.title)”（\(activity.date.iso)）\n")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "从 CSV 导入活动记录（列：日期,类型,名称,数量,金额,是否达成,证明材料,备注；有错则全部不导入）")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Argument(help: "CSV 文件（- 为标准输入）") var file: String

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let (data, name) = try readInput(file)
                let activities = try app.lifecycle.importActivities(csv: data, file: name, studio: studio)
                emit("已导入 \(activities.count) 条活动记录\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出活动记录")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().lifecycle.activitiesReport(studio: studio), global) }
        }
    }
}

struct TargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target", abstract: "绩效目标（认定时设定；后设覆盖先设）", subcommands: [Set.self, List.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "设定一项指标的目标值（及自评填报的实际值）")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Option(help: "指标编号（见 target list）") var indicator: String
        @Option(help: "目标值，如 5、90、50000") var target: String
        @Option(help: "实际值（自评填报类指标，如满意度 95）") var actual: String?
        @Option(help: "说明（偏差原因等）") var note: String = ""
        @Option(help: "指标体系文件（JSON，默认为内置 Reports/evaluation/indicators-default.json）") var indicators: String?

        func run() throws {
            try FundLedger.run {
                let value = try global.open().lifecycle.setTarget(
                    studio: studio, indicator: indicator, target: target, actual: actual, note: note,
                    indicators: indicators.map { URL(fileURLWithPath: $0) })
                emit("已设定 \(studio) 指标 \(value.indicator) 目标值 \(Scoring.quantityText(value.target))\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出指标体系及工作室的目标值")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Option(help: "指标体系文件（JSON）") var indicators: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run {
                try output.write(try global.open().lifecycle.targetsReport(studio: studio, indicators: indicators.map { URL(fileURLWithPath: $0) }), global)
            }
        }
    }
}

struct EvaluationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation",
        abstract: "补助资金绩效自评（财预〔2020〕10号）：写出绩效自评表（XLSX、PDF）、绩效评价报告（PDF、HTML）和 evaluation.json")
    @OptionGroup var global: GlobalOptions
    @Option(help: "工作室编号") var studio: String
    @Option(name: .customLong("as-of"), help: "评价截止日（默认今天）") var asOf: CalendarDate?
    @Option(help: "输出目录") var out: String
    @Option(help: "指标体系文件（JSON，默认为内置 Reports/evaluation/indicators-default.json）") var indicators: String?

    func run() throws {
        try FundLedger.run {
            let written = try global.open().evaluation.write(
                studio: studio, asOf: asOf, indicators: indicators.map { URL(fileURLWithPath: $0) },
                into: URL(fileURLWithPath: out, isDirectory: true))
            emit("\(studio) 绩效自评得分 \(written.total.text) 分，等级“\(written.grade)”\n")
            for url in written.files { emit("  \(url.path)\n") }
        }
    }
}
