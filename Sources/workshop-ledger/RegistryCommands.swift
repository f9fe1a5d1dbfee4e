import ArgumentParser
import FundApp
import FundCore
import Foundation

/// `policy add FILE`: a bureau loads a version of the eligibility policy (item 12 of issue 15).
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "资金使用政策版本（载入的版本不可更改，记入操作日志）", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "载入一个政策版本（JSON，格式同 Fixtures/policy/）；同一 id 再次载入为新版本",
            discussion: "document 写有文号（如 〔2019〕8号）的，须用 --text 同时载入该文件原文，且原文中有这个文号。")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "政策文件（JSON）") var file: String
        @Option(help: "政策文件原文（UTF-8 文本）") var text: String?

        func run() throws {
            try FundLedger.run {
                let loaded = try global.open().compliance.addPolicy(
                    file: URL(fileURLWithPath: file), text: text.map { URL(fileURLWithPath: $0) })
                emit(
                    "已载入政策 \(loaded.policy.id) 第 \(loaded.document.version) 版（\(loaded.policy.document)；"
                        + "\(loaded.policy.effectiveFrom.iso) 至 \(loaded.policy.effectiveTo.iso)）\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出检查所用的政策版本（内置与已载入）")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try FundLedger.run {
                for policy in try global.open().compliance.policies() {
                    emit("\(policy.label)\t\(policy.effectiveFrom.iso) 至 \(policy.effectiveTo.iso)\t\(policy.document)\(policy.version == nil ? "\t（内置）" : "")\n")
                }
            }
        }
    }
}

/// `calendar add FILE`: the State Council's holiday schedule for a new year (item 13).
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "节假日日历（国务院办公厅放假安排；载入的版本不可更改，记入操作日志）", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "载入一年或几年的放假安排（CSV：date,kind,name，格式同 Fixtures/calendar/）；同一年份再次载入为新版本",
            discussion: "此后 JE-001（非工作日记账）与期限顺延按它判断。")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "放假安排文件（CSV）") var file: String

        func run() throws {
            try FundLedger.run {
                let loaded = try global.open().compliance.addCalendar(file: URL(fileURLWithPath: file))
                emit("已载入 \(loaded.years.map(String.init).joined(separator: "、")) 年放假安排第 \(loaded.document.version) 版\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出日历收录的年份")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                emit("收录年份：\(try app.compliance.holidayCalendar().coveredYears.map(String.init).joined(separator: "、"))\n")
                for document in try app.compliance.loadedCalendars() {
                    emit("\(document.key) 第 \(document.version) 版\t\(document.fileName)\t\(document.at)\t\(document.user)\n")
                }
            }
        }
    }
}

/// 涉密依托单位 (第十二条, item 15): marking, and packages that include the evidence on purpose.
struct ConfidentialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confidential", abstract: "涉密依托单位（第十二条）：标记后其工作室的电子单据不进入审计资料包，报表和资料包注明涉密",
        subcommands: [Mark.self, Lift.self, List.self, Package.self])

    struct Mark: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把依托单位标记为涉密")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("host-unit"), help: "统一社会信用代码") var hostUnit: String
        @Option(help: "依据（认定文件、保密资格等）") var basis: String
        @Option(help: "自何日起（默认今天）") var date: CalendarDate?

        func run() throws {
            try FundLedger.run {
                let marking = try global.open().register.markHostUnit(creditCode: hostUnit, confidential: true, basis: basis, date: date)
                emit("已将依托单位 \(marking.hostUnit) 标记为涉密（自 \(marking.date.iso) 起）\n")
            }
        }
    }

    struct Lift: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "撤销依托单位的涉密标记（原标记保留在账簿中）")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("host-unit"), help: "统一社会信用代码") var hostUnit: String
        @Option(help: "依据") var basis: String
        @Option(help: "自何日起（默认今天）") var date: CalendarDate?

        func run() throws {
            try FundLedger.run {
                let marking = try global.open().register.markHostUnit(creditCode: hostUnit, confidential: false, basis: basis, date: date)
                emit("已撤销依托单位 \(marking.hostUnit) 的涉密标记（自 \(marking.date.iso) 起）\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出涉密标记记录")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try FundLedger.run {
                for marking in try global.open().register.markings() {
                    emit("\(marking.hostUnit)\t\(marking.confidential ? "标记涉密" : "撤销标记")\t\(marking.date.iso)\t\(marking.basis)\t\(marking.user)\n")
                }
            }
        }
    }

    struct Package: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit-package",
            abstract: "生成审计资料包；涉密依托单位的电子单据只有加 --include-confidential-evidence 才收入（清单注明）")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Option(name: .customLong("as-of"), help: "账簿截止日（默认今天）") var asOf: CalendarDate?
        @Option(name: .customLong("key-file"), help: "依托单位私钥文件（默认：数据库文件名.keys/信用代码.ed25519）") var keyFile: String?
        @Option(help: "输出 ZIP 文件") var out: String
        @Flag(name: .customLong("include-confidential-evidence"), help: "收入涉密依托单位的电子单据（须按涉密载体管理）")
        var includeConfidentialEvidence = false

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let written = try Progress.standardError.run("生成审计资料包") {
                    try app.packages.writeAuditPackage(
                        studio: studio, asOf: asOf, keyFile: keyFile.map { URL(fileURLWithPath: $0) }, to: out,
                        includeConfidentialEvidence: includeConfidentialEvidence)
                }
                let confidentiality = written.verification.manifest?.confidentiality
                let note = confidentiality.map { $0.evidenceIncluded ? "；涉密：已收录电子单据" : "；涉密：电子单据未收录" } ?? ""
                emit("已生成审计资料包：\(out)（\(written.data.count) 字节，\(written.verification.filesChecked) 个文件\(note)）\n")
            }
        }
    }
}
