/// 借 / 贷
public enum Side: String, CaseIterable, Sendable, Codable {
    case debit = "debit"
    case credit = "credit"

    public var chinese: String { self == .debit ? "借" : "贷" }
    public var opposite: Side { self == .debit ? .credit : .debit }

    public static func parse(_ text: String) throws(Rejection) -> Side {
        if let side = Side(rawValue: text) { return side }
        switch text.trimmingSpaces.lowercased() {
        case "debit", "d", "dr", "借", "借方": return .debit
        case "credit", "c", "cr", "贷", "贷方": return .credit
        default:
            throw Rejection(.sideUnknown, field: "side", "借贷方向“\(text)”无效（应为 借/贷 或 debit/credit）")
        }
    }
}

/// Account classes, numbered by first digit as in 政府会计制度 (1 assets, 2 liabilities,
/// 3 net assets, 4 revenue, 5 expenses), which suits project books of colleges and training
/// bases and reads naturally to enterprise accountants. Classes 6–8 are 政府会计制度's budget
/// accounting (预算收入, 预算支出, 预算结余), kept in parallel (平行记账) by public-institution
/// hosts only; see `ParallelEntries`.
public enum AccountType: String, CaseIterable, Sendable, Codable {
    case asset, liability, netAssets = "net-assets", revenue, expense
    case budgetRevenue = "budget-revenue"
    case budgetExpenditure = "budget-expenditure"
    case budgetBalance = "budget-balance"

    /// Classes 6–8: budget accounting (cash basis), beside the financial classes 1–5.
    public var isBudget: Bool {
        self == .budgetRevenue || self == .budgetExpenditure || self == .budgetBalance
    }

    public var chineseName: String {
        switch self {
        case .asset: return "资产"
        case .liability: return "负债"
        case .netAssets: return "净资产"
        case .revenue: return "收入"
        case .expense: return "支出"
        case .budgetRevenue: return "预算收入"
        case .budgetExpenditure: return "预算支出"
        case .budgetBalance: return "预算结余"
        }
    }

    /// The first digit of every code of this class.
    public var leadingDigit: Character {
        switch self {
        case .asset: return "1"
        case .liability: return "2"
        case .netAssets: return "3"
        case .revenue: return "4"
        case .expense: return "5"
        case .budgetRevenue: return "6"
        case .budgetExpenditure: return "7"
        case .budgetBalance: return "8"
        }
    }
}

/// What a balance-sheet or receipt account is for; rules key on roles, not on codes.
public enum AccountRole: String, CaseIterable, Sendable, Codable {
    case cash, bank, advances, receivables
    case fixedAssets = "fixed-assets"
    case payables
    case refundDue = "refund-due"
    case clearing
    case fundReceipts = "fund-receipts"
    case fundBalance = "fund-balance"
    case otherIncome = "other-income"
    // Budget accounting (classes 6–8, 政府会计制度); `ParallelEntries` derives the lines.
    /// 预算收入 of a fund's receipts (财政拨款预算收入, 非同级财政拨款预算收入, 事业预算收入, 捐赠预算收入).
    case budgetReceipts = "budget-receipts"
    /// 其他预算收入—利息预算收入.
    case budgetOtherReceipts = "budget-other-receipts"
    /// 事业支出 by spending category (the leaf also names its category).
    case budgetSpending = "budget-spending"
    /// 事业支出—暂付款项: advances and loans paid out, until settled.
    case budgetAdvances = "budget-advances"
    /// 资金结存—货币资金: always equal to the fund's cash and bank balance.
    case budgetCash = "budget-cash"
    /// 结转—年初余额调整: balances brought in.
    case budgetOpening = "budget-opening"
    /// 结转—单位内部调剂 / 资金调剂: money moved between the project's funds.
    case budgetTransfer = "budget-transfer"
    /// 结转—归集上缴 / 缴回资金: money paid back to whoever granted it.
    case budgetReturn = "budget-return"
    /// 结转—本年收支结转: the year-end closing of budget revenue and spending.
    case budgetClosing = "budget-closing"
    /// 结转—累计结转: what is carried into the next year.
    case budgetCarried = "budget-carried"

