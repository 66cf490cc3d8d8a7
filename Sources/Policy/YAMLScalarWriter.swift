import Yams

/// Writes values the editor puts into the register as YAML scalars that read back as exactly that text.
///
/// Account names and tool names can come from attackers (they are copied from audit logs), so anything that is not
/// unmistakably plain is double-quoted with every special character escaped: a value can never end its line, open a
/// comment or a flow collection, or start a new key.
enum YAMLScalarWriter {
    /// `text` as a scalar for block or flow context.
    static func scalar(_ text: String) -> String {
        isSafePlain(text) ? text : doubleQuoted(text)
    }

    /// `[a, "b: c"]`.
    static func flowList(_ items: [String]) -> String {
        "[" + items.map(scalar).joined(separator: ", ") + "]"
    }

    /// Plain only for conservative text (letters, digits, a few separators, inner spaces) that no YAML 1.1 or 1.2
    /// reader would take for a number, boolean, null or date.
    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9": true
            default: false
            }
        }
        guard isWordScalar(first), last != " " else { return false }
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            isWordScalar(scalar) || "@._-+/() ".unicodeScalars.contains(scalar)
        }
        guard allowed, !text.contains("  ") else { return false }
        // Values such as `yes`, `off`, `1e3`, `2026-01-15` or `0x1F` would change type for other YAML readers.
        let node = Node.scalar(Node.Scalar(text))
        guard Resolver.default.resolveTag(of: node) == .str else { return false }
        let lowered = text.lowercased()
        return !["y", "n", "yes", "no", "on", "off", "true", "false", "null"].contains(lowered)
    }

    /// A double-quoted scalar; every character libyaml would not print verbatim is escaped.
    static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            case "\u{85}": result += "\\N"
            case "\u{A0}": result += "\\_"
            case "\u{2028}": result += "\\L"
            case "\u{2029}": result += "\\P"
            default:
                if isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return result + "\""
    }

    /// libyaml's printable set, minus the byte-order mark.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA1...0xD7FF, 0xE000...0xFFFD: scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
