// FundTestSupport: builders for tests: an in-memory ledger with the default chart, a host
// unit and studios, and short-hand voucher drafts. Production code never imports it.
import FundApp
import FundCore
import FundFixtures
import FundStore
import Foundation

public enum TestLedger {
    /// The default chart shipped in Fixtures/chart.
    public static func defaultChart() throws -> ChartOfAccounts {
        let url = FixturesBundle.defaultChart
        return try ChartOfAccounts.parseCSV(try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    /// A valid credit code for tests (GB 32100 check character computed).
    public static let hostCode = CreditCode.completing("91512002MA62K3B01")!
    public static let otherHostCode = CreditCode.completing("12512002MB0000001")!

    public static let clock = FixedClock(instant: "2026-11-20T01:00:00Z", today: CalendarDate(year: 2026, month: 11, day: 20)!)

    /// An app over a fresh in-memory database with the default chart, one host unit and the
    /// given studios (recognised 2025-12-15, subsidy 30,000).
    public static func app(studios: [String] = ["S1"], clock: any LedgerClock = TestLedger.clock, user: String = "测试员") throws -> LedgerApp {
        let app = LedgerApp(store: try LedgerStore(), clock: clock, user: user)
        _ = try app.register.initialize()
        _ = try app.register.addHostUnit(creditCode: hostCode, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
        for code in studios {
            _ = try app.register.addStudio(
                code: code, name: "\(code) 工作室", hostUnit: hostCode, leader: "张师傅", field: "数控加工",
                recognized: "2025-12-15", subsidy: "30000")
        }
        return app
    }

    public static func date(_ text: String) -> CalendarDate {
        try! CalendarDate.parse(text)
    }

    public static func line(_ account: String, _ fund: Fund, _ side: Side, _ fen: Int64, memo: String = "测试分录", invoice: InvoiceKey? = nil) -> VoucherLine {
        VoucherLine(memo: memo, account: account, fund: fund, side: side, amount: Money(fen: fen), invoice: invoice)
    }

    /// A two-line voucher: Dr `debit` / Cr `credit`, one fund.
    public static func simple(
        studio: String = "S1", date: String = "2026-01-10", debit: String, credit: String, fund: Fund = .subsidy,
        fen: Int64, memo: String = "测试分录"
    ) -> VoucherDraft {
        VoucherDraft(
            studio: studio, date: Self.date(date), lines: [line(debit, fund, .debit, fen, memo: memo), line(credit, fund, .credit, fen, memo: memo)],
            attachments: 1, settlement: .bankTransfer, preparer: "李会计", reviewer: "王主管")
    }

    /// Receipt of a fund's money into the project bank account.
    public static func receipt(studio: String = "S1", date: String = "2025-12-20", fund: Fund, fen: Int64) -> VoucherDraft {
        let revenue: String
        switch fund {
        case .subsidy: revenue = "400101"
        case .enterprise: revenue = "400102"
        case .selfRaised: revenue = "400103"
        }
        return simple(studio: studio, date: date, debit: "100201", credit: revenue, fund: fund, fen: fen, memo: "收到\(fund.chineseName)")
    }
}

extension TestLedger {
    public static func policy2025() throws -> Policy {
        let url = FixturesBundle.policyDirectory.appendingPathComponent("policy-2025.json")
        let decoder = JSONDecoder()
        return try decoder.decode(Policy.self, from: Data(contentsOf: url))
    }

    public static func holidayCalendar() throws -> HolidayCalendar {
        let url = FixturesBundle.holidayCalendar
        return try HolidayCalendar.parseCSV(String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    /// Posted vouchers built without a database: numbered 1…n per month and class in order.
    public static func posted(_ drafts: [VoucherDraft]) -> [PostedVoucher] {
        var numbers: [String: Int] = [:]
        return drafts.enumerated().map { index, draft in
            let key = "\(draft.studio)\(draft.period.key)\(draft.voucherClass.rawValue)"
            let number = (numbers[key] ?? 0) + 1
            numbers[key] = number
            let ref = VoucherRef(studio: draft.studio, period: draft.period, voucherClass: draft.voucherClass, number: number)
            return PostedVoucher(
                ref: ref, draft: draft, kind: .normal, postedBy: "测试员", postedAt: "2026-11-20T01:00:00Z", sequence: index + 1,
                previousHash: Canonical.genesis, hash: String(repeating: "a", count: 64))
        }
    }
}
