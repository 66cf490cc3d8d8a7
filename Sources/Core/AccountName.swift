import Foundation

/// One name an Exchange object goes by (alias, UPN, display name, DN, canonical path, GUID), compared
/// case-insensitively as Exchange does.
///
/// Names are matched whole, never by prefix or substring: `svc` is not `svc-backup`.
public struct AccountName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The name as a source wrote it (kept for display and for quoting back to Exchange).
    public let text: String
    /// The comparison key: trimmed and case-folded.
    public let key: String

    public init(_ text: String) {
        self.text = text
        self.key = AccountName.key(for: text)
    }

    public static func key(for text: String) -> String {
        trimmed(text).lowercased()
    }

    /// `text` without leading and trailing white space (the one trimmer, `String.whitespaceTrimmed`).
    package static func trimmed(_ text: String) -> String { text.whitespaceTrimmed }

    public var description: String { text }
    public var isGUID: Bool { AccountName.isGUID(key) }

    public static func == (lhs: AccountName, rhs: AccountName) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    public static func < (lhs: AccountName, rhs: AccountName) -> Bool { lhs.key < rhs.key }

    /// The names one identity string gives for its object: the string itself, plus the object's own name inside
    /// a canonical path (`…/contoso.onmicrosoft.com/svc-backup` → `svc-backup`) or an LDAP DN
    /// (`CN=svc-backup,OU=…,DC=…` → `svc-backup`, unescaped per RFC 4514). Container parts (`OU=`, `DC=`, the
    /// organisation's path segments) are never names of the object.
    public static func names(in identity: String) -> [AccountName] {
        let trimmed = AccountName.trimmed(identity)
        guard !trimmed.isEmpty else { return [] }
        var result = [AccountName(trimmed)]
        if let commonName = firstRDNValue(ofDN: trimmed) {
            result.append(AccountName(commonName))
        } else if let objectName = lastSegment(ofCanonicalName: trimmed) {
            result.append(AccountName(objectName))
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0.key).inserted }
    }

    /// The object's own name at the end of a canonical name (`contoso.onmicrosoft.com/Users/svc-backup`), else nil.
    ///
    /// A canonical name starts with a domain and escapes a `/` inside a name as `\/`; a plain name that happens to
    /// hold a slash (`Sales/Marketing`) is not a path, so its tail is not taken as a name of its own.
    public static func lastSegment(ofCanonicalName text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "/")) else { return nil }
        var segments: [String] = []
        if !text.utf8.contains(UInt8(ascii: "\\")) {
            // No escapes: the segments are the text between slashes.
            segments = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        } else {
            segments = unescapedSegments(of: text)
        }
        guard segments.count >= 2, let domain = segments.first.map(AccountName.trimmed),
            domain.utf8.contains(UInt8(ascii: ".")), !domain.utf8.contains(UInt8(ascii: " ")),
            let last = segments.last(where: { !AccountName.trimmed($0).isEmpty })
        else { return nil }
        let name = AccountName.trimmed(last)
        return name == domain ? nil : name
    }

    /// A canonical name's segments with `\/` (and any other `\x`) unescaped.
    private static func unescapedSegments(of text: String) -> [String] {
        var segments: [String] = []
        var current = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "/" {
                segments.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        segments.append(String(current))
        return segments
    }

    /// A GUID in its comparison form: lowercased, braces removed (`{7F9C…}` → `7f9c…`). Other text is returned as is.
    public static func normalizedGUID(_ text: String) -> String {
        let trimmed = AccountName.trimmed(text)
        guard isGUID(trimmed) else { return trimmed }
        var body = Substring(trimmed.lowercased())
        if body.hasPrefix("{") { body = body.dropFirst().dropLast() }
        return String(body)
    }

    /// The value of an LDAP DN's first RDN when that RDN is a `CN=` (RFC 4514 escapes undone), else nil.
    public static func firstRDNValue(ofDN text: String) -> String? {
        let head = Array(text.utf8.prefix(3))
        guard head.count == 3, head[0] | 0x20 == UInt8(ascii: "c"), head[1] | 0x20 == UInt8(ascii: "n"),
            head[2] == UInt8(ascii: "=")
        else { return nil }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 3 else { return nil }
        var value = ""
        var index = 3
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 1
                guard index < scalars.count else { break }
                // Either `\,`-style escapes of a special character or `\2C`-style hex pairs.
                if index + 1 < scalars.count, let high = hexValue(scalars[index]), let low = hexValue(scalars[index + 1]) {
                    var bytes = [UInt8(high * 16 + low)]
                    index += 2
                    while index + 2 < scalars.count + 0, scalars[index] == "\\",
                        let h = hexValue(scalars[index + 1]), let l = hexValue(scalars[index + 2])
                    {
                        bytes.append(UInt8(h * 16 + l))
                        index += 3
                    }
                    value += String(decoding: bytes, as: UTF8.self)
                    continue
                }
                value.unicodeScalars.append(scalars[index])
                index += 1
                continue
            }
            if scalar == "," || scalar == "+" { break }
            value.unicodeScalars.append(scalar)
            index += 1
        }
        let trimmed = AccountName.trimmed(value)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "0"..."9": Int(scalar.value - 48)
        case "a"..."f": Int(scalar.value - 87)
        case "A"..."F": Int(scalar.value - 55)
        default: nil
        }
    }

    /// `7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6` (optionally in braces).
    public static func isGUID(_ text: String) -> Bool {
        // Most names are not GUIDs: their length says so without splitting them.
        let length = text.utf8.count
        guard length == 36 || length == 38 else { return false }
        var body = Substring(text)
        if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
