import Foundation

/// Where NDJSON alert documents go: stdout, or appended to a file (flushed per line so a shipper tailing it sees
/// each alert at once).
final class AlertSink {
    let enabled: Bool
    private let handle: FileHandle?

    init(path: String?, enabled: Bool) throws {
        self.enabled = enabled
        guard let path else {
            handle = nil
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                Console.err("error: cannot create \(path)")
                throw ExitStatus.failure
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            Console.err("error: cannot write \(path)")
            throw ExitStatus.failure
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    var usesStandardOutput: Bool { enabled && handle == nil }

    func write(_ line: String) {
        if let handle {
            handle.write(Data((line + "\n").utf8))
        } else {
            Console.out(line)
        }
    }

    deinit { try? handle?.close() }
}
