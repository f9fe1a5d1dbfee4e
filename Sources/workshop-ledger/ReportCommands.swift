import ArgumentParser
import FundApp
import FundCore
import FundRender
import FundReports
import Foundation

extension ReportKind: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension CSVEncoding: ExpressibleByArgument {}

extension SpendingCategory: ExpressibleByArgument {
    public init?(argument: String) {
        guard let category = try? SpendingCategory.parse(argument) else { return nil }
        self = category
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "编制报表：科目余额表、总账、明细账、序时账、专项资金收支情况表、支出明细表、记账凭证、检查发现、累计支出图",
        discussion: """
            KIND：\(ReportKind.allCases.map { "\($0.rawValue)（\($0.chineseTitle)）" }.joined(separator: "、"))
            格式：xlsx、pdf、csv（默认 UTF-8 带 BOM，--encoding gb18030 可选）、html（单文件，可打印）、json（报表数据，金额单位为分）。
            例：workshop-ledger report fund-statement --studio ZY2025-001 --format pdf --out 收支情况表.pdf
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "报表种类") var kind: ReportKind
    @Option(help: "工作室编号") var studio: String
    @Option(help: "只编制一种资金的账（默认全部资金，分资金列示并合并）") var fund: Fund?
    @Option(help: "起始期间 YYYY-MM（默认有发生额的第一个月）") var from: Period?
    @Option(help: "截止期间 YYYY-MM（默认有发生额的最后一个月）") var to: Period?
    @Option(name: .customLong("as-of"), help: "检查发现和累计支出图的截止日期（默认今天）") var asOf: CalendarDate?
    @Option(help: "明细账只列此科目（上级科目含其全部末级科目）") var account: String?
    @Option(help: "输出格式：xlsx、pdf、csv、html、json") var format: ReportFormat
    @Option(help: "CSV 编码：utf-8（带 BOM）或 gb18030") var encoding: CSVEncoding = .utf8
    @Option(help: "输出文件（- 为标准输出）") var out: String

    func validate() throws {
        if account != nil && kind != .subsidiaryLedger {
            throw ValidationError("--account 只用于 subsidiary-ledger（明细账）")
        }
        if encoding != .utf8 && format != .csv {
            throw ValidationError("--encoding 只用于 csv 格式")
        }
    }

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            let request = ReportRequest(kind: kind, studio: studio, fund: fund, from: from, to: to, asOf: asOf, account: account)
            let data = try app.statements.renderReport(request, format: format, encoding: encoding)
            try writeOutput(data, to: out)
            if out != "-" {
                emit("已生成 \(kind.chineseTitle)（\(format.rawValue)）：\(out)，\(data.count) 字节\n")
            }
        }
    }
}

/// Writes bytes to a file (atomically) or to standard output for "-".
func writeOutput(_ data: Data, to path: String) throws {
    if path == "-" {
        FileHandle.standardOutput.write(data)
        return
    }
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    guard FileManager.default.fileExists(atPath: directory.path) else {
        throw CLIError.environment("输出目录 \(directory.path) 不存在")
    }
    try data.write(to: url, options: .atomic)
}

struct BudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget", abstract: "资金使用计划（按工作室、资金、支出类别的预算）；每次修订都保留并记入操作日志",
        subcommands: [Set.self, Import.self, Show.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "设定一项预算（新版本，旧版本保留）")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Option(help: "资金来源") var fund: Fund
        @Option(help: "支出类别（如 equipment 或 培训设施设备）") var category: SpendingCategory
        @Option(help: "预算金额（元）") var amount: String
        @Option(help: "修订原因（记入操作日志）") var reason: String = ""

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let money = try Money.parse(amount)
                let written = try app.statements.setBudget(studio: studio, fund: fund, category: category, amount: money, reason: reason)
                emit(written == 0
                    ? "预算未变：\(fund.chineseName) \(category.chineseName) 已是 \(money.groupedString) 元\n"
                    : "已设定 \(studio) \(fund.chineseName) \(category.chineseName) 预算 \(money.groupedString) 元\n")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入预算 CSV（列：资金来源、支出类别、预算金额；UTF-8 或 GB18030），全部成功或全部不导入")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "CSV 文件") var file: String
        @Option(help: "工作室编号") var studio: String
        @Option(help: "修订原因（记入操作日志）") var reason: String = ""

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let (data, name) = try readInput(file)
                let written = try app.statements.importBudget(csv: data, file: name, studio: studio, reason: reason)
                emit("已导入预算：\(written) 项修订\n")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "查看现行预算，--history 列出全部修订")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Flag(help: "列出全部修订") var history = false
        @OptionGroup var output: FormatOption

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                if history {
                    let revisions = try app.statements.budgetHistory(studio: studio)
                    emit(BudgetViews.history(revisions, format: output.format))
                } else {
                    emit(BudgetViews.current(try app.statements.budget(studio: studio), format: output.format))
                }
            }
        }
    }
}
