/// A TOML value from a rule file, kept as read: what the tool does not use is carried, not rejected, so a rule file
/// from Elastic's repository round-trips its own keys.
public indirect enum RuleAttribute: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    /// TOML dates and times, in their TOML spelling.
    case dateTime(String)
    case array([RuleAttribute])
    case table([String: RuleAttribute])

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var table: [String: RuleAttribute]? {
        if case .table(let entries) = self { return entries }
        return nil
    }

    public var array: [RuleAttribute]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The TOML type name, for messages ("expected a string, found an integer").
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .double: "a floating-point number"
        case .bool: "a boolean"
        case .dateTime: "a date"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

extension RuleAttribute: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([RuleAttribute].self) {
            self = .array(items)
        } else {
            self = .table(try container.decode([String: RuleAttribute].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text), .dateTime(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let items): try container.encode(items)
        case .table(let entries): try container.encode(entries)
        }
    }
}
