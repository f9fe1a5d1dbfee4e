import FundCore
import FundReports
import Foundation

// Every view a front end shows, as a FundReports report (a document for the renderers and its
// JSON value), built here from what the desks read. The CLI and the web desk render these with
// the one dispatch and compute nothing of their own.

extension RegisterDesk {
    public func accountsReport() throws -> AnyReport { RegisterReports.accounts(try chart()) }

    public func hostUnitsReport() throws -> AnyReport { RegisterReports.hostUnits(try hostUnits()) }

    public func studiosReport() throws -> AnyReport { RegisterReports.studios(try studios(), effects: try store.lifecycle.changeEffects(studio: nil), hostUnits: try hostUnits()) }
}

extension BooksDesk {
    /// 科目余额表 as of a day: the trial-balance statement (its JSON carries the documented
    /// `balance` keys).
    public func balanceReport(studio: String, fund: Fund? = nil, from: Period? = nil, to: Period? = nil, asOf: CalendarDate? = nil) throws -> AnyReport {
        try app.statements.report(ReportRequest(kind: .trialBalance, studio: studio, fund: fund, from: from, to: to, asOf: asOf))
    }

    /// 序时账 as of a day.
    public func journalReport(studio: String, from: Period? = nil, to: Period? = nil, asOf: CalendarDate? = nil) throws -> AnyReport {
        try app.statements.report(ReportRequest(kind: .journal, studio: studio, from: from, to: to, asOf: asOf))
    }

    /// 明细账 of one account (a parent covers its leaves) as of a day.
    public func ledgerReport(
        studio: String, account: String, fund: Fund? = nil, from: Period? = nil, to: Period? = nil, asOf: CalendarDate? = nil
    ) throws -> AnyReport {
        try app.statements.report(ReportRequest(kind: .subsidiaryLedger, studio: studio, fund: fund, from: from, to: to, asOf: asOf, account: account))
    }

    /// One voucher as printed, with what reversed or corrected it.
    public func voucherReport(_ ref: VoucherRef) throws -> AnyReport {
        let (voucher, followUps) = try voucher(ref)
        return try AuditViews.voucher(voucher, chart: try store.register.chart(), followUps: followUps)
    }

    public func periodStatusReport(studio: String) throws -> AnyReport {
        AuditViews.periodStatus(studio: studio, book: try periodBook(studio: studio))
    }
}

extension ComplianceDesk {
    /// The check as a report, and whether an unaccepted violation remains (exit 1 at the CLI).
    public func checkReport(studio: String?, asOf: CalendarDate? = nil) throws -> (report: AnyReport, hasViolations: Bool) {
        let result = try check(studio: studio, asOf: asOf)
        return (AuditViews.check(result), result.hasViolations)
    }

    /// The findings that newly posted vouchers raise; nil when they raise none.
    public func raisedReport(_ vouchers: [PostedVoucher]) throws -> AnyReport? {
        let raised = try findings(raisedBy: vouchers)
        return raised.isEmpty ? nil : AuditViews.raisedFindings(raised)
    }
}

extension StatementsDesk {
    /// One statement (`report KIND`) as of its day.
    public func report(_ request: ReportRequest) throws -> AnyReport { try buildReport(request) }

    public func budgetReport(studio: String) throws -> AnyReport {
        try BudgetReports.current(try budget(studio: studio), studio: studio)
    }

    public func budgetHistoryReport(studio: String) throws -> AnyReport {
        BudgetReports.history(try budgetHistory(studio: studio), studio: studio)
    }
}

extension PackagesDesk {
    public func evidenceReport(studio: String) throws -> AnyReport {
        RegisterReports.evidence(try evidence(studio: studio), studio: studio)
    }

    /// The host unit's keys, and whether it has any.
    public func signingKeysReport(hostUnit: String) throws -> (report: AnyReport, registered: Bool) {
        let keys = try signingKeys(hostUnit: hostUnit)
        return (RegisterReports.signingKeys(keys, hostUnit: hostUnit), !keys.isEmpty)
    }
}

extension LifecycleDesk {
    public func statusReport(studio: String, asOf: CalendarDate? = nil) throws -> AnyReport {
        StudioReports.status(try status(studio: studio, asOf: asOf))
    }

    public func historyReport(studio: String) throws -> AnyReport {
        StudioReports.history(studio: studio, records: try records(studio: studio), changes: try changes(studio: studio))
    }

    public func deadlinesReport(asOf: CalendarDate? = nil, studio: String? = nil) throws -> AnyReport {
        StudioReports.deadlines(try deadlines(asOf: asOf, studio: studio), asOf: app.cutoff(asOf))
    }

    public func supervisionReport(studio: String) throws -> AnyReport {
        _ = try store.register.studio(code: studio)
        return StudioReports.supervision(try supervisionNotes(studio: studio), studio: studio)
    }

    public func activitiesReport(studio: String) throws -> AnyReport {
        StudioReports.activities(try activities(studio: studio), studio: studio)
    }

    public func targetsReport(studio: String, indicators: URL? = nil) throws -> AnyReport {
        StudioReports.targets(try indicatorSet(file: indicators), targets: try targets(studio: studio), studio: studio)
    }
}

extension AdminDesk {
    /// `verify` as a report, and whether every check passed.
    public func verifyReport() throws -> (report: AnyReport, isClean: Bool) {
        let report = try verify()
        return (AuditViews.verification(report), report.isClean)
    }

    /// `verify --against` as a report.
    public func verifyReport(against data: Data, file: String) throws -> (report: AnyReport, isClean: Bool) {
        let report = try verify(against: data, file: file)
        return (AuditViews.verification(report), report.isClean)
    }

    public func logReport(studio: String? = nil, user: String? = nil, action: String? = nil) throws -> AnyReport {
        AuditViews.log(try log(studio: studio, user: user, action: action))
    }
}
