/// 凭证字: 记 (general), 收 (receipt), 付 (payment), 转 (transfer).
public enum VoucherClass: String, CaseIterable, Sendable, Codable, Comparable {
    case ji = "记"
    case shou = "收"
    case fu = "付"
    case zhuan = "转"

    public static func < (lhs: VoucherClass, rhs: VoucherClass) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public static func parse(_ text: String) throws(Rejection) -> VoucherClass {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return .ji }
        if let value = VoucherClass(rawValue: trimmed) { return value }
        switch trimmed.lowercased() {
        case "记账", "记字", "ji", "general": return .ji
        case "收款", "收字", "shou", "receipt": return .shou
        case "付款", "付字", "fu", "payment": return .fu
        case "转账", "转字", "zhuan", "transfer": return .zhuan
        default:
            throw Rejection(.voucherClassUnknown, field: "class", "凭证字“\(text)”无效（应为 记/收/付/转）")
        }
    }
}

/// 结算方式
public enum Settlement: String, CaseIterable, Sendable, Codable {
    case cash = "cash"
    /// Cash paid to a person for what the studio bought from them (现金管理暂行条例 第五条:
    /// 向个人收购农副产品和其他物资的价款), which may exceed the settlement point.
    case cashFromIndividual = "cash-individual-purchase"
    case bankTransfer = "bank-transfer"
    case officialCard = "official-card"
    case other = "other"

    public var chineseName: String {
        switch self {
        case .cash: return "现金"
        case .cashFromIndividual: return "现金（向个人收购）"
        case .bankTransfer: return "银行转账"
        case .officialCard: return "公务卡"
        case .other: return "其他"
        }
    }

    public static func parse(_ text: String) throws(Rejection) -> Settlement {
        if let value = Settlement(rawValue: text) { return value }
        let trimmed = text.trimmingSpaces
        if let value = Settlement(rawValue: trimmed.lowercased()) { return value }
        switch trimmed {
        case "现金", "现金支付": return .cash
        case "现金（向个人收购）", "现金(向个人收购)", "向个人收购": return .cashFromIndividual
        case "银行转账", "转账", "银行存款", "网银", "电汇", "支票": return .bankTransfer
        case "公务卡": return .officialCard
        case "其他": return .other
        default:
            throw Rejection(
                .settlementUnknown, field: "settlement",
                "结算方式“\(text)”无效（应为 现金/现金（向个人收购）/银行转账/公务卡/其他）")
        }
    }
}

/// The key that identifies an invoice for duplicate checks: a legacy VAT invoice's 发票代码
/// (10 or 12 digits) and 发票号码 (8 digits), or a 数电票's 20-digit number alone.
public enum InvoiceKey: Hashable, Sendable, Codable, CustomStringConvertible {
    case legacy(code: String, number: String)
    case digital(number: String)

    /// Builds a key from the two columns accountants have; both empty means no invoice.
    public static func parse(code rawCode: String, number rawNumber: String) throws(Rejection) -> InvoiceKey? {
        let code = rawCode.trimmingSpaces
        let number = rawNumber.trimmingSpaces
        if code.isEmpty && number.isEmpty { return nil }
        let digitsOnly = { (text: String) in !text.isEmpty && text.allSatisfy(\.isASCIIDigit) }
        if code.isEmpty {
            guard number.count == 20, digitsOnly(number) else {
                throw Rejection(
                    .invoiceKeyInvalid, field: "invoice_number",
                    "发票号码“\(number)”无效：数电票号码为 20 位数字；纸质/旧版电子发票还需填写 10 或 12 位发票代码")
            }
            return .digital(number: number)
        }
        guard [10, 12].contains(code.count), digitsOnly(code) else {
            throw Rejection(.invoiceKeyInvalid, field: "invoice_code", "发票代码“\(code)”无效（应为 10 或 12 位数字）")
        }
        guard number.count == 8, digitsOnly(number) else {
            throw Rejection(.invoiceKeyInvalid, field: "invoice_number", "发票号码“\(number)”无效（应为 8 位数字）")
        }
        return .legacy(code: code, number: number)
    }

    public var code: String? {
        if case .legacy(let code, _) = self { return code }
        return nil
    }

    public var number: String {
        switch self {
        case .legacy(_, let number), .digital(let number): return number
        }
    }

    public var description: String {
        switch self {
        case .legacy(let code, let number): return "\(code)/\(number)"
        case .digital(let number): return number
        }
    }
}

/// One line of a voucher (分录行). In a red reversal the amount is negative (same side as the
/// line it reverses); everywhere else it is positive.
public struct VoucherLine: Hashable, Sendable, Codable {
    public let memo: String
    public let account: String
    public let fund: Fund
    public let side: Side
    public let amount: Money
    public let invoice: InvoiceKey?

