import Foundation
import Testing

@Suite("bypass-auditor init")
struct InitCommandTests {
    @Test("init writes a valid register, a config, the folders and the database; a second init keeps every file")
    func startsAProject() throws {
        let directory = try TemporaryDirectory()
        let project = directory.url.appendingPathComponent("contoso").path
        let result = try CLI.run(["init", project])
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["bypass-auditor.toml", "Policies/allowlist.yaml", "bypass-auditor.sqlite"] {
            #expect(FileManager.default.fileExists(atPath: project + "/" + name), "\(name)")
        }
        #expect(result.stdout.contains("created \(project)/Policies/allowlist.yaml"))

        // The register validates, and the admin can add to it at once from anywhere in the project.
        let validate = try CLI.run(["allowlist", "validate"], in: URL(fileURLWithPath: project + "/Policies"))
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let add = try CLI.run(ProjectConfigurationTests.addArguments, in: URL(fileURLWithPath: project + "/Reports"))
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("added AB-0001"))
        #expect(!add.stderr.contains("creating a new database"))

        let register = try String(contentsOfFile: project + "/Policies/allowlist.yaml", encoding: .utf8)
        let again = try CLI.run(["init", project])
        #expect(again.status == 0)
        #expect(again.stdout.contains("kept    \(project)/Policies/allowlist.yaml (exists)"))
        #expect(try String(contentsOfFile: project + "/Policies/allowlist.yaml", encoding: .utf8) == register)
    }
}
