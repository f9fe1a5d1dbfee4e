import Crypto
import Dispatch
import Foundation
import FundCore
internal import GRDB
internal import GRDBSQLite

extension LedgerStore {
    static let verifyChunk = 5_000

    /// Where one studio's chain stands while `verifyChain` walks it.
    struct ChainWalk {
        var expectedSequence = 1
        var previous = Canonical.genesis
    }

    /// Checks one studio's hash chain, voucher by voucher in sequence order: numbering of the
    /// chain, the previous hash, the hash of the canonical text, and the posting rules again.
    /// `through` is the last sequence to check (the caller's snapshot, when the chain is read
    /// on another connection); nil reads it here. Returns how many posting lines the chain's
    /// vouchers have when each was seen filed under the voucher's studio and period (the fast
    /// lane), nil when not known or when one was not (then `verifyMisfiled` must look).
    @discardableResult
    static func verifyChain(
        _ db: Database, studioID: Int64, code: String, chart: ChartOfAccounts, through: Int? = nil, fast: Bool = true,
        report: inout VerificationReport
    ) throws -> Int? {
        if fast { return try verifyChainFast(db, studioID: studioID, code: code, chart: chart, through: through, report: &report) }
        var walk = ChainWalk()
        let count = try through ?? Int.fetchOne(db, sql: "SELECT max(seq) FROM voucher WHERE studio_id = ?", arguments: [studioID]) ?? 0
        var low = 1
        while low <= count {
            let high = min(low + verifyChunk - 1, count)
            // One query for the chunk (vouchers and their lines); if any row no longer decodes,
            // the chunk is read again row by row so the unreadable one is named.
            if var loaded = try? loadVouchers(db, whereSQL: "v.studio_id = ? AND v.seq BETWEEN ? AND ?", arguments: [studioID, low, high]) {
                // Read in book order (period, class, number); the chain runs in posting order.
                if zip(loaded, loaded.dropFirst()).contains(where: { $0.sequence > $1.sequence }) { loaded.sort { $0.sequence < $1.sequence } }
                for voucher in loaded {
                    try check(db, voucher, sequence: voucher.sequence, code: code, chart: chart, walk: &walk, report: &report) {
                        "\(voucher.ref.period.iso) \(voucher.ref.voucherClass.rawValue)-\(voucher.ref.number)"
                    }
                }
            } else {
                try verifyChainRowByRow(db, studioID: studioID, code: code, chart: chart, low: low, high: high, walk: &walk, report: &report)
            }
            low = high + 1
        }
        return nil
    }

