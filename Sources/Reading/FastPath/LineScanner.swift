import CSupport

/// Splits NDJSON into lines and finds the coverage time key and the prefilter literals in each, in one pass over the
/// bytes (`csupport_scan_lines`). This is the fast path's inner loop: for the usual irrelevant line it costs one
/// vectorised pass plus a few comparisons, and no allocation.
final class LineScanner {
    /// What one scan found: complete lines, and where the next scan starts.
    struct Scan {
        var lines: UnsafeBufferPointer<csupport_line>
        var consumed: Int
    }

    static let maximumNeedles = 64
    let needleCount: Int
    private let needles: UnsafeMutablePointer<csupport_needle>
    private let needleBytes: [UnsafeMutablePointer<UInt8>]
    private let results: UnsafeMutablePointer<csupport_line>
    let capacity = 2048

    /// `needles[0]` is the time key; the rest are prefilter literals (at most 63 are scanned for).
    init(needles: [ByteNeedle]) {
        let used = Array(needles.prefix(LineScanner.maximumNeedles))
        needleCount = used.count
        self.needles = .allocate(capacity: max(used.count, 1))
        needleBytes = used.map { needle in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: needle.count)
            copy.initialize(from: needle.bytes, count: needle.count)
            return copy
        }
        for (index, needle) in used.enumerated() {
            self.needles[index] = csupport_needle(bytes: needleBytes[index], length: needle.count, probes: needle.cProbes)
        }
        results = .allocate(capacity: capacity)
    }

    deinit {
        needles.deallocate()
        for bytes in needleBytes { bytes.deallocate() }
        results.deallocate()
    }

    /// Scans `text` (starting at a line start).
    @inline(__always)
    func scan(_ text: UnsafePointer<UInt8>, length: Int) -> Scan {
        var consumed = 0
        let count = csupport_scan_lines(text, length, needles, needleCount, results, capacity, &consumed)
        return Scan(lines: UnsafeBufferPointer(start: results, count: count), consumed: consumed)
    }
}
