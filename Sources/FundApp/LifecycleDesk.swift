import FundCore
import FundExchange
import FundReportDefinitions
import FundStore
import Foundation

/// The studio's life: lifecycle steps, notices, changes, deadlines, targets and activities
/// (the performance evaluation is in EvaluationDesk.swift).
public struct LifecycleDesk: Desk {
    let app: LedgerApp
}

extension LifecycleDesk {
    /// The account codes the clawback and its repayment post to, found by role in the chart.
    struct ClawbackAccounts {
        let refundDue: String
        let fundBalance: String
        let receipts: [String]
        /// 应收补助资金: accrued, not yet received.
        let receivable: String?
        let bank: String
        /// Bank accounts of each fund, the host unit's own account (单位基本户) first.
        let banksByFund: [Fund: [String]]
    }

    func clawbackAccounts() throws -> ClawbackAccounts {
        let chart = try store.register.chart()
        func leaf(_ role: AccountRole, fund: Fund) -> [String] {
            chart.accounts.filter { $0.isLeaf && $0.role == role && $0.accepts(fund) }.map(\.code)
        }
        let refund = leaf(.refundDue, fund: .subsidy)
        let balance = leaf(.fundBalance, fund: .subsidy)
        let banks = leaf(.bank, fund: .subsidy)
        guard let refundDue = refund.first, let fundBalance = balance.first, let bank = banks.first, !leaf(.fundReceipts, fund: .subsidy).isEmpty else {
            throw Rejection(.accountUnknown, field: "chart", "科目表缺少应退补助资金（refund-due）、累计结余（fund-balance）、补助资金收入或银行存款科目")
        }
        var banksByFund: [Fund: [String]] = [:]
        for fund in Fund.allCases {
            let own = leaf(.bank, fund: fund)
            banksByFund[fund] = own.count > 1 ? Array(own.dropFirst()) + [own[0]] : own
        }
        let receivable = chart.accounts.first { $0.isLeaf && $0.role == .receivables && $0.funds == [.subsidy] }?.code
        return ClawbackAccounts(
            refundDue: refundDue, fundBalance: fundBalance, receipts: leaf(.fundReceipts, fund: .subsidy), receivable: receivable, bank: bank, banksByFund: banksByFund)
    }

    // MARK: Transitions

    /// The clawback voucher of a revocation on `ground` as of the books `books`: the subsidy
    /// actually received (receipts less any accrued 应收补助资金 still open) becomes 应退补助资金,
    /// and the open receivable is written off against the receipts it was accrued to. Dated on
    /// the decision day, or on the first day of the first open month after it.
    func clawbackDrafts(studio: String, transition: LifecycleTransition, books: LifecycleBooks, accounts: ClawbackAccounts) throws -> [VoucherDraft] {
        guard transition.to == .revoked, let ground = transition.ground, ground.clawsBack else { return [] }
        var receipts = Money.zero
        for code in accounts.receipts { receipts = try receipts.subtracting(books.balance(code, fund: .subsidy)) }
        let open = try accounts.receivable.map { max(try books.balance($0, fund: .subsidy), .zero) } ?? .zero
        let received = max(try receipts.subtracting(open), .zero)
        let writeOff = min(open, max(receipts, .zero))
        var lines: [VoucherLine] = []
        let memo = String("撤销工作室资格（\(ground.chineseName)），追回全部补助资金".prefix(Limits.memoLengthMax))
        if received.fen > 0 {
            lines += [
                VoucherLine(memo: memo, account: accounts.fundBalance, fund: .subsidy, side: .debit, amount: received),
                VoucherLine(memo: "应退市财政局补助资金", account: accounts.refundDue, fund: .subsidy, side: .credit, amount: received),
            ]
        }
        if writeOff.fen > 0, let receivable = accounts.receivable {
            lines += [
                VoucherLine(memo: "撤销资格，核销尚未拨付的应收补助资金", account: accounts.receipts[0], fund: .subsidy, side: .debit, amount: writeOff),
                VoucherLine(memo: "撤销资格，核销尚未拨付的应收补助资金", account: receivable, fund: .subsidy, side: .credit, amount: writeOff),
            ]
        }
        guard !lines.isEmpty else { return [] }
        return [VoucherDraft(
            studio: studio, date: books.firstOpenDay(onOrAfter: transition.date), voucherClass: .zhuan, lines: lines,
            attachments: 1, counterparty: "资阳市财政局", preparer: user, reviewer: Self.reviewer(decidedBy: transition.by, preparer: user),
            sourceRef: "撤销决定 \(transition.by) \(transition.date.iso)")]
    }

