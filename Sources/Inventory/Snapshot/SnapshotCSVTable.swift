import Foundation

/// RFC 4180 CSV as PowerShell's `Export-Csv` writes it: comma-separated, fields optionally in double quotes with
/// `""` for a quote, CRLF or LF line ends, line breaks allowed inside quoted fields.
///
/// A malformed record is reported with its line and column and skipped; parsing goes on with the next line, so one
/// bad row never loses the rest.
struct SnapshotCSVTable {
    struct Record {
        /// The line the record starts on (1-based).
        var line: Int
        var fields: [String]
    }

    struct Problem: Error, Equatable {
        var line: Int
        var column: Int
        var reason: String
    }

    var records: [Record] = []
    var problems: [Problem] = []

    /// Parses `text`, whose first line is `firstLine` of the file (after a `#TYPE` line the caller removed).
    init(parsing text: String, firstLine: Int = 1) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var line = firstLine
        while index < scalars.count {
            // Blank lines carry no record (a trailing newline, or lines between exports pasted together).
            if scalars[index] == "\r" || scalars[index] == "\n" {
                if scalars[index] == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                index += 1
                line += 1
                continue
            }
            let start = (index: index, line: line)
            switch SnapshotCSVTable.parseRecord(scalars, from: index, line: line) {
            case .success(let parsed):
                records.append(Record(line: start.line, fields: parsed.fields))
                index = parsed.next
                line = parsed.nextLine
            case .failure(let problem):
                problems.append(problem)
                // Resume at the line after the record's first line: a stray quote must not swallow the file.
                (index, line) = SnapshotCSVTable.lineAfter(scalars, from: start.index, line: start.line)
            }
        }
    }

    private struct ParsedRecord {
        var fields: [String]
        var next: Int
        var nextLine: Int
    }

    private static func parseRecord(_ scalars: [Unicode.Scalar], from start: Int, line startLine: Int) -> Result<
        ParsedRecord, Problem
    > {
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var index = start
        var line = startLine
        var lineStart = start
        var atFieldStart = true
        while index < scalars.count {
            let scalar = scalars[index]
            if atFieldStart, scalar == "\"" {
                let quoteLine = line
                let quoteColumn = index - lineStart + 1
                index += 1
                var closed = false
                while index < scalars.count {
                    let inner = scalars[index]
                    if inner == "\"" {
                        if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                            field.append("\"")
                            index += 2
                            continue
                        }
                        closed = true
                        index += 1
                        break
                    }
                    if inner == "\n" || (inner == "\r" && !(index + 1 < scalars.count && scalars[index + 1] == "\n")) {
                        line += 1
                        lineStart = index + 1
                    }
                    field.append(inner)
                    index += 1
                }
                guard closed else {
                    return .failure(
                        Problem(
                            line: quoteLine, column: quoteColumn,
                            reason: "quoted field is never closed (a \" is missing)"))
                }
                atFieldStart = false
                // After a closing quote only a separator or the end of the record may follow.
                if index < scalars.count, scalars[index] != ",", scalars[index] != "\r", scalars[index] != "\n" {
                    return .failure(
                        Problem(
                            line: line, column: index - lineStart + 1,
                            reason: "unexpected character after a closing quote (write \"\" for a quote inside a field)"))
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                atFieldStart = true
                index += 1
            case "\r", "\n":
                fields.append(String(field))
                if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                return .success(ParsedRecord(fields: fields, next: index + 1, nextLine: line + 1))
            case "\"":
                return .failure(
                    Problem(
                        line: line, column: index - lineStart + 1,
                        reason: "a quote inside an unquoted field (the field must be quoted, with \"\" for the quote)"))
            default:
                field.append(scalar)
                atFieldStart = false
                index += 1
            }
        }
        fields.append(String(field))
        return .success(ParsedRecord(fields: fields, next: index, nextLine: line))
    }

    private static func lineAfter(_ scalars: [Unicode.Scalar], from start: Int, line: Int) -> (Int, Int) {
        var index = start
        while index < scalars.count, scalars[index] != "\n", scalars[index] != "\r" { index += 1 }
        if index < scalars.count, scalars[index] == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
            index += 1
        }
        return (min(index + 1, scalars.count), line + 1)
    }
}
