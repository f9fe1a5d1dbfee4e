import FundCore
import Foundation

/// A voucher read from a file, with the file line of each of its lines.
public struct ImportedVoucher: Sendable, Equatable {
    public let draft: VoucherDraft
    public let fileLines: [Int]

    public init(draft: VoucherDraft, fileLines: [Int]) {
        self.draft = draft
        self.fileLines = fileLines
    }
}

/// Reads 序时账 / voucher-import CSV files as accountants export them from 用友 and 金蝶.
/// Columns are found by header name (Chinese names, English aliases and the ERP names of
/// DOMAIN.md §8); rows with the same date, class and number that follow one another form one
/// voucher. Every problem in the file is collected (up to `Limits.importErrorsMax`) with its
/// line and column; a file with any problem yields no vouchers at all.
public struct VoucherCSVReader {
    public let file: String
    public let studio: String
    public let chart: ChartOfAccounts
    /// The fund for every line when the file has no 资金来源 column.
    public let defaultFund: Fund?
    /// The host unit's account mapping: its project codes and names name funds in a
    /// 核算项目 column, and with `hostCodes` it translates the file's account codes.
    public let mapping: HostAccountMapping?
    /// The file's account codes are the host unit's (its 用友/金蝶 chart), translated through
    /// `mapping` (their code + project → our account + fund).
    public let hostCodes: Bool

    public init(
        file: String, studio: String, chart: ChartOfAccounts, defaultFund: Fund? = nil, mapping: HostAccountMapping? = nil,
        hostCodes: Bool = false
    ) {
        precondition(!hostCodes || mapping != nil, "host codes are read through a mapping")
        self.file = file
        self.studio = studio
        self.chart = chart
        self.defaultFund = defaultFund
        self.mapping = mapping
        self.hostCodes = hostCodes
    }

    /// Decodes and parses file bytes.
    public func read(_ data: Data) throws(RejectionList) -> [ImportedVoucher] {
        guard let (text, _) = TextEncoding.decode(data) else {
            throw list(nil, Rejection(.importEncoding, "文件既不是 UTF-8 也不是 GB18030 编码的文本"))
        }
        return try read(text: text)
    }

    public func read(text: String) throws(RejectionList) -> [ImportedVoucher] {
        let records: [CSVRecord]
        do { records = try CSVText.parse(text.strippingBOM) } catch { throw list(nil, error) }
        guard let header = records.first else {
            throw list(nil, Rejection(.importEmpty, "文件为空，没有表头"))
        }
        if records.count - 1 > Limits.importRowsMax {
            throw list(nil, Rejection(.importTooManyRows, "文件超过 \(Limits.importRowsMax) 行，请分批导入"))
        }
        let columns: ColumnMap
        do { columns = ColumnMap(try mapHeader(header), headerCount: header.fields.count) } catch { throw list(header.line, error) }
        var collector = ErrorCollector(file: file)
        var memos = ParseMemos()
        var rows: [ParsedRow] = []
        rows.reserveCapacity(records.count - 1)
        var brokenVouchers = Set<MonthKey>()
        for (index, record) in records.enumerated().dropFirst() {
            if let row = parseRow(record, columns: columns, memos: &memos, brokenVouchers: &brokenVouchers, collector: &collector) {
                rows.append(row)
            }
            if collector.full {
                collector.truncated = collector.truncated || index + 1 < records.count
                break
            }
        }
        if records.count == 1 {
            collector.add(header.line, Rejection(.importEmpty, "文件只有表头，没有凭证行"))
        }
        let vouchers = group(rows, brokenVouchers: brokenVouchers, memos: &memos, collector: &collector)
        if let errors = collector.result { throw errors }
        return vouchers
    }

    func list(_ line: Int?, _ rejection: Rejection) -> RejectionList {
        RejectionList(items: [LocatedRejection(file: file, line: line, rejection: rejection)])
    }

    func mapHeader(_ header: CSVRecord) throws(Rejection) -> [Column: Int] {
        var columns: [Column: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            guard let column = Column.named(name) else { continue }
            if columns[column] != nil {
                throw Rejection(.importColumnDuplicate, field: name, "列“\(name)”重复出现（与其他同义列名冲突）")
            }
            columns[column] = position
        }
        var missing: [String] = []
        for column in [Column.date, .memo, .account] where columns[column] == nil { missing.append(column.chineseName) }
        if columns[.classNumber] == nil && columns[.number] == nil { missing.append("凭证号（或 凭证字号）") }
        if columns[.fund] == nil && columns[.auxiliary] == nil && defaultFund == nil && !hostCodes {
            missing.append("资金来源（或 核算项目，或在命令中用 --fund 指定）")
        }
        let split = columns[.debit] != nil && columns[.credit] != nil
        let single = columns[.amount] != nil && columns[.direction] != nil
        if !split && !single { missing.append("借方金额 和 贷方金额（或 金额 和 方向）") }
        if !missing.isEmpty {
            throw Rejection(.importColumnMissing, "缺少必需的列：\(missing.joined(separator: "、"))")
        }
        return columns
    }
}

/// Collects located rejections up to the limit.
struct ErrorCollector {
    let file: String
    var items: [LocatedRejection] = []
    var truncated = false
    /// Host account codes the mapping lacks, with their lines: reported as one error listing
    /// every code (I015), however many rows name them.
    var unmapped: [(code: String, line: Int)] = []

    init(file: String) { self.file = file }

    var full: Bool { items.count >= Limits.importErrorsMax }

    mutating func add(_ line: Int?, _ rejection: Rejection) {
        if rejection.code == .importHostAccountUnmapped, let line {
            unmapped.append((rejection.message, line))
            return
        }
        if full { truncated = true; return }
        items.append(LocatedRejection(file: file, line: line, rejection: rejection))
    }

    /// The errors in file order (row errors are found before voucher errors).
    var result: RejectionList? {
        var all = items
        if let first = unmapped.first {
            all.append(LocatedRejection(file: file, line: first.line, rejection: VoucherCSVReader.unmappedRejection(unmapped)))
        }
        guard !all.isEmpty else { return nil }
        let ordered = all.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
        return RejectionList(items: ordered.map(\.element), truncated: truncated)
    }
}
