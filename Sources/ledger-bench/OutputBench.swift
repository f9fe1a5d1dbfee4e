import FundApp
import FundCore
import FundExchange
import FundRender
import FundReports
import Foundation

/// Stages for what the ledger hands out: statements (a 10,000-line 明细账 to PDF and XLSX) and
/// audit packages (studios of 1,000 vouchers). Each row has a baseline from the same run.
extension Bench {
    /// The run of median wall time among `runs` timings of `body` (its CPU time with it).
    func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Timing {
        var samples: [Timing] = []
        for _ in 0..<runs { samples.append(try measure(body)) }
        samples.sort { $0.wall < $1.wall }
        return samples[samples.count / 2]
    }

    /// A 明细账 of one account with `lines` entries over 24 months, built and rendered.
    func statementRows(app: LedgerApp, lines: Int = 10_000) throws -> [[String]] {
        let chart = try app.register.chart()
        let studio = try app.register.studio(code: "B0")
        let hostUnit = try app.register.hostUnits()[0]
        let from = Period(year: 2020, month: 1)!
        var entries: [LedgerEntry] = []
        var random = VoucherFileGenerator.Random(state: 7)
        for index in 0..<lines {
            let month = index * 24 / lines
            let period = Period(year: 2020 + month / 12, month: month % 12 + 1)!
            let side: Side = index % 5 == 0 ? .debit : .credit
            let fen = Int64(100 + random.next() % 2_000_000)
            let memo = index % 7 == 0 ? "支付工作室带徒传技培训所需耗材及实训场地租赁费用（第\(index)笔，含运输及安装调试）" : "支付项目费用"
            entries.append(LedgerEntry(
                ref: VoucherRef(studio: "B0", period: period, voucherClass: .ji, number: index + 1),
                date: CalendarDate(year: period.year, month: period.month, day: 1 + index % 28)!, lineNumber: 1,
                line: VoucherLine(memo: memo, account: "100201", fund: .subsidy, side: side, amount: Money(fen: fen)),
                counterparty: "资阳某供应商"))
        }
        let ledger = try AccountLedger.build(
            account: chart["100201"]!, opening: Money(fen: 10_000_000_00), openingYearTurnover: (.zero, .zero), entries: entries, from: from)
        let header = ReportHeader(
            studio: studio, hostUnit: hostUnit, chart: chart, fund: .subsidy, from: from, to: Period(year: 2021, month: 12)!,
            preparedOn: clock.today())
        var document: ReportDocument? = nil
        let build = try median(3) { document = try SubsidiaryLedgerReport.build(header, ledgers: [ledger]).document }
        let rows = document!.tables[0].rows.count
        var pdfBytes = 0, xlsxBytes = 0
        let pdf = try median(3) { pdfBytes = try PDFRenderer.render(document!).count }
        let xlsx = try median(3) { xlsxBytes = try XLSXRenderer.render(document!).count }
        let csv = median(3) { _ = CSVRenderer.render(document!) }
        let html = median(3) { _ = HTMLRenderer.render(document!) }
        let baseline = "CSV \(format(csv.wall, 3)) s, HTML \(format(html.wall, 3)) s"
        return [
            ["明细账 build (\(lines) entries → \(rows) rows)", "\(rows)", format(build.wall, 3), format(build.cpu, 3), format(Double(rows) / build.wall, 0), "", "", ""],
            ["明细账 → PDF (median of 3, \(pdfBytes / 1024) KB)", "\(rows)", format(pdf.wall, 3), format(pdf.cpu, 3), format(Double(rows) / pdf.wall, 0), baseline,
             format(pdf.wall / csv.wall, 0) + "× CSV", pdf.wall < 2 ? "< 2 s (wall) — met" : "< 2 s (wall) — NOT met"],
            ["明细账 → XLSX (median of 3, \(xlsxBytes / 1024) KB)", "\(rows)", format(xlsx.wall, 3), format(xlsx.cpu, 3), format(Double(rows) / xlsx.wall, 0), baseline,
             format(xlsx.wall / csv.wall, 0) + "× CSV", xlsx.wall < 2 ? "< 2 s (wall) — met" : "< 2 s (wall) — NOT met"],
        ]
    }

