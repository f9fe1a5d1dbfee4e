import FundCore
import FundExchange
import FundRender
import FundStore
import Foundation

/// The host unit's own chart both ways (issue 18): its account mapping (科目对照表: our account +
/// fund → its account code and 辅助核算 project), read by `import vouchers --host-codes` and used
/// by `export erp` to write the studio's vouchers as its ERP's voucher-import file (用友 U8 or
/// 金蝶 K3, GB18030 CSV).
///
/// Authorisation: the CLI acts as its `--user` like every other command (it has no accounts);
/// the web desk asks `authorizeMappingImport` / `authorizeExport`, both through `Access.decide`.
/// Replacing a mapping decides where every one of the unit's vouchers lands in its main ledger,
/// so it is the host unit's 财务负责人's act (the supervisor of that host unit, the role that
/// reviews and posts, `Action.reviewVoucher`): not its accountant (who enters the vouchers), not
/// the admin (no book data), not the bureau. Writing the export file is a download.
public struct ERPDesk: Desk {
    let app: LedgerApp

    /// May `account` replace `hostUnit`'s mapping? `Access.decide` on the unit with the
    /// reviewing action.
    public static func authorizeMappingImport(_ account: WebAccount, hostUnit: String, today: CalendarDate) -> AccessDecision {
        let place = StudioPlace(code: "依托单位 \(hostUnit) 的科目对照表", hostUnit: hostUnit, county: "")
        return Access.decide(account, .reviewVoucher, studio: place, today: today)
    }

    /// May `account` write a studio's ERP file? A download of that studio.
    public func authorizeExport(_ account: WebAccount, studio: String) throws -> AccessDecision {
        try app.accounts.authorize(account, .download, studio: studio)
    }

    // MARK: The mapping

    /// Checks every row of a mapping file against the chart (I016, all listed with line and
    /// column; nothing written on any error) and stores it as the host unit's next version.
    public func importMapping(csv data: Data, file: String, hostUnit: String) throws -> HostAccountMapping {
        let code = try parseField("host-unit") { () throws(Rejection) in try CreditCode(hostUnit) }
        try checkRegistered(code)
        let entries = try HostMappingCSVReader(file: file, chart: try store.register.chart()).read(data)
        return try store.hostMappings.replace(
            hostUnit: code, entries: entries, fileName: URL(fileURLWithPath: file).lastPathComponent, stamp: stamp())
    }

    func checkRegistered(_ code: CreditCode) throws {
        guard try store.register.hostUnits().contains(where: { $0.creditCode == code }) else {
            throw Rejection(.hostUnitUnknown, field: "host-unit", "依托单位 \(code) 未登记")
        }
    }

    /// The mapping in force for a host unit (I017 when it has none).
    public func mapping(hostUnit: String) throws -> HostAccountMapping {
        let code = try parseField("host-unit") { () throws(Rejection) in try CreditCode(hostUnit) }
        try checkRegistered(code)
        guard let mapping = try store.hostMappings.current(hostUnit: code) else {
            throw Rejection(.mappingMissing, field: "host-unit", "依托单位 \(code) 还没有科目对照表：请先 mapping import")
        }
        return mapping
    }

    /// The mapping in force as a file `importMapping` takes back.
    public func mappingCSV(hostUnit: String, encoding: CSVEncoding = .utf8) throws -> (mapping: HostAccountMapping, data: Data) {
        let mapping = try mapping(hostUnit: hostUnit)
        return (mapping, HostMappingCSVReader.csv(mapping.entries, encoding: encoding))
    }

    /// The mapping of a studio's host unit for an import: nil when it has none, unless
    /// `required` (host codes), then I017 located in the file.
    func mapping(forStudio studio: String, file: String, required: Bool) throws -> HostAccountMapping? {
        let hostUnit = try app.register.studio(code: studio, asOf: clock.today()).hostUnit
        let mapping = try store.hostMappings.current(hostUnit: hostUnit)
        if required && mapping == nil {
            throw LocatedRejection(
                file: file, line: nil,
                rejection: Rejection(
                    .mappingMissing, field: "host-codes", "工作室 \(studio) 的依托单位 \(hostUnit) 还没有科目对照表，不能按依托单位科目编码导入：请先 mapping import"))
        }
        return mapping
    }

    // MARK: The export

    public struct ERPExport: Sendable {
        public let data: Data
        public let vouchers: Int
        public let lines: Int
        public let mapping: HostAccountMapping
    }

    /// The studio's vouchers of the months `from`…`to` as the host ERP's voucher-import file,
    /// in the host's codes (A008 listing every unmapped account; nothing written).
    /// `xlsx`: an .xlsx workbook (header in row 1, amounts as number cells) instead of the
    /// GB18030 CSV; both products import either.
    public func exportVouchers(format: ERPFormat, studio: String, from: Period, to: Period, xlsx: Bool = false) throws -> ERPExport {
        guard from <= to else {
            throw Rejection(.periodInvalid, field: "period", "起始期间 \(from.iso) 晚于截止期间 \(to.iso)")
        }
        let hostUnit = try app.register.studio(code: studio, asOf: clock.today()).hostUnit
        let mapping = try mapping(hostUnit: hostUnit.description)
        let vouchers = try store.books.vouchers(studio: studio, from: from, to: to)
        let writer = ERPVoucherWriter(format: format, chart: try store.register.chart(), mapping: mapping)
        let data = xlsx ? try PlainXLSX.render(sheet: format == .yonyou ? "凭证" : "Page1", rows: try writer.rows(vouchers)) : try writer.csv(vouchers)
        return ERPExport(data: data, vouchers: vouchers.count, lines: vouchers.reduce(0) { $0 + $1.draft.lines.count }, mapping: mapping)
    }

    /// `YYYY-MM` or `YYYY-MM..YYYY-MM`.
    public static func periodRange(_ text: String) throws(Rejection) -> (from: Period, to: Period) {
        let parts = text.components(separatedBy: "..")
        guard parts.count <= 2 else {
            throw Rejection(.periodInvalid, field: "period", "期间“\(text)”无效（应为 YYYY-MM 或 YYYY-MM..YYYY-MM）")
        }
        let from = try parseField("period") { () throws(Rejection) in try Period.parse(parts[0]) }
        let to = try parseField("period") { () throws(Rejection) in try Period.parse(parts.count == 2 ? parts[1] : parts[0]) }
        return (from, to)
    }
}

extension LedgerApp {
    /// The host unit's ERP: account mappings and voucher files in its own codes.
    public var erp: ERPDesk { ERPDesk(app: self) }
}
