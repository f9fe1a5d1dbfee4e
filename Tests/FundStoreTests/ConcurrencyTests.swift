import FundApp
import FundCore
@_spi(Testing) import FundStore
import FundTestSupport
import Foundation
import Testing

/// Two connections on one ledger file, the way two commands share it: a writer waits for
/// another's write lock instead of failing, a reader does not wait at all, and a writer that
/// waited longer than its timeout gets `LedgerBusy` with nothing written.
@Suite("a busy ledger file: writers wait, readers do not", .serialized)
struct BusyLedgerTests {
    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wl-busy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("l.sqlite").path
        let app = try LedgerApp(path: path, clock: T.clock, user: "测试员")
        _ = try app.register.initialize()
        _ = try app.register.addHostUnit(creditCode: T.hostCode, name: "资阳测试机械有限公司", kind: "enterprise", county: "雁江区")
        _ = try app.register.addStudio(
            code: "S1", name: "S1 工作室", hostUnit: T.hostCode, leader: "张师傅", field: "数控加工",
            recognized: "2025-12-15", subsidy: "30000")
    }

    static let stamp = Stamp(user: "乙", at: "2026-01-05T08:00:00Z", today: T.date("2026-01-05"))

    static func post(_ store: LedgerStore, fen: Int64 = 100) throws -> [PostedVoucher] {
        try store.books.post([T.receipt(date: "2026-01-05", fund: .subsidy, fen: fen)], stamp: stamp)
    }

    static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    /// Holds the write lock through `holder` for `seconds` on a thread of its own; returns once
    /// the lock is held, and a semaphore signalled when it is released.
    static func hold(_ holder: LedgerStore, for seconds: Double) -> DispatchSemaphore {
        let held = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        Thread {
            do {
                try holder.holdingWriteLockForTesting {
                    held.signal()
                    Thread.sleep(forTimeInterval: seconds)
                }
            } catch {
                Issue.record("holding the write lock failed: \(error)")
                held.signal()
            }
            released.signal()
        }.start()
        held.wait()
        return released
    }

    @Test func aNewFileIsInWALModeOnceAndForAll() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LedgerStore(path: path)
        #expect(try store.unsafeScalarForTesting("SELECT journal_mode = 'wal' FROM pragma_journal_mode") == 1)
    }

    @Test func aWriterWaitsForAnotherWriterAndThenSucceeds() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let holder = try LedgerStore(path: path)
        let writer = try LedgerStore(path: path)
        let released = Self.hold(holder, for: 0.8)

        // A reader does not wait for the writer (WAL): it sees the books as last committed.
        let readStart = Self.now()
        #expect(try writer.register.studios().map(\.code) == ["S1"])
        #expect(try writer.admin.verify().isClean)
        #expect(Self.now() - readStart < 0.6, "reading waited for the write lock")

        let writeStart = Self.now()
        let posted = try Self.post(writer)
        let waited = Self.now() - writeStart
        released.wait()
        #expect(posted.map(\.ref.label) == ["记-0001"])
        #expect(waited > 0.3, "the writer went ahead while another held the write lock (\(waited) s)")
        #expect(try writer.unsafeScalarForTesting("SELECT count(*) FROM voucher") == 1)
    }

    @Test func aWriterThatWaitsTooLongGetsLedgerBusyAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let holder = try LedgerStore(path: path)
        let impatient = try LedgerStore(path: path, busyTimeout: 0.2)
        let released = Self.hold(holder, for: 2.0)

        let start = Self.now()
        #expect(throws: LedgerBusy.self) { try Self.post(impatient) }
        let waited = Self.now() - start
        #expect(waited >= 0.15 && waited < 1.2, "gave up after \(waited) s, the timeout is 0.2 s")
        do {
            _ = try Self.post(impatient)
        } catch let busy as LedgerBusy {
            #expect(busy.description == "账簿正被其他操作占用，请稍后重试")
            #expect(busy.waited >= 0.15)
        }
        // Reading still works while the lock is held.
        #expect(try impatient.register.studios().count == 1)
        released.wait()

        #expect(try impatient.unsafeScalarForTesting("SELECT count(*) FROM voucher") == 0)
        #expect(try Self.post(impatient).map(\.ref.label) == ["记-0001"])
        #expect(try impatient.admin.verify().isClean)
    }
}
