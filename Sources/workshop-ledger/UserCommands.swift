import ArgumentParser
import FundApp
import FundCore
import Foundation

/// The web desk's accounts: add, list, disable, reset a password. Thin: the accounts desk
/// validates, hashes and logs.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "网页端账户与授权（用户）",
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "新增账户：默认生成一次性密码（只显示一次，首次登录须修改）；--password-stdin 从标准输入第一行读取初始密码")
        @OptionGroup var global: GlobalOptions
        @Option(help: "用户名（登录名）") var name: String
        @Option(help: "角色：bureau（市级主管部门）、county（县区人社局）、accountant（依托单位会计）、supervisor（依托单位财务负责人）、auditor（第三方审计）、admin（系统管理员）")
        var role: String
        @Option(name: .customLong("host-unit"), help: "授权范围：一个依托单位的统一社会信用代码（accountant、supervisor）") var hostUnit: String?
        @Option(help: "授权范围：一个县（区）（county）") var county: String?
        @Option(help: "授权范围：工作室编号，可重复（auditor）") var studio: [String] = []
        @Option(help: "有效期至（含当天）YYYY-MM-DD，默认长期") var expires: String?
        @Flag(name: .customLong("password-stdin"), help: "从标准输入第一行读取初始密码（不是一次性密码）") var passwordStdin = false

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let password = passwordStdin ? try readPassword() : nil
                let form = NewAccountForm(name: name, role: role, hostUnit: hostUnit, county: county, studios: studio, expires: expires)
                let (account, oneTime) = try app.accounts.add(form, password: password)
                let until = account.expires.map { "，有效期至 \($0.iso)" } ?? ""
                emit("已新增账户 \(account.name)（\(account.role.rawValue) \(account.role.chineseName)，\(account.scope.chineseText)\(until)）\n")
                if let oneTime {
                    emit("一次性密码（只显示这一次，请当面或以安全方式交给本人）：\(oneTime)\n首次登录后须修改密码。\n")
                }
            }
        }

        /// The first line of standard input, without its line ending.
        func readPassword() throws -> String {
            guard let line = readLine(strippingNewline: true) else {
                throw Rejection(.fieldEmpty, field: "password", "--password-stdin：标准输入没有密码")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出账户与授权（不含密码）")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try FundLedger.run { try output.write(try global.open().accounts.usersReport(), global) }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "停用账户（其会话立即结束）")
        @OptionGroup var global: GlobalOptions
        @Option(help: "用户名") var name: String

        func run() throws {
            try FundLedger.run {
                let account = try global.open().accounts.disable(name: name)
                emit("已停用账户 \(account.name)，其会话已全部结束\n")
            }
        }
    }

    struct ResetPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "重置密码：生成一次性密码（只显示一次），结束该账户的全部会话")
        @OptionGroup var global: GlobalOptions
        @Option(help: "用户名") var name: String

        func run() throws {
            try FundLedger.run {
                let app = try global.open()
                let password = try app.accounts.resetPassword(name: name)
                emit("已重置账户 \(try AccountsDesk.accountName(name)) 的密码，其会话已全部结束\n")
                emit("一次性密码（只显示这一次，请当面或以安全方式交给本人）：\(password)\n首次登录后须修改密码。\n")
            }
        }
    }
}
