import FundCore
internal import GRDB

extension LedgerStore {
    static let verifyChunk = 5_000

    static func verifyChain(_ db: Database, studioID: Int64, code: String, chart: ChartOfAccounts, report: inout VerificationReport) throws {
        var expectedSequence = 1
        var previous = Canonical.genesis
        let count = try Int.fetchOne(db, sql: "SELECT max(seq) FROM voucher WHERE studio_id = ?", arguments: [studioID]) ?? 0
        var low = 1
        while low <= count {
            let high = low + verifyChunk - 1
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, seq, period, class, number, prev_hash, hash FROM voucher WHERE studio_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
                arguments: [studioID, low, high])
            // One query for the chunk; if any row no longer decodes, fall back to one by one.
            let loaded = try? loadVouchers(db, whereSQL: "v.studio_id = ? AND v.seq BETWEEN ? AND ?", arguments: [studioID, low, high])
            let bySequence = Dictionary(loaded?.map { ($0.sequence, $0) } ?? [], uniquingKeysWith: { first, _ in first })
            for row in rows {
                let label = "\(Period(key: row["period"]).map(\.iso) ?? "?") \(row["class"] as String)-\(row["number"] as Int)"
                func problem(_ kind: VerificationProblem.Code, _ message: String) {
                    report.problems.append(VerificationProblem(code: kind, studio: code, voucher: label, message: message))
                }
                let sequence: Int = row["seq"]
                if sequence != expectedSequence {
                    problem(.sequenceGap, "哈希链序号应为 \(expectedSequence)，实际为 \(sequence)（凭证被删除或插入）")
                    expectedSequence = sequence
                }
                expectedSequence += 1
                report.vouchers += 1
                let voucher: PostedVoucher
                do {
                    voucher = try bySequence[sequence] ?? loadVouchers(db, whereSQL: "v.id = ?", arguments: [row["id"] as Int64])[0]
                } catch {
                    problem(.unreadableRow, "存储的凭证数据无法解读：\(error)")
                    previous = row["hash"]
                    continue
                }
                if voucher.previousHash != previous {
                    problem(.chainBroken, "前序哈希不符：记录为 \(voucher.previousHash.prefix(12))…，前一张凭证的哈希为 \(previous.prefix(12))…")
                }
                let text = Canonical.voucherText(
                    ref: voucher.ref, draft: voucher.draft, kind: voucher.kind, postedBy: voucher.postedBy,
                    postedAt: voucher.postedAt, sequence: voucher.sequence, previousHash: voucher.previousHash)
                if sha256Hex(text) != voucher.hash {
                    problem(.hashMismatch, "凭证内容与其哈希不符：记账后数据被改动")
                }
                do {
                    try revalidate(db, voucher, chart: chart)
                } catch let rejection as Rejection {
                    problem(.invariantBroken, "凭证不再满足记账规则：\(rejection)")
                } catch let corruption as StoreCorruption {
                    problem(.unreadableRow, "所冲销的原凭证无法解读：\(corruption)")
                }
                previous = voucher.hash
            }
            low = high + 1
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

    static func verifyBalances(_ db: Database, studioID: Int64?, report: inout VerificationReport) throws {
        let only = studioID == nil ? "" : " WHERE studio_id = ?"
        let arguments = StatementArguments(studioID.map { [$0] } ?? [])
        struct Key: Hashable { let studio: Int64; let fund: String; let account: String; let period: Int }
        var derived: [Key: (Int64, Int64)] = [:]
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT studio_id, fund, account, period,
                    sum(CASE WHEN side = 'debit' THEN amount_fen ELSE 0 END),
                    sum(CASE WHEN side = 'credit' THEN amount_fen ELSE 0 END)
                FROM posting\(only) GROUP BY studio_id, fund, account, period
                """, arguments: arguments)
        while let row = try cursor.next() {
            derived[Key(studio: row[0], fund: row[1], account: row[2], period: row[3])] = (row[4], row[5])
        }
        let codes = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, code FROM studio").map { ($0[0] as Int64, $0[1] as String) })
        let stored = try Row.fetchCursor(
            db, sql: "SELECT studio_id, fund, account, period, debit_fen, credit_fen FROM month_balance\(only)", arguments: arguments)
        func mismatch(_ key: Key, _ message: String) {
            report.problems.append(VerificationProblem(
                code: .balanceMismatch, studio: codes[key.studio] ?? "?", voucher: nil,
                message: "\(Fund(rawValue: key.fund)?.chineseName ?? key.fund) 科目 \(key.account) \(Period(key: key.period)?.iso ?? "?")：\(message)"))
        }
        while let row = try stored.next() {
            let key = Key(studio: row[0], fund: row[1], account: row[2], period: row[3])
            let storedPair: (Int64, Int64) = (row[4], row[5])
            let fromPostings = derived.removeValue(forKey: key) ?? (0, 0)
            if storedPair != fromPostings {
                mismatch(key, "余额表记录借 \(Money(fen: storedPair.0).plainString) 贷 \(Money(fen: storedPair.1).plainString)，分录合计借 \(Money(fen: fromPostings.0).plainString) 贷 \(Money(fen: fromPostings.1).plainString)")
            }
        }
        for (key, pair) in derived {
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

    /// Every studio, or one (`studioCode`) with the operation log it is recorded in.
    private func verify(studioCode: String?) throws -> VerificationReport {
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
            for studio in studios {
                try LedgerStore.verifyChain(db, studioID: studio["id"], code: studio["code"], chart: chart, report: &report)
                try LedgerStore.verifyPeriods(db, studioID: studio["id"], code: studio["code"], report: &report)
            }
            try LedgerStore.verifyNumbering(db, studioID: studioID, report: &report)
            try LedgerStore.verifyMisfiled(db, studioID: studioID, report: &report)
            try LedgerStore.verifyBalances(db, studioID: studioID, report: &report)
            try LedgerStore.verifyLog(db, report: &report)
            try LedgerStore.verifyKeys(db, report: &report)
            try RowChain.verify(db, report: &report)
            try LedgerStore.verifyCheckpoints(db, studio: studioCode, report: &report)
            report.postings = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM posting\(studioID == nil ? "" : " WHERE studio_id = ?")",
                arguments: StatementArguments(studioID.map { [$0] } ?? [])) ?? 0
            return report
        }
    }
}
