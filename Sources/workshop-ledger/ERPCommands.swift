import ArgumentParser
import FundApp
import FundCore
import FundExchange
import Foundation

extension ERPFormat: ExpressibleByArgument {}

/// `mapping import|list`: a host unit's account mapping (科目对照表).
struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping", abstract: "依托单位科目对照表：本系统科目+资金来源 对应 依托单位科目编码+辅助核算项目",
        subcommands: [Import.self, List.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "载入科目对照表（CSV，作为新版本生效；有错则全部列出、不写入）",
            discussion: "列：科目编码、资金来源、依托单位科目编码、依托单位科目名称（可无）、项目编码（可无）、项目名称（可无）。")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "对照表 CSV 文件（UTF-8 或 GB18030），或 -") var file: String
        @Option(name: .customLong("host-unit"), help: "依托单位统一社会信用代码") var hostUnit: String

        func run() throws {
            try FundLedger.run {
                let (data, name) = try readInput(file)
                let mapping = try global.open().erp.importMapping(csv: data, file: name, hostUnit: hostUnit)
                emit("已载入依托单位 \(mapping.hostUnit) 科目对照表第 \(mapping.version) 版：\(mapping.entries.count) 行\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "输出现行的科目对照表（CSV，可再用 mapping import 载入）")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("host-unit"), help: "依托单位统一社会信用代码") var hostUnit: String
        @Option(name: [.customShort("o"), .long], help: "输出文件（默认 - 为标准输出）") var out: String = "-"
        @Option(help: "CSV 编码：utf-8（带 BOM）或 gb18030") var encoding: CSVEncoding = .utf8

        func run() throws {
            try FundLedger.run {
                let (mapping, data) = try global.open().erp.mappingCSV(hostUnit: hostUnit, encoding: encoding)
                try writeOutput(data, to: out, protecting: global.protectedPaths)
                if out != "-" {
                    emit("已输出依托单位 \(mapping.hostUnit) 科目对照表第 \(mapping.version) 版（\(mapping.entries.count) 行）：\(out)\n")
                }
            }
        }
    }
}

/// `export erp`: the studio's vouchers as the host ERP's voucher-import file (a subcommand of
/// `export`, AuditCommands.swift).
enum ERPCommand {

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erp",
            abstract: "导出依托单位 ERP 的凭证引入文件：yonyou（用友 U8 凭证引入）或 kingdee（金蝶 K3 标准凭证引入），GB18030 CSV 或 XLSX，按科目对照表换成依托单位的科目编码",
            discussion: "科目对照表缺少的科目（及资金来源）全部列出，不生成文件。")
        @OptionGroup var global: GlobalOptions
        @Option(help: "格式：yonyou（用友）或 kingdee（金蝶）") var format: ERPFormat
        @Option(help: "工作室编号") var studio: String
        @Option(help: "会计期间 YYYY-MM 或 YYYY-MM..YYYY-MM") var period: String
        @Option(name: [.customShort("o"), .long], help: "输出文件（默认 - 为标准输出）") var out: String = "-"
        @Flag(help: "写 XLSX 工作簿（第 1 行为表头，金额为数值）而不是 GB18030 CSV") var xlsx = false

        func run() throws {
            try FundLedger.run {
                let range = try ERPDesk.periodRange(period)
                let export = try global.open().erp.exportVouchers(format: format, studio: studio, from: range.from, to: range.to, xlsx: xlsx)
                try writeOutput(export.data, to: out, protecting: global.protectedPaths)
                if out != "-" {
                    emit(
                        "已生成\(format.chineseName)文件（\(xlsx ? "XLSX" : "GB18030 CSV")）：\(out)，\(export.vouchers) 张凭证、\(export.lines) 行分录"
                            + "（依托单位 \(export.mapping.hostUnit) 科目对照表第 \(export.mapping.version) 版）\n")
                }
            }
        }
    }
}