    /// A chunk with an unreadable row: each voucher read on its own.
    static func verifyChainRowByRow(
        _ db: Database, studioID: Int64, code: String, chart: ChartOfAccounts, low: Int, high: Int,
        walk: inout ChainWalk, report: inout VerificationReport
    ) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, seq, period, class, number, prev_hash, hash FROM voucher WHERE studio_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            arguments: [studioID, low, high])
        for row in rows {
            let label = "\(Period(key: row["period"]).map(\.iso) ?? "?") \(row["class"] as String)-\(row["number"] as Int)"
            let sequence: Int = row["seq"]
            let voucher: PostedVoucher
            do {
                voucher = try loadVouchers(db, whereSQL: "v.id = ?", arguments: [row["id"] as Int64])[0]
            } catch {
                checkSequence(sequence, code: code, walk: &walk, report: &report) { label }
                report.problems.append(VerificationProblem(code: .unreadableRow, studio: code, voucher: label, message: "存储的凭证数据无法解读：\(error)"))
                walk.previous = row["hash"]
                continue
            }
            try check(db, voucher, sequence: sequence, code: code, chart: chart, walk: &walk, report: &report) { label }
        }
    }

    private static func checkSequence(
        _ sequence: Int, code: String, walk: inout ChainWalk, report: inout VerificationReport, label: () -> String
    ) {
        if sequence != walk.expectedSequence {
            report.problems.append(VerificationProblem(
                code: .sequenceGap, studio: code, voucher: label(),
                message: "哈希链序号应为 \(walk.expectedSequence)，实际为 \(sequence)（凭证被删除或插入）"))
            walk.expectedSequence = sequence
        }
        walk.expectedSequence += 1
        report.vouchers += 1
    }

    /// One readable voucher of the chain. The label is built only when there is a problem to name.
    private static func check(
        _ db: Database, _ voucher: PostedVoucher, sequence: Int, code: String, chart: ChartOfAccounts,
        walk: inout ChainWalk, report: inout VerificationReport, label: () -> String
    ) throws {
        checkSequence(sequence, code: code, walk: &walk, report: &report, label: label)
        func problem(_ kind: VerificationProblem.Code, _ message: String) {
            report.problems.append(VerificationProblem(code: kind, studio: code, voucher: label(), message: message))
        }
        if voucher.previousHash != walk.previous {
            problem(.chainBroken, "前序哈希不符：记录为 \(voucher.previousHash.prefix(12))…，前一张凭证的哈希为 \(walk.previous.prefix(12))…")
        }
        let text = Canonical.voucherText(
            ref: voucher.ref, draft: voucher.draft, kind: voucher.kind, postedBy: voucher.postedBy,
            postedAt: voucher.postedAt, sequence: voucher.sequence, previousHash: voucher.previousHash)
        if !sha256Matches(text, hex: voucher.hash) {
            problem(.hashMismatch, "凭证内容与其哈希不符：记账后数据被改动")
        }
        do {
            try revalidate(db, voucher, chart: chart)
        } catch let rejection as Rejection {
            problem(.invariantBroken, "凭证不再满足记账规则：\(rejection)")
        } catch let corruption as StoreCorruption {
            problem(.unreadableRow, "所冲销的原凭证无法解读：\(corruption)")
        }
        walk.previous = voucher.hash
    }

    /// Whether `text`'s SHA-256 is `hex` (lowercase, as stored), without building the hex string.
    static func sha256Matches(_ text: String, hex: String) -> Bool {
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        var hex = hex
        return hex.withUTF8 { stored in
            guard stored.count == 64 else { return false }
            var index = 0
            for byte in digest {
                guard stored[index] == hexDigits[Int(byte >> 4)], stored[index + 1] == hexDigits[Int(byte & 0x0F)] else { return false }
                index += 2
            }
            return true
        }
    }

    /// Every studio's chain, spread over `workers` threads, each on its own read-only
    /// connection to the file, started now and collected by `wait()`. `counts[i]` is the last
    /// sequence of `studios[i]` in the caller's snapshot: a worker's snapshot is the same or
    /// later and the chain is append-only, so what it checks is what the caller's snapshot
    /// holds. Each worker returns the studios it took (index, report); a studio no worker took
    /// (none could open a connection) is left to the caller.
    static func startChains(
        _ database: LedgerDatabase, studios: [(id: Int64, code: String)], counts: [Int], chart: ChartOfAccounts, workers: Int,
        fast: Bool = true
    ) -> ChainWorkers<[(Int, VerificationReport, Int?)]> {
        let next = NextIndex()
        return ChainWorkers(workers) { _ in
            guard let reader = try database.readOnlyCompanion() else { return [] }
            return try reader.read { db in
                var done: [(Int, VerificationReport, Int?)] = []
                while let index = next.take(below: studios.count) {
                    var report = VerificationReport()
                    let lines = try verifyChain(
                        db, studioID: studios[index].id, code: studios[index].code, chart: chart, through: counts[index], fast: fast, report: &report)
                    done.append((index, report, lines))
                }
                return done
            }
        }
    }

    /// The next studio for a worker to take.
    final class NextIndex: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        func take(below count: Int) -> Int? {
            lock.withLock {
                guard next < count else { return nil }
                defer { next += 1 }
                return next
            }
        }
    }

    static func revalidate(_ db: Database, _ voucher: PostedVoucher, chart: ChartOfAccounts) throws {
        guard case .reversal(let originalRef) = voucher.kind else {
            try VoucherValidation.validate(voucher.draft, chart: chart)
            return
        }
        let original = try loadVouchers(db, whereSQL: "v.id = ?", arguments: [try voucherID(db, ref: originalRef)])[0]
        try VoucherValidation.validateReversal(voucher.draft, of: original.draft, chart: chart)
    }

    static func verifyPeriods(_ db: Database, studioID: Int64, code: String, report: inout VerificationReport) throws {
        let events: [(Period, PeriodBook.Action)]
        do {
            events = try periodEvents(db, studioID: studioID)
        } catch let corruption as StoreCorruption {
            report.problems.append(VerificationProblem(code: .unreadableRow, studio: code, voucher: nil, message: "结账记录无法解读：\(corruption)"))
            return
        }
        for index in PeriodBook.replay(events).inconsistent {
            let (period, action) = events[index]
            report.problems.append(VerificationProblem(
                code: .periodEventsInconsistent, studio: code, voucher: nil,
                message: "结账记录第 \(index + 1) 条（\(action == .close ? "结账" : "反结账") \(period.chinese)）与此前记录不连续"))
        }
    }

    static func verifyNumbering(_ db: Database, studioID: Int64?, report: inout VerificationReport) throws {
        let groups = try Row.fetchAll(
            db,
            sql: """
                SELECT s.code, v.studio_id, v.period, v.class, count(*) AS n, max(v.number) AS top, min(v.number) AS bottom
                FROM voucher v JOIN studio s ON s.id = v.studio_id
                \(studioID == nil ? "" : "WHERE v.studio_id = ?")
                GROUP BY v.studio_id, v.period, v.class HAVING n <> top OR bottom <> 1
                """, arguments: StatementArguments(studioID.map { [$0] } ?? []))
        for group in groups {
            let numbers = Set(try Int.fetchAll(
                db, sql: "SELECT number FROM voucher WHERE studio_id = ? AND period = ? AND class = ?",
                arguments: [group["studio_id"] as Int64, group["period"] as Int, group["class"] as String]))
            let top: Int = group["top"]
            let missing = (1...max(top, 1)).filter { !numbers.contains($0) }.prefix(10).map(String.init)
            let periodText = Period(key: group["period"]).map(\.iso) ?? "?"
            report.problems.append(VerificationProblem(
                code: .numberingGap, studio: group["code"], voucher: "\(periodText) \(group["class"] as String)",
                message: "凭证编号不连续：共 \(group["n"] as Int) 张，最大号 \(top)，缺号 \(missing.joined(separator: "、"))"))
        }
    }

    static func verifyMisfiled(_ db: Database, studioID: Int64?, report: inout VerificationReport) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.code, v.period, v.class, v.number, p.line_no FROM posting p
                JOIN voucher v ON v.id = p.voucher_id JOIN studio s ON s.id = v.studio_id
                WHERE (p.studio_id <> v.studio_id OR p.period <> v.period)
                \(studioID == nil ? "" : "AND (v.studio_id = ?1 OR p.studio_id = ?1)") LIMIT 100
                """, arguments: StatementArguments(studioID.map { [$0] } ?? []))
        for row in rows {
            report.problems.append(VerificationProblem(
                code: .postingMisfiled, studio: row["code"],
                voucher: "\(Period(key: row["period"]).map(\.iso) ?? "?") \(row["class"] as String)-\(row["number"] as Int)",
                message: "第 \(row["line_no"] as Int) 行分录记录的工作室或期间与凭证不一致"))
        }
    }

    /// 平行记账, re-derived from the postings: in every voucher that has budget lines, per fund,
    /// the budget lines balance and 资金结存 moves by exactly the bank and cash (what posting
    /// holds every public-institution voucher to, ParallelEntries.check, with its one exception:
    /// a fund's 补记 lines on 资金结存 and 年初余额调整 alone only balance). Only studios with
    /// budget turnover in `month_balance` are read, so books without budget accounting cost one
    /// small query.
    static func verifyParallel(_ db: Database, studioID: Int64?, report: inout VerificationReport) throws {
        let budgetTypes = "('budget-revenue','budget-expenditure','budget-balance')"
        let studios = try Int64.fetchAll(
            db,
            sql: """
                SELECT DISTINCT m.studio_id FROM month_balance m JOIN account a ON a.code = m.account
                WHERE a.type IN \(budgetTypes)\(studioID == nil ? "" : " AND m.studio_id = ?") ORDER BY m.studio_id
                """, arguments: StatementArguments(studioID.map { [$0] } ?? []))
        let signed = "(CASE p.side WHEN 'debit' THEN p.amount_fen ELSE -p.amount_fen END)"
        for studio in studios {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.code, v.period, v.class, v.number, p.fund,
                        sum(CASE WHEN a.type IN \(budgetTypes) THEN \(signed) ELSE 0 END) AS budget,
                        sum(CASE WHEN a.role = 'cash' OR a.role = 'bank' THEN \(signed) ELSE 0 END) AS cash,
                        sum(CASE WHEN a.role = 'budget-cash' THEN \(signed) ELSE 0 END) AS budget_cash,
                        max(CASE WHEN a.type IN \(budgetTypes) THEN 1 ELSE 0 END) AS kept,
                        max(CASE WHEN a.role = 'budget-cash' OR a.role = 'budget-opening' THEN 0 ELSE 1 END) AS not_catch_up
                    FROM posting p JOIN account a ON a.code = p.account JOIN voucher v ON v.id = p.voucher_id
                    JOIN studio s ON s.id = v.studio_id
                    WHERE p.studio_id = ? AND p.voucher_id IN (
                        SELECT p2.voucher_id FROM posting p2 JOIN account a2 ON a2.code = p2.account
                        WHERE p2.studio_id = ? AND a2.type IN \(budgetTypes))
                    GROUP BY p.voucher_id, p.fund
                    HAVING budget <> 0 OR (not_catch_up = 1 AND ((kept = 1 AND cash <> budget_cash) OR (kept = 0 AND cash <> 0)))
                    ORDER BY v.seq, p.fund
                    """, arguments: [studio, studio])
            for row in rows {
                let fund = Fund(rawValue: row["fund"])?.chineseName ?? (row["fund"] as String)
                report.problems.append(VerificationProblem(
                    code: .parallelBroken, studio: row["code"],
                    voucher: "\(Period(key: row["period"]).map(\.iso) ?? "?") \(row["class"] as String)-\(String(format: "%04d", row["number"] as Int))",
                    message: "\(fund)：预算分录合计 \(Money(fen: row["budget"]).plainString)（应为 0），货币资金变动 \(Money(fen: row["cash"]).plainString)，资金结存变动 \(Money(fen: row["budget_cash"]).plainString)：平行记账不符"))
            }
        }
    }

    /// The balances re-derived in one pass: the postings' GROUP BY and `month_balance`, both in
    /// key order (studio, fund, account, period; month_balance's primary key), merged row by
    /// row on the column bytes. Keys and messages are built only for a mismatch; the mismatches
    /// come out as before (stored rows in key order, then the keys the postings have and
    /// month_balance lacks, in key order).
    static func verifyBalances(_ db: Database, studioID: Int64?, report: inout VerificationReport) throws {
        let only = studioID == nil ? "" : " WHERE studio_id = ?"
        let arguments = StatementArguments(studioID.map { [$0] } ?? [])
        struct Key { let studio: Int64; let fund: String; let account: String; let period: Int }
        let derivedStatement = try db.makeStatement(
            sql: """
                SELECT studio_id, fund, account, period,
                    sum(CASE WHEN side = 'debit' THEN amount_fen ELSE 0 END),
                    sum(CASE WHEN side = 'credit' THEN amount_fen ELSE 0 END)
                FROM posting\(only) GROUP BY studio_id, fund, account, period ORDER BY studio_id, fund, account, period
                """)
        let storedStatement = try db.makeStatement(
            sql: "SELECT studio_id, fund, account, period, debit_fen, credit_fen FROM month_balance\(only) ORDER BY studio_id, fund, account, period")
        let codes = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, code FROM studio").map { ($0[0] as Int64, $0[1] as String) })
        func mismatch(_ key: Key, _ message: String) {
            report.problems.append(VerificationProblem(
                code: .balanceMismatch, studio: codes[key.studio] ?? "?", voucher: nil,
                message: "\(Fund(rawValue: key.fund)?.chineseName ?? key.fund) 科目 \(key.account) \(Period(key: key.period)?.iso ?? "?")：\(message)"))
        }
        func key(_ row: Row) -> Key { Key(studio: row[0], fund: row[1], account: row[2], period: row[3]) }
        let d = derivedStatement.sqliteStatement
        let s = storedStatement.sqliteStatement
        /// SQLite's order of the two current rows' keys (BINARY text: bytes, then length).
        func order() -> Int {
            func integers(_ column: Int32) -> Int {
                let left = sqlite3_column_int64(d, column), right = sqlite3_column_int64(s, column)
                return left < right ? -1 : left > right ? 1 : 0
            }
            func texts(_ column: Int32) -> Int {
                let left = sqlite3_column_text(d, column), leftCount = Int(sqlite3_column_bytes(d, column))
                let right = sqlite3_column_text(s, column), rightCount = Int(sqlite3_column_bytes(s, column))
                let common = min(leftCount, rightCount)
                if common > 0, let left, let right {
                    let compared = memcmp(left, right, common)
                    if compared != 0 { return compared < 0 ? -1 : 1 }
                }
                return leftCount < rightCount ? -1 : leftCount > rightCount ? 1 : 0
            }
            var compared = integers(0)
            if compared == 0 { compared = texts(1) }
            if compared == 0 { compared = texts(2) }
            if compared == 0 { compared = integers(3) }
            return compared
        }
        let derived = try Row.fetchCursor(derivedStatement, arguments: arguments)
        let stored = try Row.fetchCursor(storedStatement, arguments: arguments)
        var missing: [(Key, (Int64, Int64))] = []
        var derivedRow = try derived.next()
        while let storedRow = try stored.next() {
            var compared = 1
            while let row = derivedRow {
                compared = order()
                if compared >= 0 { break }
                missing.append((key(row), (sqlite3_column_int64(d, 4), sqlite3_column_int64(d, 5))))
                derivedRow = try derived.next()
            }
            let storedPair = (sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5))
            var fromPostings: (Int64, Int64) = (0, 0)
            if derivedRow != nil && compared == 0 {
                fromPostings = (sqlite3_column_int64(d, 4), sqlite3_column_int64(d, 5))
                derivedRow = try derived.next()
            }
            if storedPair != fromPostings {
                mismatch(key(storedRow), "余额表记录借 \(Money(fen: storedPair.0).plainString) 贷 \(Money(fen: storedPair.1).plainString)，分录合计借 \(Money(fen: fromPostings.0).plainString) 贷 \(Money(fen: fromPostings.1).plainString)")
            }
        }
        while let row = derivedRow {
            missing.append((key(row), (sqlite3_column_int64(d, 4), sqlite3_column_int64(d, 5))))
            derivedRow = try derived.next()
        }
        for (key, pair) in missing {
            mismatch(key, "分录合计借 \(Money(fen: pair.0).plainString) 贷 \(Money(fen: pair.1).plainString)，余额表中没有记录")
        }
    }

    /// Every signing key after a host unit's first must be endorsed by the key it replaced.
    static func verifyKeys(_ db: Database, report: inout VerificationReport) throws {
        var previous: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT host_unit, public_key, endorsement FROM signing_key ORDER BY id") {
            let hostUnit: String = row["host_unit"]
            let key: String = row["public_key"]
            if let before = previous[hostUnit], !endorses(before, hostUnit: hostUnit, next: key, signature: row["endorsement"]) {
                report.problems.append(VerificationProblem(
                    code: .keyUnendorsed, studio: "", voucher: nil,
                    message: "依托单位 \(hostUnit) 的签名公钥 \(key.prefix(16))… 未经其前一个公钥签署：密钥表在账簿之外被改动"))
            }
            previous[hostUnit] = key
        }
    }

    static func verifyLog(_ db: Database, report: inout VerificationReport) throws {
        var previous = Canonical.genesis
        var expected = 1
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM op_log ORDER BY seq")
        while let row = try cursor.next() {
            report.logEntries += 1
            let entry: LogRecord
            do {
                entry = try LogRecord(row: row)
            } catch {
                report.problems.append(VerificationProblem(code: .unreadableRow, studio: "", voucher: nil, message: "操作日志无法解读：\(error)"))
                continue
            }
            let sequence = entry.sequence
            func problem(_ message: String) {
                report.problems.append(VerificationProblem(code: .logChainBroken, studio: entry.studio, voucher: nil, message: "操作日志第 \(sequence) 条：\(message)"))
            }
            if sequence != expected { problem("序号应为 \(expected)（日志被删除或插入）") }
            expected = sequence + 1
            if entry.previousHash != previous { problem("前序哈希不符") }
            let text = Canonical.logText(
                sequence: sequence, at: entry.at, user: entry.user, action: entry.action, studio: entry.studio,
                detail: entry.detail, previousHash: entry.previousHash)
            if sha256Hex(text) != entry.hash { problem("内容与其哈希不符：日志被改动") }
            previous = entry.hash
        }
    }
}

