import Foundation
import GRDB
import Testing
import TestSupport

import BypassAuditor
@testable import Core
@testable import Inventory
@testable import Policy
@testable import Store

/// Each test fills a real database through the tool, then edits the SQLite file directly with a separate connection,
/// as someone with access to the file would, and proves `verify` finds it.
@Suite("History chain verification")
struct ChainVerifierTests {
    typealias Support = InventoryTestSupport

    /// Three bypass events (the last ingested first: late files are normal) and a two-row snapshot.
    static func filledDatabase() throws -> AuditDatabase {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "e3", at: "2026-03-01T00:00:00Z", enabled: "False"),
                Support.bypassEvent(id: "e1", at: "2026-01-01T00:00:00Z"),
                Support.bypassEvent(id: "e2", at: "2026-02-01T00:00:00Z", identity: "alice"),
            ], in: database)
        try Support.importSnapshot(
            Support.csv([("svc-backup", "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "True"), ("alice", nil, "False")]),
            into: database, takenAt: "2026-01-15T00:00:00Z")
        return database
    }

    /// Edits the file outside the tool: a plain SQLite connection (which must first drop the write guard), no ledger.
    static func tamper(_ database: AuditDatabase, _ sql: String) throws {
        try OutsideEdit.write(database.path) { db in try db.execute(sql: sql) }
    }

    static func verify(_ database: AuditDatabase, expectedHead: String? = nil) throws -> IntegrityReport {
        try database.read { db in try ChainVerifier.verify(db, expectedHead: expectedHead) }
    }

    @Test("an untouched database verifies, late-arriving events included, and reports the head")
    func untouched() throws {
        let database = try Self.filledDatabase()
        let report = try Self.verify(database)
        #expect(report.ok)
        #expect(report.problems.isEmpty)
        #expect(report.entries == 6)
        #expect(report.entriesByKind == ["bypass-event": 3, "snapshot-row": 3])
        #expect(report.head == (try database.read { db in try Ledger.head(db) }))
        #expect(
            report.crossChecked == [
                "bypass-change", "snapshot-row", "snapshot-correction", "allowlist-version", "allowlist-edit",
                "allowlist-parse", "bypass-event", "stored-event", "alert", "alert-triage", "coverage", "collection-gap",
                "allowlist-observation", "allowlist-change",
            ])
        // What the chain does not cover is named, never implied checked; findings rest on none of it.
        #expect(
            Set(report.notCrossChecked.keys) == [
                "input-file", "detection-run", "alert-delivery", "report", "ingest-run", "detection-state",
                "collection-state", "allowlist-edit-intent", "integrity-checkpoint",
            ])
        #expect(report.headSeq == (try database.read { db in try Ledger.seq(ofHash: report.head, db) }))
        #expect(report.writeGuard.intact && report.writeGuard.checkpoint?.verifiedThroughSeq == 0)
    }

    @Test("an edited event document is found, at its chain position")
    func editedEventDocument() throws {
        let database = try Self.filledDatabase()
        try Self.tamper(
            database,
            "UPDATE event SET document = replace(document, '\"svc-backup\"', '\"svc-other\"') WHERE event_id = 'e1'")
        let report = try Self.verify(database)
        #expect(!report.ok)
        let first = try #require(report.firstProblem)
        #expect(first.kind == .rowEdited && first.ref == "e1" && first.table == "event" && first.seq == 2)
        // The entry holds the document's SHA-256 beside the fact derived from it: the document alone changed.
        #expect(report.problems.map(\.table) == ["event"])
        #expect(first.detail.contains("(document)"))
    }

    @Test("an edited indexed column (the action that hides an event from the inventory) is found")
    func editedEventColumn() throws {
        let database = try Self.filledDatabase()
        try Self.tamper(database, "UPDATE event SET action = 'Set-Mailbox', outcome = 'failure' WHERE event_id = 'e2'")
        let report = try Self.verify(database)
        let first = try #require(report.firstProblem)
        #expect(first.kind == .rowEdited && first.ref == "e2")
        #expect(first.detail.contains("action, outcome"))
    }

    @Test("a bypass event inserted without a ledger entry is found")
    func insertedEvent() throws {
        let database = try Self.filledDatabase()
        let document = try Support.bypassEvent(id: "forged", at: "2026-01-20T00:00:00Z", identity: "svc-cover").canonicalJSON()
            .replacingOccurrences(of: "'", with: "''")
        try Self.tamper(
            database,
            """
            INSERT INTO event (event_id, tenant, timestamp, ingested_at, action, outcome, actor, document)
            VALUES ('forged', '\(Support.tenant.rawValue)', '2026-01-20T00:00:00.000Z', '2026-01-20T00:00:00.000Z',
                    'Set-MailboxAuditBypassAssociation', 'success', 'x', '\(document)')
            """)
        let report = try Self.verify(database)
        // The forged event has no ledger entry and no stored bypass change (ingest writes both with the event).
        #expect(report.problems.first?.kind == .rowInserted)
        #expect(Set(report.problems.map(\.ref)) == ["forged"])
        #expect(report.firstProblem?.ref == "forged")
        // Even a forged event filed under another action is found by its document.
        try Self.tamper(database, "UPDATE event SET action = 'Get-Mailbox' WHERE event_id = 'forged'")
        #expect(Set(try Self.verify(database).problems.map(\.ref)) == ["forged"])
    }

    @Test("a deleted event, a deleted ledger row, and ledger rows deleted from the end are found")
    func deletions() throws {
        let deletedEvent = try Self.filledDatabase()
        try Self.tamper(deletedEvent, "DELETE FROM event WHERE event_id = 'e1'")
        let first = try #require(try Self.verify(deletedEvent).firstProblem)
        #expect(first.kind == .rowDeleted && first.ref == "e1" && first.seq == 2)

        let deletedEntry = try Self.filledDatabase()
        try Self.tamper(deletedEntry, "DELETE FROM ledger WHERE seq = 2")
        let report = try Self.verify(deletedEntry)
        #expect(report.firstProblem?.kind == .entriesDeleted)
        #expect(report.firstProblem?.seq == 3)
        // The event the deleted entry chained is now an unchained bypass event.
        #expect(report.problems.contains { $0.kind == .rowInserted && $0.ref == "e1" })

        let deletedTail = try Self.filledDatabase()
        try Self.tamper(deletedTail, "DELETE FROM ledger WHERE seq IN (5, 6)")
        let tail = try Self.verify(deletedTail)
        #expect(tail.firstProblem?.kind == .entriesDeleted)
        #expect(tail.firstProblem?.detail.contains("from the end of the chain") == true)
    }

    @Test("an edited ledger entry is found even when its hash was recomputed")
    func editedEntry() throws {
        let database = try Self.filledDatabase()
        try Self.tamper(database, "UPDATE ledger SET ref = 'other' WHERE seq = 1")
        let report = try Self.verify(database)
        #expect(report.firstProblem?.kind == .entryEdited && report.firstProblem?.seq == 1)

        // Recomputing the edited entry's hash breaks the link to the next one instead.
        let rehashed = try Self.filledDatabase()
        let entry = try rehashed.read { db in try Row.fetchOne(db, sql: "SELECT * FROM ledger WHERE seq = 2")! }
        let content = (entry["content"] as String).replacingOccurrences(of: "svc-backup", with: "svc-other")
        let hash = Ledger.chainHash(previous: entry["prev_hash"], kind: entry["kind"], ref: entry["ref"], content: content)
        try Self.tamper(
            rehashed,
            "UPDATE ledger SET content = '\(content.replacingOccurrences(of: "'", with: "''"))', hash = '\(hash)' WHERE seq = 2")
        let kinds = try Self.verify(rehashed).problems.map(\.kind)
        #expect(kinds.contains(.chainBroken))
        #expect(kinds.contains(.rowEdited))
    }

    @Test("edited snapshot rows and headers, and a forged complete snapshot, are found")
    func snapshotTampering() throws {
        let editedRow = try Self.filledDatabase()
        try Self.tamper(editedRow, "UPDATE snapshot_row SET bypass_enabled = 0 WHERE row = 1")
        let rowProblem = try #require(try Self.verify(editedRow).firstProblem)
        #expect(rowProblem.kind == .rowEdited && rowProblem.table == "snapshot_row" && rowProblem.ref == "1:1")
        #expect(rowProblem.detail.contains("row.bypass_enabled"))

        let editedHeader = try Self.filledDatabase()
        try Self.tamper(editedHeader, "UPDATE snapshot SET taken_at = '2025-01-01T00:00:00.000Z'")
        let headerProblem = try #require(try Self.verify(editedHeader).firstProblem)
        #expect(headerProblem.table == "snapshot" && headerProblem.ref == "1:0")
        #expect(headerProblem.detail.contains("taken_at"))

        let forged = try Self.filledDatabase()
        try Self.tamper(
            forged,
            """
            INSERT INTO snapshot (tenant, taken_at, taken_at_given, imported_at, file_name, sha256, format, rows,
                                  complete, complete_given)
            VALUES ('\(Support.tenant.rawValue)', '2026-04-01T00:00:00.000Z', 1, '2026-04-01T00:00:00.000Z', 'x.csv',
                    'abc', 'csv', 0, 1, 1)
            """)
        let report = try Self.verify(forged)
        #expect(report.problems.map(\.kind) == [.rowInserted])
        #expect(report.problems.first?.table == "snapshot")
    }

    @Test("--expect-head: a published head still in the chain passes after growth; a rewritten chain fails")
    func expectedHead() throws {
        let database = try Self.filledDatabase()
        let published = try Self.verify(database).head
        try Support.store([Support.bypassEvent(id: "e4", at: "2026-04-01T00:00:00Z")], in: database)
        let later = try Self.verify(database, expectedHead: published.uppercased())
        #expect(later.ok)
        #expect(later.expectedHeadSeq == 6 && later.entriesSinceExpectedHead == 1)
        #expect(try Self.verify(database, expectedHead: Ledger.genesis).ok)

        let unknown = try Self.verify(database, expectedHead: String(repeating: "ab", count: 32))
        #expect(!unknown.ok && unknown.problems.map(\.kind) == [.expectedHeadMissing])

        // Someone edits an event and rebuilds the whole chain: the chain verifies, the published head does not.
        try Self.tamper(
            database,
            """
            UPDATE event SET document = replace(document, 'exo-admin', 'nobody'), actor = replace(actor, 'exo-admin', 'nobody')
            WHERE event_id = 'e1'
            """)
        // The forger also edits the stored bypass change, so that it agrees with the forged document, then rewrites
        // e1's entry as the tool would write it now and recomputes every hash from there.
        try Self.tamper(database, "UPDATE bypass_change SET actor = replace(actor, 'exo-admin', 'nobody') WHERE event_id = 'e1'")
        let table = ChainedTable.bypassEvent
        let forgedContent = try database.read { db in
            try String.fetchOne(db, sql: "SELECT \(table.contentSQL) FROM \(table.fromSQL!) WHERE t.event_id = 'e1'")!
        }
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM ledger ORDER BY seq") }
        var previous = Ledger.genesis
        for row in rows {
            let ref: String = row["ref"]
            let content = ref == "e1" ? forgedContent : row["content"] as String
            let hash = Ledger.chainHash(previous: previous, kind: row["kind"], ref: ref, content: content)
            try Self.tamper(
                database,
                "UPDATE ledger SET content = '\(content.replacingOccurrences(of: "'", with: "''"))', prev_hash = '\(previous)', hash = '\(hash)' WHERE seq = \(row["seq"] as Int64)")
            previous = hash
        }
        #expect(try Self.verify(database).ok)
        let checked = try Self.verify(database, expectedHead: published)
        #expect(!checked.ok && checked.problems.map(\.kind) == [.expectedHeadMissing])
    }

    @Test("the bypass changes ingest stored are checked against the documents")
    func editedBypassChange() throws {
        let database = try Self.filledDatabase()
        #expect(try Self.verify(database).ok)
        // Flipping a stored direction would flip the inventory while the evidence stays intact.
        try Self.tamper(database, "UPDATE bypass_change SET direction = 'removed' WHERE event_id = 'e1'")
        let report = try Self.verify(database)
        #expect(report.problems.map(\.table) == ["bypass_change"])
        #expect(report.problems.first?.ref == "e1")
        #expect(report.problems.first?.detail.contains("(direction)") == true)
    }

    @Test("register versions and edits are cross-checked once the policy stage's tables exist")
    func allowlistTables() throws {
        let database = try Self.filledDatabase()
        let edit = AllowlistEdit(
            at: Support.time("2026-05-01T10:00:00.123Z"), by: "ciso@contoso.com", action: .renew, entryID: "AB-0001",
            reason: "yearly review", summary: "expires_on 2027-05-01")
        let register = "version: 1\nentries: []\n"
        try database.write { db in
            // The policy stage's tables exist from its migration; rows are written here as that stage writes them.
            let sha = SHA256Digest.hex(of: register)
            try db.execute(
                sql: "INSERT INTO allowlist_version (sha256, content, path, first_seen_at) VALUES (?, ?, ?, ?)",
                arguments: [sha, register, "Policies/allowlist.yaml", "2026-05-01T10:00:00.000Z"])
            try Ledger.append(db, kind: .allowlistVersion, ref: sha, content: register)
            // GRDB's own date format for the time column: still the same instant.
            try db.execute(
                sql: "INSERT INTO allowlist_edit (at, by, action, entry_id, reason, summary) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: ["2026-05-01 10:00:00.123", edit.by, edit.action.rawValue, edit.entryID, edit.reason, edit.summary])
            try Ledger.append(
                db, kind: .allowlistEdit, ref: String(db.lastInsertedRowID),
                content: try JSONCoding.string(edit, pretty: false))
        }
        let clean = try Self.verify(database)
        #expect(clean.ok)
        #expect(Array(clean.crossChecked.prefix(5)) == ["bypass-change", "snapshot-row", "snapshot-correction", "allowlist-version", "allowlist-edit"])

        try Self.tamper(database, "UPDATE allowlist_edit SET by = 'mallory@contoso.com'")
        try Self.tamper(database, "UPDATE allowlist_version SET content = 'version: 1\nentries: [x]\n'")
        try Self.tamper(
            database,
            "INSERT INTO allowlist_edit (at, by, action, entry_id, summary) VALUES ('2026-05-02T00:00:00.000Z', 'x', 'add', 'AB-9', 'forged')")
        let report = try Self.verify(database)
        #expect(report.problems.map(\.kind) == [.rowEdited, .rowEdited, .rowInserted])
        #expect(report.problems.map(\.table) == ["allowlist_version", "allowlist_edit", "allowlist_edit"])
    }

    @Test("a collection gap is chained as the tool writes and widens it; a deleted or narrowed gap is found")
    func collectionGaps() throws {
        let database = try Self.filledDatabase()
        // As `ActivityFeedStore.noteGap` writes: the upsert, then the row's chain entry in the same transaction.
        func noteGap(end: String) throws {
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO activity_feed_gap (source, gap_start, gap_end, noted_at)
                        VALUES ('mine', '2026-11-05T06:00:00.000Z', ?, '2026-11-20T00:00:00.000Z')
                        ON CONFLICT (source, gap_start) DO UPDATE SET gap_end = MAX(gap_end, excluded.gap_end)
                        """,
                    arguments: [end])
                try ChainedTable.collectionGap.record(db, key: ["mine", "2026-11-05T06:00:00.000Z"])
            }
        }
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO activity_feed_source (source, tenant, content_type, updated_at)
                    VALUES ('mine', 't', 'Audit.Exchange', '2026-11-20T00:00:00.000Z')
                    """)
        }
        try noteGap(end: "2026-11-06T06:00:00.000Z")
        try noteGap(end: "2026-11-07T06:00:00.000Z")
        #expect(try Self.verify(database).ok, "the widened gap is held to its newest entry")
        #expect(try Self.verify(database).entriesByKind["collection-gap"] == 2)

        try Self.tamper(database, "UPDATE activity_feed_gap SET gap_end = '2026-11-05T07:00:00.000Z'")
        #expect(try Self.verify(database).problems.map(\.kind) == [.rowEdited])
        try Self.tamper(database, "DELETE FROM activity_feed_gap")
        let deleted = try Self.verify(database)
        #expect(deleted.problems.map(\.kind) == [.rowDeleted])
        #expect(deleted.problems.first?.table == "activity_feed_gap")
        #expect(deleted.problems.first?.ref == #"["mine","2026-11-05T06:00:00.000Z"]"#)
    }

    /// Rewrites the chain as versions before `bypass-event` wrote it: each bypass event chained as `bypass-change` with
    /// its whole document, every hash recomputed (a database made by an older release).
    static func rewriteAsLegacyChain(_ database: AuditDatabase) throws {
        try OutsideEdit.write(database.path) { db in
            try db.execute(
                sql: """
                    UPDATE ledger SET kind = 'bypass-change',
                        content = (SELECT document FROM event WHERE event_id = ledger.ref)
                    WHERE kind = 'bypass-event'
                    """)
            var previous = Ledger.genesis
            for row in try Row.fetchAll(db, sql: "SELECT seq, kind, ref, content FROM ledger ORDER BY seq") {
                let hash = Ledger.chainHash(previous: previous, kind: row["kind"], ref: row["ref"], content: row["content"])
                try db.execute(
                    sql: "UPDATE ledger SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, row["seq"]])
                previous = hash
            }
        }
    }

    @Test("a chain from before bypass-event: its documents and the facts derived from them are still checked")
    func legacyBypassChangeEntries() throws {
        let database = try Self.filledDatabase()
        try Self.rewriteAsLegacyChain(database)
        let untouched = try Self.verify(database)
        #expect(untouched.ok && untouched.entriesByKind["bypass-change"] == 3)
        try Self.tamper(database, "UPDATE bypass_change SET direction = 'removed' WHERE event_id = 'e1'")
        let fact = try Self.verify(database)
        #expect(fact.problems.map(\.table) == ["bypass_change"] && fact.problems.first?.ref == "e1")
        #expect(fact.problems.first?.detail.contains("(direction)") == true)
        // The check drift and report make reads the legacy facts through their documents too.
        let gate = try database.read { db in try ChainVerifier.verify(db, scope: .readPath) }
        #expect(gate.problems.map(\.table) == ["bypass_change"])
    }

    @Test("the check before drift and report holds every column they read, and leaves documents to verify")
    func readPathScope() throws {
        let database = try Self.filledDatabase()
        func gate() throws -> IntegrityReport {
            try database.read { db in try ChainVerifier.verify(db, scope: .readPath) }
        }
        #expect(try gate().ok)
        try Self.tamper(
            database, "UPDATE event SET document = replace(document, '\"svc-backup\"', '\"svc-other\"') WHERE event_id = 'e1'")
        // Drift and report never read the document: only `verify` finds this one.
        #expect(try gate().ok)
        #expect(try Self.verify(database).problems.map(\.table) == ["event"])
        try Self.tamper(database, "UPDATE bypass_change SET identity = 'someone-else' WHERE event_id = 'e2'")
        let edited = try gate()
        #expect(edited.problems.map(\.ref) == ["e2"])
        #expect(edited.problems.first?.table == "bypass_change" && edited.problems.first?.detail.contains("(identity)") == true)
        try Self.tamper(database, "UPDATE event SET timestamp = '2020-01-01T00:00:00.000Z' WHERE event_id = 'e3'")
        #expect(Set(try gate().problems.compactMap(\.ref)) == ["e2", "e3"])
    }
}
