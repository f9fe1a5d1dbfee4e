import ArgumentParser
import FundApp
import FundCore
import FundExchange
import FundStore
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "依托单位的审计资料包签名密钥（Ed25519）", subcommands: [Generate.self, Show.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "生成签名密钥：私钥写入文件（仅本人可读，已存在则不覆盖），公钥登记到依托单位并记入操作日志")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("host-unit"), help: "依托单位统一社会信用代码") var hostUnit: String
        @Option(name: .customLong("key-file"), help: "私钥文件（默认：数据库文件名.keys/信用代码.ed25519）") var keyFile: String?

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let (key, file) = try app.packages.generateSigningKey(hostUnit: hostUnit, file: keyFile.map { URL(fileURLWithPath: $0) })
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

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let keys = try app.packages.signingKeys(hostUnit: hostUnit)
                if keys.isEmpty { throw CLIError.failed("依托单位 \(hostUnit) 尚未登记签名公钥") }
                for (index, key) in keys.enumerated() {
                    emit("\(index == keys.count - 1 ? "现行" : "已替换")  \(key.at)  \(key.user)  指纹 \(key.fingerprint)\n  \(key.publicKeyHex)\n")
                }
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
                let ref = try VoucherLocator.ref(number: voucher, studio: studio, period: period, voucherClass: voucherClass)
                let stored = try app.packages.addEvidence(data, fileName: URL(fileURLWithPath: name).lastPathComponent, to: ref)
                emit("已关联 \(stored.fileName) 到凭证 \(ref.period.iso) \(ref.label)（\(stored.size) 字节，SHA-256 \(stored.sha256)）\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出工作室的电子单据")
        @OptionGroup var global: GlobalOptions
        @Option(help: "工作室编号") var studio: String

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                for file in try app.packages.evidence(studio: studio) {
                    emit("\(file.voucher.period.iso) \(file.voucher.label)  \(file.fileName)  \(file.size) 字节  \(file.sha256)\n")
                }
            }
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

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let data = try app.packages.auditPackage(
                    studio: studio, asOf: asOf ?? app.clock.today(), keyFile: keyFile.map { URL(fileURLWithPath: $0) })
                try writeOutput(data, to: out)
                let verification = AuditPackage.verify(data)
                emit("已生成审计资料包：\(out)（\(data.count) 字节，\(verification.filesChecked) 个文件，签名公钥指纹 \(verification.manifest?.signingKey.fingerprint ?? "")）\n")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "核验资料包：每个文件的 SHA-256、清单签名，以及增删改的文件")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "资料包 ZIP 文件") var file: String
        @Option(name: .customLong("public-key"), help: "应当签名的公钥（十六进制）；省略时若数据库中登记了该依托单位的公钥则与之比对")
        var publicKey: String?

        func run() throws {
            try FundLedger.run {
                let (data, _) = try readInput(file)
                var trusted = publicKey
                if trusted == nil, FileManager.default.fileExists(atPath: global.databasePath),
                    let manifest = AuditPackage.verify(data).manifest,
                    let code = try? CreditCode(manifest.hostUnit.creditCode)
                {
                    trusted = try global.open().packages.signingKeys(hostUnit: code.description).last?.publicKeyHex
                }
                let result = AuditPackage.verify(data, trustedKey: trusted)
                if let manifest = result.manifest {
                    emit("资料包：\(manifest.studio.name)（\(manifest.studio.code)），截至 \(manifest.coverage.asOf.iso)，\(manifest.files.count) 个文件\n")
                    emit("签名公钥指纹：\(manifest.signingKey.fingerprint)\(trusted == nil ? "（未与登记公钥比对）" : "")\n")
                }
                if result.isClean {
                    emit("核验通过：签名有效，\(result.filesChecked) 个文件的大小和 SHA-256 均与清单一致，无多余或缺少的文件\n")
                } else {
                    throw CLIError.failed("核验未通过（\(result.problems.count) 处）：\n" + result.problems.map { "  \($0)" }.joined(separator: "\n"))
                }
            }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出审计软件数据：gbt24589（XML，GB18030）、ao（平面表 CSV）、hledger、beancount",
        discussion: "gbt24589 与 ao 的 --out 是目录；hledger 与 beancount 的 --out 是文件（- 为标准输出）。")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case gbt24589, ao, hledger, beancount
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "格式：gbt24589、ao、hledger、beancount") var format: Format
    @Option(help: "工作室编号") var studio: String
    @Option(name: .customLong("as-of"), help: "账簿截止日（默认今天）") var asOf: CalendarDate?
    @Option(help: "输出文件或目录") var out: String

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            let snapshot = try app.statements.booksSnapshot(studio: studio, asOf: asOf ?? app.clock.today())
            var files: [(String, Data)] = []
            switch format {
            case .hledger: try writeOutput(Data(HledgerExport.journal(snapshot).utf8), to: out)
            case .beancount: try writeOutput(Data(BeancountExport.file(snapshot).utf8), to: out)
            case .gbt24589: files = try GBT24589Export.files(snapshot).map { ($0.name, $0.data) }
            case .ao:
                for table in try AOTablesExport.tables(snapshot) {
                    files.append(("UTF-8/\(table.name)", CSVEncoding.utf8.encode(table.text)))
                    files.append(("GB18030/\(table.name)", CSVEncoding.gb18030.encode(table.text)))
                }
            }
            if !files.isEmpty {
                let directory = URL(fileURLWithPath: out, isDirectory: true)
                for (name, data) in files {
                    let url = directory.appendingPathComponent(name)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: url, options: .atomic)
                }
                emit("已导出 \(files.count) 个文件到 \(out)\n")
            } else if out != "-" {
                emit("已导出 \(format.rawValue)：\(out)\n")
            }
        }
    }
}
