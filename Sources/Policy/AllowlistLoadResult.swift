import Foundation

/// What reading the register produced: the register itself when it is valid, and every problem found.
public struct AllowlistLoadResult: Sendable, Hashable {
    /// The register; nil when it has at least one error (drift and report must not run on it).
    public var allowlist: Allowlist?
    /// Every problem, errors and warnings, in file order.
    public var issues: [AllowlistIssue]
    /// The file's text exactly as read (what the version history stores).
    public var content: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// The file, as it was named to the loader.
    public var path: String

    public init(allowlist: Allowlist?, issues: [AllowlistIssue], content: String, sha256: String, path: String) {
        self.allowlist = allowlist
        self.issues = issues
        self.content = content
        self.sha256 = sha256
        self.path = path
    }

    /// True when there is no error (warnings allowed).
    public var isValid: Bool { !issues.contains { $0.severity == .error } }

    public var errors: [AllowlistIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [AllowlistIssue] { issues.filter { $0.severity == .warning } }
}

/// The register file could not be read at all (so there is no content to judge).
public enum AllowlistLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path):
            "allowlist file not found: \(path) (create one with `bypass-auditor init`, or pass --allowlist, or set "
                + "BYPASS_AUDITOR_ALLOWLIST)"
        case .unreadable(let path, let reason): "cannot read the allowlist \(path): \(reason)"
        }
    }
}
