import FundCore

extension VoucherCSVReader {
    /// Date, class and number: rows that share them and follow one another form a voucher.
    struct GroupKey: Equatable {
        let date: CalendarDate
        let voucherClass: Int  // `VoucherClass.ordinal`
        let number: Int

        init(_ row: ParsedRow) {
            (date, voucherClass, number) = (row.date, row.voucherClass.ordinal, row.number)
        }
    }

    /// Month, class and number: a voucher's identity within the file ("2025-11 记 12").
    struct MonthKey: Hashable {
        let period: Int
        let voucherClass: Int
        let number: Int

        init(_ row: ParsedRow) {
            (period, voucherClass, number) = (row.date.period.key, row.voucherClass.ordinal, row.number)
        }

        init(period: Int, voucherClass: Int, number: Int) {
            (self.period, self.voucherClass, self.number) = (period, voucherClass, number)
        }
    }

    /// What the reading pass keeps between rows: the voucher being gathered, the identity of
    /// every voucher seen, and the errors by the phase the whole-file reader found them in.
    struct StreamState {
        /// Row errors (and I015 codes), as the whole-file reader collected them first.
        var rows: ErrorCollector
        /// I009: a voucher's rows that are not together, or a voucher number used twice.
        var conflicts: [LocatedRejection] = []
        var conflictsDropped = false
        /// Each voucher's own errors, with the voucher: dropped again if a row of the same
        /// voucher turns up broken further on (the whole-file reader skipped such vouchers).
        var buildErrors: [(key: MonthKey, error: LocatedRejection)] = []
        var buildErrorsDropped = false
        var brokenVouchers = Set<MonthKey>()
        var seen: [MonthKey: Int] = [:]  // -> first line
        var current: [ParsedRow] = []
        var emitted = 0

        init(file: String) { rows = ErrorCollector(file: file) }

        var clean: Bool {
            rows.items.isEmpty && rows.unmapped.isEmpty && conflicts.isEmpty && buildErrors.isEmpty && brokenVouchers.isEmpty
        }

        /// A row joins the voucher being gathered, or starts the next one (building the one
        /// before), or is refused as I009.
        mutating func add<Failure: Error>(
            _ row: ParsedRow, reader: VoucherCSVReader, memos: inout ParseMemos, emit: (ImportedVoucher, Bool) throws(Failure) -> Void
        ) throws(Failure) {
            if let last = current.last, GroupKey(last) == GroupKey(row) {
                current.append(row)
                return
            }
            let monthKey = MonthKey(row)
            if let firstLine = seen[monthKey] {
                let rejection = Rejection(
                    .importVoucherConflict, field: Column.number.chineseName,
                    "凭证 \(row.voucherClass.rawValue)-\(row.number)（\(row.date.period.chinese)）已在第 \(firstLine) 行出现：同一张凭证的分录行必须相邻且日期相同")
                if conflicts.count < Limits.importErrorsMax {
                    conflicts.append(LocatedRejection(file: rows.file, line: row.line, rejection: rejection))
                } else {
                    conflictsDropped = true
                }
                return
            }
            seen[monthKey] = row.line
            try finish(reader: reader, memos: &memos, emit: emit)
            current = [row]
        }

        /// Builds the voucher being gathered, if any, and hands it on.
        mutating func finish<Failure: Error>(
            reader: VoucherCSVReader, memos: inout ParseMemos, emit: (ImportedVoucher, Bool) throws(Failure) -> Void
        ) throws(Failure) {
            guard let first = current.first else { return }
            defer { current = [] }
            let key = MonthKey(first)
            // A voucher that lost a row to a field error is already reported; validating the
            // rest would only add follow-on errors.
            if brokenVouchers.contains(key) { return }
            var collector = ErrorCollector(file: rows.file)
            let group = VoucherRows(rows: current, members: Array(current.indices)[...])
            let voucher = reader.build(group, memos: &memos, collector: &collector)
            for error in collector.items {
                if buildErrors.count < Limits.importErrorsMax { buildErrors.append((key, error)) } else { buildErrorsDropped = true }
            }
            if let voucher {
                emitted += 1
                try emit(voucher, clean)
            }
        }

        /// A row just failed: a voucher of the same identity built earlier is no longer
        /// reported on its own (see `finish`).
        mutating func forgetBrokenBuildErrors() {
            guard !buildErrors.isEmpty else { return }
            buildErrors.removeAll { brokenVouchers.contains($0.key) }
        }