    /// Audit packages for `studios` studios of `vouchers` vouchers each, in a database of their
    /// own. Baseline: the same studios' data exports alone (snapshot, GB/T 24589, AO, hledger,
    /// beancount), i.e. the package without its statements.
    func packageRows(directory: URL, studios: Int, vouchers: Int = 1_000) throws -> [[String]] {
        let (app, keyFile) = try packageLedger(directory: directory, studios: studios, vouchers: vouchers)
        let asOf = Self.checkAsOf
        var built: [Data] = []
        let packages = try measure {
            for index in 0..<studios {
                built.append(try app.packages.auditPackage(studio: "P\(index)", asOf: asOf, keyFile: keyFile))
            }
        }
        let bytes = built.reduce(0) { $0 + $1.count }
        precondition(built.allSatisfy { AuditPackage.verify($0).isClean }, "every benchmark package verifies")
        let exports = try measure {
            for index in 0..<studios {
                let snapshot = try app.statements.booksSnapshot(studio: "P\(index)", asOf: asOf)
                _ = try GBT24589Export.files(snapshot)
                _ = try AOTablesExport.tables(snapshot)
                _ = HledgerExport.journal(snapshot)
                _ = BeancountExport.file(snapshot)
            }
        }
        let perStudio = packages.wall / Double(studios)
        return [[
            "audit packages (\(studios) studios × \(vouchers) vouchers, \(bytes / studios / 1024) KB each)", "\(studios)",
            format(packages.wall, 2), format(packages.cpu, 2), format(Double(studios) / packages.wall, 1),
            "data exports alone " + format(exports.wall / Double(studios), 3) + " s/studio wall, " + format(exports.cpu / Double(studios), 3) + " s CPU",
            format(perStudio * 1000, 0) + " ms/studio (" + format(packages.cpu / Double(studios) * 1000, 0) + " ms CPU)",
            // Judged on wall: a package's files are made on both cores, so its CPU is the work, not the wait.
            perStudio < 0.3 ? "< 300 ms per studio (wall) — met" : "< 300 ms per studio (wall) — NOT met",
        ]]
    }

    /// A database of `studios` studios P0… of `vouchers` vouchers each, with a signing key;
    /// made once in `directory` and reused when it is there.
    func packageLedger(directory: URL, studios: Int, vouchers: Int) throws -> (LedgerApp, URL) {
        let path = directory.appendingPathComponent("packages.sqlite").path
        let keyFile = directory.appendingPathComponent("keys/bench.ed25519")
        if FileManager.default.fileExists(atPath: path) {
            return (try LedgerApp(path: path, clock: clock, user: "bench"), keyFile)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let app = try LedgerApp(path: path, clock: clock, user: "bench")
        _ = try app.register.initialize()
        _ = try app.register.addHostUnit(creditCode: Self.creditCode, name: "基准测试单位", kind: "enterprise", county: "雁江区")
        let generator = VoucherFileGenerator(vouchers: vouchers)
        for index in 0..<studios {
            _ = try app.register.addStudio(
                code: "P\(index)", name: "基准工作室\(index)", hostUnit: Self.creditCode, leader: "张师傅", field: "数控",
                recognized: "2020-01-01", subsidy: "30000")
            let (text, _) = generator.file(seed: UInt64(100 + index))
            _ = try app.books.importVouchers(csv: Data(text.utf8), file: "P\(index).csv", studio: "P\(index)", allowUnreviewed: true)
        }
        _ = try app.packages.generateSigningKey(hostUnit: Self.creditCode.description, file: keyFile)
        return (app, keyFile)
    }
}
