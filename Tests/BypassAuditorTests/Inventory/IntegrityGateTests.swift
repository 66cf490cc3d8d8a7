import Foundation
import GRDB
import Testing
import TestSupport

import BypassAuditor
@testable import Inventory
@testable import Store

/// The gate `drift` and `report` pass first: a full verification once, then the checkpoint while the write guard
/// stands, and a full verification again as soon as anyone touches the guard.
@Suite("Integrity gate before drift and report")
struct IntegrityGateTests {
    typealias Support = InventoryTestSupport

    static func checkpoint(_ database: AuditDatabase) throws -> VerificationCheckpoint? {
        try database.read { db in try VerificationCheckpoint.standing(db) }
    }

    @Test("a new database stands verified through its empty chain, and what the tool writes keeps it standing")
    func newDatabaseStands() throws {
        let database = try ChainVerifierTests.filledDatabase()
        let standing = try #require(try Self.checkpoint(database))
        #expect(standing.verifiedThroughSeq == 0 && standing.verifiedHead == Ledger.genesis)
        let outcome = try IntegrityGate.check(database, allowUnverified: false)
        #expect(outcome.problems.isEmpty && outcome.assurance == .checkpointStands(standing))
    }

    @Test("a database upgraded from before the guard is verified in full once, then the checkpoint stands")
    func upgradedDatabaseIsVerifiedOnce() throws {
        let database = try ChainVerifierTests.filledDatabase()
        // What the v6 upgrade leaves on a file that held history: no verification recorded yet.
        try database.write { db in
            try db.execute(sql: "UPDATE integrity_checkpoint SET verified_through_seq = NULL, verified_head = NULL")
        }
        #expect(try Self.checkpoint(database) == nil)
        let head = try database.read { db in try Ledger.head(db) }
        let lastSeq = try #require(try database.read { db in try Ledger.seq(ofHash: head, db) })

        let first = try IntegrityGate.check(database, allowUnverified: false)
        #expect(first.assurance == .verifiedNow(throughSeq: lastSeq))
        let recorded = try #require(try Self.checkpoint(database))
        #expect(recorded.verifiedThroughSeq == lastSeq && recorded.verifiedHead == head)
        #expect(try IntegrityGate.check(database, allowUnverified: false).assurance == .checkpointStands(recorded))
    }

    @Test("a row deleted after dropping the guard is found: the gate verifies in full and refuses")
    func droppedGuardMeansFullVerification() throws {
        let database = try ChainVerifierTests.filledDatabase()
        #expect(try Self.checkpoint(database) != nil)
        try OutsideEdit.run(database.path, "DELETE FROM event WHERE event_id = 'e2'")
        #expect(try Self.checkpoint(database) == nil)
        let refusal = #expect(throws: IntegrityGate.Refusal.self) {
            try IntegrityGate.check(database, allowUnverified: false)
        }
        #expect(refusal?.report.problems.contains { $0.kind == .rowDeleted && $0.ref == "e2" } == true)
        let accepted = try IntegrityGate.check(database, allowUnverified: true)
        #expect(accepted.assurance == nil && !accepted.problems.isEmpty)
        #expect(try Self.checkpoint(database) == nil, "a failed verification records nothing and restores no guard")
    }

    @Test("the guard dropped and put back exactly still sends the gate to a full verification")
    func recreatedGuardIsNoticed() throws {
        let database = try ChainVerifierTests.filledDatabase()
        let recreate = WriteGuard.triggerSQL(table: "event", operation: "DELETE")
        try OutsideEdit.impersonatingTheTool(
            database.path,
            "DROP TRIGGER write_guard_event_delete; DELETE FROM event WHERE event_id = 'e1'; \(recreate)")
        #expect(try database.read { db in try WriteGuard.standing(db) }.intact)
        #expect(throws: IntegrityGate.Refusal.self) { try IntegrityGate.check(database, allowUnverified: false) }
    }

    @Test("a full verification that passes puts a dropped guard back and records the checkpoint")
    func cleanVerificationRestoresTheGuard() throws {
        let database = try ChainVerifierTests.filledDatabase()
        try OutsideEdit.run(database.path, "SELECT 1")
        #expect(try database.read { db in try WriteGuard.standing(db) }.missing.isEmpty == false)
        let outcome = try IntegrityGate.check(database, allowUnverified: false)
        guard case .verifiedNow = outcome.assurance else {
            Issue.record("expected a full verification, got \(String(describing: outcome.assurance))")
            return
        }
        #expect(try database.read { db in try WriteGuard.standing(db) }.intact)
        #expect(try Self.checkpoint(database) != nil)
        #expect(throws: DatabaseError.self) { try OutsideEdit.plain(database.path, "DELETE FROM event") }
    }

    /// The limit the guard's documentation names: a client that registers the guard function writes without
    /// touching the schema. The gate cannot see it; `verify`, which always verifies in full, does.
    @Test("an edit by a client impersonating the tool passes the gate and is found by verify")
    func impersonationIsLeftToVerify() throws {
        let database = try ChainVerifierTests.filledDatabase()
        try OutsideEdit.impersonatingTheTool(database.path, "DELETE FROM event WHERE event_id = 'e2'")
        #expect(try IntegrityGate.check(database, allowUnverified: false).problems.isEmpty)
        let report = try ChainVerifierTests.verify(database)
        #expect(!report.ok && report.problems.contains { $0.kind == .rowDeleted && $0.ref == "e2" })
        #expect(report.writeGuard.intact && report.writeGuard.checkpoint != nil)
    }
}
