import Foundation

/// A sliding window `[baseOffset, endOffset)` over a (decompressed) byte stream.
///
/// Offsets are absolute stream offsets, so positions survive the window moving. Memory stays bounded: the window
/// holds a read or two (128 KiB each, small enough to stay in the CPU cache while every pass runs over it) plus
/// whatever the current unfinished record needs, and the readers cap a record at `maxLineBytes`.
final class InputBuffer {
    private(set) var storage: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Absolute stream offset of `storage[0]`.
    private(set) var baseOffset = 0
    private(set) var count = 0
    /// True once the stream has no more bytes (or failed).
    private(set) var atEnd = false
    /// Why the stream stopped early, if it did.
    private(set) var failure: StreamFailure?
    let readSize: Int
    private let stream: ByteStream

    init(stream: ByteStream, readSize: Int = 128 << 10) {
        self.stream = stream
        self.readSize = readSize
        capacity = readSize * 2
        storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
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
            storage.deallocate()
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
