import FundCore

extension VoucherCSVReader {
    struct GroupKey: Hashable {
        let date: CalendarDate
        let voucherClass: VoucherClass
        let number: Int
    }

    /// Groups consecutive rows into vouchers, merges the header fields and validates each
    /// voucher against the chart, mapping a line's rejection back to its file line.
    func group(_ rows: [ParsedRow], collector: inout ErrorCollector) -> [ImportedVoucher] {
        var groups: [[ParsedRow]] = []
        var seen: [String: Int] = [:]  // "2025-11 记 12" -> first line
        for row in rows {
            let key = GroupKey(date: row.date, voucherClass: row.voucherClass, number: row.number)
            if let last = groups.last?.last, GroupKey(date: last.date, voucherClass: last.voucherClass, number: last.number) == key {
                groups[groups.count - 1].append(row)
                continue
            }
            let monthKey = "\(row.date.period.iso) \(row.voucherClass.rawValue) \(row.number)"
            if let firstLine = seen[monthKey] {
                collector.add(row.line, Rejection(
                    .importVoucherConflict, field: Column.number.chineseName,
                    "凭证 \(row.voucherClass.rawValue)-\(row.number)（\(row.date.period.chinese)）已在第 \(firstLine) 行出现：同一张凭证的分录行必须相邻且日期相同"))
                continue
            }
            seen[monthKey] = row.line
            groups.append([row])
        }
        var vouchers: [ImportedVoucher] = []
        for rows in groups {
            if let voucher = build(rows, collector: &collector) { vouchers.append(voucher) }
        }
        return vouchers
    }

    func build(_ rows: [ParsedRow], collector: inout ErrorCollector) -> ImportedVoucher? {
        let first = rows[0]
        var merged: [Column: (value: String, line: Int)] = [:]
        var failed = false
        for row in rows {
            for column in Self.headerColumns {
                let value = row.header[column] ?? ""
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
            do { settlement = try Settlement.parse(text) } catch {
                collector.add(line, Rejection(error.code, field: Column.settlement.chineseName, error.message))
                failed = true
            }
        }
        if failed { return nil }
        let draft = VoucherDraft(
            studio: studio, date: first.date, voucherClass: first.voucherClass, lines: rows.map(\.voucherLine),
            attachments: attachments, settlement: settlement, counterparty: merged[.counterparty]?.value ?? "",
            preparer: merged[.preparer]?.value ?? "", reviewer: merged[.reviewer]?.value ?? "",
            poster: merged[.poster]?.value ?? "", sourceRef: "\(first.voucherClass.rawValue)-\(first.number)")
        do {
            try VoucherValidation.validate(draft, chart: chart)
        } catch {
            let line = error.lineIndex.map { rows[$0].line } ?? first.line
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
        case "amount": return Column.debit.chineseName + "/" + Column.credit.chineseName
        case "memo": return Column.memo.chineseName
        case "preparer": return Column.preparer.chineseName
        case "attachments": return Column.attachments.chineseName
        case "lines": return "分录"
        default: return field
        }
    }
}
