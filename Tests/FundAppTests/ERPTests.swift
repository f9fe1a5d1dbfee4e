@testable import FundApp
import FundCore
import FundExchange
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// Issue 18 (the ERP half): 金蝶/用友 voucher exports read as they come, and the host unit's own
/// chart both ways through its account mapping.
@Suite("ERP voucher files and host account mappings")
struct ERPTests {
    static let host = TestLedger.hostCode.description

    /// The 19 columns of a 金蝶 K3 凭证引出 file, as the issue lists them.
    static let k3Header = "凭证日期,会计年度,会计期间,凭证字,凭证号,科目代码,科目名称,币别代码,原币金额,借方,贷方,制单,审核,核准,出纳,结算方式,凭证摘要,附件数,核算项目"

    static func k3(_ rows: [String]) -> Data {
        TextEncoding.encode(([k3Header] + rows).joined(separator: "\r\n") + "\r\n", as: .gb18030)
    }

    static let k3Rows = [
        "2025-12-20,2025,12,记,1,100201,项目资金专户,RMB,30000,30000,0,周丽,何军,,,银行转账,收到市级补助资金,1,项目:001 补助资金",
        "2025-12-20,2025,12,记,1,400101,市级补助资金收入,RMB,30000,0,30000,周丽,何军,,,银行转账,收到市级补助资金,1,[项目]补助资金",
        "2025-12-22,2025,12,记,2,100201,项目资金专户,人民币,5000.50,5000.50,0,周丽,何军,,,,收到企业支持资金,0,项目—企业支持资金",
        "2025-12-22,2025,12,记,2,400102,企业支持资金收入,CNY,5000.50,0,5000.50,周丽,何军,,,,收到企业支持资金,0,部门:01 财务部;项目:002 企业支持资金",
    ]

    func counts(_ app: LedgerApp) throws -> [Int64] {
        try ["voucher", "posting", "op_log", "host_account_mapping"].map {
            try app.store.unsafeScalarForTesting("SELECT count(*) FROM \($0)") ?? -1
        }
    }

