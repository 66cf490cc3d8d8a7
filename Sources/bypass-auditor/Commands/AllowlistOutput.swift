import Foundation

/// Terminal output of attacker-writable text: control characters (escape sequences that could repaint the
/// terminal or hide a line) are shown as visible escapes instead.
enum AllowlistTerminalText {
    static func safe(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: result += "\n"
            case 0x09: result += "\t"
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// One table cell: safe, on one line.
    static func cell(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        return safe(text).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: " ")
    }
}

/// A plain left-aligned text table.
struct AllowlistTextTable {
    var headers: [String]
    var rows: [[String]] = []

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
