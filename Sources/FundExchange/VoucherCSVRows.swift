import FundCore

/// One CSV row parsed field by field.
struct ParsedRow {
    let line: Int
    let date: CalendarDate
    let voucherClass: VoucherClass
    let number: Int
    let voucherLine: VoucherLine
    let header: HeaderFields<String>
}

/// The six voucher-header columns, one value each, stored inline: every row carries them and
/// every voucher merges them, and a dictionary per row was a large share of the import time.
struct HeaderFields<Value> {
    private var attachments, settlement, counterparty, preparer, reviewer, poster: Value

    init(repeating value: Value) {
        (attachments, settlement, counterparty, preparer, reviewer, poster) = (value, value, value, value, value, value)
    }

    subscript(column: VoucherCSVReader.Column) -> Value {
        get {
            switch column {
            case .attachments: return attachments
            case .settlement: return settlement
            case .counterparty: return counterparty
            case .preparer: return preparer
            case .reviewer: return reviewer
            case .poster: return poster
            default: preconditionFailure("\(column) is not a header column")
            }
        }
        set {
            switch column {
            case .attachments: attachments = newValue
            case .settlement: settlement = newValue
            case .counterparty: counterparty = newValue
            case .preparer: preparer = newValue
            case .reviewer: reviewer = newValue
            case .poster: poster = newValue
            default: preconditionFailure("\(column) is not a header column")
            }
        }
    }
}

/// Header positions by column, in an array indexed by the column's ordinal: each row looks up
/// some fifteen columns, and hashing a `String`-backed enum for each was measurable.
struct ColumnMap {
    private var positions: [Int?]
    /// Fields a row needs so that every mapped column exists.
    let fieldCountMin: Int
    /// Fields the header has: a row may have more only when they are empty (trailing commas).
    let headerCount: Int

    init(_ columns: [VoucherCSVReader.Column: Int], headerCount: Int) {
        positions = Array(repeating: nil, count: VoucherCSVReader.Column.allCases.count)
        for (column, position) in columns { positions[column.ordinal] = position }
        fieldCountMin = (columns.values.max() ?? 0) + 1
        self.headerCount = headerCount
    }

    subscript(column: VoucherCSVReader.Column) -> Int? { positions[column.ordinal] }
}

/// Field access for one record by column.
struct RowFields {
    let record: CSVRecord
    let columns: ColumnMap

    func callAsFunction(_ column: VoucherCSVReader.Column) -> String {
        guard let index = columns[column], index < record.fields.count else { return "" }
        return record.fields[index].trimmingSpacesFast
    }
}

/// Results of the small parsers that see the same few texts on almost every row (资金来源,
/// 凭证字, 结算方式), remembered by exact UTF-8 bytes. Equal bytes mean an equal string, so
/// a hit returns what the parser returned for that text; a miss, or any error, asks the
/// parser again, so messages and codes come from the parser itself.
struct ParseMemo<Value> {
    private var entries: [(text: String, value: Value)] = []

    mutating func value(
        _ text: String, _ parse: (String) throws(Rejection) -> Value
    ) throws(Rejection) -> Value {
        let utf8 = text.utf8
        for entry in entries where entry.text.utf8.count == utf8.count && entry.text.utf8.elementsEqual(utf8) {
            return entry.value
        }
        let value = try parse(text)
        if entries.count < 8 { entries.append((text, value)) }  // a file uses a handful of spellings
        return value
    }
}

struct ParseMemos {
    var funds = ParseMemo<Fund>()
    var classes = ParseMemo<VoucherClass>()
    var settlements = ParseMemo<Settlement>()
}

extension VoucherCSVReader {
    static let headerColumns: [Column] = [.attachments, .settlement, .counterparty, .preparer, .reviewer, .poster]

