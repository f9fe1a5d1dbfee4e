import FundCore

// The unit self-evaluation of the subsidy's performance (绩效自评, 财预〔2020〕10号, 第十四条):
// every indicator scored from the activity record, the typed-in actuals and the ledger, then
// laid out as the 绩效自评表 and the 绩效评价报告 (DOMAIN.md §5 outline).

/// What the evaluation reads: the books (as a fund statement and the spending chart), the
/// findings, the activity record, the targets and the lifecycle.
public struct EvaluationInput: Sendable {
    public let header: ReportHeader
    public let asOf: CalendarDate
    public let indicators: IndicatorSet
    public let targets: [PerformanceTarget]
    public let activities: [Activity]
    public let statement: FundStatement
    /// Subsidy spending (debit-positive, expense accounts) inside and outside the window.
    public let subsidySpentInWindow: Money
    public let subsidySpentTotal: Money
    public let findings: [Finding]
    public let chart: SpendingChart?
    public let state: LifecycleState
    public let history: [LifecycleTransition]
    public let countyScores: [(date: CalendarDate, score: Score, result: LifecycleState, by: String)]
    public let refundOwed: Money

    public init(
        header: ReportHeader, asOf: CalendarDate, indicators: IndicatorSet, targets: [PerformanceTarget], activities: [Activity],
        statement: FundStatement, subsidySpentInWindow: Money, subsidySpentTotal: Money, findings: [Finding], chart: SpendingChart?,
        state: LifecycleState, history: [LifecycleTransition],
        countyScores: [(date: CalendarDate, score: Score, result: LifecycleState, by: String)], refundOwed: Money
    ) {
        self.header = header
        self.asOf = asOf
        self.indicators = indicators
        self.targets = targets
        self.activities = activities.filter { $0.date <= asOf }
        self.statement = statement
        self.subsidySpentInWindow = subsidySpentInWindow
        self.subsidySpentTotal = subsidySpentTotal
        self.findings = findings
        self.chart = chart
        self.state = state
        self.history = history
        self.countyScores = countyScores
        self.refundOwed = refundOwed
    }

    /// Violations that count: found, and no reviewer has accepted the explanation.
    public var confirmedViolations: [Finding] {
        findings.filter { $0.severity == .violation && $0.review?.status != .accepted }
    }
}

/// The scored evaluation; `evaluation.json` is this value (amounts in fen, scores and
/// quantities in hundredths).
public struct PerformanceEvaluation: Sendable, Codable, Hashable {
    public struct Line: Sendable, Codable, Hashable {
        public let id: String
        public let category: String
        public let categoryName: String
        public let group: String
        public let name: String
        public let unit: String
        public let kind: IndicatorKind
        public let source: String
        /// The points the line is scored on: its points in the indicator set, plus its share of
        /// the points of unset indicators (产出 only), or 0 for an unset indicator.
        public let pointsHundredths: Int64
        /// The points in the indicator set.
        public let setPointsHundredths: Int64
        /// A manual indicator with neither a target nor an actual value: not scored, its points
        /// go to the 产出 indicators (财预〔2020〕10号).
        public let unset: Bool
        public let targetHundredths: Int64?
        public let actualHundredths: Int64?
        /// The score rounded half up to 0.01, for display: the totals add `exactScore`.
        public let scoreHundredths: Int64
        /// The exact score in hundredths (`hundredths + remainder / denominator`).
        public let exactScore: ExactScore
        public let deviationReason: String
    }

    public struct Category: Sendable, Codable, Hashable {
        public let id: String
        public let name: String
        public let weight: Int
        /// The weight after unset indicators' points moved to 产出 (sum of the lines' points).
        public let pointsHundredths: Int64
        /// The exact sum of the lines' scores, rounded once.
        public let scoreHundredths: Int64
    }

    public struct CountyScore: Sendable, Codable, Hashable {
        public let date: CalendarDate
        public let scoreHundredths: Int64
        public let result: String
        public let by: String
    }

    public let studio: String
    public let studioName: String
    public let hostUnit: String
    public let asOf: CalendarDate
    public let indicatorSet: String
    public let lifecycleState: LifecycleState
    public let lines: [Line]
    public let categories: [Category]
    /// The exact sum of every line's score, rounded half up to 0.01 once; the grade is read
    /// from it (never from the sum of rounded lines).
    public let totalHundredths: Int64
    public let grade: Grade
    public let funds: [FundStatement.FundPart]
    public let confirmedViolations: Int
    public let activityCounts: [String: Int]
    public let countyScores: [CountyScore]
    public let refundOwedFen: Money

    public var total: Score { Score(hundredths: totalHundredths) }
}

