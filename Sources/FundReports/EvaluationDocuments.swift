import FundCore

/// The 绩效自评表 and the 绩效评价报告 laid out from a scored evaluation.
enum EvaluationDocuments {
    static func titleBlock(_ value: PerformanceEvaluation, input: EvaluationInput) -> [LabeledValue] {
        let window = input.header.studio.constructionWindow
        var block = [
            LabeledValue("项目名称", "\(value.studioName)建设项目（\(value.studio)）"),
            LabeledValue("建设（依托）单位", value.hostUnit),
        ]
        // 第十二条: a 涉密 host unit's evaluation carries the marking, as its statements do.
        if let marking = input.header.confidentiality, marking.confidential {
            block.append(LabeledValue("密级", ReportHeader.markingText(marking)))
        }
        return block + [
            LabeledValue("主管部门", "资阳市人力资源和社会保障局"),
            LabeledValue("建设期", "\(window.lowerBound.chinese)—\(window.upperBound.chinese)"),
            LabeledValue("评价截止日", value.asOf.chinese),
            LabeledValue("单位", "元"),
        ]
    }

    static func score(_ hundredths: Int64) -> Cell { .decimal(hundredths: hundredths) }

    static func quantity(_ hundredths: Int64?, unit: String) -> Cell {
        hundredths.map { .text(quantityText($0, unit: unit)) } ?? .text("—")
    }

    /// "5人", "90%", and amounts (元, in fen) with thousands separators: "32,100.00 元".
    static func quantityText(_ hundredths: Int64, unit: String) -> String {
        unit == "元" ? Money(fen: hundredths).groupedString + " 元" : Scoring.quantityText(hundredths) + unit
    }

    /// The grade bands, written so that no score falls in two.
    static let gradeBands = "90 分（含）以上为优，80 分（含）至 90 分为良，60 分（含）至 80 分为中，60 分以下为差"

    /// The scores as printed. Each line and category score is rounded for display so that the
    /// lines add up to their category's 小计 and the 小计 to the 总分 — the exact total rounded
    /// once, which never moves (`Scoring.displayHundredths`, largest remainder). A printed score
    /// is its exact score rounded down or up, and may differ by 0.01 from the line's own
    /// `scoreHundredths` (rounded half up alone).
    struct PrintedScores {
        private(set) var lines: [String: Int64] = [:]
        private(set) var categories: [String: Int64] = [:]

        init(_ value: PerformanceEvaluation) {
            let own = value.categories.map { category in value.lines.filter { $0.category == category.id } }
            let shown = Scoring.displayHundredths(own.map { ExactScoreSum($0.map(\.exactScore)) }, total: value.totalHundredths)
            for (index, category) in value.categories.enumerated() {
                categories[category.id] = shown[index]
                let parts = Scoring.displayHundredths(own[index].map { ExactScoreSum([$0.exactScore]) }, total: shown[index])
                for (line, part) in zip(own[index], parts) { lines[line.id] = part }
            }
        }

        func line(_ line: PerformanceEvaluation.Line) -> Int64 { lines[line.id] ?? line.scoreHundredths }
        func category(_ category: PerformanceEvaluation.Category) -> Int64 { categories[category.id] ?? category.scoreHundredths }
    }

    // MARK: 绩效自评表

    static func selfEvaluation(_ value: PerformanceEvaluation, input: EvaluationInput) -> ReportDocument {
        var facts = [
            Fact("自评总分", .text("\(value.total.text) 分")), Fact("评价等级", .text(value.grade.rawValue)),
            Fact("确认的违规事项", .count(value.confirmedViolations)),
        ]
        if let moved = movedPointsText(value) { facts.append(Fact("未设定指标", .text(moved))) }
        for county in value.countyScores {
            facts.append(Fact("县级考核验收得分（\(county.date.iso)）", .text("\(Score(hundredths: county.scoreHundredths).text) 分")))
        }
        return ReportDocument(
            kind: .selfEvaluation, title: ReportKind.selfEvaluation.chineseTitle, titleBlock: titleBlock(value, input: input),
            sections: [
                DocumentSection(heading: "一、预算执行情况", blocks: [.table(budgetTable(value))]),
                DocumentSection(heading: "二、绩效指标完成情况", blocks: [.table(indicatorTable(value)), .paragraph(scoringNote(value)), .facts(facts)]),
            ],
            signatures: [LabeledValue("单位负责人", ""), LabeledValue("财务负责人", ""), LabeledValue("填表人", ""), LabeledValue("填报日期", value.asOf.chinese)],
            orientation: .landscape, fileStem: "\(value.studio)-绩效自评表")
    }

