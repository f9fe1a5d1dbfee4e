import FundCore
import Foundation

/// 重复报销: one invoice key on more than one voucher, in any fund or studio.
struct DuplicateInvoice: Rule {
    let code = "EVD-001"
    let category = FindingCategory.duplicateInvoice
    let severity = Severity.violation
    let article = "第九条(一)"
    let title = "发票重复入账"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let books = facts.books
        return facts.vouchers.indices.filter { facts.vouchers[$0].hasInvoice }.flatMap { position -> [Finding] in
            let voucher = facts.voucher(position)
            var seen: Set<InvoiceKey> = []
            return voucher.draft.lines.enumerated().compactMap { index, line in
                guard let key = line.invoice, seen.insert(key).inserted, let uses = context.invoiceUses[key],
                    let first = uses.first, first != voucher.ref
                else { return nil }
                let firstText = first.studio == voucher.ref.studio ? "\(first.period.iso) \(first.label)" : "工作室 \(first.studio) \(first.period.iso) \(first.label)"
                return finding(
                    books, voucher, line: index + 1, fund: line.fund, amount: line.amount,
                    message: "发票 \(key) 已在 \(firstText) 入账，本凭证再次使用（共 \(uses.count) 张凭证）",
                    remedy: "核对原始发票；重复报销的金额应冲销并追回")
            }
        }
    }
}

/// 白条入账: a voucher that moves money — spending, a receipt, a withdrawal, a transfer — with no
/// attached source documents (closing and correcting vouchers excepted).
struct MissingEvidence: Rule {
    let code = "EVD-002"
    let category = FindingCategory.missingEvidence
    let severity = Severity.violation
    let article = "第九条(一)"
    let title = "无原始凭证的收支"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        facts.vouchers.indices.compactMap { position in
            let summary = facts.vouchers[position]
            guard summary.attachments == 0 else { return nil }
            let voucher = facts.voucher(position)
            // 会计基础工作规范 第五十一条: only closing and correcting vouchers may go without source
            // documents.
            if case .correction = voucher.kind { return nil }
            let spent = Money(fen: summary.spentFen)
            if !spent.isZero {
                let hasInvoice = facts.spending[summary.spending].contains { $0.hasInvoice }
                return finding(
                    facts.books, voucher, fund: voucher.draft.lines.first?.fund, amount: spent,
                    message: "支出 \(yuan(spent)) 元的凭证附单据 0 张\(hasInvoice ? "（仅录入发票号，未附原件）" : "，也没有发票")",
                    remedy: "补附发票、合同、验收单等原始凭证并更正附单据张数；无法取得的不得列支")
            }
            // Receipts, withdrawals and transfers move money too: the bank slip or the transfer
            // approval is their source document.
            let lines = facts.lines[summary.lines]
            var moneyIn: Int64 = 0, moneyOut: Int64 = 0, transferred: Int64 = 0
            for line in lines {
                if line.isMoneyIn { moneyIn += line.fen }
                if line.isMoneyOut { moneyOut += line.fen }
                if line.role == .clearing && line.side == .debit && line.fen > 0 { transferred += line.fen }
            }
            let moved = max(moneyIn, moneyOut, transferred)
            guard moved > 0 else { return nil }
            let what = transferred > 0 ? "资金划转" : (summary.receivesMoney ? "收款" : "付款")
            return finding(
                facts.books, voucher, fund: voucher.draft.lines.first?.fund, amount: Money(fen: moved),
                message: "\(what) \(yuan(Money(fen: moved))) 元的凭证附单据 0 张",
                remedy: "补附银行回单、收款收据或划转审批单等原始凭证并更正附单据张数")
        }
    }
}

/// 大额现金: cash settlement above the threshold outside the exempt categories. 现金管理暂行条例
/// 第五条 allows cash for 结算起点（1000元）以下, and 以下 includes the figure itself (民法典
/// 第一千二百五十九条), so exactly 1,000.00 in cash is allowed.
struct CashOverLimit: Rule {
    let code = "CSH-001"
    let category = FindingCategory.cashOverLimit
    let severity = Severity.violation
    let article = "第九条(一)；现金管理暂行条例 第五条"
    let title = "超限额现金结算"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let thresholds = context.policy.thresholds
        return facts.vouchers.indices.compactMap { position in
            let summary = facts.vouchers[position]
            let spending = facts.spending[summary.spending]
            // A purchase from a person settled in cash is one of 第五条's exemptions, recorded as
            // the voucher's settlement, not guessed from its memo.
            guard summary.settlement != .cashFromIndividual else { return nil }
            let paidInCash = summary.settlement == .cash ? summary.spentFen : summary.cashOutFen
            guard paidInCash > thresholds.cashLimitFen, !spending.isEmpty,
                !spending.allSatisfy({ thresholds.cashExemptCategories.contains($0.category!) })
            else { return nil }
            return finding(
                facts, position, fund: spending.first?.fund, amount: Money(fen: paidInCash),
                message: "现金支付 \(yuan(Money(fen: paidInCash))) 元，超过现金结算起点 \(yuan(Money(fen: thresholds.cashLimitFen))) 元，且不属于工资、个人劳务报酬、差旅或向个人收购等可用现金的范围",
                remedy: "超过结算起点的支出应通过银行转账或公务卡结算；说明原因并在今后改正")
        }
    }
}

/// 奖补贴: a subsidy line whose memo speaks of bonuses, allowances or welfare.
struct AllowanceMemo: Rule {
    let code = "SUB-006"
    let category = FindingCategory.allowanceMemo
    let severity = Severity.warning
    let article = "第八条(一)"
    let title = "补助资金摘要涉及奖补福利"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        let keywords = context.policy.thresholds.allowanceKeywords
        let firstCharacters = Set(keywords.compactMap(\.first))
        // The keyword a memo speaks of, if any. Books repeat their memos, so each distinct memo
        // is searched once.
        var wordInMemo: [String: String?] = [:]
        var last: (memo: String, word: String?)? = nil
        func word(in memo: String) -> String? {
            // Consecutive lines mostly repeat a memo (often the very same string).
            if let last, last.memo == memo { return last.word }
            if let known = wordInMemo[memo] {
                last = (memo, known)
                return known
            }
            var word: String? = nil
            // Cheap test first: most memos contain none of the keywords' characters.
            if memo.contains(where: firstCharacters.contains) {
                // "补助资金" names the fund itself and is not an allowance.
                let rest = memo.replacingOccurrences(of: "补助资金", with: "").replacingOccurrences(of: "补助", with: "")
                word = keywords.first(where: { rest.contains($0) })
            }
            wordInMemo[memo] = .some(word)
            last = (memo, word)
            return word
        }
        return facts.spending.compactMap { spendingLine in
            guard spendingLine.fund == .subsidy else { return nil }
            let memo = facts.books.effective[spendingLine.voucher].draft.lines[spendingLine.number - 1].memo
            guard let word = word(in: memo) else { return nil }
            return finding(
                facts, spendingLine.voucher, line: spendingLine.number, fund: .subsidy, amount: Money(fen: spendingLine.fen),
                message: "补助资金支出摘要“\(memo)”含“\(word)”，疑似以补助资金发放奖金、补贴或福利",
                remedy: "核实支出性质；奖金补贴福利不得由补助资金列支，应冲销后改由依托单位资金承担")
        }
    }
}

