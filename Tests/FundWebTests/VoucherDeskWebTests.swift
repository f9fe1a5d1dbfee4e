import FundApp
import FundCore
import FundTestSupport
import FundWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The voucher desk over HTTP: files sent as multipart forms (a CSV checked before anything is
/// written, then submitted as drafts; a source document judged by its bytes), and the role and
/// maker rules as the server answers them.
@Suite("Web voucher desk")
struct VoucherDeskWebTests {
    static let csv = """
        日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,附单据数,结算方式,发票代码,发票号码,往来单位,制单人,审核人
        2026-11-16,记,1,购买实训耗材,500104,企业支持资金,120.00,,1,银行转账,,,资阳五金店,众诚会计,众诚财务负责人
        2026-11-16,记,1,购买实训耗材,100201,企业支持资金,,120.00,,,,,,,
        2026-11-17,记,2,购买培训教材,500104,企业支持资金,80.00,,1,银行转账,,,资阳书店,众诚会计,众诚财务负责人
        2026-11-17,记,2,购买培训教材,100201,企业支持资金,,80.00,,,,,,,

        """

    @Test func aVoucherFileIsCheckedThenSubmittedAsDrafts() async throws {
        let app = try WebFixture.app()
        let code = WebFixture.own
        let before = try app.books.journal(studio: code).count
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            let accountant = try await client.signIn(WebFixture.names[.accountant]!)
            let preview = try await client.upload("/studios/\(code)/import", file: Data(Self.csv.utf8), name: "序时账.csv", as: accountant)
            let page = String(buffer: preview.body)
            #expect(preview.status == .ok, Comment(rawValue: page))
            #expect(page.contains("检查通过：2 张凭证，尚未写入"))
            #expect(try app.books.journal(studio: code).count == before, "the check writes nothing")
            #expect(!page.contains("直接记账"), "an accountant is not offered the direct post")
            let content = try #require(hidden(page, "content"))
            let confirmed = try await client.post(
                "/studios/\(code)/import/drafts", ["content": content, "file_name": "序时账.csv"], as: accountant)
            #expect(confirmed.status == .seeOther)
            // Posting straight from the file is the supervisor's.
            let direct = try await client.post("/studios/\(code)/import/post", ["content": content, "file_name": "序时账.csv"], as: accountant)
            #expect(direct.status == .forbidden)
        }
        let drafts = try app.vouchers.drafts(studios: [code])
        #expect(drafts.count == 2)
        #expect(drafts.allSatisfy { $0.state == .submitted && $0.maker == WebFixture.names[.accountant]! })
        #expect(try app.books.journal(studio: code).count == before, "drafts are not the books")
    }

    @Test func aSourceDocumentIsJudgedByItsBytesAndTheMakerCannotReview() async throws {
        let app = try WebFixture.app()
        let code = WebFixture.own
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            let supervisor = try await client.signIn(WebFixture.names[.supervisor]!)
            // The supervisor makes a voucher through the plain form (no script).
            let form: [String: String] = [
                "date": "2026-11-18", "class": "记", "attachments": "1", "settlement": "bank-transfer", "counterparty": "资阳五金店",
                "line_count": "3", "l0_memo": "购买实训耗材", "l0_account": "500104", "l0_fund": "enterprise", "l0_debit": "50.00",
                "l1_memo": "购买实训耗材", "l1_account": "100201", "l1_fund": "enterprise", "l1_credit": "50.00", "l2_fund": "subsidy",
                "then": "submit",
            ]
            let made = try await client.post("/studios/\(code)/drafts", form, as: supervisor)
            #expect(made.status == .seeOther, Comment(rawValue: String(buffer: made.body)))
            let address = try #require(made.headers[.location])
            // Its own maker may not review it: R003 from the server, not just a hidden button.
            let page = String(buffer: try await client.get(address, as: supervisor).body)
            let version = try #require(hidden(page, "version"))
            let review = try await client.post(address + "/review", ["version": version], as: supervisor)
            #expect(review.status == .badRequest)
            #expect(String(buffer: review.body).contains("R003"))
            // A text file named .pdf is refused by its bytes; nothing is attached.
            let accountant = try await client.signIn(WebFixture.names[.accountant]!)
            let other = try await client.post("/studios/\(code)/drafts", form.merging(["then": "save"]) { $1 }, as: accountant)
            let draft = try #require(other.headers[.location])
            let fake = try await client.upload(draft + "/files", file: Data("这不是发票".utf8), name: "发票.pdf", as: accountant)
            #expect(fake.status == .badRequest)
            #expect(String(buffer: fake.body).contains("E005"))
            let real = try await client.upload(draft + "/files", file: Data("%PDF-1.7\n发票".utf8), name: "发票.pdf", as: accountant)
            #expect(real.status == .seeOther)
            let shown = String(buffer: try await client.get(draft, as: accountant).body)
            #expect(shown.contains("已附 1 个文件 / 附单据数 1 张"))
            #expect(shown.contains("（2026-11-20 09:"), "times in Beijing time (the fixture's clock starts at 01:00 UTC)")
            // Someone else's draft is not the supervisor's to change.
            let foreignEdit = try await client.post(draft, form.merging(["then": "save", "version": "1"]) { $1 }, as: supervisor)
            #expect(foreignEdit.status == .badRequest)
            #expect(String(buffer: foreignEdit.body).contains("R004"))
        }
    }
}

