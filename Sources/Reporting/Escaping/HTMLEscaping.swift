import Core

/// Escaping for HTML text and attribute values.
public enum HTMLEscaping {
    /// `text` made inert in HTML element content and in quoted attribute values: hidden characters made visible
    /// (`DisplayText`), then `& < > " '` replaced by character references.
    public static func escape(_ text: String) -> String {
        let visible = DisplayText.visible(text)
        guard visible.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return visible
        }
        var result = ""
        result.reserveCapacity(visible.utf8.count + 16)
        for character in visible.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
