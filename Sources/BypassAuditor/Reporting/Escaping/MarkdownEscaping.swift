/// Escaping for text placed in (GitHub-flavoured) Markdown paragraphs, list items, headings and table cells.
public enum MarkdownEscaping {
    /// ASCII punctuation that can start or end Markdown syntax (emphasis, code, links, images, tables, headings,
    /// strikethrough, math, autolinks via `:`) and is therefore backslash-escaped wherever it appears.
    static let escapedPunctuation: Set<Unicode.Scalar> = [
        "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "!", "|", "~", ":", "$",
    ]

    /// `text` made inert: hidden characters (line breaks, bidi overrides…) made visible, Markdown punctuation
    /// backslash-escaped, `< > &` as character references (no raw HTML, no entity tricks), a leading `-` or `.`
    /// escaped (no list or rule), `www.` broken so it cannot autolink. Safe inside a table cell: never contains an
    /// unescaped `|` or a line break.
    public static func escape(_ text: String) -> String {
        let visible = DisplayText.visible(text)
        var result = ""
        result.reserveCapacity(visible.utf8.count + 8)
        let scalars = Array(visible.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case _ where escapedPunctuation.contains(scalar):
                result += "\\"
                result.unicodeScalars.append(scalar)
            case "-" where index == 0, "." where index == 0:
                result += "\\"
                result.unicodeScalars.append(scalar)
            case "." where index >= 3 && isWWW(scalars[(index - 3)..<index]):
                result += "\\."
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isWWW(_ slice: ArraySlice<Unicode.Scalar>) -> Bool {
        slice.allSatisfy { $0 == "w" || $0 == "W" }
    }

    /// Text in a code span (ids, hashes, file names). Anything a code span cannot hold safely everywhere — a
    /// backtick (ends the span), a pipe (splits a table row even inside a span), `<`, `>` or `&` (so that the only raw
    /// markup in the document is ours) — falls back to escaped text.
    public static func code(_ text: String) -> String {
        let visible = DisplayText.visible(text)
        if visible.isEmpty || visible.contains(where: { "`|<>&".contains($0) }) { return escape(text) }
        return "`" + visible + "`"
    }
}
