// Who may do what (第九条 divides the work): the roles of the web desk's accounts, the scope of
// studios each account is granted, the actions the desk offers, and the one function that
// decides `(account, action, studio?) → allow | deny(reason)`. Pure: the web desk's guard calls
// it (through `AccountsDesk.authorize`) for every request, and no route decides for itself.

/// The part a person plays. Raw values are the `--role` names of `user add`.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// 市人社局 / 市委组织部 / 市财政局 reviewers: every studio.
    case bureau
    /// 县（区）人社局: the studios whose host unit is in its county.
    case county
    /// 依托单位会计 (制单): its host unit's studios.
    case accountant
    /// 依托单位财务负责人 (审核/记账): its host unit's studios, and closing months.
    case supervisor
    /// 第三方审计机构: named studios, read-only, until the grant expires.
    case auditor
    /// 系统管理员: accounts and grants only, no book data.
    case admin

    public var chineseName: String {
        switch self {
        case .bureau: "市级主管部门（人社局/组织部/财政局）"
        case .county: "县（区）人社局"
        case .accountant: "依托单位会计"
        case .supervisor: "依托单位财务负责人"
        case .auditor: "第三方审计机构"
        case .admin: "系统管理员"
        }
    }

    public static func parse(_ text: String) throws(Rejection) -> Role {
        if let role = Role(rawValue: text.trimmingSpaces.lowercased()) { return role }
        throw Rejection(.roleUnknown, field: "role", "角色“\(text)”无效（应为 \(allCases.map(\.rawValue).joined(separator: "/"))）")
    }
}

/// Which studios an account's grant covers.
public enum Scope: Hashable, Sendable, Codable {
    /// Every studio (bureau).
    case all
    /// The studios whose host unit is registered in this county (县（区）).
    case county(String)
    /// The studios of one host unit (its 统一社会信用代码).
    case hostUnit(String)
    /// Named studios (an audit engagement).
    case studios([String])
    /// No studio (admin).
    case none

    /// How the scope is stored and shown: "all", "county:雁江区", "host-unit:91…", "studios:A,B", "none".
    public var stored: String {
        switch self {
        case .all: "all"
        case .county(let county): "county:" + county
        case .hostUnit(let code): "host-unit:" + code
        case .studios(let codes): "studios:" + codes.joined(separator: ",")
        case .none: "none"
        }
    }

    public static func parse(stored text: String) throws(Rejection) -> Scope {
        if text == "all" { return .all }
        if text == "none" { return .none }
        if text.hasPrefix("county:") { return .county(String(text.dropFirst(7))) }
        if text.hasPrefix("host-unit:") { return .hostUnit(String(text.dropFirst(10))) }
        if text.hasPrefix("studios:") {
            return .studios(text.dropFirst(8).split(separator: ",").map(String.init))
        }
        throw Rejection(.scopeInvalid, field: "scope", "授权范围“\(text)”无效")
    }

    /// What the scope says in Chinese, for lists and the log.
    public var chineseText: String {
        switch self {
        case .all: "全部工作室"
        case .county(let county): "\(county)的工作室"
        case .hostUnit(let code): "依托单位 \(code) 的工作室"
        case .studios(let codes): "工作室 " + codes.joined(separator: "、")
        case .none: "不含账簿数据"
        }
    }

