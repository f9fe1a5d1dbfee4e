import FundCore
@testable import FundRules
import Foundation
import Testing

@Suite("the rule catalogue")
struct CatalogueTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/rules.md")

    @Test func codesAreUniqueAndEveryCategoryHasARule() {
        let codes = Catalogue.rules.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(Set(Catalogue.rules.map(\.category)) == Set(FindingCategory.allCases))
        for rule in Catalogue.rules {
            #expect(rule.code.wholeMatch(of: /[A-Z]{2,3}-[0-9]{3}/) != nil, "\(rule.code)")
            #expect(!rule.title.isEmpty && rule.article.contains("第"))
        }
    }

    @Test func everyRuleIsDocumentedWithItsCategorySeverityAndArticle() throws {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        var rows: [String: [String]] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 7 { rows[cells[0]] = cells }
        }
        for rule in Catalogue.rules {
            let row = try #require(rows[rule.code], "\(rule.code) is missing from docs/rules.md")
            #expect(row[1] == rule.category.rawValue)
            #expect(row[2].hasPrefix(rule.severity.rawValue))
            #expect(row[3] == rule.article)
            #expect(row.count >= 7 && !row[4].isEmpty && !row[6].isEmpty, "rationale and example for \(rule.code)")
        }
        #expect(rows.keys.filter { $0.wholeMatch(of: /[A-Z]{2,3}-[0-9]{3}/) != nil }.count == Catalogue.rules.count)
    }
}
