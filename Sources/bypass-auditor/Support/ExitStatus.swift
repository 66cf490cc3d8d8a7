import ArgumentParser
import BypassAuditor

/// The documented exit codes (README, "Exit codes"): automation relies on them, so they never change meaning.
enum ExitStatus {
    /// Everything worked; nothing to report at the requested level.
    static let success = ExitCode(0)
    /// The command could not do its job (unreadable file, invalid register, database error).
    static let failure = ExitCode(1)
    /// Input was read but some records or lines were skipped (each reported as file:line: reason).
    static let inputSkipped = ExitCode(2)
    /// Findings at or above `--fail-on` exist.
    static let findingsAtThreshold = ExitCode(3)
    /// The history hash chain does not verify.
    static let integrityFailure = ExitCode(4)
    /// An input file shrank under its memory mapping while ingest read it. The reader's SIGBUS guard ends the process
    /// with this code itself (no Swift code can run after the fault); it is listed here so the codes stay in one table.
    static let inputFileShrank = ExitCode(AuditLogReader.fileShrankExitCode)
}
