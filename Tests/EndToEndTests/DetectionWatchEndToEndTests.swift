import BypassAuditor
import Foundation
import Testing

/// The real binary's `watch`: bounded cycles writing NDJSON to a file, and a clean stop on SIGTERM.
@Suite("End to end: watch")
struct DetectionWatchEndToEndTests {
    static let rules = PackageRoot.url.appendingPathComponent("Policies/rules").path

    static func bypassRecord(id: String) -> String {
        """
        {"CreationTime": "2026-11-21T10:00:00", "Id": "\(id)", "Operation": "Set-MailboxAuditBypassAssociation", \
        "OrganizationId": "b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd", "RecordType": 1, "ResultStatus": "True", \
        "UserId": "admin@contoso.com", "UserType": 2, "Version": 1, "Workload": "Exchange", \
        "ObjectId": "svc-backup@contoso.com", "Parameters": [{"Name": "Identity", "Value": "svc-backup"}, \
        {"Name": "AuditBypassEnabled", "Value": "True"}]}

        """
    }

    @Test("watch --cycles 1 ingests, detects and appends NDJSON alerts to --output")
    func boundedCycles() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("logs/audit.ndjson", Self.bypassRecord(id: "w-1"))
        let output = directory.path("alerts.ndjson")
        let result = try CLI.run(
            [
                "watch", "--db", directory.path("w.sqlite"), "--rules", Self.rules, "--cycles", "1", "--interval", "1s",
                "--output", output, directory.path("logs"),
            ], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Cycle 1"))
        #expect(result.stdout.contains("1 new alert"))
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(document["kibana.alert.rule.name"] as? String == "O365 Mailbox Audit Logging Bypass")
        #expect(document["event.id"] as? String == "w-1")

        // A second bounded watch finds nothing new and appends nothing.
        _ = try CLI.run(
            [
                "watch", "--db", directory.path("w.sqlite"), "--rules", Self.rules, "--cycles", "1", "--output", output,
                directory.path("logs"),
            ], in: directory.url)
        #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count == 1)
    }

    @Test("SIGTERM ends a watch cleanly at a cycle boundary")
    func stopsOnSignal() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("logs/audit.ndjson", Self.bypassRecord(id: "s-1"))
        let process = Process()
        process.executableURL = try CLI.binary
        process.arguments = [
            "watch", "--db", directory.path("s.sqlite"), "--rules", Self.rules, "--interval", "1h", "--ndjson",
            directory.path("logs"),
        ]
        process.currentDirectoryURL = directory.url
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Wait for the first cycle to finish (its summary line goes to stderr when stdout carries NDJSON).
        let deadline = Date().addingTimeInterval(20)
        var errText = ""
        while Date() < deadline, !errText.contains("Cycle 1") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            errText += String(decoding: chunk, as: UTF8.self)
        }
        #expect(errText.contains("Cycle 1"), "\(errText)")
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        errText += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let outText = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit, "exited, not killed by the signal")
        #expect(process.terminationStatus == 0)
        #expect(errText.contains("Stopped by signal 15 after 1 cycle"))
        #expect(outText.split(separator: "\n").count == 1, "the alert of the one cycle, as NDJSON")
    }
}
