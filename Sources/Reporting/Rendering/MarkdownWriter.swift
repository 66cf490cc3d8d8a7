import Core
import Foundation

/// Builds a GitHub-flavoured Markdown document. Callers pass cells and text already escaped with
/// `MarkdownEscaping` (or written by us); the writer guarantees table shape: one line per row, the same number of
/// cells in every row, empty cells shown as "—".
struct MarkdownWriter {
    private(set) var text = ""

    mutating func line(_ content: String = "") {
        text += content
        text += "\n"
    }

    /// A heading preceded by an explicit anchor, so links do not depend on how a renderer slugs heading text.
    mutating func heading(_ level: Int, _ title: String, anchor: String? = nil) {
        if let anchor { line("<a id=\"\(anchor)\"></a>") }
        line(String(repeating: "#", count: level) + " " + title)
        line()
    }

    mutating func paragraph(_ content: String) {
        line(content)
        line()
    }

    mutating func bullets(_ items: [String]) {
        for item in items { line("- " + item) }
        line()
    }

    mutating func table(_ headers: [String], _ rows: [[String]]) {
        line("| " + headers.map(MarkdownWriter.cell).joined(separator: " | ") + " |")
        line("|" + String(repeating: " --- |", count: headers.count))
        for row in rows {
            var cells = row.map(MarkdownWriter.cell)
            if cells.count < headers.count { cells += Array(repeating: "—", count: headers.count - cells.count) }
            line("| " + cells.prefix(headers.count).joined(separator: " | ") + " |")
        }
        line()
    }

    /// A fenced block whose fence is longer than any backtick run inside, so no content line can close it.
    mutating func codeBlock(_ lines: [String], language: String) {
        var longest = 0
        for content in lines {
            var run = 0
            for character in content {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        line(fence + language)
        for content in lines { line(DisplayText.visible(content)) }
        line(fence)
        line()
    }

    /// Line breaks can never reach a cell (escaping made them visible); this is the last guard.
    ///
    /// A report at scale writes about a million cells: Foundation's trimming and replacing cost a tenth of the whole
    /// run, so a cell that starts and ends with a printable ASCII character other than the space (nearly all) and
    /// holds no line break is returned as it is, after one pass over its bytes.
    private static func cell(_ content: String) -> String {
        let bytes = content.utf8
        if let first = bytes.first, let last = bytes.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last),
            !bytes.contains(where: { $0 == 0x0A || $0 == 0x0D })
        {
            return content
        }
        let trimmed = content.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "—" }
        return trimmed.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
