/// The ledger file stayed locked by another operation (another process posting, importing or
/// checkpointing) for longer than the store waits. Nothing was written by the operation that
/// throws it; running it again later is safe. Exit 3 at the CLI, with `message`.
public struct LedgerBusy: Error, Sendable, CustomStringConvertible {
    /// The one message a user sees.
    public static let message = "账簿正被其他操作占用，请稍后重试"

    /// How long the store waited before giving up, in seconds.
    public let waited: Double

    public init(waited: Double) { self.waited = waited }

    public var message: String { Self.message }

    public var description: String { Self.message }
}