    /// "学员（徒弟）满意度 10.00 分按分值比例计入产出指标", or nil when every indicator is set.
    static func movedPointsText(_ value: PerformanceEvaluation) -> String? {
        let unset = value.lines.filter(\.unset)
        guard !unset.isEmpty else { return nil }
        return unset.map { "\($0.name) \(Scoring.quantityText($0.setPointsHundredths)) 分" }.joined(separator: "、") + "按分值比例计入产出指标"
    }

    /// The target cell: 无违规 for deductions, 未设定 for an unset indicator.
    static func targetCell(_ line: PerformanceEvaluation.Line) -> Cell {
        if line.unset { return .text("未设定") }
        return line.kind == .deduction ? .text("无违规") : quantity(line.targetHundredths, unit: line.unit)
    }

    /// Both rates, labelled exactly (issue 15, item 3): 资金执行率 = 实际支出 ÷ 实际到位, and
    /// 预算执行率 = 实际支出 ÷ 预算数 — what the 财预〔2020〕10号 form scores (全年执行数 ÷ 全年预算数);
    /// the 预算数 is the fund's budget lines, or without any its approved or planned amount
    /// (`FundStatement.FundPart.budgetBasisFen`), and the 合计 divides by their sum as the fund
    /// statement does.
    static func budgetTable(_ value: PerformanceEvaluation) -> DocumentTable {
        var rows = value.funds.map { part in
            Row(.body, [
                .text(part.fund.chineseName), .amount(part.plannedFen), .money(part.receivedFen), FundStatementReport.rate(part.arrivalRate),
                .money(part.spentFen), FundStatementReport.rate(part.fundExecutionRate), FundStatementReport.rate(part.executionRate),
                .money(part.balanceFen),
            ])
        }
        let received = value.funds.reduce(Money.zero) { (try? $0.adding($1.receivedFen)) ?? $0 }
        let spent = value.funds.reduce(Money.zero) { (try? $0.adding($1.spentFen)) ?? $0 }
        let balance = value.funds.reduce(Money.zero) { (try? $0.adding($1.balanceFen)) ?? $0 }
        let basis = value.funds.compactMap(\.budgetBasisFen).reduce(Money.zero) { (try? $0.adding($1)) ?? $0 }
        let bodyRows = Array(0..<rows.count)
        rows.append(Row(.total, [
            .text("合计"), plannedTotal(value.funds), .moneySum(received, rows: bodyRows), FundStatementReport.rate(arrivalTotal(value.funds)),
            .moneySum(spent, rows: bodyRows), FundStatementReport.rate(Percent.ratio(spent, received)),
            FundStatementReport.rate(Percent.ratio(spent, basis)), .moneySum(balance, rows: bodyRows),
        ]))
        return DocumentTable(
            name: "预算执行",
            caption: "预算执行情况（资金到位率 = 实际到位 ÷ 核定或预算；资金执行率 = 实际支出 ÷ 实际到位；"
                + "预算执行率 = 实际支出 ÷ 预算数，预算数为预算明细合计，无预算明细的按核定数）",
            columns: [
                Column("资金来源", .text, width: 14), Column("核定/预算数", .money, width: 14), Column("实际到位", .money, width: 14),
                Column("到位率", .percent, width: 9), Column("实际支出", .money, width: 14), Column("资金执行率", .percent, width: 10),
                Column("预算执行率", .percent, width: 10), Column("结余", .money, width: 14),
            ],
            rows: rows)
    }

    /// How the indicator table is scored and rounded, printed under it (too long for a caption).
    static func scoringNote(_ value: PerformanceEvaluation) -> String {
        "说明：定量指标按实际 ÷ 目标 × 分值计分，封顶满分；反向指标按目标 ÷ 实际 × 分值计分"
            + (value.lines.contains(where: \.unset) ? "；未设定指标的分值按分值比例计入产出指标" : "")
            + "。总分由各指标未经舍入的得分相加后四舍五入至 0.01 分；各指标和小计的得分保留两位小数，舍入差按最大余额法分配，"
            + "使各指标得分之和等于小计、各小计之和等于总分。"
    }

