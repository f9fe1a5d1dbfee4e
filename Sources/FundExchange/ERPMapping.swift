import FundCore
import Foundation

/// Reads a host unit's account mapping file (科目对照表, UTF-8 or GB18030 CSV): one row per
/// our leaf account and fund, with the host's account code and its 辅助核算 project. Every
/// error is listed with its line and column (I016); a file with any error yields nothing.
public struct HostMappingCSVReader {
    public let file: String
    public let chart: ChartOfAccounts

    public init(file: String, chart: ChartOfAccounts) {
        self.file = file
        self.chart = chart
    }

    static let columns: [CSVTableReader.Column] = [
        .init(key: "account", aliases: ["科目编码", "本系统科目编码", "项目账科目编码", "account"], required: true),
        .init(key: "fund", aliases: ["资金来源", "fund"], required: true),
        .init(key: "host_account", aliases: ["依托单位科目编码", "对方科目编码", "单位科目编码", "host_account"], required: true),
        .init(key: "host_account_name", aliases: ["依托单位科目名称", "对方科目名称", "单位科目名称", "host_account_name"], required: false),
        .init(key: "project_code", aliases: ["项目编码", "辅助核算项目编码", "核算项目编码", "project_code"], required: false),
        .init(key: "project_name", aliases: ["项目名称", "辅助核算项目名称", "核算项目名称", "project_name"], required: false),
    ]

    /// The column header a key is written under in messages.
    static func header(_ key: String) -> String { columns.first { $0.key == key }!.aliases[0] }

    public func read(_ data: Data) throws(RejectionList) -> [HostAccountMappingEntry] {
        let reader = CSVTableReader(file: file, columns: Self.columns)
        let (headerLine, rows) = try reader.rows(data)
        var errors: [LocatedRejection] = []
        func fail(_ line: Int, _ key: String, _ message: String) {
            errors.append(LocatedRejection(file: file, line: line, rejection: Rejection(.mappingInvalid, field: Self.header(key), message)))
        }
        var entries: [(line: Int, entry: HostAccountMappingEntry)] = []
        for (line, field) in rows {
            let value = { (key: String) in field(key).trimmingSpaces }
            let before = errors.count
            let account = value("account")
            var fund: Fund?
            do { fund = try Fund.parse(value("fund")) } catch { fail(line, "fund", error.message) }
            if account.isEmpty {
                fail(line, "account", "本系统科目编码为空")
            } else if let found = chart[account] {
                if !found.isLeaf { fail(line, "account", "科目 \(account) \(found.name) 不是末级科目：对照只能写末级科目") }
                if let fund, !found.accepts(fund) {
                    fail(line, "fund", "科目 \(account) \(found.name) 不记\(fund.chineseName)")
                }
            } else {
                fail(line, "account", "科目 \(account) 不在本系统科目表中")
            }
            if value("host_account").isEmpty { fail(line, "host_account", "依托单位科目编码为空") }
            for key in ["host_account", "host_account_name", "project_code", "project_name"] {
                do { _ = try TextField.validate(value(key), field: key) } catch { fail(line, key, error.message) }
            }
            guard errors.count == before, let fund else { continue }
            entries.append((line, HostAccountMappingEntry(
                account: account, fund: fund, hostAccount: value("host_account"), hostAccountName: value("host_account_name"),
                projectCode: value("project_code"), projectName: value("project_name"))))
        }
        checkUnique(entries, fail: fail)
        if entries.isEmpty && errors.isEmpty {
            errors.append(LocatedRejection(file: file, line: headerLine, rejection: Rejection(.importEmpty, "文件只有表头，没有对照行")))
        }
        guard errors.isEmpty else {
            let ordered = errors.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
            throw RejectionList(items: Array(ordered.prefix(Limits.importErrorsMax)), truncated: ordered.count > Limits.importErrorsMax)
        }
        return entries.map(\.entry)
    }

    /// No (account, fund) twice (the export would not know which line to write), and no two
    /// lines on one (host code, project) (an import in the host's codes would not know which
    /// of ours it means).
    func checkUnique(_ entries: [(line: Int, entry: HostAccountMappingEntry)], fail: (Int, String, String) -> Void) {
        var ours: [String: Int] = [:]
        var theirs: [String: Int] = [:]
        for (line, entry) in entries {
            let ourKey = entry.account + "\u{1F}" + entry.fund.rawValue
            if let first = ours[ourKey] {
                fail(line, "account", "科目 \(entry.account) \(entry.fund.chineseName) 已在第 \(first) 行对照过：每个科目与资金来源只能对照一次")
            } else {
                ours[ourKey] = line
            }
            let theirKey = entry.hostAccount + "\u{1F}" + entry.projectCode
            if let first = theirs[theirKey] {
                let project = entry.projectCode.isEmpty ? "不带项目" : "项目 \(entry.projectCode)"
                fail(
                    line, "project_code",
                    "依托单位科目 \(entry.hostAccount)（\(project)）已在第 \(first) 行对照到另一科目或资金：按依托单位编码导入时无法区分，请用不同的项目编码")
            } else {
                theirs[theirKey] = line
            }
        }
    }

    /// The mapping as a file `read` takes back (UTF-8 with BOM, or GB18030).
    public static func csv(_ entries: [HostAccountMappingEntry], encoding: CSVEncoding = .utf8) -> Data {
        var writer = CSVWriter()
        writer.row(text: columns.map { $0.aliases[0] })
        for entry in entries {
            writer.row(text: [entry.account, entry.fund.chineseName, entry.hostAccount, entry.hostAccountName, entry.projectCode, entry.projectName])
        }
        return encoding.encode(writer.text)
    }
}
