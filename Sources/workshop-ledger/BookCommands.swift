import ArgumentParser
import FundApp
import FundCore
import Foundation

/// Names a posted voucher: NUM ("3", "记-3", "记-0003"), studio, period and class.
struct VoucherLocator: ParsableArguments {
    @Argument(help: "凭证号，如 3 或 记-0003") var number: String
    @Option(help: "工作室编号") var studio: String
    @Option(help: "会计期间 YYYY-MM") var period: Period
    @Option(name: .customLong("class"), help: "凭证字：记、收、付、转（凭证号里已带时可省略）") var voucherClass: String?

    func ref() throws -> VoucherRef {
        try BooksDesk.voucherRef(number: number, studio: studio, period: period, voucherClass: voucherClass)
    }
}

struct VoucherCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voucher", abstract: "记账凭证", subcommands: [Post.self, Show.self, Reverse.self, BudgetClose.self])

    struct Post: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "记账：从 JSON 文件（或 - 表示标准输入）登记一张或多张凭证，全部成功或全部不记")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("allow-unreviewed"), help: "允许审核人为空或与制单人相同的凭证记账（系统迁移等；记入操作日志并形成 JE-002 发现）") var allowUnreviewed = false
        @Argument(help: "凭证 JSON 文件，或 -") var file: String

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let (data, name) = try readInput(file)
                let posted = try app.books.postVouchers(json: data, file: name, allowUnreviewed: allowUnreviewed)
                for voucher in posted {
                    emit("已记账 \(voucher.ref.studio) \(voucher.ref.period.iso) \(voucher.ref.label)\n")
                }
                try showRaised(app, posted)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "显示一张凭证（及其红字冲销、订正）")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var locator: VoucherLocator
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().books.voucherReport(try locator.ref()), global) }
        }
    }

    struct Reverse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "红字冲销一张凭证，可同时登记订正凭证")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var locator: VoucherLocator
        @Option(help: "冲销原因（必填，记入操作日志）") var reason: String
        @Option(help: "冲销凭证日期（默认今天）") var date: CalendarDate?
        @Option(help: "订正凭证 JSON 文件") var correct: String?
        @Option(help: "审核人（须为操作人以外的人；冲销凭证记录制单、审核、记账三人）") var reviewer: String?
        @Flag(name: .customLong("allow-unreviewed"), help: "允许审核人为空或与制单人相同的凭证记账（系统迁移等；记入操作日志并形成 JE-002 发现）") var allowUnreviewed = false

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let correction = try correct.map(readInput)
                let posted = try app.books.reverse(try locator.ref(), date: date, reason: reason, correction: correction.map { ($0.0, $0.1) }, reviewer: reviewer,
                    allowUnreviewed: allowUnreviewed)
                for voucher in posted {
                    let what = voucher.kind.code == "reversal" ? "红字冲销凭证" : "订正凭证"
                    emit("已记账\(what) \(voucher.ref.period.iso) \(voucher.ref.label)\n")
                }
            }
        }
    }
}

extension VoucherCommand {
    struct BudgetClose: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "budget-close",
            abstract: "事业单位工作室年末预算收支结转（平行记账）：预算收入、事业支出转入本年收支结转，再转入累计结转",
            discussion: "记一张 12 月 31 日的转账凭证；依托单位为企业的工作室不做预算会计。")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Option(help: "年度，如 2025") var year: Int
        @Option(help: "审核人（须为操作人以外的人）") var reviewer: String
        @Flag(name: .customLong("allow-unreviewed"), help: "允许审核人与制单人相同（记入操作日志并形成 JE-002 发现）") var allowUnreviewed = false

        func run() throws {
            try FundLedger.run {
                for voucher in try global.open().books.closeBudgetYear(studio: studio, year: year, reviewer: reviewer, allowUnreviewed: allowUnreviewed) {
                    emit("已记账年末预算收支结转凭证 \(voucher.ref.period.iso) \(voucher.ref.label)（\(voucher.draft.lines.count) 行）\n")
                }
            }
        }
    }
}

