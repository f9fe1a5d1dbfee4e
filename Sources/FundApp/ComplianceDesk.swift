import FundCore
import FundFixtures
import FundRules
import FundStore
import Foundation

/// Compliance: the rule catalogue over the books, findings and their review, and budgets.
public struct ComplianceDesk: Desk {
    let app: LedgerApp
}

extension ComplianceDesk {
    /// The shipped policy versions, or the one in `file` (default: the app's `policyFile`).
    public func policies(file: URL? = nil) throws -> [Policy] {
        let decoder = JSONDecoder()
        if let file = file ?? policyFile {
            do { return [try decoder.decode(Policy.self, from: Data(contentsOf: file))] } catch let error as DecodingError {
                throw LocatedRejection(file: file.path, line: nil, rejection: Rejection(.voucherJSONInvalid, "政策文件无效：\(error)"))
            }
        }
        let directory = FixturesBundle.policyDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        let shipped = try names.map { try decoder.decode(Policy.self, from: Data(contentsOf: directory.appendingPathComponent($0))) }
        // A policy a bureau loaded (`policy add`) replaces the shipped one of its id; of its
        // versions, the latest applies.
        var loaded: [String: Policy] = [:]
        for document in try store.registry.documents(kind: .policy) {
            var policy: Policy
            do { policy = try decoder.decode(Policy.self, from: Data(document.content.utf8)) } catch {
                throw StoreCorruption(table: "loaded_document", rowID: document.id, message: "政策 \(document.key) 第 \(document.version) 版无法读取：\(error)")
            }
            policy.version = document.version
            loaded[policy.id] = policy
        }
        return shipped.filter { loaded[$0.id] == nil } + loaded.values.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The shipped calendar with every schedule loaded by `calendar add` laid over it in load
    /// order (a later load of a year replaces the earlier one).
    public func holidayCalendar() throws -> HolidayCalendar {
        let url = FixturesBundle.holidayCalendar
        var calendar = try HolidayCalendar.parseCSV(String(contentsOf: url, encoding: .utf8), file: url.path)
        for document in try store.registry.documents(kind: .calendar) {
            do { calendar = calendar.merging(try HolidayCalendar.parseCSV(document.content, file: "calendar \(document.key)")) } catch {
                throw StoreCorruption(table: "loaded_document", rowID: document.id, message: "\(document.key) 年节假日安排第 \(document.version) 版无法读取：\(error)")
            }
        }
        return calendar
    }

    /// `policy add FILE [--text TEXT]`: loads a policy version (JSON as in Fixtures/policy/),
    /// optionally with the measures' own text. A document number in its `document` needs that
    /// text. Stored append-only as the next version of its id, logged; nothing is written for a
    /// file that does not validate.
    public func addPolicy(file: URL, text textFile: URL? = nil) throws -> (policy: Policy, document: LoadedDocument) {
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw LedgerEnvironmentError("找不到或无法读取文件：\(file.path)") }
        let text: String?
        if let textFile {
            do { text = try String(contentsOf: textFile, encoding: .utf8) } catch {
                throw LocatedRejection(file: textFile.path, line: nil, rejection: Rejection(.policyInvalid, field: "text", "原文文件无法读取（须为 UTF-8 文本）"))
            }
        } else {
            text = nil
        }
        guard let content = String(data: data, encoding: .utf8) else {
            throw LocatedRejection(file: file.path, line: nil, rejection: Rejection(.importEncoding, field: "file", "政策文件须为 UTF-8 编码的 JSON"))
        }
        var policy = try Policy.parse(data, file: file.path, text: text)
        let document = try store.registry.addDocument(
            kind: .policy, key: policy.id, content: content, sourceText: text ?? "", fileName: file.lastPathComponent, stamp: stamp())
        policy.version = document.version
        return (policy, document)
    }

    /// The schedules loaded by `calendar add`, in load order.
    public func loadedCalendars() throws -> [LoadedDocument] { try store.registry.documents(kind: .calendar) }

