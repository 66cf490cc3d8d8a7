import Core
import Inventory
import Foundation

/// Quoting for the commands that findings recommend, so that an attacker-chosen account name stays inert text
/// when an admin pastes the command.
enum RemediationText {
    /// A PowerShell single-quoted string literal (`PowerShellQuoting`, the one quoter).
    static func powerShellLiteral(_ text: String) -> String {
        PowerShellQuoting.singleQuoted(text)
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
    /// A name with hidden characters is named by `guid`, else the command becomes a `# MANUAL:` line.
    static func removeBypass(_ name: String, guid: String? = nil) -> String {
        PowerShellQuoting.identityCommand(
            "Set-MailboxAuditBypassAssociation", name: name, guid: guid, arguments: "-AuditBypassEnabled $false")
    }

    /// The Exchange Online command that shows `name`'s bypass association as Exchange sees it now.
    static func showBypass(_ name: String, guid: String? = nil) -> String {
        PowerShellQuoting.identityCommand(
            "Get-MailboxAuditBypassAssociation", name: name, guid: guid, arguments: "| Format-List Name,AuditBypassEnabled")
    }

    /// Any other cmdlet aimed at one account, by the same rules.
    static func command(_ cmdlet: String, _ name: String, guid: String? = nil, _ arguments: String) -> String {
        PowerShellQuoting.identityCommand(cmdlet, name: name, guid: guid, arguments: arguments)
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
    static func firstFew(_ items: [String], limit: Int = firstFewLimit) -> String {
        firstFew(Array(items.prefix(limit)), of: items.count)
    }

    /// `firstFew` of a list of `count` items of which only the first (up to `firstFewLimit`) are at hand.
    static func firstFew(_ first: [String], of count: Int) -> String {
        let shown = first.joined(separator: ", ")
        return count > first.count ? "\(shown) and \(count - first.count) more" : shown
    }

    /// How many items `firstFew` names.
    static let firstFewLimit = 10

    static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
