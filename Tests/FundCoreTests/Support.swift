// Shared builders for the FundCore tests: the default chart, dates, amounts, voucher lines and
// drafts, and a helper that turns a typed-throws call into the rejection it raised.
import Foundation
import Testing

@testable import FundCore

/// The package root, found from this file's path (Tests/FundCoreTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Text of Fixtures/chart/default-chart.csv.
func defaultChartText() throws -> String {
    let url = packageRoot.appendingPathComponent("Fixtures/chart/default-chart.csv")
    return try String(contentsOf: url, encoding: .utf8)
}

/// Fixtures/calendar/cn-public-holidays.csv.
func holidayCalendar() throws -> HolidayCalendar {
    let url = packageRoot.appendingPathComponent("Fixtures/calendar/cn-public-holidays.csv")
    return try HolidayCalendar.parseCSV(try String(contentsOf: url, encoding: .utf8), file: url.path)
}

enum Fixture {
    /// The default chart, loaded once; tests that check loading itself call `parseCSV` directly.
    static let chart: ChartOfAccounts = {
        do {
            return try ChartOfAccounts.parseCSV(try defaultChartText(), file: "default-chart.csv")
        } catch {
            fatalError("default chart does not load: \(error)")
        }
    }()

    static let studio = "ZY2025-001"
    static let preparer = "李会计"
}

/// A date from its parts; the tests only use real dates.
func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    guard let date = CalendarDate(year: year, month: month, day: day) else {
        fatalError("not a date: \(year)-\(month)-\(day)")
    }
    return date
}

func month(_ year: Int, _ month: Int) -> Period {
    guard let period = Period(year: year, month: month) else {
        fatalError("not a period: \(year)-\(month)")
    }
    return period
}

func yuan(_ fen: Int64) -> Money { Money(fen: fen) }

/// One voucher line; subsidy fund and a purchase memo unless told otherwise.
func line(
    _ account: String, _ side: Side, _ fen: Int64, fund: Fund = .subsidy, memo: String = "购置数控机床"
) -> VoucherLine {
    VoucherLine(memo: memo, account: account, fund: fund, side: side, amount: Money(fen: fen))
}

/// A draft dated 2025-11-03 with one attachment and a preparer.
func draft(
    _ lines: [VoucherLine], date: CalendarDate = day(2025, 11, 3), attachments: Int = 1,
    preparer: String = Fixture.preparer
) -> VoucherDraft {
    VoucherDraft(
        studio: Fixture.studio, date: date, lines: lines, attachments: attachments,
        preparer: preparer)
}

/// The standard valid purchase: 30,000.00 of equipment paid from the subsidy bank account.
func purchase(fen: Int64 = 3_000_000) -> VoucherDraft {
    draft([line("500101", .debit, fen), line("100201", .credit, fen)])
}

/// The rejection `body` threw, or nil when it returned normally.
func rejection<T>(_ body: () throws(Rejection) -> T) -> Rejection? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// The code of the rejection `body` threw, or nil when it returned normally.
func rejectionCode<T>(_ body: () throws(Rejection) -> T) -> RejectionCode? {
    rejection(body)?.code
}
