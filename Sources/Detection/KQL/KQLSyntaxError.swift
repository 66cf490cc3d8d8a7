/// Why a KQL query does not parse, and where.
public struct KQLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    /// 1-based line within the query (queries in rule files often span lines).
    public var line: Int
    /// 1-based column, in characters, within that line.
    public var column: Int

    public init(reason: String, line: Int, column: Int) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// Locates Unicode scalar `offset` (0-based) of `text` as a line and a column in characters.
    init(reason: String, offset: Int, in text: [Unicode.Scalar]) {
        var line = 1
        var column = 1
        for character in String(String.UnicodeScalarView(text.prefix(offset))) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.init(reason: reason, line: line, column: column)
    }

    public var description: String {
        line == 1 ? "column \(column): \(reason)" : "line \(line), column \(column): \(reason)"
    }
}
