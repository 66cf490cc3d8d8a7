import Foundation

/// Quoting for the commands that findings recommend, so that an attacker-chosen account name stays inert text
/// when an admin pastes the command.
enum RemediationText {
    /// A PowerShell single-quoted string literal. PowerShell also ends a single-quoted string at the typographic
    /// quotes ‘ ’ ‚ ‛, so every one of them is doubled, not only `'`.
    static func powerShellLiteral(_ text: String) -> String {
        let quotes: Set<Unicode.Scalar> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]
        if !text.unicodeScalars.contains(where: quotes.contains) { return "'" + text + "'" }
        var quoted = "'"
        for character in text {
            switch character {
            case "'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}":
                quoted.append(character)
                quoted.append(character)
            default:
                quoted.append(character)
            }
        }
        return quoted + "'"
    }

    /// A POSIX shell word: left bare when it holds only safe characters, else single-quoted.
    static func shellWord(_ text: String) -> String {
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-@:".unicodeScalars.contains(scalar))
        }
        if safe { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The Exchange Online command that removes `name`'s bypass association.
    static func removeBypass(_ name: String) -> String {
        "Set-MailboxAuditBypassAssociation -Identity \(powerShellLiteral(name)) -AuditBypassEnabled $false"
    }

    /// The Exchange Online command that shows `name`'s bypass association as Exchange sees it now.
    static func showBypass(_ name: String) -> String {
        "Get-MailboxAuditBypassAssociation -Identity \(powerShellLiteral(name)) | Format-List Name,AuditBypassEnabled"
    }

    /// An actor for a sentence: the name quoted, or a plain phrase when the record named nobody.
    static func actor(_ actor: String?) -> String {
        actor.map { "'\($0)'" } ?? "an actor the record does not name"
    }

    static func time(_ date: Date) -> String { UTCTimestamp.format(date) }

    /// `'svc-backup'` or `'svc-backup' (also: svc-backup@contoso.com)`: the short names a person recognises.
    /// Distinguished names, canonical paths and GUIDs stay in the finding's `names`; they only make a sentence unreadable.
    static func accountLabel(_ account: InventoryAccount) -> String {
        let displayKey = AccountName.key(for: account.displayName)
        var seen: Set<String> = [displayKey]
        let others = account.names.filter { name in
            let key = AccountName.key(for: name)
            guard !key.contains("/"), !key.hasPrefix("cn="), !AccountName.isGUID(key) else { return false }
            return seen.insert(key).inserted
        }
        guard !others.isEmpty else { return "'\(account.displayName)'" }
        let shown = others.prefix(3).joined(separator: ", ")
        let more = others.count > 3 ? " and \(others.count - 3) more" : ""
        return "'\(account.displayName)' (also: \(shown)\(more))"
    }

    /// The first `limit` items joined with commas, then "and N more": a sentence stays readable however many there are.
    static func firstFew(_ items: [String], limit: Int = 10) -> String {
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? "\(shown) and \(items.count - limit) more" : shown
    }

    static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
