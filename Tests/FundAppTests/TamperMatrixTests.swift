import Foundation
@_spi(Testing) @testable import FundStore
@testable import FundApp
import FundCore
import FundTestSupport
import Testing

/// The tamper matrix: every column of every chained table, edited behind the ledger's back
/// (triggers, CHECK and foreign keys off), must make `verify` name the table and the row; the
/// original value put back, `verify` is clean again. Deleted and inserted rows likewise.
@Suite("tamper matrix over the chained tables", .serialized)
struct TamperMatrixTests {
    typealias T = TestLedger

    /// One row at least in every chained table.
    static func ledger(_ directory: URL) throws -> LedgerApp {
        let app = try T.app()
        let stamp = Stamp(user: "李会计", at: "2026-01-01T01:00:00Z", today: T.date("2026-11-20"))
        let posted = try app.store.books.post(
            [T.receipt(fund: .subsidy, fen: 3_000_000), T.simple(date: "2026-01-09", debit: "500106", credit: "100201", fen: 80_000)],
            stamp: stamp)
        try app.books.closePeriod(Period(year: 2025, month: 12)!, studio: "S1")
        let key = try #require(try app.compliance.check(studio: "S1").findings.first?.key)
        try app.compliance.note(finding: key, action: .explain, text: "情况说明")
        _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: "equipment", amount: "20000", reason: "初始计划")
        _ = try app.packages.addEvidence(Data("发票".utf8), fileName: "a.pdf", to: posted[0].ref)
        _ = try app.packages.generateSigningKey(hostUnit: T.hostCode.description, file: directory.appendingPathComponent("k.ed25519"))
        _ = try app.packages.auditPackage(studio: "S1", asOf: T.date("2026-11-20"), keyFile: directory.appendingPathComponent("k.ed25519"))
        _ = try app.lifecycle.notice(studio: "S1", kind: "commendation", date: "2026-10-28", by: "市人社局", note: "通报表扬")
        _ = try app.lifecycle.change(studio: "S1", step: .new(kind: "leader"), date: "2026-10-26", note: "领办人调任")
        _ = try app.lifecycle.change(studio: "S1", step: .reported(id: 1), date: "2026-10-30", note: "")
        // The approved change takes effect (studio_change_effect, 第十一条).
        _ = try app.lifecycle.change(studio: "S1", step: .decided(id: 1), date: "2026-11-05", note: "同意")
        _ = try app.lifecycle.changeEffect(studio: "S1", change: "1", newLeader: "赵师傅", newHostUnit: nil)
        _ = try app.lifecycle.setTarget(studio: "S1", indicator: "satisfaction", target: "90", actual: "96", note: "")
        _ = try app.lifecycle.addActivity(ActivityForm(studio: "S1", date: "2026-03-12", kind: "training", title: "刀工培训", quantity: 24))
        _ = try app.lifecycle.addSupervisionNote(studio: "S1", date: "2026-03-20", text: "查看培训记录")
        // A studio recognised in 2024, accepted with the county's score (acceptance_score).
        _ = try app.register.addStudio(
            code: "S2", name: "S2 工作室", hostUnit: T.hostCode.description, leader: "王师傅", field: "电工", recognized: "2024-09-20",
            subsidy: "30000")
        for (to, date, score) in [("recognized", "2024-09-20", nil), ("under-construction", "2024-09-20", nil), ("acceptance", "2026-09-22", nil),
                                  ("accepted", "2026-10-13", "92.5")] as [(String, String, String?)] {
            _ = try app.lifecycle.advance(studio: "S2", form: TransitionForm(to: to, date: date, by: "雁江区人社局", score: score))
        }
        // A loaded policy and holiday schedule (loaded_document) and a 涉密 marking
        // (host_unit_marking), after the package so that it keeps its evidence.
        let policy = directory.appendingPathComponent("policy.json")
        let measures = directory.appendingPathComponent("measures.txt")
        try Data(try RegistryTests.shippedPolicy2025().replacingOccurrences(of: "100000", with: "90000").utf8).write(to: policy)
        try Data("资人社规〔2025〕2号 原文".utf8).write(to: measures)
        _ = try app.compliance.addPolicy(file: policy, text: measures)
        let schedule = directory.appendingPathComponent("2027.csv")
        try Data(RegistryTests.schedule2027.utf8).write(to: schedule)
        _ = try app.compliance.addCalendar(file: schedule)
        _ = try app.register.markHostUnit(creditCode: T.hostCode.description, confidential: true, basis: "涉密资格", date: nil)
        // A host account mapping (issue 18).
        _ = try app.erp.importMapping(csv: Data(ERPTests.mappingCSV.utf8), file: "m.csv", hostUnit: T.hostCode.description)
        // A college's studio whose subsidy is 财政拨款预算收入 (budget_basis, 平行记账).
        _ = try app.register.addHostUnit(creditCode: "12512000MB1C72496Q", name: "资阳测试职业技术学院", kind: "college", county: "雁江区")
        _ = try app.register.addStudio(
            code: "S3", name: "S3 工作室", hostUnit: "12512000MB1C72496Q", leader: "李师傅", field: "烹饪", recognized: "2025-11-20",
            subsidy: "30000")
        _ = try app.register.setBudgetRevenue(studio: "S3", fund: "补助资金", account: "600101")
        return app
    }

    /// A different value of the same storage class.
    static func changed(_ value: DatabaseValueText) -> String {
        switch value {
        case .null: "'x'"
        case .integer(let n): String(n == 0 ? 1 : (n == 1 ? 0 : n + 1))
        case .text(let s): "'" + (s.isEmpty ? "x" : String(s.dropLast()) + (s.hasSuffix("0") ? "1" : "0")).replacingOccurrences(of: "'", with: "''") + "'"
        case .blob: "X'00'"
        }
    }

    enum DatabaseValueText {
        case null, integer(Int64), text(String), blob
    }

    @Test("every column of every chained table, edited, is named by verify; put back, verify is clean")
    func matrix() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-matrix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try Self.ledger(directory)
        let store = app.store
        #expect(try app.admin.verify().isClean)
        for statement in ["PRAGMA foreign_keys = OFF", "PRAGMA ignore_check_constraints = ON"] { try store.unsafeExecuteForTesting(statement) }
        var tally: [(table: String, caught: Int, total: Int)] = []
        var untested: [String] = []
        for table in RowChain.tables {
            for operation in ["update", "delete"] { try store.unsafeExecuteForTesting("DROP TRIGGER IF EXISTS \(table)_no_\(operation)") }
            guard let rowID = try store.unsafeScalarForTesting("SELECT min(rowid) FROM \(table)") else {
                untested.append(table)
                continue
            }
            let columns = try store.unsafeStringsForTesting("SELECT name FROM pragma_table_info('\(table)')")
            var caught = 0
            for column in columns {
                let type = try store.unsafeStringsForTesting("SELECT typeof(\(column)) FROM \(table) WHERE rowid = \(rowID)").first ?? "null"
                let original: DatabaseValueText
                switch type {
                case "integer": original = .integer(try #require(try store.unsafeScalarForTesting("SELECT \(column) FROM \(table) WHERE rowid = \(rowID)")))
                case "text": original = .text(try store.unsafeStringsForTesting("SELECT \(column) FROM \(table) WHERE rowid = \(rowID)").first ?? "")
                case "blob": original = .blob
                default:
                    // NULL: a value of the column's declared type.
                    let declared = try store.unsafeStringsForTesting("SELECT type FROM pragma_table_info('\(table)') WHERE name = '\(column)'").first ?? ""
                    original = declared.uppercased() == "INTEGER" ? .integer(-1) : .null
                }
                try store.unsafeExecuteForTesting("CREATE TEMP TABLE IF NOT EXISTS saved AS SELECT * FROM \(table) WHERE 0")
                try store.unsafeExecuteForTesting("DELETE FROM saved; INSERT INTO saved SELECT * FROM \(table) WHERE rowid = \(rowID)")
                try store.unsafeExecuteForTesting("UPDATE \(table) SET \(column) = \(Self.changed(original)) WHERE rowid = \(rowID)")
                let report = try app.admin.verify()
                // X015 names "表 T 第 N 行"; a value that no longer decodes is X009 "第 N 行（表 T）".
                let named = report.problems.contains {
                    $0.message.contains("表 \(table) 第 \(rowID) 行") || $0.message.contains("第 \(rowID) 行（表 \(table)）")
                }
                if named { caught += 1 } else {
                    Issue.record("\(table).\(column) edited, not named: \(report.problems)")
                }
                // Put back; an edited id moved the row to another rowid, one the chain never saw.
                try store.unsafeExecuteForTesting("""
                    UPDATE \(table) SET \(column) = (SELECT \(column) FROM saved)
                    WHERE rowid = \(rowID) OR rowid NOT IN (SELECT row_id FROM row_chain WHERE tbl = '\(table)')
                    """)
                try store.unsafeExecuteForTesting("DROP TABLE saved")
            }
            let after = try app.admin.verify()
            #expect(after.isClean, "\(table) put back: \(after.problems)")
            tally.append((table, caught, columns.count))
        }
        // A row deleted, and a row inserted, behind the ledger's back.
        try store.unsafeExecuteForTesting("DELETE FROM activity")
        #expect(try app.admin.verify().problems.contains { $0.code == .rowTampered && $0.message.contains("已不存在") })
        try store.unsafeExecuteForTesting(
            "INSERT INTO period_event (studio_id, period, action, at, user, reason) SELECT studio_id, period, action, at, user, reason FROM period_event LIMIT 1")
        #expect(try app.admin.verify().problems.contains { $0.code == .rowTampered && $0.message.contains("不在行链中") })
        let lines = tally.map { "\($0.table) \($0.caught)/\($0.total)" }.joined(separator: ", ")
        print("tamper matrix: \(lines); in all \(tally.map(\.caught).reduce(0, +))/\(tally.map(\.total).reduce(0, +))")
        #expect(untested.isEmpty, "every chained table has a row to edit: \(untested)")
        #expect(tally.allSatisfy { $0.caught == $0.total })
    }

    @Test("an edited row-chain entry is X016")
    func chainEdited() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-matrix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try Self.ledger(directory)
        try app.store.unsafeExecuteForTesting("DROP TRIGGER row_chain_no_update")
        try app.store.unsafeExecuteForTesting("UPDATE row_chain SET row_id = row_id WHERE seq = 1")
        #expect(try app.admin.verify().isClean, "a no-op update changes nothing")
        try app.store.unsafeExecuteForTesting("UPDATE row_chain SET prev_hash = hash WHERE seq = 3")
        #expect(try app.admin.verify().problems.contains { $0.code == .rowChainBroken })
    }
}
