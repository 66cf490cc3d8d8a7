import Yams

/// Where each entry's text block sits, so one entry can be replaced, rewritten or removed while every other
/// scalar of the file (other entries, comments, blank lines, indentation) stays as it was.
///
/// An entry's block is its `-` line, every following line indented deeper than the `-` (blank lines inside
/// included, trailing blank lines not), and the comment lines directly above the `-` at its indentation (for every
/// entry but the first, whose preceding comments describe the list).
struct AllowlistLayout {
    struct Block {
        /// The first line (a leading comment, or the `-` line).
        var firstLine: Int
        var dashLine: Int
        /// 1-based column of the `-`.
        var dashColumn: Int
        var lastLine: Int
    }

    let text: RegisterText
    let syntax: AllowlistSyntax
    let path: String
    /// One block per item of `entries`, in order.
    let blocks: [Block]

    init(text: RegisterText, syntax: AllowlistSyntax, path: String) throws {
        self.text = text
        self.syntax = syntax
        self.path = path
        var blocks: [Block] = []
        if let entries = syntax.entriesField?.value, case .sequence(let sequence) = entries, !sequence.isEmpty {
            if Self.startsWith(entries, "[", in: text) {
                throw AllowlistEditError.unsupportedLayout(
                    path: path, reason: "'entries' is written as a flow list ([…]); write it as a block list ('- id: …' lines)")
            }
            var previousLast = syntax.entriesField.flatMap { $0.key.mark?.line } ?? 0
            for (index, item) in sequence.enumerated() {
                let nextMarkLine = index + 1 < sequence.count ? sequence[index + 1].mark?.line : nil
                let block = try Self.block(
                    of: item, isFirst: index == 0, after: previousLast, nextItemLine: nextMarkLine, text: text, path: path)
                blocks.append(block)
                previousLast = block.lastLine
            }
        }
        self.blocks = blocks
    }

    /// Whether the node's text begins with `character` (flow collections begin with `[` or `{`).
    static func startsWith(_ node: Node, _ character: Unicode.Scalar, in text: RegisterText) -> Bool {
        guard let mark = node.mark else { return false }
        let offset = text.offset(line: mark.line, column: mark.column)
        return offset < text.scalars.count && text.scalars[offset] == character
    }

    private static func block(
        of item: Node, isFirst: Bool, after previousLast: Int, nextItemLine: Int?, text: RegisterText, path: String
    ) throws -> Block {
        guard let mark = item.mark else {
            throw AllowlistEditError.unsupportedLayout(path: path, reason: "an entry has no position")
        }
        // The `-` is either before the item on its line, or alone (perhaps with a comment) on an earlier line.
        var dashLine = mark.line
        var dashColumn: Int?
        while dashLine > previousLast {
            if let column = text.firstContentColumn(ofLine: dashLine),
                text.scalars[text.offset(line: dashLine, column: column)] == "-",
                dashLine < mark.line || column < mark.column
            {
                dashColumn = column
                break
            }
            guard dashLine == mark.line || text.isBlank(line: dashLine) || text.isComment(line: dashLine) else { break }
            dashLine -= 1
        }
        guard let dashColumn else {
            throw AllowlistEditError.unsupportedLayout(
                path: path, reason: "cannot find the '-' that starts the entry at line \(mark.line)")
        }
        // Every line the entry's own nodes sit on belongs to it, whatever its indentation.
        let lastNodeLine = Self.lastMarkLine(in: item)
        var lastLine = dashLine
        var line = dashLine + 1
        while line <= text.lineCount {
            if let nextItemLine, line >= nextItemLine { break }
            if let column = text.firstContentColumn(ofLine: line) {
                if column > dashColumn || line <= lastNodeLine {
                    lastLine = line
                } else {
                    break
                }
            }
            line += 1
        }
        // Stop before the next entry's own `-` line when it precedes its first key.
        if let nextItemLine {
            while lastLine >= nextItemLine { lastLine -= 1 }
        }
        var firstLine = dashLine
        if !isFirst {
            while firstLine - 1 > previousLast, text.isComment(line: firstLine - 1),
                text.firstContentColumn(ofLine: firstLine - 1) == dashColumn
            {
                firstLine -= 1
            }
        }
        return Block(firstLine: firstLine, dashLine: dashLine, dashColumn: dashColumn, lastLine: max(lastLine, dashLine))
    }

    private static func lastMarkLine(in node: Node) -> Int {
        var line = node.mark?.line ?? 0
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping { line = max(line, lastMarkLine(in: key), lastMarkLine(in: value)) }
        case .sequence(let sequence):
            for item in sequence { line = max(line, lastMarkLine(in: item)) }
        case .scalar, .alias:
            break
        }
        return line
    }

    /// The block of the entry with `id`, with its index among the entries.
    func block(forID id: String) throws -> (index: Int, block: Block, entry: AllowlistSyntax.Entry) {
        let key = AllowlistIDs.key(id)
        guard let index = syntax.entries.firstIndex(where: { $0.id.map(AllowlistIDs.key) == key }) else {
            throw AllowlistEditError.entryNotFound(id: id, path: path, closest: AllowlistIDs.closest(to: id, among: syntax.entries.compactMap(\.id)))
        }
        return (index, blocks[index], syntax.entries[index])
    }

    /// Whether consecutive entries are separated by a blank line (the style a new entry follows).
    var separatesEntriesWithBlankLines: Bool {
        guard blocks.count >= 2 else { return false }
        let gap = (blocks[0].lastLine + 1)..<blocks[1].firstLine
        return gap.contains { text.isBlank(line: $0) }
    }
}
