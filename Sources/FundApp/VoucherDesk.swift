import FundCore
import FundExchange
import FundStore
import Foundation

// The accountant's voucher desk (填制凭证 → 审核 → 记账): drafts kept apart from the books,
// checked by the same validation and compliance rules as posted vouchers, reviewed by someone
// other than their maker and posted by a supervisor. The web desk's forms come through here as
// typed text; the rules about who may take which step are FundCore's `DraftRules`, applied by
// the store inside each step's transaction.

/// A voucher as typed into the form: every field text, parsed here with each error naming its
/// line and field (the form shows it beside the cell).
public struct VoucherForm: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var memo: String
        public var account: String
        public var fund: String
        public var debit: String
        public var credit: String
        public var invoiceCode: String
        public var invoiceNumber: String

        public init(memo: String = "", account: String = "", fund: String = "", debit: String = "", credit: String = "",
                    invoiceCode: String = "", invoiceNumber: String = "") {
            self.memo = memo
            self.account = account
            self.fund = fund
            self.debit = debit
            self.credit = credit
            self.invoiceCode = invoiceCode
            self.invoiceNumber = invoiceNumber
        }

        /// Every cell blank but the fund (a choice that always shows one): a spare row of the
        /// form, not a line.
        public var isBlank: Bool {
            [memo, account, debit, credit, invoiceCode, invoiceNumber].allSatisfy { $0.trimmingSpaces.isEmpty }
        }
    }

    public var date: String
    public var voucherClass: String
    public var attachments: String
    public var settlement: String
    public var counterparty: String
    public var lines: [Line]

    public init(date: String = "", voucherClass: String = "记", attachments: String = "0", settlement: String = "", counterparty: String = "",
                lines: [Line] = []) {
        self.date = date
        self.voucherClass = voucherClass
        self.attachments = attachments
        self.settlement = settlement
        self.counterparty = counterparty
        self.lines = lines
    }

    /// The form of a voucher (a draft being changed, or a posted voucher copied into a
    /// correction), amounts in yuan as typed.
    public init(_ voucher: VoucherDraft) {
        self.init(
            date: voucher.date.iso, voucherClass: voucher.voucherClass.rawValue, attachments: String(voucher.attachments),
            settlement: voucher.settlement?.rawValue ?? "", counterparty: voucher.counterparty,
            lines: voucher.lines.map { line in
                Line(
                    memo: line.memo, account: line.account, fund: line.fund.rawValue,
                    debit: line.side == .debit ? line.amount.description : "", credit: line.side == .credit ? line.amount.description : "",
                    invoiceCode: line.invoice?.code ?? "", invoiceNumber: line.invoice?.number ?? "")
            })
    }
}

/// One error of a voucher form: which line (nil: the header) and field it is about.
public struct FormError: Sendable, Equatable {
    /// 0-based index into the form's non-blank lines as submitted (`lineIndex` of the form
    /// row), nil for a header field or the voucher as a whole.
    public let line: Int?
    /// The form field: date, class, attachments, settlement, counterparty, memo, account, fund,
    /// debit, credit, invoice_code, invoice_number, lines.
    public let field: String
    public let rejection: Rejection

    public var message: String { "[\(rejection.code.rawValue)] \(rejection.message)" }
}

/// A voucher form that does not pass: every error found, nothing written.
public struct VoucherFormErrors: Error, Sendable {
    public let errors: [FormError]
}

/// What the form's type-ahead offers: each leaf account, the funds it takes, and what can be
/// typed to find it.
public struct AccountChoice: Sendable, Hashable, Codable {
    public let code: String
    /// The name with its parents' (银行存款—补助资金户).
    public let name: String
    public let initials: String
    /// The funds that may post to it (raw values); every fund when the chart sets none.
    public let funds: [String]
}

/// A draft with what the desk shows beside it.
public struct DraftView: Sendable {
    public let draft: StoredDraft
    /// The findings the rules would raise were it posted now.
    public let findings: [Finding]
    /// The first rejection of the voucher as it stands (after the maker's last change the
    /// books may have moved on: a month closed, a policy changed).
    public let problem: Rejection?
}

public struct VoucherDesk: Desk {
    let app: LedgerApp

    // MARK: The form

