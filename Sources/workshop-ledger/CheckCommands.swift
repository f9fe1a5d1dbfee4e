import ArgumentParser
import FundApp
import FundCore
import FundRender
import FundStore
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "校验全部账簿：记账规则、凭证编号、哈希链、余额与操作日志；全部通过才返回 0")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        try FundLedger.run {
            let report = try global.open().admin.verify()
            if output.format == .json {
                emit(LedgerViews.json(report))
            } else {
                emit("校验 \(report.studios) 个工作室、\(report.vouchers) 张凭证、\(report.postings) 行分录、\(report.logEntries) 条操作日志\n")
                for problem in report.problems { emit(problem.description + "\n") }
                emit(report.isClean ? "全部通过\n" : "发现 \(report.problems.count) 个问题\n")
            }
            if !report.isClean { throw CLIError.failed("校验未通过") }
        }
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "操作日志（谁、何时、做了什么）")
    @OptionGroup var global: GlobalOptions
    @Option(help: "只看一个工作室") var studio: String?
    @Option(help: "只看一个操作人") var by: String?
    @Option(help: "只看某类操作，如 voucher、period.reopen") var action: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        try FundLedger.run {
            let entries = try global.open().admin.log(studio: studio, user: by, action: action)
            switch output.format {
            case .json: emit(LedgerViews.json(entries))
            case .csv:
                var table = CSVTable(headers: ["序号", "时间", "操作人", "操作", "工作室", "内容", "哈希"])
                for entry in entries {
                    table.add([String(entry.sequence), entry.at, entry.user, entry.action, entry.studio, entry.detail, entry.hash])
                }
                emit(table.render())
            case .table:
                var table = TextTable(headers: ["序号", "时间", "操作人", "操作", "工作室", "内容"], alignments: [.right, .left, .left, .left, .left, .left])
                for entry in entries {
                    table.add([String(entry.sequence), entry.at, entry.user, entry.action, entry.studio, entry.detail])
                }
                emit(table.render())
            }
        }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "用内置样例（3 个工作室、一年凭证）新建演示账套，打印各资金科目余额表和检查发现，并把全部报表写入 demo/reports/、绩效评价材料写入 demo/evaluation/")

    static let reportFormats = ReportFormat.allCases
    @Option(help: "输出目录（默认 ./demo）") var out: String = "demo"

    func run() throws {
        try FundLedger.run {
            let result = try Demo.build(in: URL(fileURLWithPath: out, isDirectory: true))
            emit("演示账套：\(result.databasePath)（\(result.studios.count) 个工作室，\(result.vouchers) 张凭证）\n")
            for studio in result.studios {
                let studioValue = try result.app.register.studio(code: studio)
                emit("\n======== \(studio) \(studioValue.name) ========\n")
                emit(LedgerViews.trialBalance(try result.app.books.trialBalance(studio: studio), format: .table))
            }
            let checked = try result.app.compliance.check(studio: nil)
            emit("\n======== 合规检查（截至 \(checked.summary.asOf)）========\n")
            emit(FindingViews.render(checked.findings, summary: checked.summary, summaryLines: Check.summaryLines(checked), format: .table))
            let reports = try Demo.writeReports(
                app: result.app, studios: result.studios, into: URL(fileURLWithPath: out, isDirectory: true).appendingPathComponent("reports"),
                formats: DemoCommand.reportFormats)
            emit("\n======== 报表 ========\n已生成 \(reports.count) 个报表文件（\(DemoCommand.reportFormats.map(\.rawValue).joined(separator: "、"))）：\(out)/reports/<工作室>/\n")
            let evaluations = try Demo.writeEvaluations(result, into: URL(fileURLWithPath: out, isDirectory: true).appendingPathComponent("evaluation"))
            emit("\n======== 生命周期与绩效评价 ========\n")
            for studio in result.studios {
                let status = try result.app.lifecycle.status(studio: studio)
                let owing = status.refundOwedFen.fen > 0 ? "，应退补助资金 \(status.refundOwedFen.groupedString) 元未退回" : ""
                emit("\(studio)：\(status.state.chineseName)（\(status.since.iso) 起）\(owing)\n")
            }
            for (studio, asOf) in result.evaluations {
                let value = try result.app.lifecycle.evaluation(studio: studio, asOf: asOf).value
                emit("\(studio) 绩效自评（截至 \(asOf.iso)）：\(value.total.text) 分，等级“\(value.grade.rawValue)”\n")
            }
            emit("已生成 \(evaluations.count) 个绩效评价文件：\(out)/evaluation/<工作室>/\n")
            let directory = URL(fileURLWithPath: out, isDirectory: true)
            let packages = try Demo.writePackages(app: result.app, studios: result.studios, into: directory)
            emit("\n======== 审计资料包 ========\n")
            for package in packages {
                let verification = AuditPackage.verify(try Data(contentsOf: package))
                emit("\(out)/packages/\(package.lastPathComponent)：\(verification.filesChecked) 个文件，签名\(verification.isClean ? "有效" : "无效")\n")
            }
            let report = try result.app.admin.verify()
            emit("\n校验：\(report.isClean ? "全部通过" : "发现 \(report.problems.count) 个问题")\n")
            if !report.isClean {
                for problem in report.problems { emit(problem.description + "\n") }
                throw CLIError.failed("演示账套校验未通过")
            }
        }
    }
}
