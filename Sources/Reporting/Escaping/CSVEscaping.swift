import Core

/// RFC 4180 fields that a spreadsheet cannot run.
public enum CSVEscaping {
    /// Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or DDE) when they start
    /// it, including their full-width forms.
    static let formulaStarters: Set<Unicode.Scalar> = [
        "=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// Line breaks and tabs stay as they are in a cell (quoting holds them); every other hidden character is shown.
    static let keptInCells: Set<Unicode.Scalar> = ["\t", "\r", "\n"]

    /// `text` as one CSV field: hidden characters shown as `⟨U+XXXX⟩` markers (`DisplayText`), a formula character
    /// at the start — or after leading whitespace, which spreadsheets skip (space, NBSP, U+2003, U+3000…) —
    /// neutralised with a `'` prefix (the OWASP advice), then quoted when it holds a comma, quote, CR or LF, with
    /// quotes doubled.
    public static func field(_ text: String) -> String {
        printableASCIIField(text) ?? unicodeField(text)
    }

    /// `field`, for any text.
    static func unicodeField(_ text: String) -> String {
        var value = DisplayText.visible(text, keeping: keptInCells)
        if startsFormula(value) { value = "'" + value }
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return value }
        return quoted(value)
    }

    /// `value` between double quotes, each quote inside doubled (RFC 4180). Built byte by byte: Foundation's
    /// `replacingOccurrences` was a tenth of a report run at scale, where thousands of cells hold a comma.
    static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(value.utf8.count + 8)
        appendDoublingQuotes(value.utf8, to: &bytes)
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `utf8` with each double quote doubled: the inside of a quoted field.
    private static func appendDoublingQuotes(_ utf8: some Sequence<UInt8>, to bytes: inout [UInt8]) {
        for byte in utf8 {
            bytes.append(byte)
            if byte == 0x22 { bytes.append(0x22) }
        }
    }

    /// `unicodeField(text)` for text of printable ASCII only (nearly every cell: ids, times, names), in one pass over its
    /// bytes; nil for any other text. Such text has no hidden character and no whitespace but the space, so the
    /// formula check is its first byte that is not a space. The CSV files of a report at scale hold millions of
    /// cells, where the Unicode path cost a fifth of the whole report run.
    static func printableASCIIField(_ text: String) -> String? {
        var bytes: [UInt8] = []
        guard appendPrintableASCIIField(text, to: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `printableASCIIField(text)` appended to `bytes`; false, with nothing appended, for any other text.
    static func appendPrintableASCIIField(_ text: String, to bytes: inout [UInt8]) -> Bool {
        var text = text
        // Over the contiguous UTF-8 buffer and copied in bulk: a byte-by-byte walk of `String.utf8` and an append per
        // byte cost more than the rest of writing a report's CSV files.
        return text.withUTF8 { utf8 in
            var firstNonSpace: UInt8?
            var needsQuotes = false
            for byte in utf8 {
                guard byte >= 0x20, byte < 0x7F else { return false }
                if firstNonSpace == nil, byte != 0x20 { firstNonSpace = byte }
                if byte == 0x2C || byte == 0x22 { needsQuotes = true }
            }
            if needsQuotes { bytes.append(0x22) }
            if let firstNonSpace, asciiFormulaStarters[Int(firstNonSpace)] { bytes.append(UInt8(ascii: "'")) }
            if needsQuotes {
                appendDoublingQuotes(utf8, to: &bytes)
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: utf8)
            }
            return true
        }
    }

    /// `formulaStarters` as a table over the ASCII range, derived from it so the two cannot disagree.
    private static let asciiFormulaStarters: [Bool] = (0..<128).map { formulaStarters.contains(Unicode.Scalar(UInt8($0))) }

    /// Whether a spreadsheet could read `value` as a formula: its first character that is not whitespace is a
    /// formula starter (a leading tab, CR or LF counts as a starter itself).
    static func startsFormula(_ value: String) -> Bool {
        let first = value.unicodeScalars.first { scalar in
            formulaStarters.contains(scalar) || !scalar.properties.isWhitespace
        }
        return first.map(formulaStarters.contains) ?? false
    }

    /// One record: fields joined by commas, ended by CRLF as RFC 4180 says.
    ///
    /// Built in one byte buffer: a report at scale writes millions of cells, and making a string per field and
    /// joining them was most of the time spent on its CSV files.
    public static func record(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(2) { $0 + $1.utf8.count + 3 })
        for (index, text) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if !appendPrintableASCIIField(text, to: &bytes) { bytes.append(contentsOf: unicodeField(text).utf8) }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
        return String(decoding: bytes, as: UTF8.self)
    }
}
