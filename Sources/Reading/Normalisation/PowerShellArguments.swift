import Foundation

/// Reads the `-Name value` arguments of a cmdlet call as Exchange writes them into an audit record whose `Parameters`
/// is a plain string (`-Identity "svc-backup@contoso.com" -AuditBypassEnabled $true`).
///
/// Accepted forms: `-Name value`, `-Name:value`, `-Name: value`; values double-quoted (`""` or `` `" `` inside),
/// single-quoted (`''` inside), parenthesised lists (`("a","b")`), or bare words. A parameter followed directly by
/// another parameter has no value (a switch). Names compare case-insensitively, as PowerShell's do.
struct PowerShellArguments: Sendable, Equatable {
    struct Argument: Sendable, Equatable {
        var name: String
        /// The value with quotes removed; nil for a switch.
        var value: String?
    }

    var arguments: [Argument]

    init(parsing text: String) {
        arguments = PowerShellArguments.parse(Array(text.unicodeScalars))
    }

    /// The value of the first argument named `name` (any case).
    func value(of name: String) -> String? {
        arguments.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Whether the argument is present at all.
    func contains(_ name: String) -> Bool {
        arguments.contains { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// A boolean argument as the Name/Value form writes it ("True"/"False"), from `$true`, `$false`, `true`, `1`, `0`.
    /// Other text is returned as written, so an odd value stays visible rather than being guessed.
    static func booleanText(_ value: String) -> String {
        switch value.lowercased() {
        case "$true", "true", "1", "$1": return "True"
        case "$false", "false", "0", "$0", "$null": return "False"
        default: return value
        }
    }

    // MARK: - Tokenising

    private static func parse(_ scalars: [Unicode.Scalar]) -> [Argument] {
        var result: [Argument] = []
        var index = 0
        func skipSpaces() {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        }
        func startsParameter(_ position: Int) -> Bool {
            guard position + 1 < scalars.count, scalars[position] == "-" else { return false }
            let next = scalars[position + 1]
            return next.properties.isAlphabetic || next == "_"
        }
        while true {
            skipSpaces()
            guard index < scalars.count else { break }
            guard startsParameter(index) else {
                // A positional value: read and drop it.
                _ = readValue(scalars, &index)
                continue
            }
            index += 1
            var name = ""
            while index < scalars.count {
                let scalar = scalars[index]
                guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" else { break }
                name.unicodeScalars.append(scalar)
                index += 1
            }
            var value: String?
            if index < scalars.count, scalars[index] == ":" {
                index += 1
                skipSpaces()
                if index < scalars.count { value = readValue(scalars, &index) }
            } else {
                skipSpaces()
                if index < scalars.count, !startsParameter(index) { value = readValue(scalars, &index) }
            }
            result.append(Argument(name: name, value: value))
        }
        return result
    }

    /// Reads one value token starting at `index` and returns its text without quoting.
    private static func readValue(_ scalars: [Unicode.Scalar], _ index: inout Int) -> String {
        var text = String.UnicodeScalarView()
        let first = scalars[index]
        if first == "\"" || first == "'" {
            index += 1
            while index < scalars.count {
                let scalar = scalars[index]
                if first == "\"", scalar == "`", index + 1 < scalars.count {
                    text.append(scalars[index + 1])
                    index += 2
                    continue
                }
                if scalar == first {
                    if index + 1 < scalars.count, scalars[index + 1] == first {
                        text.append(first)
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                text.append(scalar)
                index += 1
            }
            return String(text)
        }
        if first == "(" {
            // A list such as ("Bulk","Spam"): kept as written, up to the balancing parenthesis.
            var depth = 0
            var quote: Unicode.Scalar?
            while index < scalars.count {
                let scalar = scalars[index]
                text.append(scalar)
                index += 1
                if let open = quote {
                    if scalar == open { quote = nil }
                } else if scalar == "\"" || scalar == "'" {
                    quote = scalar
                } else if scalar == "(" {
                    depth += 1
                } else if scalar == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
            }
            return String(text)
        }
        while index < scalars.count, !scalars[index].properties.isWhitespace {
            text.append(scalars[index])
            index += 1
        }
        return String(text)
    }
}
