/// A parsed JSON value, as the readers see it before normalisation.
///
/// Objects keep their members in document order; a key given twice resolves to its last value (as Elasticsearch
/// and most JSON readers do).
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    package var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as a field value when it is a scalar (nil for null, arrays and objects).
    package var scalarFieldValue: FieldValue? {
        switch self {
        case .bool(let flag): return .bool(flag)
        case .integer(let number): return .integer(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .null, .array, .object: return nil
        }
    }

    /// The text Elastic's `convert … type: string` would give a scalar (numbers and booleans as written).
    package var scalarText: String? { scalarFieldValue?.keyword }
}

/// A JSON object's members in document order.
package struct JSONObject: Sendable, Equatable {
    package struct Member: Sendable, Equatable {
        package var key: String
        package var value: JSONValue

        package init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    package var members: [Member]

    package init(members: [Member] = []) {
        self.members = members
    }

    /// The last value given for `key` (exact, case-sensitive match).
    package subscript(key: String) -> JSONValue? {
        for member in members.reversed() where member.key == key {
            return member.value
        }
        return nil
    }

    /// Like the subscript, but treats JSON null as absent.
    package func value(_ key: String) -> JSONValue? {
        guard let value = self[key], value != .null else { return nil }
        return value
    }
}