    /// The scope kind each role must have: bureau all, county a county, accountant and
    /// supervisor a host unit, auditor named studios, admin none.
    public static func check(_ scope: Scope, for role: Role) throws(Rejection) {
        let fits: Bool
        switch (role, scope) {
        case (.bureau, .all), (.admin, .none): fits = true
        case (.county, .county(let county)): fits = !county.trimmingSpaces.isEmpty
        case (.accountant, .hostUnit(let code)), (.supervisor, .hostUnit(let code)): fits = !code.isEmpty
        case (.auditor, .studios(let codes)): fits = !codes.isEmpty
        default: fits = false
        }
        guard fits else {
            let wanted: String
            switch role {
            case .bureau: wanted = "全部工作室（不带范围参数）"
            case .county: wanted = "一个县（区）（--county）"
            case .accountant, .supervisor: wanted = "一个依托单位（--host-unit）"
            case .auditor: wanted = "指定的工作室（--studio，可多个）"
            case .admin: wanted = "无账簿范围（不带范围参数）"
            }
            throw Rejection(.scopeInvalid, field: "scope", "角色 \(role.rawValue) 的授权范围应为\(wanted)，而不是“\(scope.chineseText)”")
        }
    }
}

/// A person's account on the web desk. The password hash never leaves the store's account area.
public struct WebAccount: Hashable, Sendable, Codable {
    public let id: Int64
    public let name: String
    public let role: Role
    public let scope: Scope
    /// The last day the grant works (inclusive); nil: no end.
    public let expires: CalendarDate?
    public let disabled: Bool
    /// A one-time password was issued: the next login must set a new one.
    public let mustChangePassword: Bool
    public let createdAt: String
    public let createdBy: String

    public init(
        id: Int64, name: String, role: Role, scope: Scope, expires: CalendarDate?, disabled: Bool,
        mustChangePassword: Bool, createdAt: String, createdBy: String
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.scope = scope
        self.expires = expires
        self.disabled = disabled
        self.mustChangePassword = mustChangePassword
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Whether the account may act on `today`: not disabled and not past its expiry.
    public func isActive(on today: CalendarDate) -> Bool {
        !disabled && (expires.map { today <= $0 } ?? true)
    }
}

/// Where a studio sits, which is what scopes are measured against.
public struct StudioPlace: Hashable, Sendable {
    public let code: String
    /// The host unit's 统一社会信用代码.
    public let hostUnit: String
    /// The host unit's county (县（区）).
    public let county: String

    public init(code: String, hostUnit: String, county: String) {
        self.code = code
        self.hostUnit = hostUnit
        self.county = county
    }
}

/// What the desk lets people do. Each route names exactly one.
public enum Action: String, CaseIterable, Sendable, Codable {
    /// Log out, change one's own password: any signed-in account.
    case ownAccount = "own-account"
    /// The overview, findings inbox and deadlines across one's scope.
    case viewScope = "view-scope"
    /// A studio's pages: books, statements, findings, lifecycle.
    case readStudio = "read-studio"
    /// Files built from a studio's books: reports, exports, packages, evidence.
    case download
    /// Accept or reject an explained finding.
    case decideFinding = "decide-finding"
    /// Explain a finding (the host unit's answer).
    case explainFinding = "explain-finding"
    /// The municipality's lifecycle steps: recognition, construction, 限期整改, revocation,
    /// commendation and warning, change decisions.
    case municipalStep = "municipal-step"
    /// The county's acceptance steps: 考核验收, 整改, 再次考核, and its supervision notes.
    case acceptanceStep = "acceptance-step"
    /// Budgets, activities, targets, evidence.
    case editStudio = "edit-studio"
    /// Close and reopen months.
    case closePeriod = "close-period"
    /// The operation log of the books (bureau) .
    case readLog = "read-log"
    /// Accounts and grants, and their part of the log.
    case manageAccounts = "manage-accounts"
    /// The voucher desk across one's scope: one's drafts, the vouchers awaiting review.
    case voucherDesk = "voucher-desk"
    /// 填制凭证: make, change, submit and delete drafts, request a red reversal, import a
    /// voucher file as drafts, attach source documents to a draft.
    case enterVoucher = "enter-voucher"
    /// 审核凭证 and 记账: review or return a submitted draft, post reviewed drafts (one or
    /// many), import a voucher file straight into the books.
    case reviewVoucher = "review-voucher"

