// Shared builders for the FundExchange tests: the default chart, a reader for studio
// ZY2025-001, and helpers that return a file's vouchers or its rejection list.
import Foundation
import FundCore
import Testing

@testable import FundExchange

/// The package root, found from this file's path (Tests/FundExchangeTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

enum Fixture {
    static let chart: ChartOfAccounts = {
        let url = packageRoot.appendingPathComponent("Fixtures/chart/default-chart.csv")
        do {
            return try ChartOfAccounts.parseCSV(
                try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
        } catch {
            fatalError("default chart does not load: \(error)")
        }
    }()

    static let studio = "ZY2025-001"
    static let file = "vouchers.csv"
}

func reader(defaultFund: Fund? = nil) -> VoucherCSVReader {
    VoucherCSVReader(
        file: Fixture.file, studio: Fixture.studio, chart: Fixture.chart, defaultFund: defaultFund)
}

/// Joins header and rows into a file's text.
func csv(_ lines: [String]) -> String {
    lines.joined(separator: "\n") + "\n"
}

/// The rejection list reading `text` produced, or nil when it was accepted.
func importErrors(_ text: String, defaultFund: Fund? = nil) -> RejectionList? {
    do {
        _ = try reader(defaultFund: defaultFund).read(text: text)
        return nil
    } catch {
        return error
    }
}

/// (line, code, field) of each item, for compact comparison.
struct ErrorSummary: Equatable, CustomStringConvertible {
    let line: Int?
    let code: RejectionCode
    let field: String?

    init(_ line: Int?, _ code: RejectionCode, _ field: String?) {
        self.line = line
        self.code = code
        self.field = field
    }

    init(_ item: LocatedRejection) {
        self.init(item.line, item.rejection.code, item.rejection.field)
    }

    var description: String { "\(line.map(String.init) ?? "-") \(code.rawValue) \(field ?? "-")" }
}

func summaries(_ list: RejectionList?) -> [ErrorSummary] {
    list?.items.map(ErrorSummary.init) ?? []
}

/// The standard split-amount header (用友 export names).
let splitHeader = "日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,附单据数,结算方式,往来单位,制单人,审核人"

/// One row under `splitHeader`.
func row(
    date: String = "2025-11-03", voucherClass: String = "记", number: String = "1",
    memo: String = "购置数控机床",
    account: String, fund: String = "补助资金", debit: String = "", credit: String = "",
    attachments: String = "",
    settlement: String = "", counterparty: String = "", preparer: String = "李会计",
    reviewer: String = ""
) -> String {
    [
        date, voucherClass, number, memo, account, fund, debit, credit, attachments, settlement,
        counterparty, preparer,
        reviewer,
    ].map { CSVWriter.escaped(.number($0)) }.joined(separator: ",")
}

/// A balanced two-row voucher under `splitHeader`.
func pair(number: String, amount: String = "100.00", date: String = "2025-11-03") -> [String] {
    [
        row(date: date, number: number, account: "500101", debit: amount),
        row(date: date, number: number, account: "100201", credit: amount),
    ]
}