/// Shows the findings that newly posted vouchers raise (the ledger records them all the same).
func showRaised(_ app: LedgerApp, _ vouchers: [PostedVoucher]) throws {
    guard let raised = try app.compliance.raisedReport(vouchers) else { return }
    try OutputOptions.write(raised)
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "导入", subcommands: [Vouchers.self])

    struct Vouchers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入凭证 CSV（用友/金蝶导出的序时账格式，UTF-8 或 GB18030），全部成功或全部不导入")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "CSV 文件") var file: String
        @Option(help: "工作室编号") var studio: String
        @Option(help: "文件没有“资金来源”列时，全部分录记入此资金") var fund: Fund?
        @Flag(name: .customLong("allow-unreviewed"), help: "允许审核人为空或与制单人相同的凭证记账（系统迁移等；记入操作日志并形成 JE-002 发现）") var allowUnreviewed = false
        /// Imports of more vouchers than this do not list the findings they raise (see `run`).
        static let raisedListingVouchersMax = 20_000

        @Flag(name: .customLong("host-codes"), help: "文件的科目编码是依托单位自己的（用友/金蝶账套），按其科目对照表（mapping import）换成本系统科目与资金来源") var hostCodes = false

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                if file == "-" {
                    let (data, name) = try readInput(file)
                    let result = try Progress.standardError.run("导入凭证") {
                        try app.books.importVouchers(
                            csv: data, file: name, studio: studio, defaultFund: fund, allowUnreviewed: allowUnreviewed, hostCodes: hostCodes)
                    }
                    emit("已导入 \(result.vouchers.count) 张凭证、\(result.lines) 行分录到工作室 \(studio)\n")
                    try showRaised(app, result.vouchers)
                    return
                }
                // A file on disk is read a chunk at a time, each voucher posted as it is read
                // (bounded memory, whatever the file's size).
                guard FileManager.default.fileExists(atPath: file) else { throw LedgerEnvironmentError("文件 \(file) 不存在") }
                let result = try Progress.standardError.run("导入凭证") {
                    try app.books.importVouchers(
                        csvFile: file, file: file, studio: studio, defaultFund: fund, allowUnreviewed: allowUnreviewed, hostCodes: hostCodes)
                }
                emit("已导入 \(result.vouchers) 张凭证、\(result.lines) 行分录到工作室 \(studio)\n")
                // Listing the findings the new vouchers raise runs every rule over the studio's
                // books held in memory; after a bulk load that would undo the bounded memory of
                // the import itself, so the command points to `check` instead.
                guard result.vouchers <= Self.raisedListingVouchersMax else {
                    emit("（本次导入凭证较多，未逐张列出合规发现；请运行 workshop-ledger check --studio \(studio) 查看）\n")
                    return
                }
                if let raised = try app.books.raisedReport(result) { try OutputOptions.write(raised) }
            }
        }
    }
}

struct PeriodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "period", abstract: "结账与反结账", subcommands: [Close.self, Reopen.self, Status.self])

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "结账（按月顺序，月末之后）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "会计期间 YYYY-MM") var period: Period
        @Option(help: "工作室编号") var studio: String
        @Option(name: .customLong("key-file"), help: "依托单位私钥文件（已登记签名密钥时结账须签署检查点；默认其默认位置）") var keyFile: String?

        func run() throws {
            try FundLedger.run {
                let signed = try global.open().books.closePeriod(period, studio: studio, keyFile: keyFile.map { URL(fileURLWithPath: $0) })
                emit("已结账 \(studio) \(period.chinese)\(signed ? "，已用依托单位密钥签署检查点" : "（依托单位尚未登记签名密钥，未签署检查点）")\n")
            }
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "反结账最近一个已结账期间（须说明原因，记入日志）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "会计期间 YYYY-MM") var period: Period
        @Option(help: "工作室编号") var studio: String
        @Option(help: "反结账原因") var reason: String

        func run() throws {
            try FundLedger.run {
                try global.open().books.reopenPeriod(period, studio: studio, reason: reason)
                emit("已反结账 \(studio) \(period.chinese)\n")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "显示结账状态")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().books.periodStatusReport(studio: studio), global) }
        }
    }
}

/// --from/--to/--as-of of the book views.
struct RangeOptions: ParsableArguments {
    @Option(help: "起始期间 YYYY-MM（默认账簿第一个有发生额的月份）") var from: Period?
    @Option(help: "截止期间 YYYY-MM（默认截止日所在月及以前最后一个有发生额的月份）") var to: Period?
    @Option(name: .customLong("as-of"), help: "账簿截止日 YYYY-MM-DD（默认今天；此后的凭证不计入，即使在同一月内）") var asOf: CalendarDate?
}

struct Balance: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "科目余额表（按资金分列，并给出合并数）")
    @OptionGroup var global: GlobalOptions
    @Option(help: "工作室编号") var studio: String
    @Option(help: "只看一个资金：subsidy、enterprise、self-raised") var fund: Fund?
    @OptionGroup var range: RangeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try FundLedger.run {
            try output.write(try global.open().books.balanceReport(studio: studio, fund: fund, from: range.from, to: range.to, asOf: range.asOf), global)
        }
    }
}

struct Journal: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "序时账：按凭证顺序列出全部分录")
    @OptionGroup var global: GlobalOptions
    @Option(help: "工作室编号") var studio: String
    @OptionGroup var range: RangeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try FundLedger.run {
            try output.write(try global.open().books.journalReport(studio: studio, from: range.from, to: range.to, asOf: range.asOf), global)
        }
    }
}

struct Ledger: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "明细账：一个科目的逐笔发生额与余额")
    @OptionGroup var global: GlobalOptions
    @Option(help: "工作室编号") var studio: String
    @Option(help: "科目编码（上级科目汇总其全部末级科目）") var account: String
    @Option(help: "只看一个资金") var fund: Fund?
    @OptionGroup var range: RangeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try FundLedger.run {
            try output.write(try global.open().books.ledgerReport(
                studio: studio, account: account, fund: fund, from: range.from, to: range.to, asOf: range.asOf), global)
        }
    }
}
