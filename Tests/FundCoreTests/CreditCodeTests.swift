import Foundation
import Testing

@testable import FundCore

@Suite("CreditCode (统一社会信用代码)")
struct CreditCodeTests {
    /// Codes of real organisations, as published; their check characters were not computed by
    /// the code under test.
    static let published = [
        "91350100M000100Y43",
        "91440300708461136T",
        "91330100716105852F",
        "91110000802100433B",
    ]

    /// Bodies and their full codes, check characters worked out independently of the code under
    /// test (GB 32100-2015 weights 3^i mod 31).
    static let bodies = [
        ("91350100M000100Y4", "91350100M000100Y43"),
        ("12100000400000624", "12100000400000624D"),
        ("52330106MJ0000000", "52330106MJ0000000L"),
        ("93440101MA5AAAAAA", "93440101MA5AAAAAA0"),
        ("Y1000000000000000", "Y1000000000000000X"),
    ]

    @Test("published codes are accepted", arguments: published)
    func publishedCodes(text: String) throws {
        #expect(try CreditCode(text).text == text)
    }

    @Test("completing a body gives the right, accepted code", arguments: bodies)
    func completedBodies(body: String, expected: String) throws {
        #expect(CreditCode.completing(body) == expected)
        #expect(CreditCode.completing(body.lowercased()) == expected)
        #expect(try CreditCode(expected).text == expected)
    }

    @Test(
        "completing refuses bodies of the wrong length or with illegal characters",
        arguments: ["", "91350100M000100Y", "91350100M000100Y43", "91350100I000100Y4"])
    func completingRefuses(body: String) {
        #expect(CreditCode.completing(body) == nil)
    }

    @Test(
        "every other check character is refused with U003",
        arguments: published)
    func everyWrongCheckCharacter(text: String) {
        let body = String(text.prefix(17))
        for character in CreditCode.alphabet where character != text.last {
            let code = rejectionCode { () throws(Rejection) in
                try CreditCode(body + String(character))
            }
            #expect(code == .creditCodeCheck, "check character \(character)")
        }
    }

    @Test(
        "rejections",
        arguments: [
            ("", RejectionCode.creditCodeLength),
            ("91350100M000100Y4", .creditCodeLength),
            ("91350100M000100Y431", .creditCodeLength),
            ("91350100I000100Y43", .creditCodeCharacter),
            ("91350100O000100Y43", .creditCodeCharacter),
            ("91350100S000100Y43", .creditCodeCharacter),
            ("91350100V000100Y43", .creditCodeCharacter),
            ("91350100Z000100Y43", .creditCodeCharacter),
            ("91350100M000100Y4I", .creditCodeCharacter),
            ("91350100M000-00Y43", .creditCodeCharacter),
            ("91350100M000100Y44", .creditCodeCheck),
            ("91440300708461136U", .creditCodeCheck),
            ("91350100M000100Y34", .creditCodeCheck),  // two characters swapped
        ])
    func rejects(text: String, code: RejectionCode) {
        let rejection = rejection { () throws(Rejection) in try CreditCode(text) }
        #expect(rejection?.code == code)
        #expect(rejection?.field == "credit-code")
    }

    @Test(
        "lower case and surrounding spaces are accepted and normalised",
        arguments: ["91350100m000100y43", " 91350100M000100Y43 ", "91440300708461136t"])
    func normalises(text: String) throws {
        let code = try CreditCode(text)
        #expect(code.text == text.trimmingSpaces.uppercased())
    }

    @Test func codableRoundTripValidates() throws {
        let code = try CreditCode("91350100M000100Y43")
        let json = try JSONEncoder().encode([code])
        #expect(String(decoding: json, as: UTF8.self) == #"["91350100M000100Y43"]"#)
        #expect(try JSONDecoder().decode([CreditCode].self, from: json) == [code])
        let tampered = Data(#"["91350100M000100Y44"]"#.utf8)
        #expect(throws: Rejection.self) {
            try JSONDecoder().decode([CreditCode].self, from: tampered)
        }
    }
}
