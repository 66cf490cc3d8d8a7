import Foundation

/// The detection rules built into the binary: a copy of `Policies/rules/*.toml` taken at build time
/// (`BundledRuleFiles.swift`, written by `scripts/embed-rules.py`), so the tool finds the same rules from any
/// working directory and wherever it is installed.
public enum BundledRules {
    /// The bundled rules, loaded as a folder holding the same files would load (same names, same digest).
    public static func ruleSet() -> RuleSet {
        RuleSet.load(contents: files.map { (name: $0.name, data: Data($0.text.utf8)) })
    }
}

/// Which rules a command runs with: the bundled set, or a folder (or file) the operator named with `--rules`.
public enum RuleSource: Sendable, Hashable, CustomStringConvertible {
    case bundled
    case path(String)

    /// `--rules PATH` when given, else the bundled rules.
    public init(option: String?) {
        self = option.map(RuleSource.path) ?? .bundled
    }

    /// Loads the rules. A `--rules` path that does not exist or cannot be listed throws: a wrong path never quietly
    /// narrows what is detected.
    public func load() throws -> RuleSet {
        switch self {
        case .bundled: return BundledRules.ruleSet()
        case .path(let path): return try RuleSet.load(from: path)
        }
    }

    public var description: String {
        switch self {
        case .bundled: "the bundled rules"
        case .path(let path): path
        }
    }
}
