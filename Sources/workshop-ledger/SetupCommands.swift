import ArgumentParser
import FundApp
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "新建账套数据库并安装科目表")
    @OptionGroup var global: GlobalOptions
    @Option(help: "科目表 CSV（默认为内置的项目资金科目表）") var chart: String?
    @Flag(name: .customLong("add-budget-accounts"), help: "已有账套：补充内置科目表的预算会计科目（6/7/8 类），事业单位工作室此后平行记账") var addBudgetAccounts = false

    func run() throws {
        try FundLedger.run {
            if addBudgetAccounts {
                let added = try global.open().register.addBudgetAccounts()
                emit(added == 0 ? "科目表已有预算会计科目，无需补充\n" : "已补充预算会计科目 \(added) 个（6/7/8 类）\n")
                return
            }
            let installed = try global.open(creating: true).register.initialize(chartFile: chart.map { URL(fileURLWithPath: $0) })
            emit("已初始化 \(global.databasePath)：\(installed.accounts.count) 个科目（末级 \(installed.leaves.count) 个）\n")
        }
    }
}

struct Accounts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "列出科目表")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try FundLedger.run { try output.write(try global.open().register.accountsReport(), global) }
    }
}

struct HostUnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host-unit", abstract: "依托单位", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记依托单位")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("credit-code"), help: "统一社会信用代码（18 位）") var creditCode: String
        @Option(help: "单位名称") var name: String
        @Option(help: "类型：enterprise（企业）、training-base（公共实训基地）、college（职业院校）") var kind: String
        @Option(help: "所在县（区）") var county: String

        func run() throws {
            try FundLedger.run {
                let unit = try global.open().register.addHostUnit(creditCode: creditCode, name: name, kind: kind, county: county)
                emit("已登记依托单位 \(unit.name)（\(unit.creditCode)）\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出依托单位")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().register.hostUnitsReport(), global) }
        }
    }
}

struct StudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio", abstract: "技能大师工作室",
        subcommands: [Add.self, List.self, Status.self, Advance.self, Notice.self, Change.self, ChangeEffect.self, History.self, Repay.self, BudgetBasis.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记工作室（建立其项目账簿）")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var code: String
        @Option(help: "工作室名称") var name: String
        @Option(name: .customLong("host-unit"), help: "依托单位统一社会信用代码") var hostUnit: String
        @Option(help: "领办人") var leader: String
        @Option(help: "技能领域") var field: String = ""
        @Option(help: "认定日期 YYYY-MM-DD（建设期自此起 2 年）") var recognized: String
        @Option(help: "核定补助资金（元），如 30000") var subsidy: String

        func run() throws {
            try FundLedger.run {
                let studio = try global.open().register.addStudio(
                    code: code, name: name, hostUnit: hostUnit, leader: leader, field: field, recognized: recognized,
                    subsidy: subsidy)
                let window = studio.constructionWindow
                emit("已登记工作室 \(studio.code) \(studio.name)，建设期 \(window.lowerBound.iso) 至 \(window.upperBound.iso)\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出工作室")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().register.studiosReport(), global) }
        }
    }
}
