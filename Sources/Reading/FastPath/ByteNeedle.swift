import CSupport

/// A byte string to search for, prepared once: the search tests two of its rarest bytes across 32 positions at a
/// time (see `csupport_find`), which runs several times faster than glibc's memmem on log text.
struct ByteNeedle: Sendable, Hashable {
    let bytes: [UInt8]
    private let probes: (first: Int, second: Int)

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let chosen = bytes.count >= 2 ? bytes.withUnsafeBufferPointer { csupport_choose_probes($0.baseAddress, $0.count) } : csupport_probes()
        probes = (Int(chosen.first_probe), Int(chosen.second_probe))
    }

    init(_ text: String) {
        self.init(Array(text.utf8))
    }

    var count: Int { bytes.count }

    var cProbes: csupport_probes { csupport_probes(first_probe: probes.first, second_probe: probes.second) }

    /// The offset of the first occurrence in `[start, start + length)`, or nil.
    @inline(__always)
    func firstOffset(in base: UnsafePointer<UInt8>, length: Int) -> Int? {
        guard length >= bytes.count else { return nil }
        let probes = cProbes
        let hit = bytes.withUnsafeBufferPointer { needle in
            csupport_find(base, length, needle.baseAddress, needle.count, probes)
        }
        return hit.map { base.distance(to: $0) }
    }

    func occurs(in buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return bytes.isEmpty }
        return firstOffset(in: base.assumingMemoryBound(to: UInt8.self), length: buffer.count) != nil
    }

    static func == (lhs: ByteNeedle, rhs: ByteNeedle) -> Bool { lhs.bytes == rhs.bytes }
    func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
