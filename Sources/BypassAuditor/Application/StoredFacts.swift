import Core
import Detection
import Ingest
import Inventory
import Store
import Foundation

// The reads and writes commands ask for by name, so no command opens a transaction itself.

extension AlertStore {
    /// Every stored alert (of `tenant` when given), oldest event first.
    public static func alerts(in database: AuditDatabase, tenant: TenantID?) throws -> [Alert] {
        try database.read { db in try alerts(db, tenant: tenant, from: nil, to: nil) }
    }

    /// `alerts(in:tenant:)`'s alerts, handed to `body` one at a time as one read transaction reads them.
    public static func forEachAlert(in database: AuditDatabase, tenant: TenantID?, _ body: (Alert) throws -> Void)
        throws
    {
        try database.read { db in try forEachAlert(db, tenant: tenant, from: nil, to: nil, body) }
    }

    /// Records that alert `alertID` was triaged.
    public static func acknowledge(in database: AuditDatabase, alertID: Int64, by: String, note: String, at time: Date)
        throws -> Alert
    {
        try database.write { db in try acknowledge(db, alertID: alertID, by: by, note: note, at: time) }
    }
}

extension ChainVerifier {
    /// Verifies the history chain in one read transaction; verifying never writes.
    public static func verify(_ database: AuditDatabase, expectedHead: String?) throws -> IntegrityReport {
        try database.read { db in try verify(db, expectedHead: expectedHead) }
    }
}

extension IngestHistory {
    /// Rules (by id) that earlier ingests did not load: their matches among those logs were not kept.
    public static func rulesMissingFromEarlierRuns(in database: AuditDatabase, ruleIDs: [String]) throws -> [String] {
        try database.read { db in try rulesMissingFromEarlierRuns(db, ruleIDs: ruleIDs) }
    }
}
