import Foundation
@testable import FundApp
import FundCore
import FundFixtures
import FundReports
@_spi(Testing) import FundStore
import FundTestSupport
import Testing

/// Issue 15 items 12, 13 and 15: `policy add`, `calendar add` and 涉密 host units. Each load is
/// a new version, logged, append-only and in the row chain; bad input writes nothing.
@Suite("policy add, calendar add, confidential host units")
struct RegistryTests {
    typealias T = TestLedger

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ text: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func shippedPolicy2025() throws -> String {
        try String(contentsOf: FixturesBundle.policyDirectory.appendingPathComponent("policy-2025.json"), encoding: .utf8)
    }

    /// Test data only — not a State Council schedule: 2027 with a 国庆节 week, so the ledger
    /// counts the year as covered.
    static let schedule2027 = """
        date,kind,name
        2027-01-01,holiday,元旦
        2027-10-01,holiday,国庆节
        2027-10-04,holiday,国庆节
        2027-10-05,holiday,国庆节
        2027-10-06,holiday,国庆节
        2027-10-07,holiday,国庆节
        2027-10-09,workday,国庆节

        """

    func entries(_ app: LedgerApp, action: String) throws -> Int { try app.admin.log().filter { $0.action == action }.count }

    // MARK: - Item 12

    @Test("policy add: a later load of the same id is a new version, logged; findings name the version applied")
    func policyVersions() throws {
        let app = try T.app()
        #expect(try app.compliance.check(studio: "S1").summary.policies == ["ziyang-2025"])
        let text = try file("measures.txt", "资阳市人力资源和社会保障局 资人社规〔2025〕2号 …（原文）")
        let first = try file("p1.json", try Self.shippedPolicy2025().replacingOccurrences(of: "\"cashLimitFen\": 100000", with: "\"cashLimitFen\": 50000"))
        let loaded = try app.compliance.addPolicy(file: first, text: text)
        #expect(loaded.document.version == 1 && loaded.policy.id == "ziyang-2025")
        #expect(try app.compliance.check(studio: "S1").summary.policies == ["ziyang-2025 第 1 版"])
        #expect(try app.compliance.policies().first { $0.id == "ziyang-2025" }?.thresholds.cashLimitFen == 50_000)
        // The same content again is no new version.
        #expect(throws: Rejection.self) { try app.compliance.addPolicy(file: first, text: text) }
        let second = try file("p2.json", try Self.shippedPolicy2025().replacingOccurrences(of: "\"cashLimitFen\": 100000", with: "\"cashLimitFen\": 80000"))
        #expect(try app.compliance.addPolicy(file: second, text: text).document.version == 2)
        #expect(try app.compliance.check(studio: "S1").summary.policies == ["ziyang-2025 第 2 版"])
        #expect(try app.compliance.policies().first { $0.id == "ziyang-2025" }?.thresholds.cashLimitFen == 80_000)
        #expect(try entries(app, action: "policy.add") == 2)
        let stored = try app.store.registry.documents(kind: .policy)
        #expect(stored.map(\.version) == [1, 2] && stored[0].sourceText.contains("〔2025〕2号"))
        #expect(try app.admin.verify().isClean)
    }

    @Test("policy add: a document number with no text of that document is refused, nothing written")
    func documentNumberNeedsText() throws {
        let app = try T.app()
        let json = try Self.shippedPolicy2025()
            .replacingOccurrences(of: "\"id\": \"ziyang-2025\"", with: "\"id\": \"ziyang-2019\"")
            .replacingOccurrences(of: "资人社规〔2025〕2号《资阳市技能大师工作室建设项目实施管理办法》", with: "资人社发〔2019〕8号")
        let policy = try file("p2019.json", json)
        let logBefore = try app.admin.log().count
        for text in [nil, try file("other.txt", "资人社规〔2025〕2号 原文")] {
            do {
                _ = try app.compliance.addPolicy(file: policy, text: text)
                Issue.record("a document number without its text was accepted")
            } catch let error as LocatedRejection {
                #expect(error.rejection.code == .policyInvalid && error.rejection.field == "document")
                #expect(error.file == policy.path && error.line == 3)
            }
        }
        #expect(try app.store.registry.documents(kind: .policy).isEmpty)
        #expect(try app.admin.log().count == logBefore)
        // With the document's own text it loads, and studios recognised before 2025-10-29 are
        // checked under it.
        let text = try file("2019.txt", "资阳市人力资源和社会保障局文件\n资人社发〔2019〕8号\n（原文）")
        #expect(try app.compliance.addPolicy(file: policy, text: text).policy.document == "资人社发〔2019〕8号")
    }