    func errors(_ body: () throws -> Void) -> [LocatedRejection] {
        do {
            try body()
            Issue.record("expected a rejection")
            return []
        } catch let list as RejectionList {
            return list.items
        } catch let located as LocatedRejection {
            return [located]
        } catch let rejection as Rejection {
            return [LocatedRejection(file: "", line: nil, rejection: rejection)]
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    // MARK: 金蝶 K3 凭证引出 as it comes

    @Test func k3VoucherExportInGB18030Imports() throws {
        let app = try TestLedger.app(studios: ["S1"])
        let result = try app.books.importVouchers(csv: Self.k3(Self.k3Rows), file: "k3.csv", studio: "S1")
        #expect(result.vouchers.count == 2)
        #expect(result.lines == 4)
        let first = result.vouchers[0].draft
        #expect(first.lines.map(\.fund) == [.subsidy, .subsidy])
        #expect(first.preparer == "周丽" && first.reviewer == "何军" && first.attachments == 1 && first.settlement == .bankTransfer)
        #expect(first.sourceRef == "记-1")
        #expect(first.lines[0].memo == "收到市级补助资金")
        let second = result.vouchers[1].draft
        #expect(second.lines.map(\.fund) == [.enterprise, .enterprise])
        #expect(second.lines[0].amount == Money(fen: 500_050))
        #expect(try app.admin.verify().isClean)
    }

    @Test func foreignCurrencyIsRefusedNamingLineAndValue() throws {
        let app = try TestLedger.app(studios: ["S1"])
        let before = try counts(app)
        var rows = Self.k3Rows
        rows[2] = rows[2].replacingOccurrences(of: ",人民币,", with: ",USD,")
        let found = errors { _ = try app.books.importVouchers(csv: Self.k3(rows), file: "k3.csv", studio: "S1") }
        #expect(found.map { "\($0.line ?? 0) \($0.rejection.code.rawValue)" } == ["4 I012"])
        #expect(found.first?.rejection.message.contains("USD") == true)
        #expect(found.first?.rejection.field == "币别代码")
        #expect(try counts(app) == before)
    }

    @Test func fiscalPeriodMustAgreeWithTheDate() throws {
        let app = try TestLedger.app(studios: ["S1"])
        var rows = Self.k3Rows
        rows[1] = rows[1].replacingOccurrences(of: "2025-12-20,2025,12,", with: "2025-12-20,2025,11,")
        let found = errors { _ = try app.books.importVouchers(csv: Self.k3(rows), file: "k3.csv", studio: "S1") }
        #expect(found.map { "\($0.line ?? 0) \($0.rejection.code.rawValue)" } == ["3 I013"])
    }

    @Test(arguments: ["项目:009 研发资金", "补助资金;项目:自筹资金", ""])
    func auxiliaryThatNamesNoSingleFundIsRefused(_ value: String) throws {
        let app = try TestLedger.app(studios: ["S1"])
        var rows = Self.k3Rows
        rows[0] = rows[0].replacingOccurrences(of: "项目:001 补助资金", with: value)
        let found = errors { _ = try app.books.importVouchers(csv: Self.k3(rows), file: "k3.csv", studio: "S1") }
        #expect(found.map { "\($0.line ?? 0) \($0.rejection.code.rawValue)" } == ["2 I014"])
        #expect(found.first?.rejection.field == "核算项目")
        #expect(found.first?.file == "k3.csv")
    }

    @Test func auxiliaryNamesAFundThroughTheHostsProjects() throws {
        let app = try TestLedger.app(studios: ["S1"])
        _ = try app.erp.importMapping(csv: Data(Self.mappingCSV.utf8), file: "m.csv", hostUnit: Self.host)
        var rows = Self.k3Rows
        rows[0] = rows[0].replacingOccurrences(of: "项目:001 补助资金", with: "项目:P01")
        rows[1] = rows[1].replacingOccurrences(of: "[项目]补助资金", with: "技能大师工作室补助资金")
        let result = try app.books.importVouchers(csv: Self.k3(rows), file: "k3.csv", studio: "S1")
        #expect(result.vouchers[0].draft.lines.map(\.fund) == [.subsidy, .subsidy])
    }

    // MARK: The mapping

    static let mappingCSV = """
        科目编码,资金来源,依托单位科目编码,依托单位科目名称,项目编码,项目名称
        100201,补助资金,1002.01,银行存款-工作室专户,P01,技能大师工作室补助资金
        100201,企业支持资金,1002.01,银行存款-工作室专户,P02,技能大师工作室企业支持资金
        400101,补助资金,5301,专项收入,P01,技能大师工作室补助资金
        400102,企业支持资金,5301,专项收入,P02,技能大师工作室企业支持资金
        500101,补助资金,5401.01,专项支出-设备购置,P01,技能大师工作室补助资金
        500106,企业支持资金,6602.03,管理费用-差旅费,,
        121801,企业支持资金,1221,其他应收款,P02,技能大师工作室企业支持资金

        """

    @Test func mappingImportListsEveryErrorAndWritesNothing() throws {
        let app = try TestLedger.app(studios: ["S1"])
        let before = try counts(app)
        let bad = """
            科目编码,资金来源,依托单位科目编码,项目编码
            100201,补助资金,1002.01,P01
            9999,补助资金,1002.02,P01
            1002,补助资金,1002,P01
            400101,企业支持资金,5301,P01
            100201,补助资金,1002.09,P09
            500101,补助资金,,P01
            500102,补助资金,1002.01,P01
            500103,研发,5401,P01

            """
        let found = errors { _ = try app.erp.importMapping(csv: Data(bad.utf8), file: "bad.csv", hostUnit: Self.host) }
        #expect(found.map { "\($0.line ?? 0) \($0.rejection.code.rawValue) \($0.rejection.field ?? "")" } == [
            "3 I016 科目编码", "4 I016 科目编码", "5 I016 资金来源", "6 I016 科目编码", "7 I016 依托单位科目编码", "8 I016 项目编码",
            "9 I016 资金来源",
        ])
        #expect(found.allSatisfy { $0.file == "bad.csv" })
        #expect(try counts(app) == before, "a rejected mapping writes nothing")
    }