public enum EvaluationReport {
    /// Scores the indicators and builds the 绩效自评表 and the 绩效评价报告.
    public static func build(_ input: EvaluationInput) throws -> (value: PerformanceEvaluation, selfEvaluation: ReportDocument, report: ReportDocument) {
        let points = effectivePoints(input)
        let lines = try input.indicators.indicators.map { try score($0, input: input, points: points) }
        var categories: [PerformanceEvaluation.Category] = []
        for category in input.indicators.categories {
            let own = lines.filter { $0.category == category.id }
            categories.append(.init(
                id: category.id, name: category.name, weight: category.weight, pointsHundredths: own.reduce(0) { $0 + $1.pointsHundredths },
                scoreHundredths: ExactScoreSum(own.map(\.exactScore)).rounded.hundredths))
        }
        guard lines.reduce(0, { $0 + $1.pointsHundredths }) == 10_000 else {
            throw ReportInconsistency(report: "绩效自评表", detail: "各指标分值之和不是 100 分")
        }
        // Rounded once from the exact sum: the rounded lines (and categories) may add up to a
        // hundredth or so more or less, and must not decide the grade.
        let total = ExactScoreSum(lines.map(\.exactScore)).rounded.hundredths
        guard total <= 10_000, total >= 0, lines.allSatisfy({ $0.scoreHundredths <= $0.pointsHundredths }) else {
            throw ReportInconsistency(report: "绩效自评表", detail: "总分 \(Score(hundredths: total).text) 超出 0–100，或指标得分超过分值")
        }
        let value = PerformanceEvaluation(
            studio: input.header.studio.code, studioName: input.header.studio.name, hostUnit: input.header.hostUnit.name,
            asOf: input.asOf, indicatorSet: input.indicators.name, lifecycleState: input.state, lines: lines,
            categories: categories, totalHundredths: total, grade: Grade.of(Score(hundredths: total)),
            funds: input.statement.funds, confirmedViolations: input.confirmedViolations.count,
            activityCounts: Dictionary(grouping: input.activities, by: \.kind.rawValue).mapValues(\.count),
            countyScores: input.countyScores.map { .init(date: $0.date, scoreHundredths: $0.score.hundredths, result: $0.result.rawValue, by: $0.by) },
            refundOwedFen: input.refundOwed)
        return (value, EvaluationDocuments.selfEvaluation(value, input: input), EvaluationDocuments.report(value, input: input))
    }

    /// The actual value of a measure, in hundredths of the indicator's unit; nil when nothing
    /// is recorded to measure.
    static func actual(_ measure: IndicatorMeasure, input: EvaluationInput, target: PerformanceTarget?) -> Int64? {
        let subsidy = input.statement.funds.first { $0.fund == .subsidy }
        func of(_ kind: ActivityKind) -> [Activity] { input.activities.filter { $0.kind == kind } }
        switch measure {
        case .count(let kind): return Int64(of(kind).count) * 100
        case .sum(let kind): return of(kind).reduce(0) { $0 + Int64($1.quantity) } * 100
        case .rate(let kind):
            let judged = of(kind).filter { $0.achieved != nil }
            return Scoring.rate(Int64(judged.filter { $0.achieved == true }.count), of: Int64(judged.count))
        case .amount(let kind): return of(kind).reduce(0) { $0 + $1.amount.fen }
        case .manual: return target?.actual
        case .execution: return subsidy?.executionRate?.hundredths
        case .arrival: return subsidy?.arrivalRate?.hundredths
        case .compliance: return Int64(input.confirmedViolations.count) * 100
        case .timeliness: return Scoring.rate(input.subsidySpentInWindow.fen, of: input.subsidySpentTotal.fen)
        case .equipmentCost:
            var budget: Int64 = 0
            var spent: Int64 = 0
            for part in input.statement.funds {
                for line in part.lines where line.category == .equipment {
                    budget += line.budgetFen?.fen ?? 0
                    spent += line.spentFen.fen
                }
            }
            // Spending with no budget is not "on budget": 0 (see `score`); no spending at all is nil.
            if budget == 0 { return spent > 0 ? Int64.max : nil }
            return Scoring.rate(spent, of: budget)
        }
    }

    /// A manual indicator the studio has set no target (and so no actual value) for.
    static func isUnset(_ indicator: IndicatorDefinition, input: EvaluationInput) -> Bool {
        input.indicators.measure(of: indicator) == .manual && !input.targets.contains { $0.indicator == indicator.id }
    }

