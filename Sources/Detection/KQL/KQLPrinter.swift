/// Prints a KQL tree back as query text that parses to the same tree.
///
/// Parentheses appear only where the tree needs them (an `or` under an `and`, a group the author wrote), values
/// without wildcards that are not plain words are quoted, and wildcard values are escaped.
enum KQLPrinter {
    static func print(_ expression: KQLExpression) -> String {
        switch expression {
        case .or(let operands):
            return operands.map { operand in
                if case .or = operand { return "(\(print(operand)))" }
                return print(operand)
            }.joined(separator: " or ")
        case .and(let operands):
            return operands.map { operand in
                switch operand {
                case .or, .and: return "(\(print(operand)))"
                default: return print(operand)
                }
            }.joined(separator: " and ")
        case .not(let operand):
            switch operand {
            case .or, .and: return "not (\(print(operand)))"
            default: return "not " + print(operand)
            }
        case .match(let field, let values):
            let valueText: String
            switch values {
            case .value(let value): valueText = printValue(value)
            default: valueText = "(\(printValues(values)))"
            }
            return printValue(field) + ":" + valueText
        case .range(let field, let comparison, let bound):
            return "\(printValue(field)) \(comparison.rawValue) \(printValue(KQLValue(literal: bound)))"
        case .anyField(let value):
            return printValue(value)
        }
    }

    private static func printValues(_ values: KQLValueExpression) -> String {
        switch values {
        case .value(let value):
            return printValue(value)
        case .or(let operands):
            return operands.map { operand in
                if case .or = operand { return "(\(printValues(operand)))" }
                return printValues(operand)
            }.joined(separator: " or ")
        case .and(let operands):
            return operands.map { operand in
                switch operand {
                case .or, .and: return "(\(printValues(operand)))"
                default: return printValues(operand)
                }
            }.joined(separator: " and ")
        case .not(let operand):
            switch operand {
            case .or, .and: return "not (\(printValues(operand)))"
            default: return "not " + printValues(operand)
            }
        }
    }

    static func printValue(_ value: KQLValue) -> String {
        if let literal = value.literal {
            return isPlainWord(literal) ? literal : quoted(literal)
        }
        var result = ""
        for (position, part) in value.parts.enumerated() {
            switch part {
            case .wildcard:
                result += "*"
            case .text(let text):
                result += escapedUnquoted(
                    text, startsValue: position == 0, endsValue: position == value.parts.count - 1)
            }
        }
        return result
    }

    /// Text that reads back as itself unquoted: no spaces, no special characters, not a keyword.
    private static func isPlainWord(_ text: String) -> Bool {
        guard !text.isEmpty, !["or", "and", "not"].contains(text.lowercased()) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"\\():<>\"*{}".unicodeScalars.contains(scalar)
                && !scalar.properties.isWhitespace
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        // Unicode scalars, as the parser reads them: a combining mark after `"` must not hide the quote.
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Escapes a text piece of a wildcard value. Keywords that the parser would take as operators are written with
    /// their first letter as `\uXXXX` (`\not` would read as `\n` + "ot", Kibana's own rule), and so are spaces at
    /// either end of the value, which an unquoted literal would otherwise lose.
    private static func escapedUnquoted(_ text: String, startsValue: Bool, endsValue: Bool) -> String {
        let characters = Array(text.unicodeScalars)
        let leadingSpaces = startsValue ? characters.prefix { $0 == " " }.count : 0
        let trailingSpaces = endsValue ? characters.reversed().prefix { $0 == " " }.count : 0
        var result = ""
        var index = 0
        var atWordStart = startsValue
        while index < characters.count {
            let character = characters[index]
            if character == " ", index < leadingSpaces || index >= characters.count - trailingSpaces {
                result += "\\u0020"
                index += 1
                atWordStart = true
                continue
            }
            if atWordStart, let keyword = keyword(in: characters, at: index) {
                let hex = String(characters[index].value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                    + String(String.UnicodeScalarView(characters[(index + 1)..<(index + keyword)]))
                index += keyword
                atWordStart = false
                continue
            }
            switch character {
            case "\\", "(", ")", ":", "<", ">", "\"", "*", "{", "}": result += "\\" + String(character)
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
            atWordStart = character == " "
            index += 1
        }
        return result
    }

    /// The length of `or`/`and`/`not` at `index` when a space follows it (what would make it an operator).
    private static func keyword(in characters: [Unicode.Scalar], at index: Int) -> Int? {
        for word in ["and", "not", "or"] {
            let end = index + word.count
            guard end < characters.count, String(String.UnicodeScalarView(characters[index..<end])).lowercased() == word,
                characters[end] == " "
            else { continue }
            return word.count
        }
        return nil
    }
}
