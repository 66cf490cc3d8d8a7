import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor allowlist …`: read, validate and maintain the written exception register.
struct AllowlistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allowlist",
        abstract: "Read, validate and maintain the approved-exception register (Policies/allowlist.yaml).",
        discussion: Examples.after(
            """
            The register is the system of record, kept in git. Edits made with add, renew and remove change only the \
            edited entry's text (comments and layout stay), validate the whole register before writing, replace the \
            file atomically and are logged in the database (who: --by, else the login name).
            """, Examples.allowlist),
        subcommands: [
            AllowlistListCommand.self,
            AllowlistShowCommand.self,
            AllowlistAddCommand.self,
            AllowlistRenewCommand.self,
            AllowlistRemoveCommand.self,
            AllowlistValidateCommand.self,
        ]
    )
}

/// `--allowlist PATH`, on every allowlist subcommand (and drift/report).
struct AllowlistFileOptions: ParsableArguments {
    @Option(
        name: .customLong("allowlist"), help: "The register file. Default: $BYPASS_AUDITOR_ALLOWLIST, bypass-auditor.toml, Policies/allowlist.yaml.",
        completion: .file(extensions: ["yaml", "yml"]))
    var allowlistFlag: String?

    /// The register's absolute path (announced on stderr).
    func path() throws -> String { try ProjectPaths.resolve(allowlistFlag, \.allowlist, name: "allowlist") }

    /// Loads the register; a file that cannot be read is reported and ends the command with status 1.
    func load() throws -> AllowlistLoadResult {
        try AllowlistLoader.load(path: path())
    }

    /// Loads the register and insists that it is valid (errors printed to stderr, status 1 otherwise).
    func loadValid() throws -> (Allowlist, AllowlistLoadResult) {
        let result = try load()
        guard let allowlist = result.allowlist else {
            for issue in result.issues { Console.err(TerminalText.safe(issue.description, keepingLineBreaks: true)) }
            Console.err("error: \(result.path): invalid register (\(result.errors.count) error(s)); fix it and run 'allowlist validate'")
            throw ExitStatus.failure
        }
        return (allowlist, result)
    }
}