    /// The planned amounts added up over the funds that have one (empty when none has).
    static func plannedTotal(_ funds: [FundStatement.FundPart]) -> Cell {
        let planned = funds.indices.filter { funds[$0].plannedFen != nil }
        guard !planned.isEmpty else { return .empty }
        let total = planned.reduce(Money.zero) { (try? $0.adding(funds[$1].plannedFen!)) ?? $0 }
        return .moneySum(total, rows: planned)
    }

    /// 资金到位率 of all the funds: received ÷ planned, when no fund without a plan received
    /// anything (nil otherwise, or with nothing planned).
    static func arrivalTotal(_ funds: [FundStatement.FundPart]) -> Percent? {
        guard funds.allSatisfy({ $0.plannedFen != nil || $0.receivedFen.isZero }) else { return nil }
        let planned = funds.reduce(Money.zero) { (try? $0.adding($1.plannedFen ?? .zero)) ?? $0 }
        let received = funds.reduce(Money.zero) { (try? $0.adding($1.receivedFen)) ?? $0 }
        return Percent.ratio(received, planned)
    }

    /// Each category's lines followed by its 小计, then the 总分: the printed scores add up
    /// (`PrintedScores`), and in XLSX the 小计 and 总分 are =SUM formulas over them.
    static func indicatorTable(_ value: PerformanceEvaluation) -> DocumentTable {
        let printed = PrintedScores(value)
        var rows: [Row] = []
        var subtotals: [Int] = []
        for category in value.categories {
            let first = rows.count
            for line in value.lines where line.category == category.id {
                rows.append(Row(.body, [
                    .text(line.categoryName), .text(line.group), .text(line.name),
                    targetCell(line),
                    quantity(line.actualHundredths, unit: line.kind == .deduction ? " 项违规" : line.unit),
                    score(line.pointsHundredths), score(printed.line(line)), .text(line.deviationReason),
                ]))
            }
            let own = Array(first..<rows.count)
            subtotals.append(rows.count)
            rows.append(Row(.subtotal, [
                .text("\(category.name)小计"), .empty, .empty, .empty, .empty,
                .decimalSum(hundredths: category.pointsHundredths, rows: own),
                .decimalSum(hundredths: printed.category(category), rows: own), .empty,
            ]))
        }
        rows.append(Row(.total, [
            .text("总分"), .empty, .empty, .empty, .empty, .decimalSum(hundredths: 10_000, rows: subtotals),
            .decimalSum(hundredths: value.totalHundredths, rows: subtotals), .text("评价等级：\(value.grade.rawValue)"),
        ]))
        return DocumentTable(
            name: "绩效指标",
            caption: "绩效指标完成情况（计分方法见表后说明）",
            columns: [
                Column("一级指标", .text, width: 10), Column("二级指标", .text, width: 12), Column("三级指标", .text, width: 20),
                Column("年度指标值", .text, width: 11), Column("实际完成值", .text, width: 11), Column("分值", .decimal, width: 7),
                Column("得分", .decimal, width: 7), Column("偏差原因分析", .text, width: 28),
            ],
            rows: rows)
    }

    // MARK: 绩效评价报告

    static func report(_ value: PerformanceEvaluation, input: EvaluationInput) -> ReportDocument {
        let sections = [
            basicFacts(value, input: input), method(value, input: input), conclusion(value, input: input),
            analysis(value, input: input), problems(value, input: input), recommendations(value, input: input), otherMatters(value, input: input),
        ]
        return ReportDocument(
            kind: .evaluationReport, title: "\(value.studioName)补助资金绩效评价报告", titleBlock: titleBlock(value, input: input),
            sections: sections,
            signatures: [LabeledValue("评价单位（盖章）", value.hostUnit), LabeledValue("单位负责人", ""), LabeledValue("日期", value.asOf.chinese)],
            orientation: .portrait, fileStem: "\(value.studio)-绩效评价报告")
    }

