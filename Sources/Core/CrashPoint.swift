import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// TEST HOOK — fault injection for the end-to-end crash tests, not a feature.
///
/// A write path that must survive a `kill -9` at a given step calls `CrashPoint.<step>.reach()` there. When the
/// environment variable `BYPASS_AUDITOR_CRASH_AT` names that point, the process sends itself SIGKILL at that exact
/// moment (no cleanup, no flush: what a kill -9 or a power cut leaves), so a test can check that the next run
/// recovers. Unset (always, outside the tests) it does nothing. This is the only place the variable is read.
public enum CrashPoint: String, Sendable, CaseIterable {
    /// `report`: after the first file of a report is written into its hidden temporary folder.
    case reportRendering = "report-rendering"
    /// `report`: after the run is stored as pending, before its complete temporary folder is renamed into place.
    case reportPending = "report-pending"
    /// `report`: after the new report folder is renamed into place, before the database records it as published.
    case reportRenamed = "report-renamed"
    /// `report --force`: after the replaced revision is moved aside, before the database records the replacement.
    case reportMovedAside = "report-moved-aside"
    /// `allowlist add|renew|remove`: after the edit's intent is committed, before the register file is replaced.
    case registerIntentLogged = "register-intent-logged"
    /// `allowlist add|renew|remove`: after the register file is replaced, before the edit-log row is written.
    case registerFileReplaced = "register-file-replaced"

    /// The environment variable that arms one point.
    public static let variable = "BYPASS_AUDITOR_CRASH_AT"

    private static let armed: CrashPoint? = ProcessInfo.processInfo.environment[variable].flatMap(CrashPoint.init(rawValue:))

    /// Kills the process with SIGKILL when this point is armed; otherwise returns at once.
    public func reach() {
        guard Self.armed == self else { return }
        kill(getpid(), SIGKILL)
    }
}