    @Test func mappingImportIsVersionedAndLogged() throws {
        let app = try TestLedger.app(studios: ["S1"])
        let first = try app.erp.importMapping(csv: Data(Self.mappingCSV.utf8), file: "m.csv", hostUnit: Self.host)
        #expect(first.version == 1 && first.entries.count == 7)
        let listed = try app.erp.mappingCSV(hostUnit: Self.host)
        let again = try app.erp.importMapping(csv: listed.data, file: "m2.csv", hostUnit: Self.host)
        #expect(again.version == 2 && again.entries == first.entries, "what list writes, import reads back")
        #expect(try app.erp.mapping(hostUnit: Self.host).version == 2)
        #expect(try app.store.unsafeScalarForTesting("SELECT count(*) FROM host_account_mapping") == 14, "history kept")
        #expect(try app.admin.log(action: "mapping.import").count == 2)
        #expect(try app.admin.verify().isClean)
        #expect(throws: (any Error).self) {
            try app.store.unsafeExecuteForTesting("UPDATE host_account_mapping SET host_account = 'x' WHERE id = 1")
        }
    }

    @Test func mappingImportAuthorisationIsTheHostUnitsSupervisor() throws {
        func account(_ role: Role, _ scope: Scope) -> WebAccount {
            WebAccount(id: 1, name: "甲", role: role, scope: scope, expires: nil, disabled: false, mustChangePassword: false, createdAt: "", createdBy: "")
        }
        let today = TestLedger.clock.today()
        #expect(ERPDesk.authorizeMappingImport(account(.supervisor, .hostUnit(Self.host)), hostUnit: Self.host, today: today).isAllowed)
        #expect(!ERPDesk.authorizeMappingImport(account(.supervisor, .hostUnit("other")), hostUnit: Self.host, today: today).isAllowed)
        #expect(!ERPDesk.authorizeMappingImport(account(.accountant, .hostUnit(Self.host)), hostUnit: Self.host, today: today).isAllowed)
        #expect(!ERPDesk.authorizeMappingImport(account(.admin, .none), hostUnit: Self.host, today: today).isAllowed)
        #expect(!ERPDesk.authorizeMappingImport(account(.bureau, .all), hostUnit: Self.host, today: today).isAllowed)
    }

    // MARK: Host codes and the round trip

    @Test func unmappedHostCodesAreListedAllAtOnce() throws {
        let app = try TestLedger.app(studios: ["S1"])
        _ = try app.erp.importMapping(csv: Data(Self.mappingCSV.utf8), file: "m.csv", hostUnit: Self.host)
        let before = try counts(app)
        let rows = [
            "2025-12-20,2025,12,记,1,1002.01,银行存款,RMB,100,100,0,周丽,何军,,,,收款,1,项目:P01",
            "2025-12-20,2025,12,记,1,5302,其他收入,RMB,100,0,100,周丽,何军,,,,收款,1,项目:P01",
            "2025-12-21,2025,12,记,2,6601,销售费用,RMB,100,100,0,周丽,何军,,,,付款,1,项目:P01",
            "2025-12-21,2025,12,记,2,5302,其他收入,RMB,100,0,100,周丽,何军,,,,付款,1,项目:P01",
        ]
        let found = errors { _ = try app.books.importVouchers(csv: Self.k3(rows), file: "k3.csv", studio: "S1", hostCodes: true) }
        #expect(found.map { "\($0.line ?? 0) \($0.rejection.code.rawValue)" } == ["3 I015"])
        let message = found.first?.rejection.message ?? ""
        #expect(message.contains("5302（第 3、5 行）") && message.contains("6601（第 4 行）"), "\(message)")
        #expect(try counts(app) == before)
    }

    @Test func hostCodesNeedAMapping() throws {
        let app = try TestLedger.app(studios: ["S1"])
        let found = errors { _ = try app.books.importVouchers(csv: Self.k3(Self.k3Rows), file: "k3.csv", studio: "S1", hostCodes: true) }
        #expect(found.map(\.rejection.code) == [.mappingMissing])
    }

    @Test func exportListsEveryUnmappedAccountAndWritesNothing() throws {
        let app = try TestLedger.app(studios: ["S1"])
        _ = try app.erp.importMapping(csv: Data(Self.mappingCSV.utf8), file: "m.csv", hostUnit: Self.host)
        _ = try app.store.books.post(
            [
                TestLedger.receipt(fund: .selfRaised, fen: 10_000),
                TestLedger.simple(date: "2025-12-21", debit: "500102", credit: "100201", fund: .subsidy, fen: 100),
            ], stamp: Stamp(user: "u", at: "x", today: TestLedger.clock.today()))
        let found = errors { _ = try app.erp.exportVouchers(format: .kingdee, studio: "S1", from: Period(year: 2025, month: 12)!, to: Period(year: 2025, month: 12)!) }
        #expect(found.map(\.rejection.code) == [.accountUnmapped])
        let message = found.first?.rejection.message ?? ""
        for part in ["100201 项目资金专户 自筹资金", "400103 自筹资金收入 自筹资金", "500102 技术研发 补助资金"] {
            #expect(message.contains(part), "\(message)")
        }
    }

    /// Books of a studio as comparable text: every posting's date, account, fund, side, amount
    /// and memo, in book order, and the trial balance.
    func books(_ app: LedgerApp, _ studio: String) throws -> (postings: [String], balance: [String]) {
        let postings = try app.books.journal(studio: studio).flatMap { voucher in
            voucher.draft.lines.map { "\(voucher.draft.date.iso) \($0.account) \($0.fund.rawValue) \($0.side.rawValue) \($0.amount.fen) \($0.memo)" }
        }
        let balance = try app.books.trialBalance(studio: studio).sections.map { "\($0)" }
        return (postings, balance)
    }

    static let sample: [VoucherDraft] = [
        TestLedger.receipt(fund: .subsidy, fen: 3_000_000),
        TestLedger.receipt(date: "2025-12-21", fund: .enterprise, fen: 1_234_567),
        TestLedger.simple(date: "2026-01-08", debit: "500101", credit: "100201", fund: .subsidy, fen: 1_999_999, memo: "购置数控车床, 含税"),
        TestLedger.simple(date: "2026-01-09", debit: "500106", credit: "100201", fund: .enterprise, fen: 45_600, memo: "差旅费“成都”"),
        VoucherDraft(
            studio: "S1", date: TestLedger.date("2026-01-12"), voucherClass: .fu,
            lines: [TestLedger.line("121801", .enterprise, .debit, 20_000, memo: "借支"), TestLedger.line("100201", .enterprise, .credit, 20_000, memo: "借支")],
            attachments: 2, settlement: .cash, preparer: "李会计", reviewer: "王主管", poster: "赵出纳"),
    ]

    @Test(arguments: ERPFormat.allCases)
    func roundTripThroughTheHostsERPGivesTheSameBooks(_ format: ERPFormat) throws {
        let app = try TestLedger.app(studios: ["S1", "S2"])
        _ = try app.erp.importMapping(csv: Data(Self.mappingCSV.utf8), file: "m.csv", hostUnit: Self.host)
        _ = try app.store.books.post(Self.sample, stamp: Stamp(user: "u", at: "x", today: TestLedger.clock.today()))
        let export = try app.erp.exportVouchers(format: format, studio: "S1", from: Period(year: 2025, month: 12)!, to: Period(year: 2026, month: 1)!)
        #expect(export.vouchers == 5 && export.lines == 10)
        let text = try #require(TextEncoding.decode(export.data))
        #expect(text.encoding == .gb18030)
        #expect(text.text.contains("1002.01") && !text.text.contains("100201,"), "written in the host's codes")
        let imported = try app.books.importVouchers(csv: export.data, file: "erp.csv", studio: "S2", hostCodes: true)
        #expect(imported.vouchers.count == 5)
        let original = try books(app, "S1")
        let copy = try books(app, "S2")
        #expect(copy.postings == original.postings)
        #expect(copy.balance == original.balance)
        let originals = try app.books.journal(studio: "S1").map(\.draft)
        for (a, b) in zip(originals, imported.vouchers.map(\.draft)) {
            #expect(a.voucherClass == b.voucherClass && a.attachments == b.attachments && a.settlement == b.settlement)
            #expect(a.preparer == b.preparer && a.reviewer == b.reviewer)
        }
        #expect(try app.admin.verify().isClean)
    }

    @Test("the XLSX import file: header on row 1 as the ERP reads it, amounts as numbers; read back with openpyxl it gives the same books")
    func xlsxReadsBackWithOpenpyxl() throws {
        let app = try TestLedger.app(studios: ["S1", "S3"])
        _ = try app.erp.importMapping(csv: Data(Self.mappingCSV.utf8), file: "m.csv", hostUnit: Self.host)
        _ = try app.store.books.post(Self.sample, stamp: Stamp(user: "u", at: "x", today: TestLedger.clock.today()))
        let export = try app.erp.exportVouchers(
            format: .kingdee, studio: "S1", from: Period(year: 2025, month: 12)!, to: Period(year: 2026, month: 1)!, xlsx: true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("erp-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        try export.data.write(to: file)
        let script = """
            import sys, csv, openpyxl
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            out = csv.writer(sys.stdout)
            types = set()
            for row in sheet.iter_rows(values_only=True):
                cells = []
                for value in row:
                    if isinstance(value, float):
                        types.add("float"); cells.append("%.2f" % value)
                    elif value is None:
                        cells.append("")
                    else:
                        cells.append(str(value))
                out.writerow(cells)
            assert "float" in types, "amounts are not number cells"
            """
        let csv = try ExternalTool.python(script, [file.path])
        let header = try #require(csv.split(whereSeparator: \.isNewline).first)
        #expect(header.hasPrefix("凭证日期,会计年度,会计期间,凭证字,凭证号,科目代码"), "row 1 is the header: \(header)")
        let imported = try app.books.importVouchers(csv: Data(csv.utf8), file: "erp.csv", studio: "S3", hostCodes: true)
        #expect(imported.vouchers.count == 5)
        #expect(try books(app, "S3").postings == books(app, "S1").postings)
    }
}
