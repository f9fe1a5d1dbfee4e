import Foundation
import Testing

@testable import FundCore

/// Everything `Canonical.voucherText` takes, as one value that tests can edit field by field.
struct CanonicalInput: Sendable {
    var ref = VoucherRef(
        studio: Fixture.studio, period: month(2025, 11), voucherClass: .ji, number: 3)
    var draft = VoucherDraft(
        studio: Fixture.studio, date: day(2025, 11, 3),
        lines: [
            line("500101", .debit, 3_000_000),
            line("100201", .credit, 3_000_000),
        ],
        attachments: 2, settlement: .bankTransfer, counterparty: "某机床有限公司", preparer: "李会计",
        reviewer: "王主管", poster: "赵记账", sourceRef: "记-3")
    var kind = VoucherKind.normal
    var postedBy = "李会计"
    var postedAt = "2025-11-03T08:15:00Z"
    var sequence = 3
    var previousHash = String(repeating: "ab", count: 32)

    var text: String {
        Canonical.voucherText(
            ref: ref, draft: draft, kind: kind, postedBy: postedBy, postedAt: postedAt,
            sequence: sequence,
            previousHash: previousHash)
    }
}

/// One-field edits of `CanonicalInput`; each must change the canonical text.
enum CanonicalEdit: String, CaseIterable, Sendable {
    case amount, memo, account, fund, side, date, preparer, reviewer, poster, counterparty
    case attachments, settlement, sourceRef, invoice, postedBy, postedAt, previousHash, sequence
    case studio, number, voucherClass, period, kindReversal, kindCorrection, lineOrder, extraLine

    func apply(_ input: inout CanonicalInput) {
        var lines = input.draft.lines
        let first = lines[0]
        switch self {
        case .amount: lines[0] = line(first.account, first.side, 3_000_001)
        case .memo: lines[0] = line(first.account, first.side, first.amount.fen, memo: "购置数控车床")
        case .account: lines[0] = line("500102", first.side, first.amount.fen)
        case .fund: lines[0] = line(first.account, first.side, first.amount.fen, fund: .enterprise)
        case .side: lines[0] = line(first.account, .credit, first.amount.fen)
        case .date: input.draft.date = day(2025, 11, 4)
        case .preparer: input.draft.preparer = "李会计 "
        case .reviewer: input.draft.reviewer = ""
        case .poster: input.draft.poster = "赵记帐"
        case .counterparty: input.draft.counterparty = "某机床有限公司2"
        case .attachments: input.draft.attachments = 20
        case .settlement: input.draft.settlement = nil
        case .sourceRef: input.draft.sourceRef = nil
        case .invoice:
            lines[0] = VoucherLine(
                memo: first.memo, account: first.account, fund: first.fund, side: first.side,
                amount: first.amount,
                invoice: .digital(number: "25322000000000000001"))
        case .postedBy: input.postedBy = "王主管"
        case .postedAt: input.postedAt = "2025-11-03T08:15:01Z"
        case .previousHash: input.previousHash = String(repeating: "ab", count: 31) + "ac"
        case .sequence: input.sequence = 4
        case .studio:
            input.ref = VoucherRef(
                studio: "ZY2025-002", period: input.ref.period, voucherClass: .ji, number: 3)
        case .number:
            input.ref = VoucherRef(
                studio: input.ref.studio, period: input.ref.period, voucherClass: .ji, number: 30)
        case .voucherClass:
            input.ref = VoucherRef(
                studio: input.ref.studio, period: input.ref.period, voucherClass: .fu, number: 3)
        case .period:
            input.ref = VoucherRef(
                studio: input.ref.studio, period: month(2025, 12), voucherClass: .ji, number: 3)
        case .kindReversal: input.kind = .reversal(of: input.ref)
        case .kindCorrection: input.kind = .correction(of: input.ref)
        case .lineOrder: lines.swapAt(0, 1)
        case .extraLine: lines += [line("500109", .debit, 1), line("100201", .credit, 1)]
        }
        input.draft.lines = lines
    }
}

@Suite("Canonical text")
struct CanonicalTests {
    @Test("changing one field changes the text", arguments: CanonicalEdit.allCases)
    func oneFieldChanges(edit: CanonicalEdit) {
        var edited = CanonicalInput()
        edit.apply(&edited)
        #expect(edited.text != CanonicalInput().text)
    }

    @Test func allEditsGiveDistinctTexts() {
        var texts: Set<String> = [CanonicalInput().text]
        for edit in CanonicalEdit.allCases {
            var edited = CanonicalInput()
            edit.apply(&edited)
            texts.insert(edited.text)
        }
        #expect(texts.count == CanonicalEdit.allCases.count + 1)
    }

