import Foundation

/// The one reading of an `AuditBypassEnabled` value, wherever it comes from: the cmdlet parameter of a
/// `Set-MailboxAuditBypassAssociation` log record and the column of a `Get-MailboxAuditBypassAssociation` export.
///
/// Vocabulary (surrounding spaces ignored, letters in any case):
/// - enabled: `True`, `$true`, `1`
/// - not enabled: `False`, `$false`, `0`
/// - anything else, or no value: unreadable (nil), which callers report as indeterminate and never read as "not
///   bypassed".
///
/// `True`/`False` is how Exchange writes the parameter and how PowerShell prints the property; `$true`/`$false` is
/// the command-line form; `1`/`0` is how some SIEM exports and spreadsheets write booleans.
public enum AuditBypassFlag {
    /// The value read as a state: true (bypass on), false (bypass off), nil (unreadable).
    public static func state(of text: String?) -> Bool? {
        guard let text else { return nil }
        // Fast path for the spellings Exchange writes: no trimming or case folding needed.
        switch text {
        case "True", "true": return true
        case "False", "false": return false
        default: break
        }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "$true", "1": return true
        case "false", "$false", "0": return false
        default: return nil
        }
    }
}
