import Core
import Store
import Foundation
import GRDB

/// Changes the register the way an admin would by hand, but safely: `add`, `renew` and `remove` splice only the
/// edited entry's text, validate the whole result, log who did what and why, and replace the file atomically.
/// Each edit holds the register's lock (`RegisterLock`) from reading the file to logging the edit, so parallel edits
/// apply one after the other, each to the register the previous one wrote.
///
/// The edit's intent is logged before the file is replaced and completed after it (`AllowlistEditJournal`): if the
/// file cannot be written no edit is logged, and if the process dies after replacing the file the next command on
/// the register writes the edit-log row, with the edit's own author, reason and time.
public struct AllowlistEditor: Sendable {
    /// The register file.
    public let path: String
    /// Where the edit log and version history live.
    public let database: AuditDatabase
    /// Who the log names (`--by`, else the login name).
    public let by: String

    public init(path: String, database: AuditDatabase, by: String? = nil) {
        self.path = path
        self.database = database
        self.by = by?.whitespaceTrimmed.nilIfEmpty ?? LoginName.current()
    }

    /// Appends `entry` at the end of `entries`. An empty `id` means "the next free id" (`AB-0006` after `AB-0005`).
    /// Refuses an entry that would make the register invalid, or that lacks fields its category requires unless
    /// `allowIncomplete`.
    @discardableResult
    public func add(_ entry: AllowlistEntry, reason: String? = nil, allowIncomplete: Bool = false, at: Date = Date())
        throws -> AllowlistEditOutcome
    {
        try RegisterLock.with(path, .exclusive) {
            try addLocked(entry, reason: reason, allowIncomplete: allowIncomplete, at: at)
        }
    }

    private func addLocked(_ entry: AllowlistEntry, reason: String?, allowIncomplete: Bool, at: Date) throws
        -> AllowlistEditOutcome
    {
        let recovered = try AllowlistEditJournal.recover(path: path, database: database)
        let plan = try AllowlistEditPlanner(path: path).add(entry, allowIncomplete: allowIncomplete, everUsed: try idsEverLogged())
        return try commit(plan, reason: reason, at: at, recovered: recovered)
    }

    /// Every entry id the edit log or the register's version history has seen: removed ids included, so that none is
    /// handed out again (the register's header promises ids are never reused).
    private func idsEverLogged() throws -> [String] { try Self.idsEverLogged(in: database) }

    static func idsEverLogged(in database: AuditDatabase) throws -> [String] {
        try database.read { db in
            try AllowlistHistory.edits(db, from: nil, to: nil).map(\.entryID)
                + AllowlistHistory.changes(db, from: nil, to: nil).map(\.entryID)
        }.filter { !$0.isEmpty }
    }

    /// Records a review of entry `id` on `reviewedOn`, and a new expiry when `expiresOn` is given.
    /// The review may not be in the future nor older than the recorded one; a new expiry must follow the review.
    @discardableResult
    public func renew(id: String, reviewedOn: UTCDay, expiresOn: UTCDay? = nil, reason: String? = nil, at: Date = Date())
        throws -> AllowlistEditOutcome
    {
        try RegisterLock.with(path, .exclusive) {
            try renewLocked(id: id, reviewedOn: reviewedOn, expiresOn: expiresOn, reason: reason, at: at)
        }
    }

    private func renewLocked(id: String, reviewedOn: UTCDay, expiresOn: UTCDay?, reason: String?, at: Date) throws
        -> AllowlistEditOutcome
    {
        let recovered = try AllowlistEditJournal.recover(path: path, database: database)
        let plan = try AllowlistEditPlanner(path: path).renew(id: id, reviewedOn: reviewedOn, expiresOn: expiresOn, today: UTCDay(containing: at))
        return try commit(plan, reason: reason, at: at, recovered: recovered)
    }

    /// Removes entry `id`; `reason` is required (why the exemption is no longer needed).
    @discardableResult
    public func remove(id: String, reason: String, at: Date = Date()) throws -> AllowlistEditOutcome {
        try RegisterLock.with(path, .exclusive) { try removeLocked(id: id, reason: reason, at: at) }
    }

    private func removeLocked(id: String, reason: String, at: Date) throws -> AllowlistEditOutcome {
        let reason = reason.whitespaceTrimmed
        guard !reason.isEmpty else { throw AllowlistEditError.invalidRequest("removing an entry needs a reason") }
        let recovered = try AllowlistEditJournal.recover(path: path, database: database)
        return try commit(try AllowlistEditPlanner(path: path).remove(id: id), reason: reason, at: at, recovered: recovered)
    }

