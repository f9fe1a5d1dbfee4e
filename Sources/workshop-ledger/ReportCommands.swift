import ArgumentParser
import FundApp
import FundCore
import FundReports
import Foundation

extension ReportKind: ExpressibleByArgument {
    public static var allValueStrings: [String] { reportCommandKinds.map(\.rawValue) }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "编制报表：科目余额表、总账、明细账、序时账、专项资金收支情况表、支出明细表、记账凭证、检查发现、累计支出图、绩效自评表、绩效评价报告，以及各工作室总览（overview）",
        discussion: """
            KIND：\(ReportKind.reportCommandKinds.map { "\($0.rawValue)（\($0.chineseTitle)）" }.joined(separator: "、"))、overview（工作室总览：不需 --studio，可用 --county 限定）
            格式：table（终端表格）、xlsx、pdf、csv（默认 UTF-8 带 BOM，--encoding gb18030 可选）、html（单文件，可打印）、json（报表数据，金额单位为分）。
            账簿截止日（--as-of，默认今天）之后的凭证不计入，报表以截止日为编制日期；同一账簿和截止日生成的文件逐字节相同。
            例：
              workshop-ledger report fund-statement --studio ZY2025-001 \\
                --format pdf --out 收支情况表.pdf
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "报表种类") var kind: ReportChoice
    @Option(help: "工作室编号（overview 以外的报表必填）") var studio: String?
    @Option(help: "overview：只列某县（区）的工作室") var county: String?
    @Option(help: "只编制一种资金的账（默认全部资金，分资金列示并合并）") var fund: Fund?
    @Option(help: "起始期间 YYYY-MM（默认有发生额的第一个月）") var from: Period?
    @Option(help: "截止期间 YYYY-MM（默认截止日所在月及以前有发生额的最后一个月）") var to: Period?
    @Option(name: .customLong("as-of"), help: "账簿截止日 YYYY-MM-DD（默认今天）") var asOf: CalendarDate?
    @Option(help: "明细账只列此科目（上级科目含其全部末级科目）") var account: String?
    @OptionGroup var output: OutputOptions
    @Flag(name: .customLong("ascii-names"), help: "--out 为目录（以 / 结尾）时用 ASCII 文件名（ZY2025-001-trial-balance.pdf；默认中文 ZY2025-001-科目余额表.pdf）")
    var asciiNames = false

    func validate() throws {
        if asciiNames && !Self.isFolder(output.out) { throw ValidationError("--ascii-names 只用于 --out 为目录（以 / 结尾）") }
        switch kind {
        case .statement(let statement):
            guard ReportKind.reportCommandKinds.contains(statement) else { throw ValidationError("未知的报表种类 \(statement.rawValue)") }
            if account != nil && statement != .subsidiaryLedger {
                throw ValidationError("--account 只用于 subsidiary-ledger（明细账）")
            }
            if studio == nil { throw ValidationError("缺少 --studio（工作室编号）") }
            if county != nil { throw ValidationError("--county 只用于 overview（工作室总览）") }
        case .overview:
            if studio != nil || account != nil || fund != nil || from != nil || to != nil {
                throw ValidationError("overview 列出各工作室：不用 --studio、--account、--fund、--from、--to（可用 --county、--as-of）")
            }
        }
    }

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            switch kind {
            case .statement(let statement):
                let request = ReportRequest(kind: statement, studio: studio ?? "", fund: fund, from: from, to: to, asOf: asOf, account: account)
                // Rendering to a file counts as the work; text for the terminal is written
                // after the progress line is gone.
                let progress = Progress.standardError
                let task = "编制\(statement.chineseTitle)"
                if output.out == "-" {
                    let report = try progress.run(task) { try app.statements.report(request) }
                    try output.write(report, global)
                } else {
                    try progress.run(task) {
                        let report = try app.statements.report(request)
                        // A folder: the file is named after the report.
                        let stem = asciiNames ? statement.fileStem(studio: request.studio, fund: fund, ascii: true) : report.document.fileStem
                        let path = Self.isFolder(output.out)
                            ? URL(fileURLWithPath: output.out, isDirectory: true).appendingPathComponent("\(stem).\(output.format.fileExtension)").path
                            : output.out
                        try OutputOptions.write(report, format: output.format, encoding: output.encoding, to: path, protecting: global.protectedPaths)
                    }
                }
            case .overview:
                let report = try app.review.countyOverviewReport(county: county, asOf: asOf)
                let stem = (asciiNames ? "overview" : "工作室总览") + (county.map { "-\($0)" } ?? "")
                let path = Self.isFolder(output.out)
                    ? URL(fileURLWithPath: output.out, isDirectory: true).appendingPathComponent("\(stem).\(output.format.fileExtension)").path
                    : output.out
                try OutputOptions.write(report, format: output.format, encoding: output.encoding, to: path, protecting: global.protectedPaths)
            }
        }
    }
}

extension ReportCommand {
    /// Whether `--out` names a folder to write into: it ends in "/". (A folder named without
    /// the slash is refused as an output file, as before: never a surprise write into it.)
    static func isFolder(_ out: String) -> Bool { out != "-" && out.hasSuffix("/") }
}

/// What `report` builds: one of the statements, or the overview of every studio.
enum ReportChoice: ExpressibleByArgument, Equatable {
    case statement(ReportKind)
    case overview

    init?(argument: String) {
        if argument == "overview" {
            self = .overview
        } else if let kind = ReportKind(argument: argument) {
            self = .statement(kind)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ReportKind.reportCommandKinds.map(\.rawValue) + ["overview"] }
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
        @Option(help: "支出类别（如 equipment 或 培训设施设备）") var category: String
        @Option(help: "预算金额（元）") var amount: String
        @Option(help: "修订原因（记入操作日志）") var reason: String = ""

        func run() throws {
            try FundLedger.run {
                let (line, written) = try global.open().statements.setBudget(
                    studio: studio, fund: fund, category: category, amount: amount, reason: reason)
                emit(written == 0
                    ? "预算未变：\(fund.chineseName) \(line.category.chineseName) 已是 \(line.amount.groupedString) 元\n"
                    : "已设定 \(studio) \(fund.chineseName) \(line.category.chineseName) 预算 \(line.amount.groupedString) 元\n")
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
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                try output.write(history ? try app.statements.budgetHistoryReport(studio: studio) : try app.statements.budgetReport(studio: studio), global)
            }
        }
    }
}
