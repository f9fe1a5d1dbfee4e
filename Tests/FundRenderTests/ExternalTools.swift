import Foundation

/// The real clients the renderer tests read our output with: python3 + openpyxl for XLSX,
/// poppler-utils for PDF. A missing tool fails the test with the package to install; it never
/// skips, because an unchecked renderer is not a passing one.
enum ExternalTools {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    static let installHints = [
        "python3": "apt-get install python3 python3-pip; python3 -m pip install openpyxl",
        "pdftotext": "apt-get install poppler-utils", "pdffonts": "apt-get install poppler-utils",
        "pdftoppm": "apt-get install poppler-utils", "pdfinfo": "apt-get install poppler-utils",
    ]

    /// The tool's path on PATH (or the usual system directories), or a `Missing` error.
    static func locate(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Missing(description: "\(name) 未安装（renderer 测试需要它）：\(installHints[name] ?? "install \(name)")")
    }

    /// Runs the tool to completion; stdout and stderr go through temporary files so a large
    /// output cannot block the pipe.
    static func run(_ name: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(name))
        process.arguments = arguments
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("tool-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            errors: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs the tool and returns its output, failing on a non-zero exit.
    static func output(_ name: String, _ arguments: [String]) throws -> String {
        let result = try run(name, arguments)
        guard result.status == 0 else {
            throw Missing(description: "\(name) \(arguments.joined(separator: " ")) 退出码 \(result.status)：\(result.errors)")
        }
        return result.output
    }

    /// python3 with openpyxl importable.
    static func requireOpenpyxl() throws {
        let result = try run("python3", ["-c", "import openpyxl"])
        guard result.status == 0 else {
            throw Missing(description: "python3 找不到 openpyxl：python3 -m pip install openpyxl（\(result.errors)）")
        }
    }

    /// A fresh temporary file path with the extension; the caller removes it.
    static func temporaryFile(_ data: Data, extension ext: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("render-test-\(UUID().uuidString).\(ext)")
        try data.write(to: url)
        return url
    }
}
