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
        let plan = try planAdd(entry, allowIncomplete: allowIncomplete, everUsed: try idsEverLogged())
        return try commit(plan, reason: reason, at: at, recovered: recovered)
    }

    private func planAdd(_ entry: AllowlistEntry, allowIncomplete: Bool, everUsed: [String]) throws -> Plan {
        var entry = entry
        entry.id = entry.id.whitespaceTrimmed
        // Names are compared trimmed; write them that way rather than quoting stray spaces into the register.
        entry.account = entry.account.whitespaceTrimmed
        entry.aliases = entry.aliases.map { $0.whitespaceTrimmed }
        let (before, newContent) = try withCurrent { current in
            let inRegister = current.syntax.entries.compactMap(\.id)
            if entry.id.isEmpty { entry.id = AllowlistIDs.next(after: inRegister + everUsed) }
            if current.syntax.entry(withID: entry.id) != nil { throw AllowlistEditError.entryExists(id: entry.id, path: path) }
            if everUsed.contains(where: { AllowlistIDs.key($0) == AllowlistIDs.key(entry.id) }) {
                throw AllowlistEditError.idUsedBefore(id: entry.id, path: path)
            }
            return (current.result, try AllowlistSplicer.adding(entry, to: current.layout))
        }
        let after = try validated(newContent)
        let written = try readBack(entry.id, from: after)
        try ensureSameValues(requested: entry, written: written)
        let ownWarnings = after.issues.filter { $0.severity == .warning && $0.entryID.map(AllowlistIDs.key) == AllowlistIDs.key(entry.id) }
        if !allowIncomplete, !ownWarnings.isEmpty {
            throw AllowlistEditError.incompleteEntry(id: entry.id, issues: ownWarnings)
        }
        var details = [entry.account]
        if let category = entry.category { details.append(category.rawValue) }
        if let expires = entry.expiresOn { details.append("expires \(expires)") }
        let summary = "added \(entry.id) (\(details.joined(separator: ", ")))"
        return Plan(before: before, after: after, action: .add, entryID: entry.id, summary: summary)
    }

    /// Every entry id the edit log or the register's version history has seen: removed ids included, so that none is
    /// handed out again (the register's header promises ids are never reused).
    private func idsEverLogged() throws -> [String] {
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
        let plan = try planRenew(id: id, reviewedOn: reviewedOn, expiresOn: expiresOn, today: UTCDay(containing: at))
        return try commit(plan, reason: reason, at: at, recovered: recovered)
    }

    private func planRenew(id: String, reviewedOn: UTCDay, expiresOn: UTCDay?, today: UTCDay) throws -> Plan {
        let (before, entryID, newContent) = try withCurrent { current in
            let (_, _, syntaxEntry) = try current.layout.block(forID: id)
            let entryID = syntaxEntry.id ?? id
            return (current.result, entryID, try AllowlistSplicer.renewing(
                id: entryID, reviewedOn: reviewedOn, expiresOn: expiresOn, in: current.layout))
        }
        let current = before.allowlist?.entries.first { AllowlistIDs.key($0.id) == AllowlistIDs.key(id) }
        if reviewedOn > today {
            throw AllowlistEditError.invalidRequest("reviewed-on \(reviewedOn) is in the future (today is \(today) UTC)")
        }
        if let previous = current?.lastReviewedOn, reviewedOn < previous {
            throw AllowlistEditError.invalidRequest("reviewed-on \(reviewedOn) is older than the recorded review \(previous)")
        }
        if let expiresOn, expiresOn <= reviewedOn {
            throw AllowlistEditError.invalidRequest("expires-on \(expiresOn) must be after the review date \(reviewedOn)")
        }
        let after = try validated(newContent)
        let written = try readBack(entryID, from: after)
        guard written.lastReviewedOn == reviewedOn, expiresOn == nil || written.expiresOn == expiresOn else {
            throw AllowlistEditError.readBackMismatch(id: entryID, detail: "dates did not read back as given")
        }
        var parts = ["reviewed \(reviewedOn)" + (current?.lastReviewedOn.map { " (was \($0))" } ?? "")]
        if let expiresOn {
            parts.append("expires_on " + (current?.expiresOn.map { "\($0) → " } ?? "") + expiresOn.description)
        }
        let summary = "renewed \(entryID): " + parts.joined(separator: "; ")
        return Plan(before: before, after: after, action: .renew, entryID: entryID, summary: summary)
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
        return try commit(try planRemove(id: id), reason: reason, at: at, recovered: recovered)
    }

    private func planRemove(id: String) throws -> Plan {
        let (before, entryID, newContent) = try withCurrent { current in
            let (_, _, syntaxEntry) = try current.layout.block(forID: id)
            let entryID = syntaxEntry.id ?? id
            return (current.result, entryID, try AllowlistSplicer.removing(id: entryID, from: current.layout))
        }
        let after = try validated(newContent)
        if after.allowlist?.entry(withID: entryID) != nil {
            throw AllowlistEditError.readBackMismatch(id: entryID, detail: "the entry is still there after removal")
        }
        let account = before.allowlist?.entries.first { AllowlistIDs.key($0.id) == AllowlistIDs.key(entryID) }?.account
        let summary = "removed \(entryID)" + (account.map { " (\($0))" } ?? "")
        return Plan(before: before, after: after, action: .remove, entryID: entryID, summary: summary)
    }

    // MARK: - Steps

    /// An edit worked out and validated, not yet applied.
    private struct Plan {
        var before: AllowlistLoadResult
        var after: AllowlistLoadResult
        var action: AllowlistEdit.Action
        var entryID: String
        var summary: String
    }

    /// The register as read, with where its parts sit in the text (what splicing needs).
    private struct Current {
        var result: AllowlistLoadResult
        var syntax: AllowlistSyntax
        var layout: AllowlistLayout
    }

    /// Reads the register and hands it to `body`. The syntax tree and the text layout live only as long as `body`
    /// runs: on a large register they are most of the memory, and the edited text is parsed again after.
    private func withCurrent<T>(_ body: (Current) throws -> T) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { throw AllowlistLoadError.missing(path: path) }
            throw AllowlistLoadError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let content = String(validatingUTF8Data: data) else {
            throw AllowlistEditError.registerUnparseable(path: path, issues: AllowlistLoader.load(data: data, path: path).issues)
        }
        let (result, syntax) = AllowlistLoader.parse(content: content, path: path, sha256: SHA256Digest.hex(of: data))
        guard let syntax else { throw AllowlistEditError.registerUnparseable(path: path, issues: result.issues) }
        let layout = try AllowlistLayout(text: RegisterText(content), syntax: syntax, path: path)
        return try body(Current(result: result, syntax: syntax, layout: layout))
    }

    /// The edited text, validated as a whole (its syntax tree is dropped at once).
    private func validated(_ content: String) throws -> AllowlistLoadResult {
        let result = AllowlistLoader.parse(content: content, path: path, sha256: SHA256Digest.hex(of: content)).result
        guard result.isValid else { throw AllowlistEditError.wouldBeInvalid(path: path, issues: result.errors) }
        return result
    }

    private func readBack(_ id: String, from after: AllowlistLoadResult) throws -> AllowlistEntry {
        guard let entry = after.allowlist?.entries.first(where: { AllowlistIDs.key($0.id) == AllowlistIDs.key(id) }) else {
            throw AllowlistEditError.readBackMismatch(id: id, detail: "the entry is missing after the edit")
        }
        return entry
    }

    /// The written text must read back as exactly what was asked for: a value that escaped its quoting would show here.
    private func ensureSameValues(requested: AllowlistEntry, written: AllowlistEntry) throws {
        var expected = requested
        expected.position = written.position
        guard expected == written else {
            let fields = AllowlistDiff.changedFields(expected, written).joined(separator: ", ")
            throw AllowlistEditError.readBackMismatch(id: requested.id, detail: "fields differ: \(fields)")
        }
    }

    /// Logs the intent, replaces the file, then logs the edit (see `AllowlistEditJournal`): a crash between any two
    /// steps is settled by the next command on this register, so the file never changes without its log entry.
    private func commit(_ plan: Plan, reason: String?, at: Date, recovered: [AllowlistEditRecovery]) throws
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
        RegisterFaultPoint.intentLogged.reach()
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
        RegisterFaultPoint.fileReplaced.reach()
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
