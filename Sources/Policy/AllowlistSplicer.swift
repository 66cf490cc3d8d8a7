import Core
import Foundation
import Yams

/// The text edits behind `allowlist add|renew|remove`: each one rewrites only the scalars of the edited entry's
/// block (or appends a new block at the end of `entries`), leaving the rest of the file as it was.
enum AllowlistSplicer {
    // MARK: - Add

    /// The register with `entry` appended as the last item of `entries`, indented like the existing entries.
    static func adding(_ entry: AllowlistEntry, to layout: AllowlistLayout) throws -> String {
        var text = layout.text
        let newline = text.newline
        guard let last = layout.blocks.last else {
            return try addingFirst(entry, to: layout)
        }
        let first = layout.syntax.entries[0]
        let keyColumn = first.node.mark?.column ?? (layout.blocks[0].dashColumn + 2)
        let keyOffset = max(1, keyColumn - layout.blocks[0].dashColumn)
        var lines = blockLines(
            for: entry, dashIndent: layout.blocks[0].dashColumn - 1, keyOffset: keyOffset,
            aliasStyle: aliasStyle(in: layout))
        if layout.separatesEntriesWithBlankLines { lines.insert("", at: 0) }
        let insertion = text.endIncludingBreak(ofLine: last.lastLine)
        let prefix = text.hasBreak(line: last.lastLine) ? "" : newline
        text.replace(insertion..<insertion, with: prefix + lines.joined(separator: newline) + newline)
        return text.string
    }

    /// Adding to a register whose `entries` is absent, empty (`[]`) or null.
    private static func addingFirst(_ entry: AllowlistEntry, to layout: AllowlistLayout) throws -> String {
        var text = layout.text
        let newline = text.newline
        guard let field = layout.syntax.entriesField else {
            let lines = ["entries:"] + blockLines(for: entry, dashIndent: 2, keyOffset: 2, aliasStyle: .flow)
            let end = text.scalars.count
            let needsBreak = end > 0 && !text.hasBreak(line: text.lineCount) && !text.text(ofLine: text.lineCount).isEmpty
            text.replace(end..<end, with: (needsBreak ? newline : "") + lines.joined(separator: newline) + newline)
            return text.string
        }
        guard let keyMark = field.key.mark else {
            throw AllowlistEditError.unsupportedLayout(path: layout.path, reason: "'entries' has no position")
        }
        let value = field.value
        let isEmptyFlow: Bool
        if case .sequence(let sequence) = value, sequence.isEmpty, AllowlistLayout.startsWith(value, "[", in: text) {
            isEmptyFlow = true
        } else if value.isNullScalar {
            isEmptyFlow = false
        } else {
            throw AllowlistEditError.unsupportedLayout(path: layout.path, reason: "'entries' is neither a list nor empty")
        }
        // Drop the written `[]`, `~` or `null` (with the spaces before it), so the block list can follow the key.
        if let valueMark = value.mark, valueMark.line == keyMark.line {
            let valueStart = text.offset(line: valueMark.line, column: valueMark.column)
            let valueEnd = isEmptyFlow ? try flowEnd(from: valueStart, in: text, path: layout.path) : plainEnd(of: value, from: valueStart, in: text)
            if let valueEnd, valueEnd > valueStart {
                var start = valueStart
                while start > 0, text.scalars[start - 1] == " " || text.scalars[start - 1] == "\t" { start -= 1 }
                if text.scalars[start - 1] == ":" { text.replace(start..<valueEnd, with: "") }
            }
        }
        let lines = blockLines(for: entry, dashIndent: keyMark.column - 1 + 2, keyOffset: 2, aliasStyle: .flow)
        let insertion = text.endIncludingBreak(ofLine: keyMark.line)
        let prefix = text.hasBreak(line: keyMark.line) ? "" : newline
        text.replace(insertion..<insertion, with: prefix + lines.joined(separator: newline) + newline)
        return text.string
    }

    enum AliasStyle: Equatable {
        /// `aliases: [a, b]`
        case flow
        /// `aliases:` then `- a` lines, `indent` columns deeper than the key.
        case block(indent: Int)
    }

    /// The style the register already uses for aliases (flow when it has none).
    private static func aliasStyle(in layout: AllowlistLayout) -> AliasStyle {
        for entry in layout.syntax.entries {
            guard let field = entry.fields[AllowlistKeys.aliases], case .sequence(let sequence) = field.value,
                let firstItem = sequence.first?.mark, let keyMark = field.key.mark
            else { continue }
            if AllowlistLayout.startsWith(field.value, "[", in: layout.text) { return .flow }
            return .block(indent: max(0, firstItem.column - 2 - keyMark.column))
        }
        return .flow
    }

