import ArgumentParser
import Testing
@testable import workshop_ledger

/// Help and usage errors in Chinese like the rest of the tool (issue 16, item 7).
@Suite("Chinese help and usage errors")
struct ChineseUsageTests {
    /// argument-parser's message for `arguments`, as the CLI prints it.
    static func message(_ arguments: [String]) -> String {
        do {
            _ = try WorkshopLedger.parseAsRoot(arguments)
            return ""
        } catch {
            return ChineseUsage.translate(WorkshopLedger.fullMessage(for: error))
        }
    }

    @Test("usage errors", arguments: [
        (["report"], "错误：缺少参数 <kind>"),
        (["report", "trial-balance", "--studio", "S", "--qqqqqqqqqq"], "错误：未知选项 --qqqqqqqqqq"),
        (["report", "trial-balance", "--studio", "S", "--ot", "x"], "错误：未知选项 --ot。是否要用 --out？"),
        (["report", "nope"], "错误：<kind> 的取值 “nope” 无效。可选值："),
        (["report", "trial-balance", "--studio", "S", "--format", "xx"], "错误：--format <format> 的取值 “xx” 无效。可选值："),
        (["report", "trial-balance", "--studio"], "错误：--studio <studio> 缺少取值"),
        (["repot"], "错误：多余的参数 repot"),
    ])
    func usageErrors(arguments: [String], first: String) {
        let message = Self.message(arguments)
        #expect(message.split(separator: "\n").first.map(String.init) == first, "\(message)")
        #expect(message.contains("用法：workshop-ledger") && message.contains("详见 workshop-ledger"), "\(message)")
        for english in ["Error:", "Usage:", "See '", "Missing", "Unknown", "invalid", "Please provide"] {
            #expect(!message.contains(english), "\(english) in \(message)")
        }
    }

    @Test("help of every command has no English headings, and the example is not wrapped mid-command")
    func help() {
        for (path, command) in ParseTests.commands() {
            let help = ChineseUsage.translate(WorkshopLedger.helpMessage(for: command, columns: 80))
            for english in ["OVERVIEW:", "USAGE:", "OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:", "Show help information", "(default:", "(values:", "default:"] {
                #expect(!help.contains(english), "\(path.joined(separator: " ")): \(english)")
            }
            #expect(help.contains("用法："), "\(path)")
        }
        let report = ChineseUsage.translate(WorkshopLedger.helpMessage(for: ReportCommand.self, columns: 80))
        #expect(report.contains("例：\n  workshop-ledger report fund-statement --studio ZY2025-001 \\\n    --format pdf --out 收支情况表.pdf\n"), "\(report)")
        #expect(report.contains("（可选：table, csv, json, html, xlsx, pdf；默认：table）") || report.contains("；\n"), "\(report)")
        #expect(report.contains("-h, --help              显示帮助"))
    }

    @Test("our own messages and text without argument-parser's words pass through unchanged")
    func ownMessages() {
        for text in ["缺少 --studio（工作室编号）", "工作室编号（overview 以外的报表必填）", "输出目录（默认 ./demo）", "(a) b"] {
            #expect(ChineseUsage.translate(text) == text)
        }
    }
}
