import Testing

@testable import FundCore

/// A chart CSV: the standard header plus `rows`.
private func chartCSV(_ rows: [String]) -> String {
    ([ChartOfAccounts.csvColumns.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
}

/// The located rejection `parseCSV` threw for `text`, or nil.
private func chartRejection(text: String) -> LocatedRejection? {
    do {
        _ = try ChartOfAccounts.parseCSV(text, file: "chart.csv")
        return nil
    } catch {
        return error
    }
}

private func chartRejection(_ rows: [String]) -> LocatedRejection? {
    chartRejection(text: chartCSV(rows))
}

/// A minimal valid chart around the rows under test.
private let bank = ["1002,银行存款,asset,debit,,,", "100201,项目资金专户,asset,debit,bank,,"]

@Suite("Chart of accounts")
struct ChartTests {
    @Test func defaultChartLoads() throws {
        let chart = try ChartOfAccounts.parseCSV(try defaultChartText(), file: "default-chart.csv")
        #expect(chart.accounts.count == 82)
        #expect(chart.accounts.filter { !$0.type.isBudget }.count == 41)
        #expect(chart.accounts.map(\.code) == chart.accounts.map(\.code).sorted())
        #expect(chart == Fixture.chart)
    }

    @Test(
        "leaves and parents",
        arguments: [
            ("1001", true, 1), ("1002", false, 1), ("100201", true, 2), ("100202", true, 2),
            ("1218", false, 1), ("121801", true, 2), ("1901", true, 1), ("5001", false, 1),
            ("500101", true, 2), ("4001", false, 1), ("400103", true, 2),
        ])
    func leaves(code: String, isLeaf: Bool, level: Int) throws {
        let account = try #require(Fixture.chart[code])
        #expect(account.isLeaf == isLeaf)
        #expect(account.level == level)
        if level == 2 { #expect(account.parentCode == String(code.prefix(4))) }
        if level == 1 { #expect(account.parentCode == nil) }
    }

    @Test func unknownCodeIsAbsent() {
        #expect(Fixture.chart["9999"] == nil)
        #expect(Fixture.chart["10020"] == nil)
    }

    @Test func everyLeafIsClassified() {
        for account in Fixture.chart.leaves {
            if account.type == .expense {
                #expect(account.category != nil && account.role == nil, "\(account.code)")
            } else if account.role == .fixedAssets {
                // Capitalised equipment is spending of the fund that paid for it (issue 15).
                #expect(account.category == .equipment, "\(account.code)")
            } else {
                #expect(account.role != nil && account.category == nil, "\(account.code)")
            }
            #expect(account.code.first == account.type.leadingDigit, "\(account.code)")
        }
        #expect(Fixture.chart.leaves.filter { !$0.type.isBudget }.count == 32)
        // 平行记账: 41 accounts of classes 6–8, of which 33 leaves, each with a budget role; the
        // 事业支出 leaves mirror the spending categories one to one, never as `category`.
        let budget = Fixture.chart.leaves.filter(\.type.isBudget)
        #expect(budget.count == 33)
        #expect(budget.allSatisfy { $0.role?.isBudget == true && $0.category == nil })
        #expect(Set(budget.compactMap(\.budgetCategory)) == Set(SpendingCategory.allCases))
    }

    @Test func rolesAndFunds() throws {
        #expect(Fixture.chart.leaves(withRole: .clearing).map(\.code) == ["1901"])
        #expect(Fixture.chart.leaves(withRole: .bank).map(\.code) == ["100201", "100202"])
        let receivable = try #require(Fixture.chart["121802"])
        #expect(receivable.funds == [.subsidy])
        #expect(receivable.accepts(.subsidy) && !receivable.accepts(.enterprise))
        let bankAccount = try #require(Fixture.chart["100201"])
        #expect(Fund.allCases.allSatisfy(bankAccount.accepts))
        #expect(try #require(Fixture.chart["400102"]).normalSide == .credit)
        #expect(try #require(Fixture.chart["500108"]).category == .entertainment)
    }

    @Test func headerWithBOMAndSpacesIsAccepted() throws {
        let text =
            "\u{FEFF}code, name ,type,side,role,category,funds\r\n" + bank.joined(separator: "\r\n")
        let chart = try ChartOfAccounts.parseCSV(text, file: "chart.csv")
        #expect(chart.accounts.map(\.code) == ["1002", "100201"])
    }

    @Test(
        "three-level codes roll up",
        arguments: [
            [
                "1002,银行存款,asset,debit,,,", "100201,专户,asset,debit,,,",
                "10020101,专户一,asset,debit,bank,,",
            ]
        ])
    func threeLevels(rows: [String]) throws {
        let chart = try ChartOfAccounts.parseCSV(chartCSV(rows), file: "chart.csv")
        #expect(chart["100201"]?.isLeaf == false)
        #expect(chart["10020101"]?.isLeaf == true)
        #expect(chart["10020101"]?.level == 3)
        #expect(chart["10020101"]?.parentCode == "100201")
    }

    /// (rows after the header, code, 1-based file line or nil for whole-chart errors, field)
    @Test(
        "rejections",
        arguments: [
            (["10011,现金,asset,debit,cash,,"], RejectionCode.accountCodeFormat, nil, "code"),
            (["100,现金,asset,debit,cash,,"], .accountCodeFormat, nil, "code"),
            (["1a01,现金,asset,debit,cash,,"], .accountCodeFormat, nil, "code"),
            (["2001,现金,asset,debit,cash,,"], .accountCodeFormat, nil, "code"),
            (["1001,应付,liability,credit,payables,,"], .accountCodeFormat, nil, "code"),
            (["100201,专户,asset,debit,bank,,"], .accountParentMissing, nil, "code"),
            (
                ["1002,银行存款,asset,debit,,,", "10020101,专户,asset,debit,bank,,"],
                .accountParentMissing, nil, "code"
            ),
            (bank + ["100201,重复,asset,debit,bank,,"], .accountDuplicate, nil, "code"),
            (["1001,现金,assets,debit,cash,,"], .accountAttributeUnknown, 2, "type"),
            (bank + ["1001,现金,asset,debit,wallet,,"], .accountAttributeUnknown, 4, "role"),
            (["5001,支出,expense,debit,,toys,"], .accountAttributeUnknown, 2, "category"),
            (["1001,现金,asset,sideways,cash,,"], .sideUnknown, 2, "side"),
            (["5001,支出,expense,debit,,,"], .accountClassification, nil, "category"),
            (["5001,支出,expense,debit,cash,equipment,"], .accountClassification, nil, "category"),
            (["1001,现金,asset,debit,,,"], .accountClassification, nil, "role"),
            (["1001,现金,asset,debit,cash,equipment,"], .accountClassification, nil, "role"),
            (["1001,现金,asset,debit,cash,,subsidy|gold"], .accountFundsInvalid, 2, "funds"),
            (["1001,现金,asset,debit,cash,,补助资金"], .accountFundsInvalid, 2, "funds"),
            ([], .chartEmpty, nil, nil),
            (["1001,现金,asset,debit,cash,"], .importFieldCount, 2, nil),
            (["1001,,asset,debit,cash,,"], .fieldEmpty, nil, "name"),
        ] as [([String], RejectionCode, Int?, String?)])
    func rejects(rows: [String], code: RejectionCode, line: Int?, field: String?) throws {
        let located = try #require(chartRejection(rows))
        #expect(located.rejection.code == code)
        #expect(located.line == line)
        #expect(located.file == "chart.csv")
        #expect(located.rejection.field == field)
    }

    @Test func wrongHeaderIsI002() throws {
        let located = try #require(chartRejection(text: "code,name,type\n1001,现金,asset\n"))
        #expect(located.rejection.code == .importColumnMissing)
        #expect(located.line == 1)
    }

    @Test func parentAccountsNeedNoClassification() throws {
        // 1002 has neither role nor category; as a parent it is fine.
        let chart = try ChartOfAccounts.parseCSV(chartCSV(bank), file: "chart.csv")
        #expect(chart["1002"]?.role == nil)
    }

    @Test func emptyArrayIsA007() {
        #expect(rejectionCode { () throws(Rejection) in try ChartOfAccounts([]) } == .chartEmpty)
    }
}
