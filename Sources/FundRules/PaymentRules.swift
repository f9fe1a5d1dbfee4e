import FundCore
import Foundation

extension CheckContext {
    /// Vouchers that pay for spending out of bank or cash (not through payables): the definition
    /// of `StudioFacts.payments`.
    func payments(_ books: StudioBooks) -> [Payment] {
        books.effective.enumerated().compactMap { position, voucher in
            let paid = voucher.draft.lines.filter { $0.side == .credit && $0.amount.fen > 0 && [.bank, .cash].contains(role($0)) }
            let spent = spent(voucher)
            guard !paid.isEmpty, !spent.isZero else { return nil }
            return Payment(voucher: position, amount: spent, counterparty: voucher.draft.counterparty.trimmingSpaces)
        }
    }
}

/// 拆分支出: several payments to one payee, each under the approval threshold, within a few days,
/// adding up to more than it.
struct SplitPayment: Rule {
    let code = "PAY-001"
    let category = FindingCategory.splitPayment
    let severity = Severity.warning
    let article = "第九条(一)"
    let title = "疑似拆分支付规避审批"

    static let separator = Array("；".utf8)

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let limits = context.policy.thresholds
        let small = facts.payments.filter { !$0.counterparty.isEmpty && $0.amount.fen < limits.splitApprovalFen }
        var findings: [Finding] = []
        for (payee, payments) in Dictionary(grouping: small, by: \.counterparty).sorted(by: { $0.key < $1.key }) {
            let days = payments.map { facts.vouchers[$0.voucher].date.dayNumber }
            // Runs as before — from each `start`, the longest run within the window — kept as a
            // sliding window: payments are in date order, so a run's end never moves back.
            // `total` is the run's sum, added up payment by payment.
            var start = 0
            var end = -1
            var total: Int64 = 0
            while start < payments.count {
                if end < start {
                    end = start
                    total = payments[start].amount.fen
                }
                while end + 1 < payments.count && days[end + 1] - days[start] <= limits.splitWindowDays {
                    end += 1
                    total += payments[end].amount.fen
                }
                let count = end - start + 1
                if count >= limits.splitPaymentsMin && total > limits.splitApprovalFen {
                    // "date label amount" per payment, joined by "；", written as bytes.
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(count * 40)
                    for position in start...end {
                        if position > start { bytes.append(contentsOf: Self.separator) }
                        let voucher = payments[position].voucher
                        facts.vouchers[voucher].date.appendISO(to: &bytes)
                        bytes.append(UInt8(ascii: " "))
                        facts.books.effective[voucher].ref.appendLabel(to: &bytes)
                        bytes.append(UInt8(ascii: " "))
                        payments[position].amount.appendGrouped(to: &bytes)
                    }
                    let labels = String(decoding: bytes, as: UTF8.self)
                    let last = facts.voucher(payments[end].voucher)
                    findings.append(finding(
                        facts.books, last, fund: last.draft.lines.first?.fund, amount: Money(fen: total),
                        message: "\(limits.splitWindowDays) 天内向“\(payee)”支付 \(count) 笔，每笔低于 \(yuan(Money(fen: limits.splitApprovalFen))) 元、合计 \(yuan(Money(fen: total))) 元：\(labels)",
                        remedy: "核实是否为同一采购拆分；应合并履行审批和采购程序，补办审批手续"))
                    start = end + 1
                } else {
                    total -= payments[start].amount.fen
                    start += 1
                }
            }
        }
        return findings
    }
}

/// 超市整数消费: round amounts paid to supermarkets and malls.
struct RoundAmountRetail: Rule {
    let code = "PAY-002"
    let category = FindingCategory.roundAmountRetail
    let severity = Severity.warning
    let article = "第九条(一)"
    let title = "商超整数消费"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let limits = context.policy.thresholds
        return facts.payments.compactMap { payment in
            guard payment.amount.fen % limits.roundRetailMultipleFen == 0,
                let word = limits.retailKeywords.first(where: { payment.counterparty.contains($0) })
            else { return nil }
            let voucher = facts.voucher(payment.voucher)
            return finding(
                facts.books, voucher, fund: voucher.draft.lines.first?.fund, amount: payment.amount,
                message: "向“\(payment.counterparty)”（\(word)）支付整数金额 \(yuan(payment.amount)) 元，疑似购物卡或福利消费",
                remedy: "附购物明细和领用记录；购物卡、福利性消费不得由项目资金列支")
        }
    }
}

