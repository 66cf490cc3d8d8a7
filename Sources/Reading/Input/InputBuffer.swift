import Foundation

/// A sliding window `[baseOffset, endOffset)` over a (decompressed) byte stream.
///
/// Offsets are absolute stream offsets, so positions survive the window moving. Memory stays bounded: the window
/// holds a read or two (128 KiB each, small enough to stay in the CPU cache while every pass runs over it) plus
/// whatever the current unfinished record needs, and the readers cap a record at `maxLineBytes`.
///
/// A regular file is not read but mapped (`MappedFileWindow`): the window is then a view of the page cache, a few
/// MiB at a time, and moving it costs no copy at all.
final class InputBuffer {
    private(set) var storage: UnsafeMutablePointer<UInt8>
    /// Absolute stream offset of `storage[0]`.
    private(set) var baseOffset = 0
    private(set) var count = 0
    /// True once the stream has no more bytes (or failed).
    private(set) var atEnd = false
    /// Why the stream stopped early, if it did.
    private(set) var failure: StreamFailure?
    let readSize: Int
    private let stream: ByteStream
    /// Read mode: the memory read into, and its size.
    private var ownedStorage: UnsafeMutablePointer<UInt8>?
    private var capacity: Int
    /// Mapped mode: the mapping the window looks into.
    private let mapped: MappedFileWindow?

    /// Where the read stops short of the end of the file (the head of a split read, `TailRead`), if it does.
    private var limit: Int?

    /// Whether the window looks into a mapping of the file (a regular file) rather than read memory.
    var isMapped: Bool { mapped != nil }

    /// Ends the read at `offset`: nothing from there on is in the window now or later. The file must reach `offset`;
    /// a file that shrinks below it fails the read.
    func stop(at offset: Int) {
        limit = offset
        if endOffset > offset { count = max(0, offset - baseOffset) }
        if endOffset >= offset { atEnd = true }
    }

    /// How much of a mapped file one window covers: large enough that mapping calls are rare, small enough that the
    /// mapped pages stay a small part of the resident set.
    static let mappedWindowBytes = 4 << 20

    init(stream: ByteStream, readSize: Int = 128 << 10) {
        self.stream = stream
        self.readSize = readSize
        mapped = (stream as? FileStream)?.mappedWindow()
        // Mapped mode needs no memory of its own; the one byte only gives the empty window somewhere to point.
        capacity = mapped == nil ? readSize * 2 : 1
        let owned = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        ownedStorage = owned
        storage = owned
    }

    deinit {
        ownedStorage?.deallocate()
    }

    var endOffset: Int { baseOffset + count }

    @inline(__always)
    func pointer(at offset: Int) -> UnsafePointer<UInt8> {
        UnsafePointer(storage + (offset - baseOffset))
    }

    func bytes(from start: Int, to end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + (start - baseOffset), count: end - start)
    }

    /// Drops the bytes before `keepFrom` and reads once more. Returns false when nothing was added (the end).
    @discardableResult
    func refill(keepingFrom keepFrom: Int) -> Bool {
        if let mapped { return remap(mapped, keepingFrom: keepFrom) }
        let keep = max(keepFrom, baseOffset)
        let shift = min(keep - baseOffset, count)
        if shift > 0 {
            if shift < count { memmove(storage, storage + shift, count - shift) }
            count -= shift
            baseOffset += shift
        }
        guard !atEnd else { return false }
        // Grow only when a long record leaves less than half a read free: reallocating per read would fault in
        // fresh pages every time, and the window must stay small enough to remain in the CPU cache.
        if capacity - count < readSize / 2 {
            let newCapacity = max(capacity * 2, count + readSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: storage, count: count)
            ownedStorage?.deallocate()
            ownedStorage = grown
            storage = grown
            capacity = newCapacity
        }
        do {
            // One read at a time: reads much larger than the CPU cache cost three times as much in the kernel copy.
            let space = min(capacity - count, readSize)
            let got = try stream.read(into: UnsafeMutableRawBufferPointer(start: storage + count, count: space))
            if got == 0 {
                atEnd = true
                return false
            }
            count += got
            return true
        } catch {
            failure = error
            atEnd = true
            return false
        }
    }

    /// Mapped mode's refill: moves the window to start at `keepFrom` and to reach one window further into the file
    /// (up to its current size), without copying the bytes kept.
    private func remap(_ mapped: MappedFileWindow, keepingFrom keepFrom: Int) -> Bool {
        let keep = min(max(keepFrom, baseOffset), endOffset)
        if keep > baseOffset {
            storage += keep - baseOffset
            count -= keep - baseOffset
            baseOffset = keep
        }
        guard !atEnd else { return false }
        guard let size = mapped.fileSize() else {
            failure = StreamFailure(kind: .readFailed, detail: String(cString: strerror(errno)))
            atEnd = true
            return false
        }
        let end = endOffset
        if size < max(end, limit ?? 0) {
            // The file shrank under the read (truncated or rewritten in place): the bytes read may be gone already.
            failure = StreamFailure(
                kind: .readFailed,
                detail: "the file shrank from at least \(max(end, limit ?? 0)) to \(size) bytes while it was being read")
            atEnd = true
            return false
        }
        let readEnd = min(size, limit ?? size)
        guard readEnd > end else {
            atEnd = true
            return false
        }
        // Always a whole window past what is kept, so a long record still makes progress.
        let newEnd = min(readEnd, end + Self.mappedWindowBytes)
        do {
            let mappedStart = try mapped.map(from: keep, length: newEnd - keep)
            guard let base = mapped.base else { return false }
            storage = UnsafeMutablePointer(mutating: base + (keep - mappedStart))
            baseOffset = keep
            count = newEnd - keep
            return true
        } catch {
            failure = error
            atEnd = true
            return false
        }
    }

    /// Reads until at least `minimum` bytes are in the window or the stream ends.
    func fill(atLeast minimum: Int) {
        while count < minimum, !atEnd {
            refill(keepingFrom: baseOffset)
        }
    }

    /// Empties the window and places it at `offset` (after the stream was repositioned there).
    func reset(at offset: Int) {
        baseOffset = offset
        count = 0
    }
}
