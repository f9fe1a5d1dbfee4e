import ArgumentParser
import FundApp
import FundCore
import FundRender
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "合规检查：按资金使用政策和审计规则逐项检查账簿，每项发现注明所违反的条款",
        discussion: "退出码：0 没有违规；1 有违规（violation）；2 输入错误。")
    @OptionGroup var global: GlobalOptions
    @Option(help: "只检查一个工作室") var studio: String?
    @Flag(help: "检查全部工作室") var all = false
    @Option(name: .customLong("as-of"), help: "检查基准日 YYYY-MM-DD（默认今天）") var asOf: CalendarDate?
    @OptionGroup var output: FormatOption

    func validate() throws {
        guard (studio == nil) != (!all) || (studio != nil && !all) else {
            throw ValidationError("请指定 --studio C 或 --all（二选一）")
        }
        if studio != nil && all { throw ValidationError("--studio 与 --all 只能选一个") }
    }

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            let result = try app.check(studio: studio, asOf: asOf)
            emit(FindingViews.render(result.findings, summary: result.summary, summaryLines: Self.summaryLines(result), format: output.format))
            if result.hasViolations { throw ExitCode(1) }
        }
    }

    static func summaryLines(_ result: CheckResult) -> [String] {
        let summary = result.summary
        let counts = Severity.allCases.map { "\($0.chineseName) \(summary.bySeverity[$0.rawValue] ?? 0)" }.joined(separator: "，")
        return [
            "检查基准日 \(summary.asOf)，\(summary.studios) 个工作室、\(summary.vouchers) 张凭证，政策版本 \(summary.policies.joined(separator: "、"))",
            "共 \(summary.findings) 项：\(counts)；违规涉及金额 \(Money(fen: summary.violationFen).groupedString) 元",
        ]
    }
}

/// Prints the findings that newly posted vouchers raise (the ledger records them all the same).
func reportRaised(_ app: LedgerApp, _ vouchers: [PostedVoucher]) throws {
    let raised = try app.findings(raisedBy: vouchers)
    guard !raised.isEmpty else { return }
    emit("注意：本次记账的凭证有 \(raised.count) 项合规发现（已照实记账，请按提示处理）：\n")
    emit(FindingViews.render(raised, summary: raised.count, summaryLines: [], format: .table))
}
