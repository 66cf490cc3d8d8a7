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
/// NDJSON lines come flagged by the fused line scan instead, and a flagged line is checked against each group's gates
/// (short runs several groups' literals share) before the group's own literals.
struct CompiledPrefilter {
    let matchesEverything: Bool
    private let needles: [ByteNeedle]
    /// Needle indexes per group, the anchor first.
    private let groups: [[Int]]
    /// What the line scan (`LineScanner`) looks for after the time key: a few needles such that every group holds a
    /// literal containing one of them, plus the `\u` marker. A line with none of them cannot match any group; a line
    /// with one is checked against the groups (`matches(flaggedLine:)`). The cover is what makes the common line cheap:
    /// the scan's cost grows with the number of needles, and rules share their cmdlet names and verbs.
    let coverNeedles: [ByteNeedle]
    /// Per group, what a flagged line is searched for: its gates (`gates(groups:excluding:)`), then its needles.
    private let lineChecks: [[Int]]
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
        let cover = Self.cover(groups: groups.map { $0.map { needles[$0] } })
        let gates = Self.gates(groups: groups.map { $0.map { needles[$0] } }, excluding: cover)
        var gateIndexes: [Int] = []
        for gate in gates {
            if let existing = needles.firstIndex(of: gate) {
                gateIndexes.append(existing)
            } else {
                needles.append(gate)
                gateIndexes.append(needles.count - 1)
            }
        }
        lineChecks = groups.map { group in
            let own = gateIndexes.filter { gate in group.contains { Self.contains(needles[$0].bytes, needles[gate].bytes) } }
            return own + group.filter { !own.contains($0) }
        }
        self.needles = needles
        self.groups = groups
        matchesEverything = everything
        coverNeedles = cover + [JSONEscapeDecoding.unicodeEscapeMarker]
        nextHit = Array(repeating: -1, count: needles.count)
        searchedTo = Array(repeating: -1, count: needles.count)
    }

    /// A small set of needles such that every group holds a literal that contains one of them, chosen greedily: the
    /// needle that covers the most groups not yet covered, the longer (rarer) one on a tie. Besides the literals
    /// themselves, a cmdlet's verb with its hyphen (`Set-` of `Set-Mailbox`) is a candidate: rules about one kind of
    /// change name several cmdlets of the same verb, and one needle for all of them scans faster than one per cmdlet
    /// while flagging few more lines (cmdlet records are a small part of an audit log).
    static func cover(groups: [[ByteNeedle]]) -> [ByteNeedle] {
        var candidates: [ByteNeedle] = []
        for literal in groups.joined() {
            for candidate in [literal, cmdletVerb(of: literal)].compactMap({ $0 }) where !candidates.contains(candidate) {
                candidates.append(candidate)
            }
        }
        var uncovered = groups.filter { !$0.isEmpty }
        var chosen: [ByteNeedle] = []
        while !uncovered.isEmpty {
            func covers(_ candidate: ByteNeedle, _ group: [ByteNeedle]) -> Bool {
                group.contains { contains($0.bytes, candidate.bytes) }
            }
            var best = candidates[0]
            var bestCount = -1
            for candidate in candidates {
                let count = uncovered.filter { covers(candidate, $0) }.count
                if count > bestCount || (count == bestCount && candidate.count > best.count) {
                    best = candidate
                    bestCount = count
                }
            }
            chosen.append(best)
            uncovered.removeAll { covers(best, $0) }
        }
        return chosen
    }

    /// Whether `needle` occurs in `haystack` (for choosing needles, not for scanning records).
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// How long a gate is: long enough to be rare in log text, short enough to be shared by several literals.
    static let gateLengths = 4...8

    /// Short runs shared by literals of several groups, chosen greedily like the cover (most groups first, the longer
    /// run on a tie): `Audit`, which `AuditOwner`, `AuditDelegate`, `AuditEnabled`, `UnifiedAuditLogIngestionEnabled`
    /// and `Set-MailboxAuditBypassAssociation` all hold. A flagged line is searched for a group's gates before its
    /// literals, and a gate that is absent fails every group holding it at once: the usual flagged line (a
    /// `Set-Mailbox` that changes a quota or a forwarding address) then costs one search instead of one per distinct
    /// literal. Runs inside a cover needle are not gates: the line was flagged because it holds one. Only runs that
    /// two or more groups share are taken; a group's own literals already do the rest.
    static func gates(groups: [[ByteNeedle]], excluding cover: [ByteNeedle]) -> [ByteNeedle] {
        var holders: [[UInt8]: Set<Int>] = [:]
        for (index, group) in groups.enumerated() {
            for literal in group {
                let bytes = literal.bytes
                for length in gateLengths where length <= bytes.count {
                    for start in 0...(bytes.count - length) {
                        holders[Array(bytes[start..<(start + length)]), default: []].insert(index)
                    }
                }
            }
        }
        holders = holders.filter { run, groups in groups.count >= 2 && !cover.contains { contains($0.bytes, run) } }
        var uncovered = Set(groups.indices)
        var chosen: [ByteNeedle] = []
        while true {
            var best: (run: [UInt8], count: Int)?
            for (run, holding) in holders {
                let count = holding.intersection(uncovered).count
                guard count >= 2 else { continue }
                if let current = best {
                    if count < current.count { continue }
                    if count == current.count {
                        if run.count < current.run.count { continue }
                        if run.count == current.run.count, !run.lexicographicallyPrecedes(current.run) { continue }
                    }
                }
                best = (run, count)
            }
            guard let best else { return chosen }
            chosen.append(ByteNeedle(best.run))
            uncovered.subtract(holders[best.run] ?? [])
        }
    }

    /// `Set-` for `Set-Mailbox`: a leading capitalised word of at least three letters and its hyphen, or nil.
    private static func cmdletVerb(of literal: ByteNeedle) -> ByteNeedle? {
        let bytes = literal.bytes
        guard let hyphen = bytes.firstIndex(of: UInt8(ascii: "-")), hyphen >= 3, hyphen + 1 < bytes.count,
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[0]),
            bytes[1..<hyphen].allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else { return nil }
        return ByteNeedle(Array(bytes[...hyphen]))
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

    /// Whether a line holds every literal of some group, given whether the line scan found a cover needle in it
    /// (`flagged`) and the `\u` marker (`mayHoldEscapes`): a line it did not flag cannot match, so only flagged lines
    /// are searched, each on its own bytes (a line is small and already in the CPU cache), and only a line with the
    /// marker is searched again with its escapes undone.
    @inline(__always)
    func matches(flagged: Bool, mayHoldEscapes: Bool, line: UnsafeRawBufferPointer) -> Bool {
        if matchesEverything { return true }
        guard flagged else { return false }
        if matchesAsWritten(line) { return true }
        return mayHoldEscapes && JSONEscapeDecoding.unicodeEscapeMarker.occurs(in: line) && decodedMatches(line)
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

    /// Whether the bytes contain every literal of some group, as written or with their JSON escapes undone.
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if matchesEverything || matchesAsWritten(bytes) { return true }
        return JSONEscapeDecoding.unicodeEscapeMarker.occurs(in: bytes) && decodedMatches(bytes)
    }

    /// Each distinct needle is searched at most once per line: groups share literals (one rule's `AuditOwner` with
    /// `Remove`, with `remove`, and on its own) and gates, and searching a long flagged line again for each group that
    /// names the literal was a fifth of an ingest's time.
    private func matchesAsWritten(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var searched: UInt64 = 0
        var present: UInt64 = 0
        for group in lineChecks {
            var all = true
            for needle in group {
                let occurs: Bool
                if needle < 64 {
                    let bit: UInt64 = 1 << UInt64(needle)
                    if searched & bit != 0 {
                        occurs = present & bit != 0
                    } else {
                        occurs = needles[needle].occurs(in: bytes)
                        searched |= bit
                        if occurs { present |= bit }
                    }
                } else {
                    occurs = needles[needle].occurs(in: bytes)
                }
                if !occurs {
                    all = false
                    break
                }
            }
            if all { return true }
        }
        return false
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
