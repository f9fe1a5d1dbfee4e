@testable import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// The voucher desk behind the web forms: drafts apart from the books, maker ≠ reviewer,
/// posting by a supervisor, returns, reversals, source documents and the batch path's R005.
@Suite("Voucher desk")
struct VoucherDeskTests {
    static func person(_ name: String, _ role: Role, id: Int64) -> WebAccount {
        WebAccount(
            id: id, name: name, role: role, scope: .hostUnit(TestLedger.hostCode.description), expires: nil, disabled: false,
            mustChangePassword: false, createdAt: "2026-11-01T00:00:00Z", createdBy: "管理员")
    }

    static let accountant = person("李会计", .accountant, id: 1)
    static let supervisor = person("王主管", .supervisor, id: 2)
    static let secondSupervisor = person("赵主管", .supervisor, id: 3)

    /// Equipment bought from two funds: 8,000 subsidy and 2,000 enterprise money.
    static func equipmentForm(date: String = "2026-01-10") -> VoucherForm {
        VoucherForm(
            date: date, voucherClass: "记", attachments: "1", settlement: "bank-transfer", counterparty: "资阳数控设备有限公司",
            lines: [
                .init(memo: "购置数控实训设备", account: "500101", fund: "subsidy", debit: "8000.00"),
                .init(memo: "购置数控实训设备", account: "100201", fund: "subsidy", credit: "8000"),
                .init(memo: "购置数控实训设备", account: "500101", fund: "enterprise", debit: "2,000.00"),
                .init(memo: "购置数控实训设备", account: "100201", fund: "enterprise", credit: "2000.00"),
                .init(fund: "subsidy"),
            ])
    }

    static func funded() throws -> LedgerApp {
        let app = try TestLedger.app()
        _ = try app.store.books.post(
            [TestLedger.receipt(fund: .subsidy, fen: 3_000_000), TestLedger.receipt(fund: .enterprise, fen: 1_000_000)],
            stamp: app.stamp())
        return app
    }