    /// The second person on a voucher the lifecycle posts itself (issue 15, item 5): the
    /// revocation's decision-maker (`by`, the bureau), whose decision the voucher carries out,
    /// signs as 审核 — unless it is the acting user, who cannot review their own voucher; then
    /// the reviewer stays blank and JE-002 says so.
    static func reviewer(decidedBy: String, preparer: String) -> String {
        PersonName.samePerson(decidedBy, preparer) ? "" : decidedBy
    }

    /// Moves a studio to its next state. Revocation on the grounds of fraud or a failed
    /// re-inspection posts the clawback (see `clawbackDrafts`), checked like every other
    /// voucher (posting rules, closed months, the policy's blocks) before anything is written.
    @discardableResult
    public func advance(studio: String, transition: LifecycleTransition) throws -> [PostedVoucher] {
        let accounts = try clawbackAccounts()
        var planned: [VoucherDraft] = []
        if transition.to == .revoked, transition.ground?.clawsBack == true {
            let books = try store.lifecycle.lifecycleBooks(studio: studio, through: transition.date)
            try Lifecycle.validate(transition, after: books.history, studio: books.studio, today: clock.today())
            planned = try clawbackDrafts(studio: studio, transition: transition, books: books, accounts: accounts)
            if !planned.isEmpty { try app.compliance.enforceBlocks(planned) }
        }
        return try store.lifecycle.recordTransition(transition, studio: studio, stamp: stamp()) { books in
            let drafts = try self.clawbackDrafts(studio: studio, transition: transition, books: books, accounts: accounts)
            guard drafts == planned else { throw Self.booksChanged }
            return drafts
        }
    }

    static let booksChanged = Rejection(.booksChanged, field: "studio", "账簿在检查凭证与记账之间发生了变化，请重新执行该命令")

    /// The repayment voucher of outstanding 应退补助资金 as of `date`: from the subsidy account,
    /// and any shortfall made up by the host unit from `shortfallFund`, whose bank balance must
    /// cover it on that day (subsidy Cr 累计结余 / that fund Dr 累计结余, Cr 银行存款: the host
    /// unit bears it; no 内部往来 is left open and no bank goes negative).
    func repaymentDrafts(
        studio: String, date: CalendarDate, amount: Money?, shortfallFund: Fund, books: LifecycleBooks, accounts: ClawbackAccounts,
        today: CalendarDate
    ) throws -> [VoucherDraft] {
        if date > today {
            throw Rejection(.repaymentDateInvalid, field: "date", "退回日期 \(date.iso) 晚于今天 \(today.iso)")
        }
        if let revoked = books.history.last(where: { $0.to == .revoked }), date < revoked.date {
            throw Rejection(
                .repaymentDateInvalid, field: "date", "退回日期 \(date.iso) 早于撤销决定日期 \(revoked.date.iso)：先有追回，后有退回")
        }
        let owed = try books.balance(accounts.refundDue, fund: .subsidy).negated
        guard owed.fen > 0 else {
            throw Rejection(.nothingOwed, field: "studio", "截至 \(date.iso)，工作室 \(studio) 没有未退回的应退补助资金")
        }
        let paying = amount ?? owed
        guard paying.fen > 0, paying <= owed else {
            throw Rejection(.nothingOwed, field: "amount", "退回金额 \(paying.plainString) 应大于 0 且不超过截至 \(date.iso) 的应退余额 \(owed.plainString)")
        }
        let inBank = max(try books.balance(accounts.bank, fund: .subsidy), .zero)
        let fromBank = min(inBank, paying)
        let shortfall = try paying.subtracting(fromBank)
        var lines = [VoucherLine(memo: "退回市财政局补助资金", account: accounts.refundDue, fund: .subsidy, side: .debit, amount: paying)]
        if fromBank.fen > 0 {
            lines.append(VoucherLine(memo: "退回市财政局补助资金", account: accounts.bank, fund: .subsidy, side: .credit, amount: fromBank))
        }
        if shortfall.fen > 0 {
            var available: [(String, Money)] = []
            var total = Money.zero
            for code in accounts.banksByFund[shortfallFund] ?? [] {
                let balance = max(try books.balance(code, fund: shortfallFund), .zero)
                if balance.fen > 0 { available.append((code, balance)); total = try total.adding(balance) }
            }
            guard total >= shortfall else {
                throw Rejection(
                    .shortfallNotFunded, field: "shortfall-fund",
                    "截至 \(date.iso) 补助资金专户余额 \(inBank.plainString) 元，差额 \(shortfall.plainString) 元须由依托单位补足，"
                        + "但\(shortfallFund.chineseName)银行存款只有 \(total.plainString) 元：请先记入依托单位补足的款项"
                        + "（收到\(shortfallFund.chineseName)），或用 --shortfall-fund 选择其他资金")
            }
            let memo = "依托单位以\(shortfallFund.chineseName)补足应退补助资金差额"
            lines.append(VoucherLine(memo: memo, account: accounts.fundBalance, fund: .subsidy, side: .credit, amount: shortfall))
            lines.append(VoucherLine(memo: memo, account: accounts.fundBalance, fund: shortfallFund, side: .debit, amount: shortfall))
            var left = shortfall
            for (code, balance) in available where left.fen > 0 {
                let part = min(balance, left)
                lines.append(VoucherLine(memo: memo, account: code, fund: shortfallFund, side: .credit, amount: part))
                left = try left.subtracting(part)
            }
        }
        let decidedBy = books.history.last(where: { $0.to == .revoked })?.by ?? ""
        return [VoucherDraft(
            studio: studio, date: date, voucherClass: .fu, lines: lines, attachments: 1, settlement: .bankTransfer,
            counterparty: "资阳市财政局", preparer: user, reviewer: Self.reviewer(decidedBy: decidedBy, preparer: user), sourceRef: "退回补助资金")]
    }

