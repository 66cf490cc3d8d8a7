/// One value of an ECS document field, as JSON carries it.
///
/// Elastic drops JSON nulls during ingest, so there is no null case: a field is either present with a value or absent.
public enum FieldValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case list([FieldValue])

    /// The value as the keyword text Elastic would index for it (`true`, `42`, the string itself).
    /// Lists have no single keyword; use `keywords`.
    public var keyword: String? {
        switch self {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .double(let number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list: return nil
        }
    }

    /// Every keyword this value indexes as: one for a scalar, one per element for a list (KQL matches any element).
    public var keywords: [String] {
        switch self {
        case .list(let items): return items.flatMap(\.keywords)
        default: return keyword.map { [$0] } ?? []
        }
    }

    /// The value as a number when it is one, or a string that reads as one (Elastic coerces numeric strings).
    public var number: Double? {
        switch self {
        case .integer(let number): return Double(number)
        case .double(let number): return number
        case .string(let text): return Double(text)
        case .bool, .list: return nil
        }
    }
}

/// The JSON form: what `AuditEvent.canonicalJSON()` stores and `AuditEvent(canonicalJSON:)` reads back.
extension FieldValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Strings first: most fields are text, and every failed attempt builds and throws a `DecodingError` (three
        // per text field had been a third of `detect`, which reads a month of stored documents back). JSON's types
        // do not overlap, so the order decides nothing: `JSONDecoder` reads a number or a boolean as no `String`, and
        // a string as no number or boolean.
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else {
            self = .list(try container.decode([FieldValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .list(let items): try container.encode(items)
        }
    }
}
