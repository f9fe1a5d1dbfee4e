// The voucher desk's work before the ledger (填制凭证 → 审核 → 记账): a draft is kept apart
// from the books, never numbered and never chained, until a supervisor posts it. What a draft
// is, the states it moves through, who may move it, and what an uploaded source document is.

/// Where a draft stands. 草稿 and 退回 are the maker's to edit; 待审核 waits for a reviewer;
/// 已审核 waits for posting; 已记账 is in the ledger (numbered then).
public enum DraftState: String, CaseIterable, Sendable, Codable {
    case draft
    case submitted
    case reviewed
    case returned
    case posted

    public var chineseName: String {
        switch self {
        case .draft: "草稿"
        case .submitted: "待审核"
        case .reviewed: "已审核"
        case .returned: "退回"
        case .posted: "已记账"
        }
    }

    /// The maker may still change or delete it.
    public var isEditable: Bool { self == .draft || self == .returned }

    public static func parse(_ text: String) throws(Rejection) -> DraftState {
        if let state = DraftState(rawValue: text) { return state }
        if let state = allCases.first(where: { $0.chineseName == text }) { return state }
        throw Rejection(.draftState, field: "state", "凭证状态“\(text)”无效（应为 草稿/待审核/已审核/退回/已记账）")
    }
}

/// A source document attached to a draft (moved to the voucher's evidence when it is posted).
public struct DraftFile: Hashable, Sendable {
    public let sha256: String
    public let fileName: String
    public let size: Int
    public let type: EvidenceType
    public let at: String
    public let user: String

    public init(sha256: String, fileName: String, size: Int, type: EvidenceType, at: String, user: String) {
        self.sha256 = sha256
        self.fileName = fileName
        self.size = size
        self.type = type
        self.at = at
        self.user = user
    }
}

/// A voucher being prepared. `voucher` is the voucher as entered (its preparer is the maker);
/// for a red-reversal request `reverses` names the posted voucher, `reason` says why, and
/// `voucher` is the optional correcting voucher (no lines: a reversal alone).
public struct StoredDraft: Hashable, Sendable {
    public let id: Int64
    public let state: DraftState
    public let voucher: VoucherDraft
    public let reverses: VoucherRef?
    public let reason: String
    /// The account that made it (制单).
    public let maker: String
    /// The account that reviewed it (审核), once reviewed.
    public let reviewer: String?
    public let reviewedAt: String?
    /// Why it was last returned to the maker (empty when never returned).
    public let returnReason: String
    public let returnedBy: String?
    public let createdAt: String
    public let updatedAt: String
    /// Bumped by every change: a form carries the version it was built from, and a change made
    /// from a stale form is refused instead of overwriting someone else's.
    public let version: Int
    /// The vouchers posting made (the reversal, then any correction; or the one voucher).
    public let posted: [VoucherRef]
    public let files: [DraftFile]

    public init(
        id: Int64, state: DraftState, voucher: VoucherDraft, reverses: VoucherRef?, reason: String, maker: String, reviewer: String?,
        reviewedAt: String?, returnReason: String, returnedBy: String?, createdAt: String, updatedAt: String, version: Int,
        posted: [VoucherRef], files: [DraftFile]
    ) {
        self.id = id
        self.state = state
        self.voucher = voucher
        self.reverses = reverses
        self.reason = reason
        self.maker = maker
        self.reviewer = reviewer
        self.reviewedAt = reviewedAt
        self.returnReason = returnReason
        self.returnedBy = returnedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.posted = posted
        self.files = files
    }

    public var studio: String { voucher.studio }

    /// A reversal request with no correcting voucher.
    public var isReversalOnly: Bool { reverses != nil && voucher.lines.isEmpty }

    /// "草稿 12" — drafts have no voucher number until they are posted.
    public var label: String { "草稿 \(id)" }
}

/// The people a voucher names: 制单 (who made it), 审核 (who reviewed it), 记账 (who posted it).
public struct SignOff: Hashable, Sendable {
    public let preparer: String
    public let reviewer: String
    public let poster: String

    public init(preparer: String, reviewer: String, poster: String) {
        self.preparer = preparer
        self.reviewer = reviewer
        self.poster = poster
    }
}

