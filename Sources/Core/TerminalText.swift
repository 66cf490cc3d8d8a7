/// The one terminal-text sanitiser: every attacker-written field (account names, actors, tenant ids, rule names,
/// entry fields, file names from logs) passes through here before any command prints it on a terminal line.
///
/// Control characters (an ANSI escape that repaints the screen, a carriage return that overwrites a line), format
/// characters (bidi overrides and isolates, zero-width characters) and the Unicode line and paragraph separators are
/// shown as `\u{1B}` escapes instead of acting.
public enum TerminalText {
    /// `text` made inert for a terminal. With `keepingLineBreaks`, `\n` and `\t` pass through (multi-line fields shown
    /// on their own lines); every other such character is escaped.
    public static func safe(_ text: String, keepingLineBreaks: Bool = false) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if keepingLineBreaks, scalar == "\n" || scalar == "\t" {
                result.unicodeScalars.append(scalar)
            } else if acts(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `safe(text)`, or `-` for nil or empty: one table cell.
    public static func cell(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        return safe(text)
    }

    /// Whether a terminal could act on `scalar` or hide it (see the type's documentation).
    public static func acts(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
