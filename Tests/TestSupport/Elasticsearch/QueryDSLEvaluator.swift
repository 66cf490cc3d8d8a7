import Foundation

import BypassAuditor

/// Evaluates Elasticsearch query DSL over one flattened document the way Elasticsearch does over `keyword`, numeric,
/// boolean and date fields, written from the Query DSL reference (bool, match, match_phrase, term, terms, wildcard,
/// exists, range, multi_match, query_string with one term), independently of the translator under test.
///
/// Keyword values are exact and case-sensitive; a multi-valued field matches when any value does; `match` on a
/// numeric field compares numbers; `bool` without `must`/`filter` needs one `should` unless `minimum_should_match`
/// says otherwise. An unsupported clause throws, so a translation nobody evaluates fails its test.
public struct QueryDSLEvaluator: Sendable {
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    public let fields: [String: FieldValue]
    public let now: Date

    public init(fields: [String: FieldValue], now: Date) {
        self.fields = fields
        self.now = now
    }

    public func matches(_ query: JSONTree) throws -> Bool {
        guard case .object(let clause) = query, clause.count == 1, let (kind, body) = clause.first else {
            throw Unsupported(description: "a query is an object with one clause: \(query.jsonText())")
        }
        switch kind {
        case "bool": return try bool(body)
        case "match", "match_phrase": return try fieldClause(body, valueKey: "query") { try matchValue($0, $1) }
        case "term": return try fieldClause(body, valueKey: "value") { try matchValue($0, $1) }
        case "terms":
            guard case .object(let members) = body, members.count == 1, let (field, list) = members.first,
                let items = list.arrayValue
            else { throw Unsupported(description: "terms: \(body.jsonText())") }
            return try items.contains { item in try values(of: field).contains { try matchValue($0, item) } }
        case "wildcard":
            return try fieldClause(body, valueKey: "value") { element, pattern in
                guard let text = pattern.stringValue, let keyword = element.keyword else { return false }
                return Self.glob(text, matches: keyword, questionMark: true)
            }
        case "exists":
            guard let field = body["field"]?.stringValue else { throw Unsupported(description: "exists: no field") }
            return fieldNames(matching: field).contains { !(fields[$0].map(Self.scalars) ?? []).isEmpty }
        case "range": return try range(body)
        case "multi_match":
            guard let query = body["query"] else { throw Unsupported(description: "multi_match: no query") }
            return try namesFrom(body["fields"]).contains { name in
                try values(of: name).contains { try matchValue($0, query) }
            }
        case "query_string":
            guard let query = body["query"]?.stringValue else { throw Unsupported(description: "query_string: no query") }
            let pattern = try Self.queryStringTerm(query)
            return try namesFrom(body["fields"]).contains { name in
                try values(of: name).contains { element in
                    element.keyword.map { Self.glob(pattern, matches: $0, questionMark: true) } ?? false
                }
            }
        default:
            throw Unsupported(description: "clause \(kind)")
        }
    }

    private func bool(_ body: JSONTree) throws -> Bool {
        guard case .object(let members) = body else { throw Unsupported(description: "bool body") }
        for key in members.keys where !["must", "filter", "should", "must_not", "minimum_should_match"].contains(key) {
            throw Unsupported(description: "bool.\(key)")
        }
        func clauses(_ key: String) -> [JSONTree] {
            guard let value = members[key] else { return [] }
            return value.arrayValue ?? [value]
        }
        let required = clauses("must") + clauses("filter")
        for clause in required where try !matches(clause) { return false }
        for clause in clauses("must_not") where try matches(clause) { return false }
        let should = clauses("should")
        let minimum = members["minimum_should_match"]?.integerValue.map(Int.init) ?? (required.isEmpty && !should.isEmpty ? 1 : 0)
        var matched = 0
        for clause in should where try matches(clause) { matched += 1 }
        return matched >= minimum
    }

    /// `{"field": value}` or `{"field": {valueKey: value, …}}`: true when any value of the field satisfies `test`.
    private func fieldClause(_ body: JSONTree, valueKey: String, _ test: (FieldValue, JSONTree) throws -> Bool) throws -> Bool {
        guard case .object(let members) = body, members.count == 1, let (field, spec) = members.first else {
            throw Unsupported(description: "field clause: \(body.jsonText())")
        }
        let wanted: JSONTree
        if case .object = spec {
            guard let value = spec[valueKey] else { throw Unsupported(description: "no \(valueKey) in \(spec.jsonText())") }
            if spec["case_insensitive"]?.boolValue == true { throw Unsupported(description: "case_insensitive") }
            wanted = value
        } else {
            wanted = spec
        }
        return try values(of: field).contains { try test($0, wanted) }
    }

    /// A keyword equals the query text; a number equals the query as a number; a boolean equals true/false.
    private func matchValue(_ element: FieldValue, _ query: JSONTree) throws -> Bool {
        let text: String
        switch query {
        case .string(let string): text = string
        case .integer(let number): text = String(number)
        case .double(let number): text = String(number)
        case .bool(let flag): text = flag ? "true" : "false"
        default: throw Unsupported(description: "query value \(query.jsonText())")
        }
        switch element {
        case .integer, .double:
            guard let wanted = Double(text) else { return false }  // lenient: a non-number never matches
            return element.number == wanted
        default:
            return element.keyword == text
        }
    }

