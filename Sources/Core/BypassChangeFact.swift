import Foundation

/// What one stored `Set-MailboxAuditBypassAssociation` record says, derived once from the normalised event when it
/// is stored (`EventStore.insert` writes it in the same transaction as the event) and read by alerts, inventory,
/// drift and the report instead of the event's document.
///
/// The event id is always the record's own `Id`: readers reject a record without one, so no id is made up.
public struct BypassChangeFact: Sendable, Hashable {
    /// `event.id`: the stored event this fact was derived from.
    public var eventID: String
    /// `organization.id`.
    public var tenant: TenantID
    /// `@timestamp` at full precision; nil when the record has none that parses.
    public var time: Date?
    /// `-Identity` as the record wrote it.
    public var identity: String?
    /// The record's `ObjectId` (Exchange writes the target's object id or name there).
    public var objectID: String?
    /// `user.id`: who ran the cmdlet.
    public var actor: String?
    public var clientIP: String?
    /// What `-AuditBypassEnabled` asked for (read with `AuditBypassFlag`).
    public var direction: BypassDirection
    /// `event.outcome` as Elastic's pipeline set it.
    public var outcome: EventOutcome
    /// The record's own `ResultStatus`, before Elastic's mapping.
    public var originalStatus: String?
    /// Whether the cmdlet took effect (see `succeeded(outcome:originalStatus:)`).
    public var succeeded: Bool
    /// False only for a fact backfilled (at upgrade) from a stored document that no longer decodes: nothing but the
    /// event's indexed columns could be read, so direction and outcome are unknown.
    public var documentReadable: Bool

    public init(
        eventID: String, tenant: TenantID, time: Date?, identity: String?, objectID: String?, actor: String?,
        clientIP: String?, direction: BypassDirection, outcome: EventOutcome, originalStatus: String?,
        succeeded: Bool? = nil, documentReadable: Bool = true
    ) {
        self.eventID = eventID
        self.tenant = tenant
        self.time = time
        self.identity = identity
        self.objectID = objectID
        self.actor = actor
        self.clientIP = clientIP
        self.direction = direction
        self.outcome = outcome
        self.originalStatus = originalStatus
        self.succeeded = succeeded ?? Self.succeeded(outcome: outcome, originalStatus: originalStatus)
        self.documentReadable = documentReadable
    }

    /// The fact a normalised event states; nil when it is not a bypass change or has no id.
    public init?(event: AuditEvent) {
        guard event.isBypassChange, let id = event.id else { return nil }
        self.init(
            eventID: id, tenant: event.tenant, time: event.timestamp, identity: event.parameter("Identity"),
            objectID: event.objectID, actor: event.actor, clientIP: event.clientIP, direction: event.bypassDirection,
            outcome: event.outcome, originalStatus: event.originalStatus)
    }

    /// Whether the cmdlet took effect. Elastic maps a missing or unknown `ResultStatus` to success, and a document
    /// without `event.outcome` is read the same way unless its own status says it failed: a bypass that may have
    /// been set is reported rather than hidden.
    public static func succeeded(outcome: EventOutcome, originalStatus: String?) -> Bool {
        switch outcome {
        case .success: true
        case .failure: false
        case .unknown: EventOutcome(resultStatus: originalStatus) == .success
        }
    }
}