    /// Parses one row; every field error is collected, and the row is dropped if any.
    ///
    /// A row that fails but whose date, class and number parsed names its voucher in
    /// `brokenVouchers`, so the voucher is not validated without it: that would only add
    /// follow-on errors (an unbalanced or one-line voucher) to the real one.
    func parseRow(
        _ record: CSVRecord, columns: ColumnMap, memos: inout ParseMemos, brokenVouchers: inout Set<MonthKey>,
        collector: inout ErrorCollector
    ) -> ParsedRow? {
        if record.fields.count < columns.fieldCountMin {
            collector.add(record.line, Rejection(.importFieldCount, "该行只有 \(record.fields.count) 列，少于表头要求的列数"))
            return nil
        }
        // More fields than the header, not all empty: most often a comma in a memo without
        // quotes, which shifts every column after it. Nothing of such a row can be trusted.
        if record.fields.count > columns.headerCount, record.fields[columns.headerCount...].contains(where: { !$0.isEmpty }) {
            collector.add(record.line, Rejection(
                .importFieldCount, "该行有 \(record.fields.count) 列，多于表头的 \(columns.headerCount) 列（摘要等文字中的逗号须加英文双引号）"))
            return nil
        }
        let value = RowFields(record: record, columns: columns)
        var failed = false
        func attempt<T>(_ column: Column, _ body: () throws(Rejection) -> T) -> T? {
            do { return try body() } catch {
                failed = true
                let field = error.field.map(columnName(forField:)) ?? column.chineseName
                collector.add(record.line, Rejection(error.code, field: field, error.message))
                return nil
            }
        }
        let date = attempt(.date) { () throws(Rejection) in try CalendarDate.parse(value(.date)) }
        let classNumber = attempt(.number) { () throws(Rejection) in try Self.classNumber(value, classes: &memos.classes) }
        let accountFund = attempt(.fund) { () throws(Rejection) in try accountAndFund(value, memos: &memos) }
        let fund = accountFund?.fund
        if let date { _ = attempt(.currency) { () throws(Rejection) in try Self.checkCurrencyAndPeriod(value, date: date) } }
        let sideAmount = attempt(.amount) { () throws(Rejection) in try Self.sideAndAmount(value, columns: columns) }
        let invoice = attempt(.invoiceNumber) { () throws(Rejection) -> InvoiceKey? in
            let (code, number) = (value(.invoiceCode), value(.invoiceNumber))
            if code.isEmpty && number.isEmpty { return nil }  // what InvoiceKey.parse says, sooner
            return try InvoiceKey.parse(code: code, number: number)
        }
        guard !failed, let date, let classNumber, let fund, let sideAmount, let invoice else {
            if let date, let classNumber {
                brokenVouchers.insert(MonthKey(period: date.period.key, voucherClass: classNumber.0.ordinal, number: classNumber.1))
            }
            return nil
        }
        var header = HeaderFields(repeating: "")
        for column in Self.headerColumns { header[column] = value(column) }
        let line = VoucherLine(
            memo: value(.memo), account: accountFund?.account ?? value(.account), fund: fund, side: sideAmount.0, amount: sideAmount.1,
            invoice: invoice)
        return ParsedRow(
            line: record.line, date: date, voucherClass: classNumber.0, number: classNumber.1, voucherLine: line,
            header: header)
    }

    /// 凭证字 + 凭证号, or one 凭证字号 column such as "记-12" or "记12".
    static func classNumber(
        _ value: RowFields, classes: inout ParseMemo<VoucherClass>
    ) throws(Rejection) -> (VoucherClass, Int) {
        var classText = value(.voucherClass)
        var numberText = value(.number)
        let combined = value(.classNumber)
        if !combined.isEmpty {
            let pieces = combined.split(whereSeparator: { "-－—_ ".contains($0) })
            if pieces.count == 2 {
                classText = String(pieces[0])
                numberText = String(pieces[1])
            } else if let first = combined.first, !(first.isASCII && first.isNumber) {
                classText = String(first)
                numberText = String(combined.dropFirst())
            } else {
                numberText = combined
            }
        }
        let voucherClass: VoucherClass
        do { voucherClass = try classes.value(classText) { text throws(Rejection) in try VoucherClass.parse(text) } } catch {
            throw Rejection(error.code, field: VoucherCSVReader.Column.voucherClass.chineseName, error.message)
        }
        guard let number = Int(numberText), number > 0 else {
            throw Rejection(.importNumber, field: Column.number.chineseName, "凭证号“\(numberText)”应为正整数")
        }
        return (voucherClass, number)
    }

    /// 借方金额/贷方金额 with exactly one filled, or 金额 with 方向.
    static func sideAndAmount(_ value: RowFields, columns: ColumnMap) throws(Rejection) -> (Side, Money) {
        func money(_ column: Column) throws(Rejection) -> Money {
            let text = value(column)
            if text.isEmpty { return .zero }
            do { return try Money.parse(text) } catch {
                throw Rejection(error.code, field: column.chineseName, error.message)
            }
        }
        if columns[.debit] != nil && columns[.credit] != nil {
            let debit = try money(.debit)
            let credit = try money(.credit)
            switch (debit.isZero, credit.isZero) {
            case (false, true): return (.debit, debit)
            case (true, false): return (.credit, credit)
            case (true, true):
                throw Rejection(.importDebitCredit, field: "借方金额", "借方金额和贷方金额都为空或为零")
            case (false, false):
                throw Rejection(.importDebitCredit, field: "借方金额", "借方金额和贷方金额不能同时有数（一行只记一个方向）")
            }
        }
        let amount = try money(.amount)
        guard let side = try? Side.parse(value(.direction)) else {
            throw Rejection(.importDirection, field: Column.direction.chineseName, "方向“\(value(.direction))”无效（应为 借/贷 或 D/C）")
        }
        return (side, amount)
    }
}
