import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a report output folder (`flock` on the folder itself, so no lock file is left behind), held
/// by one `report` run from its clean-up of earlier runs' leftovers until its own folder is published. While a run
/// holds it no other run is writing there, so every hidden temporary folder it finds belongs to a run that died.
/// The kernel drops the lock when the process ends, however it ends.
public final class ReportFolderLock {
    private var descriptor: Int32
    /// False when the file system refused the lock (some network file systems do not support `flock`): the run
    /// goes on, but cannot tell a dead run's temporary folder from a live one's, so it leaves them alone.
    public private(set) var isHeld: Bool
    /// Why the lock could not be taken, when it could not.
    public private(set) var refusal: String?

    /// Locks `directory` (which must exist), calling `waiting` once first when another run holds it.
    public init(directory: URL, waiting: () -> Void = {}) throws {
        descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        isHeld = false
        guard descriptor >= 0 else {
            throw ReportWriteError.cannotWrite(path: directory.path, reason: String(cString: strerror(errno)))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            isHeld = true
            return
        }
        guard errno == EWOULDBLOCK else {
            refusal = String(cString: strerror(errno))
            return
        }
        waiting()
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                descriptor = -1
                throw ReportWriteError.cannotWrite(path: directory.path, reason: "cannot lock the folder: \(reason)")
            }
        }
        isHeld = true
    }

    /// Releases the lock (also done when the lock is dropped).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// The names a report run uses inside its output folder besides the revision folders themselves.
public enum ReportFolders {
    /// The hidden folder a report is rendered in before it is renamed to `target`: `.2026-10.tmp-<uuid>`.
    public static func stagingFolder(for target: URL) -> URL {
        target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent)\(stagingMarker)\(UUID().uuidString)")
    }

    private static let stagingMarker = ".tmp-"

    /// Whether `name` is a temporary folder a report run makes (`.<folder>.tmp-<uuid>`): the only hidden folders
    /// the clean-up ever removes.
    public static func isStagingName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: stagingMarker, options: .backwards),
            marker.lowerBound > name.index(after: name.startIndex)
        else { return false }
        return UUID(uuidString: String(name[marker.upperBound...])) != nil
    }

    /// Removes every temporary report folder in `directory`: left by runs killed while rendering, they hold the
    /// report's data (account names, findings) that nothing else would ever delete. Call only while holding the
    /// folder's `ReportFolderLock`, so no live run's folder is among them. Returns the folders removed.
    public static func removeStaleStaging(in directory: URL) throws -> [URL] {
        let manager = FileManager.default
        var removed: [URL] = []
        for name in try manager.contentsOfDirectory(atPath: directory.path).sorted() where isStagingName(name) {
            let folder = directory.appendingPathComponent(name)
            do {
                try manager.removeItem(at: folder)
            } catch {
                throw ReportWriteError.cannotWrite(path: folder.path, reason: "cannot remove a stale temporary report folder: \(error.localizedDescription)")
            }
            removed.append(folder)
        }
        return removed
    }

    /// Flushes `directory`'s entries (a rename just made in it) to disk, so a power cut cannot undo the rename
    /// after the database recorded it. Best effort: some file systems refuse `fsync` on a directory.
    public static func synchronize(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Earlier versions replaced a folder under `--force` by moving it to `.<folder>.old-<uuid>`, renaming the new
    /// one in and deleting the old: a kill between the two moves left the period with no folder at all, its last
    /// good report hidden. Such a folder is moved back when its name is free, and reported otherwise.
    static func restoreLegacySwaps(in directory: URL) throws -> [String] {
        let manager = FileManager.default
        var notes: [String] = []
        for name in try manager.contentsOfDirectory(atPath: directory.path).sorted() where name.hasPrefix(".") {
            guard let marker = name.range(of: ".old-", options: .backwards), UUID(uuidString: String(name[marker.upperBound...])) != nil,
                marker.lowerBound > name.index(after: name.startIndex)
            else { continue }
            let original = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            let hidden = directory.appendingPathComponent(name)
            let target = directory.appendingPathComponent(original)
            if manager.fileExists(atPath: target.path) {
                notes.append("left \(hidden.path): a report folder an earlier version's --force was replacing when it was interrupted; \(target.path) is in place")
            } else {
                try manager.moveItem(at: hidden, to: target)
                notes.append("restored \(target.path) from \(hidden.path): an earlier version's --force was interrupted after moving it away")
            }
        }
        return notes
    }
}