    /// The leaf accounts the form offers, with pinyin initials.
    public func accountChoices() throws -> [AccountChoice] {
        let chart = try store.register.chart()
        return chart.leaves.map { account in
            var names = [account.name]
            var parent = account.parentCode
            while let code = parent, let up = chart[code] {
                names.insert(up.name, at: 0)
                parent = up.parentCode
            }
            return AccountChoice(
                code: account.code, name: names.joined(separator: "—"), initials: PinyinInitials.of(names.joined()),
                funds: (account.funds.isEmpty ? Fund.allCases : account.funds).map(\.rawValue))
        }
    }

    /// Parses and validates a form for `studio` as `preparer` would post it: every field's own
    /// error, then (when all parse) the voucher rules and the date rule. Throws every error.
    public func voucher(from form: VoucherForm, studio: String, allowNoLines: Bool = false) throws -> VoucherDraft {
        var errors: [FormError] = []
        func field<T>(_ line: Int?, _ name: String, _ body: () throws(Rejection) -> T) -> T? {
            do { return try body() } catch {
                errors.append(FormError(line: line, field: name, rejection: error))
                return nil
            }
        }
        let date = field(nil, "date") { () throws(Rejection) in try CalendarDate.parse(form.date.trimmingSpaces) }
        let voucherClass = field(nil, "class") { () throws(Rejection) in try VoucherClass.parse(form.voucherClass) }
        let attachments = field(nil, "attachments") { () throws(Rejection) -> Int in
            let text = form.attachments.trimmingSpaces
            guard text.isEmpty || (text.allSatisfy { $0.isASCII && $0.isNumber } && text.count <= 4) else {
                throw Rejection(.attachmentsOutOfRange, field: "attachments", "附单据数“\(form.attachments)”应为 0–\(Limits.attachmentsPerVoucherMax) 的整数")
            }
            return Int(text) ?? 0
        }
        let settlementText = form.settlement.trimmingSpaces
        let settlement = settlementText.isEmpty ? Settlement?.none
            : field(nil, "settlement") { () throws(Rejection) in try Settlement.parse(settlementText) }
        var lines: [VoucherLine] = []
        var lineOf: [Int] = []
        for (index, line) in form.lines.enumerated() where !line.isBlank {
            let fund = field(index, "fund") { () throws(Rejection) in try Fund.parse(line.fund) }
            let debit = line.debit.trimmingSpaces, credit = line.credit.trimmingSpaces
            var side: Side? = nil
            var amount: Money? = nil
            if debit.isEmpty == credit.isEmpty {
                errors.append(FormError(
                    line: index, field: debit.isEmpty ? "debit" : "credit",
                    rejection: Rejection(.amountZero, field: "amount", line: index, "第 \(index + 1) 行应在借方或贷方之一填写金额")))
            } else {
                side = debit.isEmpty ? .credit : .debit
                amount = field(index, debit.isEmpty ? "credit" : "debit") { () throws(Rejection) in try Money.parse(debit.isEmpty ? credit : debit) }
            }
            let invoice = field(index, "invoice_number") { () throws(Rejection) in try InvoiceKey.parse(code: line.invoiceCode, number: line.invoiceNumber) }
            if let fund, let side, let amount, let invoice {
                lines.append(VoucherLine(memo: line.memo.trimmingSpaces, account: line.account.trimmingSpaces, fund: fund, side: side, amount: amount, invoice: invoice))
                lineOf.append(index)
            }
        }
        guard errors.isEmpty, let date, let voucherClass, let attachments, let settlement = Optional(settlement) else {
            throw VoucherFormErrors(errors: errors)
        }
        let draft = VoucherDraft(
            studio: studio, date: date, voucherClass: voucherClass, lines: lines, attachments: attachments, settlement: settlement,
            counterparty: form.counterparty.trimmingSpaces, preparer: user)
        do {
            if !(allowNoLines && lines.isEmpty) {
                try VoucherValidation.validate(draft, chart: try store.register.chart())
            } else {
                try VoucherValidation.checkHeader(draft)
            }
            try app.books.checkDate(draft, field: "date")
            let book = try store.books.periodBook(studio: studio)
            if !book.isOpen(draft.period) {
                throw Rejection(.periodClosed, field: "date", "\(draft.period.chinese) 已结账，不能再记账（如确需补记，请先反结账并说明原因）")
            }
        } catch let rejection as Rejection {
            let line = rejection.lineIndex.map { lineOf.indices.contains($0) ? lineOf[$0] : $0 }
            throw VoucherFormErrors(errors: [FormError(line: line, field: Self.formField(rejection), rejection: rejection)])
        }
        return draft
    }

