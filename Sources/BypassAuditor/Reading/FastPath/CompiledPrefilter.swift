import CSupport

/// `LinePrefilter` turned into byte searches over the read window: a record is parsed when, for some group, every
/// literal occurs in its raw bytes.
///
/// Literals are searched as bytes, so each is reduced to the longest run of characters that every JSON or CSV writer
/// leaves as it is (printable ASCII except `"` `\` `/` `<` `>` `'` `&` `+` `` ` ``, which some writers escape as
/// `\uXXXX`). That run must occur wherever the literal's value does, so no relevant record is skipped; a literal with
/// no such run cannot be searched and stops constraining its group.
///
/// Each group is first checked by its longest literal (its anchor), searched across the whole window with memmem and
/// remembered, so a window with no hit costs one memmem pass per distinct anchor rather than one call per line.
struct CompiledPrefilter {
    let matchesEverything: Bool
    private let needles: [[UInt8]]
    /// Needle indexes per group, the anchor first.
    private let groups: [[Int]]
    /// Per needle: the offset of its next known occurrence (-1: none known).
    private var nextHit: [Int]
    /// Per needle: the offset up to which the window was searched.
    private var searchedTo: [Int]

    init(_ prefilter: LinePrefilter) {
        var needles: [[UInt8]] = []
        var groups: [[Int]] = []
        var everything = prefilter.matchesEverything
        for literals in prefilter.literalGroups {
            let searchable = Set(literals.compactMap(CompiledPrefilter.searchableBytes(of:)))
            if searchable.isEmpty {
                everything = true
                continue
            }
            let ordered = searchable.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
            groups.append(
                ordered.map { needle in
                    if let existing = needles.firstIndex(of: needle) { return existing }
                    needles.append(needle)
                    return needles.count - 1
                })
        }
        self.needles = needles
        self.groups = groups
        matchesEverything = everything
        nextHit = Array(repeating: -1, count: needles.count)
        searchedTo = Array(repeating: -1, count: needles.count)
    }

    /// The bytes searched for `literal`: its longest run of characters no writer escapes.
    static func searchableBytes(of literal: String) -> [UInt8]? {
        var best: [UInt8] = []
        var current: [UInt8] = []
        for byte in literal.utf8 {
            if isVerbatim(byte) {
                current.append(byte)
            } else {
                if current.count > best.count { best = current }
                current.removeAll(keepingCapacity: true)
            }
        }
        if current.count > best.count { best = current }
        return best.isEmpty ? nil : best
    }

    private static func isVerbatim(_ byte: UInt8) -> Bool {
        guard byte >= 0x20, byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "'"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: "`"):
            return false
        default:
            return true
        }
    }

    /// Whether the record `[start, end)` (inside the window) contains every literal of some group.
    @inline(__always)
    mutating func matches(start: Int, end: Int, in buffer: InputBuffer) -> Bool {
        if matchesEverything { return true }
        for group in groups where anchorOccurs(group[0], start: start, end: end, buffer: buffer) {
            var all = true
            for needle in group.dropFirst() where !occurs(needle, start: start, end: end, buffer: buffer) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }

    /// Whether the anchor occurs in `[start, end)`, searching ahead to the end of the window and remembering the hit.
    @inline(__always)
    private mutating func anchorOccurs(_ needle: Int, start: Int, end: Int, buffer: InputBuffer) -> Bool {
        let length = needles[needle].count
        let known = nextHit[needle]
        if known >= start { return known + length <= end }
        if known < 0, searchedTo[needle] >= end { return false }
        let from = max(start, known < 0 ? searchedTo[needle] - length + 1 : start)
        let windowEnd = buffer.endOffset
        guard from < windowEnd else { return false }
        let hit = needles[needle].withUnsafeBytes { pattern in
            csupport_memmem(buffer.pointer(at: from), windowEnd - from, pattern.baseAddress, length)
        }
        if let hit {
            let offset = from + UnsafeRawPointer(buffer.pointer(at: from)).distance(to: hit)
            nextHit[needle] = offset
            searchedTo[needle] = offset
            return offset + length <= end
        }
        nextHit[needle] = -1
        searchedTo[needle] = windowEnd
        return false
    }

    private func occurs(_ needle: Int, start: Int, end: Int, buffer: InputBuffer) -> Bool {
        let length = needles[needle].count
        guard end - start >= length else { return false }
        return needles[needle].withUnsafeBytes { pattern in
            csupport_memmem(buffer.pointer(at: start), end - start, pattern.baseAddress, length) != nil
        }
    }

    /// Whether the bytes (outside the window) contain every literal of some group.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if matchesEverything { return true }
        return groups.contains { group in
            group.allSatisfy { needle in
                needles[needle].withUnsafeBytes { pattern in
                    bytes.count >= pattern.count
                        && csupport_memmem(bytes.baseAddress, bytes.count, pattern.baseAddress, pattern.count) != nil
                }
            }
        }
    }
}
