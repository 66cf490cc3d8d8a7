import Foundation

/// One problem with the entry an `add` asked for, named by the option that sets the register key it concerns: the
/// entry exists in no file yet, so a line number would point at nothing.
public struct AllowlistEntryProblem: Sendable, Hashable, CustomStringConvertible {
    /// The register key (`legal_basis`); nil when the problem concerns the entry as a whole.
    public var key: String?
    /// What is wrong, in terms of options rather than register keys.
    public var message: String

    public init(key: String?, message: String) {
        self.key = key
        self.message = message
    }

    /// The command-line option that sets `key` (`legal_basis` → `--legal-basis`, `aliases` → `--alias`).
    public var option: String? { key.map(AllowlistKeys.option(for:)) }

    public var description: String { option.map { "\($0): \(message)" } ?? message }
}

extension AllowlistKeys {
    static func option(for key: String) -> String {
        key == aliases ? "--alias" : "--" + key.replacingOccurrences(of: "_", with: "-")
    }

    /// `text` with the register keys an option sets written as that option (only the keys with an underscore:
    /// plain words such as "account" also occur as words).
    static func withOptions(_ text: String) -> String {
        entry.filter { $0.contains("_") }.reduce(text) { $0.replacingOccurrences(of: $1, with: option(for: $1)) }
    }
}

extension AllowlistEditPlanner {
    /// Splits what the loader found after adding entry `id` into problems of the new entry (located in its lines,
    /// which no file holds yet: named by key) and issues of the register as it is on disk (located where they are
    /// there: lines after the insertion move back by the number of lines inserted).
    static func attribute(_ issues: [AllowlistIssue], id: String, before: String, after: String, syntax: AllowlistSyntax?)
        -> (mine: [AllowlistEntryProblem], elsewhere: [AllowlistIssue])
    {
        let (first, inserted) = insertedLines(before: before, after: after)
        let block = first..<(first + inserted)
        // The new entry's keys by the line they start on, to name the key an issue's line belongs to.
        let keyLines = (syntax?.entry(withID: id)?.fields ?? [:]).compactMap { key, field in
            field.key.mark.map { (line: $0.line, key: key) }
        }.sorted { $0.line < $1.line }
        var mine: [AllowlistEntryProblem] = []
        var elsewhere: [AllowlistIssue] = []
        for issue in issues {
            guard let position = issue.position else {
                if issue.entryID.map(AllowlistIDs.key) == AllowlistIDs.key(id) {
                    mine.append(AllowlistEntryProblem(key: nil, message: cleaned(issue.message, id: id)))
                } else {
                    elsewhere.append(issue)
                }
                continue
            }
            if block.contains(position.line) {
                let key = keyLines.last { $0.line <= position.line }?.key
                mine.append(AllowlistEntryProblem(key: key, message: cleaned(issue.message, id: id)))
            } else {
                var moved = issue
                if position.line >= block.upperBound {
                    moved.position = SourcePosition(line: position.line - inserted, column: position.column)
                }
                elsewhere.append(moved)
            }
        }
        return (mine, elsewhere)
    }

    private static func cleaned(_ message: String, id: String) -> String {
        let prefix = "entry \(id): "
        return AllowlistKeys.withOptions(message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message)
    }

    /// The first line (1-based) where `after` differs from `before`, and how many more lines it has.
    private static func insertedLines(before: String, after: String) -> (first: Int, count: Int) {
        let a = before.utf8
        let b = after.utf8
        var line = 1
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex, j < b.endIndex, a[i] == b[j] {
            if a[i] == UInt8(ascii: "\n") { line += 1 }
            i = a.index(after: i)
            j = b.index(after: j)
        }
        let newline = UInt8(ascii: "\n")
        return (line, max(0, b.lazy.filter { $0 == newline }.count - a.lazy.filter { $0 == newline }.count))
    }
}
