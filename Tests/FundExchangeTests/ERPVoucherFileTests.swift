import Foundation
import FundCore
import Testing

@testable import FundExchange

/// The voucher exports of 用友 and 金蝶 as accountants bring them (issue 18), read by the
/// reader alone (no database).
@Suite("ERP voucher files")
struct ERPVoucherFileTests {
    /// 用友 U8 序时账 export: 凭证字号 in one column, 项目 naming the fund, 科目名称 and 币种 beside.
    @Test func yonyouExportWithProjectColumn() throws {
        let text = csv([
            "凭证日期,凭证字号,科目编码,科目名称,摘要,借方金额,贷方金额,币种,制单人,复核人,记账人,附件张数,项目",
            "2025-11-03,记-7,500101,培训设施设备购置,购置数控机床,\"1,200.00\",,人民币,李会计,王主管,赵出纳,2,自筹资金",
            "2025-11-03,记-7,100201,项目资金专户,购置数控机床,,\"1,200.00\",人民币,李会计,王主管,赵出纳,2,自筹资金",
        ])
        let vouchers = try reader().read(text: text)
        #expect(vouchers.count == 1)
        let draft = vouchers[0].draft
        #expect(draft.lines.map(\.fund) == [.selfRaised, .selfRaised])
        #expect(draft.reviewer == "王主管" && draft.poster == "赵出纳" && draft.attachments == 2 && draft.sourceRef == "记-7")
    }

    /// 金蝶 KIS 标准版's Excel template (no fund column): read with `--fund`, which wins over
    /// any 核算项目 a file may carry.
    @Test func kisTemplateWithDefaultFund() throws {
        let text = csv([
            "日期,凭证字,凭证号,附单据数,摘要,科目代码,科目名称,借方金额,贷方金额,币别,汇率,数量,单价,制单人,审核人,过账人",
            "2025-11-03,记,1,1,购置数控机床,500101,培训设施设备购置,100,0,RMB,1,,,李会计,王主管,王主管",
            "2025-11-03,记,1,1,购置数控机床,100201,项目资金专户,0,100,RMB,1,,,李会计,王主管,王主管",
        ])
        let vouchers = try reader(defaultFund: .enterprise).read(text: text)
        #expect(vouchers.map { $0.draft.lines.map(\.fund) } == [[.enterprise, .enterprise]])
        #expect(summaries(importErrors(text)) == [ErrorSummary(1, .importColumnMissing, nil)], "without --fund the fund is missing")
    }

    @Test(arguments: [
        ("项目:001 补助资金", [Fund.subsidy]), ("[项目]企业支持资金", [.enterprise]), ("【项目】自筹", [.selfRaised]),
        ("项目—补助资金", [.subsidy]), ("项目---002---企业支持资金", [.enterprise]), ("部门:01 财务部;项目:003 自筹资金", [.selfRaised]),
        ("补助资金", [.subsidy]), ("项目:补助资金研发", []), ("部门:补助资金", []), ("补助资金;自筹资金", []),
    ])
    func auxiliaryValues(_ value: String, _ funds: [Fund]) throws {
        let reader = reader()
        do {
            let fund = try reader.fund(namedBy: value)
            #expect([fund] == funds, "\(value)")
        } catch {
            #expect(funds.isEmpty, "\(value): \(error)")
            #expect(error.code == .importAuxiliary)
        }
    }

    @Test(arguments: [("12", true), ("2025-12", true), ("2025.12", true), ("202512", true), ("11", false), ("2024-12", false), ("x", false)])
    func fiscalPeriodForms(_ text: String, _ matches: Bool) {
        #expect(VoucherCSVReader.periodMatches(text, CalendarDate(year: 2025, month: 12, day: 3)!) == matches)
    }

    @Test func everyAliasNamesOneColumn() {
        var seen: [String: VoucherCSVReader.Column] = [:]
        for column in VoucherCSVReader.Column.allCases {
            #expect(column.ordinal == VoucherCSVReader.Column.allCases.firstIndex(of: column))
            for alias in column.aliases {
                #expect(seen[alias] == nil, "\(alias) names \(seen[alias].map { "\($0)" } ?? "") and \(column)")
                seen[alias] = column
                #expect(VoucherCSVReader.Column.named(" \(alias.uppercased()) ") == column)
            }
        }
    }
}