    @Test("policy add: a bad file names the field and its line, nothing written")
    func badPolicy() throws {
        let app = try T.app()
        let json = try Self.shippedPolicy2025().replacingOccurrences(of: "\"cashLimitFen\": 100000", with: "\"cashLimitFen\": \"十万\"")
        do {
            _ = try app.compliance.addPolicy(file: try file("bad.json", json), text: nil)
            Issue.record("a bad policy was accepted")
        } catch let error as LocatedRejection {
            #expect(error.rejection.code == .policyInvalid)
            #expect(error.rejection.field == "thresholds.cashLimitFen")
            #expect(error.line == 28)
        }
        let reversed = try Self.shippedPolicy2025().replacingOccurrences(of: "\"effectiveTo\": \"2030-10-28\"", with: "\"effectiveTo\": \"2020-01-01\"")
        #expect(throws: LocatedRejection.self) { try app.compliance.addPolicy(file: try file("rev.json", reversed), text: nil) }
        #expect(try app.store.registry.documents(kind: .policy).isEmpty)
    }

    // MARK: - Item 13

    @Test("calendar add: JE-001 and deadline roll-forward use the loaded year; a later load replaces it")
    func calendarAdd() throws {
        let clock = FixedClock(instant: "2027-12-01T01:00:00Z", today: T.date("2027-12-01"))
        let app = try T.app(clock: clock)
        let stamp = Stamp(user: "李会计", at: "2027-12-01T01:00:00Z", today: T.date("2027-12-01"))
        try app.store.books.post(
            [T.receipt(fund: .subsidy, fen: 3_000_000), T.simple(date: "2027-10-05", debit: "500106", credit: "100201", fen: 80_000)], stamp: stamp)
        func je001() throws -> [Finding] { try app.compliance.check(studio: "S1").findings.filter { $0.rule == "JE-001" } }
        // Before: 2027 is not covered, a Tuesday in the 国庆 week passes as a working day.
        #expect(try app.compliance.holidayCalendar().covers(year: 2027) == false)
        #expect(try je001().contains { $0.message.contains("未收录 2027 年") })
        #expect(try !je001().contains { $0.message.contains("国庆节") })
        let loaded = try app.compliance.addCalendar(file: try file("2027.csv", Self.schedule2027))
        #expect(loaded.years == [2027] && loaded.document.version == 1)
        let calendar = try app.compliance.holidayCalendar()
        #expect(calendar.covers(year: 2026) && calendar.covers(year: 2027))
        #expect(Deadlines.movedToWorkingDay(T.date("2027-10-01"), calendar: calendar) == T.date("2027-10-08"))
        #expect(try je001().contains { $0.message.contains("2027-10-05") && $0.message.contains("国庆节") })
        #expect(try !je001().contains { $0.message.contains("未收录 2027 年") })
        // Version 2 of 2027 replaces version 1's days.
        let corrected = Self.schedule2027.replacingOccurrences(of: "2027-10-05,holiday,国庆节\n", with: "")
        #expect(try app.compliance.addCalendar(file: try file("2027b.csv", corrected)).document.version == 2)
        #expect(try !app.compliance.holidayCalendar().isNonWorking(T.date("2027-10-05")))
        #expect(try !je001().contains { $0.message.contains("2027-10-05") })
        #expect(try entries(app, action: "calendar.add") == 2)
        #expect(try app.admin.verify().isClean)
    }

