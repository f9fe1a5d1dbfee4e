import FundCore
import FundStore
import FundTestSupport
import Testing

/// The storage protocols are enough for a round trip: set up, post, read back, close a month
/// and verify through `any …Storage` only, as FundApp would over a second backend.
@Suite("Storage protocols: a round trip without LedgerStore's own API")
struct StorageSurfaceTests {
    let stamp = Stamp(user: "测试员", at: "2026-11-20T01:00:00Z", today: TestLedger.date("2026-11-20"))

    @Test func aRoundTripThroughTheProtocolsAlone() throws {
        let store = try LedgerStore()
        try roundTrip(
            register: store.register, books: store.books, evidence: store.evidence, lifecycle: store.lifecycle,
            compliance: store.compliance, admin: store.admin)
    }

    /// Uses nothing but the protocols (and FundCore values).
    func roundTrip(
        register: any RegisterStorage, books: any BookStorage, evidence: any EvidenceStorage,
        lifecycle: any LifecycleStorage, compliance: any ComplianceStorage, admin: any AdminStorage
    ) throws {
        // Register: chart, host unit, studio.
        let host = try CreditCode(TestLedger.hostCode)
        try register.installChart(try TestLedger.defaultChart(), source: "chart.csv", stamp: stamp)
        try register.addHostUnit(
            try HostUnit(creditCode: host, name: "资阳测试机械有限公司", kind: .enterprise, county: "雁江区"), stamp: stamp)
        let studio = try Studio(
            code: "S1", name: "S1 工作室", hostUnit: host, leader: "张师傅", field: "数控加工",
            recognized: TestLedger.date("2025-12-15"), approvedSubsidy: Money(fen: 3_000_000))
        try register.addStudio(studio, stamp: stamp)
        #expect(try register.studio(code: "S1") == studio)
        #expect(try register.hostUnits().map(\.creditCode) == [host])

        // Books: post, read back.
        let posted = try books.post(
            [
                TestLedger.receipt(date: "2025-12-20", fund: .subsidy, fen: 3_000_000),
                TestLedger.simple(date: "2025-12-22", debit: "500101", credit: "100201", fen: 120_000),
            ],
            stamp: stamp)
        #expect(posted.map(\.ref.label) == ["记-0001", "记-0002"])
        #expect(try books.vouchers(studio: "S1") == posted)
        #expect(try books.voucher(posted[1].ref) == posted[1])
        let december = Period(year: 2025, month: 12)!
        let turnover = try books.turnovers(studio: "S1", fund: .subsidy, through: december)
        #expect(turnover.filter { $0.account == "100201" }.map(\.debit) == [Money(fen: 3_000_000)])
        #expect(try books.activeRange(studio: "S1") == december...december)

        // Close the month: it no longer takes vouchers.
        try books.closePeriod(december, studio: "S1", stamp: stamp)
        #expect(try books.periodBook(studio: "S1").closedThrough == december)
        let late = try books.postEach(TestLedger.simple(date: "2025-12-28", debit: "500101", credit: "100201", fen: 1), stamp: stamp)
        guard case .failure(let rejection) = late else { Issue.record("a closed month took a voucher"); return }
        #expect(rejection.code == .periodClosed)

        // What an audit package and the other desks read.
        let head = try #require(try evidence.chainHead(studio: "S1", asOf: TestLedger.date("2025-12-31")))
        #expect(head == ChainPosition(sequence: posted[1].sequence, hash: posted[1].hash))
        #expect(try lifecycle.lifecycleHistory(studio: "S1").isEmpty)
        #expect(try compliance.budget(studio: "S1").isEmpty)

        // Verify, and the log of it all.
        let report = try admin.verify()
        #expect(report.isClean && report.studios == 1 && report.postings == 4)
        #expect(try admin.log().map(\.action) == ["chart.install", "host-unit.add", "studio.add", "voucher.post", "period.close"])
        #expect(try admin.log(action: "period").map(\.detail) == ["结账 2025年12月"])
    }
}
