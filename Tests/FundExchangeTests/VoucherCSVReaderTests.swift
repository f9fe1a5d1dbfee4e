import Foundation
import FundCore
import Testing

@testable import FundExchange

/// A row error case: a file of a valid voucher (lines 2–3) followed by `bad` at line 4.
struct RowErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bad: String
    let code: RejectionCode
    let field: String

    var testDescription: String { name }
}

@Suite("Voucher CSV reader")
struct VoucherCSVReaderTests {
    // MARK: Accepted files

    @Test func twoVouchersWithMergedHeaderFields() throws {
        let text = csv([
            splitHeader,
            row(
                account: "500101", debit: "12,000.00", attachments: "3", settlement: "银行转账",
                counterparty: "某机床有限公司", reviewer: "王主管"),
            row(account: "100201", credit: "¥12,000.00", preparer: ""),
            row(
                date: "2025/11/05", number: "2", memo: "收到企业支持资金", account: "100201",
                fund: "企业支持资金",
                debit: "5000", attachments: "1"),
            row(
                date: "20251105", number: "2", memo: "收到企业支持资金", account: "400102",
                fund: "enterprise",
                credit: "5,000.00"),
        ])
        let vouchers = try reader().read(text: text)
        try #require(vouchers.count == 2)

        let first = vouchers[0]
        #expect(first.fileLines == [2, 3])
        #expect(
            first.draft
                == VoucherDraft(
                    studio: Fixture.studio, date: CalendarDate(year: 2025, month: 11, day: 3)!,
                    voucherClass: .ji,
                    lines: [
                        VoucherLine(
                            memo: "购置数控机床", account: "500101", fund: .subsidy, side: .debit,
                            amount: Money(fen: 1_200_000)),
                        VoucherLine(
                            memo: "购置数控机床", account: "100201", fund: .subsidy, side: .credit,
                            amount: Money(fen: 1_200_000)),
                    ],
                    attachments: 3, settlement: .bankTransfer, counterparty: "某机床有限公司",
                    preparer: "李会计",
                    reviewer: "王主管", poster: "", sourceRef: "记-1"))

