import FundCore
import Foundation

/// 年底突击花钱: more than half of a year's (or the construction period's) spending in its last
/// two months.
struct PeriodEndSurge: Rule {
    let code = "EXE-001"
    let category = FindingCategory.periodEndSurge
    let severity = Severity.warning
    let article = "第九条(一)、第十四条"
    let title = "期末突击花钱"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        let limits = context.policy.thresholds
        let spending = facts.vouchers.map { ($0.date, $0.spentFen) }.filter { $0.1 > 0 }
        var spans: [(String, ClosedRange<CalendarDate>)] = []
        for year in Set(spending.map { $0.0.year }).sorted() {
            let end = CalendarDate(year: year, month: 12, day: 31)!
            guard end <= context.asOf else { continue }  // a year still running is not judged
            // The year counts from recognition: a studio recognised in November has no earlier
            // months to have spent in, so that year cannot show a surge.
            let start = max(CalendarDate(year: year, month: 1, day: 1)!, books.studio.recognized)
            guard start < end.adding(months: -limits.surgeMonths).adding(days: 1) else { continue }
            spans.append(("\(year) 年度", start...end))
        }
        let window = books.studio.constructionWindow
        if window.upperBound <= context.asOf { spans.append(("建设期", window)) }
        return spans.compactMap { label, span in
            let tailStart = span.upperBound.adding(months: -limits.surgeMonths).adding(days: 1)
            let total = spending.filter { span.contains($0.0) }.reduce(0) { $0 + $1.1 }
            let tail = spending.filter { $0.0 >= tailStart && $0.0 <= span.upperBound }.reduce(0) { $0 + $1.1 }
            guard total >= limits.surgeSpendingMinFen, tail * 1000 > total * Int64(limits.surgeSharePermille) else { return nil }
            let share = tail * 1000 / total
            return finding(
                books, nil, fund: nil, amount: Money(fen: tail),
                message: "\(label)（\(span.lowerBound.iso) 至 \(span.upperBound.iso)）支出 \(yuan(Money(fen: total))) 元，最后 \(limits.surgeMonths) 个月支出 \(yuan(Money(fen: tail))) 元，占 \(share / 10).\(share % 10)%",
                remedy: "说明集中支出的原因（如设备到货验收），并在资金使用计划中均衡安排")
        }
    }
}

/// 资金执行率低: less than a fifth of the money available spent in a construction year.
struct LowExecution: Rule {
    let code = "EXE-002"
    let category = FindingCategory.lowExecution
    let severity = Severity.warning
    let article = "第十四条"
    let title = "资金执行率低"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        let limits = context.policy.thresholds
        var findings: [Finding] = []
        var yearStart = books.studio.recognized
        for number in 1...Limits.constructionYears {
            // The last construction year ends with the window (its last day is the anniversary).
            let yearEnd = number == Limits.constructionYears
                ? books.studio.constructionWindow.upperBound : yearStart.adding(years: 1).adding(days: -1)
            defer { yearStart = yearEnd.adding(days: 1) }
            guard yearEnd <= context.asOf else { break }
            var received: Int64 = 0
            var spentBefore: Int64 = 0
            var spentInYear: Int64 = 0
            for summary in facts.vouchers where summary.date <= yearEnd {
                for line in facts.lines[summary.lines] where line.role == .fundReceipts { received -= line.signedFen }
                let spent = summary.spentFen
                if summary.date < yearStart { spentBefore += spent } else { spentInYear += spent }
            }
            let available = received - spentBefore
            guard available > 0, spentInYear * 1000 < available * Int64(limits.lowExecutionPermille) else { continue }
            let rate = spentInYear * 1000 / available
            findings.append(finding(
                books, nil, fund: nil, amount: Money(fen: available - spentInYear),
                message: "建设期第 \(number) 年（\(yearStart.iso) 至 \(yearEnd.iso)）可用资金 \(yuan(Money(fen: available))) 元，仅支出 \(yuan(Money(fen: spentInYear))) 元，执行率 \(rate / 10).\(rate % 10)%",
                remedy: "对照资金使用计划查明滞后原因，调整进度；资金闲置会影响考核验收"))
        }
        return findings
    }
}

