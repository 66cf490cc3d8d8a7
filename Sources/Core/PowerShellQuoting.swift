/// The one PowerShell quoter: every PowerShell text the tool emits (drift actions, the report's actions in every
/// format, `remediation.ps1`) quotes names through here.
///
/// It works on Unicode scalars, as PowerShell's tokenizer reads characters (UTF-16 code units; a quote is never
/// part of a surrogate pair): a `'` followed by a combining mark is one Swift `Character` but still ends
/// PowerShell's string, so walking `Character`s would leave it undoubled.
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

    /// `cmdlet -Identity '<name>' arguments` for one account, or, when the name holds line breaks, invisible or bidi
    /// characters (the line would read differently from what it runs), the same command by `guid`, else a
    /// `# MANUAL:` line saying what to do by hand, as `remediation.ps1` writes it.
    public static func identityCommand(_ cmdlet: String, name: String, guid: String? = nil, arguments: String = "") -> String {
        let tail = arguments.isEmpty ? "" : " " + arguments
        if isSafeOnOneLine(name) { return "\(cmdlet) -Identity \(singleQuoted(name))\(tail)" }
        if let guid, AccountName.isGUID(guid) { return "\(cmdlet) -Identity \(singleQuoted(guid))\(tail)" }
        return "# MANUAL: " + commentText(
            "\(name) has hidden characters in its name: find its GUID with Get-MailboxAuditBypassAssociation and run "
                + "\(cmdlet) -Identity <GUID>\(tail) by hand.")
    }

    /// `text` fit for a `#` comment: hidden characters shown as `⟨U+XXXX⟩` markers, so nothing (no line break of
    /// any kind) can end the comment and start a command.
    public static func commentText(_ text: String) -> String {
        DisplayText.visible(text)
    }
}