    static func part(_ value: PerformanceEvaluation, _ fund: Fund) -> FundStatement.FundPart? { value.funds.first { $0.fund == fund } }

    static func rateText(_ percent: Percent?) -> String { percent?.text ?? "—" }

    static func basicFacts(_ value: PerformanceEvaluation, input: EvaluationInput) -> DocumentSection {
        let studio = input.header.studio
        let window = studio.constructionWindow
        let subsidy = part(value, .subsidy)
        var text = "\(value.studioName)由\(value.hostUnit)（\(input.header.hostUnit.kind.chineseName)，\(input.header.hostUnit.county)）依托建设，"
        text += "领办人\(studio.leader)，技能领域为\(studio.field.isEmpty ? "—" : studio.field)。工作室于\(studio.recognized.chinese)经市委组织部、市人力资源社会保障局、市财政局认定为市级技能大师工作室，"
        text += "建设期两年（\(window.lowerBound.chinese)至\(window.upperBound.chinese)），核定一次性补助资金 \(studio.approvedSubsidy.groupedString) 元，"
        text += "截至\(value.asOf.chinese)实际到位 \(subsidy?.receivedFen.groupedString ?? "0.00") 元。"
        text += "项目资金按补助资金、企业支持资金、自筹资金分别建账核算，专款专用。"
        let goals = "绩效目标：按照《资阳市技能大师工作室建设项目实施管理办法》第十三条，工作室应具备固定场所和必要工作条件、建立完善的管理制度、通过传帮带培养青年技术技能骨干、总结推广创新成果和绝技绝活、开展技术革新并产生经济效益。各项指标的年度目标值见下表。"
        let targets = DocumentTable(
            name: "绩效目标", caption: nil,
            columns: [Column("一级指标", .text, width: 10), Column("二级指标", .text, width: 12), Column("三级指标", .text, width: 22), Column("目标值", .text, width: 12)],
            rows: value.lines.map { line in
                Row(.body, [
                    .text(line.categoryName), .text(line.group), .text(line.name), targetCell(line),
                ])
            })
        return DocumentSection(heading: "一、基本情况和绩效目标", blocks: [.paragraph(text), .paragraph(goals), .table(targets)])
    }

    static func method(_ value: PerformanceEvaluation, input: EvaluationInput) -> DocumentSection {
        let text = "本次评价为单位自评，依据《项目支出绩效评价管理办法》（财预〔2020〕10号）和《资阳市技能大师工作室建设项目实施管理办法》第十四条开展。"
            + "评价采用“\(value.indicatorSet)”，一级指标及权重为："
            + input.indicators.categories.map { "\($0.name) \($0.weight) 分" }.joined(separator: "、") + "。"
            + "资金到位率、预算执行率、建设期内支出占比、设备购置成本和资金使用合规性取自工作室项目账簿（截至\(value.asOf.chinese)的记账凭证和合规检查结果），"
            + "数量、质量和效益指标取自工作室活动记录及其证明材料（共 \(input.activities.count) 条），满意度等指标为自评填报。"
            + "定量指标达到目标值得满分，未达到的按实际值 ÷ 目标值 × 分值计分；反向指标按目标值 ÷ 实际值 × 分值计分；定性指标按“好（100%–80%）、中（80%–60%）、差（60%–0）”分档计分。"
        return DocumentSection(heading: "二、绩效评价工作开展情况", blocks: [.paragraph(text)])
    }

