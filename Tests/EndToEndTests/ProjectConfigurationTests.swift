import Foundation
import Testing

/// `bypass-auditor.toml`, `BYPASS_AUDITOR_DB` / `BYPASS_AUDITOR_ALLOWLIST` and flags, as an admin and an analyst
/// working in different folders of one project would use them.
@Suite("Project configuration")
struct ProjectConfigurationTests {
    static let addArguments = [
        "allowlist", "add", "--account", "svc-journal@contoso.com", "--category", "third-party-tool", "--tool", "Journal",
        "--owner", "messaging@contoso.com", "--justification", "Journals mail.", "--approved-by", "ciso@contoso.com",
        "--approved-on", "2026-11-20", "--ticket", "CHG-1", "--expires-on", "2027-11-20", "--by", "alice",
    ]

    static func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let register = try String(
            contentsOf: PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml"), encoding: .utf8)
        _ = try directory.write("policy/allow.yaml", register)
        _ = try directory.write(
            "bypass-auditor.toml", "# the project's files\n[paths]\ndb = \"data/audit.sqlite\"\nallowlist = \"policy/allow.yaml\"\n")
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("policy/deep/er"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("data"), withIntermediateDirectories: true)
        return directory
    }

    @Test("The config file is found from a subfolder; its paths are relative to it; paths in use are printed absolute")
    func walksUp() throws {
        let project = try Self.project()
        let root = project.url.standardizedFileURL.path
        let add = try CLI.run(Self.addArguments, in: project.url.appendingPathComponent("policy/deep/er"))
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stderr.contains("allowlist: \(root)/policy/allow.yaml (from \(root)/bypass-auditor.toml)"))
        #expect(add.stderr.contains("db: \(root)/data/audit.sqlite"))
        #expect(add.stderr.contains("warning: creating a new database at \(root)/data/audit.sqlite"))
        #expect(FileManager.default.fileExists(atPath: project.path("data/audit.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: project.path("policy/deep/er/bypass-auditor.sqlite")))

        // The analyst, from the project root, reads the same database and register: no warning this time.
        let drift = try CLI.run(["drift", "--as-of", "2026-11-21", "--fail-on", "none"], in: project.url)
        #expect(drift.status == 0, "\(drift.stderr)")
        #expect(drift.stderr.contains("db: \(root)/data/audit.sqlite"))
        #expect(!drift.stderr.contains("creating a new database"))
    }

    @Test("Environment variables beat the config file; flags beat both")
    func precedence() throws {
        let project = try Self.project()
        let elsewhere = try TemporaryDirectory()
        let envDB = elsewhere.path("env.sqlite")
        let environment = ["BYPASS_AUDITOR_DB": envDB]
        let add = try CLI.run(Self.addArguments, in: project.url, environment: environment)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stderr.contains("db: \(envDB) (environment)"))
        #expect(FileManager.default.fileExists(atPath: envDB))

        let flagDB = elsewhere.path("flag.sqlite")
        let inventory = try CLI.run(["inventory", "--db", flagDB], in: project.url, environment: environment)
        #expect(inventory.status == 1)
        #expect(inventory.stderr.contains("no database at \(flagDB)"))

        let register = try CLI.run(
            ["allowlist", "validate"], in: elsewhere.url,
            environment: ["BYPASS_AUDITOR_ALLOWLIST": project.path("policy/allow.yaml")])
        #expect(register.status == 0, "\(register.stderr)")
        #expect(register.stdout.contains("policy/allow.yaml: valid"))
    }

    @Test("A bad configuration file is an error naming the file and the key")
    func badConfiguration() throws {
        let project = try TemporaryDirectory()
        _ = try project.write("bypass-auditor.toml", "database = \"x.sqlite\"\n")
        let result = try CLI.run(["inventory"], in: project.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bypass-auditor.toml: unknown key 'database'"))
    }
}
