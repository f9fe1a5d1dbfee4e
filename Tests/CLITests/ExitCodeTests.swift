import FundApp
import FundCore
import FundReports
import Testing
@testable import workshop_ledger

/// The CLI decides exit codes in one place; each kind of failure has its own.
@Suite("exit codes")
struct ExitCodeTests {
    @Test("rejected input 2, failed checks and tampering 1, environment 3, a statement that does not tie 4")
    func outcomes() {
        let cases: [(any Error, Int32, String)] = [
            (Rejection(.voucherNumberInvalid, field: "number", "凭证号无效"), 2, "V029"),
            (LocatedRejection(file: "a.csv", line: 4, rejection: Rejection(.moneyTooManyDecimals, field: "借方金额", "三位小数")), 2, "a.csv:4"),
            (RejectionList(items: [LocatedRejection(file: "a.csv", line: 2, rejection: Rejection(.amountZero, "零"))]), 2, "数据库未作任何修改"),
            (CheckFailed("校验未通过"), 1, "校验未通过"),
            (IntegrityFailure(VerificationProblem(code: .evidenceCorrupt, studio: "", voucher: nil, message: "内容不符")), 1, "X012"),
            (StoreCorruption(table: "posting", rowID: nil, message: "未知资金 lottery"), 1, "posting"),
            (LedgerEnvironmentError("数据库 x 不存在"), 3, "x 不存在"),
            (LedgerBusy(waited: 10), 3, "错误：账簿正被其他操作占用，请稍后重试"),
            (ReportInconsistency(report: "科目余额表", detail: "借贷不平"), 4, "请把所用命令和数据库文件报告给开发者"),
        ]
        for (error, code, text) in cases {
            let (message, exit) = FundLedger.outcome(error)
            #expect(exit == code, "\(error)")
            #expect(message.contains(text), "\(message)")
        }
    }
}