    @Test("calendar add: a file covering no year, or with a date outside its years, is refused with its line; nothing written")
    func badCalendar() throws {
        let app = try T.app()
        let noYear = try file("none.csv", "date,kind,name\n2028-01-01,holiday,元旦\n")
        #expect { try app.compliance.addCalendar(file: noYear) } throws: { ($0 as? LocatedRejection)?.rejection.code == .calendarInvalid }
        let stray = try file("stray.csv", Self.schedule2027 + "2030-05-01,holiday,劳动节\n")
        do {
            _ = try app.compliance.addCalendar(file: stray)
            Issue.record("a stray year was accepted")
        } catch let error as LocatedRejection {
            #expect(error.rejection.code == .calendarInvalid && error.line == 9 && error.rejection.field == "date")
        }
        let badKind = try file("kind.csv", "date,kind,name\n2027-10-01,vacation,国庆节\n")
        #expect { try app.compliance.addCalendar(file: badKind) } throws: { ($0 as? LocatedRejection)?.line == 2 }
        #expect(try app.store.registry.documents(kind: .calendar).isEmpty)
        #expect(try entries(app, action: "calendar.add") == 0)
    }

    // MARK: - Item 15

    func bookedWithEvidence() throws -> (LedgerApp, URL) {
        let app = try T.app()
        let stamp = Stamp(user: "李会计", at: "2026-01-01T01:00:00Z", today: T.date("2026-11-20"))
        let posted = try app.store.books.post(
            [T.receipt(fund: .subsidy, fen: 3_000_000), T.simple(date: "2026-01-09", debit: "500106", credit: "100201", fen: 80_000)], stamp: stamp)
        _ = try app.packages.addEvidence(Data("涉密发票".utf8), fileName: "发票.pdf", to: posted[1].ref)
        let key = directory.appendingPathComponent("k.ed25519")
        _ = try app.packages.generateSigningKey(hostUnit: T.hostCode.description, file: key)
        return (app, key)
    }

    @Test("a 涉密 host unit's evidence stays out of the package unless included; manifest, README and reports carry the marking")
    func confidentialPackage() throws {
        let (app, key) = try bookedWithEvidence()
        let day = T.date("2026-11-20")
        func evidenceFiles(_ files: [String: Data]) -> [String] { files.keys.filter { $0.hasPrefix("证据/") && !$0.hasSuffix(".csv") } }
        let plain = try AuditPackage.contents(of: try app.packages.auditPackage(studio: "S1", asOf: day, keyFile: key))
        #expect(evidenceFiles(plain).count == 1)
        #expect(!String(decoding: plain["manifest.json"]!, as: UTF8.self).contains("confidentiality"))

        _ = try app.register.markHostUnit(creditCode: T.hostCode.description, confidential: true, basis: "市保密局确定的涉密单位", date: T.date("2026-11-01"))
        let withheld = try app.packages.auditPackage(studio: "S1", asOf: day, keyFile: key)
        #expect(AuditPackage.verify(withheld).problems.isEmpty)
        let files = try AuditPackage.contents(of: withheld)
        #expect(evidenceFiles(files).isEmpty)
        let index = String(decoding: files["证据/证据索引.csv"]!, as: UTF8.self)
        #expect(!index.contains("发票.pdf") && index.contains("未收录（涉密）"))
        let manifest = try JSONDecoder().decode(PackageManifest.self, from: files["manifest.json"]!)
        #expect(manifest.confidentiality?.marking == "涉密" && manifest.confidentiality?.evidenceIncluded == false)
        #expect(String(decoding: files["README.txt"]!, as: UTF8.self).trimmingPrefix("\u{FEFF}").hasPrefix("【涉密"))

        let included = try AuditPackage.contents(of: try app.packages.auditPackage(studio: "S1", asOf: day, keyFile: key, includeConfidentialEvidence: true))
        #expect(evidenceFiles(included).count == 1)
        #expect(try JSONDecoder().decode(PackageManifest.self, from: included["manifest.json"]!).confidentiality?.evidenceIncluded == true)
        #expect(try app.admin.log().contains { $0.detail.contains("涉密：经明确要求收录电子单据") })

        // Every statement's header block, and the data exports.
        let report = try app.statements.buildReport(ReportRequest(kind: .trialBalance, studio: "S1", asOf: day))
        #expect(report.document.titleBlock.contains { $0.label == "密级" && $0.value.hasPrefix("涉密") })
        let ledger = try app.statements.export(.hledger, studio: "S1", asOf: day)
        #expect(String(decoding: ledger[0].data, as: UTF8.self).hasPrefix("; 资阳测试机械有限公司 涉密"))
        #expect(try app.statements.export(.ao, studio: "S1", asOf: day).contains { $0.path == "涉密标记.txt" })
        #expect(try app.admin.verify().isClean)
    }

