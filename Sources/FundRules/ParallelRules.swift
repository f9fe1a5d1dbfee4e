import FundCore

/// 未平行记账: a public-institution studio's vouchers whose budget lines do not restate the cash
/// they move (政府会计制度's 平行记账; ParallelEntries.check). Posting refuses such a voucher, so
/// this finds the books kept before budget accounting was (a studio whose host unit became a
/// public institution, a ledger begun before this version) and anything written behind the
/// ledger's back. One finding per studio: how many vouchers, and by how much each fund's
/// 资金结存 falls short of its bank and cash.
struct MissingParallelEntries: Rule {
    let code = "BUD-001"
    let category = FindingCategory.parallelEntries
    let severity = Severity.violation
    let article = "第九条(一)；政府会计制度"
    let title = "未平行记账"

    func evaluate(_ facts: StudioFacts, _ context: CheckContext) -> [Finding] {
        guard facts.books.keepsBudget else { return [] }
        var offending: [Int] = []
        var gap = PerFund<Int64>(0)
        for position in facts.books.effective.indices {
            let draft = facts.books.effective[position].draft
            do {
                try ParallelEntries.check(draft, chart: context.chart)
            } catch {
                offending.append(position)
            }
            for line in draft.lines {
                guard let account = context.chart[line.account] else { continue }
                if ParallelEntries.isCash(account) {
                    gap[line.fund] &+= line.signedAmount.fen
                } else if account.role == .budgetCash {
                    gap[line.fund] &-= line.signedAmount.fen
                }
            }
        }
        guard let first = offending.first else { return [] }
        let funds = Fund.allCases.filter { gap[$0] != 0 }
        let amount = funds.reduce(Int64(0)) { $0 &+ abs(gap[$1]) }
        let shortfall = funds.map { "\($0.chineseName) \(yuan(Money(fen: gap[$0]))) 元" }.joined(separator: "，")
        let voucher = facts.voucher(first)
        return [finding(
            facts.books, voucher, fund: funds.count == 1 ? funds[0] : nil, amount: Money(fen: amount),
            message: "依托单位为事业单位，\(offending.count) 张凭证动用货币资金而没有相符的预算会计分录（首张 \(voucher.ref.period.iso) \(voucher.ref.label)）"
                + (shortfall.isEmpty ? "" : "；资金结存与银行存款及库存现金相差：\(shortfall)"),
            remedy: "按政府会计制度平行记账：以转账凭证补记预算会计分录（借 资金结存 贷 预算收入／借 事业支出 贷 资金结存），使各资金的资金结存与货币资金一致")]
    }
}