/// 往来长期挂账: a receivable, advance or payable whose balance has not moved for long, or is
/// still open when the construction period has ended.
struct StaleBalance: Rule {
    let code = "ACC-003"
    let category = FindingCategory.staleBalance
    let severity = Severity.notice
    let article = "第九条(一)、第十四条"
    let title = "往来款项长期挂账"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        // Keyed by the account's position in the chart (every line with a role has one).
        struct Key: Hashable { let account: Int; let fund: Fund }
        var balance: [Key: Int64] = [:]
        var lastMove: [Key: Int] = [:]
        for (position, summary) in facts.vouchers.enumerated() where summary.date <= context.asOf {
            for line in facts.lines[summary.lines] where line.role == .receivables || line.role == .advances || line.role == .payables {
                let key = Key(account: line.account!, fund: line.fund)
                balance[key, default: 0] += line.signedFen
                lastMove[key] = position
            }
        }
        let windowEnded = books.studio.constructionWindow.upperBound < context.asOf
        let code = { (key: Key) in context.chart.accounts[key.account].code }
        return balance.filter { $0.value != 0 }.sorted { (code($0.key), $0.key.fund) < (code($1.key), $1.key.fund) }.compactMap { key, fen in
            guard let lastPosition = lastMove[key] else { return nil }
            let last = facts.voucher(lastPosition)
            let stale = last.draft.date.adding(months: context.policy.thresholds.staleMonths) <= context.asOf
            guard stale || windowEnded else { return nil }
            let name = "\(code(key)) \(context.chart.accounts[key.account].name)"
            let why = stale ? "自 \(last.draft.date.iso) 起 \(context.policy.thresholds.staleMonths) 个月以上未变动" : "建设期已结束仍未结清"
            return finding(
                facts.books, last, fund: key.fund, amount: Money(fen: abs(fen)),
                message: "\(key.fund.chineseName) \(name) 余额 \(yuan(Money(fen: abs(fen)))) 元\(why)",
                remedy: "清理往来：收回借款、支付应付款或查明原因；验收前应结清")
        }
    }
}

/// Vouchers dated on a weekend or public holiday (with China's make-up working days).
struct WeekendHoliday: Rule {
    let code = "JE-001"
    let category = FindingCategory.weekendHoliday
    let severity = Severity.notice
    let article = "第九条(一)"
    let title = "非工作日记账"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        // The books are in date order: each date is looked up in the calendar once.
        var lastDate: CalendarDate? = nil
        var lastReason: String? = nil
        return uncoveredYears(facts, context) + facts.vouchers.indices.compactMap { position in
            let date = facts.vouchers[position].date
            if date != lastDate {
                lastDate = date
                lastReason = context.calendar.reason(date)
            }
            guard let reason = lastReason else { return nil }
            let spent = Money(fen: facts.vouchers[position].spentFen)
            let voucher = facts.voucher(position)
            return finding(
                facts.books, voucher, fund: voucher.draft.lines.first?.fund, amount: spent.isZero ? voucher.draft.lines.first?.amount.magnitude ?? .zero : spent,
                message: "凭证日期 \(voucher.draft.date.iso) 是非工作日（\(reason)）",
                remedy: "核对原始凭证上的业务日期；确属节假日发生的业务请在摘要中说明")
        }
    }

    /// A year of the books the calendar has no schedule for: its holidays and make-up working
    /// days are unknown, so only Saturdays and Sundays were judged — said once, not
    /// silently. (An empty calendar is no calendar at all and is not reported.)
    func uncoveredYears(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        guard !context.calendar.coveredYears.isEmpty else { return [] }
        var counts: [Int: Int] = [:]
        for summary in facts.vouchers where !context.calendar.covers(year: summary.date.year) { counts[summary.date.year, default: 0] += 1 }
        // One finding per studio (its key has no voucher), naming every such year.
        guard !counts.isEmpty else { return [] }
        let years = counts.keys.sorted()
        let each = years.map { "\($0) 年 \(counts[$0]!) 张凭证" }.joined(separator: "、")
        let named = years.map { "\($0)" }.joined(separator: "、")
        return [finding(
            facts.books, nil, fund: nil, amount: .zero,
            message: "节假日日历未收录 \(named) 年的放假安排（已收录 \(context.calendar.coveredYears.map(String.init).joined(separator: "、")) 年）：\(each)只按周六、周日判断，法定节假日和调休上班日未核对",
            remedy: "取得国务院办公厅 \(named) 年部分节假日安排的通知后补充节假日日历（Fixtures/calendar/），再重新检查")]
    }
}

