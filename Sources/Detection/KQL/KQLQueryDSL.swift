import Core

/// Translates a KQL expression into Elasticsearch query DSL (the object that goes under `"query"`) with the meaning
/// `KQLEvaluator` gives it, which is how Kibana runs KQL against ECS `keyword` fields.
///
/// - `and` → `bool.filter`, `or` → `bool.should` with `minimum_should_match: 1`, `not` → `bool.must_not`.
/// - `field:value` → `match` (`match_phrase` when the value holds whitespace, as a quoted phrase would); on keyword
///   fields both are exact and case-sensitive, and on numeric fields `match` compares numbers, as the engine does.
/// - `field:*` → `exists`; wildcards → `wildcard` with Lucene's other wildcard (`?`) and `\` escaped, because in KQL
///   they are literal text.
/// - A value list holding `not` gets an `exists` filter: the engine evaluates a value list over the field's values,
///   so `field:(not a)` needs the field to be there (a top-level `not field:a` does not).
/// - A wildcard field name (`o365.audit.Parameters.*:x`) or a bare value (no field) has no single field to name:
///   those go through `multi_match` (literal values) or `query_string` (wildcard values), whose field lists accept
///   patterns. `query_string` cannot escape `<` and `>`; in wildcard values there they become `?`, which matches
///   slightly more, never less.
public enum KQLQueryDSL {
    public static func translate(_ expression: KQLExpression) -> JSONTree {
        switch expression {
        case .or(let operands):
            return should(operands.map(translate))
        case .and(let operands):
            return ["bool": ["filter": .array(operands.map(translate))]]
        case .not(let operand):
            return mustNot(translate(operand))
        case .match(let field, let values):
            let inner = translate(values, field: field)
            guard values.containsNot else { return inner }
            return ["bool": ["filter": [exists(field), inner]]]
        case .range(let field, let comparison, let bound):
            return range(field, comparison, bound)
        case .anyField(let value):
            return anyFieldValue(value, fields: nil)
        }
    }

    private static func translate(_ values: KQLValueExpression, field: KQLValue) -> JSONTree {
        switch values {
        case .value(let value):
            return match(field, value)
        case .or(let operands):
            return should(operands.map { translate($0, field: field) })
        case .and(let operands):
            return ["bool": ["filter": .array(operands.map { translate($0, field: field) })]]
        case .not(let operand):
            return mustNot(translate(operand, field: field))
        }
    }

    private static func match(_ field: KQLValue, _ value: KQLValue) -> JSONTree {
        if value.isWildcardOnly { return exists(field) }
        guard let name = field.literal else { return anyFieldValue(value, fields: fieldPattern(field)) }
        if let text = value.literal {
            let kind = text.contains(where: \.isWhitespace) ? "match_phrase" : "match"
            return [kind: [name: ["query": .string(text)]]]
        }
        return ["wildcard": [name: ["value": .string(wildcardPattern(value)), "case_insensitive": false]]]
    }

    /// A value over every field (`fields` nil) or over the fields a pattern names.
    private static func anyFieldValue(_ value: KQLValue, fields: String?) -> JSONTree {
        let fieldList: JSONTree = .array([.string(fields ?? "*")])
        if let text = value.literal {
            return ["multi_match": ["query": .string(text), "type": "phrase", "lenient": true, "fields": fieldList]]
        }
        return ["query_string": ["query": .string(queryStringPattern(value)), "fields": fieldList, "lenient": true]]
    }

    private static func exists(_ field: KQLValue) -> JSONTree {
        ["exists": ["field": .string(field.literal ?? fieldPattern(field))]]
    }

    private static func range(_ field: KQLValue, _ comparison: KQLComparison, _ bound: String) -> JSONTree {
        let key: String
        switch comparison {
        case .lessThan: key = "lt"
        case .lessThanOrEqual: key = "lte"
        case .greaterThan: key = "gt"
        case .greaterThanOrEqual: key = "gte"
        }
        if let name = field.literal { return ["range": [name: [key: .string(bound)]]] }
        // A range over a field pattern: query_string's `field:>value` syntax, the only range form that takes one.
        let escapedField = queryStringPattern(field)
        let operatorText = comparison.rawValue
        return ["query_string": ["query": .string("\(escapedField):\(operatorText)\"\(bound.replacingQuoted())\"")]]
    }

    private static func should(_ clauses: [JSONTree]) -> JSONTree {
        ["bool": ["should": .array(clauses), "minimum_should_match": 1]]
    }

    private static func mustNot(_ clause: JSONTree) -> JSONTree {
        ["bool": ["must_not": [clause]]]
    }

    /// A field name pattern with `*` where the KQL field name has wildcards.
    private static func fieldPattern(_ field: KQLValue) -> String {
        field.parts.map { part in
            switch part {
            case .text(let text): text
            case .wildcard: "*"
            }
        }.joined()
    }

    /// The value for a `wildcard` query: `*` stays a wildcard; `?`, `*` and `\` in the text are escaped.
    static func wildcardPattern(_ value: KQLValue) -> String {
        value.parts.map { part in
            switch part {
            case .wildcard: return "*"
            case .text(let text):
                var escaped = ""
                for character in text {
                    if character == "\\" || character == "*" || character == "?" { escaped.append("\\") }
                    escaped.append(character)
                }
                return escaped
            }
        }.joined()
    }

    /// The value for a `query_string` query: `*` stays a wildcard; every Lucene special character and whitespace in
    /// the text is escaped so the value stays one term. `<` and `>` cannot be escaped there: they become `?`.
    static func queryStringPattern(_ value: KQLValue) -> String {
        value.parts.map { part in
            switch part {
            case .wildcard: return "*"
            case .text(let text): return queryStringEscaped(text)
            }
        }.joined()
    }

    private static let queryStringSpecials: Set<Character> = [
        "+", "-", "=", "&", "|", "!", "(", ")", "{", "}", "[", "]", "^", "\"", "~", "*", "?", ":", "\\", "/",
    ]

    private static func queryStringEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "<" || character == ">" {
                escaped.append("?")
                continue
            }
            if queryStringSpecials.contains(character) || character.isWhitespace { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension KQLValueExpression {
    /// Whether a `not` appears anywhere in the list.
    var containsNot: Bool {
        switch self {
        case .value: false
        case .not: true
        case .or(let operands), .and(let operands): operands.contains(where: \.containsNot)
        }
    }
}

extension String {
    /// The text for inside a double-quoted query_string term.
    fileprivate func replacingQuoted() -> String {
        var escaped = ""
        for character in self {
            if character == "\"" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension KQLQuery {
    /// The query as Elasticsearch query DSL (see `KQLQueryDSL`).
    public var queryDSL: JSONTree { KQLQueryDSL.translate(expression) }
}
