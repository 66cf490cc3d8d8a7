import Core
import Foundation

/// One problem found in the register, located so a person can go straight to it.
public struct AllowlistIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether the problem makes the register unusable.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        /// The register is invalid: drift and report refuse to run on it.
        case error
        /// The register stays usable (the entry still approves its account), but something is missing.
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    /// The register file, as it was named to the loader.
    public var file: String
    /// Where the problem is; nil when it concerns the file as a whole.
    public var position: SourcePosition?
    public var severity: Severity
    public var message: String
    /// The entry the problem belongs to, when it belongs to one.
    public var entryID: String?

    public init(file: String, position: SourcePosition?, severity: Severity, message: String, entryID: String? = nil) {
        self.file = file
        self.position = position
        self.severity = severity
        self.message = message
        self.entryID = entryID
    }

    /// `file:line:col: error: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        let location = position.map { "\(file):\($0.line):\($0.column)" } ?? file
        return "\(location): \(severity.rawValue): \(message)"
    }
}
