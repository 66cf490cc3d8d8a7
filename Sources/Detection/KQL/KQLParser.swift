/// A recursive-descent parser for the KQL grammar Kibana uses (`kuery.peggy`), minus nested `field:{…}` queries:
///
///     query        = space* or space*
///     or           = and (space+ "or" space+ and)*          -- keywords are case-insensitive
///     and          = not (space+ "and" space+ not)*
///     not          = "not" space+ not | group
///     group        = "(" space* or space* ")" | expression
///     expression   = literal space* ("<" | "<=" | ">" | ">=") space* literal
///                  | literal space* ":" space* values
///                  | literal                                 -- a value searched in every field
///     values       = "(" space* valueOr space* ")" | literal  -- valueOr/valueAnd/valueNot mirror or/and/not
///     literal      = quoted | unquoted
///
/// `and` binds tighter than `or`, `not` tighter than both. Unquoted literals may hold inner spaces, `*` wildcards
/// and the escapes `\t \r \n \uXXXX`, `\` before any of `\():<>"*{}`, and `\or \and \not`.
///
/// The query is read as Unicode scalars, as Kibana's grammar reads code units: a combining mark after a quote or a
/// backslash must not merge with it into one `Character` and hide it (fuzzing found `"` + U+0332 read as a letter).
struct KQLParser {
    private let text: [Unicode.Scalar]
    private var index = 0

    private static let specialCharacters: Set<Unicode.Scalar> = ["\\", "(", ")", ":", "<", ">", "\"", "*", "{", "}"]

    init(_ query: String) {
        text = Array(query.unicodeScalars)
    }

    static func parse(_ query: String) throws(KQLSyntaxError) -> KQLExpression {
        var parser = KQLParser(query)
        return try parser.parseQuery()
    }

    // MARK: Boolean structure

    private mutating func parseQuery() throws(KQLSyntaxError) -> KQLExpression {
        skipSpaces()
        guard !atEnd else { throw error("the query is empty") }
        let expression = try parseOr()
        skipSpaces()
        guard atEnd else { throw unexpected() }
        return expression
    }

