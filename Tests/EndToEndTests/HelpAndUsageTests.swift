import Foundation
import Testing

@Suite("Help and unknown commands")
struct HelpAndUsageTests {
    @Test("help nosuch and a mistyped command exit 64 with the closest command named")
    func unknownCommands() throws {
        let help = try CLI.run(["help", "nosuch"])
        #expect(help.status == 64)
        #expect(help.stderr.contains("error: unknown command 'bypass-auditor nosuch'"))
        let typo = try CLI.run(["reprt", "--period", "2026-10"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("Did you mean 'report'?"))
        let nested = try CLI.run(["allowlist", "ad", "--account", "x"])
        #expect(nested.status == 64 && nested.stderr.contains("Did you mean 'add'?"))
    }

    @Test("help for a real command still works and exits 0")
    func realHelp() throws {
        let help = try CLI.run(["help", "allowlist", "add"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: bypass-auditor allowlist add"))
    }
}
