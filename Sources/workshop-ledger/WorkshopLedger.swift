// workshop-ledger: the command-line front end. Thin by design: parse arguments, call FundApp,
// render with FundRender, map errors to messages and exit codes. No business logic here.
import ArgumentParser
import FundApp
import FundCore
import FundRender
import FundStore
import Foundation

@main
struct WorkshopLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workshop-ledger",
        abstract: "技能大师工作室项目资金分账核算与审计（WorkshopLedger）",
        discussion: """
            每个工作室按资金来源（补助资金、企业支持资金、自筹资金）分别建账、各自平衡；凭证只增不改，
            更正用红字冲销；结账后期间不可记账。
            退出码：0 成功；1 校验发现问题；2 输入被拒绝（错误信息注明文件、行和字段）；3 环境错误。
            """,
        subcommands: [
            Init.self, Accounts.self, HostUnitCommand.self, StudioCommand.self, VoucherCommand.self,
            ImportCommand.self, PeriodCommand.self, Balance.self, Journal.self, Ledger.self, Verify.self, Check.self, FindingCommand.self,
            BudgetCommand.self, ReportCommand.self, EvidenceCommand.self, KeysCommand.self, AuditPackageCommand.self,
            ExportCommand.self, DeadlinesCommand.self, ActivityCommand.self, TargetCommand.self, EvaluationCommand.self,
            Log.self, DemoCommand.self,
        ])

    /// Like the default `main`, but bad usage (unknown option, missing argument, failed
    /// validation) exits with 2 like every other rejected input, not argument-parser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "数据库文件（默认 $WORKSHOP_LEDGER_DB 或 ./workshop-ledger.sqlite）")
    var db: String?

    @Option(name: .long, help: "操作人，记入操作日志（默认 $USER）")
    var user: String?

    @Option(name: .customLong("policy"), help: "资金使用政策文件（JSON），代替内置的各版本政策（检查与记账拦截都用它）")
    var policyFile: String?

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["WORKSHOP_LEDGER_DB"] ?? "./workshop-ledger.sqlite"
    }

    var userName: String {
        if let user, !user.trimmingSpaces.isEmpty { return user }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }

    /// Opens the ledger. Commands other than `init` and `demo` require an existing file, so a
    /// mistyped --db does not silently create an empty ledger.
    func open(creating: Bool = false) throws -> LedgerApp {
        if !creating && !FileManager.default.fileExists(atPath: databasePath) {
            throw CLIError.environment("数据库 \(databasePath) 不存在：请先运行 workshop-ledger init，或用 --db 指定")
        }
        return try LedgerApp(path: databasePath, user: userName, policyFile: policyFile.map { URL(fileURLWithPath: $0) })
    }
}

/// The shared output-format option.
struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "输出格式：table、csv 或 json")
    var format: ViewFormat = .table
}

extension ViewFormat: ExpressibleByArgument {}

extension Fund: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
    init(parsing text: String) throws { self = try Fund.parse(text) }
}

extension Period: ExpressibleByArgument {
    public init?(argument: String) {
        guard let period = try? Period.parse(argument) else { return nil }
        self = period
    }
}

extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) {
        guard let date = try? CalendarDate.parse(argument) else { return nil }
        self = date
    }
}

enum CLIError: Error {
    case environment(String)
    case failed(String)
}

/// Runs a command body and maps every error to a message on stderr and an exit code:
/// 2 for rejected input, 1 for a failed check, 3 for the environment.
enum FundLedger {
    static func run(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as Rejection {
        report("错误 \(error)")
        throw ExitCode(2)
    } catch let error as LocatedRejection {
        report("错误 \(error)")
        throw ExitCode(2)
    } catch let error as RejectionList {
        report("错误：输入被拒绝，数据库未作任何修改（共 \(error.items.count) 处\(error.truncated ? "以上" : "")）\n\(error)")
        throw ExitCode(2)
    } catch CLIError.failed(let message) {
        report(message)
        throw ExitCode(1)
    } catch CLIError.environment(let message) {
        report("错误：\(message)")
        throw ExitCode(3)
    } catch let error as ExitCode {
        throw error
    } catch {
        report("错误（环境）：\(error)")
        throw ExitCode(3)
    }
    }
}

func report(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Reads a file argument, or standard input for "-".
func readInput(_ path: String) throws -> (Data, String) {
    if path == "-" { return (FileHandle.standardInput.readDataToEndOfFile(), "<stdin>") }
    guard FileManager.default.fileExists(atPath: path) else {
        throw CLIError.environment("文件 \(path) 不存在")
    }
    return (try Data(contentsOf: URL(fileURLWithPath: path)), path)
}
