/// The one text-table writer for terminal output: columns aligned with spaces, headers first, every cell made
/// inert by `TerminalText`.
public struct TextTable: Sendable {
    public let headers: [String]
    private var rows: [[String]] = []

    public init(headers: [String]) {
        self.headers = headers
    }

    /// Adds one row; each cell goes through `TerminalText.safe`.
    public mutating func add(_ cells: [String]) {
        rows.append(cells.map { TerminalText.safe($0) })
    }

    /// Whether no row has been added.
    public var isEmpty: Bool { rows.isEmpty }

    /// The table, one line per row, without a trailing newline.
    public func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 || index >= widths.count
                    ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
