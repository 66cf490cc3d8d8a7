import Core
import Inventory
import Foundation

/// One bypass record inside the period: an enable, a removal, a re-enable, a failed attempt or an unreadable one.
public struct ReportChange: Sendable, Hashable, Codable, JSONConcurrentlyEncodable {
    /// Stable anchor (`change-…`) derived from the event id: computed when shown rather than kept per row (at
    /// 200,000 changes the stored copies were 16 MB of a report's peak).
    public var anchor: String { ReportAnchor.change(eventID) }
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
        eventID: String, time: Date, kind: ChangeKind, accountKey: String?, account: String?,
        identity: String?, actor: String?, actorAuthorized: Bool?, clientIP: String?, outcome: EventOutcome,
        direction: BypassDirection, originalStatus: String?
    ) {
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

    // Written by hand only because `anchor` is derived: encoded like a stored property, ignored when decoding.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            eventID: try container.decode(String.self, forKey: .eventID), time: try container.decode(Date.self, forKey: .time),
            kind: try container.decode(ChangeKind.self, forKey: .kind),
            accountKey: try container.decodeIfPresent(String.self, forKey: .accountKey),
            account: try container.decodeIfPresent(String.self, forKey: .account),
            identity: try container.decodeIfPresent(String.self, forKey: .identity),
            actor: try container.decodeIfPresent(String.self, forKey: .actor),
            actorAuthorized: try container.decodeIfPresent(Bool.self, forKey: .actorAuthorized),
            clientIP: try container.decodeIfPresent(String.self, forKey: .clientIP),
            outcome: try container.decode(EventOutcome.self, forKey: .outcome),
            direction: try container.decode(BypassDirection.self, forKey: .direction),
            originalStatus: try container.decodeIfPresent(String.self, forKey: .originalStatus))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(anchor, forKey: .anchor)
        try container.encode(eventID, forKey: .eventID)
        try container.encode(time, forKey: .time)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(accountKey, forKey: .accountKey)
        try container.encodeIfPresent(account, forKey: .account)
        try container.encodeIfPresent(identity, forKey: .identity)
        try container.encodeIfPresent(actor, forKey: .actor)
        try container.encodeIfPresent(actorAuthorized, forKey: .actorAuthorized)
        try container.encodeIfPresent(clientIP, forKey: .clientIP)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(direction, forKey: .direction)
        try container.encodeIfPresent(originalStatus, forKey: .originalStatus)
    }
}
