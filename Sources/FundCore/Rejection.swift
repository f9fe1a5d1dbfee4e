/// A stable code for each way input can be rejected. Codes are never reused; each is listed in
/// docs/rejections.md with its meaning and tested for uniqueness.
public enum RejectionCode: String, CaseIterable, Sendable, Codable {
    // Money
    case moneyEmpty = "M001"
    case moneyInvalidCharacter = "M002"
    case moneyTooManyDecimals = "M003"
    case moneyOverflow = "M004"
    case moneyBadGrouping = "M005"
    // Dates and periods
    case dateInvalid = "D001"
    case periodInvalid = "D002"
    case dateImplausible = "D003"
    // Host units (统一社会信用代码) and studios
    case creditCodeLength = "U001"
    case creditCodeCharacter = "U002"
    case creditCodeCheck = "U003"
    case hostUnitUnknown = "S001"
    case hostUnitDuplicate = "S002"
    case studioUnknown = "S003"
    case studioDuplicate = "S004"
    case studioCodeInvalid = "S005"
    case fieldEmpty = "S006"
    case fieldTooLong = "S007"
    case subsidyOutOfRange = "S008"
    case hostUnitKindUnknown = "S009"
    case markingUnchanged = "S010"
    // Chart of accounts
    case accountCodeFormat = "A001"
    case accountParentMissing = "A002"
    case accountDuplicate = "A003"
    case accountAttributeUnknown = "A004"
    case accountClassification = "A005"
    case accountFundsInvalid = "A006"
    case chartEmpty = "A007"
    case accountUnmapped = "A008"
    // Vouchers
    case voucherNoLines = "V001"
    case voucherTooManyLines = "V002"
    case amountZero = "V003"
    case amountTooLarge = "V005"
    case fundUnbalanced = "V006"
    case clearingNotNetted = "V007"
    case accountUnknown = "V008"
    case accountNotLeaf = "V009"
    case accountFundRestricted = "V010"
    case memoEmpty = "V011"
    case memoTooLong = "V012"
    case attachmentsOutOfRange = "V013"
    case invoiceKeyInvalid = "V014"
    case preparerMissing = "V015"
    case voucherClassUnknown = "V016"
    case settlementUnknown = "V017"
    case fundUnknown = "V018"
    case sideUnknown = "V019"
    case voucherUnknown = "V020"
    case voucherAlreadyReversed = "V021"
    case reversalOfReversal = "V022"
    case reversalMismatch = "V023"
    case reasonMissing = "V024"
    case voucherNumberingFull = "V025"
    case voucherSingleLine = "V026"
    case redLinesOutsideReversal = "V027"
    case voucherJSONInvalid = "V028"
    case voucherNumberInvalid = "V029"
    case textControlCharacter = "V030"
    case jsonAmountType = "V031"
    case reversalAcrossYears = "V032"
    case reversalBeforeOriginal = "V033"
    case budgetLinesUnbalanced = "V034"
    case budgetCashMismatch = "V035"
    case budgetLinesNotKept = "V036"
    case budgetChartMissing = "V037"
    case budgetYearOrder = "V038"
    case budgetNothingToClose = "V039"
    // Periods
    case periodClosed = "P001"
    case periodCloseOutOfOrder = "P002"
    case periodNotEnded = "P003"
    case periodReopenNotLatest = "P004"
    case periodNotClosed = "P005"
    // Imports
    case importEncoding = "I001"
    case importColumnMissing = "I002"
    case importColumnDuplicate = "I003"
    case importFieldCount = "I004"
    case importVoucherConflict = "I005"
    case importDebitCredit = "I006"
    case importDirection = "I007"
    case importEmpty = "I008"
    case importTooManyRows = "I009"
    case importQuoting = "I010"
    case importNumber = "I011"
    case importCurrency = "I012"
    case importFiscalPeriod = "I013"
    case importAuxiliary = "I014"
    case importHostAccountUnmapped = "I015"
    case mappingInvalid = "I016"
    case mappingMissing = "I017"
    // Compliance
    case postingBlocked = "C001"
    case policyInvalid = "C002"
    case calendarInvalid = "C003"
    case documentAlreadyLoaded = "C004"
    case findingKeyInvalid = "F001"
    case findingUnknown = "F002"
    case findingSelfDecision = "F003"