    /// Roles of classes 6–8.
    public var isBudget: Bool { rawValue.hasPrefix("budget-") }
}

/// Spending lines of a studio's project (资金使用计划 lines); the eligibility policy maps each
/// to allowed / needs-justification / forbidden per fund.
public enum SpendingCategory: String, CaseIterable, Sendable, Codable {
    case equipment, rnd
    case exchangePromotion = "exchange-promotion"
    case apprenticeTraining = "apprentice-training"
    case materialsIP = "materials-ip"
    case travel
    /// 个人劳务报酬: pay for a person's work (lecturers, experts) — one of the payments 现金管理暂行
    /// 条例 第五条 allows in cash above the settlement point.
    case labour
    case wages, entertainment, office, vehicles, fines
    case debtRepayment = "debt-repayment"
    case investment
    case other

    public var chineseName: String {
        switch self {
        case .equipment: return "培训设施设备"
        case .rnd: return "技术研发"
        case .exchangePromotion: return "技能交流推广"
        case .apprenticeTraining: return "带徒传技培训"
        case .materialsIP: return "材料及知识产权"
        case .travel: return "差旅"
        case .labour: return "个人劳务报酬"
        case .wages: return "工资奖金"
        case .entertainment: return "业务招待"
        case .office: return "办公经费"
        case .vehicles: return "车辆费用"
        case .fines: return "罚款滞纳金"
        case .debtRepayment: return "偿还债务"
        case .investment: return "对外投资"
        case .other: return "其他"
        }
    }
}

/// One account of the chart. Codes follow 4-2-2 (1002 → 100201 → 10020101).
public struct Account: Hashable, Sendable, Codable {
    public let code: String
    public let name: String
    public let type: AccountType
    public let normalSide: Side
    public let role: AccountRole?
    /// The spending category as declared in the chart. A financial account's is `category`; a
    /// 事业支出 leaf's is `budgetCategory`, kept apart so that no financial rule or statement
    /// counts budget spending twice.
    public let declaredCategory: SpendingCategory?
    /// Funds that may post to this account; empty means all funds.
    public let funds: [Fund]
    /// Set by the chart: only leaf accounts take postings.
    public internal(set) var isLeaf: Bool

    public init(
        code: String, name: String, type: AccountType, normalSide: Side,
        role: AccountRole?, category: SpendingCategory?, funds: [Fund], isLeaf: Bool = true
    ) {
        self.code = code
        self.name = name
        self.type = type
        self.normalSide = normalSide
        self.role = role
        self.declaredCategory = category
        self.funds = funds
        self.isLeaf = isLeaf
    }

    /// The spending category of a financial account (expense leaves, fixed assets); nil for
    /// budget accounts.
    public var category: SpendingCategory? { type.isBudget ? nil : declaredCategory }

    /// The spending category of a 事业支出 leaf (class 7); nil for every other account.
    public var budgetCategory: SpendingCategory? { type.isBudget ? declaredCategory : nil }

    enum CodingKeys: String, CodingKey {
        case code, name, type, normalSide, role, declaredCategory = "category", funds, isLeaf
    }

    /// The parent's code under 4-2-2, or nil for a first-level account.
    public var parentCode: String? {
        code.count > 4 ? String(code.dropLast(2)) : nil
    }

    public var level: Int { (code.count - 4) / 2 + 1 }

    public func accepts(_ fund: Fund) -> Bool { funds.isEmpty || funds.contains(fund) }

    /// The fund's own receivable (应收补助资金 for the subsidy): money booked as received into
    /// `fund` that has not reached its bank yet. Receivables open to every fund are loans.
    public func isReceivable(of fund: Fund) -> Bool { role == .receivables && funds == [fund] }

    /// What a line on this account adds to the money that has arrived in `fund` (到位, in cash):
    /// a receipt credited to the fund's receipts counts, except while it sits in the fund's own
    /// receivable. Signed like the books (debit positive); 0 for every other account.
    public func arrivalFen(signedFen: Int64, fund: Fund) -> Int64 {
        role == .fundReceipts || isReceivable(of: fund) ? -signedFen : 0
    }
}