        let second = vouchers[1]
        #expect(second.fileLines == [4, 5])
        #expect(second.draft.sourceRef == "记-2")
        #expect(second.draft.date == CalendarDate(year: 2025, month: 11, day: 5))
        #expect(second.draft.attachments == 1)
        #expect(second.draft.settlement == nil)
        #expect(second.draft.lines.map(\.fund) == [.enterprise, .enterprise])
        #expect(second.draft.lines.map(\.amount) == [Money(fen: 500_000), Money(fen: 500_000)])
        #expect(second.draft.lines.map(\.side) == [.debit, .credit])
    }

    @Test func bytesWithBOMAndCRLF() throws {
        let text = ([splitHeader] + pair(number: "1")).joined(separator: "\r\n") + "\r\n"
        let vouchers = try reader().read(TextEncoding.encode(text, as: .utf8, bom: true))
        #expect(vouchers.map(\.fileLines) == [[2, 3]])
    }

    @Test func englishHeadersInAnyOrderAndUnknownColumnsIgnored() throws {
        let text = csv([
            "Memo,科目名称,Account,Debit,Credit,Fund,Date,Number,Class,Preparer",
            "购置,培训设施设备购置,500101,100,,subsidy,2025-11-03,7,付,李会计",
            "购置,项目资金专户,100201,,100,subsidy,2025-11-03,7,付,李会计",
        ])
        let vouchers = try reader().read(text: text)
        #expect(vouchers.map(\.draft.sourceRef) == ["付-7"])
        #expect(vouchers.first?.draft.voucherClass == .fu)
        #expect(vouchers.first?.draft.lines.map(\.account) == ["500101", "100201"])
    }

    @Test(
        "凭证字号 column splits into class and number",
        arguments: [
            ("记-12", VoucherClass.ji, "记-12"),
            ("付-3", .fu, "付-3"),
            ("记12", .ji, "记-12"),
            ("转－7", .zhuan, "转-7"),
            ("收 0005", .shou, "收-5"),
            ("12", .ji, "记-12"),
        ])
    func classNumberColumn(value: String, voucherClass: VoucherClass, sourceRef: String) throws {
        let text = csv([
            "凭证日期,凭证字号,摘要,科目编码,资金来源,借方,贷方,制单人",
            "2025-11-03,\(value),购置,500101,补助资金,100,,李会计",
            "2025-11-03,\(value),购置,100201,补助资金,,100,李会计",
        ])
        let vouchers = try reader().read(text: text)
        #expect(vouchers.count == 1)
        #expect(vouchers.first?.draft.voucherClass == voucherClass)
        #expect(vouchers.first?.draft.sourceRef == sourceRef)
    }

    @Test(
        "金额 with 方向 reads like split columns",
        arguments: [
            ("借", "贷"), ("D", "C"), ("d", "c"), ("借方", "贷方"), ("debit", "credit"), ("Dr", "Cr"),
        ])
    func amountAndDirection(debitMark: String, creditMark: String) throws {
        let text = csv([
            "日期,凭证号,摘要,科目编码,资金来源,金额,方向,制单人",
            "2025-11-03,1,购置,500101,补助资金,\"1,234.56\",\(debitMark),李会计",
            "2025-11-03,1,购置,100201,补助资金,1234.56,\(creditMark),李会计",
        ])
        let vouchers = try reader().read(text: text)
        #expect(vouchers.first?.draft.lines.map(\.side) == [.debit, .credit])
        #expect(
            vouchers.first?.draft.lines.map(\.amount) == [Money(fen: 123_456), Money(fen: 123_456)])
    }

    @Test func kingdeeColumnNamesWithDefaultFund() throws {
        let text = csv([
            "FDATE,FGROUP,FNUM,FEXP,FACCTID,FAMOUNT,FDC,FPREPARE",
            "2025-11-03,记,1,差旅,500106,800,D,李会计",
            "2025-11-03,记,1,差旅,100201,800,C,李会计",
        ])
        let vouchers = try reader(defaultFund: .enterprise).read(text: text)
        #expect(vouchers.first?.draft.lines.map(\.fund) == [.enterprise, .enterprise])
        #expect(vouchers.first?.draft.lines.map(\.side) == [.debit, .credit])
    }

    @Test func defaultFundFillsBlankCellsOnly() throws {
        let text = csv([
            splitHeader,
            row(account: "500101", fund: "", debit: "100"),
            row(account: "100201", fund: "", credit: "100"),
            row(number: "2", account: "500101", fund: "自筹资金", debit: "100"),
            row(number: "2", account: "100201", fund: "自筹", credit: "100"),
        ])
        let vouchers = try reader(defaultFund: .subsidy).read(text: text)
        #expect(
            vouchers.map { $0.draft.lines.map(\.fund) } == [
                [.subsidy, .subsidy], [.selfRaised, .selfRaised],
            ])
    }

    @Test func missingClassDefaultsToJi() throws {
        let text = csv([
            "日期,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,制单人",
            "2025-11-03,4,购置,500101,补助资金,100,,李会计",
            "2025-11-03,4,购置,100201,补助资金,,100,李会计",
        ])
        #expect(try reader().read(text: text).first?.draft.sourceRef == "记-4")
    }

    @Test func sameNumberInAnotherMonthIsAnotherVoucher() throws {
        let text = csv([splitHeader] + pair(number: "1") + pair(number: "1", date: "2025-12-01"))
        let vouchers = try reader().read(text: text)
        #expect(vouchers.map(\.fileLines) == [[2, 3], [4, 5]])
    }

    // MARK: Row errors

    static let rowErrors: [RowErrorCase] = [
        RowErrorCase(
            name: "date that does not exist",
            bad: row(date: "2025-02-30", number: "2", account: "500101", debit: "1"),
            code: .dateInvalid, field: "日期"),
        RowErrorCase(
            name: "unknown voucher class",
            bad: row(voucherClass: "甲", number: "2", account: "500101", debit: "1"),
            code: .voucherClassUnknown, field: "凭证字"),
        RowErrorCase(
            name: "number not a number", bad: row(number: "x", account: "500101", debit: "1"),
            code: .importNumber, field: "凭证号"),
        RowErrorCase(
            name: "number zero", bad: row(number: "0", account: "500101", debit: "1"),
            code: .importNumber, field: "凭证号"),
        RowErrorCase(
            name: "letters in the debit", bad: row(number: "2", account: "500101", debit: "12a"),
            code: .moneyInvalidCharacter, field: "借方金额"),
        RowErrorCase(
            name: "three decimals", bad: row(number: "2", account: "500101", debit: "12.345"),
            code: .moneyTooManyDecimals, field: "借方金额"),
        RowErrorCase(
            name: "bad grouping in the credit",
            bad: row(number: "2", account: "500101", credit: "1,00"),
            code: .moneyBadGrouping, field: "贷方金额"),
        RowErrorCase(
            name: "both debit and credit",
            bad: row(number: "2", account: "500101", debit: "1", credit: "1"),
            code: .importDebitCredit, field: "借方金额"),
        RowErrorCase(
            name: "neither debit nor credit",
            bad: row(number: "2", account: "500101", debit: "0.00"),
            code: .importDebitCredit, field: "借方金额"),
        RowErrorCase(
            name: "unknown fund",
            bad: row(number: "2", account: "500101", fund: "挪用资金", debit: "1"),
            code: .fundUnknown, field: "资金来源"),
    ]

    @Test("a row error names file, line and column", arguments: rowErrors)
    func rowError(example: RowErrorCase) {
        let list = importErrors(csv([splitHeader] + pair(number: "1") + [example.bad]))
        #expect(summaries(list) == [ErrorSummary(4, example.code, example.field)])
        #expect(list?.items.allSatisfy { $0.file == Fixture.file } == true)
        #expect(list?.truncated == false)
    }

    @Test func invoiceErrorsNameTheirColumn() {
        let text = csv([
            "日期,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,发票代码,发票号码,制单人",
            "2025-11-03,1,购置,500101,补助资金,100,,,123,李会计",
            "2025-11-03,1,购置,100201,补助资金,,100,,,李会计",
        ])
        let list = importErrors(text)
        #expect(summaries(list).first == ErrorSummary(2, .invoiceKeyInvalid, "发票号码"))
    }

    @Test func everyFieldErrorOfARowIsCollected() {
        let bad = row(date: "2025-13-01", number: "x", account: "500101", fund: "?", debit: "1.001")
        let list = importErrors(csv([splitHeader, bad]))
        #expect(
            summaries(list).map(\.code) == [
                .dateInvalid, .importNumber, .fundUnknown, .moneyTooManyDecimals,
            ])
        #expect(summaries(list).allSatisfy { $0.line == 2 })
    }

    @Test func threeIndependentErrorsAreAllReported() {
        let fine = pair(number: "1")  // lines 2–3
        let unknownAccount = [  // line 5 names an account the chart lacks
            row(number: "2", account: "500101", debit: "100"),
            row(number: "2", account: "9999", credit: "100"),
        ]
        let unbalanced = [  // lines 6–7 differ by 10.00
            row(number: "3", account: "500101", debit: "100"),
            row(number: "3", account: "100201", credit: "90"),
        ]
        let badDate = [row(date: "2025-13-01", number: "4", account: "500101", debit: "1")]  // line 8
        let text = csv([splitHeader] + fine + unknownAccount + unbalanced + badDate)
        let found = summaries(importErrors(text)).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        #expect(
            found == [
                ErrorSummary(5, .accountUnknown, "科目编码"),
                ErrorSummary(6, .fundUnbalanced, "分录"),
                ErrorSummary(8, .dateInvalid, "日期"),
            ])
    }

    // MARK: Header errors

    @Test(
        "missing columns are I002 on line 1",
        arguments: [
            "日期,凭证号,科目编码,资金来源,借方金额,贷方金额",  // no 摘要
            "日期,凭证号,摘要,资金来源,借方金额,贷方金额",  // no 科目编码
            "凭证号,摘要,科目编码,资金来源,借方金额,贷方金额",  // no 日期
            "日期,凭证字,摘要,科目编码,资金来源,借方金额,贷方金额",  // no 凭证号
            "日期,凭证号,摘要,科目编码,借方金额,贷方金额",  // no 资金来源 and no default fund
            "日期,凭证号,摘要,科目编码,资金来源,借方金额",  // debit without credit
            "日期,凭证号,摘要,科目编码,资金来源,金额",  // amount without direction
            "日期,凭证号,摘要,科目编码,资金来源,借方金额,方向",  // half of each layout
        ])
    func missingColumn(header: String) {
        let list = importErrors(csv([header, "2025-11-03,1,购置,500101,补助资金,100,"]))
        #expect(summaries(list) == [ErrorSummary(1, .importColumnMissing, nil)])
    }

    @Test(
        "two columns meaning the same are I003",
        arguments: [
            ("日期,凭证号,摘要,科目编码,资金来源,借方,借方金额,贷方金额", "借方金额"),
            ("日期,凭证日期,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额", "凭证日期"),
            ("日期,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,Memo", "Memo"),
        ])
    func duplicateColumn(header: String, field: String) {
        let list = importErrors(csv([header, "2025-11-03,1,购置,500101,补助资金,100,,"]))
        #expect(summaries(list) == [ErrorSummary(1, .importColumnDuplicate, field)])
    }

    // MARK: File-structure errors

    @Test func shortRowIsI004() {
        let list = importErrors(csv([splitHeader] + pair(number: "1") + ["2025-11-03,记,2"]))
        #expect(summaries(list) == [ErrorSummary(4, .importFieldCount, nil)])
    }

    @Test func nonAdjacentRowsOfOneVoucherAreI005() {
        let text = csv([splitHeader] + pair(number: "1") + pair(number: "2") + pair(number: "1"))
        #expect(
            summaries(importErrors(text)) == [
                ErrorSummary(6, .importVoucherConflict, "凭证号"),
                ErrorSummary(7, .importVoucherConflict, "凭证号"),
            ])
    }

    @Test func sameNumberOnAnotherDayOfTheMonthIsI005() {
        let text = csv([splitHeader] + pair(number: "1") + pair(number: "1", date: "2025-11-04"))
        #expect(
            summaries(importErrors(text)) == [
                ErrorSummary(4, .importVoucherConflict, "凭证号"),
                ErrorSummary(5, .importVoucherConflict, "凭证号"),
            ])
    }

    @Test func conflictingHeaderFieldsAreI005() {
        let text = csv([
            splitHeader,
            row(account: "500101", debit: "100", preparer: "李会计"),
            row(account: "100201", credit: "100", preparer: "王会计"),
        ])
        #expect(summaries(importErrors(text)) == [ErrorSummary(3, .importVoucherConflict, "制单人")])
    }

    @Test(
        "bad header-field values name their column",
        arguments: [
            ("三", "", RejectionCode.importNumber, "附单据数"),
            ("-1", "", .importNumber, "附单据数"),
            ("", "支付宝", .settlementUnknown, "结算方式"),
        ])
    func badHeaderFieldValues(
        attachments: String, settlement: String, code: RejectionCode, field: String
    ) {
        let text = csv([
            splitHeader,
            row(account: "500101", debit: "100"),
            row(account: "100201", credit: "100", attachments: attachments, settlement: settlement),
        ])
        #expect(summaries(importErrors(text)) == [ErrorSummary(3, code, field)])
    }

    @Test(
        "bad direction is I007",
        arguments: ["X", "", "借贷"])
    func badDirection(mark: String) {
        let text = csv([
            "日期,凭证号,摘要,科目编码,资金来源,金额,方向,制单人",
            "2025-11-03,1,购置,500101,补助资金,100,借,李会计",
            "2025-11-03,2,购置,100201,补助资金,100,\(mark),李会计",
        ])
        #expect(summaries(importErrors(text)).contains(ErrorSummary(3, .importDirection, "方向")))
    }

    @Test(
        "files without voucher rows are I008",
        arguments: [
            (csv([splitHeader]), 1 as Int?),
            (splitHeader, 1),
            ("", nil),
            ("\n\n", nil),
        ])
    func empty(text: String, line: Int?) {
        #expect(summaries(importErrors(text)) == [ErrorSummary(line, .importEmpty, nil)])
    }

    @Test func quotingErrorIsI010() {
        let list = importErrors(csv([splitHeader, "2025-11-03,记,1,\"购置,500101"]))
        #expect(summaries(list) == [ErrorSummary(nil, .importQuoting, nil)])
    }

    // MARK: Voucher errors mapped back to rows

    @Test func unbalancedVoucherIsReportedAtItsFirstLine() {
        let text = csv([
            splitHeader,
            row(account: "500101", debit: "100"),
            row(account: "100201", credit: "99.99"),
        ])
        #expect(summaries(importErrors(text)) == [ErrorSummary(2, .fundUnbalanced, "分录")])
    }

    @Test(
        "a line rejection is reported at its own row",
        arguments: [
            ("9999", "补助资金", RejectionCode.accountUnknown, "科目编码"),
            ("5001", "补助资金", .accountNotLeaf, "科目编码"),
            ("121802", "企业支持资金", .accountFundRestricted, "资金来源"),
        ])
    func lineRejectionMapsToRow(account: String, fund: String, code: RejectionCode, field: String) {
        let text = csv(
            [splitHeader] + pair(number: "1")  // lines 2–3
                + [""]  // line 4, blank: skipped but counted
                + [
                    row(number: "2", account: "500101", fund: fund, debit: "100"),  // line 5
                    row(number: "2", account: "500102", fund: fund, debit: "50"),  // line 6
                    row(number: "2", account: account, fund: fund, credit: "150"),
                ])  // line 7
        #expect(summaries(importErrors(text)) == [ErrorSummary(7, code, field)])
    }

    /// A quoted field across two lines is read as one field (and refused as a memo: a line
    /// break is a control character, V030); the rows after it keep their file line numbers.
    @Test func quotedMultiLineMemoKeepsLaterLinesRight() {
        let text = csv(
            [
                splitHeader, row(memo: "购置\n数控机床", account: "500101", debit: "100"),  // lines 2–3
                row(account: "100201", credit: "100"),  // line 4
                row(number: "2", account: "500101", debit: "100"),  // line 5
                row(number: "2", account: "9999", credit: "100"),  // line 6
            ])
        #expect(
            summaries(importErrors(text)) == [
                ErrorSummary(2, .textControlCharacter, "摘要"), ErrorSummary(6, .accountUnknown, "科目编码"),
            ])
    }

    // MARK: Error-list limit

    @Test(
        "the error list stops at Limits.importErrorsMax",
        arguments: [(199, 199, false), (200, 200, false), (201, 200, true), (250, 200, true)])
    func truncation(badRows: Int, listed: Int, truncated: Bool) throws {
        let rows = (1...badRows).map {
            row(date: "2025-13-01", number: String($0), account: "500101", debit: "1")
        }
        let list = try #require(importErrors(csv([splitHeader] + rows)))
        #expect(list.items.count == listed)
        #expect(list.truncated == truncated)
        #expect(list.items.map(\.line) == (2..<(2 + listed)).map { $0 })
    }
}
