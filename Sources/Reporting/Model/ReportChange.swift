import Core
import Inventory
import Foundation

/// One bypass record inside the period: an enable, a removal, a re-enable, a failed attempt or an unreadable one.
public struct ReportChange: Sendable, Hashable, Codable {
    /// Stable anchor (`change-…`) derived from the event id.
    public var anchor: String
    public var eventID: String
    public var time: Date
    public var kind: ChangeKind
    /// The inventory account it touched (nil for an indeterminate record).
    public var accountKey: String?
    /// The account's display name, else the identity the record used.
    public var account: String?
    /// The `Identity` parameter as the admin typed it.
    public var identity: String?
    public var actor: String?
    /// Whether `actor` is in `authorized_admins`; nil when the register does not restrict admins or no actor.
    public var actorAuthorized: Bool?
    public var clientIP: String?
    public var outcome: EventOutcome
    public var direction: BypassDirection
    /// The record's own `ResultStatus`, when it had one.
    public var originalStatus: String?

    public init(
        anchor: String, eventID: String, time: Date, kind: ChangeKind, accountKey: String?, account: String?,
        identity: String?, actor: String?, actorAuthorized: Bool?, clientIP: String?, outcome: EventOutcome,
        direction: BypassDirection, originalStatus: String?
    ) {
        self.anchor = anchor
        self.eventID = eventID
        self.time = time
        self.kind = kind
        self.accountKey = accountKey
        self.account = account
        self.identity = identity
        self.actor = actor
        self.actorAuthorized = actorAuthorized
        self.clientIP = clientIP
        self.outcome = outcome
        self.direction = direction
        self.originalStatus = originalStatus
    }

    enum CodingKeys: String, CodingKey {
        case anchor
        case eventID
        case time, kind, accountKey, account, identity, actor, actorAuthorized
        case clientIP
        case outcome, direction, originalStatus
    }
}