    @Test func aDraftIsNotTheBooksUntilPosted() throws {
        let app = try Self.funded()
        let before = try app.books.journal(studio: "S1").count
        let maker = app.acting(as: Self.accountant).vouchers
        let draft = try maker.save(Self.equipmentForm(), studio: "S1")
        #expect(draft.state == .draft)
        #expect(draft.voucher.lines.count == 4, "the blank spare line is not a line")
        #expect(draft.voucher.preparer == "李会计")
        #expect(try app.books.journal(studio: "S1").count == before)
        #expect(try app.store.unsafeScalarForTesting("SELECT count(*) FROM row_chain WHERE tbl LIKE '%draft%'") == 0)
        #expect(try app.admin.verify().problems.isEmpty)
        // Posting will name a second person: the preview does not charge the draft with JE-002.
        #expect(try !app.vouchers.view(draft.id, studio: "S1").findings.contains { $0.rule == "JE-002" })
        #expect(try !app.vouchers.findings(of: [draft]).values.joined().contains { $0.rule == "JE-002" })
        // The maker changes it from the version the form was built on; a stale form is refused.
        var form = Self.equipmentForm()
        form.counterparty = "资阳精工机床厂"
        let changed = try maker.save(form, studio: "S1", id: draft.id, version: draft.version)
        #expect(changed.version == draft.version + 1)
        #expect(throws: Rejection.self) { try maker.save(form, studio: "S1", id: draft.id, version: draft.version) }
        // Somebody else cannot change it.
        let other = app.acting(as: Self.supervisor).vouchers
        #expect(throws: Rejection(.notDraftMaker, field: "draft", "草稿 \(draft.id) 由 李会计 填制，只有制单人本人可以修改、删除或提交")) {
            try other.save(form, studio: "S1", id: draft.id, version: changed.version)
        }
    }

    @Test func theFormNamesEachBadCell() throws {
        let app = try Self.funded()
        var form = Self.equipmentForm()
        form.lines[0].debit = "8000.001"
        form.lines[1].account = ""
        form.lines[2].fund = "公款"
        do {
            _ = try app.acting(as: Self.accountant).vouchers.save(form, studio: "S1")
            Issue.record("a bad form was saved")
        } catch let errors as VoucherFormErrors {
            let cells = errors.errors.map { "\($0.line.map(String.init) ?? "-") \($0.field) \($0.rejection.code.rawValue)" }
            #expect(cells.contains("0 debit M003"), Comment(rawValue: cells.joined(separator: "; ")))
            #expect(cells.contains("2 fund F001") || cells.contains { $0.hasPrefix("2 fund") }, Comment(rawValue: cells.joined(separator: "; ")))
        }
        // Once every cell parses, the voucher's own rules name the line: line 2 has no account.
        form = Self.equipmentForm()
        form.lines[1].account = "9999"
        do {
            _ = try app.acting(as: Self.accountant).vouchers.save(form, studio: "S1")
            Issue.record("an unknown account was saved")
        } catch let errors as VoucherFormErrors {
            #expect(errors.errors.count == 1)
            #expect(errors.errors[0].line == 1)
            #expect(errors.errors[0].field == "account")
            #expect(errors.errors[0].rejection.code == .accountUnknown)
        }
        #expect(try app.vouchers.drafts(studios: ["S1"]).isEmpty, "nothing was written")
    }

    @Test func theMakerCannotReviewAndASupervisorPosts() throws {
        let app = try Self.funded()
        let maker = app.acting(as: Self.accountant).vouchers
        let reviewer = app.acting(as: Self.supervisor).vouchers
        var draft = try maker.save(Self.equipmentForm(), studio: "S1")
        draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
        #expect(draft.state == .submitted)
        // A supervisor who made the voucher may not review it either: R003, the rule cited.
        let ownWork = try reviewer.save(Self.equipmentForm(date: "2026-01-11"), studio: "S1")
        let submitted = try reviewer.submit(ownWork.id, studio: "S1", version: ownWork.version)
        do {
            _ = try reviewer.review(submitted.id, studio: "S1", version: submitted.version)
            Issue.record("the maker reviewed their own voucher")
        } catch let rejection as Rejection {
            #expect(rejection.code == .reviewerIsMaker)
            #expect(rejection.message.contains("会计基础工作规范 第五十一条"))
        }
        #expect(throws: Rejection.self) { try maker.review(draft.id, studio: "S1", version: draft.version) }
        // Not reviewed yet: not postable.
        #expect(throws: Rejection.self) { try reviewer.post([draft.id], studio: "S1") }
        draft = try reviewer.review(draft.id, studio: "S1", version: draft.version)
        #expect(draft.state == .reviewed)
        #expect(draft.reviewer == "王主管")
        let posted = try reviewer.post([draft.id], studio: "S1")
        #expect(posted.count == 1)
        let voucher = posted[0]
        #expect(voucher.draft.preparer == "李会计")
        #expect(voucher.draft.reviewer == "王主管")
        #expect(voucher.draft.poster == "王主管")
        #expect(voucher.postedBy == "王主管")
        #expect(try app.vouchers.draft(draft.id, studio: "S1").state == .posted)
        #expect(try app.vouchers.draft(draft.id, studio: "S1").posted == [voucher.ref])
        let actions = try app.admin.log().map(\.action)
        for step in ["draft.create", "draft.submit", "draft.review", "voucher.post"] {
            #expect(actions.contains(step), "the log lacks \(step)")
        }
        #expect(try app.admin.verify().problems.isEmpty)
        // The trial balance carries it per fund.
        let balance = try app.books.trialBalance(studio: "S1", fund: .enterprise)
        let equipment = try #require(balance.sections.flatMap(\.rows).first { $0.account == "500101" })
        #expect(equipment.debit == Money(fen: 200_000))
    }

    @Test func aReturnedDraftGoesBackToItsMakerWithTheReason() throws {
        let app = try Self.funded()
        let maker = app.acting(as: Self.accountant).vouchers
        let reviewer = app.acting(as: Self.supervisor).vouchers
        var draft = try maker.save(Self.equipmentForm(), studio: "S1")
        draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
        #expect(throws: Rejection.self) { try reviewer.returnToMaker(draft.id, studio: "S1", reason: "  ", version: draft.version) }
        draft = try reviewer.returnToMaker(draft.id, studio: "S1", reason: "发票抬头与依托单位不符，请补正", version: draft.version)
        #expect(draft.state == .returned)
        #expect(draft.returnReason == "发票抬头与依托单位不符，请补正")
        #expect(draft.returnedBy == "王主管")
        #expect(try app.admin.log().contains { $0.action == "draft.return" && $0.detail.contains("发票抬头与依托单位不符") })
        // The maker corrects and submits again.
        draft = try maker.save(Self.equipmentForm(), studio: "S1", id: draft.id, version: draft.version)
        draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
        #expect(draft.state == .submitted)
    }

    @Test func twoSupervisorsPostingOneDraftAtOncePostItOnce() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wl-drafts-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("ledger.sqlite").path
        let setup = try LedgerApp(path: path, clock: TestLedger.clock, user: "测试员")
        _ = try setup.register.initialize()
        _ = try setup.register.addHostUnit(creditCode: TestLedger.hostCode, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
        _ = try setup.register.addStudio(
            code: "S1", name: "S1 工作室", hostUnit: TestLedger.hostCode, leader: "张师傅", field: "数控加工", recognized: "2025-12-15", subsidy: "30000")
        _ = try setup.books.postVouchers(json: Data("""
            [{"studio":"S1","date":"2025-12-20","preparer":"李会计","reviewer":"王主管","attachments":1,"lines":[
              {"memo":"收到补助","account":"100201","fund":"subsidy","side":"debit","amount":"30000"},
              {"memo":"收到补助","account":"400101","fund":"subsidy","side":"credit","amount":"30000"},
              {"memo":"收到企业资金","account":"100201","fund":"enterprise","side":"debit","amount":"10000"},
              {"memo":"收到企业资金","account":"400102","fund":"enterprise","side":"credit","amount":"10000"}]}]
            """.utf8), file: "receipt.json")
        let maker = try LedgerApp(path: path, clock: TestLedger.clock, user: "测试员").acting(as: Self.accountant).vouchers
        var draft = try maker.save(Self.equipmentForm(), studio: "S1")
        draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
        draft = try LedgerApp(path: path, clock: TestLedger.clock, user: "x").acting(as: Self.supervisor).vouchers
            .review(draft.id, studio: "S1", version: draft.version)
        // Two processes' worth of connections, one per supervisor, racing to post.
        let desks = [Self.supervisor, Self.secondSupervisor].map { account in
            try! LedgerApp(path: path, clock: TestLedger.clock, user: "x").acting(as: account).vouchers
        }
        let outcomes = Outcomes()
        let id = draft.id
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            do {
                let posted = try desks[index].post([id], studio: "S1")
                outcomes.add("posted \(posted.count)")
            } catch let rejection as Rejection {
                outcomes.add(rejection.code.rawValue)
            } catch {
                outcomes.add("\(error)")
            }
        }
        #expect(outcomes.sorted == ["R002", "posted 1"])
        #expect(try setup.books.journal(studio: "S1").count == 2)
        #expect(try setup.admin.verify().problems.isEmpty)
    }

    @Test func aBatchPostIsAllOrNothing() throws {
        let app = try Self.funded()
        let maker = app.acting(as: Self.accountant).vouchers
        let reviewer = app.acting(as: Self.supervisor).vouchers
        var ids: [Int64] = []
        for date in ["2026-01-10", "2026-02-10"] {
            var draft = try maker.save(Self.equipmentForm(date: date), studio: "S1")
            draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
            ids.append(try reviewer.review(draft.id, studio: "S1", version: draft.version).id)
        }
        let before = try app.books.journal(studio: "S1").count
        // January is closed after the review: the batch holding it posts nothing at all.
        try app.books.closePeriod(try Period.parse("2025-12"), studio: "S1")
        try app.books.closePeriod(try Period.parse("2026-01"), studio: "S1")
        #expect(throws: Rejection.self) { try reviewer.post(ids, studio: "S1") }
        #expect(try app.books.journal(studio: "S1").count == before)
        #expect(try app.vouchers.drafts(studios: ["S1"], states: [.reviewed]).count == 2)
        // Without it, the other posts.
        #expect(try reviewer.post([ids[1]], studio: "S1").count == 1)
    }

    @Test func theBrowserAndTheCLIWriteTheSameRows() throws {
        // Ledger A: made by 李会计, reviewed and posted by 王主管 through the desk.
        let a = try TestLedger.app(user: "王主管")
        var draft = try a.acting(as: Self.accountant).vouchers.save(Self.equipmentForm(), studio: "S1")
        draft = try a.acting(as: Self.accountant).vouchers.submit(draft.id, studio: "S1", version: draft.version)
        draft = try a.acting(as: Self.supervisor).vouchers.review(draft.id, studio: "S1", version: draft.version)
        _ = try a.acting(as: Self.supervisor).vouchers.post([draft.id], studio: "S1")
        // Ledger B: the same voucher as a JSON file, posted by 王主管 at the CLI.
        let b = try TestLedger.app(user: "王主管")
        _ = try b.books.postVouchers(json: Data("""
            {"studio":"S1","date":"2026-01-10","class":"记","attachments":1,"settlement":"bank-transfer","counterparty":"资阳数控设备有限公司",
             "preparer":"李会计","reviewer":"王主管","poster":"王主管","lines":[
              {"memo":"购置数控实训设备","account":"500101","fund":"subsidy","side":"debit","amount":"8000.00"},
              {"memo":"购置数控实训设备","account":"100201","fund":"subsidy","side":"credit","amount":"8000.00"},
              {"memo":"购置数控实训设备","account":"500101","fund":"enterprise","side":"debit","amount":"2000.00"},
              {"memo":"购置数控实训设备","account":"100201","fund":"enterprise","side":"credit","amount":"2000.00"}]}
            """.utf8), file: "voucher.json")
        for table in ["voucher", "posting", "month_balance"] {
            let rows = try Self.dump(a, table)
            #expect(!rows.isEmpty)
            #expect(rows == (try Self.dump(b, table)), "\(table) differs")
        }
    }

    /// Every row of a table, every column, as SQLite quotes it.
    static func dump(_ app: LedgerApp, _ table: String) throws -> [String] {
        let columns = try app.store.unsafeStringsForTesting("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid")
        let expression = columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
        return try app.store.unsafeStringsForTesting("SELECT \(expression) FROM \(table) ORDER BY 1")
    }

    @Test func theBatchPathRefusesUnreviewedVouchersUnlessAllowed() throws {
        let app = try Self.funded()
        let json = Data("""
            {"studio":"S1","date":"2026-01-10","attachments":1,"preparer":"李会计","reviewer":"","lines":[
              {"memo":"购置工具","account":"500101","fund":"subsidy","side":"debit","amount":"100.00"},
              {"memo":"购置工具","account":"100201","fund":"subsidy","side":"credit","amount":"100.00"}]}
            """.utf8)
        do {
            _ = try app.books.postVouchers(json: json, file: "v.json")
            Issue.record("an unreviewed voucher was posted")
        } catch let located as LocatedRejection {
            #expect(located.rejection.code == .voucherUnreviewed)
            #expect(located.rejection.message.contains("--allow-unreviewed"))
        }
        let same = Data(String(decoding: json, as: UTF8.self).replacingOccurrences(of: "\"reviewer\":\"\"", with: "\"reviewer\":\"李会计\"").utf8)
        #expect(throws: LocatedRejection.self) { try app.books.postVouchers(json: same, file: "v.json") }
        let posted = try app.books.postVouchers(json: json, file: "v.json", allowUnreviewed: true)
        #expect(posted.count == 1)
        #expect(try app.admin.log().last?.detail.contains("--allow-unreviewed") == true)
        // A red reversal names its reviewer, someone other than the acting user.
        #expect(throws: Rejection.self) { try app.books.reverse(posted[0].ref, date: nil, reason: "重复录入", correction: nil) }
        let reversed = try app.books.reverse(posted[0].ref, date: nil, reason: "重复录入", correction: nil, reviewer: "王主管")
        #expect(reversed[0].draft.preparer == "测试员")
        #expect(reversed[0].draft.reviewer == "王主管")
        #expect(reversed[0].draft.poster == "测试员")
    }

    @Test func aReversalRequestIsReviewedAndPostsWithItsCorrection() throws {
        let app = try Self.funded()
        let maker = app.acting(as: Self.accountant).vouchers
        let reviewer = app.acting(as: Self.supervisor).vouchers
        let original = try app.books.journal(studio: "S1").first { $0.draft.lines.contains { $0.fund == .enterprise } }!
        var correction = VoucherForm(original.draft)
        correction.date = "2025-12-28"
        correction.lines[0].debit = "9000.00"
        correction.lines[1].credit = "9000.00"
        var draft = try maker.requestReversal(of: original.ref, reason: "金额录错", correction: correction)
        #expect(draft.reverses == original.ref)
        try maker.attach(Data("%PDF-1.7 更正说明".utf8), fileName: "更正说明.pdf", to: draft.id, studio: "S1")
        draft = try app.vouchers.draft(draft.id, studio: "S1")
        draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
        draft = try reviewer.review(draft.id, studio: "S1", version: draft.version)
        let posted = try reviewer.post([draft.id], studio: "S1")
        #expect(posted.count == 2)
        guard case .reversal(of: let reversed) = posted[0].kind else { Issue.record("not a reversal"); return }
        #expect(reversed == original.ref)
        #expect(posted[0].draft.preparer == "李会计" && posted[0].draft.reviewer == "王主管" && posted[0].draft.poster == "王主管")
        #expect(posted[1].draft.lines[0].amount == Money(fen: 900_000))
        let files = try app.packages.evidence(studio: "S1")
        #expect(files.contains { $0.voucher == posted[1].ref && $0.fileName == "更正说明.pdf" }, "the documents go with the correction")
        // A second request for the same voucher is refused.
        #expect(throws: Rejection.self) { try maker.requestReversal(of: original.ref, reason: "再次", correction: VoucherForm()) }
    }

    @Test func aStalePageCannotPostAndAReversalRequestKeepsItsShape() throws {
        let app = try Self.funded()
        let maker = app.acting(as: Self.accountant).vouchers
        let reviewer = app.acting(as: Self.supervisor).vouchers
        var draft = try maker.save(Self.equipmentForm(), studio: "S1")
        draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
        let seen = try reviewer.review(draft.id, studio: "S1", version: draft.version)
        // Returned, changed, resubmitted and reviewed again after the poster's page was built.
        draft = try reviewer.returnToMaker(draft.id, studio: "S1", reason: "改往来单位", version: seen.version)
        draft = try maker.save(Self.equipmentForm(date: "2026-01-12"), studio: "S1", id: draft.id, version: draft.version)
        draft = try maker.submit(draft.id, studio: "S1", version: draft.version)
        draft = try app.acting(as: Self.secondSupervisor).vouchers.review(draft.id, studio: "S1", version: draft.version)
        #expect(throws: Rejection.self) { try reviewer.post(versions: [seen.id: seen.version], studio: "S1") }
        #expect(try reviewer.post(versions: [draft.id: draft.version], studio: "S1").count == 1)
        // A reversal request is not edited as an ordinary voucher, and takes no documents alone.
        let original = try app.books.journal(studio: "S1").first!
        let request = try maker.requestReversal(of: original.ref, reason: "重复入账", correction: VoucherForm(date: "2025-12-28"))
        #expect(throws: Rejection.self) { try maker.save(Self.equipmentForm(), studio: "S1", id: request.id, version: request.version) }
        #expect(throws: Rejection.self) { try maker.attach(Data("%PDF-1.7".utf8), fileName: "a.pdf", to: request.id, studio: "S1") }
        #expect(try app.vouchers.draft(request.id, studio: "S1").reason == "重复入账")
    }

    @Test func namesAreComparedAsPeopleReadThem() throws {
        // 周丽 and 周麗, zhang and ＺＨＡＮＧ: one person, as JE-002 reads them.
        #expect(throws: Rejection.self) { try DraftRules.checkReviewer(maker: "zhang", reviewer: "ＺＨＡＮＧ") }
        #expect(DraftRules.unreviewed([TestLedger.simple(debit: "500101", credit: "100201", fen: 100)]).isEmpty)
        var same = TestLedger.simple(debit: "500101", credit: "100201", fen: 100)
        same.reviewer = "李会計"
        if PersonName.foldsTraditionalChinese { #expect(DraftRules.unreviewed([same]) == [0]) }
        same.reviewer = " "
        #expect(DraftRules.unreviewed([same]) == [0])
    }

    @Test func sourceDocumentsAreToldByTheirBytes() throws {
        #expect(try EvidenceType.sniff(Array("%PDF-1.7\n".utf8), fileName: "a.pdf") == .pdf)
        #expect(try EvidenceType.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0], fileName: "a.jpg") == .jpeg)
        #expect(try EvidenceType.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], fileName: "a.png") == .png)
        #expect(try EvidenceType.sniff([0x50, 0x4B, 0x03, 0x04] + Array("....OFD.xml....".utf8), fileName: "a.ofd") == .ofd)
        // A text file named .pdf, and a ZIP that is not an OFD, are refused.
        #expect(throws: Rejection.self) { try EvidenceType.sniff(Array("发票".utf8), fileName: "发票.pdf") }
        #expect(throws: Rejection.self) { try EvidenceType.sniff([0x50, 0x4B, 0x03, 0x04] + Array("word/document.xml".utf8), fileName: "a.ofd") }
        #expect(throws: Rejection.self) { try EvidenceType.sniff([UInt8](), fileName: "空.pdf") }
        let app = try Self.funded()
        let maker = app.acting(as: Self.accountant).vouchers
        let draft = try maker.save(Self.equipmentForm(), studio: "S1")
        #expect(throws: Rejection.self) { try maker.attach(Data("not a pdf".utf8), fileName: "x.pdf", to: draft.id, studio: "S1") }
        try maker.attach(Data("%PDF-1.7 发票".utf8), fileName: "发票.pdf", to: draft.id, studio: "S1")
        try maker.attach(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1]), fileName: "收据.png", to: draft.id, studio: "S1")
        // Two files for a voucher that says 附单据 1 张: refused at submission.
        let current = try app.vouchers.draft(draft.id, studio: "S1")
        #expect(throws: Rejection.self) { try maker.submit(draft.id, studio: "S1", version: current.version) }
    }

    @Test func accountsAreFoundByPinyinInitials() throws {
        let app = try TestLedger.app()
        let choices = try app.vouchers.accountChoices()
        let bank = try #require(choices.first { $0.code == "100201" })
        #expect(bank.name == "银行存款—项目资金专户")
        #expect(bank.initials.hasPrefix("yhck"))
        #expect(PinyinInitials.of("培训设施设备") == "pxsssb")
        #expect(try #require(choices.first { $0.code == "400101" }).funds == ["subsidy"])
    }
}

/// What concurrent attempts reported.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var sorted: [String] { lock.lock(); defer { lock.unlock() }; return items.sorted() }
}