    /// Repays outstanding 应退补助资金 (see `repaymentDrafts`), on or after the revocation and
    /// not after today, checked like every other voucher before it is posted.
    @discardableResult
    public func repay(studio: String, date: CalendarDate, amount: Money?, shortfallFund: Fund = .selfRaised) throws -> [PostedVoucher] {
        guard shortfallFund != .subsidy else {
            throw Rejection(.fundUnknown, field: "shortfall-fund", "差额须由补助资金以外的资金（自筹或企业支持资金）补足")
        }
        let accounts = try clawbackAccounts()
        let today = clock.today()
        let planned = try repaymentDrafts(
            studio: studio, date: date, amount: amount, shortfallFund: shortfallFund,
            books: try store.lifecycle.lifecycleBooks(studio: studio, through: date), accounts: accounts, today: today)
        try app.compliance.enforceBlocks(planned)
        return try store.lifecycle.postFromBooks(studio: studio, through: date, stamp: stamp(), action: "studio.repay", detail: "退回补助资金") { books in
            let drafts = try self.repaymentDrafts(
                studio: studio, date: date, amount: amount, shortfallFund: shortfallFund, books: books, accounts: accounts, today: today)
            guard drafts == planned else { throw Self.booksChanged }
            return drafts
        }
    }

    /// A warning or commendation (第九条(三)); a warning may order rectification by `deadline`
    /// (警告并限期整改), at any time after recognition, listed in `deadlines` until settled.
    public func notice(_ kind: GovernanceNoticeKind, studio: String, date: CalendarDate, by: String, note: String, deadline: CalendarDate? = nil) throws {
        try TextField.validate(by, field: "by")
        try TextField.validate(note, field: "note")
        try store.lifecycle.recordNotice(kind, studio: studio, date: date, by: by, note: note, deadline: deadline, stamp: stamp())
    }