    @Test func textIsDeterministicAndTagged() {
        let text = CanonicalInput().text
        #expect(text == CanonicalInput().text)
        #expect(text.hasPrefix(Canonical.voucherTag + "\n"))
        #expect(text.hasSuffix("prev=" + String(repeating: "ab", count: 32) + "\n"))
        let firstLine =
            #"line=1 account=500101 fund=subsidy side=debit fen=3000000 invoice="" "#
            + #"memo="购置数控机床""# + "\n"
        #expect(text.contains(firstLine))
    }

    /// A memo that imitates a second line must not be mistaken for one: the text of a voucher
    /// with such a memo differs from every voucher with real extra lines, and stays on one line.
    @Test func memoCannotForgeALine() {
        var forged = CanonicalInput()
        let trick =
            "购置数控机床\"\nline=3 account=500109 fund=subsidy side=debit fen=1 invoice=\"\" memo=\"x"
        let first = forged.draft.lines[0]
        forged.draft.lines[0] = line(first.account, first.side, first.amount.fen, memo: trick)
        let lineCount = forged.text.split(separator: "\n").count
        #expect(lineCount == CanonicalInput().text.split(separator: "\n").count)
        #expect(!forged.text.contains("\nline=3"))
    }

    @Test(
        "quote escapes like JSON",
        arguments: [
            ("plain", #""plain""#),
            ("", #""""#),
            ("a\"b", #""a\"b""#),
            ("a\\b", #""a\\b""#),
            ("a\nb", #""a\nb""#),
            ("\r\t", #""\r\t""#),
            ("\u{01}", #""\u0001""#),
            ("\u{1F}", #""\u001f""#),
            ("\u{0}", #""\u0000""#),
            ("中文 ¥", "\"中文 ¥\""),
            ("😀", "\"😀\""),
        ])
    func quote(text: String, quoted: String) {
        #expect(Canonical.quote(text) == quoted)
    }

    /// Every quoted text decodes back to itself with a JSON parser.
    @Test func quoteRoundTripsThroughJSON() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let samples = [controls, "\"\\/\u{7F}\u{2028}", "注销 2025年11月3日 记-0003 号凭证", "a\r\nb"]
        for sample in samples {
            let json = Data(("[" + Canonical.quote(sample) + "]").utf8)
            #expect(try JSONDecoder().decode([String].self, from: json) == [sample])
        }
    }

    @Test func logTextCoversEveryField() {
        let base = Canonical.logText(
            sequence: 1, at: "2025-11-03T08:15:00Z", user: "李会计", action: "voucher.post",
            studio: Fixture.studio,
            detail: "记-0003", previousHash: Canonical.genesis)
        #expect(base.hasPrefix(Canonical.logTag + "\n"))
        let variants = [
            Canonical.logText(
                sequence: 2, at: "2025-11-03T08:15:00Z", user: "李会计", action: "voucher.post",
                studio: Fixture.studio, detail: "记-0003", previousHash: Canonical.genesis),
            Canonical.logText(
                sequence: 1, at: "2025-11-03T08:15:01Z", user: "李会计", action: "voucher.post",
                studio: Fixture.studio, detail: "记-0003", previousHash: Canonical.genesis),
            Canonical.logText(
                sequence: 1, at: "2025-11-03T08:15:00Z", user: "王会计", action: "voucher.post",
                studio: Fixture.studio, detail: "记-0003", previousHash: Canonical.genesis),
            Canonical.logText(
                sequence: 1, at: "2025-11-03T08:15:00Z", user: "李会计", action: "period.close",
                studio: Fixture.studio, detail: "记-0003", previousHash: Canonical.genesis),
            Canonical.logText(
                sequence: 1, at: "2025-11-03T08:15:00Z", user: "李会计", action: "voucher.post",
                studio: "ZY2025-002", detail: "记-0003", previousHash: Canonical.genesis),
            Canonical.logText(
                sequence: 1, at: "2025-11-03T08:15:00Z", user: "李会计", action: "voucher.post",
                studio: Fixture.studio, detail: "记-0004", previousHash: Canonical.genesis),
            Canonical.logText(
                sequence: 1, at: "2025-11-03T08:15:00Z", user: "李会计", action: "voucher.post",
                studio: Fixture.studio, detail: "记-0003",
                previousHash: String(repeating: "1", count: 64)),
        ]
        #expect(Set(variants + [base]).count == variants.count + 1)
        #expect(Canonical.genesis.count == 64 && Canonical.genesis.allSatisfy { $0 == "0" })
    }
}
