import ArgumentParser
import FundApp
import FundCore
import FundRender
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "校验全部账簿：记账规则、凭证编号、哈希链、余额与操作日志；全部通过才返回 0")
    @OptionGroup var global: GlobalOptions
    @Option(help: "与交付时的记录比对：审计资料包 ZIP，或其 manifest.json（县人社局留存）；证明现在的账簿恰是当时交付账簿的延续")
    var against: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        try FundLedger.run {
            let app = try global.open()
            let verification = try Progress.standardError.run("校验账簿") {
                try against.map { path in
                    let (data, name) = try readInput(path)
                    return try app.admin.verifyReport(against: data, file: name)
                } ?? app.admin.verifyReport()
            }
            try output.write(verification.report, global)
            if !verification.isClean { throw CheckFailed("校验未通过") }
        }
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "操作日志（谁、何时、做了什么）")
    @OptionGroup var global: GlobalOptions
    @Option(help: "只看一个工作室") var studio: String?
    @Option(help: "只看一个操作人") var by: String?
    @Option(help: "只看某类操作，如 voucher、period.reopen") var action: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        try FundLedger.run { try output.write(try global.open().admin.logReport(studio: studio, user: by, action: action), global) }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "用内置样例（3 个依托单位、4 个工作室、一年多凭证）新建演示账套 OUT/workshop-ledger.sqlite（不使用 --db 或 WORKSHOP_LEDGER_DB），打印各资金科目余额表和检查发现，把全部报表写入 OUT/reports/、绩效评价材料写入 OUT/evaluation/、审计资料包写入 OUT/packages/（签名私钥在数据库旁的 .keys/ 目录，之后的命令无需 --key-file），为每个角色开设演示账户；--serve 随后提供网页服务")

    @Option(help: "输出目录（默认 ./demo）") var out: String = "demo"
    @Flag(help: "建好演示账套后提供网页服务（用打印的演示账户登录），Ctrl-C 停止") var serve = false
    @Flag(name: .customLong("ascii-names"), help: "报表文件用英文名（ZY2025-001-trial-balance.pdf），默认中文名（ZY2025-001-科目余额表.pdf）") var asciiNames = false
    @OptionGroup var web: WebOptions

    func run() throws {
        try FundLedger.run {
            let outcome = try Demo.run(in: URL(fileURLWithPath: out, isDirectory: true), asciiNames: asciiNames)
            emit("演示账套：\(outcome.databasePath)（\(outcome.studios.count) 个工作室，\(outcome.vouchers) 张凭证）\n")
            for studio in outcome.studios {
                emit("\n======== \(studio.code) \(studio.name) ========\n")
                try OutputOptions.write(studio.trialBalance)
                if let budget = studio.budgetStatement {
                    emit("\n—— 依托单位为事业单位，平行记账（政府会计制度）——\n")
                    try OutputOptions.write(budget)
                }
            }
            emit("\n======== 合规检查（截至 \(outcome.check.summary.asOf)）========\n")
            try OutputOptions.write(outcome.checkReport)
            emit("\n======== 报表 ========\n已生成 \(outcome.reports.count) 个报表文件（\(outcome.reportFormats.map(\.rawValue).joined(separator: "、"))）：\(out)/reports/<工作室>/\n")
            emit("\n======== 生命周期与绩效评价 ========\n")
            for studio in outcome.studios {
                let status = studio.status
                let owing = status.refundOwedFen.fen > 0 ? "，应退补助资金 \(status.refundOwedFen.groupedString) 元未退回" : ""
                emit("\(studio.code)：\(status.state.chineseName)（\(status.since.iso) 起）\(owing)\n")
            }
            for evaluation in outcome.evaluations {
                emit("\(evaluation.studio) 绩效自评（截至 \(evaluation.asOf.iso)）：\(evaluation.total.text) 分，等级“\(evaluation.grade)”\n")
            }
            emit("已生成 \(outcome.evaluationFiles.count) 个绩效评价文件：\(out)/evaluation/<工作室>/\n")
            emit("\n======== 审计资料包 ========\n")
            for package in outcome.packages {
                emit("\(out)/packages/\(package.file.lastPathComponent)：\(package.filesChecked) 个文件，签名\(package.signatureValid ? "有效" : "无效")\n")
            }
            emit("\n======== 演示账户 ========\n（网页端登录用；密码只显示这一次，库中只存其 bcrypt 哈希）\n")
            var accounts = TextTable(headers: ["用户名", "角色", "授权范围", "密码"], alignments: [.left, .left, .left, .left])
            for account in outcome.demoAccounts {
                let until = account.expires.map { "（至 \($0.iso)）" } ?? ""
                accounts.add([account.name, account.role.rawValue, account.scope.chineseText + until, account.password])
            }
            emit(accounts.render())
            let verification = outcome.verification
            emit("\n校验：\(verification.isClean ? "全部通过" : "发现 \(verification.problems.count) 个问题")\n")
            if !verification.isClean {
                for problem in verification.problems { emit(problem.description + "\n") }
                throw CheckFailed("演示账套校验未通过")
            }
            if !serve {
                let db = outcome.databasePath
                emit("""

                    ======== 接下来可以试试 ========
                    workshop-ledger serve --db \(db)        # 网页端：用上面的演示账户登录 http://127.0.0.1:8080/
                    workshop-ledger report fund-statement --db \(db) --studio ZY2025-001 --format pdf --out 收支情况表.pdf
                    workshop-ledger audit-package verify \(out)/packages/ZY2025-001-audit-package.zip --db \(db)

                    """)
            }
            if serve {
                emit("\n======== 网页服务 ========\n用上面的演示账户登录：http://\(web.host):\(web.port)/\n")
                try web.serve(try LedgerApp.open(path: outcome.databasePath, user: "演示服务"))
            }
        }
    }
}
