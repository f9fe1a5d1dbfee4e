import Crypto
@testable import FundApp
import FundCore
import FundExchange
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// Text that cannot corrupt the books (V030), dates the books can carry (D003), exact JSON
/// amounts (V031) and names compared as people read them (F003, JE-002).
@Suite("hostile input")
struct HostileInputTests {
    /// Allowed, however awkward: CJK, emoji, combining marks, quotes, backslashes, spreadsheet
    /// formulas, markup, supplementary-plane ideographs.
    static let awkward = "漢字𠀀 e\u{301} 🎉🇨🇳 \"引号\" 'x' \\反斜杠\\ =SUM(A1) <b>&amp;</b> ｶﾀｶﾅ"

    static func long(_ count: Int) -> String {
        String((String(repeating: "长🎉\u{301}é\\\"", count: count)).prefix(count))
    }

    func counts(_ app: LedgerApp) throws -> [Int64] {
        try ["voucher", "posting", "op_log", "month_balance", "finding_note", "budget_revision", "period_event"].map {
            try app.store.unsafeScalarForTesting("SELECT count(*) FROM \($0)") ?? -1
        }
    }

    func json(memo: String = "购置数控车床", counterparty: String = "资阳机床厂", preparer: String = "周丽", reviewer: String = "何军",
              poster: String = "", sourceRef: String = "记-1", date: String = "2026-03-10") -> Data {
        func quoted(_ text: String) -> String {
            String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        }
        let text = """
            {"studio":"S1","date":"\(date)","counterparty":\(quoted(counterparty)),"preparer":\(quoted(preparer)),
             "reviewer":\(quoted(reviewer)),"poster":\(quoted(poster)),"sourceRef":\(quoted(sourceRef)),"attachments":1,
             "lines":[{"memo":\(quoted(memo)),"account":"100201","fund":"subsidy","side":"debit","amountFen":3000000},
                      {"memo":\(quoted(memo)),"account":"400101","fund":"subsidy","side":"credit","amount":"30000.00"}]}
            """
        return Data(text.utf8)
    }

