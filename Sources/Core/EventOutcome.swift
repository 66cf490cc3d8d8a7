/// `event.outcome` as ECS defines it.
public enum EventOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case success
    case failure
    case unknown

    /// Reads an `event.outcome` value; anything unrecognised is `unknown`.
    public init(ecsValue: String?) {
        self = ecsValue.flatMap { EventOutcome(rawValue: $0.lowercased()) } ?? .unknown
    }

    /// Elastic's o365 pipeline mapping of a record's `ResultStatus`: succeeded, success, partiallysucceeded and true
    /// are success; failed and false are failure; anything else, including no status, is success too.
    public init(resultStatus: String?) {
        switch resultStatus?.lowercased() {
        case "failed", "false": self = .failure
        default: self = .success
        }
    }

    /// Whether a raw `ResultStatus` is one Elastic's mapping knows, so "success because unknown" can be told apart.
    public static func isRecognised(resultStatus: String?) -> Bool {
        guard let status = resultStatus?.lowercased() else { return false }
        return ["succeeded", "success", "partiallysucceeded", "true", "failed", "false"].contains(status)
    }
}

/// What a `Set-MailboxAuditBypassAssociation` call asked for.
public enum BypassDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// `-AuditBypassEnabled $true`: the account's mailbox activity stops being audited.
    case enabled
    /// `-AuditBypassEnabled $false`: auditing resumes.
    case removed
    /// The record does not say (parameter missing or unreadable).
    case unknown

    /// The direction an `AuditBypassEnabled` parameter asks for (read with `AuditBypassFlag`).
    public init(auditBypassEnabled value: String?) {
        switch AuditBypassFlag.state(of: value) {
        case true?: self = .enabled
        case false?: self = .removed
        case nil: self = .unknown
        }
    }
}

import Foundation