    /// `calendar add FILE`: loads the State Council's holiday schedule for the years the file
    /// covers (`date,kind,name`, as Fixtures/calendar/), as the next version of those years,
    /// logged. JE-001 and deadline roll-forward use it from then on.
    public func addCalendar(file: URL) throws -> (years: [Int], document: LoadedDocument) {
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            guard FileManager.default.fileExists(atPath: file.path) else { throw LedgerEnvironmentError("找不到或无法读取文件：\(file.path)") }
            throw LocatedRejection(file: file.path, line: nil, rejection: Rejection(.importEncoding, field: "file", "节假日安排须为 UTF-8 编码的 CSV"))
        }
        let schedule = try HolidayCalendar.parseSchedule(text, file: file.path)
        let years = schedule.coveredYears
        let document = try store.registry.addDocument(
            kind: .calendar, key: years.map(String.init).joined(separator: ","), content: text, sourceText: "",
            fileName: file.lastPathComponent, stamp: stamp())
        return (years, document)
    }

    /// Runs the rule catalogue over one studio (or all), as of a date (default today): each
    /// studio under the policy version in force on its recognition date.
    public func check(studio: String?, asOf: CalendarDate? = nil, policyFile: URL? = nil) throws -> CheckResult {
        let day = app.cutoff(asOf)
        let policies = try self.policies(file: policyFile)
        let calendar = try holidayCalendar()
        let chart = try store.register.chart()
        let all = try store.register.studios()
        if let studio, !all.contains(where: { $0.code == studio }) {
            throw Rejection(.studioUnknown, field: "studio", "工作室 \(studio) 不存在")
        }
        // Duplicate invoices are looked for across every studio, whichever is checked; the
        // invoice index comes from one query. Reading the next studio's books overlaps checking
        // the current one (the rules are pure), so at most two studios' books are in memory.
        let store = self.store
        @Sendable func vouchers(_ studio: Studio) -> Result<[PostedVoucher], any Error> {
            Result {
                var vouchers = try store.books.vouchers(studio: studio.code)
                vouchers.removeAll { $0.draft.date > day }
                return vouchers
            }
        }
        let invoiceUses = try store.books.invoiceUses(asOf: day)
        let selected = all.filter { studio == nil || $0.code == studio }
        var findings: [Finding] = []
        var summary = CheckSummary()
        summary.asOf = day.iso
        var next = selected.first.map(vouchers)
        for (position, studioValue) in selected.enumerated() {
            let studioVouchers = try next!.get()
            let following = position + 1 < selected.count ? selected[position + 1] : nil
            let policy = Policy.inForce(on: studioValue.recognized, among: policies)
            let keepsBudget = try store.registry.budgetAccounting(studio: studioValue.code).kept
            let (checked, loaded) = overlapped(
                {
                    policy.map { policy in
                        Catalogue.check(
                            StudioBooks(studio: studioValue, vouchers: studioVouchers, keepsBudget: keepsBudget),
                            CheckContext(chart: chart, policy: policy, calendar: calendar, asOf: day, invoiceUses: invoiceUses))
                    }
                },
                { following.map(vouchers) })
            next = loaded
            guard let policy, let checked else { continue }
            if !summary.policies.contains(policy.label) { summary.policies.append(policy.label) }
            findings += checked
            summary.studios += 1
            summary.vouchers += studioVouchers.count
        }
        let reviews = try store.compliance.findingReviews(studio: studio)
        if !reviews.isEmpty {
            for index in findings.indices { findings[index].review = reviews[findings[index].key] }
        }
        summary.findings = findings.count
        for finding in findings {
            summary.bySeverity[finding.severity.rawValue, default: 0] += 1
            summary.byCategory[finding.category.rawValue, default: 0] += 1
            if finding.severity == .violation { summary.violationFen += finding.amountFen }
        }
        return CheckResult(findings: findings, summary: summary)
    }

    /// The findings that name any of `vouchers`: what posting them raised.
    public func findings(raisedBy vouchers: [PostedVoucher]) throws -> [Finding] {
        guard let first = vouchers.first else { return [] }
        let refs = Set(vouchers.map { FindingVoucher($0) })
        let studios = Set(vouchers.map(\.ref.studio))
        var raised: [Finding] = []
        for studio in studios.sorted() {
            raised += try check(studio: studio, asOf: max(clock.today(), vouchers.map(\.draft.date).max() ?? first.draft.date)).findings
                .filter { $0.voucher.map(refs.contains) ?? false }
        }
        return raised
    }
}

extension ComplianceDesk {
    /// Refuses drafts that would raise a finding in a category the studio's policy blocks. The
    /// drafts are checked as provisional vouchers beside the studio's books, before anything is
    /// written, so a blocked voucher never enters the append-only ledger.
    func enforceBlocks(_ drafts: [VoucherDraft]) throws {
        let policies = try self.policies()
        guard policies.contains(where: { !$0.block.isEmpty }) else { return }
        for (policy, findings) in try provisionalFindings(drafts, policies: policies, only: { !$0.block.isEmpty }) {
            if let blocked = findings.first(where: { policy.block.contains($0.category) }) {
                throw Rejection(
                    .postingBlocked, field: blocked.category.rawValue,
                    "政策 \(policy.id) 禁止记入此类凭证（\(blocked.rule) \(blocked.article)）：\(blocked.message)")
            }
        }
    }

