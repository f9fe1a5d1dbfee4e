import FundCore

// The format-neutral document every report builder returns and every renderer lays out.
// Builders compute and cross-check every number; renderers only format (¥, thousands
// separators, 大写金额, 借/贷) and place. A renderer never adds up a column: subtotal and
// total rows carry their values, and a total cell names the rows it sums so that XLSX can
// write the formula beside its cached value.

/// Which report a document is. The raw values are the `report KIND` names of the CLI.
public enum ReportKind: String, CaseIterable, Sendable, Codable {
    case trialBalance = "trial-balance"
    case generalLedger = "general-ledger"
    case subsidiaryLedger = "subsidiary-ledger"
    case journal
    case fundStatement = "fund-statement"
    case expenseDetail = "expense-detail"
    case vouchers
    case findings
    case spendingChart = "spending-chart"
    case selfEvaluation = "self-evaluation"
    case evaluationReport = "evaluation-report"
    // 平行记账 (public-institution hosts only): ParallelReports.swift.
    case budgetStatement = "budget-statement"
    case budgetCarryover = "budget-carryover"
    case budgetReconciliation = "budget-reconciliation"

    /// The budget-accounting statements of a studio whose host unit is a public institution.
    public static var budgetKinds: [ReportKind] { [.budgetStatement, .budgetCarryover, .budgetReconciliation] }

    /// The statements of the books (what `demo` and the golden files cover); the evaluation
    /// documents are built by `evaluation`.
    public static var bookKinds: [ReportKind] {
        [.trialBalance, .generalLedger, .subsidiaryLedger, .journal, .fundStatement, .expenseDetail, .vouchers, .findings, .spendingChart]
    }

    /// Every statement `report KIND` builds: the books and the two evaluation documents.
    public static var statementKinds: [ReportKind] { bookKinds + [.selfEvaluation, .evaluationReport] + budgetKinds }

    /// The kinds the CLI's `report` command accepts (the 11 statements; never the views, which
    /// are `DocumentKind`s only).
    public static var reportCommandKinds: [ReportKind] { statementKinds }

    /// A report file's name without extension: "ZY2025-001-科目余额表-补助资金", or in ASCII
    /// "ZY2025-001-trial-balance-subsidy" (for systems that mangle other names).
    public func fileStem(studio: String, fund: Fund?, ascii: Bool) -> String {
        ascii ? "\(studio)-\(rawValue)" + (fund.map { "-\($0.rawValue)" } ?? "")
            : "\(studio)-\(chineseTitle)" + (fund.map { "-\($0.chineseName)" } ?? "")
    }

    /// The report's customary Chinese title.
    public var chineseTitle: String {
        switch self {
        case .trialBalance: "科目余额表"
        case .generalLedger: "总账"
        case .subsidiaryLedger: "明细账"
        case .journal: "序时账"
        case .fundStatement: "专项资金收支情况表"
        case .expenseDetail: "支出明细表"
        case .vouchers: "记账凭证"
        case .findings: "合规检查发现报告"
        case .spendingChart: "专项资金累计支出图"
        case .selfEvaluation: "项目支出绩效自评表"
        case .evaluationReport: "补助资金绩效评价报告"
        case .budgetStatement: "项目预算收入支出表"
        case .budgetCarryover: "预算结转结余变动表"
        case .budgetReconciliation: "本期预算结余与本期盈余差异调节表"
        }
    }
}

/// What a document is: one of the statements (`report KIND`) or one of the views every listing
/// is (科目表, 工作室列表, 预算, 操作日志 …). Encoded as the kind's name.
public enum DocumentKind: Sendable, Hashable, Codable {
    case statement(ReportKind)
    case view(ViewKind)

    /// "trial-balance", "host-units" …
    public var name: String {
        switch self {
        case .statement(let kind): kind.rawValue
        case .view(let kind): kind.rawValue
        }
    }

    /// The statement this document is, nil for a view.
    public var reportKind: ReportKind? {
        if case .statement(let kind) = self { return kind }
        return nil
    }

