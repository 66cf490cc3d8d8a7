/// Text stored in SQLite columns without losing a NUL.
///
/// GRDB binds a Swift `String` with `sqlite3_bind_text(…, -1, …)` and reads it back with `String(cString:)`, so a
/// value is cut at its first NUL both ways: `svc-backup\0-attacker` would be stored and read as `svc-backup`, an
/// approved account. Attacker-written text columns (a bypass change's identity, object id, actor and client IP; an
/// alert's actor, target and object id) go through this reversible form instead.
///
/// Text without NUL that does not start with U+FFFF (every real name) is stored as it is, so existing rows and
/// older databases read the same. Other text is stored as U+FFFF followed by the text with each NUL written as
/// U+FFFF `0` and each U+FFFF as U+FFFF U+FFFF. U+FFFF is a Unicode noncharacter: no export writes it.
package enum NULSafeText {
    private static let marker: Unicode.Scalar = "\u{FFFF}"

    /// The stored form of `text`.
    package static func encode(_ text: String) -> String {
        guard text.utf8.contains(0) || text.unicodeScalars.first == marker else { return text }
        var stored = String.UnicodeScalarView()
        stored.append(marker)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{0}": stored.append(contentsOf: [marker, "0"])
            case marker: stored.append(contentsOf: [marker, marker])
            default: stored.append(scalar)
            }
        }
        return String(stored)
    }

    package static func encode(_ text: String?) -> String? { text.map(encode) }

    /// The text `stored` stands for (the inverse of `encode`).
    package static func decode(_ stored: String) -> String {
        // U+FFFF is EF BF BF in UTF-8: one byte tells the common case apart at no cost.
        guard stored.utf8.first == 0xEF, stored.unicodeScalars.first == marker else { return stored }
        var text = String.UnicodeScalarView()
        var escaped = false
        for scalar in stored.unicodeScalars.dropFirst() {
            if escaped {
                text.append(scalar == "0" ? "\u{0}" : scalar)
                escaped = false
            } else if scalar == marker {
                escaped = true
            } else {
                text.append(scalar)
            }
        }
        return String(text)
    }

    package static func decode(_ stored: String?) -> String? { stored.map(decode) }
}
