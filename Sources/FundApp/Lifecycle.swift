import FundCore
import FundExchange
import FundReportDefinitions
import FundStore
import Foundation

/// Where a studio stands: its state, the steps so far, the county's scores and what it owes.
public struct StudioStatus: Sendable, Codable {
    public let studio: String
    public let name: String
    public let state: LifecycleState
    /// False when nothing is recorded and the state is inferred from registration.
    public let recorded: Bool
    public let since: CalendarDate
    public let constructionWindow: ClosedRange<CalendarDate>
    public let approvedSubsidyFen: Money
    public let subsidyReceivedFen: Money
    /// 应退补助资金 still outstanding (credit balance of 230701 in the subsidy fund).
    public let refundOwedFen: Money
    public let warnings: Int
    public let commendations: Int
    public let openChanges: Int
    public let rectificationDeadline: CalendarDate?
}

extension LedgerApp {
    /// The account codes the clawback and its repayment post to, found by role in the chart.
    struct ClawbackAccounts {
        let refundDue: String
        let fundBalance: String
        let receipts: [String]
        let bank: String
        let hostBank: String
        let clearing: String
    }

    func clawbackAccounts() throws -> ClawbackAccounts {
        let chart = try store.chart()
        func leaf(_ role: AccountRole, fund: Fund) throws -> [String] {
            chart.accounts.filter { $0.isLeaf && $0.role == role && $0.accepts(fund) }.map(\.code)
        }
        let refund = try leaf(.refundDue, fund: .subsidy)
        let balance = try leaf(.fundBalance, fund: .subsidy)
        let banks = try leaf(.bank, fund: .subsidy)
        let clearing = try leaf(.clearing, fund: .subsidy)
        guard let refundDue = refund.first, let fundBalance = balance.first, let bank = banks.first, let clearingCode = clearing.first else {
            throw Rejection(.accountUnknown, field: "chart", "科目表缺少应退补助资金（refund-due）、累计结余（fund-balance）、银行存款或内部往来科目")
        }
        return ClawbackAccounts(
            refundDue: refundDue, fundBalance: fundBalance, receipts: try leaf(.fundReceipts, fund: .subsidy), bank: bank,
            hostBank: banks.count > 1 ? banks[1] : bank, clearing: clearingCode)
    }

    // MARK: Transitions

    /// Moves a studio to its next state. Revocation on the grounds of fraud or a failed
    /// re-inspection posts the clawback: the whole subsidy received becomes 应退补助资金.
    @discardableResult
    public func advance(studio: String, transition: LifecycleTransition) throws -> [PostedVoucher] {
        let accounts = try clawbackAccounts()
        let user = self.user
        return try store.recordTransition(transition, studio: studio, stamp: stamp()) { books in
            guard transition.to == .revoked, transition.ground?.clawsBack == true else { return [] }
            var received = Money.zero
            for code in accounts.receipts { received = try received.subtracting(books.balance(code, fund: .subsidy)) }
            guard received.fen > 0 else { return [] }
            let memo = "撤销工作室资格（\(transition.ground!.chineseName)），追回全部补助资金"
            return [VoucherDraft(
                studio: studio, date: transition.date, voucherClass: .zhuan,
                lines: [
                    VoucherLine(memo: String(memo.prefix(Limits.memoLengthMax)), account: accounts.fundBalance, fund: .subsidy, side: .debit, amount: received),
                    VoucherLine(memo: "应退市财政局补助资金", account: accounts.refundDue, fund: .subsidy, side: .credit, amount: received),
                ],
                attachments: 1, counterparty: "资阳市财政局", preparer: user,
                sourceRef: "撤销决定 \(transition.by) \(transition.date.iso)")]
        }
    }

    /// Repays outstanding 应退补助资金 from the subsidy account; a shortfall in the subsidy
    /// bank is made up by the host unit from `shortfallFund` through 内部往来.
    @discardableResult
    public func repay(studio: String, date: CalendarDate, amount: Money?, shortfallFund: Fund = .selfRaised) throws -> [PostedVoucher] {
        precondition(shortfallFund != .subsidy, "the shortfall comes from another fund")
        let accounts = try clawbackAccounts()
        let user = self.user
        return try store.postFromBooks(studio: studio, stamp: stamp(), action: "studio.repay", detail: "退回补助资金") { books in
            let owed = try books.balance(accounts.refundDue, fund: .subsidy).negated
            guard owed.fen > 0 else {
                throw Rejection(.nothingOwed, field: "studio", "工作室 \(studio) 没有未退回的应退补助资金")
            }
            let paying = amount ?? owed
            guard paying.fen > 0, paying <= owed else {
                throw Rejection(.nothingOwed, field: "amount", "退回金额 \(paying.plainString) 应大于 0 且不超过应退余额 \(owed.plainString)")
            }
            let inBank = max(try books.balance(accounts.bank, fund: .subsidy), .zero)
            let fromBank = min(inBank, paying)
            let shortfall = try paying.subtracting(fromBank)
            var lines = [VoucherLine(memo: "退回市财政局补助资金", account: accounts.refundDue, fund: .subsidy, side: .debit, amount: paying)]
            if fromBank.fen > 0 {
                lines.append(VoucherLine(memo: "退回市财政局补助资金", account: accounts.bank, fund: .subsidy, side: .credit, amount: fromBank))
            }
            if shortfall.fen > 0 {
                lines += [
                    VoucherLine(memo: "依托单位补足应退补助资金", account: accounts.clearing, fund: .subsidy, side: .credit, amount: shortfall),
                    VoucherLine(memo: "依托单位补足应退补助资金", account: accounts.clearing, fund: shortfallFund, side: .debit, amount: shortfall),
                    VoucherLine(memo: "依托单位补足应退补助资金", account: accounts.hostBank, fund: shortfallFund, side: .credit, amount: shortfall),
                ]
            }
            return [VoucherDraft(
                studio: studio, date: date, voucherClass: .fu, lines: lines, attachments: 1, settlement: .bankTransfer,
                counterparty: "资阳市财政局", preparer: user, sourceRef: "退回补助资金")]
        }
    }

