@testable import FundApp
import FundCore
import FundRender
import FundExchange
import FundReports
import FundStore
import FundTestSupport
import Foundation
import Testing

/// CSV injection: memos, counterparties and file names that a spreadsheet would run as a
/// formula reach every CSV we write (report CSVs, the AO tables, the audit package) defused,
/// while amounts — negative ones too — stay numbers.
@Suite("CSV formula defusing", .serialized)
struct CSVFormulaTests {
    static let hyperlink = #"=HYPERLINK("http://x","y")"#
    /// Memos that start like a formula, one per character Excel and LibreOffice act on.
    static let memos = [hyperlink, "+86 cmd", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd"]
    static let counterparty = "=cmd|' /C calc'!A0"
    static let evidenceName = "@evil.pdf"
    static let asOf = TestLedger.date("2026-11-20")

    final class Books: @unchecked Sendable {
        let app: LedgerApp
        let directory: URL
        let keyFile: URL

        /// S1: subsidy received, four expenses whose memos start like formulas (one also with
        /// such a counterparty), the first reversed in red (negative amounts in the books).
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-csv-\(UUID().uuidString)")
            app = try TestLedger.app()
            keyFile = directory.appendingPathComponent("host.ed25519")
            let stamp = Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: CSVFormulaTests.asOf)
            var drafts = [TestLedger.receipt(fund: .subsidy, fen: 3_000_000)]
            for (index, memo) in CSVFormulaTests.memos.enumerated() {
                drafts.append(TestLedger.simple(
                    date: "2026-01-1\(index)", debit: "500101", credit: "100201", fund: .subsidy, fen: 123_450 + Int64(index), memo: memo))
            }
            drafts[1].counterparty = CSVFormulaTests.counterparty
            let posted = try app.store.books.post(drafts, stamp: stamp)
            _ = try app.books.reverse(posted[1].ref, date: TestLedger.date("2026-02-03"), reason: "重复入账", correction: nil, allowUnreviewed: true)
            _ = try app.packages.addEvidence(Data("发票".utf8), fileName: CSVFormulaTests.evidenceName, to: posted[2].ref)
            _ = try app.packages.generateSigningKey(hostUnit: TestLedger.hostCode.description, file: keyFile)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    static let shared = Result { try Books() }

    /// The text of a CSV file as we write it (UTF-8 with BOM or GB18030), parsed.
    static func records(_ data: Data) throws -> [CSVRecord] {
        let text = try #require(TextEncoding.decode(data)).text
        return try CSVText.parse(text)
    }

    /// A field the writer wrote as a number: an optional minus, digits, a decimal point.
    static func isNumber(_ field: String) -> Bool {
        var rest = Substring(field)
        if rest.first == "-" { rest = rest.dropFirst() }
        if rest.last == "%" { rest = rest.dropLast() }
        guard let first = rest.first, first.isASCII, first.isNumber else { return false }
        return rest.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." }
    }

    /// Digits kept as text: `="25512000000012345678"` (an invoice, credit or account code),
    /// the one formula the writer emits, which only shows its text.
    static func isKeptText(_ field: String) -> Bool {
        guard field.hasPrefix("=\""), field.hasSuffix("\""), field.count > 3 else { return false }
        return field.dropFirst(2).dropLast().allSatisfy { $0 == " " || $0 == "E" || $0 == "e" || ($0.isASCII && $0.isNumber) }
    }

    /// No cell is a live formula: a cell starting with = + @ tab or CR is never written (but
    /// digits kept as text), and one starting with - is a number; no number was defused into
    /// text.
    static func expectNoLiveFormula(_ records: [CSVRecord], _ name: String) {
        for record in records {
            for field in record.fields {
                guard let first = field.unicodeScalars.first else { continue }
                if isKeptText(field) { continue }
                #expect(!"=+@\t\r".unicodeScalars.contains(first), "\(name) 第 \(record.line) 行：\(field)")
                if first == "-" { #expect(isNumber(field), "\(name) 第 \(record.line) 行：\(field) 不是数字") }
                if first == "'" { #expect(!isNumber(String(field.dropFirst())), "\(name) 第 \(record.line) 行：数字 \(field) 被当作文本") }
            }
        }
    }

    /// Every cell that holds one of the memos holds it defused: `'` and the memo (after any
    /// indentation). The number of such cells.
    static func defusedMemos(_ records: [CSVRecord], _ name: String) -> Int {
        var found = 0
        for record in records {
            for field in record.fields {
                for memo in memos where field.contains(memo) {
                    let trimmed = field.drop { $0 == " " }
                    #expect(trimmed.hasPrefix("'" + memo) || !trimmed.hasPrefix(memo.prefix(1)), "\(name) 第 \(record.line) 行：\(field)")
                    if trimmed == "'" + memo { found += 1 }
                }
            }
        }
        return found
    }

    @Test("every book report's CSV: memos defused, no live formula, negative amounts still numbers")
    func reports() throws {
        let books = try Self.shared.get()
        var withMemo: Set<ReportKind> = []
        var negatives = 0
        for kind in ReportKind.bookKinds {
            let data = try books.app.statements.renderReport(ReportRequest(kind: kind, studio: "S1", asOf: Self.asOf), format: .csv)
            let records = try Self.records(data)
            #expect(!records.isEmpty)
            Self.expectNoLiveFormula(records, kind.rawValue)
            if Self.defusedMemos(records, kind.rawValue) > 0 { withMemo.insert(kind) }
            negatives += records.flatMap(\.fields).filter { $0.hasPrefix("-") && Self.isNumber($0) }.count
            // GB18030 reads back to the same cells.
            let gb = try books.app.statements.renderReport(ReportRequest(kind: kind, studio: "S1", asOf: Self.asOf), format: .csv, encoding: .gb18030)
            #expect(try Self.records(gb).map(\.fields) == records.map(\.fields))
        }
        // The memos show in the journal, the subsidiary ledger and the voucher prints at least.
        #expect(withMemo.isSuperset(of: [.journal, .subsidiaryLedger, .vouchers]), "\(withMemo)")
        // The red reversal gives negative amounts, written as numbers.
        #expect(negatives > 0)
        let journal = try Self.records(try books.app.statements.renderReport(ReportRequest(kind: .journal, studio: "S1", asOf: Self.asOf), format: .csv))
        #expect(journal.flatMap(\.fields).contains("-1234.50"))
    }

    /// 凭证库's columns that hold numbers.
    static let journalNumberColumns = ["凭证号", "分录号", "借方金额", "贷方金额", "附件数"]

    /// Checks the AO tables (name → file data): text columns hold no live formula, the memos
    /// and the counterparty are defused, amount columns are numbers (the red line negative).
    static func checkAOTables(_ files: [(name: String, data: Data)], _ source: String) throws {
        #expect(Set(files.map(\.name)) == ["会计科目表.csv", "科目余额表.csv", "凭证库.csv"], "\(source)")
        for file in files {
            let records = try records(file.data)
            expectNoLiveFormula(records, "\(source) \(file.name)")
            let header = try #require(records.first).fields
            if file.name == "科目余额表.csv" {
                for record in records.dropFirst() {
                    for column in header.indices where header[column].hasPrefix("期") || header[column].hasPrefix("本期") {
                        #expect(isNumber(record.fields[column]), "\(source) \(file.name) \(header[column])：\(record.fields[column])")
                    }
                }
            }
            guard file.name == "凭证库.csv" else { continue }
            let memo = try #require(header.firstIndex(of: "摘要")), counterparty = try #require(header.firstIndex(of: "往来单位"))
            let debit = try #require(header.firstIndex(of: "借方金额")), credit = try #require(header.firstIndex(of: "贷方金额"))
            let rows = records.dropFirst()
            for name in journalNumberColumns {
                let column = try #require(header.firstIndex(of: name))
                for record in rows { #expect(isNumber(record.fields[column]), "\(source) \(name)：\(record.fields[column])") }
            }
            for text in memos {
                // Posted and reversed: the first memo's lines show up in the reversal too.
                #expect(rows.contains { $0.fields[memo] == "'" + text }, "\(source) 摘要 \(text)")
                #expect(!rows.contains { $0.fields[memo] == text })
            }
            #expect(rows.contains { $0.fields[counterparty] == "'" + CSVFormulaTests.counterparty })
            var total: Int64 = 0, negative = false
            for record in rows {
                let amount = try Money.parse(record.fields[debit]).fen - Money.parse(record.fields[credit]).fen
                total += amount
                if record.fields[debit].hasPrefix("-") || record.fields[credit].hasPrefix("-") { negative = true }
            }
            #expect(total == 0 && negative, "\(source)")
        }
    }

    @Test("AO tables, as exported: text defused, amounts numbers; Python's csv module agrees")
    func aoExport() throws {
        let books = try Self.shared.get()
        let tables = try AOTablesExport.tables(try books.app.statements.booksSnapshot(studio: "S1", asOf: Self.asOf))
        try Self.checkAOTables(tables.map { ($0.name, CSVEncoding.utf8.encode($0.text)) }, "export UTF-8")
        try Self.checkAOTables(tables.map { ($0.name, CSVEncoding.gb18030.encode($0.text)) }, "export GB18030")
        // Read by another CSV reader: Python's csv module, as a script would.
        try FileManager.default.createDirectory(at: books.directory, withIntermediateDirectories: true)
        let file = books.directory.appendingPathComponent("凭证库.csv")
        try CSVEncoding.utf8.encode(try #require(tables.first { $0.name == "凭证库.csv" }).text).write(to: file)
        let script = """
            import csv, sys
            rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
            bad = [v for r in rows for v in r.values() if v[:1] in ('=', '+', '@', '\\t', '\\r') or (v[:1] == '-' and not v.replace('.', '').lstrip('-').isdigit())]
            assert not bad, bad
            memos = {r['摘要'] for r in rows}
            assert "'" + sys.argv[2] in memos and sys.argv[2] not in memos, memos
            amounts = [float(r['借方金额']) - float(r['贷方金额']) for r in rows]
            assert any(float(r['借方金额']) < 0 or float(r['贷方金额']) < 0 for r in rows)
            assert abs(sum(amounts)) < 0.005, sum(amounts)
            print(len(rows))
            """
        let output = try ExternalTool.run("python3", ["-c", script, file.path, Self.hyperlink])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0)
    }

    @Test("audit package: the AO tables in both encodings and the evidence index are defused")
    func package() throws {
        let books = try Self.shared.get()
        let data = try books.app.packages.auditPackage(studio: "S1", asOf: Self.asOf, keyFile: books.keyFile)
        #expect(AuditPackage.verify(data).isClean)
        let files = try AuditPackage.contents(of: data)
        for encoding in ["UTF-8", "GB18030"] {
            let tables = try ["会计科目表.csv", "科目余额表.csv", "凭证库.csv"].map { name in
                (name: name, data: try #require(files["数据/AO/\(encoding)/\(name)"], "\(encoding)/\(name)"))
            }
            try Self.checkAOTables(tables, "package \(encoding)")
        }
        let csvs = files.keys.filter { $0.hasSuffix(".csv") }.sorted()
        #expect(csvs.count == 8, "\(csvs)")
        for path in csvs { Self.expectNoLiveFormula(try Self.records(try #require(files[path])), path) }
        let index = try Self.records(try #require(files["证据/证据索引.csv"]))
        let header = try #require(index.first).fields
        let name = try #require(header.firstIndex(of: "文件名")), size = try #require(header.firstIndex(of: "字节数"))
        #expect(index.dropFirst().map { $0.fields[name] } == ["'" + Self.evidenceName])
        #expect(index.dropFirst().map { $0.fields[size] } == [String(Data("发票".utf8).count)])
    }
}