/// Who may take each step of a draft (会计基础工作规范 第五十一条: a voucher carries the
/// signatures of the person who made it and of a different person who reviewed it; 会计法
/// 第三十七条: the accounting office keeps a 稽核 (checking) system).
public enum DraftRules {
    public static let reviewBasis = "会计基础工作规范 第五十一条、会计法 第三十七条"

    /// R004: only the maker changes, deletes or submits a draft.
    public static func checkMaker(_ draft: StoredDraft, user: String) throws(Rejection) {
        guard PersonName.normalized(draft.maker) == PersonName.normalized(user) else {
            throw Rejection(.notDraftMaker, field: "draft", "\(draft.label) 由 \(draft.maker) 填制，只有制单人本人可以修改、删除或提交")
        }
    }

    /// R002: the step is allowed from the draft's state.
    public static func checkState(_ draft: StoredDraft, _ allowed: Set<DraftState>, step: String) throws(Rejection) {
        guard allowed.contains(draft.state) else {
            let wanted = DraftState.allCases.filter(allowed.contains).map(\.chineseName).joined(separator: "或")
            throw Rejection(.draftState, field: "draft", "\(draft.label) 当前为“\(draft.state.chineseName)”，不能\(step)（应为\(wanted)）")
        }
    }

    /// R003: the reviewer is not the maker.
    public static func checkReviewer(maker: String, reviewer: String) throws(Rejection) {
        // Compared as JE-002 compares them (周丽 and 周麗, zhang and ZHANG are one person).
        if PersonName.samePerson(maker, reviewer) || PersonName.normalized(reviewer).isEmpty {
            throw Rejection(
                .reviewerIsMaker, field: "reviewer",
                "审核人不能是制单人本人（\(maker)）：凭证须经他人审核（\(reviewBasis)）")
        }
    }

    /// R005, for vouchers posted in a batch (the CLI, ERP loads): each names a reviewer other
    /// than its preparer. Returns the vouchers that do not, for the caller that allows them.
    public static func unreviewed(_ drafts: [VoucherDraft]) -> [Int] {
        drafts.indices.filter { index in
            PersonName.normalized(drafts[index].reviewer).isEmpty || PersonName.samePerson(drafts[index].preparer, drafts[index].reviewer)
        }
    }
}

/// The kinds of source document the desk takes, told from the file's first bytes, never from
/// its name: PDF, JPEG, PNG, and OFD (the national e-invoice format, a ZIP holding OFD.xml).
public enum EvidenceType: String, CaseIterable, Sendable, Codable {
    case pdf
    case jpeg
    case png
    case ofd

    /// The largest file taken (an invoice scan or a contract; 20 MB).
    public static let maximumBytes = 20 * 1024 * 1024

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .ofd: "application/ofd"
        }
    }

    public var fileExtension: String { rawValue == "jpeg" ? "jpg" : rawValue }

    /// Whether a browser shows it inline (OFD needs a reader of its own).
    public var isViewable: Bool { self != .ofd }

    /// The type of a file's bytes, or E005/E006/E003 naming the file.
    public static func sniff(_ bytes: some Collection<UInt8>, fileName: String) throws(Rejection) -> EvidenceType {
        if bytes.isEmpty { throw Rejection(.evidenceEmpty, field: "file", "文件 \(fileName) 为空") }
        if bytes.count > maximumBytes {
            throw Rejection(.evidenceTooLarge, field: "file", "文件 \(fileName) 有 \(bytes.count) 字节，超过上限 \(maximumBytes / 1024 / 1024) MB")
        }
        let head = Array(bytes.prefix(4096))
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head[0..<magic.count]) == magic }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        // OFD (GB/T 33190): a ZIP whose entries include OFD.xml at its root; the first local
        // file header names an entry, and the central directory names them all.
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            let all = Array(bytes)
            let name = Array("OFD.xml".utf8)
            if contains(all, name) { return .ofd }
        }
        throw Rejection(
            .evidenceType, field: "file",
            "文件 \(fileName) 不是 PDF、JPEG、PNG 或 OFD（按文件内容判断，不看扩展名）")
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, Array(haystack[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }
}
