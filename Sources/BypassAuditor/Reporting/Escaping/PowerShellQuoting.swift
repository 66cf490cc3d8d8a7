/// Quoting for the remediation script.
public enum PowerShellQuoting {
    /// The characters PowerShell's tokenizer accepts as a single quote: `'` and the typographic
    /// U+2018, U+2019, U+201A, U+201B. Inside a single-quoted string, any of them ends the string unless doubled.
    public static let singleQuoteCharacters: Set<Unicode.Scalar> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]

    /// `text` as a PowerShell verbatim string: in single quotes, every single-quote character doubled, so nothing
    /// inside can end the string (`$`, backticks and `;` have no meaning in a verbatim string).
    public static func singleQuoted(_ text: String) -> String {
        var result = "'"
        for scalar in text.unicodeScalars {
            result.unicodeScalars.append(scalar)
            if singleQuoteCharacters.contains(scalar) { result.unicodeScalars.append(scalar) }
        }
        return result + "'"
    }

    /// Whether `text` can go into a one-line verbatim string that reads as what it is: no line breaks (a verbatim
    /// string would span lines) and no invisible or bidi characters (the line would display differently from what
    /// it runs).
    public static func isSafeOnOneLine(_ text: String) -> Bool {
        !text.isEmpty && !DisplayText.containsHidden(text)
    }

    /// `text` fit for a `#` comment: hidden characters shown as `⟨U+XXXX⟩` markers, so nothing (no line break of
    /// any kind) can end the comment and start a command.
    public static func commentText(_ text: String) -> String {
        DisplayText.visible(text)
    }
}
