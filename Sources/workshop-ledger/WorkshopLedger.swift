// workshop-ledger: the command-line front end. Thin by design: parse arguments, call one
// LedgerApp use case, render what it returns with the one dispatch (ReportOutput.render), map
// errors to messages and exit codes. No business logic, no store, no arithmetic on money here.
import ArgumentParser
import FundApp
import FundCore
import FundExchange
import FundRender
import FundReports
import Foundation

@main
struct WorkshopLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workshop-ledger",
        abstract: "技能大师工作室项目资金分账核算与审计（WorkshopLedger）",
        discussion: """
            每个工作室按资金来源（补助资金、企业支持资金、自筹资金）分别建账、各自平衡；凭证只增不改，
            更正用红字冲销；结账后期间不可记账。
            退出码：0 成功；1 校验发现问题；2 输入被拒绝（错误信息注明文件、行和字段）；3 环境错误；4 内部错误（报表自相核对不符，请报告）。
            """,
        subcommands: [
            Init.self, Accounts.self, UserCommand.self, HostUnitCommand.self, StudioCommand.self, VoucherCommand.self,
            ImportCommand.self, PeriodCommand.self, Balance.self, Journal.self, Ledger.self, Verify.self, Check.self, FindingCommand.self,
            BudgetCommand.self, ReportCommand.self, EvidenceCommand.self, KeysCommand.self, AuditPackageCommand.self,
            ExportCommand.self, DeadlinesCommand.self, ActivityCommand.self, TargetCommand.self, EvaluationCommand.self,
            Log.self, DemoCommand.self, ServeCommand.self, OverviewCommand.self, PolicyCommand.self, CalendarCommand.self,
            ConfidentialCommand.self, MappingCommand.self,
        ])

    /// Like the default `main`, but bad usage (unknown option, missing argument, failed
    /// validation) exits with 2 like every other rejected input, not argument-parser's 64.
    static func main() {
        // SIGINT/SIGTERM: remove the output being written (never a half file), then exit 130/143.
        let interrupts = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                // While serving, the server shuts down gracefully on these signals itself.
                if Serving.active.load(ordering: .sequentiallyConsistent) { return }
                TemporaryFiles.shared.removeAll()
                report(number == SIGINT ? "已中断：未写完的输出文件已删除" : "已终止：未写完的输出文件已删除")
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
        defer { interrupts.forEach { $0.cancel() } }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // Help and usage errors in Chinese (argument-parser's own words rewritten).
            let code = exitCode(for: error)
            let message = ChineseUsage.translate(fullMessage(for: error))
            if code == .success {
                if !message.isEmpty { FileHandle.standardOutput.write(Data((message + "\n").utf8)) }
                Foundation.exit(0)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((message + "\n").utf8))
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

    /// What an output file must not replace: this ledger's database, its companions and keys.
    var protectedPaths: ProtectedPaths { .ledger(databasePath) }

    /// Opens the ledger (an existing file; `init` creates one).
    func open(creating: Bool = false) throws -> LedgerApp {
        let policy = policyFile.map { URL(fileURLWithPath: $0) }
        if creating { return try LedgerApp(path: databasePath, user: userName, policyFile: policy) }
        return try LedgerApp.open(path: databasePath, user: userName, policyFile: policy)
    }
}

/// How a view or report is written: the format, the file, the CSV encoding.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "输出格式：table（终端表格）、csv、json、html、xlsx、pdf")
    var format: OutputFormat = .table

    @Option(help: "输出文件（默认 - 为标准输出）")
    var out: String = "-"

    @Option(help: "CSV 编码：utf-8（带 BOM）或 gb18030")
    var encoding: CSVEncoding = .utf8

    func validate() throws {
        if encoding != .utf8 && format != .csv { throw ValidationError("--encoding 只用于 csv 格式") }
    }

    /// Renders `report` and writes it to `--out`, never over the ledger of `global` or its keys,
    /// saying what was written when it is a file.
    func write(_ report: AnyReport, _ global: GlobalOptions) throws {
        try Self.write(report, format: format, encoding: encoding, to: out, protecting: global.protectedPaths)
    }

    /// Renders `report` with the one dispatch and writes it to `path` ("-": standard output).
    static func write(
        _ report: AnyReport, format: OutputFormat = .table, encoding: CSVEncoding = .utf8, to path: String = "-",
        protecting protected: ProtectedPaths = .detected
    ) throws {
        let data = try LedgerApp.render(report, format: format, encoding: encoding)
        try writeOutput(data, to: path, protecting: protected)
        if path != "-" { emit("已生成 \(report.document.title)（\(format.rawValue)）：\(path)，\(data.count) 字节\n") }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension CSVEncoding: ExpressibleByArgument {}

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

/// Runs a command body and maps every error to a message on stderr and an exit code:
/// 1 a failed check, 2 rejected input, 3 the environment, 4 our own inconsistency.
enum FundLedger {
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let (message, code) = outcome(error)
            report(message)
            throw ExitCode(code)
        }
    }

    static func outcome(_ error: any Error) -> (String, Int32) {
        switch error {
        case let error as Rejection: ("错误 \(error)", 2)
        case let error as LocatedRejection: ("错误 \(error)", 2)
        case let error as RejectionList:
            ("错误：输入被拒绝，数据库未作任何修改（共 \(error.items.count) 处\(error.truncated ? "以上" : "")）\n\(error)", 2)
        case let error as CheckFailed: (error.message, 1)
        case let error as IntegrityFailure: ("校验未通过：账簿数据被改动 \(error)", 1)
        case let error as StoreCorruption: ("校验未通过：账簿数据被改动，[X009] \(error)（请运行 workshop-ledger verify）", 1)
        case let error as LedgerEnvironmentError: ("错误：\(error.message)", 3)
        case let error as LedgerBusy: ("错误：\(error.message)", 3)
        case let error as ReportInconsistency:
            ("内部错误：报表自相核对不符，未输出（\(error)）。请把所用命令和数据库文件报告给开发者。", 4)
        default: ("错误（环境）：\(error)", 3)
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
        throw LedgerEnvironmentError("文件 \(path) 不存在")
    }
    return (try Data(contentsOf: URL(fileURLWithPath: path)), path)
}

/// Writes bytes to standard output for "-", else to a file without ever clobbering the ledger,
/// its keys or a non-regular file (see `SafeOutput`).
func writeOutput(_ data: Data, to path: String, protecting protected: ProtectedPaths = .detected) throws {
    try SafeOutput.write(data, to: path, protecting: protected)
}

/// Writes the files of a folder export under `folder`, each as safely as one `--out` file.
func writeFolder(_ files: [(path: String, data: Data)], into folder: String, protecting protected: ProtectedPaths) throws {
    let directory = URL(fileURLWithPath: folder, isDirectory: true)
    for (path, data) in files {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeOutput.write(data, to: url.path, protecting: protected)
    }
}
