import FundCore

struct FindingsOutput<Summary: Encodable>: Encodable {
    let findings: [Finding]
    let summary: Summary
}

/// Renders compliance findings: a table for the terminal, CSV for spreadsheets, JSON for tools.
public enum FindingViews {
    static func voucherLabel(_ finding: Finding) -> String {
        guard let voucher = finding.voucher else { return "" }
        let number = String(voucher.number)
        let label = "\(voucher.period) \(voucher.class)-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number)"
        return finding.line.map { "\(label) 第\($0)行" } ?? label
    }

    /// `summary` is any Encodable summary value (rendered under the key "summary" in JSON).
    public static func render<Summary: Encodable>(_ findings: [Finding], summary: Summary, summaryLines: [String], format: ViewFormat) -> String {
        switch format {
        case .json:
            return LedgerViews.json(FindingsOutput(findings: findings, summary: summary))
        case .csv:
            var table = CSVTable(headers: ["编号", "严重程度", "规则", "类别", "工作室", "凭证", "资金来源", "金额", "条款", "说明", "整改建议", "处理状态", "情况说明", "审核意见"])
            for finding in findings {
                table.add([
                    finding.key, finding.severity.chineseName, finding.rule, finding.category.rawValue, finding.studio, voucherLabel(finding),
                    finding.fund?.chineseName ?? "", Money(fen: finding.amountFen).plainString, finding.article, finding.message, finding.remedy,
                    finding.review?.status.chineseName ?? "未处理", finding.review?.explanation ?? "", finding.review?.decisionNote ?? "",
                ])
            }
            return table.render()
        case .table:
            var out = ""
            for severity in Severity.allCases {
                let group = findings.filter { $0.severity == severity }
                guard !group.isEmpty else { continue }
                out += "【\(severity.chineseName)】\(group.count) 项\n"
                for finding in group {
                    let voucher = voucherLabel(finding)
                    out += "  \(finding.rule) \(finding.category.rawValue)　\(finding.studio)\(voucher.isEmpty ? "" : " " + voucher)　\(finding.article)\n"
                    out += "    \(finding.message)\n"
                    out += "    整改：\(finding.remedy)\n"
                    if let review = finding.review {
                        out += "    \(review.status.chineseName)：\(review.explanation)（\(review.explainedBy)）"
                        if let decidedBy = review.decidedBy { out += "；审核 \(decidedBy)\(review.decisionNote.map { "：" + $0 } ?? "")" }
                        out += "\n"
                    }
                    out += "    编号：\(finding.key)\n"
                }
            }
            if findings.isEmpty { out += "未发现问题\n" }
            return out + summaryLines.joined(separator: "\n") + "\n"
        }
    }
}