    public func notice(_ kind: GovernanceNoticeKind, studio: String, date: CalendarDate, by: String, note: String) throws {
        try store.recordNotice(kind, studio: studio, date: date, by: by, note: note, stamp: stamp())
    }

    public func status(studio code: String) throws -> StudioStatus {
        let studio = try store.studio(code: code)
        let records = try store.lifecycleRecords(studio: code)
        let history = records.filter { $0.kind == "transition" }.map(\.transition)
        let accounts = try clawbackAccounts()
        let turnovers = try store.turnovers(studio: code, fund: .subsidy)
        var received = Money.zero
        var refund = Money.zero
        for turnover in turnovers {
            let net = try turnover.credit.subtracting(turnover.debit)
            if accounts.receipts.contains(turnover.account) { received = try received.adding(net) }
            if turnover.account == accounts.refundDue { refund = try refund.adding(net) }
        }
        let state = Lifecycle.effective(history)
        return StudioStatus(
            studio: code, name: studio.name, state: state, recorded: !history.isEmpty, since: history.last?.date ?? studio.recognized,
            constructionWindow: studio.constructionWindow, approvedSubsidyFen: studio.approvedSubsidy, subsidyReceivedFen: received,
            refundOwedFen: refund, warnings: records.filter { $0.kind == "warning" }.count,
            commendations: records.filter { $0.kind == "commendation" }.count,
            openChanges: try store.changes(studio: code).filter { $0.decided == nil }.count,
            rectificationDeadline: state == .rectification ? history.last?.deadline : nil)
    }

    // MARK: Changes and deadlines

    public func recordChange(studio: String, kind: ChangeKind, date: CalendarDate, detail: String) throws -> StudioChange {
        try store.recordChange(studio: studio, kind: kind, date: date, detail: detail, stamp: stamp())
    }

    public func recordChangeReported(studio: String, id: Int, date: CalendarDate, note: String) throws -> StudioChange {
        try store.recordChangeStep(studio: studio, id: id, step: "reported", date: date, note: note, stamp: stamp())
    }

    public func recordChangeDecided(studio: String, id: Int, date: CalendarDate, note: String) throws -> StudioChange {
        try store.recordChangeStep(studio: studio, id: id, step: "decided", date: date, note: note, stamp: stamp())
    }

    /// Every due and overdue item across studios (or one), by date.
    public func deadlines(asOf: CalendarDate? = nil, studio: String? = nil) throws -> [DeadlineItem] {
        let day = asOf ?? clock.today()
        var items: [DeadlineItem] = []
        for each in try store.studios() where studio == nil || each.code == studio {
            items += Deadlines.items(
                studio: each, history: try store.lifecycleHistory(studio: each.code), changes: try store.changes(studio: each.code), asOf: day)
        }
        if let studio, items.isEmpty { _ = try store.studio(code: studio) }
        return items.sorted { ($0.date, $0.studio, $0.kind.rawValue) < ($1.date, $1.studio, $1.kind.rawValue) }
    }

    // MARK: Targets and activities

    /// The indicator set: `file`, else the shipped default in Reports/.
    public func indicatorSet(file: URL? = nil) throws -> IndicatorSet {
        let url = file ?? ReportDefinitions.defaultIndicators
        let decoded: IndicatorSetFile
        do {
            decoded = try JSONDecoder().decode(IndicatorSetFile.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw LocatedRejection(file: url.path, line: nil, rejection: Rejection(.indicatorSetInvalid, "指标体系文件无法读取：\(error)"))
        }
        do {
            return try IndicatorSet(name: decoded.name, categories: decoded.categories, indicators: decoded.indicators)
        } catch {
            throw LocatedRejection(file: url.path, line: nil, rejection: error)
        }
    }

    struct IndicatorSetFile: Decodable {
        let name: String
        let categories: [IndicatorCategory]
        let indicators: [IndicatorDefinition]
    }

    /// Sets (or revises) one indicator's target, and optionally its typed-in actual value.
    public func setTarget(studio: String, indicator: String, target: String, actual: String?, note: String, indicators: URL? = nil) throws -> PerformanceTarget {
        _ = try store.studio(code: studio)
        let set = try indicatorSet(file: indicators)
        _ = try set.indicator(indicator)
        let value = try PerformanceTarget(
            studio: studio, indicator: indicator, target: try PerformanceTarget.parseValue(target, field: "target"),
            actual: try actual.map { try PerformanceTarget.parseValue($0, field: "actual") }, note: note)
        try store.setTargets([value], stamp: stamp())
        return value
    }

    public func addActivity(_ activity: Activity) throws {
        _ = try store.studio(code: activity.studio)
        try store.addActivities([activity], source: "登记", stamp: stamp())
    }

    /// Imports an activity CSV for one studio: every row checked, all or nothing.
    public func importActivities(csv data: Data, file: String, studio: String) throws -> [Activity] {
        _ = try store.studio(code: studio)
        let activities = try ActivityCSVReader(file: file, studio: studio).read(data)
        try store.addActivities(activities, source: "导入 \(URL(fileURLWithPath: file).lastPathComponent)", stamp: stamp())
        return activities
    }
}