    private mutating func parseOr() throws(KQLSyntaxError) -> KQLExpression {
        var operands = [try parseAnd()]
        while try consumeBinaryKeyword("or") {
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseAnd() throws(KQLSyntaxError) -> KQLExpression {
        var operands = [try parseNot()]
        while try consumeBinaryKeyword("and") {
            operands.append(try parseNot())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseNot() throws(KQLSyntaxError) -> KQLExpression {
        if consumeNotKeyword() {
            return .not(try parseNot())
        }
        return try parseGroup()
    }

    private mutating func parseGroup() throws(KQLSyntaxError) -> KQLExpression {
        guard peek == "(" else { return try parseExpression() }
        let open = index
        index += 1
        skipSpaces()
        let inner = try parseOr()
        skipSpaces()
        guard peek == ")" else {
            throw atEnd ? error("the parenthesis opened here is never closed", at: open) : unexpected()
        }
        index += 1
        return inner
    }

    private mutating func parseExpression() throws(KQLSyntaxError) -> KQLExpression {
        let start = index
        guard let first = try parseLiteral() else {
            throw atEnd ? error("expected a field or value at the end of the query") : unexpected()
        }
        let afterLiteral = index
        skipSpaces()
        if let comparison = consumeComparison() {
            skipSpaces()
            let boundStart = index
            guard let bound = try parseLiteral() else {
                throw error("expected a value after '\(comparison.rawValue)'")
            }
            guard let boundText = bound.literal else {
                throw error("a range bound cannot contain a wildcard", at: boundStart)
            }
            guard !first.hasWildcard else { throw error("a range needs one field, not a pattern", at: start) }
            return .range(field: first, comparison: comparison, bound: boundText)
        }
        if peek == ":" {
            index += 1
            skipSpaces()
            if peek == "{" { throw error("nested queries (field:{…}) are not supported") }
            return .match(field: first, values: try parseValues())
        }
        index = afterLiteral
        return .anyField(first)
    }

    // MARK: Values after `field:`

    private mutating func parseValues() throws(KQLSyntaxError) -> KQLValueExpression {
        guard peek == "(" else {
            guard let value = try parseLiteral() else {
                throw atEnd ? error("expected a value after ':'") : unexpected()
            }
            return .value(value)
        }
        let open = index
        index += 1
        skipSpaces()
        let inner = try parseValueOr()
        skipSpaces()
        guard peek == ")" else {
            throw atEnd ? error("the parenthesis opened here is never closed", at: open) : unexpected()
        }
        index += 1
        return inner
    }

    private mutating func parseValueOr() throws(KQLSyntaxError) -> KQLValueExpression {
        var operands = [try parseValueAnd()]
        while try consumeBinaryKeyword("or") {
            operands.append(try parseValueAnd())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseValueAnd() throws(KQLSyntaxError) -> KQLValueExpression {
        var operands = [try parseValueNot()]
        while try consumeBinaryKeyword("and") {
            operands.append(try parseValueNot())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseValueNot() throws(KQLSyntaxError) -> KQLValueExpression {
        if consumeNotKeyword() {
            return .not(try parseValueNot())
        }
        return try parseValues()
    }

    // MARK: Literals

    /// A quoted or unquoted literal, or nil when none starts here.
    private mutating func parseLiteral() throws(KQLSyntaxError) -> KQLValue? {
        if peek == "\"" { return try parseQuoted() }
        return try parseUnquoted()
    }

    private mutating func parseQuoted() throws(KQLSyntaxError) -> KQLValue {
        let open = index
        index += 1
        var result = ""
        while let character = peek {
            if character == "\"" {
                index += 1
                return KQLValue(literal: result)
            }
            if character == "\\", let escaped = try parseEscape(inQuotes: true) {
                result.append(escaped)
                continue
            }
            result.unicodeScalars.append(character)
            index += 1
        }
        throw error("the quoted string opened here is never closed", at: open)
    }

    private mutating func parseUnquoted() throws(KQLSyntaxError) -> KQLValue? {
        var parts: [KQLValue.Part] = []
        var pending = ""
        var consumedAny = false
        while let character = peek {
            if character == "\\" {
                // parseEscape never returns nil outside quotes: it throws on an unknown escape.
                if let escaped = try parseEscape(inQuotes: false) { pending.append(escaped) }
                consumedAny = true
                continue
            }
            if character == "*" {
                if !pending.isEmpty { parts.append(.text(pending)) }
                pending = ""
                parts.append(.wildcard)
                index += 1
                consumedAny = true
                continue
            }
            if Self.specialCharacters.contains(character) { break }
            if character.isKQLSpace {
                guard continuesLiteralAfterSpaces() else { break }
                while let space = peek, space.isKQLSpace {
                    pending.unicodeScalars.append(space)
                    index += 1
                }
                continue
            }
            if !consumedAny, startsNotKeyword(at: index) { break }
            pending.unicodeScalars.append(character)
            index += 1
            consumedAny = true
        }
        guard consumedAny else { return nil }
        if !pending.isEmpty { parts.append(.text(pending)) }
        return KQLValue(parts: parts)
    }

    /// At a run of spaces inside an unquoted literal: whether the literal goes on after it (it ends before a
    /// keyword, a special character or the end of the query).
    private func continuesLiteralAfterSpaces() -> Bool {
        var next = index
        while next < text.count, text[next].isKQLSpace { next += 1 }
        guard next < text.count else { return false }
        let character = text[next]
        if character != "\\", character != "*", Self.specialCharacters.contains(character) { return false }
        if startsWord("or", at: next) || startsWord("and", at: next) || startsNotKeyword(at: next) { return false }
        return true
    }

    /// Reads one escape sequence starting at the backslash under the cursor. In quotes, a backslash that starts no
    /// known escape is an ordinary character (returns nil without moving); outside quotes it is an error.
    private mutating func parseEscape(inQuotes: Bool) throws(KQLSyntaxError) -> String? {
        let start = index
        guard index + 1 < text.count else {
            if inQuotes { return nil }
            throw error("a backslash at the end of the query escapes nothing", at: start)
        }
        let next = text[index + 1]
        switch next {
        case "t", "r", "n":
            index += 2
            return next == "t" ? "\t" : next == "r" ? "\r" : "\n"
        case "u":
            let digits = text.dropFirst(index + 2).prefix(4)
            guard digits.count == 4, let code = UInt32(String(String.UnicodeScalarView(digits)), radix: 16), let scalar = Unicode.Scalar(code)
            else {
                if inQuotes { return nil }
                throw error("\\u must be followed by four hexadecimal digits", at: start)
            }
            index += 6
            return String(scalar)
        default:
            if inQuotes {
                guard next == "\\" || next == "\"" else { return nil }
                index += 2
                return String(next)
            }
            if Self.specialCharacters.contains(next) {
                index += 2
                return String(next)
            }
            for keyword in ["or", "and", "not"] where startsWord(keyword, at: index + 1, needsSpaceAfter: false) {
                let spelled = String(String.UnicodeScalarView(text[(index + 1)..<(index + 1 + keyword.count)]))
                index += 1 + keyword.count
                return spelled
            }
            throw error("'\\\(next)' is not an escape KQL knows (escape one of \\():<>\"*{} or a keyword)", at: start)
        }
    }

    // MARK: Keywords and characters

    /// `space+ keyword space+`, consumed when present. A keyword with nothing after it is an error.
    private mutating func consumeBinaryKeyword(_ keyword: String) throws(KQLSyntaxError) -> Bool {
        var next = index
        guard next < text.count, text[next].isKQLSpace else { return false }
        while next < text.count, text[next].isKQLSpace { next += 1 }
        guard startsWord(keyword, at: next, needsSpaceAfter: false) else { return false }
        let keywordStart = next
        next += keyword.count
        guard next < text.count else {
            throw error("'\(keyword)' must be followed by an expression", at: keywordStart)
        }
        guard text[next].isKQLSpace else { return false }
        while next < text.count, text[next].isKQLSpace { next += 1 }
        guard next < text.count else {
            throw error("'\(keyword)' must be followed by an expression", at: keywordStart)
        }
        index = next
        return true
    }

    private mutating func consumeNotKeyword() -> Bool {
        guard startsNotKeyword(at: index) else { return false }
        index += 3
        while let space = peek, space.isKQLSpace { index += 1 }
        return true
    }

    /// `not` followed by at least one space (Kibana's `Not` rule).
    private func startsNotKeyword(at position: Int) -> Bool {
        startsWord("not", at: position)
    }

    private func startsWord(_ word: String, at position: Int, needsSpaceAfter: Bool = true) -> Bool {
        let end = position + word.count
        guard end <= text.count else { return false }
        guard String(String.UnicodeScalarView(text[position..<end])).lowercased() == word else { return false }
        if needsSpaceAfter { return end < text.count && text[end].isKQLSpace }
        return true
    }

    private mutating func consumeComparison() -> KQLComparison? {
        guard let first = peek, first == "<" || first == ">" else { return nil }
        let orEqual = index + 1 < text.count && text[index + 1] == "="
        index += orEqual ? 2 : 1
        switch (first, orEqual) {
        case ("<", false): return .lessThan
        case ("<", true): return .lessThanOrEqual
        case (_, false): return .greaterThan
        default: return .greaterThanOrEqual
        }
    }

    private mutating func skipSpaces() {
        while let character = peek, character.isKQLSpace { index += 1 }
    }

    private var peek: Unicode.Scalar? { index < text.count ? text[index] : nil }
    private var atEnd: Bool { index >= text.count }

    private func unexpected() -> KQLSyntaxError {
        guard let character = peek else { return error("unexpected end of the query") }
        if startsWord("or", at: index) || startsWord("and", at: index) {
            let keyword = text[index..<(index + (startsWord("or", at: index) ? 2 : 3))]
            return error("'\(String(String.UnicodeScalarView(keyword)))' needs an expression before it")
        }
        return error("unexpected '\(character)'")
    }

    private func error(_ reason: String, at position: Int? = nil) -> KQLSyntaxError {
        KQLSyntaxError(reason: reason, offset: position ?? index, in: text)
    }
}

extension Unicode.Scalar {
    /// KQL's `Space`: space, tab, CR, LF.
    var isKQLSpace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" }
}
