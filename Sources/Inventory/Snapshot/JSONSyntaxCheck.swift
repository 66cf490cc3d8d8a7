import Foundation

/// Finds where JSON text stops being valid, as line and column: Foundation's decoders only say that it is not.
/// Run only after a decode has failed, so its speed does not matter.
struct JSONSyntaxCheck {
    struct Failure: Error, Equatable {
        var line: Int
        var column: Int
        var reason: String
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    /// The first syntax error in `text`, or nil when it is valid JSON.
    static func firstError(in text: String) -> Failure? {
        var check = JSONSyntaxCheck(scalars: Array(text.unicodeScalars))
        do {
            check.skipWhitespace()
            try check.value(depth: 0)
            check.skipWhitespace()
            if check.index < check.scalars.count { throw check.failure("unexpected text after the JSON value") }
            return nil
        } catch let failure as Failure {
            return failure
        } catch {
            return nil
        }
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private func failure(_ reason: String) -> Failure {
        Failure(line: line, column: index - lineStart + 1, reason: reason)
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { advance() }
    }

    private mutating func value(depth: Int) throws {
        guard depth < 512 else { throw failure("nested too deeply") }
        guard let scalar = current else { throw failure("the text ends where a value is expected") }
        switch scalar {
        case "{": try object(depth: depth)
        case "[": try array(depth: depth)
        case "\"": try string()
        case "t": try literal("true")
        case "f": try literal("false")
        case "n": try literal("null")
        case "-", "0"..."9": try number()
        default: throw failure("unexpected character '\(scalar)' where a value is expected")
        }
    }

    private mutating func object(depth: Int) throws {
        advance()
        skipWhitespace()
        if current == "}" { return advance() }
        while true {
            guard current == "\"" else { throw failure("expected a property name in double quotes") }
            try string()
            skipWhitespace()
            guard current == ":" else { throw failure("expected ':' after a property name") }
            advance()
            skipWhitespace()
            try value(depth: depth + 1)
            skipWhitespace()
            if current == "," {
                advance()
                skipWhitespace()
                continue
            }
            guard current == "}" else { throw failure("expected ',' or '}' in an object") }
            return advance()
        }
    }

    private mutating func array(depth: Int) throws {
        advance()
        skipWhitespace()
        if current == "]" { return advance() }
        while true {
            try value(depth: depth + 1)
            skipWhitespace()
            if current == "," {
                advance()
                skipWhitespace()
                continue
            }
            guard current == "]" else { throw failure("expected ',' or ']' in an array") }
            return advance()
        }
    }

    private mutating func string() throws {
        advance()
        while let scalar = current {
            switch scalar {
            case "\"": return advance()
            case "\\":
                advance()
                guard let escaped = current, "\"\\/bfnrtu".unicodeScalars.contains(escaped) else {
                    throw failure("invalid escape in a string")
                }
                advance()
            case "\n", "\r": throw failure("a string is not closed before the end of the line")
            default: advance()
            }
        }
        throw failure("a string is not closed before the end of the text")
    }

    private mutating func literal(_ word: String) throws {
        for expected in word.unicodeScalars {
            guard current == expected else { throw failure("invalid literal (expected \(word))") }
            advance()
        }
    }

    private mutating func number() throws {
        let start = index
        while let scalar = current, "+-0123456789.eE".unicodeScalars.contains(scalar) { advance() }
        let text = String(String.UnicodeScalarView(scalars[start..<index]))
        guard Double(text) != nil else { throw failure("invalid number '\(text)'") }
    }
}
