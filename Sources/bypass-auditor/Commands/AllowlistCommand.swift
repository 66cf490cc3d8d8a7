import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor allowlist …`: read, validate and maintain the written exception register.
struct AllowlistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allowlist",
        abstract: "Read, validate and maintain the approved-exception register (Policies/allowlist.yaml).",
        discussion: """
            The register is the system of record, kept in git. Edits made with add, renew and remove change only the \
            edited entry's text (comments and layout stay), validate the whole register before writing, replace the \
            file atomically and are logged in the database (who: --by, else the login name).
            """,
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
    @Option(name: .long, help: "The register file.")
    var allowlist: String = "Policies/allowlist.yaml"

    /// Loads the register; a file that cannot be read is reported and ends the command with status 1.
    func load() throws -> AllowlistLoadResult {
        do {
            return try AllowlistLoader.load(path: allowlist)
        } catch {
            Console.err("\(error)")
            throw ExitStatus.failure
        }
    }

    /// Loads the register and insists that it is valid (errors printed to stderr, status 1 otherwise).
    func loadValid() throws -> (Allowlist, AllowlistLoadResult) {
        let result = try load()
        guard let allowlist = result.allowlist else {
            for issue in result.issues { Console.err(TerminalText.safe(issue.description, keepingLineBreaks: true)) }
            Console.err("\(allowlist): invalid register (\(result.errors.count) error(s)); fix it and run 'allowlist validate'")
            throw ExitStatus.failure
        }
        return (allowlist, result)
    }
}

/// Parsing of the date and category options shared by the editing subcommands.
enum AllowlistArguments {
    static func day(_ text: String?, option: String) throws -> UTCDay? {
        guard let text else { return nil }
        guard let day = UTCDay(text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("\(option): '\(text)' is not a real date in YYYY-MM-DD form")
        }
        return day
    }

    static func requiredDay(_ text: String, option: String) throws -> UTCDay {
        guard let day = try day(text, option: option) else { throw ValidationError("\(option) is required") }
        return day
    }

    static func category(_ text: String?) throws -> ExceptionCategory? {
        guard let text else { return nil }
        guard let category = ExceptionCategory(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            let known = ExceptionCategory.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--category: '\(text)' is not a category (one of: \(known))")
        }
        return category
    }

    /// `--as-of`: a day, default today (UTC).
    static func asOfDay(_ text: String?) throws -> UTCDay {
        try day(text, option: "--as-of") ?? UTCDay(containing: Date())
    }
}
