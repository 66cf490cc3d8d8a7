import Foundation
import BypassAuditor

/// Writing to the terminal: results to stdout, diagnostics and progress to stderr.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A line about the run (paths in use) on stderr, so stdout stays the result.
    static func note(_ text: String) {
        err(text)
    }

    /// What else the database holds beside the tenant shown (`TenantChoice.notes`), on stderr in every format.
    static func tenantNotes(_ notes: [String]) {
        for note in notes { err("NOTE: " + TerminalText.safe(note)) }
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints `value` as the command's JSON document (shared convention: snake_case, sorted keys, UTC times).
    static func json<T: Encodable>(_ value: T) throws {
        out(try JSONCoding.string(value))
    }

    /// Whether stderr is a terminal: progress lines are shown only then.
    static var stderrIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) != 0 }
    static var stdoutIsTerminal: Bool { isatty(FileHandle.standardOutput.fileDescriptor) != 0 }
}
