import Foundation
import BypassAuditor
import Synchronization

/// Writing to the terminal: results to stdout, diagnostics and progress to stderr.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A line about the run (paths in use) on stderr, so stdout stays the result; nothing under `--quiet`.
    static func note(_ text: String) {
        if !quiet { err(text) }
    }

    private static let quietFlag = Atomic<Bool>(false)

    /// Set by `--quiet` (`OutputOptions`) while the command line is parsed.
    static var quiet: Bool {
        get { quietFlag.load(ordering: .relaxed) }
        set { quietFlag.store(newValue, ordering: .relaxed) }
    }

    /// Whether stderr may carry cursor-control codes (the progress line's erase-to-end): a terminal that is not
    /// `TERM=dumb`, with `NO_COLOR` unset (no-color.org: no escape codes in output at all).
    static var allowsControlCodes: Bool {
        let environment = ProcessInfo.processInfo.environment
        return stderrIsTerminal && environment["TERM"] != "dumb" && (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Whether a progress line is shown: a terminal, not `--quiet`.
    static var showsProgress: Bool { stderrIsTerminal && !quiet }

    /// What else the database holds beside the tenant shown (`TenantChoice.notes`), on stderr in every format.
    static func tenantNotes(_ notes: [String]) {
        for note in notes { err("NOTE: " + TerminalText.safe(note)) }
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints `value` as the command's JSON document (shared convention: snake_case, sorted keys, UTC times).
    static func json<T: Encodable>(_ value: T) throws {
        // Streamed in pieces, with `JSONCoding.string`'s bytes: drift's and detect's documents reach 16 MB at scale,
        // and the text, the text with its newline and their bytes were three copies held at once. Every value is
        // encoded before the first piece is written, so an encoding error still prints nothing, except in a
        // `JSONStreamedArray` (detect's alerts), whose elements are read as they are written: an error there stops
        // the text part-way, and the command fails.
        try JSONCoding.write(value) { FileHandle.standardOutput.write(Data($0)) }
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// Whether stderr is a terminal: progress lines are shown only then.
    static var stderrIsTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) != 0 }
    static var stdoutIsTerminal: Bool { isatty(FileHandle.standardOutput.fileDescriptor) != 0 }
}
