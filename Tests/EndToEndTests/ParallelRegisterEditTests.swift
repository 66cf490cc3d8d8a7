import Foundation
import Testing

/// Parallel edits of one register apply one after the other, each to the register the previous one wrote.
@Suite("Parallel register edits")
struct ParallelRegisterEditTests {
    @Test("Four parallel adds, each logging to its own database, leave four entries with distinct ids")
    func fourParallelAdds() throws {
        let directory = try AllowlistCommandTests.workspace()
        let accounts = (1...4).map { "svc-parallel-\($0)@contoso.com" }
        // One thread per process, so all four really run at once (the cooperative pool may have fewer threads).
        let group = DispatchGroup()
        let lock = NSLock()
        nonisolated(unsafe) var results: [CLI.Result] = []
        for (index, account) in accounts.enumerated() {
            var arguments = ProjectConfigurationTests.addArguments + ["--db", directory.path("db-\(index).sqlite")]
            arguments[arguments.firstIndex(of: "svc-journal@contoso.com")!] = account
            let folder = directory.url
            let command = arguments
            group.enter()
            Thread {
                let result = try? CLI.run(command, in: folder)
                lock.withLock { results.append(result ?? CLI.Result(status: -1, stdout: "", stderr: "did not start")) }
                group.leave()
            }.start()
        }
        group.wait()
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let printed = results.compactMap { result in
            result.stdout.firstMatch(of: /added (AB-\d{4})/).map { String($0.1) }
        }
        #expect(Set(printed).count == 4, "each process reports its own id: \(printed)")

        let list = try CLI.run(["allowlist", "list", "--json"], in: directory.url).json()
        let entries = try #require(list["entries"] as? [[String: Any]])
        let added = entries.filter { ($0["account"] as? String)?.hasPrefix("svc-parallel-") == true }
        #expect(Set(added.compactMap { $0["account"] as? String }) == Set(accounts))
        let ids = entries.compactMap { $0["id"] as? String }
        #expect(ids.count == 9 && Set(ids).count == 9, "\(ids)")
        #expect(Set(added.compactMap { $0["id"] as? String }) == Set(printed))
    }
}
