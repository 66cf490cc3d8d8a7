import BypassAuditor
import Foundation

/// A database the end-to-end inventory tests fill through the library, as `ingest` would.
enum InventoryE2E {
    static let tenant = "0b5b1d5e-7c1a-4c55-9f3e-1a2b3c4d5e6f"
    static let otherTenant = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"

    static func event(
        id: String, at time: String, identity: String?, enabled: String = "True", outcome: String = "success",
        actor: String = "exo-admin@contoso.com", clientIP: String = "203.0.113.7", objectID: String? = nil,
        tenant: String = tenant
    ) -> AuditEvent {
        var event = AuditEvent()
        event[ECSField.timestamp] = .string(time)
        event[ECSField.eventID] = .string(id)
        event[ECSField.action] = .string(ECSField.bypassCmdlet)
        event[ECSField.provider] = .string("Exchange")
        event[ECSField.dataset] = .string(ECSField.o365AuditDataset)
        event[ECSField.organizationID] = .string(tenant)
        event[ECSField.outcome] = .string(outcome)
        event[ECSField.resultStatus] = .string(outcome == "success" ? "True" : "Failed")
        event[ECSField.userID] = .string(actor)
        event[ECSField.clientIP] = .string(clientIP)
        if let objectID { event[ECSField.objectID] = .string(objectID) }
        if let identity { event[ECSField.parametersPrefix + "Identity"] = .string(identity) }
        event[ECSField.parametersPrefix + "AuditBypassEnabled"] = .string(enabled)
        return event
    }

    /// svc-backup enabled then removed and re-enabled (by its address, which the record's ObjectId ties to the same
    /// account); svc-ediscovery enabled; a failed attempt on alice.
    static let standardEvents: [AuditEvent] = [
        event(id: "evt-1", at: "2026-01-05T09:00:00Z", identity: "svc-backup"),
        event(id: "evt-2", at: "2026-02-05T09:00:00Z", identity: "svc-backup", enabled: "False"),
        event(id: "evt-3", at: "2026-03-05T09:00:00Z", identity: "svc-backup@contoso.com", actor: "mallory@contoso.com",
              clientIP: "198.51.100.66",
              objectID: "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/svc-backup"),
        event(id: "evt-4", at: "2026-02-10T09:00:00Z", identity: "svc-ediscovery"),
        event(id: "evt-5", at: "2026-02-11T09:00:00Z", identity: "alice", outcome: "failure", actor: "mallory@contoso.com"),
    ]

    /// A database file in `directory` holding `events`.
    @discardableResult
    static func database(in directory: TemporaryDirectory, events: [AuditEvent] = standardEvents) throws -> String {
        let path = directory.path("audit.sqlite")
        let database = try AuditDatabase(path: path)
        try database.write { db in
            for event in events { try EventStore.insert(db, event) }
        }
        return path
    }

    static func fixture(_ name: String) -> String {
        PackageRoot.url.appendingPathComponent("Tests/BypassAuditorTests/Fixtures/Inventory/\(name)").path
    }
}
