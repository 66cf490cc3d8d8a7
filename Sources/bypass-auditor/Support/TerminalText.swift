/// Text from logs and exports made safe for a terminal: control and bidirectional-format characters (an ANSI
/// escape, a right-to-left override written by an attacker) are shown as `\u{…}` instead of acting.
enum TerminalText {
    static func safe(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