/// The chart of accounts: validated on construction so every consumer can trust it.
public struct ChartOfAccounts: Sendable, Equatable {
    public let accounts: [Account]
    private let index: [String: Int]

    public init(_ input: [Account]) throws(Rejection) {
        if input.isEmpty { throw Rejection(.chartEmpty, "科目表为空") }
        // 固定资产 leaves are spending too (政府会计准则第3号; 企业会计准则第4号): what the money
        // bought decides, whichever account carries it. A chart stored before fixed-asset leaves
        // carried a category reads them as 培训设施设备 (第八条(一)), the subsidy's main use; the
        // stored row is left as it was (the row chain records it).
        var accounts = input.map { account -> Account in
            guard account.role == .fixedAssets, account.declaredCategory == nil, account.type == .asset else { return account }
            return Account(
                code: account.code, name: account.name, type: account.type, normalSide: account.normalSide, role: account.role,
                category: .equipment, funds: account.funds, isLeaf: account.isLeaf)
        }.sorted { $0.code < $1.code }
        var index: [String: Int] = [:]
        for (position, account) in accounts.enumerated() {
            try Self.checkFormat(account)
            if index[account.code] != nil {
                throw Rejection(.accountDuplicate, field: "code", "科目编码 \(account.code) 重复")
            }
            index[account.code] = position
        }
        for account in accounts {
            guard let parent = account.parentCode else { continue }
            guard let parentPosition = index[parent] else {
                throw Rejection(
                    .accountParentMissing, field: "code",
                    "科目 \(account.code) \(account.name) 的上级科目 \(parent) 不存在")
            }
            accounts[parentPosition].isLeaf = false
        }
        for account in accounts where account.isLeaf {
            try Self.checkClassification(account)
        }
        self.accounts = accounts
        self.index = index
    }

    public subscript(code: String) -> Account? {
        index[code].map { accounts[$0] }
    }

    public var leaves: [Account] { accounts.filter(\.isLeaf) }

    /// The names from the first-level account down to `code` (银行存款, 项目资金专户); empty
    /// for a code the chart does not have.
    public func namePath(_ code: String) -> [String] {
        var names: [String] = []
        var current: String? = code
        while let each = current, let account = self[each] {
            names.insert(account.name, at: 0)
            current = account.parentCode
        }
        return names
    }

    public func leaves(withRole role: AccountRole) -> [Account] {
        leaves.filter { $0.role == role }
    }

    public static func == (lhs: ChartOfAccounts, rhs: ChartOfAccounts) -> Bool {
        lhs.accounts == rhs.accounts
    }

    static func checkFormat(_ account: Account) throws(Rejection) {
        let code = account.code
        let shapeOK = [4, 6, 8].contains(code.count) && code.allSatisfy(\.isASCIIDigit)
        guard shapeOK else {
            throw Rejection(.accountCodeFormat, field: "code", "科目编码“\(code)”不符合 4-2-2 编码规则")
        }
        guard code.first == account.type.leadingDigit else {
            throw Rejection(
                .accountCodeFormat, field: "code",
                "科目编码 \(code) 的首位应为 \(account.type.leadingDigit)（\(account.type.chineseName)类）")
        }
        guard !account.name.trimmingSpaces.isEmpty else {
            throw Rejection(.fieldEmpty, field: "name", "科目 \(code) 缺少名称")
        }
        try TextField.validate(account.name, field: "name")
    }