extension TestClientProtocol {
    /// Sends one file as a browser does: a multipart form with the session's token.
    func upload(_ uri: String, file: Data, name: String, as visitor: Visitor) async throws -> TestResponse {
        let boundary = "----WorkshopLedgerTest\(UUID().uuidString.prefix(8))"
        var body = Data()
        func add(_ text: String) { body.append(Data(text.utf8)) }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(visitor.csrf)\r\n")
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.append(file)
        add("\r\n--\(boundary)--\r\n")
        return try await execute(
            uri: uri, method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: visitor.cookie], body: ByteBuffer(bytes: body))
    }
}

/// The multipart reader on what browsers send and on what an attacker sends.
@Suite("Multipart bodies")
struct MultipartTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aBrowsersFormReadsBack() {
        let body = Self.bytes(
            "--B\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"发票 %22甲%22.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n--Bx\r\n"
                + "--B--\r\n")
        let (fields, files) = FundWebTesting.multipart(body, boundary: "B")
        #expect(fields == ["_csrf": "tok"])
        #expect(files["file"]?.name == "发票 \"甲\".pdf")
        // The file's own bytes may hold the boundary text when it does not follow CRLF.
        #expect(files["file"]?.size == "%PDF-1.7\r\n--Bx".utf8.count)
    }

    @Test func malformedBodiesYieldNothingAndDoNotCrash() {
        // A part whose blank line sits right before the next delimiter (it crashed the first parser).
        #expect(FundWebTesting.multipart(Self.bytes("--B\r\nX\r\n\r\n--B--\r\n"), boundary: "B").fields.isEmpty)
        #expect(FundWebTesting.multipart(Self.bytes("--B\r\n\r\n\r\n--B--"), boundary: "B").fields.isEmpty)
        #expect(FundWebTesting.multipart(Self.bytes("garbage"), boundary: "B").fields.isEmpty)
        #expect(FundWebTesting.multipart([], boundary: "B").fields.isEmpty)
        // No blank line anywhere, part after part: read in one pass, at most 64 parts.
        let many = String(repeating: "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n", count: 10_000)
        #expect(FundWebTesting.multipart(Self.bytes(many), boundary: "B").fields.isEmpty)
        var fields = ""
        for index in 0..<100 { fields += "--B\r\nContent-Disposition: form-data; name=\"f\(index)\"\r\n\r\nv\r\n" }
        #expect(FundWebTesting.multipart(Self.bytes(fields + "--B--\r\n"), boundary: "B").fields.count == 64)
    }

    @Test func nobodySignedOutGetsAMultipartBodyRead() async throws {
        let app = try WebFixture.app()
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            let body = "--B\r\nX\r\n\r\n--B--\r\n"
            let response = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "multipart/form-data; boundary=B"], body: ByteBuffer(string: body))
            #expect(response.status == .forbidden, "no CSRF token read from it: refused, and the server still answers")
            #expect(try await client.get("/healthz").status == .ok)
        }
    }
}

/// 第十二条: a 涉密 host unit's studio says so on the web desk and in its evaluation, as its
/// statements and packages do.
@Suite("Confidential marking beyond the statements")
struct ConfidentialMarkingTests {
    @Test func theStudioPageAndTheEvaluationCarryTheMarking() async throws {
        let app = try WebFixture.app()
        _ = try app.register.markHostUnit(creditCode: "91512002MA62Q8K514", confidential: true, basis: "市保密局确定的涉密单位", date: nil)
        try await WebDesk.application(app: app, configuration: WebFixture.configuration(app)).test(.router) { client in
            let bureau = try await client.signIn(WebFixture.names[.bureau]!)
            let own = String(buffer: try await client.get("/studios/\(WebFixture.own)", as: bureau).body)
            #expect(own.contains(">涉密</span>") && own.contains("市保密局确定的涉密单位"))
            let foreign = String(buffer: try await client.get("/studios/\(WebFixture.foreign)", as: bureau).body)
            #expect(!foreign.contains(">涉密</span>"), "another host unit's studio is not marked")
        }
        let evaluation = try app.evaluation.evaluate(studio: WebFixture.own, asOf: try CalendarDate.parse("2026-11-20"))
        #expect("\(evaluation.selfEvaluation)".contains("密级") && "\(evaluation.report)".contains("密级"))
    }
}
