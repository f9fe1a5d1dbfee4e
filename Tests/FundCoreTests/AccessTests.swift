import Testing

@testable import FundCore

/// `Access.decide` against a table written out by hand from 第九条's division of work (not
/// derived from `Access.actions`): every role × every action × a studio inside and a studio
/// outside the account's scope.
@Suite("access: who may do what")
struct AccessTests {
    static let today = day(2026, 11, 20)
    /// Inside every non-bureau scope below: host unit H1 in 雁江区.
    static let own = StudioPlace(code: "S1", hostUnit: "H1", county: "雁江区")
    /// Outside them: host unit H2 in 安岳县.
    static let foreign = StudioPlace(code: "S9", hostUnit: "H2", county: "安岳县")

    static func account(_ role: Role, _ scope: Scope, expires: CalendarDate? = nil, disabled: Bool = false) -> WebAccount {
        WebAccount(
            id: 1, name: "某人", role: role, scope: scope, expires: expires, disabled: disabled, mustChangePassword: false,
            createdAt: "2026-11-01T00:00:00Z", createdBy: "管理员")
    }

    static let accounts: [Role: WebAccount] = [
        .bureau: account(.bureau, .all),
        .county: account(.county, .county("雁江区")),
        .accountant: account(.accountant, .hostUnit("H1")),
        .supervisor: account(.supervisor, .hostUnit("H1")),
        .auditor: account(.auditor, .studios(["S1"])),
        .admin: account(.admin, .none),
    ]

    /// Columns: own-account, view-scope, read-studio, download, decide-finding, explain-finding,
    /// municipal-step, acceptance-step, edit-studio, close-period, read-log, manage-accounts,
    /// voucher-desk, enter-voucher (填制), review-voucher (审核、记账).
    static let table: [(Role, String)] = [
        (.bureau,     "Y Y Y Y Y . Y . . . Y . . . ."),
        (.county,     "Y Y Y Y . . . Y . . . . . . ."),
        (.accountant, "Y Y Y Y . Y . . Y . . . Y Y ."),
        (.supervisor, "Y Y Y Y . Y . . Y Y . . Y Y Y"),
        (.auditor,    "Y Y Y Y . . . . . . . . . . ."),
        (.admin,      "Y . . . . . . . . . . Y . . ."),
    ]
    static let columns: [Action] = [
        .ownAccount, .viewScope, .readStudio, .download, .decideFinding, .explainFinding, .municipalStep, .acceptanceStep,
        .editStudio, .closePeriod, .readLog, .manageAccounts, .voucherDesk, .enterVoucher, .reviewVoucher,
    ]
    /// The actions about one studio, where the scope decides.
    static let studioActions: Set<Action> = [
        .readStudio, .download, .decideFinding, .explainFinding, .municipalStep, .acceptanceStep, .editStudio, .closePeriod,
        .enterVoucher, .reviewVoucher,
    ]

    @Test("the table covers every role and every action")
    func tableIsComplete() {
        #expect(Set(Self.table.map(\.0)) == Set(Role.allCases))
        #expect(Set(Self.columns) == Set(Action.allCases) && Self.columns.count == Action.allCases.count)
        #expect(Set(Action.allCases.filter(\.isStudioAction)) == Self.studioActions)
    }

    @Test("every role × action × own/foreign studio", arguments: Role.allCases)
    func decideMatchesTable(_ role: Role) throws {
        let row = try #require(Self.table.first { $0.0 == role }).1.split(separator: " ")
        let account = try #require(Self.accounts[role])
        for (index, action) in Self.columns.enumerated() {
            let permitted = row[index] == "Y"
            let ownDecision = Access.decide(account, action, studio: Self.own, today: Self.today)
            let foreignDecision = Access.decide(account, action, studio: Self.foreign, today: Self.today)
            #expect(ownDecision.isAllowed == permitted, "\(role) \(action) own studio")
            // Outside the scope: a studio action is denied (the bureau's scope is every
            // studio); an action about no studio does not look at the studio.
            let foreignAllowed = permitted && (!Self.studioActions.contains(action) || role == .bureau)
            #expect(foreignDecision.isAllowed == foreignAllowed, "\(role) \(action) foreign studio")
            if Self.studioActions.contains(action) && permitted {
                #expect(Access.decide(account, action, studio: nil, today: Self.today) == .deny("未指定工作室"), "\(role) \(action) no studio")
            }
            if !permitted {
                #expect(ownDecision == .deny("角色“\(role.chineseName)”无权\(action.chineseName)"))
            }
        }
    }

