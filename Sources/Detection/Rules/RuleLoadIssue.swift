/// Why a rule file was not loaded: the file, the key at fault (dotted, `rule.risk_score`), the position when known,
/// and the reason. One bad file never stops the others from loading.
public struct RuleLoadError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var key: String?
    /// 1-based position in the file, when the TOML parser or the query parser gave one.
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(file: String, key: String? = nil, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.key = key
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let key { return "\(location): \(key): \(reason)" }
        return "\(location): \(reason)"
    }
}

/// Something worth knowing about a loaded rule set that did not stop a file from loading (a rule shadowed by a
/// newer file with the same `rule_id`).
public struct RuleLoadWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
