import Foundation
import Testing

import BypassAuditor
@testable import Detection
@testable import Store

/// Watch cycles over a folder of raw Management Activity API records as an export job writes them: a file grows,
/// holds a malformed line, is rotated and truncated, and the watch restarts.
@Suite("Watch: cycles over files that grow, rotate and hold bad lines")
struct WatchSessionTests {
    /// One raw ExchangeAdmin record, one line, as the Management Activity API returns it.
    static func record(
        id: String, operation: String, parameters: [(String, String)], status: String = "True",
        at time: String = "2026-11-21T10:00:00"
    ) -> String {
        let parameterList = parameters.map { "{\"Name\": \"\($0.0)\", \"Value\": \"\($0.1)\"}" }.joined(separator: ", ")
        return """
            {"CreationTime": "\(time)", "Id": "\(id)", "Operation": "\(operation)", "OrganizationId": "\(DetectionFixtures.tenant)", \
            "RecordType": 1, "ResultStatus": "\(status)", "UserKey": "admin@contoso.com", "UserType": 2, "Version": 1, \
            "Workload": "Exchange", "ObjectId": "svc-backup@contoso.com", "UserId": "admin@contoso.com", \
            "ClientIP": "203.0.113.7:51234", "Parameters": [\(parameterList)], "ExternalAccess": false, \
            "OrganizationName": "contoso.onmicrosoft.com", "OriginatingServer": "AM0PR01MB1234 (15.20.7000.000)"}
            """
    }

    static func bypass(id: String, enabled: Bool, status: String = "True") -> String {
        record(
            id: id, operation: "Set-MailboxAuditBypassAssociation",
            parameters: [("Identity", "svc-backup"), ("AuditBypassEnabled", enabled ? "True" : "False")], status: status)
    }

    static func append(_ lines: [String], to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
        try handle.close()
    }

    @Test("each cycle ingests only what is new and raises its alerts once")
    func cycles() throws {
        let folder = try TestPaths.temporaryDirectory()
        let logs = folder.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let live = logs.appendingPathComponent("audit.ndjson").path
        let databasePath = folder.appendingPathComponent("watch.sqlite").path
        let rules = try DetectionFixtures.shippedRules()
        func session() throws -> WatchSession {
            WatchSession(database: try AuditDatabase(path: databasePath), rules: rules, paths: [logs.path])
        }
        func signals(_ result: WatchCycleResult) -> [String] {
            result.detection.newAlerts.map { "\($0.eventID):\($0.signal.rawValue)" }.sorted()
        }

        // Cycle 1: a routine change and a bypass added.
        try Data(
            [
                Self.record(id: "routine-1", operation: "Set-Mailbox", parameters: [("Identity", "x"), ("ProhibitSendQuota", "99 GB")]),
                Self.bypass(id: "add-1", enabled: true),
            ].map { $0 + "\n" }.joined().utf8
        ).write(to: URL(fileURLWithPath: live))
        let watch = try session()
        let first = try watch.runCycle()
        #expect(first.ingest.records == 2)
        #expect(first.ingest.eventsStored == 1, "the routine record matches no rule and is not stored")
        #expect(signals(first) == ["add-1:bypass-change"])
        #expect(first.detection.newAlerts.first?.direction == .enabled)

        // Cycle 2: the file grows by a removal, a malformed line and organisation-wide auditing turned off.
        try Self.append(
            [
                Self.bypass(id: "remove-1", enabled: false),
                // A write cut short: it names the bypass cmdlet, so even the fast path parses it and reports it.
                "{\"Id\": \"broken\", \"Operation\": \"Set-MailboxAuditBypassAssociation\", \"Parameters\": [",
                Self.record(id: "org-off", operation: "Set-OrganizationConfig", parameters: [("AuditDisabled", "True")]),
            ], to: live)
        let second = try watch.runCycle()
        #expect(second.ingest.records == 2, "only the new lines are read")
        #expect(second.ingest.skipped == 1)
        #expect(second.ingest.errors.first?.line == 4)
        #expect(second.ingest.errors.first?.file.hasSuffix("audit.ndjson") == true)
        #expect(signals(second) == ["org-off:organization-audit-disabled", "remove-1:bypass-change"])

        // Cycle 3: rotation. The old file keeps its name with .1; a new file starts with a failed attempt.
        try FileManager.default.moveItem(atPath: live, toPath: live + ".1")
        try Data((Self.bypass(id: "fail-1", enabled: true, status: "Failed") + "\n").utf8)
            .write(to: URL(fileURLWithPath: live))
        let third = try watch.runCycle()
        #expect(third.ingest.duplicates == 0, "the rotated file is not read again")
        #expect(signals(third) == ["fail-1:bypass-failed-attempt"])

        // Cycle 4: the live file is truncated and rewritten with unified audit logging turned off.
        try Data(
            (Self.record(
                id: "ual-off", operation: "Set-AdminAuditLogConfig",
                parameters: [("UnifiedAuditLogIngestionEnabled", "False")]) + "\n").utf8
        ).write(to: URL(fileURLWithPath: live))
        let fourth = try watch.runCycle()
        #expect(signals(fourth) == ["ual-off:unified-audit-ingestion-disabled"])

        // Cycle 5: nothing new.
        let fifth = try watch.runCycle()
        #expect(fifth.ingest.eventsStored == 0)
        #expect(fifth.detection.newAlerts.isEmpty)

        // A restarted watch resumes from the checkpoints: nothing is read or raised again.
        let restarted = try session().runCycle()
        #expect(restarted.ingest.eventsStored == 0)
        #expect(restarted.ingest.duplicates == 0)
        #expect(restarted.detection.newAlerts.isEmpty)

        let all = try AuditDatabase(path: databasePath).read { db in
            try AlertStore.alerts(db, tenant: nil, from: nil, to: nil)
        }
        #expect(all.count == 5)
        let runs = try AuditDatabase(path: databasePath).read { db in try AlertStore.detectionRuns(db) }
        #expect(runs.count == 6)
        #expect(runs.allSatisfy { $0.mode == .scheduled })
    }