    /// The text lines of a new entry in schema order, omitting fields that are not set.
    static func blockLines(for entry: AllowlistEntry, dashIndent: Int, keyOffset: Int, aliasStyle: AliasStyle) -> [String] {
        let dash = String(repeating: " ", count: dashIndent) + "-" + String(repeating: " ", count: keyOffset - 1)
        let indent = String(repeating: " ", count: dashIndent + keyOffset)
        var pairs: [(String, String)] = [(AllowlistKeys.id, YAMLScalarWriter.scalar(entry.id))]
        pairs.append((AllowlistKeys.account, YAMLScalarWriter.scalar(entry.account)))
        var aliasLines: [String] = []
        if !entry.aliases.isEmpty {
            switch aliasStyle {
            case .flow:
                pairs.append((AllowlistKeys.aliases, YAMLScalarWriter.flowList(entry.aliases)))
            case .block(let extra):
                pairs.append((AllowlistKeys.aliases, ""))
                let itemIndent = indent + String(repeating: " ", count: extra)
                aliasLines = entry.aliases.map { itemIndent + "- " + YAMLScalarWriter.scalar($0) }
            }
        }
        func add(_ key: String, _ value: String?) {
            if let value { pairs.append((key, YAMLScalarWriter.scalar(value))) }
        }
        add(AllowlistKeys.category, entry.category?.rawValue)
        add(AllowlistKeys.tool, entry.tool)
        add(AllowlistKeys.legalBasis, entry.legalBasis)
        add(AllowlistKeys.owner, entry.owner)
        add(AllowlistKeys.justification, entry.justification)
        add(AllowlistKeys.approvedBy, entry.approvedBy)
        // Days are written plain (`2026-01-15`), as hand-written entries are; they come from `UTCDay`, never from input.
        func addDay(_ key: String, _ day: UTCDay?) {
            if let day { pairs.append((key, day.description)) }
        }
        addDay(AllowlistKeys.approvedOn, entry.approvedOn)
        add(AllowlistKeys.ticket, entry.ticket)
        addDay(AllowlistKeys.lastReviewedOn, entry.lastReviewedOn)
        addDay(AllowlistKeys.expiresOn, entry.expiresOn)
        var lines: [String] = []
        for (index, (key, value)) in pairs.enumerated() {
            let line = (index == 0 ? dash : indent) + key + ":" + (value.isEmpty ? "" : " " + value)
            lines.append(line)
            if key == AllowlistKeys.aliases { lines += aliasLines }
        }
        return lines
    }

    // MARK: - Renew