    case categoryUnknown = "B001"
    case budgetNegative = "B002"
    case budgetDuplicate = "B003"

    case evidenceOverCount = "E001"
    case evidenceDuplicate = "E002"
    case evidenceEmpty = "E003"
    case evidenceMissing = "E004"
    case evidenceType = "E005"
    case evidenceTooLarge = "E006"
    case signingKeyMissing = "K001"
    case signingKeyInvalid = "K002"
    case signingKeyMismatch = "K003"
    case anchorFileInvalid = "K004"
    case signingKeyExists = "K005"
    case keyEndorsementInvalid = "K006"
    // Lifecycle, outputs and evaluation
    case lifecycleStateUnknown = "L001"
    case transitionIllegal = "L002"
    case lifecycleDateOrder = "L003"
    case recognitionDateMismatch = "L004"
    case noticePeriodNotOver = "L005"
    case rectificationDeadlineInvalid = "L006"
    case revocationGroundInvalid = "L007"
    case changeKindUnknown = "L008"
    case changeUnknown = "L009"
    case activityKindUnknown = "L010"
    case activityInvalid = "L011"
    case indicatorUnknown = "L012"
    case indicatorSetInvalid = "L013"
    case targetInvalid = "L014"
    case scoreOutOfRange = "L015"
    case nothingOwed = "L016"
    case actorMissing = "L017"
    case noticeKindUnknown = "L018"
    case noticeNotAllowed = "L019"
    case acceptanceBeforeWindowEnd = "L020"
    case shortfallNotFunded = "L021"
    case repaymentDateInvalid = "L022"
    case activityDuplicate = "L023"
    case booksChanged = "L024"
    case reinspectionBeforeDeadline = "L025"
    case changeNotApproved = "L026"
    case changeEffectInvalid = "L027"
    // Output files (--out)
    case outputProtected = "O001"
    case outputNotRegularFile = "O002"
    // Web desk accounts (user add/disable/reset-password, login, password change)
    case roleUnknown = "W001"
    case scopeInvalid = "W002"
    case userUnknown = "W003"
    case userDuplicate = "W004"
    case passwordWeak = "W005"
    case passwordWrong = "W006"
    // The voucher desk: drafts, review and posting
    case draftUnknown = "R001"
    case draftState = "R002"
    case reviewerIsMaker = "R003"
    case notDraftMaker = "R004"
    case voucherUnreviewed = "R005"
    case returnReasonMissing = "R006"

    /// A short English name for logs and JSON, stable like the code.
    public var name: String {
        String(describing: self)
    }
}

/// Input that the ledger refuses. `field` names the offending field (a JSON key, a CSV column);
/// `message` is the user-facing explanation in Simplified Chinese.
public struct Rejection: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: RejectionCode
    public let field: String?
    public let message: String
    /// The 0-based voucher line the rejection is about, when it is about one line; importers
    /// map it back to the row of their file.
    public let lineIndex: Int?

    public init(_ code: RejectionCode, field: String? = nil, line lineIndex: Int? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
        self.lineIndex = lineIndex
    }

    public var description: String {
        if let field { return "[\(code.rawValue)] 字段 \(field)：\(message)" }
        return "[\(code.rawValue)] \(message)"
    }
}

/// A rejection located in an input file: the file, the 1-based line and the column or field.
public struct LocatedRejection: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let rejection: Rejection

    public init(file: String, line: Int?, rejection: Rejection) {
        self.file = file
        self.line = line
        self.rejection = rejection
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        return "\(location): \(rejection)"
    }
}

/// Several located rejections from one input; nothing of that input was written.
public struct RejectionList: Error, Equatable, Sendable, CustomStringConvertible {
    public let items: [LocatedRejection]
    /// True when more errors existed than `Limits.importErrorsMax`.
    public let truncated: Bool

    public init(items: [LocatedRejection], truncated: Bool = false) {
        precondition(!items.isEmpty, "a rejection list holds at least one rejection")
        self.items = items
        self.truncated = truncated
    }

    public var description: String {
        var lines = items.map(\.description)
        if truncated { lines.append("…（错误过多，仅列出前 \(items.count) 条）") }
        return lines.joined(separator: "\n")
    }
}
