/// `LinePrefilter` turned into byte searches over the read window: a record is parsed when, for some group, every
/// literal occurs in its raw bytes.
///
/// Literals are searched as bytes, so each is reduced to the longest run of characters that every JSON or CSV writer
/// leaves as it is (printable ASCII except `"` `\` `/` `<` `>` `'` `&` `+` `` ` ``, which some writers escape as
/// `\uXXXX`). That run must occur wherever the literal's value does, so no relevant record is skipped; a literal with
/// no such run cannot be searched and stops constraining its group.
///
/// A writer may also escape any character at all (`\u0041` is `A`), so a record that holds a `\uXXXX` escape and
/// matches no group as written is checked again with its escapes undone (`JSONEscapeDecoding`): spelling a literal
/// through escapes never walks around the prefilter.
///
/// Each group is first checked by its longest literal (its anchor), searched across the whole window and
/// remembered, so a window with no hit costs one search pass per distinct anchor rather than one call per line.
struct CompiledPrefilter {
    let matchesEverything: Bool
    private let needles: [ByteNeedle]
    /// Needle indexes per group, the anchor first.
    private let groups: [[Int]]
    /// The literals `LineScanner` looks for after the time key, and each needle's bit in its results (-1: not scanned).
    /// The last is always the `\u` escape marker.
    let scanNeedles: [ByteNeedle]
    private let scanBit: [Int]
    /// The `LineScanner` result bit of the `\u` escape marker.
    private let escapeMask: UInt64
    /// What the first, whole-input line scan looks for after the time key: a few literals such that every group
    /// contains one of them (or a literal containing one), plus the `\u` marker. A line with none of them cannot match
    /// any group; a line with one is scanned again for every literal (`scanNeedles`). The cover is what makes the
    /// common line cheap: its cost grows with the number of needles scanned, and rules share their cmdlet names.
    let coverNeedles: [ByteNeedle]
    /// Whether `coverNeedles` differs from `scanNeedles`, so a flagged line needs the second scan.
    let needsDetailScan: Bool
    /// Groups whose literals are all scanned for, as bit masks over `LineScanner` results.
    private let scannedGroupMasks: [UInt64]
    /// Groups with a literal beyond what `LineScanner` takes (more than 63 distinct literals).
    private let partlyScannedGroups: [Int]
    /// Per needle: the offset of its next known occurrence (-1: none known).
    private var nextHit: [Int]
    /// Per needle: the offset up to which the window was searched.
    private var searchedTo: [Int]

