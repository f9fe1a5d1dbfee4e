import FundCore

/// 挤占 / 超范围: a fund pays for a category its policy forbids.
struct IneligibleSpending: Rule {
    let code = "SUB-001"
    let category = FindingCategory.ineligibleSpending
    let severity = Severity.violation
    let article = "第八条(一)、第九条(一)"
    let title = "资金列支超出使用范围"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        context.spending(facts, judged: .forbidden).map { spendingLine in
            let value = facts.value(spendingLine)
            let spendingCategory = spendingLine.category!
            return finding(
                facts, spendingLine.voucher, line: spendingLine.number, fund: value.fund, amount: value.amount,
                message: "\(value.fund.chineseName)列支\(spendingCategory.chineseName)（\(context.name(value))）\(yuan(value.amount)) 元，该类支出不在\(value.fund.chineseName)使用范围内",
                remedy: "红字冲销该凭证，改由允许列支的资金来源核算，或将款项退回\(value.fund.chineseName)专户")
        }
    }
}

/// Categories a fund may pay for only with a written justification.
struct NeedsJustification: Rule {
    let code = "SUB-002"
    let category = FindingCategory.needsJustification
    let severity = Severity.warning
    let article = "第八条(一)"
    let title = "需说明用途的支出"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        context.spending(facts, judged: .needsJustification).map { spendingLine in
            let value = facts.value(spendingLine)
            let spendingCategory = spendingLine.category!
            return finding(
                facts, spendingLine.voucher, line: spendingLine.number, fund: value.fund, amount: value.amount,
                message: "\(value.fund.chineseName)列支\(spendingCategory.chineseName)（\(context.name(value))）\(yuan(value.amount)) 元，须书面说明与工作室建设的关系",
                remedy: "用 finding explain 附上用途说明（培训计划、研发任务书等），由审核人确认")
        }
    }
}

/// Spending before recognition or after the 2-year construction period.
struct OutsideWindow: Rule {
    let code = "SUB-003"
    let category = FindingCategory.outsideWindow
    let severity = Severity.violation
    let article = "第四条"
    let title = "建设期外支出"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        let window = books.studio.constructionWindow
        return facts.vouchers.indices.compactMap { position in
            guard !window.contains(facts.vouchers[position].date) else { return nil }
            let spent = Money(fen: facts.vouchers[position].spentFen)
            guard !spent.isZero else { return nil }
            let voucher = facts.voucher(position)
            let when = voucher.draft.date < window.lowerBound ? "认定日 \(window.lowerBound.iso) 之前" : "建设期（至 \(window.upperBound.iso)）结束之后"
            return finding(
                books, voucher, fund: voucher.draft.lines.first?.fund, amount: spent,
                message: "\(voucher.draft.date.iso) 的支出 \(yuan(spent)) 元发生在\(when)",
                remedy: "核实业务发生日期；建设期外的支出不得由项目资金列支，应冲销并由依托单位自有资金承担")
        }
    }
}

/// 挪用: subsidy money leaving the subsidy book — to other funds through 内部往来, or lent out
/// as receivables other than the subsidy receivable itself.
struct FundDiversion: Rule {
    let code = "SUB-004"
    let category = FindingCategory.fundDiversion
    let severity = Severity.violation
    let article = "第九条(一)"
    let title = "补助资金被挪用"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        facts.lines.compactMap { line -> Finding? in
            guard line.fund == .subsidy, line.side == .debit, line.fen > 0, let position = line.account,
                line.role == .clearing || line.role == .receivables
            else { return nil }
            let account = context.chart.accounts[position]
            let toOtherFund = account.role == .clearing
            let lentOut = account.role == .receivables && !account.funds.contains(.subsidy)
            guard toOtherFund || lentOut else { return nil }
            let how = toOtherFund ? "通过内部往来划入其他资金账" : "转作应收款项（\(account.name)）"
            let amount = Money(fen: line.fen)
            return finding(
                facts, line.voucher, line: line.number, fund: .subsidy, amount: amount,
                message: "补助资金 \(yuan(amount)) 元\(how)，离开补助资金专账",
                remedy: "将款项划回补助资金专户并冲销该凭证；补助资金只能用于本工作室的允许支出")
        }
    }
}

