import Crypto
import Foundation
import FundCore
internal import GRDB
internal import GRDBSQLite

/// The fast lane of `verify`'s chain walk: a voucher is read from the column bytes, its canonical
/// text written into one reused buffer (`CanonicalVoucherBytes`) and hashed, and the posting rules
/// checked on the same bytes, with nothing built per voucher or per line. The lane only ever
/// says "this voucher is in order": whenever anything is not plainly in order (the sequence, the
/// previous hash, the hash, a rule, a field it cannot be sure of, a reversal, a correction or an
/// invoice line) the voucher goes to the full check (`verifyChainRowByRow` for that one voucher),
/// which names the problems exactly as before. So the problems and their order are those of the
/// full check by construction, and the fast lane needs no labels or messages.
extension LedgerStore {
    /// The chart's leaf accounts by code bytes: whether each is a clearing account and which
    /// funds it accepts. A code that is not a leaf here (unknown, a parent, longer than eight
    /// bytes) sends its voucher to the full check.
    struct LeafAccounts {
        /// bit 0–2: accepts subsidy, enterprise, self-raised; bit 3: clearing.
        private var flags: [UInt64: UInt8] = [:]

        init(_ chart: ChartOfAccounts) {
            for account in chart.leaves {
                var bytes = Array(account.code.utf8)
                guard let key = bytes.withUnsafeMutableBufferPointer({ Self.key(UnsafeBufferPointer($0)) }) else { continue }
                var value: UInt8 = 0
                for (bit, fund) in [Fund.subsidy, .enterprise, .selfRaised].enumerated() where account.accepts(fund) { value |= 1 << bit }
                if account.role == .clearing { value |= 8 }
                flags[key] = value
            }
        }

        static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
            guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
            var key: UInt64 = 0
            for byte in bytes {
                guard byte != 0 else { return nil }
                key = key << 8 | UInt64(byte)
            }
            return key
        }