    static func conclusion(_ value: PerformanceEvaluation, input: EvaluationInput) -> DocumentSection {
        let printed = PrintedScores(value)
        var text = "经评价，本项目自评得分 \(value.total.text) 分，评价等级为“\(value.grade.rawValue)”（\(gradeBands)）。其中"
        text += value.categories.map { "\($0.name)得分 \(Score(hundredths: printed.category($0)).text) 分（满分 \(Scoring.quantityText($0.pointsHundredths)) 分）" }.joined(separator: "，") + "。"
        if let moved = movedPointsText(value) { text += "\(moved)（财预〔2020〕10号）。" }
        for county in value.countyScores {
            text += "\(county.date.chinese)，\(county.by)考核验收评分 \(Score(hundredths: county.scoreHundredths).text) 分，结论为“\(LifecycleState(rawValue: county.result)?.chineseName ?? county.result)”。"
        }
        let table = DocumentTable(
            name: "评分汇总", caption: nil,
            columns: [Column("一级指标", .text, width: 16), Column("分值", .decimal, width: 8), Column("得分", .decimal, width: 8), Column("得分率", .percent, width: 10)],
            rows: value.categories.map { category in
                Row(.body, [
                    .text(category.name), score(category.pointsHundredths), score(printed.category(category)),
                    Scoring.rate(printed.category(category), of: category.pointsHundredths).map { .percent(Percent(hundredths: $0)) } ?? .text("—"),
                ])
            } + [Row(.total, [
                .text("合计"), .decimalSum(hundredths: 10_000, rows: Array(value.categories.indices)),
                .decimalSum(hundredths: value.totalHundredths, rows: Array(value.categories.indices)), .percent(Percent(hundredths: value.totalHundredths)),
            ])])
        return DocumentSection(heading: "三、综合评价结论", blocks: [.paragraph(text), .table(table)])
    }

    static func analysis(_ value: PerformanceEvaluation, input: EvaluationInput) -> DocumentSection {
        var blocks: [Block] = []
        let subsidy = part(value, .subsidy)
        var budget = "（一）预算执行情况。补助资金核定 \(input.header.studio.approvedSubsidy.groupedString) 元，实际到位 \(subsidy?.receivedFen.groupedString ?? "0.00") 元，"
        budget += "资金到位率 \(rateText(subsidy?.arrivalRate))；实际支出 \(subsidy?.spentFen.groupedString ?? "0.00") 元，资金执行率 \(rateText(subsidy?.fundExecutionRate))，预算执行率 \(rateText(subsidy?.executionRate))，结余 \(subsidy?.balanceFen.groupedString ?? "0.00") 元。"
        for fund in [Fund.enterprise, .selfRaised] {
            if let other = part(value, fund), !(other.receivedFen.isZero && other.spentFen.isZero) {
                budget += "\(fund.chineseName)到位 \(other.receivedFen.groupedString) 元，支出 \(other.spentFen.groupedString) 元，预算执行率 \(rateText(other.executionRate))。"
            }
        }
        blocks.append(.paragraph(budget))
        if let chart = input.chart { blocks.append(.chart(chart)) }
        let printed = PrintedScores(value)
        let labels = ["output": "（二）产出指标", "benefit": "（三）效益指标", "satisfaction": "（四）满意度指标", "budget": "（五）预算执行率指标"]
        for (index, category) in value.categories.enumerated() {
            let own = value.lines.filter { $0.category == category.id }
            let label = labels[category.id] ?? "（\(["二", "三", "四", "五", "六", "七"][min(index, 5)])）\(category.name)"
            var text = "\(label)。满分 \(Scoring.quantityText(category.pointsHundredths)) 分，得分 \(Score(hundredths: printed.category(category)).text) 分。"
            text += own.map { line in
                if line.unset { return "\(line.name)\(EvaluationReport.unsetReason)（\(Scoring.quantityText(line.setPointsHundredths)) 分）" }
                let actual = line.actualHundredths.map { quantityText($0, unit: line.kind == .deduction ? " 项违规" : line.unit) } ?? "无记录"
                return "\(line.name)实际 \(actual)，得 \(Score(hundredths: printed.line(line)).text) 分（满分 \(Score(hundredths: line.pointsHundredths).text)）"
            }.joined(separator: "；") + "。"
            blocks.append(.paragraph(text))
        }
        return DocumentSection(heading: "四、绩效指标分析", blocks: blocks)
    }

