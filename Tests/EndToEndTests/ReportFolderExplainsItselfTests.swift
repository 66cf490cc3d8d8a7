import BypassAuditor
import Foundation
import Testing

/// An auditor handed a report folder, or the analyst's terminal output, can tell what to open and how to check it.
@Suite("bypass-auditor report: the folder explains itself")
struct ReportFolderExplainsItselfTests {
    typealias Setup = ReportCrashRecoveryTests.Setup

    @Test("README.txt is in the folder and in SHA256SUMS; what it says to run works; the CLI prints the manifest digest and chain head")
    func readmeAndValuesToRecord() throws {
        let setup = try Setup()
        let result = try setup.report(["--period", "2026-10"])
        #expect(result.status == 0, "\(result.stderr)")
        let folder = setup.folder("2026-10")
        let manifest = try String(contentsOfFile: folder + "/SHA256SUMS", encoding: .utf8)
        #expect(manifest.contains("  README.txt\n"), "the manifest covers the README")
        #expect(try ReportCommandTests.sha256sumVerifies(folder))

        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.json"))) as? [String: Any])
        let head = try #require((report["provenance"] as? [String: Any])?["chain_head"] as? String)
        let digest = try SHA256Digest.hex(ofFile: folder + "/SHA256SUMS")
        #expect(result.stdout.contains("manifest SHA-256 (of SHA256SUMS): \(digest)"), "\(result.stdout)")
        #expect(result.stdout.contains("history chain head:               \(head)"), "\(result.stdout)")
        #expect(result.stdout.contains("\(folder)/README.txt"))

        let readme = try String(contentsOfFile: folder + "/README.txt", encoding: .utf8)
        #expect(readme.contains("Open report.html in a web browser"))
        for name in ["report.md", "report.json", "inventory.csv", "findings.csv", "changes.csv", "alerts.csv", "remediation.ps1"] {
            #expect(readme.contains("  \(name) "), "\(name) is described")
        }
        #expect(readme.contains("    sha256sum -c SHA256SUMS\r\n"))
        #expect(readme.contains("Get-FileHash -Algorithm SHA256"))
        let command = "bypass-auditor verify --expect-head \(head)"
        #expect(readme.contains(command))

        // What the README tells the auditor to run holds against the database the report came from.
        let verify = try CLI.run(["verify", "--db", setup.db, "--expect-head", head])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        let json = try setup.report(["--period", "2026-10", "--json"]).json()
        #expect(json["chain_head"] as? String == head)
        #expect(json["manifest_sha256"] as? String == (try SHA256Digest.hex(ofFile: setup.folder("2026-10.r2/SHA256SUMS"))))
    }

    @Test("CSV files start with a UTF-8 BOM, so Excel shows non-ASCII account names as written")
    func csvByteOrderMark() throws {
        let directory = try TemporaryDirectory()
        let accented = ReportCommandTests.event("evt-accent", at: "2026-10-07T10:00:00Z", identity: "jürgen.müller", actor: "mallory@contoso.com")
        let db = try ReportCommandTests.database(in: directory, extra: [accented])
        let allowlist = try directory.write("allowlist.yaml", ReportCommandTests.register)
        let out = directory.path("Reports")
        #expect(try ReportCommandTests.report(db, allowlist, out: out, ["--period", "2026-10", "--format", "csv"]).status == 0)
        for name in ["inventory.csv", "findings.csv", "changes.csv", "alerts.csv"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/2026-10/" + name))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/2026-10/inventory.csv"))
        #expect(bytes.dropFirst(3).starts(with: Data("account_key,".utf8)), "the BOM, then the header")
        let inventory = String(decoding: bytes, as: UTF8.self)
        #expect(inventory.contains("jürgen.müller"))
    }
}
