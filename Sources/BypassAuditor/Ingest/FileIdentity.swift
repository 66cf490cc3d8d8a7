import Foundation

/// Who a file on disk is, independent of its name: device and inode, plus a digest of its first bytes so a new file
/// that reuses the inode (rotation, replacement) is not mistaken for the one already read.
struct FileIdentity: Sendable, Hashable {
    var key: String
    var size: UInt64

    /// How many leading bytes the head digest covers at most.
    static let headLimit = 4096

    init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ReadError(file: path, line: 0, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        key = "\(info.st_dev):\(info.st_ino)"
        size = UInt64(info.st_size)
    }

    /// SHA-256 of the file's first `length` bytes (or fewer when the file is now shorter).
    static func headDigest(path: String, length: Int) -> String {
        guard length > 0, let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: length)) ?? Data()
        return SHA256Digest.hex(of: data)
    }
}
