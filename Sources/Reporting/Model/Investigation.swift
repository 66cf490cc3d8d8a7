import Core
import Foundation

/// Why an account gets an investigation section.
public enum InvestigationReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Bypassed at as-of with no register entry.
    case unapproved
    /// Bypassed at as-of on an approval that has expired.
    case expired
    /// Bypassed without an approval for part of the period, then removed before as-of.
    case removedUnapproved = "removed-unapproved"

    public var label: String {
        switch self {
        case .unapproved: "Unapproved bypass"
        case .expired: "Expired approval"
        case .removedUnapproved: "Unapproved bypass, removed in the period"
        }
    }
}

/// A stretch of time during which an account's mailbox activity was not audited.
public struct BlindWindow: Sendable, Hashable, Codable {
    /// When auditing stopped; nil when no event or snapshot dates it.
    public var start: Date?
    /// True when `start` comes from a snapshot rather than the enabling event: the window began at the latest then.
    public var startIsUpperBound: Bool
    /// The enabling event, when one was ingested.
    public var openedByEventID: String?
    /// The actor who opened the window, when an event says.
    public var openedBy: String?
    /// Whether `openedBy` is in `authorized_admins`; nil when not checked or unknown.
    public var openedByAuthorized: Bool?
    /// The client IP of the enabling event, when known.
    public var openedFromIP: String?
    /// When auditing resumed; nil while the window is still open at as-of.
    public var end: Date?
    public var closedByEventID: String?
    public var closedBy: String?
    /// Seconds from `start` to `end` (or to as-of while open); nil when `start` is unknown.
    public var durationSeconds: Int?

    public init(
        start: Date?, startIsUpperBound: Bool, openedByEventID: String?, openedBy: String?, openedByAuthorized: Bool?,
        openedFromIP: String?, end: Date?, closedByEventID: String?, closedBy: String?, durationSeconds: Int?
    ) {
        self.start = start
        self.startIsUpperBound = startIsUpperBound
        self.openedByEventID = openedByEventID
        self.openedBy = openedBy
        self.openedByAuthorized = openedByAuthorized
        self.openedFromIP = openedFromIP
        self.end = end
        self.closedByEventID = closedByEventID
        self.closedBy = closedBy
        self.durationSeconds = durationSeconds
    }

    /// Whether auditing was still off at as-of.
    public var isOpen: Bool { end == nil }

    enum CodingKeys: String, CodingKey {
        case start, startIsUpperBound
        case openedByEventID
        case openedBy, openedByAuthorized
        case openedFromIP
        case end
        case closedByEventID
        case closedBy, durationSeconds, isOpen
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try container.decodeIfPresent(Date.self, forKey: .start)
        startIsUpperBound = try container.decode(Bool.self, forKey: .startIsUpperBound)
        openedByEventID = try container.decodeIfPresent(String.self, forKey: .openedByEventID)
        openedBy = try container.decodeIfPresent(String.self, forKey: .openedBy)
        openedByAuthorized = try container.decodeIfPresent(Bool.self, forKey: .openedByAuthorized)
        openedFromIP = try container.decodeIfPresent(String.self, forKey: .openedFromIP)
        end = try container.decodeIfPresent(Date.self, forKey: .end)
        closedByEventID = try container.decodeIfPresent(String.self, forKey: .closedByEventID)
        closedBy = try container.decodeIfPresent(String.self, forKey: .closedBy)
        durationSeconds = try container.decodeIfPresent(Int.self, forKey: .durationSeconds)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(start, forKey: .start)
        try container.encode(startIsUpperBound, forKey: .startIsUpperBound)
        try container.encodeIfPresent(openedByEventID, forKey: .openedByEventID)
        try container.encodeIfPresent(openedBy, forKey: .openedBy)
        try container.encodeIfPresent(openedByAuthorized, forKey: .openedByAuthorized)
        try container.encodeIfPresent(openedFromIP, forKey: .openedFromIP)
        try container.encodeIfPresent(end, forKey: .end)
        try container.encodeIfPresent(closedByEventID, forKey: .closedByEventID)
        try container.encodeIfPresent(closedBy, forKey: .closedBy)
        try container.encodeIfPresent(durationSeconds, forKey: .durationSeconds)
        try container.encode(isOpen, forKey: .isOpen)
    }
}

/// Which half of the seed's guide a checklist step comes from.
public enum ChecklistPhase: String, Sendable, Hashable, Codable {
    /// "Possible investigation steps".
    case investigation
    /// "Response and remediation".
    case response
}

/// How far the stored data already answers a checklist step.
public enum ChecklistState: String, Sendable, Hashable, Codable {
    /// The data answers it; a person confirms.
    case answered
    /// The data answers part of it; a person completes it.
    case partial
    /// A person must do it.
    case open

    public var label: String {
        switch self {
        case .answered: "Answered by the data"
        case .partial: "Partly answered"
        case .open: "To do"
        }
    }
}

/// One step of the seed rule's investigation or response guide, pre-filled with what the data says.
public struct ChecklistItem: Sendable, Hashable, Codable {
    /// `investigate-1` … `respond-7`: stable, so reviewers can refer to a step.
    public var id: String
    public var phase: ChecklistPhase
    /// The step, from the seed's guide.
    public var step: String
    public var state: ChecklistState
    /// What the data already says (may quote account names and actors: escape when rendering).
    public var answer: String?

    public init(id: String, phase: ChecklistPhase, step: String, state: ChecklistState, answer: String?) {
        self.id = id
        self.phase = phase
        self.step = step
        self.state = state
        self.answer = answer
    }
}

/// For one account bypassed without a valid approval: its blind windows, who opened them, and the seed's
/// investigation and response checklist filled in with what the data answers.
public struct Investigation: Sendable, Hashable, Codable, JSONConcurrentlyEncodable {
    /// Stable anchor (`investigation-…`) derived from the account key.
    public var anchor: String
    public var accountKey: String
    public var account: String
    /// The inventory row's anchor while the account is still bypassed (nil once removed).
    public var accountAnchor: String?
    public var reason: InvestigationReason
    public var entryID: String?
    public var findingIDs: [String]
    /// Windows that overlap the period, oldest first; the last one is the current (or latest) window.
    public var windows: [BlindWindow]
    /// The seed's steps, answered: written for the first investigations only (`ReportBuilder`'s `checklists`), the
    /// ones some file shows; empty for the rest, whose answers come from `changes.csv` and `findings.csv`.
    public var checklist: [ChecklistItem]

    public init(
        anchor: String, accountKey: String, account: String, accountAnchor: String?, reason: InvestigationReason,
        entryID: String?, findingIDs: [String], windows: [BlindWindow], checklist: [ChecklistItem]
    ) {
        self.anchor = anchor
        self.accountKey = accountKey
        self.account = account
        self.accountAnchor = accountAnchor
        self.reason = reason
        self.entryID = entryID
        self.findingIDs = findingIDs
        self.windows = windows
        self.checklist = checklist
    }

    /// The window the checklist is about: the open one, else the latest.
    public var currentWindow: BlindWindow? { windows.last }

    enum CodingKeys: String, CodingKey {
        case anchor, accountKey, account, accountAnchor, reason
        case entryID
        case findingIDs
        case windows, checklist
    }
}
