import Foundation

/// One copy of each distinct text a long read meets, handed back in place of a new copy.
///
/// A month of changes and alerts (200,000 of each at scale) names the same few thousand accounts and actors again
/// and again: kept per row, each name was its own allocation, 20 MB of one drift run's peak memory. Texts are looked
/// up by their stored bytes (`shared(stored:decode:)`), so a text already held costs no `String` at all. The table
/// is keyed by Swift's seeded `Hasher`, so names an attacker chose cannot be made to collide. Hand-written because
/// `Set<String>` can only be asked with a `String`, which is what the lookup avoids making.
struct RepeatedText {
    /// Each distinct text's stored bytes, and (at the same position) the text they stand for. Two lists rather than
    /// one of pairs: a lookup reads the bytes in place, without copying out (and counting references to) a pair.
    private var storedBytes: [[UInt8]] = []
    private var texts: [String] = []
    /// Open addressing over `texts` (and `storedBytes`): an index, or -1 for an empty slot. Its count is a power of two.
    private var slots = [Int](repeating: -1, count: 64)

    /// `text`, as the copy kept from an earlier row when one is equal (sharing its storage).
    mutating func shared(_ text: String) -> String {
        guard text.utf8.count > Self.inlineCapacity else { return text }
        var text = text
        return text.withUTF8 { bytes in shared(storedText: UnsafeRawBufferPointer(bytes)) { $0 } }
    }

    /// `shared`, for a column that may hold NULL.
    mutating func shared(_ text: String?) -> String? {
        text.map { shared($0) }
    }

    /// The text the column bytes `stored` stand for: `decode` of them as text, made only the first time these bytes
    /// are met; nil for NULL.
    mutating func shared(stored: UnsafeRawBufferPointer?, decode: (String) -> String) -> String? {
        guard let stored else { return nil }
        return shared(storedText: stored, decode: decode)
    }

    /// `shared(stored:decode:)` of bytes that are there.
    mutating func shared(storedText stored: UnsafeRawBufferPointer, decode: (String) -> String) -> String {
        // Texts short enough to live inside the `String` value itself (15 UTF-8 bytes) allocate nothing.
        guard stored.count > Self.inlineCapacity else { return decode(String(decoding: stored, as: UTF8.self)) }
        var hasher = Hasher()
        hasher.combine(bytes: stored)
        let mask = slots.count - 1
        var slot = hasher.finalize() & mask
        while slots[slot] >= 0 {
            let index = slots[slot]
            if storedBytes[index].hasBytes(of: stored) { return texts[index] }
            slot = (slot + 1) & mask
        }
        let text = decode(String(decoding: stored, as: UTF8.self))
        slots[slot] = texts.count
        storedBytes.append(Array(stored))
        texts.append(text)
        if texts.count * 2 > slots.count { grow() }
        return text
    }

    /// Doubles the slots and places every entry again (kept at most half full).
    private mutating func grow() {
        slots = [Int](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, bytes) in storedBytes.enumerated() {
            var hasher = Hasher()
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
            var slot = hasher.finalize() & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = index
        }
    }

    /// The longest UTF-8 text Swift stores inside the `String` value on 64-bit platforms.
    private static let inlineCapacity = 15
}

extension [UInt8] {
    /// Whether these are exactly the bytes `other` holds, compared with `memcmp`: `elementsEqual` went through the
    /// collection protocols byte by byte, 2 % of a drift run at scale.
    func hasBytes(of other: UnsafeRawBufferPointer) -> Bool {
        guard count == other.count else { return false }
        guard count > 0, let otherStart = other.baseAddress else { return true }
        return withUnsafeBytes { memcmp($0.baseAddress!, otherStart, count) == 0 }
    }
}