    /// The form field a rejection of the voucher is about.
    static func formField(_ rejection: Rejection) -> String {
        switch rejection.field {
        case "amount": return "debit"
        case "invoice_code", "invoice_number", "memo", "account", "fund", "date", "attachments", "settlement", "counterparty": return rejection.field!
        case "class": return "class"
        default: return rejection.lineIndex == nil ? "lines" : "account"
        }
    }

    // MARK: Drafts

    /// Saves a new draft, or the maker's change to an editable one (`id`, from `version`).
    @discardableResult
    public func save(_ form: VoucherForm, studio: String, id: Int64? = nil, version: Int? = nil) throws -> StoredDraft {
        // 平行记账: the draft carries its budget lines, shown and editable before posting.
        let voucher = try app.books.withBudgetLines(try voucher(from: form, studio: studio))
        if let id, try draft(id, studio: studio).reverses != nil {
            throw Rejection(.draftState, field: "draft", "草稿 \(id) 是红字冲销申请，不能按普通凭证修改；如需改动，请删除后重新申请")
        }
        return try store.drafts.saveDraft(voucher, id: id, version: version, reverses: nil, reason: "", stamp: stamp())
    }

    /// A red-reversal request for a posted voucher (红字冲销), with an optional correcting
    /// voucher (`correction` with no lines: none). It is reviewed and posted like any draft.
    @discardableResult
    public func requestReversal(
        of ref: VoucherRef, reason: String, correction form: VoucherForm, id: Int64? = nil, version: Int? = nil
    ) throws -> StoredDraft {
        let reason = reason.trimmingSpaces
        guard !reason.isEmpty else { throw VoucherFormErrors(errors: [FormError(line: nil, field: "reason", rejection: Rejection(.reasonMissing, field: "reason", "冲销必须说明原因"))]) }
        do { try TextField.validate(reason, field: "reason") } catch {
            throw VoucherFormErrors(errors: [FormError(line: nil, field: "reason", rejection: error)])
        }
        let original = try store.books.voucher(ref)
        if case .reversal = original.kind {
            throw Rejection(.reversalOfReversal, "\(ref) 本身是红字冲销凭证，不能再冲销；如需恢复，请重新编制正确凭证")
        }
        if try store.books.followUps(of: ref).contains(where: { if case .reversal = $0.kind { true } else { false } }) {
            throw Rejection(.voucherAlreadyReversed, "\(ref) 已被冲销过，不能重复冲销")
        }
        let voucher = try voucher(from: form, studio: ref.studio, allowNoLines: true)
        do { try VoucherDraft.checkReversalDate(voucher.date, of: original) } catch {
            throw VoucherFormErrors(errors: [FormError(line: nil, field: "date", rejection: error)])
        }
        if let id { _ = try draft(id, studio: ref.studio) }
        return try store.drafts.saveDraft(voucher, id: id, version: version, reverses: ref, reason: reason, stamp: stamp())
    }

    /// A draft of `studio` (a draft of another studio is not found: the address was checked
    /// for this studio only).
    public func draft(_ id: Int64, studio: String) throws -> StoredDraft {
        let draft = try store.drafts.draft(id: id)
        guard draft.studio == studio else { throw Rejection(.draftUnknown, field: "draft", "草稿 \(id) 不存在") }
        return draft
    }

    /// A draft with its findings and its first problem as it stands.
    public func view(_ id: Int64, studio: String) throws -> DraftView {
        let draft = try self.draft(id, studio: studio)
        guard draft.state != .posted else { return DraftView(draft: draft, findings: [], problem: nil) }
        var problem: Rejection? = nil
        do { try check(draft) } catch let rejection as Rejection { problem = rejection } catch let errors as VoucherFormErrors {
            problem = errors.errors.first?.rejection
        }
        let findings = draft.voucher.lines.isEmpty ? [] : try app.compliance.findings(forDrafts: [Self.asPosted(draft)])
        return DraftView(draft: draft, findings: findings, problem: problem)
    }

