import Dispatch
import Foundation

/// Work spread over every core: `body` for 0..<count, results in order, the first error (in
/// order) thrown. For independent pieces of one job (the PDFs of an audit package).
public enum Parallel {
    public static func map<Value>(_ count: Int, _ body: (Int) throws -> Value) throws -> [Value] {
        guard count > 1 else { return try (0..<count).map(body) }
        let results = Results<Value>(count)
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let value = Result { try body(index) }
                results.lock.withLock { results.values[index] = value }
            }
        }
        return try results.values.map { try $0!.get() }
    }

    private final class Results<Value>: @unchecked Sendable {
        let lock = NSLock()
        var values: [Result<Value, any Error>?]
        init(_ count: Int) { values = Array(repeating: nil, count: count) }
    }
}