    /// A notice as typed: the deadline (YYYY-MM-DD) is optional and only for a warning.
    @discardableResult
    public func notice(studio: String, kind: String, date: String, by: String, note: String, deadline: String?) throws -> GovernanceNoticeKind {
        let noticeKind = try parseField("kind") { () throws(Rejection) in try GovernanceNoticeKind.parse(kind) }
        let due = try deadline.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }.map { try parseDate($0, field: "deadline") }
        try notice(noticeKind, studio: studio, date: try parseDate(date, field: "date"), by: by, note: note, deadline: due)
        return noticeKind
    }

    /// Where a studio stands as of a day (default today): steps, notices, changes and vouchers
    /// dated later are left out, like everything else read as of a day.
    public func status(studio code: String, asOf: CalendarDate? = nil) throws -> StudioStatus {
        let day = app.cutoff(asOf)
        let studio = try store.register.studio(code: code)
        let records = try store.lifecycle.lifecycleRecords(studio: code).filter { $0.transition.date <= day }
        let history = records.filter { $0.kind == "transition" }.map(\.transition)
        let accounts = try clawbackAccounts()
        let books = try store.lifecycle.lifecycleBooks(studio: code, through: day)
        // 到位 is cash (issue 15, item 2): what reached the subsidy's bank and cash, i.e. the
        // receipts less the subsidy's own receivable still open (`Account.arrivalFen`, as SUB-005,
        // FND-001 and the fund statement read it). A subsidy booked Dr 应收补助资金 / Cr 补助资金
        // 收入 has not arrived.
        var received = Money.zero
        for account in try store.register.chart().accounts where account.isLeaf && account.accepts(.subsidy) {
            let balance = try books.balance(account.code, fund: .subsidy)
            received = try received.adding(Money(fen: account.arrivalFen(signedFen: balance.fen, fund: .subsidy)))
        }
        let refund = try books.balance(accounts.refundDue, fund: .subsidy).negated
        let state = Lifecycle.effective(history)
        return StudioStatus(
            studio: code, name: studio.name, state: state, recorded: !history.isEmpty, since: history.last?.date ?? studio.recognized,
            constructionWindow: studio.constructionWindow, approvedSubsidyFen: studio.approvedSubsidy, subsidyReceivedFen: received,
            refundOwedFen: refund, warnings: records.filter { $0.kind == "warning" }.count,
            commendations: records.filter { $0.kind == "commendation" }.count,
            openChanges: try store.lifecycle.changes(studio: code).filter { $0.eventDate <= day }.filter { change in
                guard let decided = change.decided else { return true }
                return decided > day
            }.count,
            rectificationDeadline: state == .rectification ? history.last?.deadline : nil,
            orderedRectificationDeadline: Lifecycle.openRectificationOrders(records).compactMap(\.transition.deadline).min())
    }

    // MARK: Changes and deadlines

    public func recordChange(studio: String, kind: ChangeKind, date: CalendarDate, detail: String) throws -> StudioChange {
        try TextField.validate(detail, field: "note")
        return try store.lifecycle.recordChange(studio: studio, kind: kind, date: date, detail: detail, stamp: stamp())
    }

    public func recordChangeReported(studio: String, id: Int, date: CalendarDate, note: String) throws -> StudioChange {
        try TextField.validate(note, field: "note")
        return try store.lifecycle.recordChangeStep(studio: studio, id: id, step: "reported", date: date, note: note, stamp: stamp())
    }

    public func recordChangeDecided(studio: String, id: Int, date: CalendarDate, note: String) throws -> StudioChange {
        try TextField.validate(note, field: "note")
        return try store.lifecycle.recordChangeStep(studio: studio, id: id, step: "decided", date: date, note: note, stamp: stamp())
    }

    /// 第十一条: the decided, approved change `change` of leader or host unit takes effect on
    /// its decision date. The studio keeps its code, books and recognition; reports dated from
    /// then on name the new leader or host unit, and after a host-unit change the studio is in
    /// the new unit's scope (accounts, county) and its packages are signed with the new unit's
    /// key. Refuses an `other` change, one not decided or refused (L026), a wrong or repeated
    /// effect (L027), an unregistered host unit (S001).
    public func recordChangeEffect(studio: String, change: Int, target: StudioChangeTarget) throws -> StudioChangeEffect {
        try store.lifecycle.recordChangeEffect(studio: studio, change: change, target: target, stamp: stamp())
    }

    /// A change's effect as typed: the change number and exactly one of the new leader's name
    /// and the new host unit's credit code.
    public func changeEffect(studio: String, change: String, newLeader: String?, newHostUnit: String?) throws -> StudioChangeEffect {
        let trimmed = change.trimmingSpaces
        guard let id = Int(trimmed), id > 0 else {
            throw Rejection(.changeUnknown, field: "change", "变动编号“\(change)”无效（应为正整数）")
        }
        let leader = newLeader.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        let hostUnit = newHostUnit.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        let target: StudioChangeTarget
        switch (leader, hostUnit) {
        case (let name?, nil): target = try StudioChangeTarget.leader(parsing: name)
        case (nil, let code?): target = try StudioChangeTarget.hostUnit(parsing: code)
        default:
            throw Rejection(.changeEffectInvalid, field: "new-leader", "新领办人（--new-leader）与新依托单位（--new-host-unit）须且只能填写一个")
        }
        return try recordChangeEffect(studio: studio, change: id, target: target)
    }

    /// The studio's changes in effect, oldest first.
    public func changeEffects(studio: String) throws -> [StudioChangeEffect] {
        _ = try store.register.studio(code: studio)
        return try store.lifecycle.changeEffects(studio: studio)
    }

    /// Every due and overdue item across studios (or one), by date.
    public func deadlines(asOf: CalendarDate? = nil, studio: String? = nil) throws -> [DeadlineItem] {
        let day = app.cutoff(asOf)
        let calendar = try app.compliance.holidayCalendar()
        var items: [DeadlineItem] = []
        for each in try store.register.studios() where studio == nil || each.code == studio {
            let records = try store.lifecycle.lifecycleRecords(studio: each.code)
            items += Deadlines.items(
                studio: each, history: records.filter { $0.kind == "transition" }.map(\.transition),
                changes: try store.lifecycle.changes(studio: each.code), notices: records, asOf: day, calendar: calendar)
        }
        if let studio, items.isEmpty { _ = try store.register.studio(code: studio) }
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
        _ = try store.register.studio(code: studio)
        let set = try indicatorSet(file: indicators)
        _ = try set.indicator(indicator)
        let value = try PerformanceTarget(
            studio: studio, indicator: indicator, target: try PerformanceTarget.parseValue(target, field: "target"),
            actual: try actual.map { try PerformanceTarget.parseValue($0, field: "actual") }, note: note)
        try store.lifecycle.setTargets([value], stamp: stamp())
        return value
    }

    public func addActivity(_ activity: Activity) throws {
        _ = try store.register.studio(code: activity.studio)
        try store.lifecycle.addActivities([activity], source: "登记", stamp: stamp())
    }

    /// Imports an activity CSV for one studio: every row checked, all or nothing.
    public func importActivities(csv data: Data, file: String, studio: String) throws -> [Activity] {
        _ = try store.register.studio(code: studio)
        let activities = try ActivityCSVReader(file: file, studio: studio).read(data, existing: try store.lifecycle.activities(studio: studio))
        try store.lifecycle.addActivities(activities, source: "导入 \(URL(fileURLWithPath: file).lastPathComponent)", stamp: stamp())
        return activities
    }
}

