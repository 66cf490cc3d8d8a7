import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who is at the keyboard, for the edit log when `--by` is not given.
public enum LoginName {
    /// `USER`, else `LOGNAME`, else the password database's name for the real user id, else `uid:<n>`.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for variable in ["USER", "LOGNAME"] {
            if let name = environment[variable]?.whitespaceTrimmed, !name.isEmpty {
                return name
            }
        }
        let uid = getuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        return "uid:\(uid)"
    }
}
