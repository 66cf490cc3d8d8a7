/// The difference between two texts as one unified-diff hunk (`diff -u` / `git diff` form), for `--dry-run`.
///
/// An edit made by the tool changes one region of the register (the spliced entry), so the lines before the first
/// difference and after the last one are context and everything between is one hunk.
enum UnifiedDiff {
    static func make(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        let limit = min(a.count, b.count)
        var prefix = 0
        while prefix < limit, a[prefix].utf8.elementsEqual(b[prefix].utf8) { prefix += 1 }
        var suffix = 0
        while suffix < limit - prefix, a[a.count - 1 - suffix].utf8.elementsEqual(b[b.count - 1 - suffix].utf8) {
            suffix += 1
        }
        if prefix == a.count, prefix == b.count { return "" }
        let start = max(0, prefix - context)
        let aEnd = min(a.count, a.count - suffix + context)
        let bEnd = min(b.count, b.count - suffix + context)
        var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
        out += "@@ -\(range(start, aEnd - start)) +\(range(start, bEnd - start)) @@\n"
        for line in a[start..<prefix] { out += " " + terminated(line) }
        for line in a[prefix..<(a.count - suffix)] { out += "-" + terminated(line) }
        for line in b[prefix..<(b.count - suffix)] { out += "+" + terminated(line) }
        for line in a[(a.count - suffix)..<aEnd] { out += " " + terminated(line) }
        return out
    }

    /// Lines with their terminators (a last line without one stays without). Split on LF bytes: CR LF lines keep
    /// their CR, and no grapheme breaking runs over a large register.
    private static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == UInt8(ascii: "\n") {
                result.append(text[start..<next])
                start = next
            }
            index = next
        }
        if start < utf8.endIndex { result.append(text[start...]) }
        return result
    }

    private static func terminated(_ line: Substring) -> String {
        line.utf8.last == UInt8(ascii: "\n") ? String(line) : line + "\n\\ No newline at end of file\n"
    }

    /// `start,count` as the hunk header writes it (1-based; an empty range names the line before it).
    private static func range(_ start: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(start),0"
        case 1: "\(start + 1)"
        default: "\(start + 1),\(count)"
        }
    }
}
