import Foundation
import Testing

/// Issue 12: the first use of a new database from several processes at once failed with `table … already exists`
/// (each ran the migrations). Migrations now run under a lock: every process succeeds, and the schema is made once.
@Suite struct ConcurrentFirstUseTests {
    /// Starts `count` processes of the binary at once and waits for all of them.
    static func runTogether(_ argumentLists: [[String]]) throws -> [CLI.Result] {
        var processes: [(Process, Pipe, Pipe)] = []
        for arguments in argumentLists {
            let process = Process()
            process.executableURL = try CLI.binary
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            processes.append((process, out, err))
        }
        for (process, _, _) in processes { try process.run() }
        return processes.map { process, out, err in
            // Small outputs: reading one pipe after the other cannot block a child.
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CLI.Result(
                status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData, as: UTF8.self))
        }
    }

    @Test(arguments: 1...5)
    func fourProcessesCreateOneNewDatabaseTogether(trial: Int) throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("new.sqlite")
        var commands: [[String]] = []
        for index in 0..<4 {
            let logs = try folder.write(
                "logs\(index).ndjson", AuditRecordLines.bypass(id: "first-use-\(index)", identity: "user\(index)") + "\n")
            commands.append(["ingest", "--db", db, logs])
        }
        let results = try Self.runTogether(commands)
        for (index, result) in results.enumerated() {
            #expect(result.status == 0, "trial \(trial), process \(index): \(result.stderr)")
            #expect(!result.stderr.contains("already exists"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: db + "-migrate.lock"), "the lock file is removed")
        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01", "--json"])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        #expect((try inventory.json()["accounts"] as? [Any])?.count == 4, "every process stored its record")
        #expect(try CLI.run(["verify", "--db", db]).status == 0)
    }

    @Test func fourProcessesIngestingTheSameRecordIntoANewDatabaseStoreItOnce() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("new.sqlite")
        let logs = try folder.write("logs.ndjson", AuditRecordLines.bypass(id: "one", identity: "j.doe") + "\n")
        let results = try Self.runTogether(Array(repeating: ["ingest", "--db", db, logs], count: 4))
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
        }
        let verify = try CLI.run(["verify", "--db", db, "--json"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect((try verify.json()["entries_by_kind"] as? [String: Int])?["bypass-event"] == 1, "stored once")
    }
}
