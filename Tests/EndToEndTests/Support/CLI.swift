import Foundation

/// Runs the real `bypass-auditor` binary, built beside this test bundle, and captures what it printed.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The signal that ended the process, when one did (then `status` is that signal's number).
        var signal: Int32? = nil

        /// stdout parsed as a JSON object (the `--json` documents).
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw CLIError.notJSONObject(stdout)
            }
            return object
        }
    }

    enum CLIError: Error {
        case binaryMissing(String)
        case notJSONObject(String)
    }

    /// The binary sits in the same build folder as the test bundle.
    static var binary: URL {
        get throws {
            let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            var folder = exe.deletingLastPathComponent()
            // On Linux the test runner is `<build>/debug/<package>PackageTests.xctest`: a file in the build folder.
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("bypass-auditor")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            throw CLIError.binaryMissing(exe.path)
        }
    }

    /// Runs the CLI with `arguments` in `directory`, feeding `stdin` when given.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, stdin: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        let inPipe = Pipe()
        return try run(arguments, in: directory, environment: environment, standardInput: inPipe) {
            if let stdin { inPipe.fileHandleForWriting.write(stdin) }
            try inPipe.fileHandleForWriting.close()
        }
    }

    /// Runs the CLI with `standardInput`, calling `feed` once it started, and collects stdout and stderr.
    static func run(
        _ arguments: [String], in directory: URL?, environment: [String: String], standardInput: Any,
        feed: () throws -> Void
    ) throws -> Result {
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = standardInput
        try process.run()
        // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = outPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        try feed()
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self),
            signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil)
    }
}

/// A fresh temporary directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bypass-auditor-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let target = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
        return target.path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// The package root, for the committed `Policies/` and sample data.
enum PackageRoot {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}
