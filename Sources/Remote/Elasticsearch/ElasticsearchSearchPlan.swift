import Core
import Detection
import Foundation

/// The searches one cluster ingest sends: the union of the loaded rules' queries plus every bypass record, inside a
/// time window, sorted for `search_after` paging; and the per-day count aggregation that gives coverage.
public struct ElasticsearchSearchPlan: Sendable {
    /// The window of `@timestamp` read (both ends inclusive).
    public var start: Date
    public var end: Date
    /// The query: `bool.filter` on the window, `bool.should` over the rules and the bypass cmdlet.
    public let query: JSONTree
    /// The `_source` fields asked for.
    public let sourceFields: [String]

    /// The ECS field groups the normaliser, the inventory and the reports read. Rules can name any field: theirs
    /// are added (`init`).
    public static let baseSourceFields = [
        "@timestamp", "event.*", "o365.*", "user.*", "client.*", "source.*", "organization.*", "data_stream.*",
        "cloud.*", "related.*", "rule.*", "host.*", "url.*", "tags", "message",
    ]

    public init(rules: [DetectionRule], start: Date, end: Date) {
        self.start = start
        self.end = end
        let bypass: JSONTree = ["term": [ECSField.action: ["value": .string(ECSField.bypassCmdlet)]]]
        query = [
            "bool": [
                "filter": [Self.window(start: start, end: end)],
                "should": .array(rules.map(\.query.queryDSL) + [bypass]),
                "minimum_should_match": 1,
            ]
        ]
        var fields = Self.baseSourceFields
        for rule in rules {
            for name in rule.query.expression.fieldNames where !Self.covered(name, by: fields) { fields.append(name) }
        }
        sourceFields = fields
    }

    /// One page. With a point in time the index goes in the PIT (not the path) and `_shard_doc` breaks ties;
    /// without one, `event.id` does.
    public func pageBody(pointInTime: String?, keepAlive: String, searchAfter: [JSONTree]?, size: Int) -> JSONTree {
        var body: [String: JSONTree] = [
            "size": .integer(Int64(size)),
            "query": query,
            "_source": ["includes": .array(sourceFields.map(JSONTree.string))],
            "track_total_hits": false,
        ]
        if let pointInTime {
            body["pit"] = ["id": .string(pointInTime), "keep_alive": .string(keepAlive)]
            body["sort"] = [["@timestamp": ["order": "asc", "format": "strict_date_optional_time_nanos"]], ["_shard_doc": "asc"]]
        } else {
            body["sort"] = [["@timestamp": ["order": "asc", "format": "strict_date_optional_time_nanos"]], ["event.id": "asc"]]
        }
        if let searchAfter { body["search_after"] = .array(searchAfter) }
        return .object(body)
    }

    /// Per-day document counts of every record in the whole UTC days the window touches (not only matching ones):
    /// coverage tells "no bypass" from "no data".
    public var coverageBody: JSONTree {
        let firstDay = UTCDay(containing: start)
        let lastDay = UTCDay(containing: end)
        return [
            "size": 0,
            "track_total_hits": false,
            "query": ["bool": ["filter": [["range": ["@timestamp": [
                "gte": .string(firstDay.description), "lte": .string(lastDay.description), "format": "strict_date",
            ]]]]]],
            "aggs": ["per_day": ["date_histogram": [
                "field": "@timestamp", "calendar_interval": "1d", "time_zone": "UTC", "format": "yyyy-MM-dd",
                "min_doc_count": 1,
            ]]],
        ]
    }

    /// Reads the coverage aggregation's buckets.
    public static func coverage(from response: JSONTree) throws -> [UTCDay: Int] {
        guard let buckets = response["aggregations"]?["per_day"]?["buckets"]?.arrayValue else {
            throw ElasticsearchError.unexpectedResponse("the search response has no aggregations.per_day.buckets")
        }
        var counts: [UTCDay: Int] = [:]
        for bucket in buckets {
            guard let key = bucket["key_as_string"]?.stringValue, let day = UTCDay(key),
                let count = bucket["doc_count"]?.integerValue
            else { throw ElasticsearchError.unexpectedResponse("a per_day bucket without key_as_string or doc_count") }
            counts[day, default: 0] += Int(count)
        }
        return counts
    }

    private static func window(start: Date, end: Date) -> JSONTree {
        ["range": ["@timestamp": [
            "gte": .string(UTCTimestamp.format(start)), "lte": .string(UTCTimestamp.format(end)),
            "format": "strict_date_optional_time",
        ]]]
    }

    private static func covered(_ field: String, by patterns: [String]) -> Bool {
        patterns.contains { pattern in
            pattern == field || (pattern.hasSuffix(".*") && field.hasPrefix(String(pattern.dropLast())))
        }
    }
}

extension KQLExpression {
    /// The field names (or field patterns, with `*`) the expression reads.
    public var fieldNames: [String] {
        switch self {
        case .or(let operands), .and(let operands): return operands.flatMap(\.fieldNames)
        case .not(let operand): return operand.fieldNames
        case .match(let field, _), .range(let field, _, _): return [Self.pattern(field)]
        case .anyField: return ["*"]
        }
    }

    private static func pattern(_ field: KQLValue) -> String {
        field.parts.map { part in
            if case .text(let text) = part { return text }
            return "*"
        }.joined()
    }
}