    static func problems(_ value: PerformanceEvaluation, input: EvaluationInput) -> DocumentSection {
        var blocks: [Block] = []
        let strengths = value.lines.filter { !$0.unset && $0.scoreHundredths == $0.pointsHundredths }.map(\.name)
        blocks.append(.paragraph(
            "（一）主要经验和做法。" + (strengths.isEmpty ? "暂无达到目标值的指标。" : "\(strengths.prefix(8).joined(separator: "、"))等指标达到或超过目标值。")
                + "项目资金按资金来源分别建账，凭证只增不改，更正采用红字冲销，账簿可追溯。"))
        let shortfalls = value.lines.filter { $0.scoreHundredths < $0.pointsHundredths }
        var text = "（二）存在的问题及原因分析。"
        if shortfalls.isEmpty && value.confirmedViolations == 0 {
            text += "未发现明显问题。"
        } else {
            text += shortfalls.enumerated().map { "\($0.offset + 1). \($0.element.name)：\($0.element.deviationReason)" }.joined(separator: "；")
            text += shortfalls.isEmpty ? "" : "。"
        }
        blocks.append(.paragraph(text))
        let violations = input.confirmedViolations
        if !violations.isEmpty {
            let table = DocumentTable(
                name: "违规事项", caption: "合规检查确认的违规事项（说明未获接受）",
                columns: [Column("凭证", .code, width: 14), Column("事项", .text, width: 40), Column("金额", .money, width: 12), Column("依据", .text, width: 16)],
                rows: violations.map { finding in
                    Row(.body, [
                        .text(finding.voucher == nil ? "—" : AuditViews.voucherLabel(finding)), .text(finding.message),
                        .money(Money(fen: finding.amountFen)), .text(finding.article),
                    ])
                })
            blocks.append(.table(table))
        }
        return DocumentSection(heading: "五、主要经验做法、存在的问题和原因分析", blocks: blocks)
    }

    static func recommendations(_ value: PerformanceEvaluation, input: EvaluationInput) -> DocumentSection {
        var items: [String] = []
        if value.confirmedViolations > 0 {
            items.append("对合规检查确认的 \(value.confirmedViolations) 项违规事项逐项整改，违规列支的补助资金调整至其他资金或予以退回，严格执行补助资金“单独建账、专款专用”。")
        }
        let subsidy = part(value, .subsidy)
        if let rate = subsidy?.executionRate, rate.hundredths < 10_000 {
            items.append("补助资金预算执行率为 \(rate.text)，应按资金使用计划加快执行，确保建设期内用于培训设施设备购置、技术研发和技能交流推广。")
        }
        let lagging = value.lines.filter { $0.category != "budget" && $0.scoreHundredths < $0.pointsHundredths && $0.id != "compliance" }
        if !lagging.isEmpty {
            items.append("针对\(lagging.prefix(5).map(\.name).joined(separator: "、"))等未达目标的指标，完善活动记录和证明材料，加强带徒传技和成果推广。")
        }
        if items.isEmpty { items.append("保持现有管理做法，持续做好成果总结推广和绩效跟踪。") }
        return DocumentSection(
            heading: "六、有关建议", blocks: items.enumerated().map { .paragraph("\($0.offset + 1). \($0.element)") })
    }

    static func otherMatters(_ value: PerformanceEvaluation, input: EvaluationInput) -> DocumentSection {
        var text = "工作室当前状态：\(value.lifecycleState.chineseName)"
        if let last = input.history.last { text += "（\(last.date.chinese)，\(last.by)）" }
        text += "。"
        let revocation = input.history.last(where: { $0.to == .revoked })
        let ground = revocation?.ground
        if let ground { text += "撤销事由：\(ground.chineseName)。" }
        // The recovery with its true basis (`RevocationGround.recoveryBasis`): 第十四条 for a
        // failed re-inspection; for fraud 第十条 disqualifies and the recovery is the revocation's
        // own decision, named with its decision-maker and date; nothing where the measures are silent.
        if let ground, let revocation, let basis = ground.recoveryBasis {
            text += basis
            if ground == .fraud { text += "（\(revocation.by)，\(revocation.date.chinese)）" }
            text += value.refundOwedFen.fen > 0
                ? "，应退补助资金 \(value.refundOwedFen.groupedString) 元尚未退回。"
                : "；截至评价截止日没有尚未退回的应退补助资金。"
        } else if value.refundOwedFen.fen > 0 {
            text += "应退补助资金 \(value.refundOwedFen.groupedString) 元尚未退回。"
        }
        text += "本报告数据截至\(value.asOf.chinese)，由 WorkshopLedger 根据项目账簿和活动记录生成；第三方审计机构出具的项目经费使用情况审计报告另附。"
        return DocumentSection(heading: "七、其他需要说明的问题", blocks: [.paragraph(text)])
    }
}
