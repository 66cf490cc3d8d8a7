// Shared by the harnesses that need a real file (the readers take paths, like the commands): one scratch file per
// process in /dev/shm (or the temporary directory), rewritten for every input.
import Foundation

public final class FuzzScratch: Sendable {
    public let path: String

    public init(name: String) {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        path = (directory as NSString).appendingPathComponent("bypass-auditor-fuzz-\(name)-\(getpid())")
    }

    public func write(_ data: some DataProtocol) -> String {
        _ = FileManager.default.createFile(atPath: path, contents: Data(data))
        return path
    }
}