    /// The points each indicator is scored on, in hundredths, by id: an unset indicator's
    /// points go to the 产出 indicators that are set, in proportion to their points, by
    /// largest remainder in hundredths (they add up exactly). With no such indicator to take
    /// them, nothing moves and an unset indicator scores 0 as not reported.
    static func effectivePoints(_ input: EvaluationInput) -> [String: Int64] {
        var points = Dictionary(uniqueKeysWithValues: input.indicators.indicators.map { ($0.id, Int64($0.points) * 100) })
        let unset = input.indicators.indicators.filter { isUnset($0, input: input) }
        let recipients = input.indicators.indicators.filter { indicator in
            indicator.category == input.indicators.outputCategory?.id && !isUnset(indicator, input: input)
        }
        guard !unset.isEmpty, !recipients.isEmpty else { return points }
        let moved = unset.reduce(Int64(0)) { $0 + points[$1.id]! }
        let shares = Scoring.allocate(moved, proportionalTo: recipients.map { points[$0.id]! })
        for (recipient, share) in zip(recipients, shares) { points[recipient.id]! += share }
        for indicator in unset { points[indicator.id] = 0 }
        return points
    }

    static let unsetReason = "未设定，分值计入产出指标"

    static func score(_ indicator: IndicatorDefinition, input: EvaluationInput, points effective: [String: Int64]) throws -> PerformanceEvaluation.Line {
        let measure = input.indicators.measure(of: indicator)
        let set = input.targets.first { $0.indicator == indicator.id }
        let setPoints = Int64(indicator.points) * 100
        let points = Score(hundredths: effective[indicator.id] ?? setPoints)
        let category = input.indicators.categories.first { $0.id == indicator.category }!
        if isUnset(indicator, input: input) && points == .zero {
            return .init(
                id: indicator.id, category: indicator.category, categoryName: category.name, group: indicator.group, name: indicator.name,
                unit: indicator.unit, kind: indicator.kind, source: measure.chineseSource, pointsHundredths: 0, setPointsHundredths: setPoints,
                unset: true, targetHundredths: nil, actualHundredths: nil, scoreHundredths: 0, exactScore: .zero, deviationReason: unsetReason)
        }
        var targetValue = set?.target
        if targetValue == nil, let text = indicator.defaultTarget { targetValue = try PerformanceTarget.parseValue(text, field: "defaultTarget") }
        if indicator.kind == .deduction { targetValue = Int64(indicator.deductionPerFinding ?? 0) * 100 }
        let actualValue = actual(measure, input: input, target: set)
        let exact: ExactScore
        var reason = ""
        switch (targetValue, actualValue) {
        case (_, Int64.max?) where measure == .equipmentCost:
            exact = .zero
            reason = "无预算支出：发生设备购置支出但未编制设备购置预算"
        case (let target?, let actual?):
            exact = Scoring.exactScore(indicator.kind, points: points, target: target, actual: actual)
        case (_, nil) where measure == .equipmentCost:
            exact = ExactScore(points)
            reason = "未发生设备购置支出，按满分计"
        case (nil, _):
            exact = .zero
            reason = "未设定绩效目标，无法评价"
        case (_, nil):
            exact = .zero
            reason = measure == .manual ? "未填报实际完成值" : "无相关记录"
        }
        let scored = exact.rounded
        if reason.isEmpty && exact != ExactScore(points) {
            reason = set.map(\.note).flatMap { $0.isEmpty ? nil : $0 }
                ?? autoReason(indicator, target: targetValue!, actual: actualValue!, unit: indicator.unit)
        }
        return .init(
            id: indicator.id, category: indicator.category, categoryName: category.name, group: indicator.group, name: indicator.name,
            unit: indicator.unit, kind: indicator.kind, source: measure.chineseSource, pointsHundredths: points.hundredths,
            setPointsHundredths: setPoints, unset: false, targetHundredths: indicator.kind == .deduction ? nil : targetValue, actualHundredths: actualValue == Int64.max ? nil : actualValue,
            scoreHundredths: scored.hundredths, exactScore: exact, deviationReason: reason)
    }

    static func autoReason(_ indicator: IndicatorDefinition, target: Int64, actual: Int64, unit: String) -> String {
        let t = EvaluationDocuments.quantityText(target, unit: unit)
        let a = EvaluationDocuments.quantityText(actual, unit: unit)
        switch indicator.kind {
        case .quantitative:
            let done = Scoring.rate(actual, of: target).map { Percent(hundredths: $0).text } ?? "—"
            return "实际 \(a)，低于目标 \(t)，完成 \(done)"
        case .inverse: return "实际 \(a)，超过目标 \(t)"
        case .qualitative: return "评定为“\(Scoring.band(actual))”（\(Scoring.quantityText(actual))%）"
        case .deduction:
            return "合规检查确认违规 \(Scoring.quantityText(actual)) 项（说明未获接受），每项扣 \(Scoring.quantityText(target)) 分"
        }
    }
}