    @Test("every text field takes awkward text; what is read back is what was hashed, and verify passes")
    func awkwardTextRoundTrips() throws {
        let app = try T.app(studios: [])
        let host = T.otherHostCode
        _ = try app.register.addHostUnit(creditCode: host, name: Self.awkward, kind: "college", county: Self.long(100))
        _ = try app.register.addStudio(
            code: "S1", name: Self.awkward, hostUnit: host, leader: Self.long(100), field: Self.awkward, recognized: "2025-12-15",
            subsidy: "30000")
        let memo = "购置\t数控车床 " + Self.long(150)
        let posted = try app.books.postVouchers(
            json: json(memo: memo, counterparty: Self.long(100), preparer: "周丽🎉", reviewer: Self.awkward, poster: "何军\\\"",
                       sourceRef: Self.long(300)), file: "v.json", allowUnreviewed: true)
        #expect(posted[0].draft.lines[0].memo == memo)
        let reversed = try app.books.reverse(posted[0].ref, date: T.date("2026-03-20"), reason: Self.awkward, correction: nil, allowUnreviewed: true)
        try app.books.closePeriod(Period(year: 2025, month: 12)!, studio: "S1")
        try app.books.reopenPeriod(Period(year: 2025, month: 12)!, studio: "S1", reason: Self.long(200))
        _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: "equipment", amount: "20000", reason: Self.awkward)
        _ = try app.lifecycle.change(studio: "S1", step: .new(kind: "other"), date: "2026-10-26", note: Self.awkward)
        _ = try app.lifecycle.addActivity(ActivityForm(
            studio: "S1", date: "2026-03-12", kind: "training", title: Self.awkward, quantity: 3, evidence: Self.awkward + ".pdf",
            note: Self.long(200)))
        for voucher in posted + reversed {
            let stored = try app.books.voucher(voucher.ref).voucher
            #expect(stored == voucher, "read back as posted")
            let text = Canonical.voucherText(
                ref: stored.ref, draft: stored.draft, kind: stored.kind, postedBy: stored.postedBy, postedAt: stored.postedAt,
                sequence: stored.sequence, previousHash: stored.previousHash)
            let hash = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(hash == stored.hash, "the hash covers exactly the stored text")
        }
        let studio = try app.register.studio(code: "S1")
        #expect(studio.name == Self.awkward && studio.field == Self.awkward && studio.leader == Self.long(100))
        #expect(try app.register.hostUnits().contains { $0.name == Self.awkward && $0.county == Self.long(100) })
        #expect(try app.admin.verify().isClean)
    }

    /// Where each field is written, and how: `value` is put into that one field.
    static let fieldWriters: [(String, @Sendable (LedgerApp, String) throws -> Void)] = [
        ("memo", { app, value in _ = try app.books.postVouchers(json: Self().json(memo: "购置" + value + "车床"), file: "v.json", allowUnreviewed: true) }),
        ("counterparty", { app, value in _ = try app.books.postVouchers(json: Self().json(counterparty: "资" + value + "阳"), file: "v.json", allowUnreviewed: true) }),
        ("preparer", { app, value in _ = try app.books.postVouchers(json: Self().json(preparer: "周" + value + "丽"), file: "v.json", allowUnreviewed: true) }),
        ("reviewer", { app, value in _ = try app.books.postVouchers(json: Self().json(reviewer: "何" + value + "军"), file: "v.json", allowUnreviewed: true) }),
        ("poster", { app, value in _ = try app.books.postVouchers(json: Self().json(poster: "何" + value + "军"), file: "v.json", allowUnreviewed: true) }),
        ("sourceRef", { app, value in _ = try app.books.postVouchers(json: Self().json(sourceRef: "记" + value + "1"), file: "v.json", allowUnreviewed: true) }),
        ("reason", { app, value in
            let voucher = try app.books.voucher(VoucherRef(studio: "S1", period: Period(year: 2025, month: 12)!, voucherClass: .ji, number: 1))
            _ = try app.books.reverse(voucher.voucher.ref, date: T.date("2026-01-05"), reason: "误" + value + "记", correction: nil, allowUnreviewed: true)
        }),
        ("reopen reason", { app, value in
            try app.books.reopenPeriod(Period(year: 2025, month: 11)!, studio: "S1", reason: "补" + value + "记")
        }),
        ("host unit name", { app, value in
            _ = try app.register.addHostUnit(creditCode: T.otherHostCode, name: "资" + value + "阳", kind: "college", county: "雁江区")
        }),
        ("host unit county", { app, value in
            _ = try app.register.addHostUnit(creditCode: T.otherHostCode, name: "资阳学院", kind: "college", county: "雁" + value + "江区")
        }),
        ("studio name", { app, value in
            _ = try app.register.addStudio(code: "S9", name: "S" + value + "9", hostUnit: T.hostCode, leader: "张", field: "数控", recognized: "2025-12-15", subsidy: "0")
        }),
        ("studio leader", { app, value in
            _ = try app.register.addStudio(code: "S9", name: "S9", hostUnit: T.hostCode, leader: "张" + value + "三", field: "数控", recognized: "2025-12-15", subsidy: "0")
        }),
        ("studio field", { app, value in
            _ = try app.register.addStudio(code: "S9", name: "S9", hostUnit: T.hostCode, leader: "张", field: "数" + value + "控", recognized: "2025-12-15", subsidy: "0")
        }),
        ("budget reason", { app, value in
            _ = try app.statements.setBudget(studio: "S1", fund: .subsidy, category: "equipment", amount: "1", reason: "计" + value + "划")
        }),
        ("change detail", { app, value in
            _ = try app.lifecycle.change(studio: "S1", step: .new(kind: "other"), date: "2026-10-26", note: "调" + value + "任")
        }),
        ("activity title", { app, value in
            _ = try app.lifecycle.addActivity(ActivityForm(studio: "S1", date: "2026-03-12", kind: "training", title: "培" + value + "训"))
        }),
        ("activity note", { app, value in
            _ = try app.lifecycle.addActivity(ActivityForm(studio: "S1", date: "2026-03-12", kind: "training", title: "培训", note: "备" + value + "注"))
        }),
        ("activity evidence", { app, value in
            _ = try app.lifecycle.addActivity(ActivityForm(studio: "S1", date: "2026-03-12", kind: "training", title: "培训", evidence: "签" + value + "到"))
        }),
        ("notice by", { app, value in
            _ = try app.lifecycle.notice(studio: "S1", kind: "commendation", date: "2026-10-28", by: "市" + value + "局", note: "")
        }),
        ("notice note", { app, value in
            _ = try app.lifecycle.notice(studio: "S1", kind: "commendation", date: "2026-10-28", by: "市人社局", note: "说" + value + "明")
        }),
        ("transition by", { app, value in
            _ = try app.lifecycle.advance(studio: "S1", form: TransitionForm(to: "acceptance", date: "2026-10-28", by: "市" + value + "局"))
        }),
        ("transition note", { app, value in
            _ = try app.lifecycle.advance(studio: "S1", form: TransitionForm(to: "acceptance", date: "2026-10-28", by: "市", note: "说" + value + "明"))
        }),
        ("target note", { app, value in
            _ = try app.lifecycle.setTarget(studio: "S1", indicator: "satisfaction", target: "90", actual: nil, note: "说" + value + "明")
        }),
        ("finding text", { app, value in
            try app.compliance.note(finding: "SUB-001/S1/2025-12/记-1/1", action: .explain, text: "说" + value + "明")
        }),
    ]

    @Test("each forbidden character in each field is refused (V030, exit 2) and nothing is written",
          arguments: [Unicode.Scalar("\u{0}"), "\u{7}", "\u{A}", "\u{7F}", "\u{85}", "\u{200B}", "\u{202E}", "\u{2066}", "\u{FEFF}", "\u{FFFD}"])
    func forbiddenEverywhere(scalar: Unicode.Scalar) throws {
        let app = try T.app()
        _ = try app.books.postVouchers(json: json(date: "2025-12-20"), file: "first.json", allowUnreviewed: true)
        let before = try counts(app)
        for (field, write) in Self.fieldWriters {
            do {
                try write(app, String(scalar))
                Issue.record("\(field): \(TextField.code(scalar)) must be refused")
            } catch let error as LocatedRejection {
                #expect(error.rejection.code == .textControlCharacter, "\(field): \(error)")
                #expect(error.rejection.message.contains(TextField.code(scalar)), "\(field): \(error)")
            } catch let error as Rejection {
                #expect(error.code == .textControlCharacter, "\(field): \(error)")
                #expect(error.message.contains(TextField.code(scalar)), "\(field): \(error)")
            }
            #expect(try counts(app) == before, "\(field): nothing written")
        }
        #expect(try app.admin.verify().isClean)
    }

    @Test("the --user is refused with a forbidden character and normalised otherwise")
    func operatorName() throws {
        for bad in ["周丽\u{0}", "周丽\u{200B}", "\u{202E}admin", "   ", ""] {
            #expect(throws: Rejection.self, "\(bad.debugDescription)") { try LedgerApp.operatorName(bad) }
        }
        #expect(try LedgerApp.operatorName("  ＺＨＯＵ　Li ") == "ZHOU Li")
        let app = LedgerApp(store: try LedgerStore(), clock: T.clock, user: "周丽 ")
        #expect(app.user == "周丽")
        _ = try app.register.initialize()
        let log = try app.admin.log()
        #expect(!log.isEmpty && log.allSatisfy { $0.user == "周丽" }, "the log shows the stored, normalised name")
        #expect(try app.admin.log(user: "\u{3000}周丽 ").count == log.count, "the log is searched by the normalised name")
    }

    @Test("a database is not even created for a --user that V030 refuses")
    func operatorRefusedBeforeOpening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).sqlite").path
        #expect(throws: Rejection.self) { _ = try LedgerApp(path: path, clock: T.clock, user: "周\u{0}丽") }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("bad bytes in a CSV file: a NUL or a replacement character in a memo or a name is V030 at its line, nothing imported")
    func csvBadBytes() throws {
        let app = try T.app()
        let before = try counts(app)
        for (memo, preparer, column) in [("收到\u{0}补助", "周丽", "摘要"), ("收到补助", "周\u{0}丽", "制单人"), ("收到\u{FFFD}补助", "周丽", "摘要"), ("收到补助", "周丽\u{202E}", "制单人")] {
            let csv = "日期,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,制单人\n2026-01-05,1,收到补助,100201,补助资金,100.00,,\(preparer)\n2026-01-05,1,\(memo),400101,补助资金,,100.00,\n"
            do {
                _ = try app.books.importVouchers(csv: Data(csv.utf8), file: "v.csv", studio: "S1", allowUnreviewed: true)
                Issue.record("\(memo) \(preparer) must be refused")
            } catch let list as RejectionList {
                let line = column == "摘要" ? 3 : 2
                #expect(list.items.map { "\($0.line ?? 0) \($0.rejection.code.rawValue) \($0.rejection.field ?? "")" } == ["\(line) V030 \(column)"])
            }
            #expect(try counts(app) == before)
        }
    }

    // MARK: Dates

    @Test("voucher dates: 1970, 2099 and recognition − 400 days refused (D003); − 300 days and today + 31 accepted",
          arguments: [("1970-01-01", false), ("2099-01-01", false), ("2024-11-10", false), ("2026-12-22", false),
                      ("2025-02-18", true), ("2026-12-21", true)])
    func dates(date: String, accepted: Bool) throws {
        // Recognised 2025-12-15, today 2026-11-20: 2024-11-10 is 400 days before, 2025-02-18 300.
        let app = try T.app()
        let before = try counts(app)
        do {
            _ = try app.books.postVouchers(json: json(date: date), file: "v.json", allowUnreviewed: true)
            #expect(accepted, "\(date) must be refused")
        } catch let error as LocatedRejection {
            #expect(!accepted, "\(date): \(error)")
            #expect(error.rejection.code == .dateImplausible && error.rejection.field == "date")
            #expect(try counts(app) == before)
        }
        // The same through a CSV import, located on the voucher's first row.
        let csv = "日期,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,制单人\n\(date),1,收到补助,100201,补助资金,100.00,,周丽\n\(date),1,收到补助,400101,补助资金,,100.00,周丽\n"
        do {
            _ = try app.books.importVouchers(csv: Data(csv.utf8), file: "v.csv", studio: "S1", allowUnreviewed: true)
            #expect(accepted, "\(date) must be refused in CSV")
        } catch let list as RejectionList {
            #expect(!accepted)
            #expect(list.items.map { "\($0.line ?? 0) \($0.rejection.code.rawValue)" } == ["2 D003"])
        }
    }

    @Test("a reversal dated implausibly is refused")
    func reversalDate() throws {
        let app = try T.app()
        let posted = try app.books.postVouchers(json: json(date: "2025-12-20"), file: "v.json", allowUnreviewed: true)
        #expect(throws: Rejection.self) { _ = try app.books.reverse(posted[0].ref, date: T.date("2099-01-01"), reason: "误记", correction: nil, allowUnreviewed: true) }
    }

    // MARK: JSON amounts

    @Test("amountFen must be a JSON integer and amount a string (V031)", arguments: [
        (#""amountFen":20000.0"#, "amountFen"), (#""amountFen":2e4"#, "amountFen"), (#""amountFen":true"#, "amountFen"),
        (#""amountFen":"20000""#, "amountFen"), (#""amountFen":-2E+4"#, "amountFen"), (#""amount":20000"#, "amount"),
        (#""amount":200.5"#, "amount"), (#""amount\u0046en":20000.0"#, "amountFen"), (#""memo\"":"x","amountFen":1.5"#, "amountFen"),
    ])
    func jsonAmounts(fragment: String, key: String) throws {
        let app = try T.app()
        let text = """
            [{"studio":"S1","date":"2026-01-05","preparer":"李会计","lines":[
              {"memo":"收到补助资金","account":"100201","fund":"subsidy","side":"debit","amountFen":2000000},
              {"memo":"收到补助资金","account":"400101","fund":"subsidy","side":"credit",\(fragment)}]}]
            """
        do {
            _ = try app.books.postVouchers(json: Data(text.utf8), file: "float.json", allowUnreviewed: true)
            Issue.record("\(fragment) must be refused")
        } catch let error as LocatedRejection {
            #expect(error.file == "float.json")
            #expect(error.rejection.code == .jsonAmountType, "\(error)")
            #expect(error.rejection.field == "[0].lines[1].\(key)", "\(error)")
        }
        #expect(try app.books.journal(studio: "S1").isEmpty)
    }

    @Test func integerAndStringAmountsStillPost() throws {
        let app = try T.app()
        let text = #"{"studio":"S1","date":"2026-01-05","preparer":"李会计","attachments":0,"lines":[{"memo":"m","account":"100201","fund":"subsidy","side":"debit","amountFen":-0,"amount":null},{"memo":"m","account":"400101","fund":"subsidy","side":"credit","amount":"0"}]}"#
        // Integers (even -0) pass the shape check; the zero amount is then V003 as before.
        do {
            _ = try app.books.postVouchers(json: Data(text.utf8), file: "v.json", allowUnreviewed: true)
            Issue.record("a zero amount is refused")
        } catch let error as LocatedRejection {
            #expect(error.rejection.code == .amountZero)
        }
        _ = try app.books.postVouchers(json: json(), file: "v.json", allowUnreviewed: true)
    }

    // MARK: Names

    @Test("names are stored normalised and the finding's explainer cannot decide it, however written", arguments: [
        "周丽 ", "\u{3000}周丽", "周麗",
    ])
    func findingSameExplainer(decider: String) throws {
        let explainer = try T.app(user: "周丽")
        // A voucher whose preparer is also its reviewer raises JE-002, written two ways.
        let posted = try explainer.books.postVouchers(json: json(preparer: "周丽 ", reviewer: "周麗"), file: "v.json", allowUnreviewed: true)
        #expect(posted[0].draft.preparer == "周丽", "stored normalised")
        let finding = try #require(try explainer.compliance.check(studio: "S1").findings.first { $0.rule == "JE-002" })
        try explainer.compliance.note(finding: finding.key, action: .explain, text: "仅一名会计")
        let decider = LedgerApp(store: explainer.store, clock: T.clock, user: decider)
        do {
            try decider.compliance.note(finding: finding.key, action: .accept, text: "同意")
            Issue.record("\(decider.user) is the explainer")
        } catch let error as Rejection {
            #expect(error.code == .findingSelfDecision)
        }
        let other = LedgerApp(store: explainer.store, clock: T.clock, user: "王主管")
        try other.compliance.note(finding: finding.key, action: .accept, text: "同意")
    }

    @Test("full-width ASCII is the same person as half-width")
    func fullWidthExplainer() throws {
        let explainer = try T.app(user: "ＺＨＯＵ")
        #expect(explainer.user == "ZHOU")
        _ = try explainer.books.postVouchers(json: json(preparer: "ZHOU", reviewer: "ｚｈｏｕ"), file: "v.json", allowUnreviewed: true)
        let finding = try #require(try explainer.compliance.check(studio: "S1").findings.first { $0.rule == "JE-002" })
        try explainer.compliance.note(finding: finding.key, action: .explain, text: "仅一名会计")
        let decider = LedgerApp(store: explainer.store, clock: T.clock, user: "zhou")
        #expect(throws: Rejection.self) { try decider.compliance.note(finding: finding.key, action: .reject, text: "") }
    }
}
