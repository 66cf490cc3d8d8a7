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
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
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
    /// spaces and joiners, soft hyphen, BOM) and the Unicode line and paragraph separators.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20 && scalar.value < 0x7F { return false }
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
