import FundCore
import FundRender
import FundExchange
import FundReports
import FundStore
import Foundation

/// A built evaluation: the scored value and its two documents.
public struct BuiltEvaluation: Sendable {
    public let value: PerformanceEvaluation
    public let selfEvaluation: ReportDocument
    public let report: ReportDocument
    public let json: Data
}

/// The evaluation files written for a studio, and the score they give.
public struct WrittenEvaluation: Sendable {
    public let files: [URL]
    public let total: Score
    public let grade: String
}

/// The performance evaluation (绩效自评, 财预〔2020〕10号): scoring and its documents.
public struct EvaluationDesk: Desk {
    let app: LedgerApp
}

extension EvaluationDesk {
    /// Scores one studio's performance as of a day (default today) from its books cut off at
    /// that day, its findings, activities, targets and lifecycle.
    public func evaluate(studio code: String, asOf: CalendarDate? = nil, indicators: URL? = nil) throws -> BuiltEvaluation {
        let day = app.cutoff(asOf)
        let set = try app.lifecycle.indicatorSet(file: indicators)
        let snapshot = try app.statements.booksSnapshot(studio: code, asOf: day)
        let studio = snapshot.studio
        let from = min(snapshot.vouchers.map(\.ref.period).min() ?? studio.recognized.period, studio.recognized.period)
        var header = ReportHeader(
            studio: studio, hostUnit: snapshot.hostUnit, chart: snapshot.chart, fund: nil, from: from, to: max(from, day.period),
            preparedOn: day)
        // 第十二条: an evaluation of a 涉密 host unit's studio says so, like every statement.
        header.confidentiality = try app.register.confidentiality(hostUnit: studio.hostUnit)
        let turnovers = snapshot.turnovers
        let budget = try store.compliance.budget(studio: code)
        let statement = try FundStatementReport.build(header, vouchers: snapshot.vouchers, turnovers: turnovers, budget: budget, policy: app.statements.policy(for: studio)).value
        var inWindow = Money.zero
        var spent = Money.zero
        for voucher in snapshot.vouchers {
            for line in voucher.draft.lines where line.fund == .subsidy && snapshot.chart[line.account]?.category != nil {
                spent = try spent.adding(line.signedAmount)
                if studio.constructionWindow.contains(voucher.draft.date) { inWindow = try inWindow.adding(line.signedAmount) }
            }
        }
        let chart = try SpendingChartReport.build(header, turnovers: turnovers, budget: budget, asOf: day).document.sections
            .flatMap(\.blocks).compactMap { block -> SpendingChart? in
                if case .chart(let chart) = block { return chart }
                return nil
            }.first
        let history = try store.lifecycle.lifecycleHistory(studio: code).filter { $0.date <= day }
        let status = try app.lifecycle.status(studio: code, asOf: day)
        let input = EvaluationInput(
            header: header, asOf: day, indicators: set, targets: try store.lifecycle.targets(studio: code), activities: try store.lifecycle.activities(studio: code),
            statement: statement, subsidySpentInWindow: inWindow, subsidySpentTotal: spent,
            findings: try app.compliance.check(studio: code, asOf: day).findings, chart: chart, state: Lifecycle.effective(history), history: history,
            countyScores: try store.lifecycle.acceptanceScores(studio: code).filter { $0.date <= day }.map { ($0.date, $0.score, $0.result, $0.by) },
            refundOwed: status.refundOwedFen)
        let built = try EvaluationReport.build(input)
        return BuiltEvaluation(
            value: built.value, selfEvaluation: built.selfEvaluation, report: built.report, json: try ReportOutput.json(built.value))
    }

    /// Writes the evaluation package of one studio into `directory`: 绩效自评表 (XLSX, PDF),
    /// 绩效评价报告 (PDF, HTML) and evaluation.json. Returns the files written.
    @discardableResult
    public func write(studio: String, asOf: CalendarDate? = nil, indicators: URL? = nil, into directory: URL) throws -> WrittenEvaluation {
        let built = try evaluate(studio: studio, asOf: asOf, indicators: indicators)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        for (name, data) in try files(built) {
            let url = directory.appendingPathComponent(name)
            try app.writeOutput(data, to: url.path)
            written.append(url)
        }
        return WrittenEvaluation(files: written, total: built.value.total, grade: built.value.grade.rawValue)
    }

    /// The evaluation package of one studio as one ZIP (the files `write` writes, in a folder
    /// named after the studio): what the web desk hands out.
    public func package(studio: String, asOf: CalendarDate? = nil) throws -> Data {
        let built = try evaluate(studio: studio, asOf: asOf)
        return try ZIPWriter.archive(try files(built).map { ZIPWriter.Entry(path: "\(studio)-evaluation/\($0.name)", data: $0.data, stored: false) })
    }

    /// 绩效自评表 (XLSX, PDF), 绩效评价报告 (PDF, HTML) and evaluation.json, by file name.
    func files(_ built: BuiltEvaluation) throws -> [(name: String, data: Data)] {
        let selfTable = AnyReport(document: built.selfEvaluation, value: built.value)
        let report = AnyReport(document: built.report, value: built.value)
        var files: [(name: String, data: Data)] = []
        for (statement, format) in [(selfTable, OutputFormat.xlsx), (selfTable, .pdf), (report, .pdf), (report, .html)] {
            files.append(("\(statement.document.fileStem).\(format.fileExtension)", try LedgerApp.render(statement, format: format)))
        }
        files.append(("evaluation.json", built.json))
        return files
    }
}