        /// Every error in the order and up to the cap of the whole-file reader.
        func result() -> RejectionList? {
            var collector = rows
            for error in conflicts { collector.add(error.line, error.rejection) }
            if conflictsDropped { collector.truncated = true }
            for (_, error) in buildErrors { collector.add(error.line, error.rejection) }
            if buildErrorsDropped { collector.truncated = true }
            return collector.result
        }
    }

    /// The rows of one voucher, in file order.
    struct VoucherRows {
        let rows: [ParsedRow]
        let members: ArraySlice<Int>

        var first: ParsedRow { rows[members.first!] }
        subscript(index: Int) -> ParsedRow { rows[members[members.startIndex + index]] }
        func map<T>(_ transform: (ParsedRow) -> T) -> [T] { members.map { transform(rows[$0]) } }
    }

    func build(_ rows: VoucherRows, memos: inout ParseMemos, collector: inout ErrorCollector) -> ImportedVoucher? {
        let first = rows.first
        var merged = HeaderFields<(value: String, line: Int)?>(repeating: nil)
        var failed = false
        for position in rows.members {
            let row = rows.rows[position]
            for column in Self.headerColumns {
                let value = row.header[column]
                guard !value.isEmpty else { continue }
                if let existing = merged[column], existing.value != value {
                    collector.add(row.line, Rejection(
                        .importVoucherConflict, field: column.chineseName,
                        "同一张凭证的“\(column.chineseName)”前后不一致：第 \(existing.line) 行为“\(existing.value)”，本行为“\(value)”"))
                    failed = true
                } else if merged[column] == nil {
                    merged[column] = (value, row.line)
                }
            }
        }
        var attachments = 0
        if let (text, line) = merged[.attachments] {
            if let count = Int(text), count >= 0 { attachments = count } else {
                collector.add(line, Rejection(.importNumber, field: Column.attachments.chineseName, "附单据数“\(text)”应为非负整数"))
                failed = true
            }
        }
        var settlement: Settlement? = nil
        if let (text, line) = merged[.settlement] {
            do { settlement = try memos.settlements.value(text) { text throws(Rejection) in try Settlement.parse(text) } } catch {
                collector.add(line, Rejection(error.code, field: Column.settlement.chineseName, error.message))
                failed = true
            }
        }
        if failed { return nil }
        let draft = VoucherDraft(
            studio: studio, date: first.date, voucherClass: first.voucherClass, lines: rows.map(\.voucherLine),
            attachments: attachments, settlement: settlement, counterparty: merged[.counterparty]?.value ?? "",
            preparer: PersonName.normalized(merged[.preparer]?.value ?? ""),
            reviewer: PersonName.normalized(merged[.reviewer]?.value ?? ""),
            poster: PersonName.normalized(merged[.poster]?.value ?? ""), sourceRef: first.voucherClass.rawValue + "-" + String(first.number))
        do {
            try VoucherValidation.validate(draft, chart: chart)
        } catch {
            let headerColumn: Column? = [
                "counterparty": Column.counterparty, "preparer": .preparer, "reviewer": .reviewer, "poster": .poster,
            ][error.field ?? ""]
            let line = error.lineIndex.map { rows[$0].line } ?? headerColumn.flatMap { merged[$0]?.line } ?? first.line
            let voucherLabel = "凭证 \(first.voucherClass.rawValue)-\(first.number)（\(first.date.iso)）"
            collector.add(line, Rejection(error.code, field: error.field.map(columnName(forField:)), voucherLabel + "：" + error.message))
            return nil
        }
        return ImportedVoucher(draft: draft, fileLines: rows.map(\.line))
    }

    /// Maps a validation field to the CSV column an accountant sees.
    func columnName(forField field: String) -> String {
        switch field {
        case "account": return Column.account.chineseName
        case "fund": return Column.fund.chineseName
        case "invoice_code": return Column.invoiceCode.chineseName
        case "invoice_number": return Column.invoiceNumber.chineseName
        case "date": return Column.date.chineseName
        case "class": return Column.voucherClass.chineseName
        case "settlement": return Column.settlement.chineseName
        case "amount": return Column.debit.chineseName + "/" + Column.credit.chineseName
        case "memo": return Column.memo.chineseName
        case "preparer": return Column.preparer.chineseName
        case "reviewer": return Column.reviewer.chineseName
        case "poster": return Column.poster.chineseName
        case "counterparty": return Column.counterparty.chineseName
        case "attachments": return Column.attachments.chineseName
        case "lines": return "分录"
        default: return field
        }
    }
}

extension VoucherClass {
    /// Position in `allCases`, for keys compared and hashed on every row.
    var ordinal: Int {
        switch self {
        case .ji: return 0
        case .shou: return 1
        case .fu: return 2
        case .zhuan: return 3
        }
    }
}