    public var chineseTitle: String {
        switch self {
        case .statement(let kind): kind.chineseTitle
        case .view(let kind): kind.chineseTitle
        }
    }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        if let kind = ReportKind(rawValue: name) {
            self = .statement(kind)
        } else if let kind = ViewKind(rawValue: name) {
            self = .view(kind)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown document kind \(name)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// The listings a front end shows besides the statements; the raw values are ASCII names
/// (file stems, JSON).
public enum ViewKind: String, CaseIterable, Sendable, Codable {
    case accounts
    case hostUnits = "host-units"
    case studios
    case signingKeys = "signing-keys"
    case evidence
    case studioStatus = "studio-status"
    case studioHistory = "studio-history"
    case deadlines
    case activities
    case targets
    case budget
    case budgetHistory = "budget-history"
    case log
    case check
    case raisedFindings = "raised-findings"
    case verification
    case voucher
    case periodStatus = "period-status"
    case overview
    case users
    case supervision

    public var chineseTitle: String {
        switch self {
        case .accounts: "科目表"
        case .hostUnits: "依托单位"
        case .studios: "技能大师工作室"
        case .signingKeys: "签名公钥"
        case .evidence: "电子单据"
        case .studioStatus: "工作室状态"
        case .studioHistory: "工作室生命周期记录"
        case .deadlines: "到期和逾期事项"
        case .activities: "活动与产出记录"
        case .targets: "绩效目标"
        case .budget: "资金使用计划"
        case .budgetHistory: "资金使用计划修订记录"
        case .log: "操作日志"
        case .check: "合规检查"
        case .raisedFindings: "合规发现"
        case .verification: "账簿校验"
        case .voucher: "记账凭证"
        case .periodStatus: "结账状态"
        case .overview: "工作室总览"
        case .users: "用户与授权"
        case .supervision: "督导记录"
        }
    }
}

/// A whole report: the title block, then sections in order.
public struct ReportDocument: Sendable, Hashable, Codable {
    public var kind: DocumentKind
    /// Big centred title, e.g. "科目余额表".
    public var title: String
    /// The lines under the title: 编制单位, 工作室, 资金, 期间, 单位: 元 …, in display order.
    public var titleBlock: [LabeledValue]
    public var sections: [DocumentSection]
    /// Roles for the signature line at the foot of the document (e.g. 会计主管, 复核, 制表), each
    /// with the name when known. Empty: no signature line.
    public var signatures: [LabeledValue]
    public var orientation: Orientation
    /// File-name stem without extension, e.g. "ZY2025-001-科目余额表" (statements, named in
    /// Chinese like the audit package's files) or "ZY2025-001-studio-status" (views).
    public var fileStem: String
    /// The day the document is dated (编制日期). Renderers stamp it as the file's creation time
    /// (midnight UTC) instead of the clock, so the same books give the same bytes.
    public var date: CalendarDate?

    /// A statement's document.
    public init(
        kind: ReportKind, title: String, titleBlock: [LabeledValue], sections: [DocumentSection],
        signatures: [LabeledValue] = [], orientation: Orientation = .portrait, fileStem: String
    ) {
        self.init(
            document: .statement(kind), title: title, titleBlock: titleBlock, sections: sections, signatures: signatures,
            orientation: orientation, fileStem: fileStem)
    }

    /// A view's document.
    public init(
        view kind: ViewKind, title: String, titleBlock: [LabeledValue], sections: [DocumentSection],
        signatures: [LabeledValue] = [], orientation: Orientation = .portrait, fileStem: String
    ) {
        self.init(
            document: .view(kind), title: title, titleBlock: titleBlock, sections: sections, signatures: signatures,
            orientation: orientation, fileStem: fileStem)
    }

    init(
        document kind: DocumentKind, title: String, titleBlock: [LabeledValue], sections: [DocumentSection],
        signatures: [LabeledValue], orientation: Orientation, fileStem: String
    ) {
        self.kind = kind
        self.title = title
        self.titleBlock = titleBlock
        self.sections = sections
        self.signatures = signatures
        self.orientation = orientation
        self.fileStem = fileStem
    }

    /// Every table in the document, in order (XLSX: one sheet each).
    public var tables: [DocumentTable] {
        sections.flatMap { section in
            section.blocks.compactMap { block in
                if case .table(let table) = block { return table }
                return nil
            }
        }
    }
}

public enum Orientation: String, Sendable, Hashable, Codable {
    case portrait, landscape
}

public struct LabeledValue: Sendable, Hashable, Codable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// A part of a document with an optional heading (e.g. one fund's book).
public struct DocumentSection: Sendable, Hashable, Codable {
    public var heading: String?
    public var blocks: [Block]
    /// Paged renderers (PDF) start this section on a new page.
    public var startsNewPage: Bool

    public init(heading: String?, blocks: [Block], startsNewPage: Bool = false) {
        self.heading = heading
        self.blocks = blocks
        self.startsNewPage = startsNewPage
    }
}

public enum Block: Sendable, Hashable, Codable {
    case paragraph(String)
    /// Label–value pairs laid out as a small two-column list (e.g. 资金到位率: 100.00%).
    case facts([Fact])
    case table(DocumentTable)
    case voucher(VoucherPrint)
    case chart(SpendingChart)
}

/// One label and a typed value, for `facts` blocks.
public struct Fact: Sendable, Hashable, Codable {
    public var label: String
    public var value: Cell

    public init(_ label: String, _ value: Cell) {
        self.label = label
        self.value = value
    }
}

// MARK: Tables

public struct DocumentTable: Sendable, Hashable, Codable {
    /// Short name, unique within the document: the XLSX sheet name (≤ 31 characters, none of
    /// `[]:*?/\`), e.g. "补助资金".
    public var name: String
    /// Optional caption printed above the table.
    public var caption: String?
    public var columns: [Column]
    /// Optional group header row above the column titles, as (title, column span) pairs whose
    /// spans add up to the column count — e.g. 期初余额 over 借方/贷方.
    public var groupHeader: [HeaderGroup]
    public var rows: [Row]

    public init(name: String, caption: String? = nil, columns: [Column], groupHeader: [HeaderGroup] = [], rows: [Row]) {
        precondition(groupHeader.isEmpty || groupHeader.reduce(0) { $0 + $1.span } == columns.count,
                     "group header spans cover the columns")
        precondition(rows.allSatisfy { $0.cells.count == columns.count }, "every row has a cell per column")
        self.name = name
        self.caption = caption
        self.columns = columns
        self.groupHeader = groupHeader
        self.rows = rows
    }
}

public struct HeaderGroup: Sendable, Hashable, Codable {
    public var title: String
    public var span: Int

    public init(_ title: String, span: Int) {
        self.title = title
        self.span = span
    }
}

public struct Column: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Left-aligned text; wraps in paged output.
        case text
        /// Short code-like text (account code, voucher number): left-aligned, never wrapped.
        case code
        /// Money, right-aligned, two decimals with thousands separators.
        case money
        case date
        /// Integer count, right-aligned.
        case count
        /// Percentage, right-aligned, two decimals.
        case percent
        /// A plain number with two decimals (scores, points), right-aligned.
        case decimal
        /// 借 / 贷 / 平, centred.
        case direction
    }

