import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file's content all at once: the new bytes go to a temporary file in the same folder, are flushed to
/// disk, and the temporary file is renamed over the target, so a reader sees the old file or the new one, never a
/// half-written register, even if the process dies midway.
enum AtomicFileWriter {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `data` to `path` atomically, keeping the existing file's permission bits.
    static func write(_ data: Data, to path: String) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let folder = target.deletingLastPathComponent().path
        let temporary = folder + "/." + target.lastPathComponent + ".tmp-" + UUID().uuidString
        var mode: mode_t = 0o644
        var status = stat()
        if stat(target.path, &status) == 0 { mode = status.st_mode & 0o7777 }

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(temporary): \(errnoText())") }
        var written = 0
        let failure: String? = data.withUnsafeBytes { buffer -> String? in
            while written < buffer.count {
                let result = systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return "write failed: \(errnoText())"
                }
                written += result
            }
            return nil
        }
        if let failure {
            close(descriptor)
            unlink(temporary)
            throw Failure(description: failure)
        }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let reason = errnoText()
            unlink(temporary)
            throw Failure(description: "cannot flush \(temporary): \(reason)")
        }
        // The umask may have narrowed the mode given to open(); the register keeps its own permissions.
        chmod(temporary, mode)
        guard rename(temporary, target.path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw Failure(description: "cannot replace \(target.path): \(reason)")
        }
        // Make the rename itself durable.
        let folderDescriptor = open(folder, O_RDONLY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
