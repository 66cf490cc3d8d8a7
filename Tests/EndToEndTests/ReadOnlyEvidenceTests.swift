import Foundation
import Testing

/// Issue 12: an auditor's evidence copy is read-only (a read-only mount, `chattr +i`, or a folder and file without
/// write permission). Commands that only read must work on it and print exactly what they print on a writable copy;
/// commands that must record refuse with a message that says why, instead of "unable to open database file".
@Suite struct ReadOnlyEvidenceTests {
    /// Runs the binary as a user who cannot write the copy: as root, permission bits do not stop writes, so the
    /// binary runs as `nobody` (setpriv); as anyone else, the bits suffice.
    static func runAsReader(_ arguments: [String], in directory: String) throws -> CLI.Result {
        guard getuid() == 0 else { return try CLI.run(arguments, in: URL(fileURLWithPath: directory)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", try CLI.binary.path] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The outputs here are small: reading them one after the other cannot fill a pipe and block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A read-only evidence folder (0555) holding a copy (0444) of `database` and the register.
    static func evidenceCopy(of database: String, register: String, in directory: TemporaryDirectory) throws -> String {
        let folder = directory.path("evidence")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (source, name) in [(database, "audit.sqlite"), (register, "allowlist.yaml")] {
            try FileManager.default.copyItem(atPath: source, toPath: folder + "/" + name)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder + "/" + name)
        }
        #expect(!FileManager.default.fileExists(atPath: database + "-wal"), "the source was closed cleanly")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        // The temporary directory must stay readable by the reader.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        return folder
    }

    static func makeWritable(_ folder: String) {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
    }

    @Test func readCommandsWorkOnAReadOnlyCopyAndPrintWhatTheWritableCopyPrints() throws {
        let directory = try TemporaryDirectory()
        let db = try ReportCommandTests.database(in: directory)
        let snapshot = try directory.write(
            "snap.csv", "\"AuditBypassEnabled\",\"Name\",\"Identity\",\"OrganizationId\"\r\n\"True\",\"svc-backup\",\"svc-backup\",\"\"\r\n")
        let imported = try CLI.run(
            ["snapshot", "import", "--db", db, "--tenant", ReportCommandTests.tenant, "--taken-at", "2026-10-20", snapshot])
        #expect(imported.status == 0, "\(imported.stderr)")
        let register = try directory.write("allowlist.yaml", ReportCommandTests.register)
        let evidence = try Self.evidenceCopy(of: db, register: register, in: directory)
        defer { Self.makeWritable(evidence) }
        let copy = evidence + "/audit.sqlite"
        #expect(access(copy, W_OK) != 0 || getuid() == 0, "the copy is not writable")

        // `{db}` and `{register}` stand for the copy's or the original's files.
        let readCommands: [[String]] = [
            ["verify", "--json"],
            ["verify"],
            ["inventory", "--as-of", "2026-11-01", "--json"],
            ["inventory", "list", "--as-of", "2026-11-01", "--all"],
            ["inventory", "show", "--as-of", "2026-11-01", "svc-backup"],
            ["alerts", "--json"],
            ["alerts", "list"],
            ["snapshot", "list", "--json"],
            ["drift", "--allowlist", "{register}", "--as-of", "2026-11-01", "--fail-on", "none", "--json"],
            ["drift", "--allowlist", "{register}", "--as-of", "2026-11-01", "--fail-on", "none"],
        ]
        func filled(_ command: [String], db: String, register: String) -> [String] {
            command.map { $0 == "{register}" ? register : $0 } + ["--db", db]
        }
        for command in readCommands {
            let readOnly = try Self.runAsReader(filled(command, db: copy, register: evidence + "/allowlist.yaml"), in: evidence)
            #expect(readOnly.status == 0, "\(command): \(readOnly.stderr)")
            #expect(!readOnly.stderr.contains("unable to open"), "\(command): \(readOnly.stderr)")
            let writable = try CLI.run(filled(command, db: db, register: register))
            #expect(writable.status == 0, "\(command): \(writable.stderr)")
            let shown = readOnly.stdout.replacingOccurrences(of: evidence + "/allowlist.yaml", with: register)
                .replacingOccurrences(of: copy, with: db)
            #expect(shown == writable.stdout, "\(command) prints something else on the read-only copy")
        }
        // drift says it could not record the register version, and records nothing.
        let drift = try Self.runAsReader(
            ["drift", "--db", copy, "--allowlist", evidence + "/allowlist.yaml", "--as-of", "2026-11-01", "--fail-on", "none"],
            in: evidence)
        #expect(drift.stderr.contains("read-only"), "\(drift.stderr)")
        #expect(drift.stderr.contains("not recorded"), "\(drift.stderr)")
        #expect(try Self.runAsReader(["rules", "list"], in: evidence).status == 0)

        // Commands that record refuse clearly.
        let report = try Self.runAsReader(
            ["report", "--db", copy, "--allowlist", evidence + "/allowlist.yaml", "--out", directory.path("out"), "--now",
             "2026-11-21T06:00:00Z"], in: evidence)
        #expect(report.status == 1)
        #expect(report.stderr.contains("read-only"), "\(report.stderr)")
        #expect(!report.stderr.contains("SQLite error"), "\(report.stderr)")
        let ack = try Self.runAsReader(["alerts", "ack", "1", "--by", "me", "--note", "x", "--db", copy], in: evidence)
        #expect(ack.status == 1)
        #expect(ack.stderr.contains("read-only"), "\(ack.stderr)")
    }

    @Test func aReadOnlyCopyFromAnOlderVersionSaysItNeedsUpgrading() throws {
        let directory = try TemporaryDirectory()
        let old = PackageRoot.url.appendingPathComponent("Tests/BypassAuditorTests/Fixtures/Upgrade/main-209516c.sqlite").path
        let register = try directory.write("allowlist.yaml", ReportCommandTests.register)
        let evidence = try Self.evidenceCopy(of: old, register: register, in: directory)
        defer { Self.makeWritable(evidence) }
        let verify = try Self.runAsReader(["verify", "--db", evidence + "/audit.sqlite"], in: evidence)
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("older version"), "\(verify.stderr)")
        #expect(verify.stderr.contains("read-only"), "\(verify.stderr)")
    }
}
