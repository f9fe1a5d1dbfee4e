import FundCore

/// 未平行记账: a public-institution studio's vouchers whose budget lines do not restate the cash
/// they move (政府会计制度's 平行记账; ParallelEntries.check). Posting refuses such a voucher, so
/// this finds the books kept before budget accounting was (a studio whose host unit became a
/// public institution, a ledger begun before this version) and anything written behind the
/// ledger's back. One finding per studio while any fund's 资金结存 differs from its bank and
/// cash: how many vouchers, and by how much. A 补记 voucher (借 资金结存 贷 结转—年初余额调整 for
/// the difference) clears it.
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
        let funds = Fund.allCases.filter { gap[$0] != 0 }
        guard let first = offending.first, !funds.isEmpty else { return [] }
        let amount = funds.reduce(Int64(0)) { $0 &+ abs(gap[$1]) }
        let shortfall = funds.map { "\($0.chineseName) \(yuan(Money(fen: gap[$0]))) 元" }.joined(separator: "，")
        let voucher = facts.voucher(first)
        return [finding(
            facts.books, voucher, fund: funds.count == 1 ? funds[0] : nil, amount: Money(fen: amount),
            message: "依托单位为事业单位，\(offending.count) 张凭证动用货币资金而没有相符的预算会计分录（首张 \(voucher.ref.period.iso) \(voucher.ref.label)）"
                + (shortfall.isEmpty ? "" : "；资金结存与银行存款及库存现金相差：\(shortfall)"),
            remedy: "按政府会计制度平行记账：以转账凭证补记（借 资金结存—货币资金 贷 结转—年初余额调整，金额为上述差额），使各资金的资金结存与货币资金一致")]
    }
}