    /// Every leaf carries a role or, for expense accounts, a spending category, so rules and
    /// reports never guess from names or codes. Fixed-asset leaves carry both: capitalised
    /// equipment is spending of the fund that paid for it.
    static func checkClassification(_ account: Account) throws(Rejection) {
        if account.type.isBudget {
            // A budget leaf carries a budget role, and a 事业支出 leaf also its category.
            let spending = account.role == .budgetSpending
            guard let role = account.role, role.isBudget, (account.declaredCategory != nil) == spending,
                (role == .budgetReceipts || role == .budgetOtherReceipts) == (account.type == .budgetRevenue),
                (role == .budgetSpending || role == .budgetAdvances) == (account.type == .budgetExpenditure)
            else {
                throw Rejection(
                    .accountClassification, field: "role",
                    "预算会计末级科目 \(account.code) \(account.name) 必须有与科目类别相符的预算科目用途（budget-…），事业支出科目还须有支出类别")
            }
            return
        }
        if let role = account.role, role.isBudget {
            throw Rejection(
                .accountClassification, field: "role",
                "财务会计科目 \(account.code) \(account.name) 不能使用预算会计科目用途 \(role.rawValue)")
        }
        if account.type == .expense {
            guard account.category != nil, account.role == nil else {
                throw Rejection(
                    .accountClassification, field: "category",
                    "支出类末级科目 \(account.code) \(account.name) 必须有支出类别（且不带科目用途）")
            }
        } else {
            // A fixed-asset leaf carries both: its role and the spending category of what it holds.
            guard account.role != nil, account.category == nil || account.role == .fixedAssets else {
                throw Rejection(
                    .accountClassification, field: "role",
                    "末级科目 \(account.code) \(account.name) 必须有科目用途（role），除固定资产外非支出类科目不带支出类别")
            }
        }
    }
}

extension ChartOfAccounts {
    /// The chart file's header, in order.
    public static let csvColumns = ["code", "name", "type", "side", "role", "category", "funds"]

    /// Reads a chart from CSV text with the columns in `csvColumns`; `funds` is a list
    /// separated by `|` (empty = all funds). Errors name the line.
    public static func parseCSV(_ text: String, file: String) throws(LocatedRejection) -> ChartOfAccounts {
        let records: [CSVRecord]
        do { records = try CSVText.parse(text.strippingBOM) } catch {
            throw LocatedRejection(file: file, line: nil, rejection: error)
        }
        guard let header = records.first, header.fields.map(\.trimmingSpaces) == csvColumns else {
            throw LocatedRejection(
                file: file, line: 1,
                rejection: Rejection(.importColumnMissing, "科目表表头应为 \(csvColumns.joined(separator: ","))"))
        }
        var accounts: [Account] = []
        for record in records.dropFirst() {
            do { accounts.append(try parseAccount(record)) } catch {
                throw LocatedRejection(file: file, line: record.line, rejection: error)
            }
        }
        do { return try ChartOfAccounts(accounts) } catch {
            throw LocatedRejection(file: file, line: nil, rejection: error)
        }
    }

    static func parseAccount(_ record: CSVRecord) throws(Rejection) -> Account {
        guard record.fields.count == csvColumns.count else {
            throw Rejection(.importFieldCount, "应有 \(csvColumns.count) 列，实际 \(record.fields.count) 列")
        }
        let f = record.fields.map(\.trimmingSpaces)
        guard let type = AccountType(rawValue: f[2]) else {
            throw Rejection(.accountAttributeUnknown, field: "type", "科目类别“\(f[2])”无效")
        }
        let side = try Side.parse(f[3])
        var role: AccountRole? = nil
        if !f[4].isEmpty {
            guard let parsed = AccountRole(rawValue: f[4]) else {
                throw Rejection(.accountAttributeUnknown, field: "role", "科目用途“\(f[4])”无效")
            }
            role = parsed
        }
        var category: SpendingCategory? = nil
        if !f[5].isEmpty {
            guard let parsed = SpendingCategory(rawValue: f[5]) else {
                throw Rejection(.accountAttributeUnknown, field: "category", "支出类别“\(f[5])”无效")
            }
            category = parsed
        }
        var funds: [Fund] = []
        for piece in f[6].split(separator: "|") {
            guard let fund = Fund(rawValue: String(piece).trimmingSpaces) else {
                throw Rejection(.accountFundsInvalid, field: "funds", "适用资金“\(piece)”无效")
            }
            funds.append(fund)
        }
        return Account(
            code: f[0], name: f[1], type: type, normalSide: side, role: role, category: category,
            funds: funds)
    }
}

extension String {
    /// The text without a leading UTF-8 byte-order mark.
    public var strippingBOM: String {
        hasPrefix("\u{FEFF}") ? String(dropFirst()) : self
    }
}