    public var title: String
    public var kind: Kind
    /// Relative width in character cells (a CJK character is 2), a hint for paged output and
    /// XLSX column widths.
    public var width: Int

    public init(_ title: String, _ kind: Kind, width: Int) {
        self.title = title
        self.kind = kind
        self.width = width
    }
}

public struct Row: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Codable {
        case body
        /// An intermediate sum (本月合计, a fund's subtotal): bold-ish, ruled above.
        case subtotal
        /// A running-total line such as 本年累计: like subtotal, italic or lighter.
        case cumulative
        /// The table's grand total (合计): bold, double rule.
        case total
        /// A group heading row inside the table (e.g. a fund name): first cell spans the row.
        case group
    }

    public var role: Role
    /// Indentation level of the first cell (account hierarchy), 0 = none.
    public var indent: Int
    public var cells: [Cell]

    public init(_ role: Role = .body, indent: Int = 0, _ cells: [Cell]) {
        self.role = role
        self.indent = indent
        self.cells = cells
    }
}

/// A typed table cell. Renderers choose the text; builders choose the value.
public enum Cell: Sendable, Hashable, Codable {
    case empty
    case text(String)
    case money(Money)
    /// A money value that is the sum of the same column's cells in the listed rows (indices
    /// into the table's `rows`). XLSX writes `=SUM(…)` with `value` as the cached result; other
    /// renderers show `value`. Builders guarantee `value` equals that sum.
    case moneySum(Money, rows: [Int])
    case date(CalendarDate)
    case count(Int)
    case percent(Percent)
    /// A number held exactly in hundredths (8567 = 85.67): scores and points.
    case decimal(hundredths: Int64)
    /// A `decimal` that is the sum of the same column's cells in the listed rows, shown as
    /// printed: XLSX writes `=SUM(…)` with the value cached, like `moneySum`. Builders
    /// guarantee the value equals that sum.
    case decimalSum(hundredths: Int64, rows: [Int])
    /// 借 / 贷 / 平 of a debit-positive balance.
    case direction(BalanceDirection)

    /// "85.67" for a `decimal` cell's hundredths.
    public static func decimalText(_ hundredths: Int64) -> String {
        let negative = hundredths < 0
        let absolute = hundredths.magnitude
        let fraction = absolute % 100
        return (negative ? "-" : "") + "\(absolute / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// The money value of a `money` or `moneySum` cell.
    public var money: Money? {
        switch self {
        case .money(let value), .moneySum(let value, _): value
        default: nil
        }
    }
}

public enum BalanceDirection: String, Sendable, Hashable, Codable {
    case debit = "借"
    case credit = "贷"
    case flat = "平"

