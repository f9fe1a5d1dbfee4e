import FundCore

/// What every report of one studio shows in its title block: who keeps the books, which
/// studio and fund, which months, when it was prepared.
public struct ReportHeader: Sendable {
    /// The studio as of the report's day (`StudioHistory.asOf`): after an approved change of
    /// leader or host unit in effect by then (第十一条), the new leader and host unit.
    public let studio: Studio
    /// The host unit of `studio` as of that day: 编制单位 in the title block.
    public let hostUnit: HostUnit
    public let chart: ChartOfAccounts
    /// nil: every fund (a section per fund and a combined one where the report has them).
    public let fund: Fund?
    public let from: Period
    public let to: Period
    /// 编制日期.
    public let preparedOn: CalendarDate
    /// The host unit's 涉密 marking (第十二条) when it is in force: the title block says so.
    public var confidentiality: HostUnitMarking? = nil

    public init(
        studio: Studio, hostUnit: HostUnit, chart: ChartOfAccounts, fund: Fund?, from: Period, to: Period,
        preparedOn: CalendarDate
    ) {
        precondition(from <= to, "a report's months run forward")
        self.studio = studio
        self.hostUnit = hostUnit
        self.chart = chart
        self.fund = fund
        self.from = from
        self.to = to
        self.preparedOn = preparedOn
    }

    /// "涉密（第十二条；依据：…，自 2026年12月1日起）": what outputs print for a marked host unit.
    public static func markingText(_ marking: HostUnitMarking) -> String {
        "\(HostUnitMarking.label)（依托单位为涉密单位，第十二条；依据：\(marking.basis)，自 \(marking.date.chinese)起）"
    }

    /// The funds a report covers, in book order.
    public var funds: [Fund] { fund.map { [$0] } ?? Fund.allCases }

    /// 2025年1月—2025年12月, or 2025年3月 for one month.
    public var periodText: String {
        from == to ? from.chinese : "\(from.chinese)—\(to.chinese)"
    }

    public var studioText: String { "\(studio.name)（\(studio.code)）" }

    public var fundText: String { fund?.chineseName ?? "全部资金（分资金列示）" }

    /// 编制单位, 工作室, 资金, 期间, 编制日期, 单位: 元.
    public func titleBlock(fund showFund: Bool = true, extra: [LabeledValue] = []) -> [LabeledValue] {
        var block = [LabeledValue("编制单位", hostUnit.name)]
        if let confidentiality, confidentiality.confidential { block.append(LabeledValue("密级", Self.markingText(confidentiality))) }
        block.append(LabeledValue("工作室", studioText))
        if showFund { block.append(LabeledValue("资金", fundText)) }
        block.append(LabeledValue("期间", periodText))
        block += extra
        block.append(LabeledValue("编制日期", preparedOn.chinese))
        block.append(LabeledValue("单位", "元"))
        return block
    }

    /// ZY2025-001-科目余额表, ZY2025-001-科目余额表-补助资金: named in Chinese like the audit
    /// package's files (`ReportKind.fileStem(studio:fund:ascii:)` has the ASCII form).
    public func fileStem(_ kind: ReportKind) -> String {
        kind.fileStem(studio: studio.code, fund: fund, ascii: false)
    }

    /// 会计主管 / 复核 / 制表 at the foot of statements, blank for signing by hand.
    public var statementSignatures: [LabeledValue] {
        [LabeledValue("单位负责人", ""), LabeledValue("会计主管", ""), LabeledValue("复核", ""), LabeledValue("制表", "")]
    }

    /// "100201 银行存款—项目资金专户": code and the names from the top account down.
    public func accountTitle(_ code: String) -> String {
        "\(code) \(accountPath(code))"
    }

    /// 银行存款—项目资金专户.
    public func accountPath(_ code: String) -> String {
        let names = chart.namePath(code)
        return names.isEmpty ? "（未知科目）" : names.joined(separator: "—")
    }
}

/// A built report: the value (computed and cross-checked; JSON is this value, amounts in fen)
/// and its document for the renderers.
public struct BuiltReport<Value: Codable & Sendable>: Sendable {
    public let value: Value
    public let document: ReportDocument

    public init(value: Value, document: ReportDocument) {
        self.value = value
        self.document = document
    }
}

/// Numbers in a report that do not agree with each other: a bug or a corrupt ledger, never a
/// user error. Reports refuse to print rather than show figures that do not tie.
public struct ReportInconsistency: Error, Sendable, CustomStringConvertible {
    public let report: String
    public let detail: String

    public init(report: String, detail: String) {
        self.report = report
        self.detail = detail
    }

    public var description: String { "\(report) 勾稽不符：\(detail)" }
}

func sum(_ amounts: some Sequence<Money>) throws(Rejection) -> Money {
    var total = Money.zero
    for amount in amounts { total = try total.adding(amount) }
    return total
}

extension Money {
    /// The debit side of a debit-positive balance, or nil.
    var debitPart: Money? { fen > 0 ? self : nil }
    /// The credit side (as a positive amount) of a debit-positive balance, or nil.
    var creditPart: Money? { fen < 0 ? magnitude : nil }
}

extension Cell {
    /// A money cell, or empty for nil.
    static func amount(_ money: Money?) -> Cell { money.map { .money($0) } ?? .empty }
}
