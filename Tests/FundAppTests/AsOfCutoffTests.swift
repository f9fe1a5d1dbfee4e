@testable import FundApp
import FundCore
import FundExchange
import FundRender
import FundReports
import FundStore
import FundTestSupport
import Foundation
import Testing

/// One as-of cutoff for everything: vouchers dated after the day are out, even inside its
/// month, whether the books are read by a statement, the check, the evaluation or a package.
@Suite("one as-of cutoff")
struct AsOfCutoffTests {
    typealias T = TestLedger

    /// S1 with the subsidy received, a training expense on 2026-03-10 (¥1,234.00) and a
    /// 500106 expense on 2026-03-20 (¥800.00, a SUB-002 finding); as of 2026-03-15 only the
    /// first is in.
    static func books() throws -> LedgerApp {
        let app = try T.app()
        _ = try app.store.books.post(
            [
                T.receipt(fund: .subsidy, fen: 3_000_000),
                T.simple(date: "2026-03-10", debit: "500102", credit: "100201", fen: 123_400, memo: "三月上旬培训费"),
                T.simple(date: "2026-03-20", debit: "500106", credit: "100201", fen: 80_000, memo: "三月下旬支出"),
            ],
            stamp: Stamp(user: "u", at: "t", today: T.date("2026-11-20")))
        return app
    }

    static let midMonth = T.date("2026-03-15")

    func json(_ built: AnyReport) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: try built.json()) as? [String: Any])
    }

    @Test("trial balance, fund statement, expense detail, journal, findings, evaluation and the package agree on what is in")
    func midMonth() throws {
        let app = try Self.books()
        let day = Self.midMonth
        let statements = app.statements

        // 科目余额表: the March debit turnover of the subsidy book holds the 10th, not the 20th.
        let balance = try statements.buildReport(ReportRequest(kind: .trialBalance, studio: "S1", fund: .subsidy, asOf: day))
        let balanceValue = try #require(balance.value as? TrialBalanceStatement)
        let expenses = balanceValue.sections.flatMap(\.lines).filter { $0.account.hasPrefix("5") && $0.isLeaf }
        #expect(expenses.map(\.debitFen.fen).reduce(0, +) == 123_400)
        #expect(balanceValue.to.iso == "2026-03")

        // 专项资金收支情况表 and 支出明细表.
        let statement = try #require(try statements.buildReport(ReportRequest(kind: .fundStatement, studio: "S1", asOf: day)).value as? FundStatement)
        #expect(statement.spentFen.fen == 123_400)
        #expect(statement.receivedFen.fen == 3_000_000)
        let detail = try statements.buildReport(ReportRequest(kind: .expenseDetail, studio: "S1", asOf: day))
        let detailText = String(decoding: try detail.json(), as: UTF8.self)
        #expect(detailText.contains("三月上旬培训费"))
        #expect(!detailText.contains("三月下旬支出"))

        // 序时账.
        let journal = String(decoding: try statements.buildReport(ReportRequest(kind: .journal, studio: "S1", asOf: day)).json(), as: UTF8.self)
        #expect(journal.contains("三月上旬培训费") && !journal.contains("三月下旬支出"))

        // Findings: the 20th's voucher raises its finding only from the 20th on.
        let early = try app.compliance.check(studio: "S1", asOf: day)
        let late = try app.compliance.check(studio: "S1", asOf: T.date("2026-03-20"))
        #expect(early.summary.vouchers == 2)
        #expect(late.summary.vouchers == 3)
        #expect(!early.findings.contains { $0.voucher?.period == "2026-03" && $0.amountFen == 80_000 })
        #expect(late.findings.contains { $0.voucher?.period == "2026-03" && $0.amountFen == 80_000 })
        let findingsReport = String(decoding: try statements.buildReport(ReportRequest(kind: .findings, studio: "S1", asOf: day)).json(), as: UTF8.self)
        #expect(!findingsReport.contains("三月下旬支出"))

        // The evaluation reads the same fund statement.
        let evaluation = try app.evaluation.evaluate(studio: "S1", asOf: day).value
        let subsidy = try #require(evaluation.funds.first { $0.fund == .subsidy })
        #expect(subsidy.spentFen.fen == 123_400)

        // The audit package: the manifest counts the vouchers in, the AO voucher table holds
        // the 10th and not the 20th.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-asof-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("host.ed25519")
        _ = try app.packages.generateSigningKey(hostUnit: T.hostCode.description, file: keyFile)
        let package = try app.packages.auditPackage(studio: "S1", asOf: day, keyFile: keyFile)
        let verification = AuditPackage.verify(package)
        #expect(verification.isClean)
        #expect(verification.manifest?.coverage.vouchers == 2)
        #expect(verification.manifest?.coverage.asOf == day)
        let files = try AuditPackage.contents(of: package)
        let vouchers = try #require(files.first { $0.key.hasSuffix("UTF-8/凭证库.csv") }?.value)
        let text = String(decoding: vouchers, as: UTF8.self)
        #expect(text.contains("三月上旬培训费") && !text.contains("三月下旬支出"))
    }

    @Test("without --as-of the cutoff is today by the app's clock")
    func defaultsToToday() throws {
        let app = try Self.books()
        #expect(app.cutoff(nil) == T.clock.today())
        #expect(app.cutoff(Self.midMonth) == Self.midMonth)
        let statement = try #require(try app.statements.buildReport(ReportRequest(kind: .fundStatement, studio: "S1")).value as? FundStatement)
        #expect(statement.spentFen.fen == 203_400)
    }
}

extension AsOfCutoffTests {
    @Test("the fast trial balance from month balances gives what the statement gives, mid-month and at month end")
    func fastTrialBalance() throws {
        let app = try Self.books()
        for day in [Self.midMonth, T.date("2026-03-31"), T.date("2026-11-20")] {
            let fast = try app.books.trialBalance(studio: "S1", fund: .subsidy, asOf: day)
            let statement = try #require(
                try app.statements.buildReport(ReportRequest(kind: .trialBalance, studio: "S1", fund: .subsidy, asOf: day)).value
                    as? TrialBalanceStatement)
            let fastDebits = fast.sections[0].rows.filter(\.isLeaf).map(\.debit.fen).reduce(0, +)
            let statementDebits = statement.sections[0].lines.filter(\.isLeaf).map(\.debitFen.fen).reduce(0, +)
            #expect(fastDebits == statementDebits, "as of \(day.iso)")
            #expect(fastDebits == (day == Self.midMonth ? 3_000_000 + 123_400 : 3_000_000 + 203_400), "as of \(day.iso)")
        }
    }
}
