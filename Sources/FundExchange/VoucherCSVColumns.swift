import FundCore

// The one table of voucher-file column names: ours, English, and the names 用友 (U8/T3/T+)
// and 金蝶 (K3/KIS/云星空) write in their voucher exports and import templates (DOMAIN.md §8,
// docs/design.md "ERP voucher files"). A header name found nowhere here is a column the
// ledger does not use (科目名称, 原币金额, 核准, 出纳, 汇率 …) and is ignored, not an error.

extension VoucherCSVReader {
    public enum Column: String, CaseIterable, Sendable {
        case date, voucherClass = "class", number, classNumber = "class_number", memo, account, fund
        case debit, credit, amount, direction, attachments, settlement
        case invoiceCode = "invoice_code", invoiceNumber = "invoice_number"
        case counterparty, preparer, reviewer, poster
        /// 核算项目 / 项目 / 辅助项: the fund named through the host's 辅助核算 project.
        case auxiliary
        /// 币别代码 / 币种: must be 人民币 (the books keep no foreign currency).
        case currency
        /// 会计年度 / 会计期间 (金蝶): must agree with the voucher date.
        case fiscalYear = "fiscal_year", fiscalPeriod = "fiscal_period"

        /// Header names accepted for this column (compared after trimming, case-insensitively).
        public var aliases: [String] {
            switch self {
            case .date: return ["日期", "凭证日期", "制单日期", "date", "fdate"]
            case .voucherClass: return ["凭证字", "凭证类别字", "凭证类别", "凭证类型", "class", "fgroup"]
            case .number: return ["凭证号", "凭证编号", "业务号", "number", "fnum"]
            case .classNumber: return ["凭证字号", "class_number"]
            case .memo: return ["摘要", "凭证摘要", "分录摘要", "memo", "fexp", "fexplanation"]
            case .account: return ["科目编码", "科目代码", "科目编号", "account", "facctid", "faccountnumber"]
            case .fund: return ["资金来源", "资金性质", "fund"]
            case .debit: return ["借方金额", "借方", "金额借方", "借方本币", "debit", "fdebit"]
            case .credit: return ["贷方金额", "贷方", "金额贷方", "贷方本币", "credit", "fcredit"]
            case .amount: return ["金额", "本币金额", "amount", "famount"]
            case .direction: return ["方向", "借贷方向", "借贷", "direction", "fdc"]
            case .attachments: return ["附单据数", "附单据张数", "附件数", "附件张数", "单据数", "attachments", "fattachments"]
            case .settlement: return ["结算方式", "settlement"]
            case .invoiceCode: return ["发票代码", "invoice_code"]
            case .invoiceNumber: return ["发票号码", "invoice_number"]
            case .counterparty: return ["往来单位", "对方单位", "收款单位", "counterparty"]
            case .preparer: return ["制单人", "制单", "preparer", "fprepare", "fpreparername"]
            case .reviewer: return ["审核人", "审核", "复核人", "复核", "reviewer", "fchecker", "fcheckername"]
            case .poster: return ["记账人", "记账", "过账人", "过账", "poster", "fposter", "fpostername"]
            case .auxiliary: return ["核算项目", "项目", "辅助项", "辅助核算", "辅助核算项目", "项目编码", "auxiliary", "fdetail"]
            case .currency: return ["币别代码", "币别", "币种", "币种编码", "币别名称", "currency", "fcurrencynumber"]
            case .fiscalYear: return ["会计年度", "fiscal_year", "fyear"]
            case .fiscalPeriod: return ["会计期间", "fiscal_period", "fperiod"]
            }
        }

        public var chineseName: String { aliases[0] }

        /// The column a header name means, if any.
        public static func named(_ header: String) -> Column? {
            let key = header.trimmingSpaces.lowercased()
            return byAlias[key]
        }

        static let byAlias: [String: Column] = {
            var table: [String: Column] = [:]
            for column in allCases {
                for alias in column.aliases {
                    precondition(table[alias] == nil, "alias \(alias) names two columns")
                    table[alias] = column
                }
            }
            return table
        }()

        /// Position in `allCases`, for the column map's array.
        var ordinal: Int {
            switch self {
            case .date: return 0
            case .voucherClass: return 1
            case .number: return 2
            case .classNumber: return 3
            case .memo: return 4
            case .account: return 5
            case .fund: return 6
            case .debit: return 7
            case .credit: return 8
            case .amount: return 9
            case .direction: return 10
            case .attachments: return 11
            case .settlement: return 12
            case .invoiceCode: return 13
            case .invoiceNumber: return 14
            case .counterparty: return 15
            case .preparer: return 16
            case .reviewer: return 17
            case .poster: return 18
            case .auxiliary: return 19
            case .currency: return 20
            case .fiscalYear: return 21
            case .fiscalPeriod: return 22
            }
        }
    }

    /// Currencies that mean 人民币 in 用友/金蝶 exports (a blank cell too).
    static let renminbi: Set<String> = ["", "rmb", "cny", "人民币", "本位币"]
}