    public init(balance: Money) {
        self = balance.isZero ? .flat : (balance.isNegative ? .credit : .debit)
    }
}

/// A percentage held exactly in hundredths of a percent (8567 = 85.67 %), rounded half up from
/// a ratio by the builder. `nil` ratios (a zero denominator) are `Cell.empty` or text "—".
public struct Percent: Sendable, Hashable, Codable, Comparable {
    public let hundredths: Int64

    public init(hundredths: Int64) {
        self.hundredths = hundredths
    }

    /// numerator / denominator as a percentage, rounded half away from zero to 0.01 %;
    /// nil when the denominator is zero.
    public static func ratio(_ numerator: Money, _ denominator: Money) -> Percent? {
        guard !denominator.isZero else { return nil }
        // |numerator| × 10,000 / |denominator| in 128-bit arithmetic, rounded half up.
        let magnitude = denominator.fen.magnitude
        let negative = (numerator.fen < 0) != (denominator.fen < 0)
        let absolute = numerator.fen.magnitude.multipliedFullWidth(by: 10_000)
        guard absolute.high < magnitude else { return Percent(hundredths: negative ? -.max : .max) }
        let (quotient, remainder) = magnitude.dividingFullWidth((high: absolute.high, low: absolute.low))
        var result = quotient
        if remainder >= magnitude - remainder { result += 1 }
        let signed = Int64(clamping: result)
        return Percent(hundredths: negative ? -signed : signed)
    }

    public static func < (lhs: Percent, rhs: Percent) -> Bool { lhs.hundredths < rhs.hundredths }

    /// "85.67%".
    public var text: String {
        let negative = hundredths < 0
        let absolute = hundredths.magnitude
        let fraction = absolute % 100
        return (negative ? "-" : "") + "\(absolute / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)%"
    }
}

// MARK: Voucher prints

/// One 记账凭证 laid out as printed: header, lines, 合计 (with 大写 by the renderer), sign-offs.
public struct VoucherPrint: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var memo: String
        /// "100201 银行存款—补助资金户" style: code and full name.
        public var account: String
        public var fund: String
        public var debit: Money?
        public var credit: Money?

        public init(memo: String, account: String, fund: String, debit: Money?, credit: Money?) {
            self.memo = memo
            self.account = account
            self.fund = fund
            self.debit = debit
            self.credit = credit
        }
    }

    /// 记-0001.
    public var label: String
    public var date: CalendarDate
    public var attachments: Int
    /// 编制单位 line above the voucher (host unit — studio).
    public var unit: String
    /// A note under the header for reversals/corrections (e.g. "红字冲销 2025-03 记-0007").
    public var note: String?
    public var lines: [Line]
    public var debitTotal: Money
    public var creditTotal: Money
    /// 会计主管, 记账, 审核, 出纳, 制单 with names where the books know them.
    public var signatures: [LabeledValue]

    public init(
        label: String, date: CalendarDate, attachments: Int, unit: String, note: String?, lines: [Line],
        debitTotal: Money, creditTotal: Money, signatures: [LabeledValue]
    ) {
        self.label = label
        self.date = date
        self.attachments = attachments
        self.unit = unit
        self.note = note
        self.lines = lines
        self.debitTotal = debitTotal
        self.creditTotal = creditTotal
        self.signatures = signatures
    }
}

// MARK: Charts

/// Cumulative spending per fund over the construction window against the approved amounts.
public struct SpendingChart: Sendable, Hashable, Codable {
    public struct Series: Sendable, Hashable, Codable {
        public var name: String
        /// Cumulative amount at the end of each month of `months`, from the first; a series may
        /// stop before the last month (the books end at `asOf`; the axis still spans the window).
        public var points: [Money]

        public init(name: String, points: [Money]) {
            self.name = name
            self.points = points
        }
    }

    public struct Reference: Sendable, Hashable, Codable {
        /// e.g. "核定补助 30,000.00".
        public var label: String
        public var amount: Money

        public init(label: String, amount: Money) {
            self.label = label
            self.amount = amount
        }
    }

    public var title: String
    public var months: [Period]
    public var series: [Series]
    /// Horizontal lines (approved subsidy, budgets).
    public var references: [Reference]
    /// The month the report is as of (a vertical marker), if inside `months`.
    public var asOf: Period?

    public init(title: String, months: [Period], series: [Series], references: [Reference], asOf: Period?) {
        precondition(series.allSatisfy { $0.points.count <= months.count }, "at most a point per month")
        self.title = title
        self.months = months
        self.series = series
        self.references = references
        self.asOf = asOf
    }

    /// The largest value any series or reference reaches (the y-axis top before rounding).
    public var peak: Money {
        (series.flatMap(\.points) + references.map(\.amount)).max() ?? .zero
    }
}
