/// A host unit's own chart, matched to ours (科目对照表): for each of our leaf accounts and a
/// fund, the host's account code and the project (辅助核算 项目) its main ledger books the
/// studio's money on. FundExchange reads 序时账 in the host's codes and writes the host ERP's
/// voucher-import files through it; FundStore keeps its versions. A value type here because
/// both need it and neither depends on the other.
public struct HostAccountMappingEntry: Hashable, Sendable, Codable {
    /// Our leaf account's code.
    public let account: String
    public let fund: Fund
    /// The host's account code (科目编码 in its 用友/金蝶 chart), never empty.
    public let hostAccount: String
    public let hostAccountName: String
    /// The host's 辅助核算 project (项目) code and name; the code may be empty when the host
    /// books the account without a project.
    public let projectCode: String
    public let projectName: String

    public init(account: String, fund: Fund, hostAccount: String, hostAccountName: String = "", projectCode: String = "", projectName: String = "") {
        self.account = account
        self.fund = fund
        self.hostAccount = hostAccount
        self.hostAccountName = hostAccountName
        self.projectCode = projectCode
        self.projectName = projectName
    }
}

/// The version of a host unit's mapping in force (the latest import).
public struct HostAccountMapping: Hashable, Sendable {
    /// The host unit's 统一社会信用代码.
    public let hostUnit: String
    public let version: Int
    public let entries: [HostAccountMappingEntry]
    public let fileName: String
    public let at: String
    public let user: String

    public init(hostUnit: String, version: Int, entries: [HostAccountMappingEntry], fileName: String = "", at: String = "", user: String = "") {
        precondition(version >= 1, "mapping versions start at 1")
        self.hostUnit = hostUnit
        self.version = version
        self.entries = entries
        self.fileName = fileName
        self.at = at
        self.user = user
    }

    /// Our (account, fund) → the host's line, for exports.
    public func entry(account: String, fund: Fund) -> HostAccountMappingEntry? {
        entries.first { $0.account == account && $0.fund == fund }
    }

    /// The lines booked on a host account code (for imports in the host's codes).
    public func entries(hostAccount: String) -> [HostAccountMappingEntry] {
        entries.filter { $0.hostAccount == hostAccount }
    }

    /// The funds a project code or name of the host names (empty: none).
    public func funds(namedByProject text: String) -> Set<Fund> {
        guard !text.isEmpty else { return [] }
        return Set(entries.filter { $0.projectCode == text || $0.projectName == text }.map(\.fund))
    }
}
