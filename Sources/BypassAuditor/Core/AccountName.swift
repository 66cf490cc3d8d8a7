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
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

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
        let trimmed = identity.trimmingCharacters(in: .whitespacesAndNewlines)
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
        var segments: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "/" {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        guard segments.count >= 2, let domain = segments.first?.trimmingCharacters(in: .whitespaces),
            domain.contains("."), !domain.contains(" "),
            let last = segments.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        else { return nil }
        let name = last.trimmingCharacters(in: .whitespaces)
        return name == domain ? nil : name
    }

    /// A GUID in its comparison form: lowercased, braces removed (`{7F9C…}` → `7f9c…`). Other text is returned as is.
    public static func normalizedGUID(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isGUID(trimmed) else { return trimmed }
        var body = Substring(trimmed.lowercased())
        if body.hasPrefix("{") { body = body.dropFirst().dropLast() }
        return String(body)
    }

    /// The value of an LDAP DN's first RDN when that RDN is a `CN=` (RFC 4514 escapes undone), else nil.
    public static func firstRDNValue(ofDN text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 3 else { return nil }
        let prefix = String(String.UnicodeScalarView(scalars[0..<3])).uppercased()
        guard prefix == "CN=" else { return nil }
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
        let trimmed = value.trimmingCharacters(in: .whitespaces)
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
        var body = Substring(text)
        if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
