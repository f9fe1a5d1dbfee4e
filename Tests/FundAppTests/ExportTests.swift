import FundApp
import FundCore
import FundReports
import FundExchange
import FundStore
import FundTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The data exports read back by the tools auditors use, against our own trial balance.
@Suite("exports for audit software", .serialized)
struct ExportTests {
    final class DemoBooks: @unchecked Sendable {
        let directory: URL
        let app: LedgerApp
        let studios: [String]

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-export-\(UUID().uuidString)")
            let demo = try Demo.build(in: directory)
            app = demo.app
            studios = demo.studios
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func snapshot(_ studio: String) throws -> BooksSnapshot {
            try app.statements.booksSnapshot(studio: studio, asOf: TestLedger.date("2026-11-20"))
        }
    }

    /// Closing balances per fund and leaf account from our trial balance, debit-positive.
    static func ourBalances(_ snapshot: BooksSnapshot) throws -> [String: Int64] {
        var balances: [String: Int64] = [:]
        for section in try snapshot.trialBalance().sections {
            guard let fund = section.fund else { continue }
            for row in section.rows where row.isLeaf && !row.closing.isZero {
                balances["\(fund.rawValue)|\(row.account)"] = row.closing.fen
            }
        }
        return balances
    }

    @Test("hledger reads the journal and its balances equal our trial balance for every fund")
    func hledger() throws {
        let books = try DemoBooks()
        for studio in books.studios {
            let snapshot = try books.snapshot(studio)
            let file = books.directory.appendingPathComponent("\(studio).journal")
            try Data(HledgerExport.journal(snapshot).utf8).write(to: file)
            let output = try ExternalTool.run("hledger", ["-f", file.path, "balance", "--flat", "--no-total", "-O", "csv"])
            #expect(output.status == 0, "\(output.stderr)")
            var theirs: [String: Int64] = [:]
            for line in output.stdout.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                guard fields.count == 2 else { continue }
                let components = fields[0].split(separator: ":")
                guard components.count >= 2, let fund = try? Fund.parse(String(components[0])) else { continue }
                let code = String(components.last!.split(separator: " ")[0])
                let amount = fields[1].replacingOccurrences(of: " CNY", with: "").replacingOccurrences(of: ",", with: "")
                theirs["\(fund.rawValue)|\(code)"] = try Money.parse(amount).fen
            }
            let ours = try Self.ourBalances(snapshot)
            #expect(ours.count > 10, "the demo books have balances in many accounts")
            // hledger lists parents too in flat mode only when they have their own postings;
            // ours holds leaves only, which is all the journal posts to.
            #expect(theirs.filter { $0.value != 0 } == ours, "\(studio)")
        }
    }

    @Test("bean-check accepts the beancount file and beancount's totals equal our trial balance")
    func beancount() throws {
        let books = try DemoBooks()
        for studio in books.studios {
            let snapshot = try books.snapshot(studio)
            let file = books.directory.appendingPathComponent("\(studio).beancount")
            try Data(BeancountExport.file(snapshot).utf8).write(to: file)
            let check = try ExternalTool.run("bean-check", [file.path])
            #expect(check.status == 0, "bean-check: \(check.stdout) \(check.stderr)")
            let script = """
                import sys, json
                from beancount import loader
                from beancount.core import data
                entries, errors, options = loader.load_file(sys.argv[1])
                sums = {}
                for entry in entries:
                    if isinstance(entry, data.Transaction):
                        for posting in entry.postings:
                            sums[posting.account] = sums.get(posting.account, 0) + int(posting.units.number * 100)
                print(json.dumps({"errors": len(errors), "sums": sums}))
                """
            let result = try JSONSerialization.jsonObject(with: Data(try ExternalTool.python(script, [file.path]).utf8)) as? [String: Any]
            #expect(result?["errors"] as? Int == 0)
            let sums = result?["sums"] as? [String: Int] ?? [:]
            var theirs: [String: Int64] = [:]
            let fundNames = ["Subsidy": Fund.subsidy, "Enterprise": .enterprise, "SelfRaised": .selfRaised]
            for (account, fen) in sums where fen != 0 {
                let parts = account.split(separator: ":")
                guard let fund = fundNames[String(parts[1])] else { continue }
                theirs["\(fund.rawValue)|\(parts.last!)"] = Int64(fen)
            }
            let ours = try Self.ourBalances(snapshot)
            #expect(theirs.count > 10)
            #expect(theirs == ours, "\(studio)")
        }
    }

    @Test("the GB/T 24589 XML is GB18030, well-formed, and rebuilds our trial balance")
    func gbt24589() throws {
        let books = try DemoBooks()
        for studio in books.studios {
            let snapshot = try books.snapshot(studio)
            let files = try GBT24589Export.files(snapshot)
            #expect(files.map(\.name) == ["公共档案.xml", "总账.xml"])
            for file in files {
                // Declared GB18030, and really GB18030: not valid UTF-8 (Chinese text present).
                #expect(file.data.starts(with: Data("<?xml version=\"1.0\" encoding=\"GB18030\"?>".utf8)))
                #expect(String(data: file.data, encoding: .utf8) == nil)
            }
            let ledger = try #require(TextEncoding.decode(files[1].data)).text
            let records = try XMLRecords.parse(ledger.replacingOccurrences(of: "encoding=\"GB18030\"", with: "encoding=\"UTF-8\""))
            #expect(records.namespace == GBT24589Export.namespace(for: snapshot.hostUnit.kind))
            // Rebuild closing balances from 记账凭证 lines…
            var fromVouchers: [String: Int64] = [:]
            for line in records.elements where line.name == "记账凭证" {
                let key = "\(line["辅助项1编号"])|\(line["科目编号"])"
                let debit = try Money.parse(line["借方本币发生额"]).fen, credit = try Money.parse(line["贷方本币发生额"]).fen
                fromVouchers[key, default: 0] += debit - credit
                #expect(line["记账凭证日期"].count == 8 && line["辅助项2编号"] == studio)
            }
            // …and from the last 科目余额及发生额 record of each fund and account.
            var fromBalances: [String: Int64] = [:]
            for record in records.elements where record.name == "科目余额及发生额" {
                let closing = try Money.parse(record["期末余额"]).fen
                fromBalances["\(record["辅助项1编号"])|\(record["科目编号"])"] = record["期末余额方向"] == "贷" ? -closing : closing
                let opening = try Money.parse(record["期初余额"]).fen * (record["期初余额方向"] == "贷" ? -1 : 1)
                let moved = try Money.parse(record["借方发生额"]).fen - Money.parse(record["贷方发生额"]).fen
                #expect(opening + moved == fromBalances["\(record["辅助项1编号"])|\(record["科目编号"])"])
            }
            let ours = try Self.ourBalances(snapshot)
            #expect(fromVouchers.filter { $0.value != 0 } == ours, "\(studio) from 记账凭证")
            #expect(fromBalances.filter { $0.value != 0 } == ours, "\(studio) from 科目余额及发生额")
            let archive = try #require(TextEncoding.decode(files[0].data)).text
            let common = try XMLRecords.parse(archive.replacingOccurrences(of: "encoding=\"GB18030\"", with: "encoding=\"UTF-8\""))
            let values = common.elements.filter { $0.name == "自定义档案项值" }.map { $0["自定义档案项值编号"] }
            #expect(values == ["subsidy", "enterprise", "self-raised", studio])
        }
    }

    @Test("AO flat tables: 凭证库 has 对方科目 and ties to the trial balance; both encodings")
    func aoTables() throws {
        let books = try DemoBooks()
        let snapshot = try books.snapshot(books.studios[0])
        let tables = try AOTablesExport.tables(snapshot)
        #expect(tables.map(\.name) == ["会计科目表.csv", "科目余额表.csv", "凭证库.csv"])
        let journal = try CSVText.parse(tables[2].text)
        let header = journal[0].fields
        let counter = try #require(header.firstIndex(of: "对方科目"))
        let debit = try #require(header.firstIndex(of: "借方金额")), credit = try #require(header.firstIndex(of: "贷方金额"))
        var total: Int64 = 0
        for record in journal.dropFirst() {
            #expect(!record.fields[counter].isEmpty)
            total += try Money.parse(record.fields[debit]).fen - Money.parse(record.fields[credit]).fen
        }
        #expect(total == 0)
        #expect(journal.count - 1 == snapshot.vouchers.reduce(0) { $0 + $1.draft.lines.count })
        let gb = TextEncoding.encode(tables[2].text, as: .gb18030)
        #expect(TextEncoding.decode(gb)?.encoding == .gb18030 && TextEncoding.decode(gb)?.text == tables[2].text)
    }
}

/// A flat reader for the exports' element-only XML: the root's namespace and each child of the
/// root with its leaf values.
struct XMLRecords {
    struct Element {
        let name: String
        var values: [String: String]
        subscript(_ key: String) -> String { values[key] ?? "" }
    }

    var namespace = ""
    var elements: [Element] = []

    static func parse(_ text: String) throws -> XMLRecords {
        final class Delegate: NSObject, XMLParserDelegate {
            var records = XMLRecords()
            var depth = 0
            var current: Element?
            var text = ""

            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                depth += 1
                if depth == 1 { records.namespace = attributes["xmlns"] ?? namespaceURI ?? "" }
                if depth == 2 { current = Element(name: name, values: [:]) }
                text = ""
            }

            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if depth == 3 { current?.values[name] = text }
                if depth == 2, let element = current { records.elements.append(element) }
                depth -= 1
            }
        }
        let parser = XMLParser(data: Data(text.utf8))
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else {
            throw ParseFailed(message: parser.parserError.map { "\($0)" } ?? "unknown", line: parser.lineNumber)
        }
        return delegate.records
    }

    struct ParseFailed: Error {
        let message: String
        let line: Int
    }
}