    @Test("the reasons for a studio outside the scope")
    func foreignStudioReason() throws {
        let decision = Access.decide(try #require(Self.accounts[.accountant]), .readStudio, studio: Self.foreign, today: Self.today)
        #expect(decision == .deny("工作室 S9 不在授权范围（依托单位 H1 的工作室）内"))
        // A county covers another host unit's studio in the same county.
        let sameCounty = StudioPlace(code: "S2", hostUnit: "H3", county: "雁江区")
        #expect(Access.decide(try #require(Self.accounts[.county]), .readStudio, studio: sameCounty, today: Self.today).isAllowed)
        #expect(!Access.decide(try #require(Self.accounts[.accountant]), .readStudio, studio: sameCounty, today: Self.today).isAllowed)
        #expect(!Access.decide(try #require(Self.accounts[.auditor]), .readStudio, studio: sameCounty, today: Self.today).isAllowed)
    }

    @Test("an auditor's grant works through its last day and stops the day after")
    func expiryDayBoundary() {
        let auditor = Self.account(.auditor, .studios(["S1"]), expires: day(2027, 12, 31))
        #expect(Access.decide(auditor, .readStudio, studio: Self.own, today: day(2027, 12, 30)) == .allow)
        #expect(Access.decide(auditor, .readStudio, studio: Self.own, today: day(2027, 12, 31)) == .allow)
        #expect(Access.decide(auditor, .readStudio, studio: Self.own, today: day(2028, 1, 1)) == .deny("授权已于 2027-12-31 到期"))
        #expect(Access.decide(auditor, .ownAccount, studio: nil, today: day(2028, 1, 1)) == .deny("授权已于 2027-12-31 到期"))
        #expect(auditor.isActive(on: day(2027, 12, 31)) && !auditor.isActive(on: day(2028, 1, 1)))
    }

    @Test("a disabled account may do nothing, not even its own account")
    func disabled() {
        for role in Role.allCases {
            let scope: Scope = role == .bureau ? .all : role == .admin ? .none : .studios(["S1"])
            let account = Self.account(role, scope, disabled: true)
            for action in Action.allCases {
                #expect(Access.decide(account, action, studio: Self.own, today: Self.today) == .deny("账户已停用"), "\(role) \(action)")
            }
        }
    }

    @Test("roles and scopes parse, store and fit")
    func rolesAndScopes() throws {
        #expect(try Role.parse(" Auditor ") == .auditor)
        let bad = rejection { () throws(Rejection) in _ = try Role.parse("boss") }
        #expect(bad?.code == .roleUnknown && bad?.field == "role")
        for scope in [Scope.all, .none, .county("雁江区"), .hostUnit("91512002MA62K3B01N"), .studios(["A", "B"])] {
            #expect(try Scope.parse(stored: scope.stored) == scope)
        }
        #expect(rejection { () throws(Rejection) in _ = try Scope.parse(stored: "everything") }?.code == .scopeInvalid)
        try Scope.check(.all, for: .bureau)
        try Scope.check(.none, for: .admin)
        try Scope.check(.studios(["S1"]), for: .auditor)
        let mismatches: [(Scope, Role)] = [
            (.none, .bureau), (.all, .admin), (.hostUnit("H1"), .county), (.county("雁江区"), .accountant), (.all, .supervisor),
            (.studios([]), .auditor), (.county(" "), .county),
        ]
        for (scope, role) in mismatches {
            let refused = rejection { () throws(Rejection) in try Scope.check(scope, for: role) }
            #expect(refused?.code == .scopeInvalid && refused?.field == "scope", "\(scope) for \(role)")
        }
    }
}
