/// The one rule by which two names say "the same account": a register entry's account and aliases, an
/// `authorized_admins` name, a log record's identity, a snapshot row's names and an inventory account's names and
/// GUIDs all compare through this key, in inventory, drift and report alike.
///
/// - Names compare whole, never by prefix or substring (`svc` is not `svc-backup`), case-insensitively (Exchange
///   compares identities that way), after trimming white space.
/// - A GUID compares in one form: lowercase, without braces (`{7F9C…}` is `7f9c…`).
/// - The names inside an identity string are its own (`AccountName.names(in:)`): the string itself plus the object's
///   name at the end of a canonical path or in a DN's leading `CN=`. A UPN matches as a whole address only: its
///   local part is not a name of its own, since `svc-backup@contoso.com` and `svc-backup@fabrikam.com` are
///   different mailboxes and an entry for one must never approve the other.
/// - A name holding a control character (NUL, ESC, any C0/C1 code) has no key: such a name is a distinct identity
///   that never matches a register entry or an authorized admin. A store or reader that cut it at the control
///   character (`svc-backup\0-attacker` → `svc-backup`) would otherwise turn an attacker's account into an
///   approved one.
public struct AccountKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The comparison form.
    public let value: String

    /// The key of `name`, or nil when `name` is blank or holds a control character (and so matches nothing).
    public init?(_ name: String) {
        let trimmed = name.whitespaceTrimmed
        guard !trimmed.isEmpty, !AccountKey.containsControlCharacter(trimmed) else { return nil }
        let lowered = trimmed.lowercased()
        if AccountName.isGUID(lowered) {
            value = lowered.hasPrefix("{") ? String(lowered.dropFirst().dropLast()) : lowered
        } else {
            value = lowered
        }
    }

    /// The keys of every name (names without a key are left out).
    public static func keys(of names: some Sequence<String>) -> Set<AccountKey> {
        Set(names.compactMap(AccountKey.init))
    }

    /// Whether `text` holds a C0 or C1 control character or DEL.
    ///
    /// These are exactly the code points of general category Cc, which Unicode's stability policy fixes for good;
    /// checking their values spares a property lookup per character (every key of every change of a month is made
    /// here).
    public static func containsControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    public var isGUID: Bool { AccountName.isGUID(value) }
    public var description: String { value }
    public static func < (lhs: AccountKey, rhs: AccountKey) -> Bool { lhs.value < rhs.value }
}

extension AccountName {
    /// This name's matching key (nil when it can match nothing); see `AccountKey`.
    public var matchKey: AccountKey? { AccountKey(text) }
}