    /// Drafts of these studios in these states (nil: all but posted), newest first.
    public func drafts(studios: [String], states: Set<DraftState>? = nil) throws -> [StoredDraft] {
        try store.drafts.drafts(studios: studios, states: states)
    }

    /// The studios an account's scope covers.
    public func studios(of account: WebAccount) throws -> [String] {
        try store.accounts.studioPlaces().filter { Access.covers(account.scope, $0) }.map(\.code).sorted()
    }

    public func delete(_ id: Int64, studio: String, version: Int?) throws {
        _ = try draft(id, studio: studio)
        try store.drafts.deleteDraft(id: id, version: version, stamp: stamp())
    }

    /// 提交审核: the voucher must pass every check, and the studio's policy must not block it.
    @discardableResult
    public func submit(_ id: Int64, studio: String, version: Int?) throws -> StoredDraft {
        let current = try draft(id, studio: studio)
        try check(current)
        return try store.drafts.moveDraft(id: id, version: version, to: .submitted, note: "", stamp: stamp())
    }

    /// 审核: by someone other than the maker (R003).
    @discardableResult
    public func review(_ id: Int64, studio: String, version: Int?) throws -> StoredDraft {
        _ = try draft(id, studio: studio)
        return try store.drafts.moveDraft(id: id, version: version, to: .reviewed, note: "", stamp: stamp())
    }

    /// 退回: back to the maker with the reason.
    @discardableResult
    public func returnToMaker(_ id: Int64, studio: String, reason: String, version: Int?) throws -> StoredDraft {
        _ = try draft(id, studio: studio)
        try TextField.validate(reason, field: "reason")
        return try store.drafts.moveDraft(id: id, version: version, to: .returned, note: reason, stamp: stamp())
    }

    /// 记账: posts reviewed drafts of one studio, all in one transaction or none. Each is
    /// checked again first (the books may have moved since it was reviewed).
    public func post(_ ids: [Int64], studio: String) throws -> [PostedVoucher] {
        for id in ids { try check(try draft(id, studio: studio)) }
        return try store.drafts.postDrafts(ids: ids, studio: studio, stamp: stamp())
    }

    /// 记账 of the drafts at the versions the poster saw (`id → version`, from the page).
    public func post(versions: [Int64: Int], studio: String) throws -> [PostedVoucher] {
        for id in versions.keys.sorted() { try check(try draft(id, studio: studio)) }
        return try store.drafts.postDrafts(versions: versions, studio: studio, stamp: stamp())
    }

    /// The findings each draft would raise, the rules run once per studio over its books with
    /// all the given drafts added (so two drafts claiming one invoice show it on both).
    public func findings(of drafts: [StoredDraft]) throws -> [Int64: [Finding]] {
        var result: [Int64: [Finding]] = [:]
        for (_, group) in Dictionary(grouping: drafts.filter { !$0.voucher.lines.isEmpty }, by: \.studio) {
            let found = try app.compliance.findings(forDrafts: group.map(Self.asPosted))
            for finding in found {
                // Provisional vouchers are numbered from 1,000,000 in the order given.
                guard let number = finding.voucher?.number, group.indices.contains(number - 1_000_000) else { continue }
                result[group[number - 1_000_000].id, default: []].append(finding)
            }
        }
        return result
    }

    /// A draft's voucher as it will be posted, for the findings it would raise: posting always
    /// names a reviewer other than the maker (R003), so a draft not yet reviewed is not shown a
    /// JE-002 it will never have. Its reviewer once reviewed, else a stand-in for the one to come.
    static func asPosted(_ draft: StoredDraft) -> VoucherDraft {
        var voucher = draft.voucher
        voucher.reviewer = draft.reviewer ?? "（待审核人）"
        return voucher
    }

    /// What submitting and posting require of a draft's voucher.
    func check(_ draft: StoredDraft) throws {
        let voucher = draft.voucher
        if draft.reverses != nil, voucher.lines.isEmpty {
            try app.books.checkDate(voucher, field: "date")
        } else {
            try VoucherValidation.validate(voucher, chart: try store.register.chart())
            try app.books.checkDate(voucher, field: "date")
            try app.compliance.enforceBlocks([voucher])
        }
        if !(try store.books.periodBook(studio: draft.studio).isOpen(voucher.period)) {
            throw Rejection(.periodClosed, field: "date", "\(voucher.period.chinese) 已结账，不能再记账（如确需补记，请先反结账并说明原因）")
        }
        if draft.files.count > voucher.attachments, !(draft.reverses != nil && voucher.lines.isEmpty) {
            throw Rejection(
                .evidenceOverCount, field: "attachments",
                "\(draft.label) 附单据数为 \(voucher.attachments)，却附了 \(draft.files.count) 个文件：请改正附单据数")
        }
    }

