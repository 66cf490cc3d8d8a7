import CSupport
import Foundation

/// What the tool tells the C allocator (glibc's; elsewhere these do nothing): the peak memory of `drift` and
/// `report` at scale is set as much by how freed memory is kept as by what is live.
public enum AllocatorTuning {
    /// Caps the allocator at two arenas, once, before any command runs. glibc gives each thread that allocates its
    /// own arena (up to eight per core); `drift` and `report` read the alerts on a second thread and render report
    /// files one per core, and memory one thread freed stayed in its arena, unusable by the others: 30 to 50 MB of
    /// a report's peak RSS at 200,000 changes, measured with `MALLOC_ARENA_MAX` (which, when the user sets it,
    /// rules instead). Two or three busy threads contend little for two arenas: no difference in wall time measured.
    public static func limitArenas() {
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = csupport_limit_malloc_arenas(2)
    }

    /// Hands the pages of memory freed so far back to the system. glibc keeps freed memory for reuse, so a phase
    /// that frees a month's facts before the next one starts (a report releases what it read and judged before it
    /// writes its files) lowers the process's resident memory only when asked to.
    public static func returnFreedMemory() {
        _ = csupport_release_free_memory()
    }
}