        func flags(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
            guard let key = Self.key(bytes) else { return nil }
            return flags[key]
        }
    }

    /// The chain of one studio, fast lane first (see above). Same contract as `verifyChain`:
    /// returns the number of posting lines read, or nil when one was filed under another studio
    /// or period than its voucher's (or a line was left over), so `verifyMisfiled` must look.
    static func verifyChainFast(
        _ db: Database, studioID: Int64, code: String, chart: ChartOfAccounts, through: Int?, report: inout VerificationReport
    ) throws -> Int? {
        let count = try through ?? Int.fetchOne(db, sql: "SELECT max(seq) FROM voucher WHERE studio_id = ?", arguments: [studioID]) ?? 0
        guard count > 0 else { return 0 }
        var linesRead = 0
        var misfiled = false
        let accounts = LeafAccounts(chart)
        var walk = ChainWalk()
        var previous = Array(walk.previous.utf8)
        var canonical = CanonicalVoucherBytes()
        var studio = code
        let voucherStatement = try db.cachedStatement(
            sql: """
                SELECT v.id, v.seq, v.period, v.class, v.number, v.date, v.link_id, v.attachments, v.settlement,
                    v.counterparty, v.preparer, v.reviewer, v.poster, v.source_ref, v.posted_by, v.posted_at, v.prev_hash, v.hash
                FROM voucher v WHERE v.studio_id = ? AND v.seq BETWEEN ? AND ? ORDER BY v.seq
                """)
        let lineStatement = try db.cachedStatement(
            sql: """
                SELECT p.voucher_id, p.memo, p.account, p.fund, p.side, p.amount_fen, p.invoice_code, p.invoice_number,
                    p.studio_id, p.period
                FROM voucher v JOIN posting p ON p.voucher_id = v.id
                WHERE v.studio_id = ? AND v.seq BETWEEN ? AND ? ORDER BY v.seq, p.line_no
                """)
        let v = voucherStatement.sqliteStatement
        let p = lineStatement.sqliteStatement
        var low = 1
        while low <= count {
            let high = min(low + verifyChunk - 1, count)
            let arguments: StatementArguments = [studioID, low, high]
            let voucherRows = try Row.fetchCursor(voucherStatement, arguments: arguments)
            let lineRows = try Row.fetchCursor(lineStatement, arguments: arguments)
            var lineReady = try lineRows.next() != nil
            while try voucherRows.next() != nil {
                let id = sqlite3_column_int64(v, 0)
                let sequence = Int(sqlite3_column_int64(v, 1))
                var plain = sequence == walk.expectedSequence
                // The header, written into the canonical text while it is checked.
                if plain {
                    plain = studio.withUTF8 { studioBytes in
                        header(v, studio: studioBytes, sequence: sequence, previous: previous, into: &canonical)
                    }
                }
                // The lines (always read to the end of the voucher, to keep the two cursors together).
                var lines = 0
                var sums = FundSums()
                let period = sqlite3_column_int64(v, 2)
                while lineReady && sqlite3_column_int64(p, 0) == id {
                    linesRead += 1
                    if sqlite3_column_int64(p, 8) != studioID || sqlite3_column_int64(p, 9) != period { misfiled = true }
                    if plain {
                        plain = line(p, index: lines, accounts: accounts, sums: &sums, into: &canonical)
                    }
                    lines += 1
                    lineReady = try lineRows.next() != nil
                }
                if plain { plain = (2...Limits.linesPerVoucherMax).contains(lines) && sums.balanced }
                if plain {
                    canonical.end(previousHash: columnBytes(v, 16))
                    let digest = canonical.withBytes { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
                    plain = hexMatches(digest, columnBytes(v, 17))
                }
                if plain {
                    walk.expectedSequence += 1
                    report.vouchers += 1
                    let hash = columnBytes(v, 17)
                    previous.removeAll(keepingCapacity: true)
                    previous.append(contentsOf: hash)
                } else {
                    // The full check of this one voucher names what is wrong, as the chunk walk would.
                    walk.previous = String(decoding: previous, as: UTF8.self)
                    try verifyChainRowByRow(
                        db, studioID: studioID, code: code, chart: chart, low: sequence, high: sequence, walk: &walk, report: &report)
                    previous = Array(walk.previous.utf8)
                }
            }
            // A line no voucher of the chunk took (cannot happen while both statements read the
            // same join in the same order): let `verifyMisfiled` look.
            if lineReady { misfiled = true }
            low = high + 1
        }
        return misfiled ? nil : linesRead
    }

    /// Debit and credit per fund, and the clearing legs, of one voucher.
    struct FundSums {
        var debit: (Int64, Int64, Int64) = (0, 0, 0)
        var credit: (Int64, Int64, Int64) = (0, 0, 0)
        var clearing: Int64 = 0

        var balanced: Bool { debit == credit && clearing == 0 }
    }

    /// The text of a column, up to its NUL (as `String(cString:)` and `loadVouchers` read it).
    @inline(__always)
    static func columnBytes(_ statement: SQLiteStatement, _ index: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(statement, index) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)))
    }

    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount && memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
    }

    /// Checks the voucher row's header and writes it into `canonical`; false when the voucher
    /// needs the full check.
    private static func header(
        _ v: SQLiteStatement, studio: UnsafeBufferPointer<UInt8>, sequence: Int, previous: [UInt8], into canonical: inout CanonicalVoucherBytes
    ) -> Bool {
        // A reversal or a correction (a link) goes to the full check.
        guard sqlite3_column_type(v, 6) == SQLITE_NULL else { return false }
        guard let period = Period(key: Int(sqlite3_column_int64(v, 2))) else { return false }
        let voucherClass = columnBytes(v, 3)
        guard equals(voucherClass, "记") || equals(voucherClass, "收") || equals(voucherClass, "付") || equals(voucherClass, "转") else { return false }
        guard let date = isoDate(columnBytes(v, 5)) else { return false }
        let attachments = Int(sqlite3_column_int64(v, 7))
        guard (0...Limits.attachmentsPerVoucherMax).contains(attachments) else { return false }
        let settlement = columnBytes(v, 8)
        if sqlite3_column_type(v, 8) != SQLITE_NULL {
            guard equals(settlement, "bank-transfer") || equals(settlement, "cash") || equals(settlement, "official-card")
                || equals(settlement, "other")
            else { return false }
        }
        let counterparty = columnBytes(v, 9), preparer = columnBytes(v, 10), reviewer = columnBytes(v, 11), poster = columnBytes(v, 12)
        func plainName(_ name: UnsafeBufferPointer<UInt8>) -> Bool { name.count <= Limits.nameLengthMax && plainText(name, allowTab: false) }
        guard plainName(counterparty), plainName(preparer), plainName(reviewer), plainName(poster) else { return false }
        guard preparer.contains(where: { ($0 > 0x20 && $0 < 0x7F) || $0 >= 0xE4 }) else { return false }
        let source = columnBytes(v, 13)
        guard plainText(source, allowTab: false) else { return false }
        let postedBy = columnBytes(v, 14), postedAt = columnBytes(v, 15)
        guard plainText(postedBy, allowTab: true), plainText(postedAt, allowTab: true) else { return false }
        let previousHash = columnBytes(v, 16)
        guard previousHash.elementsEqual(previous) else { return false }
        canonical.begin(
            studio: studio, sequence: sequence, period: period, voucherClass: voucherClass, number: Int(sqlite3_column_int64(v, 4)),
            date: date, kind: .normal, attachments: attachments, settlement: settlement, counterparty: counterparty,
            preparer: preparer, reviewer: reviewer, poster: poster, source: source, postedBy: postedBy, postedAt: postedAt)
        return true
    }

    /// Checks one posting line and writes it into `canonical`; false when the voucher needs the
    /// full check.
    private static func line(
        _ p: SQLiteStatement, index: Int, accounts: LeafAccounts, sums: inout FundSums, into canonical: inout CanonicalVoucherBytes
    ) -> Bool {
        // An invoice line goes to the full check.
        guard sqlite3_column_type(p, 6) == SQLITE_NULL, sqlite3_column_type(p, 7) == SQLITE_NULL else { return false }
        let fund = columnBytes(p, 3)
        let fundBit: UInt8
        if equals(fund, "subsidy") { fundBit = 1 } else if equals(fund, "enterprise") { fundBit = 2 } else if equals(fund, "self-raised") {
            fundBit = 4
        } else { return false }
        let side = columnBytes(p, 4)
        let debit: Bool
        if equals(side, "debit") { debit = true } else if equals(side, "credit") { debit = false } else { return false }
        let account = columnBytes(p, 2)
        guard let flags = accounts.flags(account), flags & fundBit != 0 else { return false }
        let fen = sqlite3_column_int64(p, 5)
        guard fen > 0, fen <= Limits.lineAmountFenMax else { return false }
        let memo = columnBytes(p, 1)
        guard memo.count <= Limits.memoLengthMax, plainlyUnpadded(memo), plainText(memo, allowTab: true) else { return false }
        switch (fundBit, debit) {
        // (At most 500 lines of at most 10^14 fen each: no sum can overflow before the line count
        // sends the voucher to the full check; wrapping arithmetic only so nothing can trap.)
        case (1, true): sums.debit.0 &+= fen
        case (2, true): sums.debit.1 &+= fen
        case (4, true): sums.debit.2 &+= fen
        case (1, false): sums.credit.0 &+= fen
        case (2, false): sums.credit.1 &+= fen
        default: sums.credit.2 &+= fen
        }
        if flags & 8 != 0 { sums.clearing &+= debit ? fen : -fen }
        canonical.line(index: index, account: account, fund: fund, side: side, fen: fen, invoice: UnsafeBufferPointer(start: nil, count: 0), memo: memo)
        return true
    }

    /// A valid ISO date of ten bytes ("2025-10-29"), as `loadVouchers` reads it; nil otherwise.
    static func isoDate(_ stored: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard stored.count == 10, stored[4] == 0x2D, stored[7] == 0x2D else { return nil }
        var fields = (0, 0, 0)
        for position in 0..<10 where position != 4 && position != 7 {
            let byte = stored[position]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let digit = Int(byte - 0x30)
            switch position {
            case 0..<4: fields.0 = fields.0 * 10 + digit
            case 5..<7: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
        }
        return CalendarDate(year: fields.0, month: fields.1, day: fields.2)
    }

    /// Whether `bytes` are valid UTF-8 (so the string read from them has these very bytes) and
    /// hold no character `TextField` refuses (`TextField.isForbidden`: controls but a tab where
    /// allowed, DEL, C1 controls, U+00AD, U+061C, the invisible and bidirectional characters of
    /// U+2000–U+206F, U+FEFF, U+FFFD–U+FFFF), decided on the bytes. False means "not sure".
    static func plainText(_ bytes: UnsafeBufferPointer<UInt8>, allowTab: Bool) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte < 0x20 && !(byte == 0x09 && allowTab) { return false }
                if byte == 0x7F { return false }
                index += 1
                continue
            }
            func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
                index + offset < count && bytes[index + offset] >= low && bytes[index + offset] <= high
            }
            switch byte {
            case 0xC2:
                // U+0080–U+009F (C1 controls) and U+00AD (soft hyphen) are refused.
                guard continuation(1, 0xA0), bytes[index + 1] != 0xAD else { return false }
                index += 2
            case 0xD8:
                // U+061C (Arabic letter mark) is refused.
                guard continuation(1), bytes[index + 1] != 0x9C else { return false }
                index += 2
            case 0xC3...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0:
                guard continuation(1, 0xA0), continuation(2) else { return false }
                index += 3
            case 0xE2:
                // U+2000–U+2FFF: refused are U+200B–U+200F, U+2028–U+202E, U+2060–U+2064 and
                // U+2066–U+2069 (E2 80 8B–8F, E2 80 A8–AE, E2 81 A0–A4, E2 81 A6–A9).
                guard continuation(1), continuation(2) else { return false }
                let second = bytes[index + 1], third = bytes[index + 2]
                if second == 0x80 && ((0x8B...0x8F).contains(third) || (0xA8...0xAE).contains(third)) { return false }
                if second == 0x81 && (0xA0...0xA9).contains(third) { return false }
                index += 3
            case 0xEF:
                // U+F000–U+FFFF: refused are U+FEFF, U+FFFD, U+FFFE and U+FFFF (EF BB BF, EF BF BD–BF).
                guard continuation(1), continuation(2) else { return false }
                let second = bytes[index + 1], third = bytes[index + 2]
                if second == 0xBB && third == 0xBF { return false }
                if second == 0xBF && third >= 0xBD { return false }
                index += 3
            case 0xE1, 0xE3...0xEC, 0xEE:
                guard continuation(1), continuation(2) else { return false }
                index += 3
            case 0xED:
                guard continuation(1, 0x80, 0x9F), continuation(2) else { return false }
                index += 3
            case 0xF0:
                guard continuation(1, 0x90), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                index += 4
            case 0xF4:
                guard continuation(1, 0x80, 0x8F), continuation(2), continuation(3) else { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    /// Not empty, and neither starts nor ends with white space for certain (so trimming leaves
    /// it as it is): printable ASCII or a scalar at U+4000 and above at both ends.
    static func plainlyUnpadded(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func plain(_ lead: UInt8) -> Bool { (lead > 0x20 && lead < 0x7F) || lead >= 0xE4 }
        guard let first = bytes.first, plain(first), var end = bytes.indices.last else { return false }
        while bytes[end] & 0xC0 == 0x80 && end > 0 && bytes.count - end < 4 { end -= 1 }
        return plain(bytes[end])
    }

    /// Whether `digest` written as lower-case hex is `stored`.
    static func hexMatches(_ digest: SHA256.Digest, _ stored: UnsafeBufferPointer<UInt8>) -> Bool {
        guard stored.count == 64 else { return false }
        var index = 0
        for byte in digest {
            guard stored[index] == hexDigits[Int(byte >> 4)], stored[index + 1] == hexDigits[Int(byte & 0x0F)] else { return false }
            index += 2
        }
        return true
    }
}
