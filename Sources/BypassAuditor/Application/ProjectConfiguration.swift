import Store
import Foundation
import TOMLKit

/// Where a project's files are: found once, the same way by every command, so that an admin editing the register in
/// the policy repository and an analyst running the month use the same database.
///
/// Precedence, highest first: a command-line flag; `BYPASS_AUDITOR_DB` / `BYPASS_AUDITOR_ALLOWLIST`; the nearest
/// `bypass-auditor.toml` found by walking up from the working folder (its relative paths are relative to the file's
/// own folder, so the answer does not depend on where in the project a command runs); the built-in defaults,
/// relative to the configuration file's folder when there is one, else to the working folder.
public struct ProjectConfiguration: Sendable, Hashable {
    public static let fileName = "bypass-auditor.toml"
    public static let databaseVariable = "BYPASS_AUDITOR_DB"
    public static let allowlistVariable = "BYPASS_AUDITOR_ALLOWLIST"

    /// The configuration file in use, absolute; nil when none was found.
    public var file: String?
    /// The folder relative defaults and configured paths are resolved against.
    public var root: URL
    public var database: String
    public var allowlist: String
    public var rules: String
    public var reports: String
    /// Where each path came from, by key (`db`, `allowlist`, `rules`, `reports`): `flag`, `environment`, `config`,
    /// `default`.
    public var sources: [String: String]

    /// The defaults a project has when nothing says otherwise.
    public static let defaults: [String: String] = [
        "db": AuditDatabase.defaultPath, "allowlist": "Policies/allowlist.yaml", "rules": "Policies/rules",
        "reports": "Reports",
    ]

    /// Finds the configuration from `workingDirectory` upwards and applies the environment.
    public static func discover(
        from workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ProjectConfiguration {
        var configured: [String: String] = [:]
        var file: URL?
        var folder = workingDirectory.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: candidate.path) {
                file = candidate
                configured = try read(candidate)
                break
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        let root = file?.deletingLastPathComponent() ?? workingDirectory.standardizedFileURL
        var paths: [String: String] = [:]
        var sources: [String: String] = [:]
        let variables = ["db": databaseVariable, "allowlist": allowlistVariable]
        for (key, fallback) in defaults {
            if let variable = variables[key], let value = environment[variable], !value.isEmpty {
                paths[key] = absolute(value, against: workingDirectory)
                sources[key] = "environment"
            } else if let value = configured[key] {
                paths[key] = absolute(value, against: root)
                sources[key] = "config"
            } else {
                paths[key] = absolute(fallback, against: root)
                sources[key] = "default"
            }
        }
        return ProjectConfiguration(
            file: file?.path, root: root, database: paths["db"]!, allowlist: paths["allowlist"]!, rules: paths["rules"]!,
            reports: paths["reports"]!, sources: sources)
    }

    /// `path` made absolute against `folder` (a flag's value is resolved against the working folder by the caller).
    public static func absolute(_ path: String, against folder: URL) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
        return folder.appendingPathComponent(expanded).standardizedFileURL.path
    }

    /// The `[paths]` table (or top-level keys) of a configuration file.
    static func read(_ url: URL) throws -> [String: String] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ProjectConfigurationError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch {
            throw ProjectConfigurationError.unreadable(path: url.path, reason: "\(error)")
        }
        var values: [String: String] = [:]
        let scope = table["paths"]?.table ?? table
        for (key, value) in scope {
            guard defaults[key] != nil else {
                if key != "paths" { throw ProjectConfigurationError.unknownKey(path: url.path, key: key) }
                continue
            }
            guard let text = value.string else { throw ProjectConfigurationError.notAString(path: url.path, key: key) }
            values[key] = text
        }
        return values
    }
}

public enum ProjectConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unknownKey(path: String, key: String)
    case notAString(path: String, key: String)

    public var description: String {
        let known = ProjectConfiguration.defaults.keys.sorted().joined(separator: ", ")
        switch self {
        case .unreadable(let path, let reason): return "cannot read the configuration \(path): \(reason)"
        case .unknownKey(let path, let key): return "\(path): unknown key '\(key)' (known: \(known))"
        case .notAString(let path, let key): return "\(path): '\(key)' must be a path in quotes"
        }
    }
}
