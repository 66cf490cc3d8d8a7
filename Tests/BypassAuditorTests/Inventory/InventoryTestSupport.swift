import Foundation
import GRDB

import BypassAuditor
@testable import Core
@testable import Inventory
@testable import Store

/// Bypass events and databases for the inventory tests: real SQLite files in temporary folders.
enum InventoryTestSupport {
    static let tenant = TenantID("0b5b1d5e-7c1a-4c55-9f3e-1a2b3c4d5e6f")
    static let otherTenant = TenantID("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")

    /// A fresh database file in its own temporary folder.
    static func database() throws -> AuditDatabase {
        let folder = try TestPaths.temporaryDirectory()
        return try AuditDatabase(path: folder.appendingPathComponent("inventory.sqlite").path)
    }

    /// A `Set-MailboxAuditBypassAssociation` ECS document as the o365 pipeline produces it.
    static func bypassEvent(
        id: String, at time: String, identity: String? = "svc-backup", enabled: String? = "True",
        outcome: String? = "success", resultStatus: String? = "True", actor: String? = "exo-admin@contoso.com",
        objectID: String? = nil, clientIP: String? = "203.0.113.7", tenant: TenantID = tenant
    ) -> AuditEvent {
        var event = AuditEvent()
        event[ECSField.timestamp] = .string(time)
        event[ECSField.eventID] = .string(id)
        event[ECSField.action] = .string(ECSField.bypassCmdlet)
        event[ECSField.provider] = .string("Exchange")
        event[ECSField.code] = .string("ExchangeAdmin")
        event[ECSField.dataset] = .string(ECSField.o365AuditDataset)
        event[ECSField.organizationID] = .string(tenant.rawValue)
        if let outcome { event[ECSField.outcome] = .string(outcome) }
        if let resultStatus { event[ECSField.resultStatus] = .string(resultStatus) }
        if let actor { event[ECSField.userID] = .string(actor) }
        if let clientIP { event[ECSField.clientIP] = .string(clientIP) }
        if let objectID { event[ECSField.objectID] = .string(objectID) }
        if let identity { event[ECSField.parametersPrefix + "Identity"] = .string(identity) }
        if let enabled { event[ECSField.parametersPrefix + "AuditBypassEnabled"] = .string(enabled) }
        return event
    }

    /// Stores events in the order given (the ingest order), each with its own ingest time.
    static func store(_ events: [AuditEvent], in database: AuditDatabase, ingestedAt: Date = Date()) throws {
        try database.write { db in
            for (offset, event) in events.enumerated() {
                try EventStore.insert(db, event, ingestedAt: ingestedAt.addingTimeInterval(Double(offset)))
            }
        }
    }

    static func view(_ database: AuditDatabase, tenant: TenantID = tenant, asOf: String? = nil) throws
        -> InventoryView
    {
        let instant = asOf.flatMap(UTCTimestamp.parseInstant) ?? Date()
        return try database.read { db in try InventoryBuilder.view(db, tenant: tenant, asOf: instant) }
    }

    static func time(_ text: String) -> Date { UTCTimestamp.parse(text)! }

    /// Imports snapshot text as if read from a file.
    @discardableResult
    static func importSnapshot(
        _ text: String, into database: AuditDatabase, takenAt: String? = nil, tenant: TenantID? = tenant,
        complete: Bool = false, fileName: String = "snapshot.csv", now: Date = Date()
    ) throws -> SnapshotImporter.Result {
        try database.write { db in
            try SnapshotImporter.importData(
                Data(text.utf8), fileName: fileName, db,
                options: SnapshotImporter.Options(
                    takenAt: takenAt.map(time), tenant: tenant, complete: complete, now: now))
        }
    }

    /// A CSV export with the columns that matter, one line per `(name, guid, enabled)`.
    static func csv(_ rows: [(name: String, guid: String?, enabled: String)]) -> String {
        var lines = ["\"AuditBypassEnabled\",\"Name\",\"Identity\",\"Guid\",\"ExchangeObjectId\""]
        for row in rows {
            let guid = row.guid ?? ""
            lines.append("\"\(row.enabled)\",\"\(row.name)\",\"\(row.name)\",\"\(guid)\",\"\(guid)\"")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension InventoryView {
    /// The only account that goes by `name`, for tests that expect exactly one.
    func only(_ name: String) -> InventoryAccount? {
        let matches = accounts(named: AccountName(name))
        return matches.count == 1 ? matches[0] : nil
    }
}