    public init(memo: String, account: String, fund: Fund, side: Side, amount: Money, invoice: InvoiceKey? = nil) {
        self.memo = memo
        self.account = account
        self.fund = fund
        self.side = side
        self.amount = amount
        self.invoice = invoice
    }

    /// +amount for a debit, −amount for a credit.
    public var signedAmount: Money {
        side == .debit ? amount : amount.negated
    }
}

/// A voucher as entered, before the ledger gives it a number.
public struct VoucherDraft: Hashable, Sendable, Codable {
    public var studio: String
    public var date: CalendarDate
    public var voucherClass: VoucherClass
    public var lines: [VoucherLine]
    public var attachments: Int
    public var settlement: Settlement?
    public var counterparty: String
    public var preparer: String
    public var reviewer: String
    public var poster: String
    public var sourceRef: String?

    public init(
        studio: String, date: CalendarDate, voucherClass: VoucherClass = .ji, lines: [VoucherLine],
        attachments: Int = 0, settlement: Settlement? = nil, counterparty: String = "",
        preparer: String, reviewer: String = "", poster: String = "", sourceRef: String? = nil
    ) {
        self.studio = studio
        self.date = date
        self.voucherClass = voucherClass
        self.lines = lines
        self.attachments = attachments
        self.settlement = settlement
        self.counterparty = counterparty
        self.preparer = preparer
        self.reviewer = reviewer
        self.poster = poster
        self.sourceRef = sourceRef
    }

    public var period: Period { date.period }

    /// The funds this voucher touches, in fund order.
    public var funds: [Fund] { Array(Set(lines.map(\.fund))).sorted() }
}

/// Where a posted voucher sits: studio, month, class and number (记-0003 of 2025-11).
public struct VoucherRef: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let studio: String
    public let period: Period
    public let voucherClass: VoucherClass
    public let number: Int

    public init(studio: String, period: Period, voucherClass: VoucherClass, number: Int) {
        self.studio = studio
        self.period = period
        self.voucherClass = voucherClass
        self.number = number
    }

    /// 记-0003
    public var label: String {
        if (0...9999).contains(number) {
            // The usual case, without building the digits and the padding separately.
            let zero = UInt8(ascii: "0")
            var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8) = (
                UInt8(ascii: "-"), zero + UInt8(number / 1000), zero + UInt8(number / 100 % 10), zero + UInt8(number / 10 % 10),
                zero + UInt8(number % 10)
            )
            return voucherClass.rawValue + withUnsafeBytes(of: &bytes) { String(decoding: $0, as: UTF8.self) }
        }
        let digits = String(number)
        return voucherClass.rawValue + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Appends `label`'s UTF-8 bytes (for messages built byte by byte).
    public func appendLabel(to bytes: inout [UInt8]) {
        guard (0...9999).contains(number) else { return bytes.append(contentsOf: label.utf8) }
        let zero = UInt8(ascii: "0")
        bytes.append(contentsOf: voucherClass.rawValue.utf8)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(zero + UInt8(number / 1000))
        bytes.append(zero + UInt8(number / 100 % 10))
        bytes.append(zero + UInt8(number / 10 % 10))
        bytes.append(zero + UInt8(number % 10))
    }

    public var description: String { "\(studio) \(period.iso) \(label)" }

    public static func < (lhs: VoucherRef, rhs: VoucherRef) -> Bool {
        (lhs.studio, lhs.period, lhs.voucherClass, lhs.number) < (rhs.studio, rhs.period, rhs.voucherClass, rhs.number)
    }
}

/// Why a voucher exists: ordinary business, a red reversal of another, or a blue correcting
/// voucher that replaces a reversed one.
public enum VoucherKind: Hashable, Sendable, Codable {
    case normal
    case reversal(of: VoucherRef)
    case correction(of: VoucherRef)

    public var code: String {
        switch self {
        case .normal: return "normal"
        case .reversal: return "reversal"
        case .correction: return "correction"
        }
    }

    public var link: VoucherRef? {
        switch self {
        case .normal: return nil
        case .reversal(let ref), .correction(let ref): return ref
        }
    }
}

/// A voucher in the ledger: the draft plus its number, kind, posting stamp and chain hash.
public struct PostedVoucher: Hashable, Sendable {
    public let ref: VoucherRef
    public let draft: VoucherDraft
    public let kind: VoucherKind
    public let postedBy: String
    /// ISO 8601 UTC instant of posting, e.g. "2025-11-03T08:15:00Z".
    public let postedAt: String
    /// Position in the studio's hash chain, from 1.
    public let sequence: Int
    public let previousHash: String
    public let hash: String

    public init(
        ref: VoucherRef, draft: VoucherDraft, kind: VoucherKind, postedBy: String, postedAt: String,
        sequence: Int, previousHash: String, hash: String
    ) {
        self.ref = ref
        self.draft = draft
        self.kind = kind
        self.postedBy = postedBy
        self.postedAt = postedAt
        self.sequence = sequence
        self.previousHash = previousHash
        self.hash = hash
    }
}
