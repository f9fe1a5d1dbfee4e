import Testing

@testable import FundCore

/// One row of a validation table: a draft and the rejection it must get (nil = valid).
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let name: String
    let draft: VoucherDraft
    let code: RejectionCode?
    let lineIndex: Int?

    init(_ name: String, _ draft: VoucherDraft, _ code: RejectionCode?, line lineIndex: Int? = nil)
    {
        self.name = name
        self.draft = draft
        self.code = code
        self.lineIndex = lineIndex
    }

    var testDescription: String { name }
}

private let maxFen = Limits.lineAmountFenMax

/// `pairs` balanced debit/credit pairs of 1.00 yuan each.
private func pairs(_ count: Int) -> [VoucherLine] {
    (0..<count).flatMap { _ in [line("500109", .debit, 100), line("100201", .credit, 100)] }
}

@Suite("Voucher validation")
struct VoucherValidationTests {
    static let rejected: [ValidationCase] = [
        ValidationCase("V001 no lines", draft([]), .voucherNoLines),
        ValidationCase(
            "V026 single line", draft([line("500101", .debit, 100)]), .voucherSingleLine),
        ValidationCase(
            "V002 501 lines", draft(pairs(250) + [line("500109", .debit, 100)]),
            .voucherTooManyLines),
        ValidationCase(
            "V003 zero amount",
            draft([
                line("500101", .debit, 100), line("100201", .credit, 0),
                line("100201", .credit, 100),
            ]),
            .amountZero, line: 1),
        ValidationCase(
            "V027 negative amount in a normal voucher",
            draft([line("500101", .debit, -100), line("100201", .credit, -100)]),
            .redLinesOutsideReversal, line: 0),
        ValidationCase(
            "V005 amount above the line maximum",
            draft([
                line("500101", .debit, maxFen), line("500101", .debit, 1),
                line("100201", .credit, maxFen + 1),
            ]),
            .amountTooLarge, line: 2),
        ValidationCase(
            "V006 debit and credit differ",
            draft([line("500101", .debit, 10_000), line("100201", .credit, 9_000)]), .fundUnbalanced
        ),
        ValidationCase(
            "V006 balanced in total but not per fund",
            draft([
                line("500101", .debit, 10_000, fund: .subsidy),
                line("100201", .credit, 10_000, fund: .enterprise),
            ]),
            .fundUnbalanced),
        ValidationCase(
            "V007 clearing leg without its counterpart",
            draft([
                line("1901", .debit, 50_000, fund: .subsidy),
                line("100201", .credit, 50_000, fund: .subsidy),
                line("100201", .debit, 50_000, fund: .enterprise),
                line("400102", .credit, 50_000, fund: .enterprise),
            ]),
            .clearingNotNetted),
        ValidationCase(
            "V008 unknown account",
            draft([line("500101", .debit, 100), line("9999", .credit, 100)]), .accountUnknown,
            line: 1),
        ValidationCase(
            "V009 parent account",
            draft([line("5001", .debit, 100), line("100201", .credit, 100)]), .accountNotLeaf,
            line: 0),
        ValidationCase(
            "V010 account restricted to another fund",
            draft([
                line("100201", .debit, 100, fund: .enterprise),
                line("100201", .credit, 100, fund: .enterprise),
                line("121802", .debit, 100, fund: .enterprise),
                line("400102", .credit, 100, fund: .enterprise),
            ]),
            .accountFundRestricted, line: 2),
        ValidationCase(
            "V011 empty memo",
            draft([line("500101", .debit, 100), line("100201", .credit, 100, memo: " \u{3000} ")]),
            .memoEmpty, line: 1),
        ValidationCase(
            "V012 memo longer than 200 characters",
            draft([
                line("500101", .debit, 100, memo: String(repeating: "购", count: 201)),
                line("100201", .credit, 100),
            ]),
            .memoTooLong, line: 0),
        ValidationCase(
            "V013 negative attachments", draft(pairs(1), attachments: -1), .attachmentsOutOfRange),
        ValidationCase(
            "V013 too many attachments", draft(pairs(1), attachments: 10_000),
            .attachmentsOutOfRange),
        ValidationCase("V015 preparer missing", draft(pairs(1), preparer: ""), .preparerMissing),
        ValidationCase("V015 preparer blank", draft(pairs(1), preparer: "  "), .preparerMissing),
        ValidationCase(
            "S007 preparer name too long",
            draft(pairs(1), preparer: String(repeating: "李", count: 101)),
            .fieldTooLong),
    ]

