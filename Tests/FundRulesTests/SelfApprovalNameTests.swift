import FundCore
import Testing

@testable import FundRules

/// JE-002 compares preparer and reviewer as people read the names: NFC, trimmed (U+3000 too),
/// full-width folded, case-folded, and Traditional folded to Simplified (ICU's Hant-Hans,
/// which Linux Foundation ships).
@Suite("self-approval sees through spellings")
struct SelfApprovalNameTests {
    @Test(arguments: [
        ("周丽", "周丽 ", true), ("周丽", "\u{3000}周丽", true), ("ＺＨＯＵ", "ZHOU", true), ("zhou", "ZHOU", true),
        ("Jose\u{301}", "Jos\u{E9}", true), ("周丽", "周麗", true), ("周丽", "何军", false), ("周丽", "", true),
        ("周丽", "周丽丽", false),
    ])
    func selfApproval(_ preparer: String, _ reviewer: String, _ fires: Bool) throws {
        var books = try Books()
        books.receive("2025-12-20", .enterprise, 3_000_000)
        books.spend("2026-04-14", "500101", .enterprise, 10_000, preparer: preparer, reviewer: reviewer)
        books.spend("2026-04-15", "500101", .enterprise, 10_000, preparer: "何军", reviewer: "王主管")
        books.spend("2026-04-16", "500101", .enterprise, 10_000, preparer: preparer, reviewer: reviewer)
        #expect(try books.findings(SelfApproval()).count == (fires ? 2 : 0))
    }
}
