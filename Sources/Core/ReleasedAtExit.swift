import Synchronization

/// Values a command leaves for the process's exit to release instead of freeing them itself.
///
/// A drift run at scale holds 200,000 changes, the inventory made of them and the findings about them, in millions
/// of small allocations. Freeing them one by one took a tenth of a second of a one-second run, work the exit does
/// at no cost when it hands the whole address space back (compilers skip the same work the same way, e.g. clang's
/// `-disable-free`). Only a command keeps values here, once, just before it finishes: never library code that may
/// run many times in one process, which would then only grow.
public enum ReleasedAtExit {
    private static let kept = Mutex<[any Sendable]>([])

    /// Keeps `value` alive until the process exits.
    public static func keep(_ value: some Sendable) {
        kept.withLock { $0.append(value) }
    }
}
