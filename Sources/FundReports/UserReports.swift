import FundCore

// 用户与授权: the web desk's accounts as `user list` and the admin page show them. An account
// value carries no password hash, so neither can this view.

public enum UserReports {
    /// `user list --format json`: one object per account.
    public struct UserJSON: Sendable, Codable, Hashable {
        public let name: String
        /// The `--role` name: bureau, county, accountant, supervisor, auditor, admin.
        public let role: String
        /// As stored: "all", "county:雁江区", "host-unit:91…", "studios:A,B", "none".
        public let scope: String
        /// The last day the grant works; absent: no end.
        public let expires: CalendarDate?
        /// "active", "disabled" or "expired" (as of the day the list was made).
        public let status: String
        /// A one-time password was issued and is still to be changed.
        public let mustChangePassword: Bool
        public let createdAt: String
        public let createdBy: String
    }

    /// The status word of an account on `today`: 停用 wins over 已到期.
    public static func status(_ account: WebAccount, today: CalendarDate) -> (code: String, chinese: String) {
        if account.disabled { return ("disabled", "停用") }
        if let expires = account.expires, today > expires { return ("expired", "已到期") }
        return ("active", "启用")
    }

    /// 用户与授权, as of `today` (which decides 已到期).
    public static func users(_ accounts: [WebAccount], today: CalendarDate) -> AnyReport {
        let value = accounts.map {
            UserJSON(
                name: $0.name, role: $0.role.rawValue, scope: $0.scope.stored, expires: $0.expires, status: status($0, today: today).code,
                mustChangePassword: $0.mustChangePassword, createdAt: $0.createdAt, createdBy: $0.createdBy)
        }
        let table = DocumentTable(
            name: "用户与授权",
            columns: [
                Column("用户名", .text, width: 14), Column("角色", .text, width: 24), Column("授权范围", .text, width: 30),
                Column("有效期至", .date, width: 11), Column("状态", .text, width: 6), Column("创建时间", .code, width: 20),
                Column("创建人", .text, width: 10),
            ],
            rows: accounts.map { account in
                Row(.body, [
                    .text(account.name), .text("\(account.role.chineseName)（\(account.role.rawValue)）"), .text(account.scope.chineseText),
                    account.expires.map(Cell.date) ?? .empty, .text(status(account, today: today).chinese), .text(account.createdAt),
                    .text(account.createdBy),
                ])
            })
        let blocks: [Block] = accounts.isEmpty ? [.paragraph("尚未建立账户（workshop-ledger user add）")] : [.table(table)]
        return AnyReport(
            document: .view(.users, titleBlock: [LabeledValue("账户数", "\(accounts.count)"), LabeledValue("状态截至", today.iso)], blocks: blocks,
                            orientation: .landscape),
            value: value)
    }
}
