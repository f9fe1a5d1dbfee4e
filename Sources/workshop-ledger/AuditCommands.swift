import ArgumentParser
import FundApp
import FundCore
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "依托单位的审计资料包签名密钥（Ed25519）", subcommands: [Generate.self, Show.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "生成签名密钥：私钥写入文件（仅本人可读，已存在则不覆盖），公钥登记到依托单位并记入操作日志")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("host-unit"), help: "依托单位统一社会信用代码") var hostUnit: String
        @Option(name: .customLong("key-file"), help: "私钥文件（默认：数据库文件名.keys/信用代码.ed25519，更换后为 信用代码.N.ed25519）") var keyFile: String?
        @Flag(help: "更换已登记的密钥：新公钥由现行私钥签署后登记，旧密钥签的资料包仍可核验") var rotate = false
        @Option(name: .customLong("current-key-file"), help: "更换时现行私钥文件（默认其默认位置）") var currentKeyFile: String?

        func run() throws {
            try FundLedger.run {
                let (key, file) = try global.open().packages.generateSigningKey(
                    hostUnit: hostUnit, file: keyFile.map { URL(fileURLWithPath: $0) }, rotate: rotate,
                    currentKeyFile: currentKeyFile.map { URL(fileURLWithPath: $0) })
                emit("""
                    已生成签名密钥
                    私钥文件：\(file.path)（请妥善保管，不要随资料包发送）
                    公钥：\(key.publicKeyHex)
                    指纹：\(key.fingerprint)

                    """)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "查看依托单位登记的签名公钥（最后一个为现行）")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("host-unit"), help: "依托单位统一社会信用代码") var hostUnit: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run {
                let keys = try global.open().packages.signingKeysReport(hostUnit: hostUnit)
                guard keys.registered else { throw CheckFailed("依托单位 \(hostUnit) 尚未登记签名公钥") }
                try output.write(keys.report, global)
            }
        }
    }
}

struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "凭证所附电子单据（按 SHA-256 存储）", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把文件关联到凭证（不超过凭证的附单据张数）")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "单据文件（扫描件、照片、合同等）") var file: String
        @Option(help: "工作室编号") var studio: String
        @Option(help: "凭证号，如 3 或 记-0003") var voucher: String
        @Option(help: "会计期间 YYYY-MM") var period: Period
        @Option(name: .customLong("class"), help: "凭证字：记、收、付、转（凭证号里已带时可省略）") var voucherClass: String?

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let (data, name) = try readInput(file)
                let ref = try BooksDesk.voucherRef(number: voucher, studio: studio, period: period, voucherClass: voucherClass)
                let stored = try app.packages.addEvidence(data, fileName: URL(fileURLWithPath: name).lastPathComponent, to: ref)
                emit("已关联 \(stored.fileName) 到凭证 \(ref.period.iso) \(ref.label)（\(stored.size) 字节，SHA-256 \(stored.sha256)）\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出工作室的电子单据")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().packages.evidenceReport(studio: studio), global) }
        }
    }
}

struct AuditPackageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-package",
        abstract: "第三方审计资料包（第十四条）：报表、电子单据、审计软件数据与签名清单，一个 ZIP",
        subcommands: [Build.self, Check.self], defaultSubcommand: Build.self)

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build", abstract: "生成资料包（同一账簿和截止日生成的文件逐字节相同）")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String
        @Option(name: .customLong("as-of"), help: "账簿截止日（默认今天）") var asOf: CalendarDate?
        @Option(name: .customLong("key-file"), help: "依托单位私钥文件（默认：数据库文件名.keys/信用代码.ed25519）") var keyFile: String?
        @Option(help: "输出 ZIP 文件") var out: String
        @Flag(name: .customLong("include-confidential-evidence"), help: "涉密依托单位（第十二条）的原始单据也放入资料包（默认不放，清单注明）")
        var includeConfidentialEvidence = false

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let written = try Progress.standardError.run("生成审计资料包") {
                    try app.packages.writeAuditPackage(
                        studio: studio, asOf: asOf, keyFile: keyFile.map { URL(fileURLWithPath: $0) }, to: out,
                        includeConfidentialEvidence: includeConfidentialEvidence)
                }
                let verification = written.verification
                emit("已生成审计资料包：\(out)（\(written.data.count) 字节，\(verification.filesChecked) 个文件，签名公钥指纹 \(verification.manifest?.signingKey.fingerprint ?? "")）\n")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "核验资料包：ZIP 条目（重名、链接、越界路径、超大条目）、每个文件的 SHA-256、清单签名与签名人，以及增删改的文件")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "资料包 ZIP 文件") var file: String
        @Option(name: .customLong("public-key"), help: "应当签名的公钥（十六进制）；省略时与 --db 账簿中该依托单位登记的公钥比对，两者都没有则核验不通过")
        var publicKey: String?

        func run() throws {
            try FundLedger.run {
                let (data, _) = try readInput(file)
                let checked = try Progress.standardError.run("核验资料包") {
                    FileManager.default.fileExists(atPath: global.databasePath)
                        ? try global.open().packages.verifyPackage(data, publicKey: publicKey)
                        : PackagesDesk.verifyPackage(data, publicKey: publicKey)
                }
                let result = checked.verification
                if let manifest = result.manifest {
                    emit("资料包：\(manifest.studio.name)（\(manifest.studio.code)），截至 \(manifest.coverage.asOf.iso)，\(manifest.files.count) 个文件\n")
                    emit("签名公钥指纹：\(manifest.signingKey.fingerprint)\(checked.pinnedBy.map { "（已比对：\($0)）" } ?? "（未能确认签名人）")\n")
                }
                if result.isClean {
                    emit("核验通过：签名有效且签名人已确认，\(result.filesChecked) 个文件的大小和 SHA-256 均与清单一致，无多余或缺少的文件\n")
                } else {
                    throw CheckFailed("核验未通过（\(result.problems.count) 处）：\n" + result.problems.map { "  \($0)" }.joined(separator: "\n"))
                }
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}

/// `export FORMAT …` (the default subcommand `data`: audit software and ledger tools) and
/// `export erp --format yonyou|kingdee …` (the host unit's ERP, ERPCommands.swift).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出：审计软件数据（gbt24589、ao、hledger、beancount），或依托单位 ERP 的凭证引入文件（export erp）",
        subcommands: [Data.self, ERPCommand.Export.self], defaultSubcommand: Data.self)

    struct Data: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "导出审计软件数据：gbt24589（XML，GB18030）、ao（平面表 CSV）、hledger、beancount（export data 可省略 data）",
        discussion: "gbt24589 与 ao 的 --out 是目录；hledger 与 beancount 的 --out 是文件（- 为标准输出）。")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "格式：gbt24589、ao、hledger、beancount") var format: ExportFormat
    @Option(help: "工作室编号") var studio: String
    @Option(name: .customLong("as-of"), help: "账簿截止日（默认今天）") var asOf: CalendarDate?
    @Option(help: "输出文件或目录") var out: String

    func run() throws {
        try FundLedger.run {
            let files = try global.open().statements.export(format, studio: studio, asOf: asOf)
            if format.isFolder {
                try writeFolder(files.map { ($0.path, $0.data) }, into: out, protecting: global.protectedPaths)
                emit("已导出 \(files.count) 个文件到 \(out)\n")
            } else {
                try writeOutput(files[0].data, to: out, protecting: global.protectedPaths)
                if out != "-" { emit("已导出 \(format.rawValue)：\(out)\n") }
            }
        }
    }
    }
}