    /// The register with the entry's `last_reviewed_on` (and, when given, `expires_on`) set; each value is rewritten
    /// in place, or added as a line at the end of the entry when the entry lacks it.
    static func renewing(id: String, reviewedOn: UTCDay, expiresOn: UTCDay?, in layout: AllowlistLayout) throws -> String {
        let (_, block, entry) = try layout.block(forID: id)
        if AllowlistLayout.startsWith(entry.node, "{", in: layout.text) {
            throw AllowlistEditError.unsupportedLayout(
                path: layout.path, reason: "entry \(id) is written as a flow mapping ({…}); renew it by hand")
        }
        guard let keyColumn = entry.node.mark?.column else {
            throw AllowlistEditError.unsupportedLayout(path: layout.path, reason: "entry \(id) has no position")
        }
        var updates: [(key: String, value: String)] = [(AllowlistKeys.lastReviewedOn, reviewedOn.description)]
        if let expiresOn { updates.append((AllowlistKeys.expiresOn, expiresOn.description)) }
        // Work from the end of the file backwards so earlier offsets stay valid.
        var replacements: [(range: Range<Int>, text: String)] = []
        var appended: [String] = []
        for update in updates {
            if let field = entry.fields[update.key] {
                replacements.append(try valueRange(of: field, key: update.key, in: layout, replacingWith: update.value))
            } else {
                appended.append(String(repeating: " ", count: keyColumn - 1) + update.key + ": " + update.value)
            }
        }
        var text = layout.text
        if !appended.isEmpty {
            let insertion = text.endIncludingBreak(ofLine: block.lastLine)
            let prefix = text.hasBreak(line: block.lastLine) ? "" : text.newline
            replacements.append((insertion..<insertion, prefix + appended.joined(separator: text.newline) + text.newline))
        }
        for replacement in replacements.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            text.replace(replacement.range, with: replacement.text)
        }
        return text.string
    }

    /// The scalars to replace so that `field`'s value reads `newValue`.
    private static func valueRange(
        of field: AllowlistSyntax.Field, key: String, in layout: AllowlistLayout, replacingWith newValue: String
    ) throws -> (range: Range<Int>, text: String) {
        let text = layout.text
        guard case .scalar(let scalar) = field.value, let mark = field.value.mark, let keyMark = field.key.mark else {
            throw AllowlistEditError.unsupportedLayout(path: layout.path, reason: "\(key) is not a single value")
        }
        if field.value.isNullScalar, scalar.string.isEmpty {
            // `key:` with nothing after it: the value goes right after the colon.
            let keyStart = text.offset(line: keyMark.line, column: keyMark.column)
            guard let keyEnd = tokenEnd(of: field.key, from: keyStart, in: text) else {
                throw AllowlistEditError.unsupportedLayout(path: layout.path, reason: "cannot locate the key \(key)")
            }
            var colon = keyEnd
            while colon < text.scalars.count, text.scalars[colon] == " " { colon += 1 }
            guard colon < text.scalars.count, text.scalars[colon] == ":" else {
                throw AllowlistEditError.unsupportedLayout(path: layout.path, reason: "cannot locate the colon after \(key)")
            }
            return (colon + 1..<colon + 1, " " + newValue)
        }
        let start = text.offset(line: mark.line, column: mark.column)
        guard let end = tokenEnd(of: field.value, from: start, in: text) else {
            throw AllowlistEditError.unsupportedLayout(
                path: layout.path, reason: "the value of \(key) at line \(mark.line) is not a one-line value; edit it by hand")
        }
        return (start..<end, newValue)
    }

    /// The end of a one-line scalar token starting at `start` (quotes included); nil for block scalars and
    /// plain scalars that span lines.
    static func tokenEnd(of node: Node, from start: Int, in text: RegisterText) -> Int? {
        guard case .scalar(let scalar) = node else { return nil }
        let scalars = text.scalars
        switch scalar.style {
        case .singleQuoted:
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == "'" {
                    if index + 1 < scalars.count, scalars[index + 1] == "'" { index += 2; continue }
                    return index + 1
                }
                index += 1
            }
            return nil
        case .doubleQuoted:
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == "\\" { index += 2; continue }
                if scalars[index] == "\"" { return index + 1 }
                index += 1
            }
            return nil
        case .plain, .any:
            return plainEnd(of: node, from: start, in: text)
        case .literal, .folded:
            return nil
        }
    }

    /// A plain scalar is written exactly as its value when it fits on one line.
    private static func plainEnd(of node: Node, from start: Int, in text: RegisterText) -> Int? {
        guard case .scalar(let scalar) = node else { return nil }
        let value = Array(scalar.string.unicodeScalars)
        let end = start + value.count
        guard end <= text.scalars.count, Array(text.scalars[start..<end]) == value else { return nil }
        return end
    }

    private static func flowEnd(from start: Int, in text: RegisterText, path: String) throws -> Int {
        var index = start + 1
        while index < text.scalars.count, text.scalars[index] == " " { index += 1 }
        guard index < text.scalars.count, text.scalars[index] == "]" else {
            throw AllowlistEditError.unsupportedLayout(path: path, reason: "cannot locate the end of 'entries: []'")
        }
        return index + 1
    }

    // MARK: - Remove

    /// The register without the entry's block (and without the blank line that separated it from its neighbour).
    static func removing(id: String, from layout: AllowlistLayout) throws -> String {
        let (index, block, _) = try layout.block(forID: id)
        let text = layout.text
        var firstLine = block.firstLine
        var lastLine = block.lastLine
        if index > 0 {
            while firstLine - 1 > layout.blocks[index - 1].lastLine, text.isBlank(line: firstLine - 1) { firstLine -= 1 }
        } else if index + 1 < layout.blocks.count {
            while lastLine + 1 < layout.blocks[index + 1].firstLine, text.isBlank(line: lastLine + 1) { lastLine += 1 }
        }
        var edited = text
        let start = text.lineStarts[firstLine - 1]
        var end = text.endIncludingBreak(ofLine: lastLine)
        if end == text.scalars.count, !text.hasBreak(line: lastLine), start > 0 {
            // The removed block was the file's last line without a break: keep the file ending as it did.
            edited.replace(start - breakLength(before: start, in: text)..<end, with: "")
            return edited.string
        }
        end = max(end, start)
        edited.replace(start..<end, with: "")
        return edited.string
    }

    private static func breakLength(before offset: Int, in text: RegisterText) -> Int {
        if offset >= 2, text.scalars[offset - 2] == "\r", text.scalars[offset - 1] == "\n" { return 2 }
        return 1
    }
}
