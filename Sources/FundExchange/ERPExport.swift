import FundCore
import Foundation

/// The host unit's ERP whose voucher-import file `export erp` writes.
public enum ERPFormat: String, CaseIterable, Sendable {
    /// 用友 U8 总账工具 凭证引入 (text/CSV, one row per entry, positional).
    case yonyou
    /// 金蝶 K3 标准凭证引入 (the columns of its 标准凭证引出).
    case kingdee

    public var chineseName: String { self == .yonyou ? "用友 U8 凭证引入" : "金蝶 K3 标准凭证引入" }
}

/// Writes a studio's vouchers as the voucher-import file of the host unit's ERP, in the host's
/// own account codes and 辅助核算 projects (through its mapping), so the unit loads the project
/// books into its main ledger without retyping them. Amounts are decimal text from integer fen.
/// Every account (with fund) the mapping lacks is listed in one rejection (A008), and nothing is
/// written.
public struct ERPVoucherWriter: Sendable {
    public let format: ERPFormat
    public let chart: ChartOfAccounts
    public let mapping: HostAccountMapping

    public init(format: ERPFormat, chart: ChartOfAccounts, mapping: HostAccountMapping) {
        self.format = format
        self.chart = chart
        self.mapping = mapping
    }

    /// The header row. 用友: the field order of U8's 总账工具 凭证引入 text file (制单日期 …
    /// 项目编码), then 审核人 and 记账人; 金蝶: the 19 columns of K3's 标准凭证引出.
    public var columns: [String] {
        switch format {
        case .yonyou:
            return [
                "制单日期", "凭证类别字", "凭证号", "附单据数", "摘要", "科目编码", "金额借方", "金额贷方", "数量", "外币", "汇率", "制单人",
                "结算方式", "票号", "发生日期", "部门编码", "个人编码", "客户编码", "供应商编码", "业务员", "项目编码", "审核人", "记账人",
            ]
        case .kingdee:
            return [
                "凭证日期", "会计年度", "会计期间", "凭证字", "凭证号", "科目代码", "科目名称", "币别代码", "原币金额", "借方", "贷方", "制单",
                "审核", "核准", "出纳", "结算方式", "凭证摘要", "附件数", "核算项目",
            ]
        }
    }

    /// Our (account, fund) pairs the vouchers use that the mapping lacks, in code order.
    public func unmapped(_ vouchers: [PostedVoucher]) -> [(account: String, fund: Fund)] {
        var seen = Set<String>()
        var missing: [(account: String, fund: Fund)] = []
        for voucher in vouchers {
            for line in voucher.draft.lines where mapping.entry(account: line.account, fund: line.fund) == nil {
                if seen.insert(line.account + "/" + line.fund.rawValue).inserted { missing.append((line.account, line.fund)) }
            }
        }
        return missing.sorted { ($0.account, $0.fund) < ($1.account, $1.fund) }
    }

    /// The file's rows (header first), or A008 naming every unmapped account.
    public func rows(_ vouchers: [PostedVoucher]) throws(Rejection) -> [[CSVField]] {
        let missing = unmapped(vouchers)
        guard missing.isEmpty else {
            let listed = missing.map { "\($0.account) \(chart[$0.account]?.name ?? "") \($0.fund.chineseName)" }
            throw Rejection(
                .accountUnmapped, field: "account",
                "以下 \(missing.count) 个科目（及资金来源）不在依托单位 \(mapping.hostUnit) 的科目对照表（第 \(mapping.version) 版）中，未生成文件：\(listed.joined(separator: "；"))")
        }
        var rows: [[CSVField]] = [columns.map(CSVField.text)]
        for voucher in vouchers {
            for line in voucher.draft.lines {
                let entry = mapping.entry(account: line.account, fund: line.fund)!
                rows.append(format == .yonyou ? yonyouRow(voucher, line, entry) : kingdeeRow(voucher, line, entry))
            }
        }
        return rows
    }

    func yonyouRow(_ voucher: PostedVoucher, _ line: VoucherLine, _ entry: HostAccountMappingEntry) -> [CSVField] {
        let draft = voucher.draft
        let (debit, credit) = sides(line, zero: .text(""))
        return [
            .text(draft.date.iso), .text(draft.voucherClass.rawValue), .count(voucher.ref.number), .count(draft.attachments),
            .text(line.memo), .text(entry.hostAccount), debit, credit, .empty, .empty, .empty, .text(draft.preparer),
            .text(draft.settlement?.chineseName ?? ""), .empty, .text(draft.date.iso), .empty, .empty, .empty, .empty, .empty,
            .text(entry.projectCode), .text(draft.reviewer), .text(draft.poster),
        ]
    }

    func kingdeeRow(_ voucher: PostedVoucher, _ line: VoucherLine, _ entry: HostAccountMappingEntry) -> [CSVField] {
        let draft = voucher.draft
        let (debit, credit) = sides(line, zero: .money(.zero))
        let project = entry.projectCode.isEmpty && entry.projectName.isEmpty
            ? "" : "项目:" + [entry.projectCode, entry.projectName].filter { !$0.isEmpty }.joined(separator: " ")
        return [
            .text(draft.date.iso), .count(draft.date.year), .count(draft.date.month), .text(draft.voucherClass.rawValue),
            .count(voucher.ref.number), .text(entry.hostAccount), .text(entry.hostAccountName.isEmpty ? chart[line.account]?.name ?? "" : entry.hostAccountName),
            .text("RMB"), .money(line.amount), debit, credit, .text(draft.preparer), .text(draft.reviewer), .empty, .empty,
            .text(draft.settlement?.chineseName ?? ""), .text(line.memo), .count(draft.attachments), .text(project),
        ]
    }

    /// The amount in its side's column (a red reversal's negative amount stays on its side, as
    /// both ERPs write 红字), the other column `zero`.
    func sides(_ line: VoucherLine, zero: CSVField) -> (debit: CSVField, credit: CSVField) {
        line.side == .debit ? (.money(line.amount), zero) : (zero, .money(line.amount))
    }

    /// The file as the ERP expects it: CSV in GB18030 (both read Excel's Chinese default).
    public func csv(_ vouchers: [PostedVoucher]) throws(Rejection) -> Data {
        CSVEncoding.gb18030.encode(CSVWriter.render(try rows(vouchers)))
    }
}