    private func range(_ body: JSONTree) throws -> Bool {
        guard case .object(let members) = body, members.count == 1, let (field, spec) = members.first,
            case .object(let bounds) = spec
        else { throw Unsupported(description: "range: \(body.jsonText())") }
        return try values(of: field).contains { element in
            // `format` says how the bound is written; ISO 8601 bounds parse either way.
            for (key, bound) in bounds where key != "format" {
                guard var text = bound.stringValue ?? bound.integerValue.map(String.init) else {
                    throw Unsupported(description: "range bound \(bound.jsonText())")
                }
                // "Missing date components": for gt and lte Elasticsearch rounds a date without a time up to the
                // day's last millisecond (date math rounding), so `lte: "2026-11-21"` includes that whole day.
                if key == "gt" || key == "lte", text.count == 10, UTCDay(text) != nil { text += "T23:59:59.999Z" }
                let order = try compare(element, text)
                let accepted: Bool
                switch key {
                case "gt": accepted = order == .orderedDescending
                case "gte": accepted = order != .orderedAscending
                case "lt": accepted = order == .orderedAscending
                case "lte": accepted = order != .orderedDescending
                default: throw Unsupported(description: "range.\(key)")
                }
                if !accepted { return false }
            }
            return true
        }
    }

    /// Numbers as numbers, dates (ISO 8601 or `now`, `now-1d`, `now+2h`) as instants, keywords by their bytes.
    private func compare(_ element: FieldValue, _ bound: String) throws -> ComparisonResult {
        if let number = Double(bound), let value = element.number { return Self.order(value, number) }
        if let instant = Self.instant(bound, now: now), let keyword = element.keyword,
            let value = UTCTimestamp.parse(keyword)
        {
            return Self.order(value, instant)
        }
        guard let keyword = element.keyword else { return .orderedSame }
        let lhs = Array(keyword.utf8)
        let rhs = Array(bound.utf8)
        return lhs == rhs ? .orderedSame : lhs.lexicographicallyPrecedes(rhs) ? .orderedAscending : .orderedDescending
    }

    private static func instant(_ text: String, now: Date) -> Date? {
        if let date = UTCTimestamp.parse(text) { return date }
        guard text.hasPrefix("now") else { return nil }
        let rest = text.dropFirst(3)
        if rest.isEmpty { return now }
        guard let sign = rest.first, sign == "-" || sign == "+", let unit = rest.last,
            let amount = Double(rest.dropFirst().dropLast())
        else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86400
        default: return nil
        }
        return now.addingTimeInterval((sign == "-" ? -1 : 1) * amount * seconds)
    }

    private static func order<T: Comparable>(_ lhs: T, _ rhs: T) -> ComparisonResult {
        lhs < rhs ? .orderedAscending : lhs > rhs ? .orderedDescending : .orderedSame
    }

    private func values(of field: String) throws -> [FieldValue] {
        fields[field].map(Self.scalars) ?? []
    }

    private func namesFrom(_ list: JSONTree?) throws -> [String] {
        let patterns = try (list?.arrayValue ?? ["*"]).map { item -> String in
            guard let text = item.stringValue else { throw Unsupported(description: "fields entry") }
            return text
        }
        return fields.keys.filter { name in patterns.contains { Self.glob($0, matches: name, questionMark: false) } }
    }

    private func fieldNames(matching pattern: String) -> [String] {
        fields.keys.filter { Self.glob(pattern, matches: $0, questionMark: false) }
    }

    static func scalars(_ value: FieldValue) -> [FieldValue] {
        if case .list(let items) = value { return items.flatMap(scalars) }
        return [value]
    }

    /// One query_string term: `\x` is a literal x, `*` and `?` stay wildcards (returned in `glob` syntax).
    static func queryStringTerm(_ query: String) throws -> String {
        var pattern = ""
        var escaped = false
        for character in query {
            if escaped {
                if character == "*" || character == "?" || character == "\\" { pattern.append("\\") }
                pattern.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character.isWhitespace || "+-=&|!(){}[]^\"~:/<>".contains(character) {
                throw Unsupported(description: "query_string beyond one term: \(query)")
            } else {
                pattern.append(character)
            }
        }
        return pattern
    }

    /// Lucene wildcard matching: `*` any run, `?` one character (when enabled), `\` escapes the next character.
    static func glob(_ pattern: String, matches text: String, questionMark: Bool) -> Bool {
        enum Token: Equatable { case literal(Character), any, one }
        var tokens: [Token] = []
        var escaped = false
        for character in pattern {
            if escaped {
                tokens.append(.literal(character))
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "*" {
                tokens.append(.any)
            } else if character == "?" && questionMark {
                tokens.append(.one)
            } else {
                tokens.append(.literal(character))
            }
        }
        let characters = Array(text)
        // Classic dynamic programming over (token, character) positions.
        var reachable = Array(repeating: false, count: characters.count + 1)
        reachable[0] = true
        for token in tokens {
            var next = Array(repeating: false, count: characters.count + 1)
            for index in 0...characters.count where reachable[index] {
                switch token {
                case .any:
                    for later in index...characters.count { next[later] = true }
                case .one:
                    if index < characters.count { next[index + 1] = true }
                case .literal(let character):
                    if index < characters.count, characters[index] == character { next[index + 1] = true }
                }
            }
            reachable = next
        }
        return reachable[characters.count]
    }
}
