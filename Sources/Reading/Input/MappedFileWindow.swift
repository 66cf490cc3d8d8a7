import CSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory mapping of one stretch of a regular file, moved along the file as the read advances.
///
/// Reading a page-cached file with read(2) copies every byte from the page cache into the process before the scan
/// even starts; that copy alone cost about as much as `grep`'s whole search. Mapping the pages instead lets the scan
/// read the page cache in place. The stretch is a few MiB, and only one stretch is mapped at a time, so the mapped
/// pages add little to the resident set. Its pages are mapped as the scan first touches them, 16 pages per fault
/// (the kernel's fault-around), not up front with `MAP_POPULATE`: populating holds the process's memory-map lock
/// for the whole stretch, and the other half of a split read (`TailRead`) waited on it each time it moved its own
/// window (two threads scanning the 1 GB bench corpus in C: 0.19–0.30 s with `MAP_POPULATE`, 0.17–0.20 s without).
///
/// A mapping is never made past the file's size as `fstat` reports it just before, so an appended file is read up to
/// what has been written. A file that shrinks *while* a stretch is mapped (truncated, or rewritten in place) takes the
/// pages past its new end away, and touching one raises SIGBUS. There is no way to go on reading bytes that no longer
/// exist, so each live mapping is registered with a SIGBUS handler (`csupport_mapping_guard_add`) that writes a fixed
/// message naming the file and ends the process with `AuditLogReader.fileShrankExitCode`. The database stays
/// consistent: ingest commits in batches, each with its resume checkpoint, and the batch being read is not committed.
/// (A shrink seen between stretches, by `fstat`, is a read failure instead: see `InputBuffer`.)
final class MappedFileWindow {
    private let descriptor: Int32
    /// How the SIGBUS message names the file.
    private let displayName: String
    /// The guard slot of the live mapping, -1 when none.
    private var guardSlot: Int32 = -1
    /// The mapping, and the file offset of its first byte (a multiple of the page size).
    private(set) var base: UnsafePointer<UInt8>?
    private(set) var start = 0
    private(set) var length = 0
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    init(descriptor: Int32, displayName: String) {
        self.descriptor = descriptor
        self.displayName = displayName
    }

    deinit {
        unmap()
    }

    /// The file's current size, nil when `fstat` fails.
    func fileSize() -> Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return Int(status.st_size)
    }

    /// Maps `[offset, offset + length)`, `offset` rounded down to a page; the stretch mapped before is released.
    /// Returns the file offset the mapping starts at.
    func map(from offset: Int, length wanted: Int) throws(StreamFailure) -> Int {
        let alignedStart = offset - offset % Self.pageSize
        let mappedLength = wanted + (offset - alignedStart)
        unmap()
        guard mappedLength > 0 else {
            start = alignedStart
            return alignedStart
        }
        let address = mmap(nil, mappedLength, PROT_READ, MAP_PRIVATE, descriptor, off_t(alignedStart))
        guard let address, address != MAP_FAILED else {
            throw StreamFailure(kind: .readFailed, detail: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        guardSlot = csupport_mapping_guard_add(address, mappedLength, displayName, AuditLogReader.fileShrankExitCode)
        guard guardSlot >= 0 else {
            munmap(address, mappedLength)
            throw StreamFailure(kind: .readFailed, detail: "cannot guard the file's mapping against the file shrinking")
        }
        base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
        start = alignedStart
        length = mappedLength
        return alignedStart
    }

    private func unmap() {
        if guardSlot >= 0 {
            csupport_mapping_guard_remove(guardSlot)
            guardSlot = -1
        }
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), length) }
        base = nil
        length = 0
    }
}
