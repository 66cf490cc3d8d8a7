import Core
import Store
import Foundation

/// One edit of the register, as the commands ask for it.
public enum AllowlistEditRequest: Sendable, Hashable {
    /// Append an entry (an empty id means the next unused one); `allowIncomplete` lets required fields be missing.
    case add(AllowlistEntry, allowIncomplete: Bool)
    /// Record a review, and a new expiry when given.
    case renew(id: String, reviewedOn: UTCDay, expiresOn: UTCDay?)
    /// Remove an entry.
    case remove(id: String)
}

/// What an edit would do, worked out and validated but not applied (`--dry-run`, and the prompt before `remove`).
public struct AllowlistEditPreview: Sendable, Hashable, Encodable {
    public var dryRun = true
    public var path: String
    public var action: AllowlistEdit.Action
    public var entryId: String
    /// The edit log's summary line the edit would get.
    public var summary: String
    /// The entry as the register holds it now (renew, remove).
    public var entry: AllowlistEntry?
    public var sha256Before: String
    public var sha256After: String
    /// The change as a unified diff of the register (what `git diff` would show after the edit).
    public var diff: String
    /// Warnings the register would have after the edit.
    public var warnings: [AllowlistIssue]
}

extension AllowlistEditor {
    /// Works out `request` on the register at `path` without writing anything: the file, its lock-protected edit and
    /// the database stay as they are. `database`, when there is one, supplies the ids used before (never reused).
    public static func preview(_ request: AllowlistEditRequest, path: String, database: AuditDatabase?, at: Date = Date())
        throws -> AllowlistEditPreview
    {
        try RegisterLock.with(path, .shared) {
            let planner = AllowlistEditPlanner(path: path)
            let plan: AllowlistEditPlanner.Plan
            switch request {
            case .add(let entry, let allowIncomplete):
                let everUsed = try database.map { try idsEverLogged(in: $0) } ?? []
                plan = try planner.add(entry, allowIncomplete: allowIncomplete, everUsed: everUsed)
            case .renew(let id, let reviewedOn, let expiresOn):
                plan = try planner.renew(id: id, reviewedOn: reviewedOn, expiresOn: expiresOn, today: UTCDay(containing: at))
            case .remove(let id):
                plan = try planner.remove(id: id)
            }
            let key = AllowlistIDs.key(plan.entryID)
            return AllowlistEditPreview(
                path: path, action: plan.action, entryId: plan.entryID, summary: plan.summary,
                entry: plan.before.allowlist?.entries.first { AllowlistIDs.key($0.id) == key },
                sha256Before: plan.before.sha256, sha256After: plan.after.sha256,
                diff: UnifiedDiff.make(
                    old: plan.before.content, new: plan.after.content, oldLabel: path,
                    newLabel: "\(path) (after \(plan.action.rawValue) \(plan.entryID))"),
                warnings: plan.after.warnings)
        }
    }

    /// Applies `request`; `reason` goes to the edit log (required for `remove`).
    @discardableResult
    public func apply(_ request: AllowlistEditRequest, reason: String?, at: Date = Date()) throws -> AllowlistEditOutcome {
        switch request {
        case .add(let entry, let allowIncomplete):
            try add(entry, reason: reason, allowIncomplete: allowIncomplete, at: at)
        case .renew(let id, let reviewedOn, let expiresOn):
            try renew(id: id, reviewedOn: reviewedOn, expiresOn: expiresOn, reason: reason, at: at)
        case .remove(let id):
            try remove(id: id, reason: reason ?? "", at: at)
        }
    }
}