    @Test("marking is an append-only chained row: logged, not repeated, lifted by a later row; unknown host units refused")
    func marking() throws {
        let (app, key) = try bookedWithEvidence()
        let code = T.hostCode.description
        _ = try app.register.markHostUnit(creditCode: code, confidential: true, basis: "涉密资格", date: nil)
        #expect { try app.register.markHostUnit(creditCode: code, confidential: true, basis: "再次", date: nil) } throws: {
            ($0 as? Rejection)?.code == .markingUnchanged
        }
        #expect { try app.register.markHostUnit(creditCode: T.otherHostCode.description, confidential: true, basis: "x", date: nil) } throws: {
            ($0 as? Rejection)?.code == .hostUnitUnknown
        }
        #expect { try app.register.markHostUnit(creditCode: code, confidential: false, basis: " ", date: nil) } throws: { $0 is Rejection }
        _ = try app.register.markHostUnit(creditCode: code, confidential: false, basis: "解密", date: nil)
        #expect(try app.register.markings().map(\.confidential) == [true, false])
        #expect(try app.register.confidentiality(hostUnit: try CreditCode(T.hostCode)) == nil)
        #expect(try entries(app, action: "host-unit.confidential") == 2)
        let files = try AuditPackage.contents(of: try app.packages.auditPackage(studio: "S1", asOf: T.date("2026-11-20"), keyFile: key))
        #expect(files.keys.contains { $0.hasPrefix("证据/") && $0.hasSuffix(".pdf") })
        #expect(try app.store.unsafeScalarForTesting("SELECT count(*) FROM row_chain WHERE tbl = 'host_unit_marking'") == 2)
        #expect(try app.admin.verify().isClean)
    }

    // MARK: - Tampering with the new rows

    @Test("verify names a deleted marking and an edited or inserted loaded document")
    func tampering() throws {
        let app = try T.app()
        _ = try app.register.markHostUnit(creditCode: T.hostCode.description, confidential: true, basis: "涉密资格", date: nil)
        _ = try app.compliance.addCalendar(file: try file("2027.csv", Self.schedule2027))
        #expect(try app.admin.verify().isClean)
        for table in ["host_unit_marking", "loaded_document"] {
            for operation in ["update", "delete"] { try app.store.unsafeExecuteForTesting("DROP TRIGGER \(table)_no_\(operation)") }
        }
        // Lifting the marking behind the ledger's back (so evidence would leak into packages).
        try app.store.unsafeExecuteForTesting("DELETE FROM host_unit_marking")
        #expect(try app.admin.verify().problems.contains { $0.code == .rowTampered && $0.message.contains("表 host_unit_marking 第 1 行已不存在") })
        try app.store.unsafeExecuteForTesting("UPDATE loaded_document SET content = replace(content, '2027-10-05,holiday', '2027-10-08,holiday')")
        #expect(try app.admin.verify().problems.contains { $0.code == .rowTampered && $0.message.contains("表 loaded_document 第 1 行的内容") })
        try app.store.unsafeExecuteForTesting(
            "INSERT INTO loaded_document (kind, key, version, sha256, content, source_text, file_name, at, user) SELECT kind, key, 2, sha256, content, source_text, file_name, at, user FROM loaded_document")
        #expect(try app.admin.verify().problems.contains { $0.message.contains("表 loaded_document 第 2 行不在行链中") })
    }
}