extension LifecycleDesk {
    /// The lifecycle record of a studio: steps, warnings and commendations, in order.
    public func records(studio: String) throws -> [LifecycleRecord] {
        _ = try store.register.studio(code: studio)
        return try store.lifecycle.lifecycleRecords(studio: studio)
    }

    /// The studio's reported changes (第十一条) and their replies.
    public func changes(studio: String) throws -> [StudioChange] {
        _ = try store.register.studio(code: studio)
        return try store.lifecycle.changes(studio: studio)
    }

    public func activities(studio: String) throws -> [Activity] {
        _ = try store.register.studio(code: studio)
        return try store.lifecycle.activities(studio: studio)
    }

    public func targets(studio: String) throws -> [PerformanceTarget] {
        _ = try store.register.studio(code: studio)
        return try store.lifecycle.targets(studio: studio)
    }
}

extension LifecycleDesk {
    /// A county bureau's supervision note as typed (date YYYY-MM-DD, text), under the acting user.
    @discardableResult
    public func addSupervisionNote(studio: String, date: String, text: String) throws -> SupervisionNote {
        let day = try parseDate(date, field: "date")
        try TextField.validate(text, field: "text")
        if day > clock.today() {
            throw Rejection(.dateImplausible, field: "date", "督导日期 \(day.iso) 晚于今天")
        }
        return try store.lifecycle.addSupervisionNote(studio: studio, date: day, text: text, stamp: stamp())
    }

    public func supervisionNotes(studio: String) throws -> [SupervisionNote] {
        try store.lifecycle.supervisionNotes(studio: studio)
    }
}
