import ArgumentParser
import FundApp
import FundCore
import FundRender
import FundStore
import Foundation

extension StudioCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "工作室当前状态（生命周期、建设期、应退补助资金）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String

        func run() throws {
            try FundLedger.run {
                let status = try global.open().lifecycle.status(studio: studio)
                var lines = [
                    "\(status.studio) \(status.name)",
                    "状态：\(status.state.chineseName)（\(status.since.iso) 起）" + (status.recorded ? "" : "，据登记的认定日期推定，尚未记录生命周期"),
                    "建设期：\(status.constructionWindow.lowerBound.iso) 至 \(status.constructionWindow.upperBound.iso)",
                    "核定补助：\(status.approvedSubsidyFen.groupedString) 元，已到位 \(status.subsidyReceivedFen.groupedString) 元",
                ]
                if let deadline = status.rectificationDeadline { lines.append("整改期限：\(deadline.iso)") }
                if status.refundOwedFen.fen > 0 {
                    lines.append("应退补助资金：\(status.refundOwedFen.groupedString) 元未退回（欠款中）")
                }
                lines.append("警告 \(status.warnings) 次，通报表扬 \(status.commendations) 次，未办结变动 \(status.openChanges) 项")
                emit(lines.joined(separator: "\n") + "\n")
            }
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
                let transition = LifecycleTransition(
                    to: try LifecycleState.parse(to), date: try CalendarDate.parse(date), by: by, note: note,
                    ground: try ground.map { try RevocationGround.parse($0) }, deadline: try deadline.map { try CalendarDate.parse($0) },
                    score: try score.map { try Score.parse($0) })
                let posted = try global.open().lifecycle.advance(studio: studio, transition: transition)
                emit("\(studio) 已转为“\(transition.to.chineseName)”（\(transition.date.iso)）\n")
                for voucher in posted {
                    let amount = voucher.draft.lines.first?.amount.groupedString ?? ""
                    emit("已记账追回补助资金凭证 \(voucher.ref.period.iso) \(voucher.ref.label)：应退补助资金 \(amount) 元\n")
                }
            }
        }
    }

    struct Notice: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "记录警告或通报表扬（第九条第三项）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String
        @Option(help: "warning（警告）或 commendation（通报表扬）") var kind: String
        @Option(help: "日期 YYYY-MM-DD") var date: String
        @Option(help: "作出决定的单位") var by: String
        @Option(help: "说明") var note: String = ""

        func run() throws {
            try FundLedger.run {
                let noticeKind = try GovernanceNoticeKind.parse(kind)
                try global.open().lifecycle.notice(noticeKind, studio: studio, date: try CalendarDate.parse(date), by: by, note: note)
                emit("已记录 \(studio) \(noticeKind.chineseName)（\(date)）\n")
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

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let day = try CalendarDate.parse(date)
                if let kind {
                    let change = try app.lifecycle.recordChange(studio: studio, kind: try ChangeKind.parse(kind), date: day, detail: note)
                    emit("已记录第 \(change.id) 号\(change.kind.chineseName)：应于 \(change.reportDue.iso) 前向市人社局报告\n")
                } else if let reported {
                    let change = try app.lifecycle.recordChangeReported(studio: studio, id: reported, date: day, note: note)
                    emit("第 \(change.id) 号变动已报告：市人社局应于 \(change.decisionDue!.iso) 前答复\n")
                } else if let decided {
                    let change = try app.lifecycle.recordChangeDecided(studio: studio, id: decided, date: day, note: note)
                    emit("第 \(change.id) 号变动已答复（\(change.decided!.iso)）\n")
                }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "工作室生命周期记录、通报和变动")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "工作室编号") var studio: String

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                var table = TextTable(headers: ["日期", "事项", "决定单位", "说明"], alignments: [.left, .left, .left, .left])
                for record in try app.lifecycle.records(studio: studio) {
                    let step = record.transition
                    var what = record.kind == "transition" ? "→ \(step.to.chineseName)" : (GovernanceNoticeKind(rawValue: record.kind)?.chineseName ?? record.kind)
                    if let ground = step.ground { what += "（\(ground.chineseName)）" }
                    var note = step.note
                    if let deadline = step.deadline { note = "整改期限 \(deadline.iso)" + (note.isEmpty ? "" : "；" + note) }
                    if let score = step.score { note = "考核得分 \(score.text)" + (note.isEmpty ? "" : "；" + note) }
                    table.add([step.date.iso, what, step.by, note])
                }
                for change in try app.lifecycle.changes(studio: studio) {
                    var state = "报告期限 \(change.reportDue.iso)"
                    if let reported = change.reported { state = "\(reported.iso) 已报告" }
                    if let decided = change.decided { state += "，\(decided.iso) 已答复 \(change.decision ?? "")" }
                    table.add([change.eventDate.iso, "第 \(change.id) 号\(change.kind.chineseName)", "", [change.detail, state].filter { !$0.isEmpty }.joined(separator: "；")])
                }
                emit(table.render())
            }
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
                let posted = try global.open().lifecycle.repay(
                    studio: studio, date: try CalendarDate.parse(date), amount: try amount.map { try Money.parse($0) },
                    shortfallFund: shortfallFund)
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
    @OptionGroup var output: FormatOption
    @Option(name: .customLong("as-of"), help: "截至日期（默认今天）") var asOf: String?
    @Option(help: "只看一个工作室") var studio: String?

    func run() throws {
        try FundLedger.run {
            let items = try global.open().lifecycle.deadlines(asOf: try asOf.map { try CalendarDate.parse($0) }, studio: studio)
            switch output.format {
            case .json:
                emit(LedgerViews.json(items))
            case .csv, .table:
                var table = TextTable(headers: ["日期", "工作室", "事项", "状态", "说明"], alignments: [.left, .left, .left, .left, .left])
                for item in items {
                    let state = item.overdue ? "已逾期 \(-item.daysLeft) 天" : (item.daysLeft == 0 ? "今日到期" : "剩 \(item.daysLeft) 天")
                    table.add([item.date.iso, item.studio, item.kind.chineseName, state, item.detail])
                }
                emit(items.isEmpty ? "没有到期或逾期事项\n" : table.render())
            }
        }
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
                let activity = try Activity(
                    studio: studio, date: try CalendarDate.parse(date), kind: try ActivityKind.parse(kind), title: title,
                    quantity: quantity, amount: try amount.map { try Money.parse($0) } ?? .zero,
                    achieved: try Activity.parseAchieved(achieved ?? ""), evidence: evidence, note: note)
                try global.open().lifecycle.addActivity(activity)
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
                let (data, name) = try readInput(file)
                let activities = try global.open().lifecycle.importActivities(csv: data, file: name, studio: studio)
                emit("已导入 \(activities.count) 条活动记录\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出活动记录")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String

        func run() throws {
            try FundLedger.run {
                var table = TextTable(
                    headers: ["日期", "类型", "名称", "数量", "金额", "达成", "证明材料"], alignments: [.left, .left, .left, .right, .right, .left, .left])
                for activity in try global.open().lifecycle.activities(studio: studio) {
                    table.add([
                        activity.date.iso, activity.kind.chineseName, activity.title, "\(activity.quantity)",
                        activity.amount.isZero ? "" : activity.amount.groupedString, activity.achieved.map { $0 ? "是" : "否" } ?? "",
                        activity.evidence ?? "",
                    ])
                }
                emit(table.render())
            }
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

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let set = try app.lifecycle.indicatorSet(file: indicators.map { URL(fileURLWithPath: $0) })
                let targets = Dictionary(uniqueKeysWithValues: try app.lifecycle.targets(studio: studio).map { ($0.indicator, $0) })
                var table = TextTable(
                    headers: ["指标编号", "二级指标", "三级指标", "分值", "目标值", "单位", "数据来源"],
                    alignments: [.left, .left, .left, .right, .right, .left, .left])
                for indicator in set.indicators {
                    let target = targets[indicator.id].map { Scoring.quantityText($0.target) } ?? (indicator.defaultTarget.map { "\($0)（默认）" } ?? "")
                    table.add([
                        indicator.id, indicator.group, indicator.name, "\(indicator.points)", target, indicator.unit,
                        set.measure(of: indicator).chineseSource,
                    ])
                }
                emit(table.render())
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
    @Option(name: .customLong("as-of"), help: "评价截止日（默认今天）") var asOf: String?
    @Option(help: "输出目录") var out: String
    @Option(help: "指标体系文件（JSON，默认为内置 Reports/evaluation/indicators-default.json）") var indicators: String?

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            let day = try asOf.map { try CalendarDate.parse($0) }
            let indicatorFile = indicators.map { URL(fileURLWithPath: $0) }
            let written = try app.lifecycle.writeEvaluation(
                studio: studio, asOf: day, indicators: indicatorFile, into: URL(fileURLWithPath: out, isDirectory: true))
            let value = try app.lifecycle.evaluation(studio: studio, asOf: day, indicators: indicatorFile).value
            emit("\(studio) 绩效自评得分 \(value.total.text) 分，等级“\(value.grade.rawValue)”\n")
            for url in written { emit("  \(url.path)\n") }
        }
    }
}
