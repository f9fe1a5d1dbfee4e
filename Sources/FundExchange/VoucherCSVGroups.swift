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

    /// Groups consecutive rows into vouchers, merges the header fields and validates each
    /// voucher against the chart, mapping a line's rejection back to its file line.
    func group(
        _ rows: [ParsedRow], brokenVouchers: Set<MonthKey>, memos: inout ParseMemos, collector: inout ErrorCollector
    ) -> [ImportedVoucher] {
        // A row joins the group before it or starts a new one (or is refused), so the groups
        // are consecutive runs of `members`: positions of the rows kept, in file order.
        var members: [Int] = []
        var starts: [Int] = []
        members.reserveCapacity(rows.count)
        var seen: [MonthKey: Int] = [:]  // -> first line
        for (position, row) in rows.enumerated() {
            if let last = members.last, GroupKey(rows[last]) == GroupKey(row) {
                members.append(position)
                continue
            }
            let monthKey = MonthKey(row)
            if let firstLine = seen[monthKey] {
                collector.add(row.line, Rejection(
                    .importVoucherConflict, field: Column.number.chineseName,
                    "凭证 \(row.voucherClass.rawValue)-\(row.number)（\(row.date.period.chinese)）已在第 \(firstLine) 行出现：同一张凭证的分录行必须相邻且日期相同"))
                continue
            }
            seen[monthKey] = row.line
            starts.append(members.count)
            members.append(position)
        }
        var vouchers: [ImportedVoucher] = []
        vouchers.reserveCapacity(starts.count)
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] : members.count
            let group = VoucherRows(rows: rows, members: members[start..<end])
            // A voucher that lost a row to a field error is already reported; validating the
            // rest would only add follow-on errors.
            if brokenVouchers.contains(MonthKey(group.first)) { continue }
            if let voucher = build(group, memos: &memos, collector: &collector) { vouchers.append(voucher) }
        }
        return vouchers
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
