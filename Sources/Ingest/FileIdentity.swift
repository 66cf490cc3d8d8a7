import Core
import Reading
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

    /// How many bytes before a checkpoint its digest covers at most.
    static let checkpointBlock: UInt64 = 4096

    /// SHA-256 of the up to `checkpointBlock` bytes that end at `offset` in a plain (not gzip) file: changes when the
    /// bytes before the checkpoint were rewritten. Nil at offset 0, for gzip files (offsets count decompressed bytes)
    /// and for unreadable files; a file now shorter than `offset` gives a digest no full block has.
    static func checkpointDigest(path: String, endingAt offset: UInt64) -> String? {
        guard offset > 0, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        if let magic = try? handle.read(upToCount: 2), magic == Data([0x1F, 0x8B]) { return nil }
        let start = offset > checkpointBlock ? offset - checkpointBlock : 0
        guard (try? handle.seek(toOffset: start)) != nil else { return nil }
        let data = (try? handle.read(upToCount: Int(offset - start))) ?? Data()
        return SHA256Digest.hex(of: data) + (data.count == Int(offset - start) ? "" : "-short")
    }

    /// When the file was last written to.
    static func modificationTime(path: String) -> Date? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }

    /// SHA-256 of the file's first `length` bytes (or fewer when the file is now shorter).
    static func headDigest(path: String, length: Int) -> String {
        guard length > 0, let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: length)) ?? Data()
        return SHA256Digest.hex(of: data)
    }
}
