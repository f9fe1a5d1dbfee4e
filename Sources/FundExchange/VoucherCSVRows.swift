import FundCore

/// One CSV row parsed field by field.
struct ParsedRow {
    let line: Int
    let date: CalendarDate
    let voucherClass: VoucherClass
    let number: Int
    let voucherLine: VoucherLine
    let header: [VoucherCSVReader.Column: String]
}

/// Field access for one record by column.
struct RowFields {
    let record: CSVRecord
    let columns: [VoucherCSVReader.Column: Int]

    func callAsFunction(_ column: VoucherCSVReader.Column) -> String {
        guard let index = columns[column], index < record.fields.count else { return "" }
        return record.fields[index].trimmingSpaces
    }
}

extension VoucherCSVReader {
    static let headerColumns: [Column] = [.attachments, .settlement, .counterparty, .preparer, .reviewer, .poster]

    /// Parses one row; every field error is collected, and the row is dropped if any.
    func parseRow(_ record: CSVRecord, columns: [Column: Int], collector: inout ErrorCollector) -> ParsedRow? {
        if record.fields.count < (columns.values.max() ?? 0) + 1 {
            collector.add(record.line, Rejection(.importFieldCount, "该行只有 \(record.fields.count) 列，少于表头要求的列数"))
            return nil
        }
        let value = RowFields(record: record, columns: columns)
        var failed = false
        func attempt<T>(_ column: Column, _ body: () throws(Rejection) -> T) -> T? {
            do { return try body() } catch {
                failed = true
                collector.add(record.line, Rejection(error.code, field: error.field ?? column.chineseName, error.message))
                return nil
            }
        }
        let date = attempt(.date) { () throws(Rejection) in try CalendarDate.parse(value(.date)) }
        let classNumber = attempt(.number) { () throws(Rejection) in try Self.classNumber(value) }
        let fund = attempt(.fund) { () throws(Rejection) -> Fund in
            if let defaultFund, value(.fund).isEmpty { return defaultFund }
            return try Fund.parse(value(.fund))
        }
        let sideAmount = attempt(.amount) { () throws(Rejection) in try Self.sideAndAmount(value, columns: columns) }
        let invoice = attempt(.invoiceNumber) { () throws(Rejection) in
            try InvoiceKey.parse(code: value(.invoiceCode), number: value(.invoiceNumber))
        }
        guard !failed, let date, let classNumber, let fund, let sideAmount, let invoice else { return nil }
        var header: [Column: String] = [:]
        for column in Self.headerColumns { header[column] = value(column) }
        let line = VoucherLine(
            memo: value(.memo), account: value(.account), fund: fund, side: sideAmount.0, amount: sideAmount.1,
            invoice: invoice)
        return ParsedRow(
            line: record.line, date: date, voucherClass: classNumber.0, number: classNumber.1, voucherLine: line,
            header: header)
    }

    /// 凭证字 + 凭证号, or one 凭证字号 column such as "记-12" or "记12".
    static func classNumber(_ value: RowFields) throws(Rejection) -> (VoucherClass, Int) {
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
        do { voucherClass = try VoucherClass.parse(classText) } catch {
            throw Rejection(error.code, field: VoucherCSVReader.Column.voucherClass.chineseName, error.message)
        }
        guard let number = Int(numberText), number > 0 else {
            throw Rejection(.importNumber, field: Column.number.chineseName, "凭证号“\(numberText)”应为正整数")
        }
        return (voucherClass, number)
    }

    /// 借方金额/贷方金额 with exactly one filled, or 金额 with 方向.
    static func sideAndAmount(_ value: RowFields, columns: [Column: Int]) throws(Rejection) -> (Side, Money) {
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