    init(_ prefilter: LinePrefilter) {
        var needles: [ByteNeedle] = []
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
                ordered.map { bytes in
                    let needle = ByteNeedle(bytes)
                    if let existing = needles.firstIndex(of: needle) { return existing }
                    needles.append(needle)
                    return needles.count - 1
                })
        }
        self.needles = needles
        self.groups = groups
        matchesEverything = everything
        // For the fused line scan: anchors first, so they are always among the literals it can take.
        var order: [Int] = []
        for group in groups where !order.contains(group[0]) { order.append(group[0]) }
        for group in groups { for needle in group.dropFirst() where !order.contains(needle) { order.append(needle) } }
        let scanned = order.prefix(LineScanner.maximumNeedles - 2)
        scanNeedles = scanned.map { needles[$0] } + [JSONEscapeDecoding.unicodeEscapeMarker]
        escapeMask = 1 << UInt64(scanned.count + 1)
        var bits = Array(repeating: -1, count: needles.count)
        for (position, needle) in scanned.enumerated() { bits[needle] = position + 1 }
        scanBit = bits
        var masks: [UInt64] = []
        var partial: [Int] = []
        for (index, group) in groups.enumerated() {
            if group.allSatisfy({ bits[$0] >= 0 }) {
                masks.append(group.reduce(0) { $0 | (1 << UInt64(bits[$1])) })
            } else {
                partial.append(index)
            }
        }
        scannedGroupMasks = masks
        partlyScannedGroups = partial
        let cover = Self.cover(groups: groups.map { $0.map { needles[$0] } })
        if cover.count < scanNeedles.count - 1 {
            coverNeedles = cover + [JSONEscapeDecoding.unicodeEscapeMarker]
            needsDetailScan = true
        } else {
            coverNeedles = scanNeedles
            needsDetailScan = false
        }
        nextHit = Array(repeating: -1, count: needles.count)
        searchedTo = Array(repeating: -1, count: needles.count)
    }

    /// A small set of needles such that every group holds a literal that contains one of them: each group not yet
    /// covered adds its anchor (its longest literal, the rarest by length), then any needle that contains another
    /// is dropped (a line holding the longer one holds the shorter).
    static func cover(groups: [[ByteNeedle]]) -> [ByteNeedle] {
        func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
            guard needle.count <= haystack.count else { return false }
            return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        var chosen: [ByteNeedle] = []
        for group in groups where !group.isEmpty {
            if group.contains(where: { literal in chosen.contains { contains(literal.bytes, $0.bytes) } }) { continue }
            chosen.append(group[0])
        }
        return chosen.filter { candidate in
            !chosen.contains { other in other != candidate && contains(candidate.bytes, other.bytes) }
        }
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
        return escapedMatches(start: start, end: end, in: buffer)
    }

    /// Whether the line `[start, end)` holds every literal of some group, given which literals `LineScanner` found
    /// in it (`found` bit n: `scanNeedles[n - 1]`).
    @inline(__always)
    func matches(found: UInt64, start: Int, end: Int, in buffer: InputBuffer) -> Bool {
        if matchesEverything { return true }
        for mask in scannedGroupMasks where found & mask == mask { return true }
        for index in partlyScannedGroups {
            var all = true
            for needle in groups[index] {
                let bit = scanBit[needle]
                let present = bit >= 0 ? (found >> UInt64(bit)) & 1 == 1 : occurs(needle, start: start, end: end, buffer: buffer)
                if !present {
                    all = false
                    break
                }
            }
            if all { return true }
        }
        return found & escapeMask != 0 && decodedMatches(UnsafeRawBufferPointer(start: buffer.pointer(at: start), count: end - start))
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
        if let found = needles[needle].firstOffset(in: buffer.pointer(at: from), length: windowEnd - from) {
            let offset = from + found
            nextHit[needle] = offset
            searchedTo[needle] = offset
            return offset + length <= end
        }
        nextHit[needle] = -1
        searchedTo[needle] = windowEnd
        return false
    }

    private func occurs(_ needle: Int, start: Int, end: Int, buffer: InputBuffer) -> Bool {
        needles[needle].firstOffset(in: buffer.pointer(at: start), length: end - start) != nil
    }

    /// Whether the bytes (outside the window) contain every literal of some group, as written or with their JSON
    /// escapes undone.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if matchesEverything || matchesAsWritten(bytes) { return true }
        return JSONEscapeDecoding.unicodeEscapeMarker.occurs(in: bytes) && decodedMatches(bytes)
    }

    private func matchesAsWritten(_ bytes: UnsafeRawBufferPointer) -> Bool {
        groups.contains { group in group.allSatisfy { needles[$0].occurs(in: bytes) } }
    }

    /// For a record that matched no group as written: whether it has a `\u` escape and matches once escapes are undone.
    private func escapedMatches(start: Int, end: Int, in buffer: InputBuffer) -> Bool {
        let bytes = UnsafeRawBufferPointer(start: buffer.pointer(at: start), count: end - start)
        return JSONEscapeDecoding.unicodeEscapeMarker.occurs(in: bytes) && decodedMatches(bytes)
    }

    private func decodedMatches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        JSONEscapeDecoding.decoded(bytes).withUnsafeBytes { matchesAsWritten($0) }
    }
}