extension SQLiteAdmin {
    /// Re-checks every invariant from the stored data: each voucher against the chart and its
    /// hash, each studio's chain and numbering, the materialised balances against the postings,
    /// the period events and the operation log's chain. Never throws for bad data; it reports it
    /// (a row that no longer reads as X009, naming its table and row).
    func verify() throws -> VerificationReport { try verify(studioCode: nil) }

    func verify(studio: String) throws -> VerificationReport { try verify(studioCode: studio) }

    /// Every studio, or one (`studioCode`) with the operation log it is recorded in. At most
    /// `workerLimit` connections check chains at once (nil: one per core; 1: this connection alone).
    /// `fastChains: false` walks every chain with the full check of each voucher (tests and
    /// `ledger-bench verify-only --full-chains` compare the two).
    func verify(studioCode: String?, workerLimit: Int? = nil, fastChains: Bool = true) throws -> VerificationReport {
        try queue.read { db in
            var report = VerificationReport()
            let chart: ChartOfAccounts
            do { chart = try LedgerStore.loadChart(db) } catch let corruption as StoreCorruption {
                report.problems.append(VerificationProblem(code: .unreadableRow, studio: "", voucher: nil, message: "科目表无法读取：\(corruption)"))
                return report
            } catch {
                report.problems.append(VerificationProblem(code: .chartInvalid, studio: "", voucher: nil, message: "科目表无法通过校验：\(error)"))
                return report
            }
            var studioID: Int64? = nil
            if let studioCode { studioID = try LedgerStore.studioRow(db, code: studioCode).id }
            let studios = try Row.fetchAll(
                db, sql: "SELECT id, code FROM studio\(studioID == nil ? "" : " WHERE id = ?") ORDER BY code",
                arguments: StatementArguments(studioID.map { [$0] } ?? []))
            report.studios = studios.count
            let listed = studios.map { (id: $0["id"] as Int64, code: $0["code"] as String) }
            // The chains on other cores when the ledger is a file (an in-memory one has no second
            // connection) and there is more than one studio, while this connection checks the
            // rest; the problems are merged in the order the sequential walk reports them.
            let workers = min(workerLimit ?? ProcessInfo.processInfo.activeProcessorCount, listed.count)
            var pending: ChainWorkers<[(Int, VerificationReport, Int?)]>? = nil
            if workers > 1, queue.isFile {
                let counts = try listed.map { try Int.fetchOne(db, sql: "SELECT max(seq) FROM voucher WHERE studio_id = ?", arguments: [$0.id]) ?? 0 }
                pending = LedgerStore.startChains(queue, studios: listed, counts: counts, chart: chart, workers: workers, fast: fastChains)
            }
            let rest = Result { () throws -> (periods: [VerificationReport], numbering: VerificationReport, tail: VerificationReport) in
                var periods = [VerificationReport](repeating: VerificationReport(), count: listed.count)
                for (index, studio) in listed.enumerated() {
                    try LedgerStore.verifyPeriods(db, studioID: studio.id, code: studio.code, report: &periods[index])
                }
                var numbering = VerificationReport()
                try LedgerStore.verifyNumbering(db, studioID: studioID, report: &numbering)
                // (The misfiled postings come after the numbering; looked for below, once the
                // chains have said whether they saw every posting filed with its voucher.)
                var tail = VerificationReport()
                try LedgerStore.verifyBalances(db, studioID: studioID, report: &tail)
                try LedgerStore.verifyParallel(db, studioID: studioID, report: &tail)
                try LedgerStore.verifyLog(db, report: &tail)
                try LedgerStore.verifyKeys(db, report: &tail)
                try RowChain.verify(db, report: &tail)
                try LedgerStore.verifyCheckpoints(db, studio: studioCode, report: &tail)
                tail.postings = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM posting\(studioID == nil ? "" : " WHERE studio_id = ?")",
                    arguments: StatementArguments(studioID.map { [$0] } ?? [])) ?? 0
                return (periods, numbering, tail)
            }
            var chains = [(VerificationReport, Int?)?](repeating: nil, count: listed.count)
            if let pending {
                for (index, chain, lines) in try pending.wait().joined() { chains[index] = (chain, lines) }
            }
            let (periods, numbering, tail) = try rest.get()
            // Lines the chains saw, each filed under its voucher's studio and period; nil once
            // one was not, or a chain could not tell.
            var linesSeen: Int? = 0
            for (index, studio) in listed.enumerated() {
                let lines: Int?
                if case let (chain, chainLines)? = chains[index] {
                    report.vouchers += chain.vouchers
                    report.problems += chain.problems
                    lines = chainLines
                } else {
                    lines = try LedgerStore.verifyChain(db, studioID: studio.id, code: studio.code, chart: chart, fast: fastChains, report: &report)
                }
                linesSeen = linesSeen.flatMap { seen in lines.map { seen + $0 } }
                report.problems += periods[index].problems
            }
            report.problems += numbering.problems
            // Every posting of the books seen by the chains, filed with its voucher: there is no
            // misfiled posting to look for (the join over every posting is the caller's costliest
            // query after the balances). Otherwise, or for one studio, look.
            if studioID != nil || linesSeen != tail.postings {
                var misfiled = VerificationReport()
                try LedgerStore.verifyMisfiled(db, studioID: studioID, report: &misfiled)
                report.problems += misfiled.problems
            }
            report.problems += tail.problems
            report.logEntries = tail.logEntries
            report.postings = tail.postings
            return report
        }
    }
}

extension LedgerStore {
    /// `verify` with the chains checked by at most `workers` connections (1: this one alone,
    /// one studio after another): tests compare the two walks problem for problem.
    @_spi(Testing) public func verifyForTesting(workers: Int, studio: String? = nil, fastChains: Bool = true) throws -> VerificationReport {
        try SQLiteAdmin(queue: queue).verify(studioCode: studio, workerLimit: workers, fastChains: fastChains)
    }
}

/// Work started on `count` threads now, collected later by `wait()`: `verify` checks the hash
/// chains on other connections while its own connection checks the balances. Results in order,
/// the first error (in order) thrown.
final class ChainWorkers<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var values: [Result<Value, any Error>?]

    init(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Value) {
        values = Array(repeating: nil, count: count)
        for index in 0..<count {
            DispatchQueue.global().async(group: group) {
                let value = Result { try body(index) }
                self.lock.withLock { self.values[index] = value }
            }
        }
    }

    /// Waits for every thread; the results in order, or the first error.
    func wait() throws -> [Value] {
        group.wait()
        return try lock.withLock { values }.map { try $0!.get() }
    }
}
