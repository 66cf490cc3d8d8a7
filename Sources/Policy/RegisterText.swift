/// The register's text as Unicode scalars with its line structure, the coordinates Yams marks use
/// (1-based lines and columns, columns counted in scalars, line breaks as libyaml counts them).
///
/// Edits are made on this scalar array so every scalar outside the edited range survives byte for byte.
struct RegisterText {
    private(set) var scalars: [Unicode.Scalar]
    /// Scalar index where each line starts (`lineStarts[0]` is line 1).
    private(set) var lineStarts: [Int]
    /// Scalar index where each line's content ends (before its line break).
    private(set) var lineEnds: [Int]
    /// The line break the file mostly uses, for lines the editor writes.
    let newline: String

    init(_ content: String) {
        scalars = Array(content.unicodeScalars)
        (lineStarts, lineEnds) = Self.lines(of: scalars)
        var crlf = 0
        var lf = 0
        for index in scalars.indices where scalars[index] == "\n" {
            if index > 0, scalars[index - 1] == "\r" { crlf += 1 } else { lf += 1 }
        }
        newline = crlf > lf ? "\r\n" : "\n"
    }

    var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    var lineCount: Int { lineStarts.count }

    /// libyaml's line breaks: CR LF, CR, LF, NEL, LS and PS.
    private static func lines(of scalars: [Unicode.Scalar]) -> ([Int], [Int]) {
        var starts = [0]
        var ends: [Int] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\r":
                ends.append(index)
                index += (index + 1 < scalars.count && scalars[index + 1] == "\n") ? 2 : 1
                starts.append(index)
            case "\n", "\u{85}", "\u{2028}", "\u{2029}":
                ends.append(index)
                index += 1
                starts.append(index)
            default:
                index += 1
            }
        }
        ends.append(scalars.count)
        return (starts, ends)
    }

    /// The scalar index of a 1-based line and column.
    func offset(line: Int, column: Int) -> Int { lineStarts[line - 1] + column - 1 }

    func offset(of position: SourcePosition) -> Int { offset(line: position.line, column: position.column) }

    /// The 1-based line holding scalar index `offset`.
    func line(containing offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// The line's text without its break.
    func text(ofLine line: Int) -> ArraySlice<Unicode.Scalar> { scalars[lineStarts[line - 1]..<lineEnds[line - 1]] }

    /// The 1-based column of the line's first character that is not a space or tab; nil for a blank line.
    func firstContentColumn(ofLine line: Int) -> Int? {
        let text = text(ofLine: line)
        guard let index = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return nil }
        return index - text.startIndex + 1
    }

    func isBlank(line: Int) -> Bool { firstContentColumn(ofLine: line) == nil }

    func isComment(line: Int) -> Bool {
        guard let column = firstContentColumn(ofLine: line) else { return false }
        return scalars[offset(line: line, column: column)] == "#"
    }

    /// Whether the line ends with a line break (the file's last line may not).
    func hasBreak(line: Int) -> Bool { lineEnds[line - 1] < scalars.count }

    /// The scalar index just after the line's break (the start of the next line, or the end of the text).
    func endIncludingBreak(ofLine line: Int) -> Int { line < lineCount ? lineStarts[line] : scalars.count }

    mutating func replace(_ range: Range<Int>, with text: String) {
        scalars.replaceSubrange(range, with: Array(text.unicodeScalars))
        (lineStarts, lineEnds) = Self.lines(of: scalars)
    }
}
