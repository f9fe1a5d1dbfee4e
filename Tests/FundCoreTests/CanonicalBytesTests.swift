import Foundation
import Testing

@testable import FundCore

/// `CanonicalVoucherBytes` (what `verify` hashes, written from stored column bytes) must write
/// exactly the UTF-8 of `Canonical.voucherText` for every voucher.
@Suite("canonical voucher text from bytes")
struct CanonicalBytesTests {
    /// The text written field by field from each field's UTF-8, as `verify` does from the columns.
    static func bytes(_ input: CanonicalInput) -> [UInt8] {
        var storage: [[UInt8]] = []
        func field(_ text: String) -> Int {
            storage.append(Array(text.utf8))
            return storage.count - 1
        }
        let draft = input.draft
        let studio = field(input.ref.studio), voucherClass = field(input.ref.voucherClass.rawValue)
        let settlement = field(draft.settlement?.rawValue ?? ""), counterparty = field(draft.counterparty)
        let preparer = field(draft.preparer), reviewer = field(draft.reviewer), poster = field(draft.poster)
        let source = field(draft.sourceRef ?? ""), postedBy = field(input.postedBy), postedAt = field(input.postedAt)
        let previous = field(input.previousHash)
        let lines = draft.lines.map {
            (field($0.account), field($0.fund.rawValue), field($0.side.rawValue), field($0.invoice?.description ?? ""), field($0.memo))
        }
        // Copies that outlive the closures below (freed at the end).
        let buffers = storage.map { bytes -> UnsafeBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            _ = buffer.initialize(from: bytes)
            return UnsafeBufferPointer(rebasing: buffer[0..<bytes.count])
        }
        defer { for buffer in buffers { UnsafeMutableBufferPointer(mutating: buffer).deallocate() } }
        var out = CanonicalVoucherBytes()
        // Twice into the same buffer: the second voucher must not keep anything of the first.
        for _ in 0..<2 {
            out.begin(
                studio: buffers[studio], sequence: input.sequence, period: input.ref.period, voucherClass: buffers[voucherClass],
                number: input.ref.number, date: draft.date, kind: input.kind, attachments: draft.attachments,
                settlement: buffers[settlement], counterparty: buffers[counterparty], preparer: buffers[preparer],
                reviewer: buffers[reviewer], poster: buffers[poster], source: buffers[source], postedBy: buffers[postedBy],
                postedAt: buffers[postedAt])
            for (index, line) in lines.enumerated() {
                out.line(
                    index: index, account: buffers[line.0], fund: buffers[line.1], side: buffers[line.2],
                    fen: draft.lines[index].amount.fen, invoice: buffers[line.3], memo: buffers[line.4])
            }
            out.end(previousHash: buffers[previous])
        }
        return out.withBytes { Array($0) }
    }

    static var varied: [CanonicalInput] {
        var inputs = [CanonicalInput()]
        for edit in CanonicalEdit.allCases {
            var input = CanonicalInput()
            edit.apply(&input)
            inputs.append(input)
        }
        // Memos and names with quotes, backslashes, tabs, line breaks, controls, CJK and emoji;
        // every fund, red amounts, invoices, big numbers.
        var odd = CanonicalInput()
        odd.draft = VoucherDraft(
            studio: odd.draft.studio, date: day(2026, 2, 28),
            lines: [
                line("500101", .debit, 99_999_999_999_999, memo: "引号\"与\\反斜杠\t制表\n换行\r回车\u{01}控制“中文引号”😀"),
                line("500101", .credit, -1, fund: .enterprise, memo: "红字 \u{1F}"),
                VoucherLine(
                    memo: "发票", account: "500102", fund: .selfRaised, side: .debit, amount: Money(fen: 12_345),
                    invoice: .digital(number: "25322000000000000001")),
            ],
            attachments: 9_999, settlement: .officialCard, counterparty: "资阳“机床”厂 \"A\"\\", preparer: "李 会计",
            reviewer: "", poster: "赵\t记账", sourceRef: "导入：文件 \"a.csv\" 第 3 行")
        odd.ref = VoucherRef(studio: "ZY\"2025", period: month(2026, 2), voucherClass: .zhuan, number: 12_345)
        odd.kind = .correction(of: VoucherRef(studio: "ZY\"2025", period: month(2026, 1), voucherClass: .shou, number: 7))
        odd.sequence = 1_000_001
        odd.postedBy = "王主管\u{7F}"
        inputs.append(odd)
        odd.kind = .reversal(of: VoucherRef(studio: "ZY\"2025", period: month(2025, 12), voucherClass: .fu, number: 10_000))
        odd.draft.settlement = .cash
        inputs.append(odd)
        for fund in Fund.allCases {
            var input = CanonicalInput()
            input.draft = VoucherDraft(
                studio: input.draft.studio, date: input.draft.date,
                lines: input.draft.lines.map { VoucherLine(memo: $0.memo, account: $0.account, fund: fund, side: $0.side, amount: $0.amount, invoice: nil) },
                attachments: 0, settlement: .other, counterparty: "", preparer: "李会计", reviewer: "", poster: "", sourceRef: nil)
            inputs.append(input)
        }
        return inputs
    }

    @Test func bytesAreTheCanonicalText() {
        for (index, input) in Self.varied.enumerated() {
            let expected = Array(input.text.utf8)
            let written = Self.bytes(input)
            #expect(written == expected, "input \(index): \(String(decoding: written, as: UTF8.self))")
        }
    }
}