    /// The findings the rules would raise on these vouchers if they were posted now (the
    /// voucher desk shows them on a draft before it is submitted). Their voucher numbers are
    /// provisional (from 1,000,000).
    public func findings(forDrafts drafts: [VoucherDraft]) throws -> [Finding] {
        guard !drafts.isEmpty else { return [] }
        return try provisionalFindings(drafts, policies: try policies(), only: { _ in true }).flatMap(\.findings)
    }

    /// For each studio of `drafts` whose policy `only` takes: the findings about the drafts,
    /// from the rules run over the studio's books with the drafts added.
    func provisionalFindings(
        _ drafts: [VoucherDraft], policies: [Policy], only: (Policy) -> Bool
    ) throws -> [(policy: Policy, findings: [Finding])] {
        let chart = try store.register.chart()
        let calendar = try holidayCalendar()
        var result: [(policy: Policy, findings: [Finding])] = []
        for (code, studioDrafts) in Dictionary(grouping: drafts, by: \.studio).sorted(by: { $0.key < $1.key }) {
            let studio = try store.register.studio(code: code)
            guard let policy = Policy.inForce(on: studio.recognized, among: policies), only(policy) else { continue }
            let existing = try store.books.vouchers(studio: code)
            let provisional = studioDrafts.enumerated().map { index, draft in
                PostedVoucher(
                    ref: VoucherRef(studio: code, period: draft.period, voucherClass: draft.voucherClass, number: 1_000_000 + index),
                    draft: draft, kind: .normal, postedBy: user, postedAt: "", sequence: existing.count + index + 1,
                    previousHash: "", hash: "")
            }
            let books = StudioBooks(
                studio: studio, vouchers: existing + provisional, keepsBudget: try store.registry.budgetAccounting(studio: code).kept)
            let day = max(clock.today(), drafts.map(\.date).max()!)
            // The ledger's invoice index (one query over every studio), then the new vouchers' uses.
            let invoiceUses = try store.books.invoiceUses(asOf: day).merging(
                CheckContext.invoiceIndex([StudioBooks(studio: studio, vouchers: provisional)]), uniquingKeysWith: +)
            let context = CheckContext(chart: chart, policy: policy, calendar: calendar, asOf: day, invoiceUses: invoiceUses)
            let provisionalRefs = Set(provisional.map { FindingVoucher($0) })
            let findings = Catalogue.check(books, context).filter { $0.voucher.map(provisionalRefs.contains) ?? false }
            result.append((policy, findings))
        }
        return result
    }
}

extension ComplianceDesk {
    public enum FindingAction: String, Sendable { case explain, accept, reject }

    /// Attaches an explanation to a current finding, or records a reviewer's decision on it.
    public func note(finding key: String, action: FindingAction, text: String) throws {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5 else {
            throw Rejection(.findingKeyInvalid, field: "finding", "发现编号“\(key)”格式不对（形如 SUB-001/工作室/2026-04/记-3/1）")
        }
        try TextField.validate(text, field: action == .explain ? "text" : "note")
        let studio = String(parts[1])
        let current = try check(studio: studio).findings
        guard let finding = current.first(where: { $0.key == key }) else {
            throw Rejection(.findingUnknown, field: "finding", "当前检查结果中没有发现 \(key)（可能已通过更正账簿消除）")
        }
        // The decision is another person's: names compared as people read them (周丽, "周丽 ",
        // 周麗 and ＺＨＯＵ/zhou are one person each), before the store's exact comparison.
        if action != .explain, let explainedBy = finding.review?.explainedBy, PersonName.samePerson(explainedBy, user) {
            throw Rejection(
                .findingSelfDecision, field: "user",
                "说明由“\(explainedBy)”提交，接受或驳回须由说明人以外的人操作（当前操作人“\(user)”视为同一人）")
        }
        try store.compliance.addFindingNote(key: key, studio: studio, action: action.rawValue, text: text, stamp: stamp())
    }
}

/// Runs `first` on this thread and `second` on another, and returns both results once both are
/// done.
func overlapped<First: Sendable, Second: Sendable>(
    _ first: @Sendable () -> First, _ second: @Sendable () -> Second
) -> (First, Second) {
    let firstResult = Handoff<First>()
    let secondResult = Handoff<Second>()
    DispatchQueue.concurrentPerform(iterations: 2) { lane in
        if lane == 0 { firstResult.value = first() } else { secondResult.value = second() }
    }
    return (firstResult.value!, secondResult.value!)
}

/// A value written by one lane of `overlapped` and read after both lanes have finished
/// (`concurrentPerform` returns only then), so it is never accessed concurrently.
private final class Handoff<Value>: @unchecked Sendable {
    var value: Value?
}
