import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (`flock`) on a lock file beside the register, `.<name>.lock`, held for a whole edit.
///
/// The register itself cannot carry the lock: the atomic writer renames a new file over it, so a process waiting on
/// the old file's lock would wake up holding a lock on a file nobody uses any more. Editors take it exclusively and
/// read the register only once they hold it, so parallel edits (even ones logging to different databases) apply one
/// after the other, each to the register the previous one wrote. Commands that record the register take it shared.
/// The lock file is left in place: removing it would let two processes lock two different files of the same name.
public enum RegisterLock {
    public enum Mode: Sendable {
        case shared
        case exclusive
    }

    /// The lock file for the register at `path` (beside the file symlinks resolve to, which is what gets replaced).
    public static func lockPath(for path: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        return target.deletingLastPathComponent().appendingPathComponent("." + target.lastPathComponent + ".lock").path
    }

    /// Runs `body` holding the lock, waiting for it as long as another process holds it.
    ///
    /// A shared lock that cannot be had because the folder is read-only (an evidence copy) is skipped: nothing can
    /// edit the register there. An exclusive lock that cannot be had is an error: the edit would not be safe.
    public static func with<T>(_ path: String, _ mode: Mode, _ body: () throws -> T) throws -> T {
        let lockFile = lockPath(for: path)
        let descriptor = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if mode == .shared { return try body() }
            throw AllowlistEditError.cannotWrite(path: path, reason: "cannot create the lock file \(lockFile): \(errnoText())")
        }
        defer { close(descriptor) }
        while flock(descriptor, mode == .exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            if mode == .shared { return try body() }
            throw AllowlistEditError.cannotWrite(path: path, reason: "cannot lock \(lockFile): \(errnoText())")
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
