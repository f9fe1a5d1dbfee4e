import Foundation

/// Runs the real clients our outputs are checked with (hledger, bean-check, openssl, python
/// with openpyxl, poppler). A missing tool fails the test with the package to install; it is
/// never a silent skip.
public enum ExternalTool {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public struct Missing: Error, CustomStringConvertible {
        public let tool: String
        public var description: String {
            "\(tool) 未安装：运行 README 的测试命令（apt-get install poppler-utils hledger; pip install openpyxl beancount）"
        }
    }

    /// The absolute path of `tool` on PATH.
    public static func locate(_ tool: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Missing(tool: tool)
    }

    /// Runs `tool` with `arguments` (and optional standard input), waiting for it to end.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], input: Data? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(tool))
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = input.map { _ in Pipe() }
        if let inputPipe { process.standardInput = inputPipe } else { process.standardInput = FileHandle.nullDevice }
        try process.run()
        if let inputPipe, let input {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a chatty tool cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a Python script with python3 (`-c`), failing with its stderr when it fails.
    public static func python(_ script: String, _ arguments: [String] = []) throws -> String {
        let output = try run("python3", ["-c", script] + arguments)
        guard output.status == 0 else {
            throw PythonFailed(message: output.stderr)
        }
        return output.stdout
    }

    /// Runs `tool` and returns its standard output, failing on a non-zero exit.
    public static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try run(tool, arguments)
        guard result.status == 0 else {
            throw PythonFailed(message: "\(tool) \(arguments.joined(separator: " ")) 退出码 \(result.status)：\(result.stderr)")
        }
        return result.stdout
    }

    /// python3 with openpyxl importable (fails with the install command otherwise).
    public static func requireOpenpyxl() throws {
        let result = try run("python3", ["-c", "import openpyxl"])
        guard result.status == 0 else { throw Missing(tool: "python3 的 openpyxl") }
    }

    /// Writes `data` to a fresh temporary file with the extension; the caller removes it.
    public static func temporaryFile(_ data: Data, extension ext: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wl-tool-\(UUID().uuidString).\(ext)")
        try data.write(to: url)
        return url
    }

    public struct PythonFailed: Error, CustomStringConvertible {
        public let message: String
        public var description: String { "python3 failed: \(message)" }
    }
}
