import ArgumentParser
import BypassAuditor

/// How a failed command tells the user: one `error:` line (more for an invalid register, whose every problem is
/// listed), with attacker-writable text made inert.
enum CommandFailure {
    static func report(_ error: Error, in command: ParsableCommand.Type) {
        if let invalid = error as? InvalidRegisterError {
            for issue in invalid.result.issues { Console.err(TerminalText.safe(issue.description)) }
            let subject = command == ReportWriteCommand.self ? "the report" : command.configuration.commandName ?? "this command"
            Console.err(
                "error: \(invalid); \(subject) does not run on an invalid register: fix it and check with "
                    + "`bypass-auditor allowlist validate`")
            return
        }
        // SQLite's own failures (a damaged file, a full disk…) are told in words, not as "SQLite error 26".
        let text = DatabaseFailureText.explain(error).map { "database: \($0)" } ?? "\(error)"
        Console.err("error: " + TerminalText.safe(text, keepingLineBreaks: true))
    }
}
