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

    /// Decodes and parses file bytes held in memory (an upload, a test).
    public func read(_ data: Data) throws(RejectionList) -> [ImportedVoucher] {
        guard let (text, _) = TextEncoding.decode(data) else {
            throw list(nil, Rejection(.importEncoding, "文件既不是 UTF-8 也不是 GB18030 编码的文本"))
        }
        return try read(text: text)
    }

    public func read(text: String) throws(RejectionList) -> [ImportedVoucher] {
        var vouchers: [ImportedVoucher] = []
        do {
            try stream(WholeText(bytes: Array(text.strippingBOM.utf8))) { (voucher: ImportedVoucher, _: Bool) throws(Never) in
                vouchers.append(voucher)
            }
        } catch let errors as RejectionList {
            throw errors
        } catch {
            preconditionFailure("the reader throws only RejectionList: \(error)")
        }
        return vouchers
    }

    /// Reads a file on disk chunk by chunk, handing each voucher to `voucher` as soon as its
    /// last row has been read, with whether the file has been free of errors so far. The
    /// vouchers and errors are exactly those `read` finds in the same bytes; when this throws,
    /// the vouchers handed over must be discarded (the caller posts them into a transaction it
    /// then rolls back).
    public func stream(file source: VoucherFileSource, voucher: (ImportedVoucher, _ clean: Bool) throws -> Void) throws {
        let chunks: FileChunks
        do { chunks = try source.chunks() } catch {
            throw list(nil, Rejection(.importEncoding, "读取文件失败：\(error)"))
        }
        try stream(chunks, voucher: voucher)
    }

    /// The one reading pass both entries share: records one at a time, rows grouped into
    /// vouchers as they come (a voucher's rows are consecutive), each voucher built and handed
    /// on when the next one starts. Only what cross-voucher checks need is kept: the identity
    /// and first line of every voucher seen (I009), the vouchers that lost a row, and the
    /// errors (each list capped at `Limits.importErrorsMax`).
    ///
    /// The errors come out as the whole-file reader listed them: a CSV syntax error alone; an
    /// empty file; too many rows; a bad header; then the row errors (reading stops at the cap),
    /// the header-only error, the I009 conflicts, and the vouchers' own errors, in that order
    /// up to the cap, sorted by line.
    func stream<Source: UTF8Chunks, Failure: Error>(
        _ source: Source, voucher emit: (ImportedVoucher, _ clean: Bool) throws(Failure) -> Void
    ) throws {
        var records = CSVRecordStream(source)
        var header: CSVRecord? = nil
        var recordCount = 0
        var columns: ColumnMap? = nil
        var headerError: RejectionList? = nil
        var state = StreamState(file: file)
        var memos = ParseMemos()
        var rowsDone = false
        var stoppedAt: Int? = nil  // records read when the row errors reached the cap
        while true {
            let record: CSVRecord?
            do { record = try records.next() } catch { throw list(nil, error) }
            guard let record else { break }
            recordCount += 1
            guard header != nil else {
                header = record
                do { columns = ColumnMap(try mapHeader(record), headerCount: record.fields.count) } catch {
                    headerError = list(record.line, error)
                }
                continue
            }
            // Past the cap of rows, a bad header or the row-error cap, the rest is only
            // scanned: a syntax error further on, or the count of rows, still decides.
            guard let columns, !rowsDone, recordCount - 1 <= Limits.importRowsMax else { continue }
            if let row = parseRow(record, columns: columns, memos: &memos, brokenVouchers: &state.brokenVouchers, collector: &state.rows) {
                try state.add(row, reader: self, memos: &memos, emit: emit)
            } else {
                state.forgetBrokenBuildErrors()
            }
            if state.rows.full {
                rowsDone = true
                stoppedAt = recordCount
            }
        }
        guard let header else { throw list(nil, Rejection(.importEmpty, "文件为空，没有表头")) }
        if recordCount - 1 > Limits.importRowsMax {
            throw list(nil, Rejection(.importTooManyRows, "文件超过 \(Limits.importRowsMax) 行，请分批导入"))
        }
        if let headerError { throw headerError }
        if let stoppedAt, recordCount > stoppedAt { state.rows.truncated = true }
        try state.finish(reader: self, memos: &memos, emit: emit)
        if recordCount == 1 {
            state.rows.add(header.line, Rejection(.importEmpty, "文件只有表头，没有凭证行"))
        }
        if let errors = state.result() { throw errors }
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