    /// Logs the intent, replaces the file, then logs the edit (see `AllowlistEditJournal`): a crash between any two
    /// steps is settled by the next command on this register, so the file never changes without its log entry.
    private func commit(_ plan: AllowlistEditPlanner.Plan, reason: String?, at: Date, recovered: [AllowlistEditRecovery]) throws
        -> AllowlistEditOutcome
    {
        let at = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let reason = reason?.whitespaceTrimmed.nilIfEmpty
        let (before, after, entryID) = (plan.before, plan.after, plan.entryID)
        let edit = AllowlistEdit(at: at, by: by, action: plan.action, entryID: entryID, reason: reason, summary: plan.summary)
        let path = self.path
        let intent = try database.write { db in
            // The version the admin started from becomes the baseline, so the edit shows up as a change too.
            try AllowlistHistory.record(db, before, path: path, at: at)
            let id = try AllowlistEditJournal.begin(
                db, edit: edit, path: path, beforeSHA256: before.sha256, afterSHA256: after.sha256)
            return AllowlistEditJournal.Intent(
                id: id, path: AllowlistEditJournal.key(path), edit: edit, beforeSHA256: before.sha256,
                afterSHA256: after.sha256)
        }
        CrashPoint.registerIntentLogged.reach()
        do {
            // Editors through the tool wait for the lock; this catches a hand edit saved in the meantime.
            let onDisk = try? Data(contentsOf: URL(fileURLWithPath: path))
            guard onDisk.map(SHA256Digest.hex(of:)) == before.sha256 else {
                throw AllowlistEditError.changedWhileEditing(path: path)
            }
            do {
                try AtomicFileWriter.write(Data(after.content.utf8), to: path)
            } catch {
                throw AllowlistEditError.cannotWrite(path: path, reason: "\(error)")
            }
        } catch {
            // The file was not replaced: the intent is void. Should this fail too, the next command rolls it back.
            _ = try? database.write { db in try AllowlistEditJournal.resolve(db, intent: intent.id, as: .rolledBack, now: Date()) }
            throw error
        }
        CrashPoint.registerFileReplaced.reach()
        let done = try database.write { db in
            try AllowlistEditJournal.complete(
                db, intent: intent, path: path, after: after, knownPrevious: before, now: Date())
        }
        guard let (editID, changes) = done else {
            throw AllowlistEditError.readBackMismatch(id: entryID, detail: "the edit was settled by another process")
        }
        return AllowlistEditOutcome(
            edit: edit, editID: editID, result: after, fromSHA256: before.sha256, changes: changes, recovered: recovered)
    }
}

/// What an edit did.
public struct AllowlistEditOutcome: Sendable, Hashable {
    public var edit: AllowlistEdit
    /// The edit's row id in `allowlist_edit` (its ledger ref).
    public var editID: Int64
    /// The register as written (valid; may carry warnings).
    public var result: AllowlistLoadResult
    /// The register's hash before the edit (`result.sha256` is the one after).
    public var fromSHA256: String
    /// The entry-level changes between the two versions.
    public var changes: [AllowlistVersionChange]
    /// Edits interrupted by an earlier crash that this run settled before making its own.
    public var recovered: [AllowlistEditRecovery] = []
}

extension AllowlistIDs {
    /// The id after the highest `PREFIX-NNNN` in use (most common prefix, same digit count); `AB-0001` for none.
    static func next(after ids: [String]) -> String {
        var numbered: [(prefix: String, number: Int, width: Int)] = []
        for id in ids {
            let digits = id.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int(String(digits.reversed())) else { continue }
            numbered.append((String(id.dropLast(digits.count)), number, digits.count))
        }
        guard !numbered.isEmpty else { return "AB-0001" }
        let counts = Dictionary(grouping: numbered, by: \.prefix).mapValues(\.count)
        let prefix = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
        let same = numbered.filter { $0.prefix == prefix }
        let width = same.map(\.width).max() ?? 4
        var number = (same.map(\.number).max() ?? 0) + 1
        let taken = Set(ids.map(key))
        while true {
            let digits = String(number)
            let candidate = prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
            if !taken.contains(key(candidate)) { return candidate }
            number += 1
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
