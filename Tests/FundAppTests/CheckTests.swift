import FundApp
import FundCore
import FundStore
import FundTestSupport
import Foundation
import Testing

@Suite("compliance check over the demo books")
struct CheckTests {
    static func demo() throws -> (LedgerApp, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-check-\(UUID().uuidString)")
        return (try Demo.build(in: directory).app, directory)
    }

    static func key(_ finding: Finding) -> String {
        let voucher = finding.voucher.map { " \($0.period) \($0.class)-\($0.number)" } ?? ""
        return "\(finding.rule) \(finding.studio)\(voucher)"
    }

    @Test func seededViolationsAreFoundEachOnceAndTheCleanStudioIsClean() throws {
        let (app, directory) = try Self.demo()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try app.check(studio: nil, asOf: T.date("2026-11-20"))
        let found = result.findings.map(Self.key).sorted()
        let expected = [
            "SUB-001 ZY2025-001 2026-04 记-3",  // subsidy pays a bonus
            "SUB-006 ZY2025-001 2026-04 记-3",  // …and its memo says 奖金
            "CSH-001 ZY2025-001 2026-07 记-3",  // 1,500 in cash
            "PAY-001 ZY2025-001 2026-05 记-4",  // three payments just under 10,000
            "JE-001 ZY2025-001 2026-08 记-1",  // posted on a Saturday
            "SUB-001 ZY2025-002 2026-01 记-4",  // subsidy pays entertainment
            "SUB-004 ZY2025-002 2026-04 记-2",  // subsidy moved to the self-raised book
            "EVD-001 ZY2025-002 2026-07 记-1",  // invoice already used by ZY2025-001
            "EVD-002 ZY2025-002 2026-06 记-1",  // no attachments, no invoice
            "PAY-002 ZY2025-002 2026-05 记-1",  // supermarket, 800.00
            "JE-002 ZY2025-002 2026-04 记-1",  // preparer = reviewer
        ].sorted()
        #expect(found == expected)
        #expect(!result.findings.contains { $0.studio == "ZY2025-003" }, "the college's studio is clean")
        #expect(result.hasViolations)
        #expect(result.summary.studios == 3)
        #expect(result.summary.policies == ["ziyang-2025"])
        // The reversed R&D voucher of ZY2025-002 (charged to the subsidy, re-booked to the
        // enterprise fund) raises nothing: the red reversal cancels it.
        #expect(!result.findings.contains { $0.studio == "ZY2025-002" && $0.voucher?.period == "2026-03" })
    }

    @Test func oneStudioAndAsOf() throws {
        let (app, directory) = try Self.demo()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clean = try app.check(studio: "ZY2025-003", asOf: T.date("2026-11-20"))
        #expect(clean.findings.isEmpty && !clean.hasViolations)
        // Before the seeded bonus was paid (2026-04-24) it cannot be found.
        let early = try app.check(studio: "ZY2025-001", asOf: T.date("2026-04-23"))
        #expect(!early.findings.contains { $0.rule == "SUB-001" })
        #expect(throws: Rejection.self) { _ = try app.check(studio: "NOPE") }
    }

    @Test func postingReportsTheFindingsItRaises() throws {
        let app = try T.app()
        let posted = try app.store.post(
            [T.receipt(fund: .subsidy, fen: 3_000_000), T.simple(date: "2026-01-09", debit: "500108", credit: "100201", fen: 50_000)],
            stamp: Stamp(user: "u", at: "t", today: T.date("2026-11-20")))
        let raised = try app.findings(raisedBy: [posted[1]])
        #expect(raised.map(\.rule) == ["SUB-001"])
    }
}

@Suite("a policy can block a category at posting")
struct BlockTests {
    @Test func blockedCategoryRefusesThePostingAndWritesNothing() throws {
        var policy = try String(contentsOf: packageRoot.appendingPathComponent("Fixtures/policy/policy-2025.json"), encoding: .utf8)
        policy = policy.replacingOccurrences(of: "\"block\": []", with: "\"block\": [\"ineligible-spending\"]")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("policy-block-\(UUID().uuidString).json")
        try Data(policy.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let app = LedgerApp(store: try T.app().store, clock: T.clock, user: "测试员", policyFile: file)
        let receipt = #"{"studio":"S1","date":"2026-01-05","preparer":"李会计","lines":[{"memo":"收到补助资金","account":"100201","fund":"subsidy","side":"debit","amount":"30000"},{"memo":"收到补助资金","account":"400101","fund":"subsidy","side":"credit","amount":"30000"}]}"#
        _ = try app.postVouchers(json: Data(receipt.utf8), file: "r.json")
        let wages = #"{"studio":"S1","date":"2026-01-06","preparer":"李会计","attachments":1,"lines":[{"memo":"发放工资","account":"500107","fund":"subsidy","side":"debit","amount":"3000"},{"memo":"发放工资","account":"100201","fund":"subsidy","side":"credit","amount":"3000"}]}"#
        do {
            _ = try app.postVouchers(json: Data(wages.utf8), file: "w.json")
            Issue.record("blocked category must be refused")
        } catch let error as LocatedRejection {
            #expect(error.rejection.code == .postingBlocked)
            #expect(error.rejection.message.contains("SUB-001"))
        }
        #expect(try app.journal(studio: "S1").count == 1)
        // The same voucher from the enterprise fund is not blocked.
        _ = try app.postVouchers(json: Data(#"{"studio":"S1","date":"2026-01-05","preparer":"李会计","lines":[{"memo":"收到企业资金","account":"100201","fund":"enterprise","side":"debit","amount":"5000"},{"memo":"收到企业资金","account":"400102","fund":"enterprise","side":"credit","amount":"5000"}]}"#.utf8), file: "e.json")
        _ = try app.postVouchers(json: Data(wages.replacingOccurrences(of: "subsidy", with: "enterprise").utf8), file: "w2.json")
        #expect(try app.journal(studio: "S1").count == 3)
    }
}
