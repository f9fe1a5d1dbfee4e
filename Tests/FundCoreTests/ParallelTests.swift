import Foundation
import FundCore
import Testing

@Suite("Parallel.map")
struct ParallelTests {
    struct Failure: Error, Equatable { let index: Int }

    @Test("results come back in index order whatever order the work finishes in")
    func order() throws {
        let values = try Parallel.map(64) { index -> Int in
            // Later indices finish first.
            usleep(useconds_t((64 - index) * 200))
            return index * index
        }
        #expect(values == (0..<64).map { $0 * $0 })
        #expect(try Parallel.map(0) { $0 }.isEmpty)
        #expect(try Parallel.map(1) { $0 + 7 } == [7])
    }

    @Test("the first error in index order is thrown, not the first to happen")
    func firstError() {
        #expect(throws: Failure(index: 3)) {
            _ = try Parallel.map(10) { index -> Int in
                if index == 3 {
                    usleep(20_000)
                    throw Failure(index: 3)
                }
                if index == 8 { throw Failure(index: 8) }
                return index
            }
        }
    }
}