    static let accepted: [ValidationCase] = [
        ValidationCase("simple purchase", purchase(), nil),
        ValidationCase(
            "split purchase across two funds",
            draft([
                line("500101", .debit, 2_000_000, fund: .subsidy),
                line("500101", .debit, 1_000_000, fund: .enterprise),
                line("100201", .credit, 2_000_000, fund: .subsidy),
                line("100201", .credit, 1_000_000, fund: .enterprise),
            ]),
            nil),
        ValidationCase(
            "transfer between funds through 1901 netting to zero",
            draft([
                line("1901", .debit, 50_000, fund: .enterprise, memo: "企业支持资金划入补助资金专户"),
                line("100201", .credit, 50_000, fund: .enterprise, memo: "企业支持资金划入补助资金专户"),
                line("100201", .debit, 50_000, fund: .subsidy, memo: "企业支持资金划入补助资金专户"),
                line("1901", .credit, 50_000, fund: .subsidy, memo: "企业支持资金划入补助资金专户"),
            ]),
            nil),
        ValidationCase(
            "fund-restricted account in its own fund",
            draft([line("121802", .debit, 3_000_000), line("400101", .credit, 3_000_000)]), nil),
        ValidationCase(
            "amount exactly at the line maximum",
            draft([line("500101", .debit, maxFen), line("100201", .credit, maxFen)]), nil),
        ValidationCase(
            "memo of exactly 200 characters",
            draft([
                line("500101", .debit, 1, memo: String(repeating: "购", count: 200)),
                line("100201", .credit, 1),
            ]),
            nil),
        ValidationCase("exactly 500 lines", draft(pairs(250)), nil),
        ValidationCase("no attachments", draft(pairs(1), attachments: 0), nil),
        ValidationCase("9999 attachments", draft(pairs(1), attachments: 9_999), nil),
    ]

    @Test("each rejection code with its line", arguments: rejected + accepted)
    func validate(example: ValidationCase) {
        let result = rejection { () throws(Rejection) in
            try VoucherValidation.validate(example.draft, chart: Fixture.chart)
        }
        #expect(result?.code == example.code, "\(result?.description ?? "accepted")")
        #expect(result?.lineIndex == example.lineIndex)
    }

    @Test func rejectionTableCoversEveryCodeValidateCanRaise() {
        let raised = Set(Self.rejected.compactMap(\.code))
        let expected: Set<RejectionCode> = [
            .voucherNoLines, .voucherSingleLine, .voucherTooManyLines, .amountZero,
            .redLinesOutsideReversal, .amountTooLarge, .fundUnbalanced, .clearingNotNetted,
            .accountUnknown, .accountNotLeaf, .accountFundRestricted, .memoEmpty, .memoTooLong,
            .attachmentsOutOfRange, .preparerMissing, .fieldTooLong,
        ]
        #expect(raised == expected)
    }
}

// MARK: - Red reversals

/// A three-line voucher posted as 记-0003 of 2025-11, dated 2025-11-03.
private func postedOriginal() -> PostedVoucher {
    let original = draft([
        line("500101", .debit, 2_000_000),
        line("500102", .debit, 1_000_000),
        line("100201", .credit, 3_000_000),
    ])
    let ref = VoucherRef(
        studio: Fixture.studio, period: month(2025, 11), voucherClass: .ji, number: 3)
    return PostedVoucher(
        ref: ref, draft: original, kind: .normal, postedBy: Fixture.preparer,
        postedAt: "2025-11-03T08:15:00Z", sequence: 3, previousHash: Canonical.genesis,
        hash: String(repeating: "a", count: 64))
}