    public var chineseName: String {
        switch self {
        case .ownAccount: "本人账户"
        case .viewScope: "查看管辖范围"
        case .readStudio: "查看工作室账簿"
        case .download: "下载报表与审计包"
        case .decideFinding: "审核发现（接受/驳回）"
        case .explainFinding: "说明发现"
        case .municipalStep: "市级管理步骤"
        case .acceptanceStep: "考核验收步骤"
        case .editStudio: "维护预算、活动、目标与附件"
        case .closePeriod: "结账与反结账"
        case .readLog: "查看操作日志"
        case .manageAccounts: "管理账户与授权"
        case .voucherDesk: "使用凭证工作台"
        case .enterVoucher: "填制凭证"
        case .reviewVoucher: "审核凭证与记账"
        }
    }

    /// Whether the action is about one studio, so that the scope decides.
    public var isStudioAction: Bool {
        switch self {
        case .ownAccount, .viewScope, .readLog, .manageAccounts, .voucherDesk: false
        case .readStudio, .download, .decideFinding, .explainFinding, .municipalStep, .acceptanceStep, .editStudio, .closePeriod,
            .enterVoucher, .reviewVoucher:
            true
        }
    }
}

public enum AccessDecision: Hashable, Sendable {
    case allow
    case deny(String)

    public var isAllowed: Bool { self == .allow }
}

public enum Access {
    /// The actions each role may take (within its scope).
    public static func actions(of role: Role) -> Set<Action> {
        switch role {
        case .bureau: [.ownAccount, .viewScope, .readStudio, .download, .decideFinding, .municipalStep, .readLog]
        case .county: [.ownAccount, .viewScope, .readStudio, .download, .acceptanceStep]
        case .accountant: [.ownAccount, .viewScope, .readStudio, .download, .explainFinding, .editStudio, .voucherDesk, .enterVoucher]
        case .supervisor:
            [.ownAccount, .viewScope, .readStudio, .download, .explainFinding, .editStudio, .closePeriod, .voucherDesk, .enterVoucher, .reviewVoucher]
        case .auditor: [.ownAccount, .viewScope, .readStudio, .download]
        case .admin: [.ownAccount, .manageAccounts]
        }
    }

    /// Whether a studio lies inside a scope.
    public static func covers(_ scope: Scope, _ studio: StudioPlace) -> Bool {
        switch scope {
        case .all: true
        case .county(let county): studio.county == county
        case .hostUnit(let code): studio.hostUnit == code
        case .studios(let codes): codes.contains(studio.code)
        case .none: false
        }
    }

    /// The one decision. A studio action needs the studio (nil: denied); an action about no
    /// studio ignores it. An inactive account (disabled, or past its last day) may do nothing.
    public static func decide(_ account: WebAccount, _ action: Action, studio: StudioPlace?, today: CalendarDate) -> AccessDecision {
        if account.disabled { return .deny("账户已停用") }
        if let expires = account.expires, today > expires { return .deny("授权已于 \(expires.iso) 到期") }
        guard actions(of: account.role).contains(action) else {
            return .deny("角色“\(account.role.chineseName)”无权\(action.chineseName)")
        }
        guard action.isStudioAction else { return .allow }
        guard let studio else { return .deny("未指定工作室") }
        guard covers(account.scope, studio) else { return .deny("工作室 \(studio.code) 不在授权范围（\(account.scope.chineseText)）内") }
        return .allow
    }
}

extension Access {
    /// Which action records a lifecycle step to `state`: the county's acceptance work (考核验收,
    /// its result, 整改, 再次考核) or the municipality's decisions (review, recognition,
    /// construction, revocation).
    public static func stepAction(to state: LifecycleState) -> Action {
        switch state {
        case .acceptance, .rectification, .reinspection, .accepted: .acceptanceStep
        case .applied, .initialReview, .comprehensiveReview, .publicNotice, .recognized, .underConstruction, .revoked: .municipalStep
        }
    }
}
