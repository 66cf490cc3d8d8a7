/// Makes text a person will read safe to look at: characters that are invisible or rearrange what surrounds them
/// (line breaks, tabs, right-to-left overrides, zero-width joiners) are shown as `⟨U+202E⟩` markers.
///
/// An attacker can name an account `admin‮txt.exe` or put a line break in a parameter so that a report row reads
/// differently from what it holds; every human-readable renderer passes attacker-written text through here before
/// its own escaping, so the reader sees exactly which characters are there.
public enum DisplayText {
    /// `text` with every control, format (bidi, zero-width), line- and paragraph-separator character replaced by a
    /// visible `⟨U+XXXX⟩` marker.
    public static func visible(_ text: String) -> String {
        visible(text, keeping: [])
    }

    /// `text` with hidden characters shown as markers, except those in `kept` (CSV keeps its line breaks and tabs:
    /// quoting holds them, and a spreadsheet shows them as what they are).
    public static func visible(_ text: String, keeping kept: Set<Unicode.Scalar>) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if isHidden(scalar), !kept.contains(scalar) {
                result += marker(for: scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `text` holds any character `visible(_:)` would replace.
    public static func containsHidden(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isHidden)
    }

    /// Control characters (C0, C1, DEL), format characters (bidi embeddings, overrides and isolates, zero-width
    /// spaces and joiners, soft hyphen, BOM), the Unicode line and paragraph separators, and characters that draw
    /// nothing although they are letters, marks or symbols: every default-ignorable code point (the combining
    /// grapheme joiner U+034F, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, variation selectors, Mongolian
    /// free variation selectors) and the blank braille pattern U+2800. An account named `admin\u{3164}` must not
    /// pass for `admin` in any report.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20 && scalar.value < 0x7F { return false }
        if scalar.value == 0x2800 || scalar.properties.isDefaultIgnorableCodePoint { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    static func marker(for scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "⟨U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "⟩"
    }
}
