import Core
import Foundation

/// Works an edit out without applying it: reads the register, splices the edited entry's text, parses the whole
/// result again and checks it reads back as asked. `AllowlistEditor` applies the plan; `--dry-run` shows it.
struct AllowlistEditPlanner {
    /// The register file.
    let path: String

    func add(_ entry: AllowlistEntry, allowIncomplete: Bool, everUsed: [String]) throws -> Plan {
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
        let parsed = AllowlistLoader.parse(content: newContent, path: path, sha256: SHA256Digest.hex(of: newContent))
        if !parsed.result.isValid {
            // Problems of the new entry are told by option: its lines are in no file.
            let (mine, elsewhere) = Self.attribute(
                parsed.result.errors, id: entry.id, before: before.content, after: newContent, syntax: parsed.syntax)
            if mine.isEmpty { throw AllowlistEditError.wouldBeInvalid(path: path, issues: elsewhere) }
            throw AllowlistEditError.invalidEntry(id: entry.id, problems: mine, elsewhere: elsewhere)
        }
        let after = parsed.result
        let written = try readBack(entry.id, from: after)
        try ensureSameValues(requested: entry, written: written)
        if !allowIncomplete {
            let missing = written.missingRequiredFields
            let label = "entry \(entry.id): "
            let others = after.issues.filter { issue in
                issue.severity == .warning && issue.entryID.map(AllowlistIDs.key) == AllowlistIDs.key(entry.id)
                    && !missing.contains { issue.message.hasPrefix(label + $0 + " is ") }
            }
            let problems =
                missing.map {
                    AllowlistEntryProblem(key: $0, message: AllowlistNodeReader.reasonRequired($0, category: written.category))
                }
                + Self.attribute(others, id: entry.id, before: before.content, after: newContent, syntax: parsed.syntax).mine
            if !problems.isEmpty { throw AllowlistEditError.incompleteEntry(id: entry.id, problems: problems) }
        }
        var details = [entry.account]
        if let category = entry.category { details.append(category.rawValue) }
        if let expires = entry.expiresOn { details.append("expires \(expires)") }
        let summary = "added \(entry.id) (\(details.joined(separator: ", ")))"
        return Plan(before: before, after: after, action: .add, entryID: entry.id, summary: summary)
    }

    func renew(id: String, reviewedOn: UTCDay, expiresOn: UTCDay?, today: UTCDay) throws -> Plan {
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

    func remove(id: String) throws -> Plan {
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

    /// An edit worked out and validated, not yet applied.
    struct Plan {
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
        let data = try AllowlistLoader.bytes(path: path)
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
}
