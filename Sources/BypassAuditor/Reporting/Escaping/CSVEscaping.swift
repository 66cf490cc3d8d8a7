/// RFC 4180 fields that a spreadsheet cannot run.
public enum CSVEscaping {
    /// Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or DDE) when they start
    /// it, including their full-width forms.
    static let formulaStarters: Set<Unicode.Scalar> = [
        "=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// `text` as one CSV field: a leading formula character neutralised with a `'` prefix (the OWASP advice), then
    /// quoted when it holds a comma, quote, CR or LF, with quotes doubled.
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, formulaStarters.contains(first) { value = "'" + value }
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: fields joined by commas, ended by CRLF as RFC 4180 says.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
