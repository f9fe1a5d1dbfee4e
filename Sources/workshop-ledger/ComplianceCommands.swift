import ArgumentParser
import FundApp
import FundCore
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "合规检查：按资金使用政策和审计规则逐项检查账簿，每项发现注明所违反的条款",
        discussion: "退出码：0 没有违规；1 有违规（violation）；2 输入错误。")
    @OptionGroup var global: GlobalOptions
    @Option(help: "只检查一个工作室") var studio: String?
    @Flag(help: "检查全部工作室") var all = false
    @Option(name: .customLong("as-of"), help: "检查基准日 YYYY-MM-DD（默认今天）") var asOf: CalendarDate?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if studio == nil && !all { throw ValidationError("请指定 --studio C 或 --all（二选一）") }
        if studio != nil && all { throw ValidationError("--studio 与 --all 只能选一个") }
    }

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            let checked = try Progress.standardError.run(all ? "检查全部工作室" : "检查工作室 \(studio ?? "")") {
                try app.compliance.checkReport(studio: studio, asOf: asOf)
            }
            try output.write(checked.report, global)
            if checked.hasViolations { throw ExitCode(1) }
        }
    }
}

struct FindingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finding", abstract: "合规发现的说明与审核（均记入操作日志）",
        subcommands: [Explain.self, Accept.self, Reject.self])

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "会计人员对一项发现附情况说明")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "发现编号（check 输出中的“编号”）") var key: String
        @Option(help: "情况说明") var text: String

        func run() throws {
            try FundLedger.run {
                try global.open().compliance.note(finding: key, action: .explain, text: text)
                emit("已记录说明：\(key)\n")
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "审核人接受说明（须由说明人以外的人操作）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "发现编号") var key: String
        @Option(help: "审核意见") var note: String = ""

        func run() throws {
            try FundLedger.run {
                try global.open().compliance.note(finding: key, action: .accept, text: note)
                emit("已接受说明：\(key)\n")
            }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "审核人驳回说明（须写明理由）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "发现编号") var key: String
        @Option(help: "驳回理由") var note: String

        func run() throws {
            try FundLedger.run {
                try global.open().compliance.note(finding: key, action: .reject, text: note)
                emit("已驳回说明：\(key)\n")
            }
        }
    }
}