    @Test("a path that does not exist yet is reported each cycle and the others are still watched")
    func missingPath() throws {
        let folder = try TestPaths.temporaryDirectory()
        let present = folder.appendingPathComponent("present.ndjson")
        try Data((Self.bypass(id: "p-1", enabled: true) + "\n").utf8).write(to: present)
        let watch = WatchSession(
            database: try AuditDatabase(path: folder.appendingPathComponent("w.sqlite").path),
            rules: try DetectionFixtures.shippedRules(),
            paths: [folder.appendingPathComponent("not-yet").path, present.path])
        let result = try watch.runCycle()
        #expect(result.pathProblems.count == 1)
        #expect(result.pathProblems.first?.file.hasSuffix("not-yet") == true)
        #expect(result.detection.newAlerts.map(\.eventID) == ["p-1"])
    }

    @Test("the default cycle is the shortest rule interval")
    func defaultInterval() throws {
        let watch = WatchSession(
            database: try DetectionFixtures.database(), rules: try DetectionFixtures.shippedRules(), paths: [])
        #expect(watch.defaultInterval.seconds == 300)
        #expect(watch.rulesLookingBackLessThan(RuleDuration("1h")!).count == 6)
        #expect(watch.rulesLookingBackLessThan(RuleDuration("5m")!).isEmpty)
    }

    @Test("SIGTERM wakes a waiting watch and is remembered until the cycle boundary")
    func terminationSignal() throws {
        let signals = TerminationSignals(signals: [SIGUSR2])
        defer { signals.stopListening() }
        #expect(signals.received == nil)
        #expect(signals.wait(upTo: 0.05) == nil, "times out when nothing arrives")
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { _ = kill(getpid(), SIGUSR2) }
        #expect(signals.wait(upTo: 5) == SIGUSR2)
        #expect(Date().timeIntervalSince(started) < 4, "woke at the signal, not at the timeout")
        #expect(signals.received == SIGUSR2)
        #expect(signals.wait(upTo: 5) == SIGUSR2, "a later wait returns at once")
    }
}
