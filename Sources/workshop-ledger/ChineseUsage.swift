import Foundation

/// argument-parser's own words in help and usage errors, in Chinese like the rest of the
/// tool. argument-parser (1.x) has no hook for its messages, so the finished text is
/// rewritten: its headings, the help flag, "(default: …)", and the usage errors it raises
/// itself (a missing or unknown argument, a bad value). Our own messages are Chinese already
/// and pass through unchanged; so does anything not recognised.
enum ChineseUsage {
    /// Fixed phrases, longest first where one contains another.
    static let phrases: [(String, String)] = [
        ("OVERVIEW:", "说明："),
        ("USAGE:", "用法："),
        ("ARGUMENTS:", "参数："),
        ("OPTIONS:", "选项："),
        ("SUBCOMMANDS:", "子命令："),
        ("Show help information.", "显示帮助"),
        ("Show the version.", "显示版本"),
        ("Error: ", "错误："),
        ("Usage: ", "用法："),
        ("Help: ", "说明："),
        (". Please provide one of the following:", "。可选值："),
        ("Please provide one of the following:", "可选值："),
        ("  See 'workshop-ledger help <subcommand>' for detailed help.", "  各子命令的详细说明：workshop-ledger help <子命令>"),
        ("(default)", "（默认）"),
    ]

    /// Patterns with one or two quoted parts: ("Missing expected argument '", "'", …).
    static func rewriteSentences(_ line: String) -> String {
        var line = line
        // "See 'workshop-ledger report --help' for more information."
        line = replacing(line, prefix: "See '", suffix: "' for more information.") { "详见 \($0)" }
        line = replacing(line, prefix: "Missing expected argument '", suffix: "'") { "缺少参数 \($0)" }
        line = replacing(line, prefix: "Missing value for '", suffix: "'") { "\($0) 缺少取值" }
        line = replacing(line, prefix: "Unknown option '", suffix: "'") { "未知选项 \($0)" }
        line = replacing(line, prefix: "Unexpected argument '", suffix: "'") { "多余的参数 \($0)" }
        line = replacing(line, prefix: "Unknown subcommand '", suffix: "'") { "未知子命令 \($0)" }
        // "The value 'xx' is invalid for '--format <format>'"
        if let range = line.range(of: "The value '"), let middle = line.range(of: "' is invalid for '", range: range.upperBound..<line.endIndex),
           let end = line.range(of: "'", range: middle.upperBound..<line.endIndex) {
            let value = line[range.upperBound..<middle.lowerBound]
            let option = line[middle.upperBound..<end.lowerBound]
            line = String(line[..<range.lowerBound]) + "\(option) 的取值 “\(value)” 无效" + String(line[end.upperBound...])
        }
        return line
    }

    /// `prefix` + quoted + `suffix` anywhere in `line` rewritten by `make(quoted)`.
    static func replacing(_ line: String, prefix: String, suffix: String, _ make: (Substring) -> String) -> String {
        guard let start = line.range(of: prefix), let end = line.range(of: suffix, range: start.upperBound..<line.endIndex) else { return line }
        return String(line[..<start.lowerBound]) + make(line[start.upperBound..<end.lowerBound]) + String(line[end.upperBound...])
    }

    /// The whole message rewritten; a "(…" opened by `(values:`/`(default:` closes with "）".
    static func translate(_ message: String) -> String {
        var text = message
        for (english, chinese) in phrases { text = text.replacingOccurrences(of: english, with: chinese) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { rewriteSentences(String($0)) }
        return closeParentheses(valueLists(lines.joined(separator: "\n")))
    }

    /// "(values: a, b; default: c)" and "(default: c)" — which the help wraps anywhere, even
    /// between "(values:" and its first value — as "（可选：a, b；默认：c）"; "Did you mean
    /// '--out'?" as "是否要用 --out？".
    static func valueLists(_ text: String) -> String {
        var text = text
        for (pattern, template) in [(#"\. Did you mean '([^']*)'\?"#, "。是否要用 $1？"), (#" ?\(values: ?"#, "（可选："), (#";\n(\s*)default: ?"#, "；\n$1默认："), (#"; default: ?"#, "；默认："), (#" ?\(default: ?"#, "（默认：")] {
            let expression = try! NSRegularExpression(pattern: pattern)
            text = expression.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        return text
    }

    /// After "（可选：" or "（默认：" (possibly across wrapped lines), the next ")" becomes "）".
    static func closeParentheses(_ text: String) -> String {
        var out = ""
        var open = false
        var rest = Substring(text)
        while let next = rest.firstIndex(where: { $0 == "（" || $0 == ")" }) {
            out += rest[..<next]
            let character = rest[next]
            rest = rest[rest.index(after: next)...]
            if character == "（" {
                out.append("（")
                open = rest.hasPrefix("可选：") || rest.hasPrefix("默认：")
            } else {
                out.append(open ? "）" : ")")
                open = false
            }
        }
        return out + rest
    }
}