/// Preparer and reviewer are the same person: no second pair of eyes.
struct SelfApproval: Rule {
    let code = "JE-002"
    let category = FindingCategory.selfApproval
    let severity = Severity.warning
    let article = "第九条(一)；会计基础工作规范"
    let title = "凭证未经他人审核（制单与审核为同一人或无审核人）"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        // Names compared as people read them (PersonName: "周丽 ", 周麗, ＺＨＯＵ are 周丽, 周丽,
        // ZHOU). A studio's vouchers repeat a few pairs, so the last pair's answer is reused.
        var last: (preparer: String, reviewer: String, same: Bool)? = nil
        var keys: [String: String] = [:]
        func key(_ name: String) -> String {
            if let known = keys[name] { return known }
            let computed = PersonName.comparisonKey(name)
            keys[name] = computed
            return computed
        }
        return facts.books.effective.indices.compactMap { position in
            let draft = facts.books.effective[position].draft
            let preparer = draft.preparer.trimmingSpacesFast
            guard !preparer.isEmpty else { return nil }
            // No reviewer at all is no review by someone else either (会计基础工作规范 第五十一条:
            // 审核 signs every voucher).
            if draft.reviewer.trimmingSpacesFast.isEmpty {
                let voucher = facts.voucher(position)
                let amount = facts.financialDebits(position)
                return finding(
                    facts.books, voucher, fund: voucher.draft.lines.first?.fund, amount: amount,
                    message: "凭证没有审核人（制单人“\(preparer)”），凭证未经他人审核",
                    remedy: "由制单人以外的会计人员审核并签章；不相容岗位应分离")
            }
            let same: Bool
            if let last, last.preparer == draft.preparer, last.reviewer == draft.reviewer {
                same = last.same
            } else {
                same = preparer == draft.reviewer.trimmingSpacesFast || key(draft.preparer) == key(draft.reviewer)
                last = (draft.preparer, draft.reviewer, same)
            }
            guard same else { return nil }
            let voucher = facts.voucher(position)
            let amount = facts.financialDebits(position)
            return finding(
                facts.books, voucher, fund: voucher.draft.lines.first?.fund, amount: amount,
                message: "制单人与审核人都是“\(preparer)”，凭证未经他人审核",
                remedy: "由另一名会计人员审核并签章；不相容岗位应分离")
        }
    }
}

/// Benford's law on the first digits of a studio's spending lines (Nigrini's MAD bounds).
struct BenfordFirstDigit: Rule {
    let code = "JE-003"
    let category = FindingCategory.benford
    let severity = Severity.notice
    let article = "第九条(一)"
    let title = "首位数字分布异常（本福特定律）"

    /// log10(1 + 1/d) for d = 1…9, in millionths.
    static let expectedMicros: [Int64] = [301_030, 176_091, 124_939, 96_910, 79_181, 66_947, 57_992, 51_153, 45_757]

    static func firstDigit(_ fen: Int64) -> Int? {
        var value = abs(fen) / 100  // whole yuan; amounts under 10 yuan say little
        guard value >= 10 else { return nil }
        while value >= 10 { value /= 10 }
        return Int(value)
    }

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        let digits = facts.spending.compactMap { Self.firstDigit($0.fen) }
        let limits = context.policy.thresholds
        guard digits.count >= limits.benfordLinesMin else { return [] }
        var counts = [Int64](repeating: 0, count: 9)
        for digit in digits { counts[digit - 1] += 1 }
        let n = Int64(digits.count)
        // Mean absolute deviation in millionths, integer arithmetic throughout.
        let deviation = (0..<9).reduce(Int64(0)) { $0 + abs(counts[$1] * 1_000_000 / n - Self.expectedMicros[$1]) } / 9
        guard deviation > Int64(limits.benfordMADNonconformityMicros) else { return [] }
        let shares = (0..<9).map { "\($0 + 1):\(counts[$0] * 1000 / n / 10)%" }.joined(separator: " ")
        return [finding(
            books, nil, fund: nil, amount: .zero,
            message: "\(digits.count) 笔支出的首位数字分布偏离本福特定律（MAD = 0.\(String(format: "%06d", deviation))，不符合阈值 0.\(String(format: "%06d", limits.benfordMADNonconformityMicros))）：\(shares)",
            remedy: "抽查出现频率异常的首位数字对应的支出，核实是否存在人为编造或拆分")]
    }
}