/// 虚列支出: large payments to a person rather than an organisation.
struct IndividualPayment: Rule {
    let code = "PAY-003"
    let category = FindingCategory.individualPayment
    let severity = Severity.warning
    let article = "第九条(一)"
    let title = "大额支付给个人"

    static let organisationWords = ["公司", "厂", "局", "院", "校", "部", "店", "中心", "行", "社", "所", "站", "馆", "会", "基地", "集团", "银行", "超市", "商场"]

    static func looksLikePerson(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard (2...4).contains(name.count), scalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) || $0 == "·" }) else { return false }
        return !organisationWords.contains { name.contains($0) }
    }

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let limit = context.policy.thresholds.individualPaymentFen
        return facts.payments.compactMap { payment in
            guard payment.amount.fen > limit, Self.looksLikePerson(payment.counterparty) else { return nil }
            let voucher = facts.voucher(payment.voucher)
            return finding(
                facts.books, voucher, fund: voucher.draft.lines.first?.fund, amount: payment.amount,
                message: "向个人“\(payment.counterparty)”支付 \(yuan(payment.amount)) 元，超过 \(yuan(Money(fen: limit))) 元",
                remedy: "附劳务合同、完税证明和成果资料；确属虚列的支出应冲销追回")
        }
    }
}

/// 坐收坐支: a receipt booked straight against spending (Dr bank, Cr expense).
struct ReceiptNetting: Rule {
    let code = "ACC-001"
    let category = FindingCategory.receiptNetting
    let severity = Severity.violation
    let article = "第九条(一)"
    let title = "坐收坐支"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        facts.vouchers.indices.compactMap { position in
            guard facts.vouchers[position].receivesMoney, facts.vouchers[position].creditsSpending else { return nil }
            let voucher = facts.voucher(position)
            let lines = voucher.draft.lines
            let creditedSpending = lines.enumerated().filter { $0.element.side == .credit && $0.element.amount.fen > 0 && context.category($0.element) != nil }
            guard let first = creditedSpending.first else { return nil }
            let amount = Money(fen: creditedSpending.reduce(0) { $0 + $1.element.amount.fen })
            return finding(
                facts.books, voucher, line: first.offset + 1, fund: first.element.fund, amount: amount,
                message: "收到款项直接冲减支出（借银行/现金、贷 \(context.name(first.element))）\(yuan(amount)) 元",
                remedy: "收入应全额入账，支出另行列支；退回的支出款应注明原支出凭证并附退款凭据")
        }
    }
}

/// 收入挂往来: money received and parked in payables instead of income.
struct IncomeInPayables: Rule {
    let code = "ACC-002"
    let category = FindingCategory.incomeInPayables
    let severity = Severity.warning
    let article = "第九条(一)"
    let title = "收入挂往来"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        facts.vouchers.indices.compactMap { position in
            guard facts.vouchers[position].receivesMoney, facts.vouchers[position].creditsPayables else { return nil }
            let voucher = facts.voucher(position)
            let lines = voucher.draft.lines
            guard let parked = lines.enumerated().first(where: { $0.element.side == .credit && $0.element.amount.fen > 0 && context.role($0.element) == .payables })
            else { return nil }
            return finding(
                facts.books, voucher, line: parked.offset + 1, fund: parked.element.fund, amount: parked.element.amount,
                message: "收到的款项 \(yuan(parked.element.amount)) 元记入应付款项（\(context.name(parked.element))），未确认为资金收入",
                remedy: "核实款项性质：属于项目资金的转入资金收入科目，属于代收代付的附协议说明")
        }
    }
}
