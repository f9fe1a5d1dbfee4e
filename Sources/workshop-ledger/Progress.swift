import Foundation

/// Progress on long work (`verify`, `check --all`, `audit-package`, `report`): on a terminal, a
/// line on stderr that says what is being done and for how long, rewritten in place each second
/// once the work has taken a second, and erased when it ends. When stderr is not a terminal (a
/// pipe, a file, cron, a test) nothing is written: the output stays what scripts read.
///
/// The desks do not report how far they are, so the line tells the task and the time it has
/// taken, not a percentage.
struct Progress {
    /// Whether to show anything: stderr is a terminal (and `TERM` is not "dumb").
    var isTerminal: Bool
    /// Writes to stderr (replaced in tests).
    var write: @Sendable (String) -> Void
    /// Quiet for this long, then one line per `interval`.
    var delay: DispatchTimeInterval = .seconds(1)
    var interval: DispatchTimeInterval = .seconds(1)

    static var standardError: Progress {
        Progress(
            isTerminal: isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb",
            write: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// "正在校验账簿…（已用 5 秒）", "（已用 1 分 05 秒）".
    static func line(_ task: String, elapsedSeconds seconds: Int) -> String {
        let elapsed = seconds < 60 ? "\(seconds) 秒" : "\(seconds / 60) 分 \(seconds % 60 < 10 ? "0" : "")\(seconds % 60) 秒"
        return "正在\(task)…（已用 \(elapsed)）"
    }

    /// Carriage return and erase-line: the next line written replaces this one.
    static let rewind = "\r\u{1B}[K"

    /// Runs `body`, showing `task` while it runs on a terminal.
    func run<Result>(_ task: String, _ body: () throws -> Result) rethrows -> Result {
        guard isTerminal else { return try body() }
        let start = DispatchTime.now()
        let state = Shown()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        let write = self.write
        timer.setEventHandler {
            let seconds = Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000_000)
            state.lock.withLock {
                guard !state.ended else { return }
                state.shown = true
                write(Self.rewind + Self.line(task, elapsedSeconds: seconds))
            }
        }
        timer.schedule(deadline: .now() + delay, repeating: interval)
        timer.resume()
        defer {
            timer.cancel()
            state.lock.withLock {
                state.ended = true
                if state.shown { write(Self.rewind) }
            }
        }
        return try body()
    }

    /// Whether the line was written, and whether the work has ended (no line after that).
    private final class Shown: @unchecked Sendable {
        let lock = NSLock()
        var shown = false
        var ended = false
    }
}
