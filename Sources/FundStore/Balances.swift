import FundCore
internal import GRDB

extension SQLiteBooks {
    /// Month turnovers from the materialised balances, up to `through`, for one studio (by its
    /// primary-key prefix, so other studios are never read) or for all.
    func turnovers(studio: String?, fund: Fund?, through: Period?) throws -> [MonthTurnover] {
        try queue.read { db in
            var sql = """
                SELECT s.code, m.fund, m.account, m.period, m.debit_fen, m.credit_fen
                FROM month_balance m JOIN studio s ON s.id = m.studio_id WHERE m.period <= ?
                """
            var arguments: StatementArguments = [through?.key ?? 999_999]
            if let studio {
                sql += " AND m.studio_id = ?"
                arguments += [try LedgerStore.studioRow(db, code: studio).id]
            }
            if let fund {
                sql += " AND m.fund = ?"
                arguments += [fund.rawValue]
            }
            var result: [MonthTurnover] = []
            let cursor = try MonthBalanceRecord.fetchCursor(db, sql: sql, arguments: arguments)
            var codes: [String: String] = [:]
            while let record = try cursor.next() {
                let interned = codes[record.studio] ?? record.studio
                codes[record.studio] = interned
                result.append(
                    MonthTurnover(
                        studio: interned, fund: record.fund, account: record.account, period: record.period,
                        debit: record.debit, credit: record.credit))
            }
            return result
        }
    }

    /// The first and last month with any turnover for a studio, if any.
    func activeRange(studio: String) throws -> ClosedRange<Period>? {
        try queue.read { db in
            let id = try LedgerStore.studioRow(db, code: studio).id
            let row = try Row.fetchOne(db, sql: "SELECT min(period), max(period) FROM month_balance WHERE studio_id = ?", arguments: [id])
            guard let low = (row?[0] as Int?).flatMap(Period.init(key:)), let high = (row?[1] as Int?).flatMap(Period.init(key:))
            else { return nil }
            return low...high
        }
    }

    /// Postings of one account (a leaf, or every leaf under a parent code) in book order.
    func ledgerEntries(studio: String, accountPrefix: String, fund: Fund?, from: Period, to: Period) throws -> [LedgerEntry] {
        try queue.read { db in
            let id = try LedgerStore.studioRow(db, code: studio).id
            var sql = """
                SELECT v.period, v.class, v.number, v.date, v.counterparty, p.line_no, p.memo, p.account, p.fund, p.side,
                    p.amount_fen, p.invoice_code, p.invoice_number
                FROM posting p JOIN voucher v ON v.id = p.voucher_id
                WHERE p.studio_id = ? AND p.account >= ? AND p.account < ? AND p.period BETWEEN ? AND ?
                """
            var arguments: StatementArguments = [id, accountPrefix, accountPrefix + "~", from.key, to.key]
            if let fund {
                sql += " AND p.fund = ?"
                arguments += [fund.rawValue]
            }
            sql += " ORDER BY v.date, v.period, v.class, v.number, p.line_no"
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            guard let first = rows.first else { return [] }
            let c = ColumnIndex(first)
            return try rows.map { row in
                // The voucher's columns, read on the posting's row: a bad one is named by the posting.
                let stored = StoredRow(row, table: "posting")
                let ref = VoucherRef(
                    studio: studio, period: try stored.period("period"), voucherClass: try stored.code("class"),
                    number: try stored.value("number"))
                return LedgerEntry(
                    ref: ref, date: try stored.date("date"), lineNumber: try stored.value("line_no"),
                    line: try LedgerStore.line(from: row, c), counterparty: try stored.value("counterparty"))
            }
        }
    }
}