private func redReversal() -> VoucherDraft {
    VoucherDraft.redReversal(
        of: postedOriginal(), date: day(2025, 11, 20), preparer: "王会计", reason: "科目记错")
}

/// Edits of a correct red reversal that must each be refused with V023.
enum ReversalEdit: String, CaseIterable, Sendable {
    case amount, account, side, fund, droppedLine, addedLine, positiveAmounts

    func apply(to reversal: inout VoucherDraft) {
        let first = reversal.lines[0]
        switch self {
        case .amount:
            // Still balanced, so only the mirror check can catch it.
            reversal.lines[0] = line(first.account, first.side, -1_999_999, memo: first.memo)
            reversal.lines[2] = line("100201", .credit, -2_999_999, memo: first.memo)
        case .account:
            reversal.lines[0] = line("500103", first.side, first.amount.fen, memo: first.memo)
        case .side:
            reversal.lines[0] = line(first.account, .credit, first.amount.fen, memo: first.memo)
        case .fund:
            reversal.lines[0] = line(
                first.account, first.side, first.amount.fen, fund: .enterprise, memo: first.memo)
        case .droppedLine:
            reversal.lines = [
                reversal.lines[0], line("100201", .credit, -2_000_000, memo: first.memo),
            ]
        case .addedLine:
            reversal.lines += [
                line("500103", .debit, -5, memo: first.memo),
                line("100201", .credit, -5, memo: first.memo),
            ]
        case .positiveAmounts:
            reversal.lines = postedOriginal().draft.lines
        }
    }

    /// The line the mismatch is reported on; nil when the line counts differ.
    var lineIndex: Int? {
        switch self {
        case .amount, .account, .side, .fund, .positiveAmounts: return 0
        case .droppedLine, .addedLine: return nil
        }
    }
}

@Suite("Red reversal")
struct RedReversalTests {
    @Test func reversalMirrorsTheOriginal() throws {
        let original = postedOriginal()
        let red = redReversal()
        #expect(red.lines.count == 3)
        for (redLine, blueLine) in zip(red.lines, original.draft.lines) {
            #expect(redLine.account == blueLine.account)
            #expect(redLine.fund == blueLine.fund)
            #expect(redLine.side == blueLine.side)
            #expect(redLine.amount == blueLine.amount.negated)
            #expect(redLine.invoice == nil)
        }
        #expect(red.studio == Fixture.studio)
        #expect(red.date == day(2025, 11, 20))
        #expect(red.voucherClass == .ji)
        #expect(red.preparer == "王会计")
        #expect(red.attachments == 0)
        #expect(red.sourceRef == "冲销原因：科目记错")
        try VoucherValidation.validateReversal(red, of: original.draft, chart: Fixture.chart)
    }

    @Test func memoNamesTheReversedVoucher() {
        for redLine in redReversal().lines {
            #expect(redLine.memo == "注销 2025年11月3日 记-0003 号凭证")
        }
    }

    @Test("edited reversals are V023", arguments: ReversalEdit.allCases)
    func editedReversal(edit: ReversalEdit) {
        var red = redReversal()
        edit.apply(to: &red)
        let result = rejection { () throws(Rejection) in
            try VoucherValidation.validateReversal(
                red, of: postedOriginal().draft, chart: Fixture.chart)
        }
        #expect(result?.code == .reversalMismatch, "\(result?.description ?? "accepted")")
        #expect(result?.lineIndex == edit.lineIndex)
    }

    @Test func normalValidationRefusesRedLines() {
        let code = rejectionCode { () throws(Rejection) in
            try VoucherValidation.validate(redReversal(), chart: Fixture.chart)
        }
        #expect(code == .redLinesOutsideReversal)
    }

    @Test(
        "voucher labels",
        arguments: [(1, "记-0001"), (3, "记-0003"), (9_999, "记-9999"), (12_345, "记-12345")])
    func labels(number: Int, label: String) {
        let ref = VoucherRef(
            studio: Fixture.studio, period: month(2025, 11), voucherClass: .ji, number: number)
        #expect(ref.label == label)
        #expect(ref.description == "ZY2025-001 2025-11 " + label)
    }
}
