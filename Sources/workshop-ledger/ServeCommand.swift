import ArgumentParser
import FundApp
import FundCore
import FundWeb
import Foundation
import Synchronization

/// Whether the process is serving the web desk: SIGTERM and SIGINT then belong to the server's
/// graceful shutdown (finish the requests in flight, close the database), not to the
/// command-line handler that exits at once.
enum Serving {
    static let active = Atomic<Bool>(false)
}

/// Options of the web server, shared by `serve` and `demo --serve`.
struct WebOptions: ParsableArguments {
    @Option(help: "监听地址（默认 127.0.0.1，只对本机开放）") var host: String = "127.0.0.1"
    @Option(help: "端口") var port: Int = 8080
    @Flag(help: "Cookie 加 Secure 属性（经 HTTPS 反向代理提供服务时使用）") var secureCookies = false
    @Flag(help: "不输出访问日志") var quiet = false
    @Option(name: .customLong("key-dir"), help: "各依托单位签名私钥所在目录（网页下载审计包时签名用；默认数据库旁的 DB.keys/）") var keyDirectory: String?

    /// Serves `app` until SIGTERM/SIGINT; returns after the graceful shutdown.
    func serve(_ app: LedgerApp) throws {
        let configuration = WebConfiguration(
            host: host, port: port, secureCookies: secureCookies, accessLog: !quiet,
            keyDirectory: keyDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) })
        Serving.active.store(true, ordering: .sequentiallyConsistent)
        defer { Serving.active.store(false, ordering: .sequentiallyConsistent) }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await WebDesk.serve(app: app, configuration: configuration) {
                    emit("网页服务已启动：http://\(configuration.host):\(configuration.port)/ （Ctrl-C 停止）\n")
                }
            } catch {
                outcome.error.withLock { $0 = String(describing: error) }
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error.withLock({ $0 }) {
            throw LedgerEnvironmentError("网页服务无法运行：\(error)")
        }
        emit("网页服务已停止\n")
    }

    final class Outcome: Sendable {
        let error = Mutex<String?>(nil)
    }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "提供网页服务：各角色用自己的账户登录，查看授权范围内工作室的账簿、报表与发现（账户用 workshop-ledger user add 开设）")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var web: WebOptions

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            try web.serve(app)
        }
    }
}

struct OverviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overview",
        abstract: "工作室总览：状态、补助资金到位/支出/结余、预算执行率、未解决发现、下一期限、验收等级，带合计行（网页总览的同一张表）")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("as-of"), help: "截至日期（默认今天）") var asOf: CalendarDate?
    @Option(help: "只看某县（区）的工作室") var county: String?

    func run() throws {
        try FundLedger.run {
            try output.write(try global.open().review.countyOverviewReport(county: county, asOf: asOf), global)
        }
    }
}