    // MARK: Source documents

    /// Attaches a source document to an editable draft: its type told from its bytes.
    @discardableResult
    public func attach(_ content: Data, fileName: String, to id: Int64, studio: String) throws -> DraftFile {
        if try draft(id, studio: studio).isReversalOnly {
            throw Rejection(.evidenceOverCount, field: "file", "红字冲销凭证不附原始单据；更正凭证的单据请附在同时填制的更正凭证上")
        }
        let name = try Self.fileName(fileName)
        let type = try EvidenceType.sniff(content, fileName: name)
        return try store.drafts.attachToDraft(id: id, content: content, fileName: name, type: type, stamp: stamp())
    }

    public func removeFile(_ sha256: String, from id: Int64, studio: String) throws {
        _ = try draft(id, studio: studio)
        try store.drafts.removeDraftFile(id: id, sha256: sha256, stamp: stamp())
    }

    public func file(_ sha256: String, of id: Int64, studio: String) throws -> (file: DraftFile, content: Data) {
        _ = try draft(id, studio: studio)
        return try store.drafts.draftFile(id: id, sha256: sha256)
    }

    /// Attaches a source document to a posted voucher (its type told from its bytes).
    @discardableResult
    public func attach(_ content: Data, fileName: String, to ref: VoucherRef) throws -> EvidenceFile {
        let name = try Self.fileName(fileName)
        _ = try EvidenceType.sniff(content, fileName: name)
        return try store.evidence.addEvidence(content, fileName: name, to: ref, stamp: stamp())
    }

    /// An uploaded file's name as kept: its last path part, checked as text.
    static func fileName(_ name: String) throws(Rejection) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init)?.trimmingSpaces ?? ""
        guard !last.isEmpty else { throw Rejection(.fieldEmpty, field: "file", "请选择要上传的文件") }
        try TextField.validate(last, field: "file")
        guard last.count <= 200 else { throw Rejection(.fieldTooLong, field: "file", "文件名超过 200 个字符") }
        return last
    }

    // MARK: Imports in the browser

    /// A voucher file read and checked, nothing written: the vouchers it holds, or every error.
    public struct ImportPreview: Sendable {
        public let vouchers: [VoucherDraft]
        public let errors: [LocatedRejection]
        public let truncated: Bool
        /// Vouchers naming no reviewer, or their preparer as reviewer (R005 when posted).
        public let unreviewed: [Int]
    }

    public func previewImport(csv data: Data, file: String, studio: String) throws -> ImportPreview {
        let file = try Self.fileName(file)
        do {
            let vouchers = try app.books.prepareImport(csv: data, file: file, studio: studio).map(\.draft)
            return ImportPreview(vouchers: vouchers, errors: [], truncated: false, unreviewed: DraftRules.unreviewed(vouchers))
        } catch let list as RejectionList {
            return ImportPreview(vouchers: [], errors: list.items, truncated: list.truncated, unreviewed: [])
        } catch let located as LocatedRejection {
            return ImportPreview(vouchers: [], errors: [located], truncated: false, unreviewed: [])
        } catch let rejection as Rejection {
            return ImportPreview(vouchers: [], errors: [LocatedRejection(file: file, line: nil, rejection: rejection)], truncated: false, unreviewed: [])
        }
    }

    /// Imports a voucher file as drafts submitted for review, all in one transaction; each
    /// draft's maker is the importer.
    public func importAsDrafts(csv data: Data, file: String, studio: String) throws -> [StoredDraft] {
        let file = try Self.fileName(file)
        let vouchers = try app.books.prepareImport(csv: data, file: file, studio: studio).map(\.draft)
        return try store.drafts.importDrafts(vouchers, source: URL(fileURLWithPath: file).lastPathComponent, stamp: stamp())
    }
}

extension LedgerApp {
    /// The voucher desk: drafts, review, posting, source documents, imports in the browser.
    public var vouchers: VoucherDesk { VoucherDesk(app: self) }
}
