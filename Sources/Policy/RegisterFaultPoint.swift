import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// TEST-ONLY crash points in a register edit.
///
/// When the environment variable `BYPASS_AUDITOR_TEST_KILL_AT` names a point, the process sends itself SIGKILL on
/// reaching it, so the end-to-end tests can prove that an edit interrupted exactly there is completed or rolled back
/// by the next command. This is the only place the variable is read; it is not a user setting and is not documented
/// for users. Unset (always, outside the tests), `reach` does nothing.
enum RegisterFaultPoint: String {
    /// The edit's intent is committed to the database; the register file is not yet replaced.
    case intentLogged = "register-intent-logged"
    /// The register file is replaced; the edit log row is not yet written.
    case fileReplaced = "register-file-replaced"

    static let variable = "BYPASS_AUDITOR_TEST_KILL_AT"

    func reach() {
        guard ProcessInfo.processInfo.environment[Self.variable] == rawValue else { return }
        kill(getpid(), SIGKILL)
    }
}