/// A fund's bank and cash go negative, or the subsidy spent exceeds the subsidy received.
struct OverdrawnFund: Rule {
    let code = "FND-001"
    let category = FindingCategory.overdrawnFund
    let severity = Severity.violation
    let article = "第九条(一)"
    let title = "资金透支"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        // Bank and cash per fund, in fund order (a fund never touched stays 0, never negative).
        let funds = Fund.allCases.sorted()
        var money = [Int64](repeating: 0, count: funds.count)
        var reported = [Bool](repeating: false, count: funds.count)  // per fund slot
        let subsidySlot = funds.firstIndex(of: .subsidy)!
        var subsidyReceived: Int64 = 0
        var subsidySpent: Int64 = 0
        var findings: [Finding] = []
        for (position, summary) in facts.vouchers.enumerated() {
            for line in facts.lines[summary.lines] {
                let role = line.role
                if role == .bank || role == .cash { money[funds.firstIndex(of: line.fund)!] += line.signedFen }
                if line.fund == .subsidy, let account = line.account {
                    subsidyReceived += context.chart.accounts[account].arrivalFen(signedFen: line.signedFen, fund: .subsidy)
                }
            }
            var spentFromSubsidy: Int64 = 0
            for line in facts.spending[summary.spending] where line.fund == .subsidy { spentFromSubsidy += line.fen }
            subsidySpent += spentFromSubsidy
            for (slot, fund) in funds.enumerated() where money[slot] < 0 && !reported[slot] {
                let balance = money[slot]
                reported[slot] = true
                let voucher = facts.voucher(position)
                findings.append(finding(
                    facts.books, voucher, fund: fund, amount: Money(fen: -balance),
                    message: "\(voucher.draft.date.iso) 记账后\(fund.chineseName)的银行存款和现金余额为 -\(yuan(Money(fen: -balance))) 元，资金被透支",
                    remedy: "核实是否先支后收或错记资金来源；应先到位再支出，错记的用红字冲销后改记"))
            }
            if subsidySpent > subsidyReceived && !reported[subsidySlot] {
                reported[subsidySlot] = true
                let voucher = facts.voucher(position)
                findings.append(finding(
                    facts.books, voucher, fund: .subsidy, amount: Money(fen: subsidySpent - subsidyReceived),
                    message: "截至 \(voucher.draft.date.iso) 补助资金支出 \(yuan(Money(fen: subsidySpent))) 元，超过已到位补助资金 \(yuan(Money(fen: subsidyReceived))) 元",
                    remedy: "超出部分应由企业支持资金或自筹资金列支"))
            }
        }
        return findings
    }
}

/// 截留 / 不到位: the approved subsidy has not (fully) arrived, or arrived late.
struct SubsidyShortfall: Rule {
    let code = "SUB-005"
    let category = FindingCategory.subsidyShortfall
    let severity = Severity.warning
    let article = "第八条(一)"
    let title = "补助资金未足额及时到位"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        let due = books.studio.recognized.adding(days: context.policy.thresholds.subsidyArrivalDays)
        var received: Int64 = 0
        var booked: Int64 = 0
        var completedOn: CalendarDate? = nil
        let approved = books.studio.approvedSubsidy.fen
        for summary in facts.vouchers {
            // Arrival is money in the bank: a receipt booked against 应收补助资金 has not arrived.
            for line in facts.lines[summary.lines] where line.fund == .subsidy {
                if let account = line.account { received += context.chart.accounts[account].arrivalFen(signedFen: line.signedFen, fund: .subsidy) }
                if line.role == .fundReceipts { booked -= line.signedFen }
            }
            if completedOn == nil && approved > 0 && received >= approved { completedOn = summary.date }
        }
        guard context.asOf > due else { return [] }
        if received < approved {
            let rate = approved == 0 ? 0 : received * 1000 / approved
            return [finding(
                books, nil, fund: .subsidy, amount: Money(fen: approved - received),
                message: "核定补助 \(yuan(books.studio.approvedSubsidy)) 元，截至 \(context.asOf.iso) 实际到账 \(yuan(Money(fen: received))) 元，到位率 \(rate / 10).\(rate % 10)%\(booked > received ? "（已入账 \(yuan(Money(fen: booked))) 元，其中 \(yuan(Money(fen: booked - received))) 元挂应收、未到专户）" : "")",
                remedy: "向县（区）人社部门和财政部门核实拨付进度；已收到未入账的及时入账")]
        }
        if let completedOn, completedOn > due {
            return [finding(
                books, nil, fund: .subsidy, amount: books.studio.approvedSubsidy,
                message: "补助资金于 \(completedOn.iso) 才全部到位，晚于认定后 \(context.policy.thresholds.subsidyArrivalDays) 天（\(due.iso)）",
                remedy: "在绩效自评中说明到位滞后的原因及对建设进度的影响", severity: .notice)]
        }
        return []
    }
}

/// More subsidy approved than the measures grant, or more received than approved.
struct SubsidyOverCap: Rule {
    let code = "SUB-007"
    let category = FindingCategory.subsidyOverCap
    let severity = Severity.violation
    let article = "第八条(一)"
    let title = "补助资金超过标准"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        let cap = context.policy.thresholds.subsidyCapFen
        let approved = books.studio.approvedSubsidy.fen
        var findings: [Finding] = []
        if approved > cap {
            findings.append(finding(
                books, nil, fund: .subsidy, amount: Money(fen: approved - cap),
                message: "核定补助 \(yuan(books.studio.approvedSubsidy)) 元，超过办法规定的一次性补助标准 \(yuan(Money(fen: cap))) 元",
                remedy: "核对认定文件中的补助金额；超标准部分应退回或由市财政局书面确认"))
        }
        var received: Int64 = 0
        for (position, summary) in facts.vouchers.enumerated() {
            for line in facts.lines[summary.lines] where line.fund == .subsidy && line.role == .fundReceipts {
                received -= line.signedFen
            }
            if received > approved {
                findings.append(finding(
                    facts, position, fund: .subsidy, amount: Money(fen: received - approved),
                    message: "已收补助资金 \(yuan(Money(fen: received))) 元，超过核定补助 \(yuan(books.studio.approvedSubsidy)) 元",
                    remedy: "核实是否重复拨付或错记资金来源；多收部分应退回财政或改记其他资金"))
                break
            }
        }
        return findings
    }
}

extension CheckContext {
    /// Spending lines whose category the policy judges `eligibility` for their fund.
    func spending(_ facts: StudioFacts, judged eligibility: Eligibility) -> [LineFacts] {
        let table = EligibilityTable(policy, chart: chart)
        return facts.spending.filter { table[$0] == eligibility }
    }
}
