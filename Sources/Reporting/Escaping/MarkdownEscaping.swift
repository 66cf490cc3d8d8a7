import Core

/// Escaping for text placed in (GitHub-flavoured) Markdown paragraphs, list items, headings and table cells.
///
/// Only what Markdown would interpret is escaped, so ordinary sentences stay readable in a Git viewer's source view
/// (no `\:` or `\(` in every line): a character is escaped where it can start or end syntax, and left alone where
/// it cannot.
public enum MarkdownEscaping {
    /// Punctuation that opens or closes GFM syntax wherever it stands: the escape character, code spans, emphasis,
    /// links and images (`[`, `]`), table cells, strikethrough and math.
    static let alwaysEscaped: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "|", "~", "$"]

    /// Punctuation that only means something at the start of a line: list items, headings, setext underlines.
    static let escapedAtLineStart: Set<Unicode.Scalar> = ["-", "+", "#", "="]

    /// `text` made inert: hidden characters (line breaks, bidi overrides…) made visible, Markdown punctuation
    /// backslash-escaped where it is syntax, `< > &` as character references (no raw HTML, no entity tricks), a
    /// leading list, heading or ordered-list marker escaped, a `(` right after `]` escaped (no link destination),
    /// `://` and `www.` broken so nothing autolinks. Safe inside a table cell: never contains an unescaped `|` or a
    /// line break.
    public static func escape(_ text: String) -> String {
        let visible = DisplayText.visible(text)
        return isInert(visible) ? visible : scalarByScalar(visible)
    }

    /// `escape` of `visible` (text with its hidden characters already shown), looking at every scalar.
    static func scalarByScalar(_ visible: String) -> String {
        var result = ""
        result.reserveCapacity(visible.utf8.count + 8)
        let scalars = Array(visible.unicodeScalars)
        let orderedListMarker = orderedListMarkerIndex(scalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case _ where alwaysEscaped.contains(scalar),
                _ where index == 0 && escapedAtLineStart.contains(scalar),
                _ where index == orderedListMarker,
                "(" where index > 0 && scalars[index - 1] == "]",
                ":" where index + 1 < scalars.count && scalars[index + 1] == "/":
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

    /// Whether `escape` would leave `text` (already visible) as it is. Every character `escape` acts on is ASCII,
    /// so the bytes settle it; most texts of a report (account names, addresses, sentences) have nothing to escape,
    /// and this spares them the scalar-by-scalar copy. Errs towards the full path: a leading digit goes there.
    static func isInert(_ text: String) -> Bool {
        let w = UInt8(ascii: "w")
        let capitalW = UInt8(ascii: "W")
        var index = 0
        // The last three bytes, newest in the low byte, lowercased where they are a W (for `www.`).
        var recent: UInt32 = 0
        var afterColon = false
        for byte in text.utf8 {
            defer { index += 1 }
            if afterColon, byte == UInt8(ascii: "/") { return false }
            afterColon = byte == UInt8(ascii: ":")
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: "|"), UInt8(ascii: "~"), UInt8(ascii: "$"), UInt8(ascii: "<"),
                UInt8(ascii: ">"), UInt8(ascii: "&"):
                return false
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "#"), UInt8(ascii: "="), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if index == 0 { return false }
            case UInt8(ascii: "."):
                if index >= 3, recent & 0xFF_FFFF == UInt32(w) << 16 | UInt32(w) << 8 | UInt32(w) { return false }
            default: break
            }
            recent = recent << 8 | UInt32(byte == capitalW ? w : byte)
        }
        return true
    }

    /// `1.` or `1)` at the start (one to nine digits): the index of the `.` or `)` that would make an ordered list.
    private static func orderedListMarkerIndex(_ scalars: [Unicode.Scalar]) -> Int? {
        var index = 0
        while index < scalars.count, index < 9, ("0"..."9").contains(scalars[index]) { index += 1 }
        guard index > 0, index < scalars.count, scalars[index] == "." || scalars[index] == ")" else { return nil }
        return index
    }

    private static func isWWW(_ slice: ArraySlice<Unicode.Scalar>) -> Bool {
        slice.allSatisfy { $0 == "w" || $0 == "W" }
    }

    /// Text in a code span (ids, hashes, file names). Anything a code span cannot hold safely everywhere — a
    /// backtick (ends the span), a pipe (splits a table row even inside a span), `<`, `>` or `&` (so that the only raw
    /// markup in the document is ours) — falls back to escaped text.
    public static func code(_ text: String) -> String {
        let visible = DisplayText.visible(text)
        // By bytes: each of these is ASCII, and a walk by `Character` broke every id into grapheme clusters first.
        let unsafeInSpan = visible.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): true
            default: false
            }
        }
        if visible.isEmpty || unsafeInSpan { return escape(text) }
        return "`" + visible + "`"
    }
}
