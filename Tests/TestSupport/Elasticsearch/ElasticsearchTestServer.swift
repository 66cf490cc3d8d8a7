import BypassAuditor
import Foundation
import Synchronization

/// A small Elasticsearch on 127.0.0.1, written from Elastic's REST API reference (not from our client): the
/// endpoints the tool uses over an in-memory document set, with their documented answers and error shapes.
///
/// - `POST /{index}/_pit?keep_alive=` → `{"id"}`; `DELETE /_pit` `{"id"}` → `{"succeeded", "num_freed"}`.
/// - `POST /_search` with `pit` (index taken from the point in time; an index in the path with `pit` is a 400) or
///   `POST /{index}/_search`: `query` evaluated by `QueryDSLEvaluator`, `sort` on fields and `_shard_doc`,
///   `search_after`, `size` (default 10), `_source` (bool, list, `includes`/`excludes`), `aggs` with a
///   `date_histogram` (`calendar_interval: 1d`, UTC); hits carry `_index`, `_id`, `_source`, `sort`; `pit_id`.
/// - `POST /_bulk` NDJSON `create` actions: 201 `created`, 409 `version_conflict_engine_exception` for an `_id`
///   already there, `errors: true` when any item failed.
/// - Errors as `{"error": {"root_cause", "type", "reason"}, "status"}`: 401 `security_exception` (with
///   `WWW-Authenticate`), 404 `index_not_found_exception` for a concrete index that does not exist, 404
///   `search_phase_execution_exception` caused by `search_context_missing_exception` for an expired point in time,
///   429 with `Retry-After`.
public final class ElasticsearchTestServer: Sendable {
    public struct Document: Sendable, Hashable {
        public var index: String
        public var id: String
        public var source: JSONTree
    }

    /// A fault the next matching requests get instead of an answer.
    public struct Fault: Sendable {
        /// Which requests: the exact path, e.g. `/_search` (point-in-time pages), `/_bulk`, `/logs-o365*/_pit`.
        public var path: String
        /// Requests with this suffix that pass before the fault applies.
        public var after: Int
        public var status: Int
        public var times: Int
        public var retryAfter: String?
        public init(path: String, after: Int = 0, status: Int, times: Int = 1, retryAfter: String? = nil) {
            self.path = path
            self.after = after
            self.status = status
            self.times = times
            self.retryAfter = retryAfter
        }
    }

    struct PointInTime {
        var indices: [String]
        /// Document keys (index/id) in the order the point in time saw them: `_shard_doc` is the position.
        var snapshot: [String]
    }

    struct State {
        var documents: [String: Document] = [:]
        var order: [String] = []
        var pits: [String: PointInTime] = [:]
        var nextPIT = 0
        var faults: [Fault] = []
        var seen: [String: Int] = [:]
        /// Bulk `_id`s to reject: status and how many more times.
        var bulkRejections: [String: (status: Int, type: String, times: Int)] = [:]
        var pointInTimeSupported = true
        /// Index expressions the credentials may not read (403).
        var forbidden: Set<String> = []
        /// Point-in-time searches answered before every point in time expires (nil: never).
        var expireAfterSearches: Int?
        var pointInTimeSearches = 0
    }

    private let state = Mutex(State())
    /// The `Authorization` header value required, or nil for an open cluster.
    public let requiredAuthorization: String?
    private let serverBox = Mutex<LoopbackHTTPServer?>(nil)
    private var server: LoopbackHTTPServer { serverBox.withLock { $0! } }
    public var baseURL: URL { server.baseURL }
    public var requests: [LoopbackHTTPRequest] { server.requests }

    public init(requiredAuthorization: String? = nil, tls: LoopbackHTTPServer.TLSIdentity? = nil) async throws {
        self.requiredAuthorization = requiredAuthorization
        let server = try await LoopbackHTTPServer(tls: tls) { [self] request in self.handle(request) }
        serverBox.withLock { $0 = server }
    }

    public func stop() async { await server.stop() }

    /// An error answer carried through `Result`.
    struct Answer: Error {
        var response: LoopbackHTTPResponse
    }

    // MARK: Test controls

    /// Indexes `source` under `index` (the document's `event.id`, else a counter, as `_id`).
    public func add(_ source: JSONTree, index: String, id: String? = nil) {
        state.withLock { state in
            let id = id ?? source["event.id"]?.stringValue ?? source["event"]?["id"]?.stringValue ?? "doc-\(state.order.count)"
            let key = index + "/" + id
            if state.documents[key] == nil { state.order.append(key) }
            state.documents[key] = Document(index: index, id: id, source: source)
        }
    }

    /// Adds every line of an NDJSON file.
    public func addNDJSON(_ path: String, index: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in text.split(separator: "\n") where !line.isEmpty {
            add(try JSONTree.parse(Data(line.utf8)), index: index)
        }
    }

    public func documents(in index: String) -> [Document] {
        state.withLock { state in state.order.compactMap { state.documents[$0] }.filter { $0.index == index } }
    }

    public func inject(_ fault: Fault) { state.withLock { $0.faults.append(fault) } }

    /// Every open point in time expires now (as after its keep_alive).
    public func expirePointsInTime() { state.withLock { $0.pits.removeAll() } }

    /// Every point in time expires after `searches` more point-in-time searches have been answered.
    public func expirePointsInTime(afterSearches searches: Int) {
        state.withLock { $0.expireAfterSearches = $0.pointInTimeSearches + searches }
    }

    /// Makes `_pit` answer as a cluster without the API (400 on an unknown endpoint).
    public func disablePointInTime() { state.withLock { $0.pointInTimeSupported = false } }

    /// The next `times` bulk items with `_id` fail with `status` (`type` as the error type).
    public func rejectBulkItem(id: String, status: Int, type: String, times: Int = 1) {
        state.withLock { $0.bulkRejections[id] = (status, type, times) }
    }

    /// Requests naming `index` in their path are refused with 403, as for a key without `read` on it.
    public func forbid(index: String) { state.withLock { _ = $0.forbidden.insert(index) } }

    public var openPointsInTime: Int { state.withLock { $0.pits.count } }

    // MARK: Dispatch

    func handle(_ request: LoopbackHTTPRequest) -> LoopbackHTTPResponse {
        if let required = requiredAuthorization, request.header("Authorization") != required {
            return Self.error(
                401, type: "security_exception", reason: "unable to authenticate user for REST request [\(request.path)]",
                headers: [("WWW-Authenticate", "ApiKey"), ("WWW-Authenticate", "Basic realm=\"security\"")])
        }
        if let fault = takeFault(for: request.path) {
            if fault.status == 429 {
                return Self.error(
                    429, type: "es_rejected_execution_exception", reason: "rejected execution",
                    headers: fault.retryAfter.map { [("Retry-After", $0)] } ?? [])
            }
            return Self.error(fault.status, type: "internal_server_error", reason: "injected fault")
        }
        let segments = request.path.split(separator: "/").map(String.init)
        if let first = segments.first, state.withLock({ $0.forbidden.contains(first) }) {
            return Self.error(
                403, type: "security_exception",
                reason: "action [indices:data/read/search] is unauthorized for API key id [test] on indices [\(first)], "
                    + "this action is granted by the index privileges [read,all]")
        }
        switch (request.method, segments.last) {
        case ("POST", "_pit") where segments.count == 2: return openPIT(index: segments[0], request)
        case ("DELETE", "_pit") where segments.count == 1: return closePIT(request)
        case ("POST", "_search"), ("GET", "_search"):
            return search(pathIndex: segments.count == 2 ? segments[0] : nil, request)
        case ("POST", "_bulk"), ("PUT", "_bulk"): return bulk(request)
        default:
            return Self.error(400, type: "illegal_argument_exception", reason: "no handler found for uri [\(request.uri)] and method [\(request.method)]")
        }
    }

    private func takeFault(for path: String) -> Fault? {
        state.withLock { state in
            guard let index = state.faults.firstIndex(where: { $0.path == path }) else { return nil }
            let suffix = path
            state.seen[suffix, default: 0] += 1
            guard state.seen[suffix]! > state.faults[index].after else { return nil }
            let fault = state.faults[index]
            state.faults[index].times -= 1
            if state.faults[index].times <= 0 { state.faults.remove(at: index) }
            return fault
        }
    }

    /// Resolves a comma-separated index expression; a concrete name that matches nothing is a 404.
    private func resolve(_ expression: String, _ state: State) -> Result<[String], Answer> {
        let names = Set(state.documents.values.map(\.index))
        var matched: [String] = []
        for part in expression.split(separator: ",").map(String.init) {
            let hits = names.filter { QueryDSLEvaluator.glob(part, matches: $0, questionMark: false) }
            if hits.isEmpty, !part.contains("*") {
                return .failure(Answer(response: Self.error(
                    404, type: "index_not_found_exception", reason: "no such index [\(part)]", extra: ["index": .string(part)])))
            }
            matched.append(contentsOf: hits)
        }
        return .success(Array(Set(matched)).sorted())
    }

    private func openPIT(index: String, _ request: LoopbackHTTPRequest) -> LoopbackHTTPResponse {
        state.withLock { state in
            guard state.pointInTimeSupported else {
                return Self.error(400, type: "illegal_argument_exception", reason: "no handler found for uri [\(request.uri)]")
            }
            guard request.query["keep_alive"] != nil else {
                return Self.error(400, type: "action_request_validation_exception", reason: "Validation Failed: 1: [keep_alive] is not specified;")
            }
            switch resolve(index, state) {
            case .failure(let answer): return answer.response
            case .success(let indices):
                state.nextPIT += 1
                let id = Data("pit-\(state.nextPIT)-\(index)".utf8).base64EncodedString()
                let snapshot = state.order.filter { indices.contains(state.documents[$0]!.index) }
                state.pits[id] = PointInTime(indices: indices, snapshot: snapshot)
                return Self.json(["id": .string(id), "_shards": ["total": 1, "successful": 1, "skipped": 0, "failed": 0]])
            }
        }
    }

    private func closePIT(_ request: LoopbackHTTPRequest) -> LoopbackHTTPResponse {
        guard let body = try? JSONTree.parse(request.body), let id = body["id"]?.stringValue else {
            return Self.error(400, type: "action_request_validation_exception", reason: "Validation Failed: 1: no pit ids specified;")
        }
        let freed = state.withLock { $0.pits.removeValue(forKey: id) != nil }
        return Self.json(["succeeded": true, "num_freed": .integer(freed ? 1 : 0)], status: freed ? 200 : 404)
    }

    // MARK: Search

    private func search(pathIndex: String?, _ request: LoopbackHTTPRequest) -> LoopbackHTTPResponse {
        let body = (try? JSONTree.parse(request.body)) ?? [:]
        let documents: [(Document, Int)]
        var pitID: String?
        switch state.withLock({ state -> Result<[(Document, Int)], Answer> in
            if let pit = body["pit"] {
                if pathIndex != nil {
                    return .failure(Answer(response: Self.error(400, type: "action_request_validation_exception",
                        reason: "Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;")))
                }
                if state.expireAfterSearches == state.pointInTimeSearches {
                    state.pits.removeAll()
                    state.expireAfterSearches = nil
                }
                guard let id = pit["id"]?.stringValue, let context = state.pits[id] else {
                    let missing: JSONTree = ["type": "search_context_missing_exception", "reason": "No search context found for id [1]"]
                    return .failure(Answer(response: Self.json([
                        "error": ["root_cause": [missing], "type": "search_phase_execution_exception", "reason": "all shards failed",
                                  "phase": "query", "grouped": true, "failed_shards": [["shard": -1, "index": .null, "reason": missing]],
                                  "caused_by": missing],
                        "status": 404,
                    ], status: 404)))
                }
                pitID = id
                state.pointInTimeSearches += 1
                return .success(context.snapshot.enumerated().compactMap { position, key in
                    state.documents[key].map { ($0, position) }
                })
            }
            switch self.resolve(pathIndex ?? "*", state) {
            case .failure(let answer): return .failure(answer)
            case .success(let indices):
                return .success(state.order.enumerated().compactMap { position, key in
                    guard let document = state.documents[key], indices.contains(document.index) else { return nil }
                    return (document, position)
                })
            }
        }) {
        case .failure(let answer): return answer.response
        case .success(let found): documents = found
        }
        let now = Date()
        var matched: [(Document, Int, [String: FieldValue])] = []
        for (document, position) in documents {
            let fields = Self.flatten(document.source)
            do {
                if let query = body["query"], try !QueryDSLEvaluator(fields: fields, now: now).matches(query) { continue }
            } catch {
                return Self.error(400, type: "parsing_exception", reason: "\(error)")
            }
            matched.append((document, position, fields))
        }
        let sorts = Self.sortKeys(body["sort"])
        matched.sort { lhs, rhs in Self.compare(sorts, (lhs.2, lhs.1), (rhs.2, rhs.1)) == .orderedAscending }
        if let after = body["search_after"]?.arrayValue {
            matched = matched.filter { Self.compare(sorts, ($0.2, $0.1), after) == .orderedDescending }
        }
        let size = Int(body["size"]?.integerValue ?? 10)
        let hits: [JSONTree] = matched.prefix(size).map { document, position, fields in
            var hit: [String: JSONTree] = [
                "_index": .string(document.index), "_id": .string(document.id), "_score": .null,
            ]
            if let source = Self.filterSource(document.source, body["_source"]) { hit["_source"] = source }
            if !sorts.isEmpty { hit["sort"] = .array(sorts.map { Self.sortValue($0, fields, position) }) }
            return .object(hit)
        }
        var response: [String: JSONTree] = [
            "took": 1, "timed_out": false, "_shards": ["total": 1, "successful": 1, "skipped": 0, "failed": 0],
            "hits": ["max_score": .null, "hits": .array(hits)],
        ]
        if let pitID { response["pit_id"] = .string(pitID) }
        if let aggs = body["aggs"] ?? body["aggregations"], case .object(let named) = aggs {
            var results: [String: JSONTree] = [:]
            for (name, spec) in named {
                guard let histogram = spec["date_histogram"], let field = histogram["field"]?.stringValue,
                    histogram["calendar_interval"]?.stringValue == "1d" || histogram["calendar_interval"]?.stringValue == "day"
                else { return Self.error(400, type: "parsing_exception", reason: "unsupported aggregation [\(name)]") }
                var counts: [String: Int] = [:]
                for (_, _, fields) in matched {
                    guard let text = fields[field]?.keyword, let date = UTCTimestamp.parse(text) else { continue }
                    counts[String(UTCTimestamp.format(date).prefix(10)), default: 0] += 1
                }
                let minimum = Int(histogram["min_doc_count"]?.integerValue ?? 0)
                results[name] = ["buckets": .array(counts.keys.sorted().filter { counts[$0]! >= max(minimum, 1) }.map { day in
                    let key = UTCTimestamp.parse(day + "T00:00:00Z").map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0
                    return ["key_as_string": .string(day), "key": .integer(key), "doc_count": .integer(Int64(counts[day]!))]
                })]
            }
            response["aggregations"] = .object(results)
        }
        return Self.json(.object(response))
    }

    enum SortKey { case field(String, ascending: Bool, formatted: Bool), shardDoc(ascending: Bool) }

    static func sortKeys(_ sort: JSONTree?) -> [SortKey] {
        (sort?.arrayValue ?? []).compactMap { item in
            if let name = item.stringValue { return name == "_shard_doc" ? .shardDoc(ascending: true) : .field(name, ascending: true, formatted: false) }
            guard case .object(let members) = item, let (name, spec) = members.first else { return nil }
            let ascending = (spec.stringValue ?? spec["order"]?.stringValue ?? "asc") == "asc"
            if name == "_shard_doc" { return .shardDoc(ascending: ascending) }
            return .field(name, ascending: ascending, formatted: spec["format"] != nil)
        }
    }

    static func sortValue(_ key: SortKey, _ fields: [String: FieldValue], _ position: Int) -> JSONTree {
        switch key {
        case .shardDoc: return .integer(Int64(position))
        case .field(let name, _, let formatted):
            guard let value = fields[name]?.keyword else { return .null }
            if let date = UTCTimestamp.parse(value), name == "@timestamp" {
                return formatted ? .string(UTCTimestamp.format(date)) : .integer(Int64((date.timeIntervalSince1970 * 1000).rounded()))
            }
            return .string(value)
        }
    }

    /// Orders a document against another document or against `search_after` values.
    static func compare(_ keys: [SortKey], _ lhs: ([String: FieldValue], Int), _ rhs: ([String: FieldValue], Int)) -> ComparisonResult {
        compare(keys, lhs, keys.map { sortValue($0, rhs.0, rhs.1) })
    }

    static func compare(_ keys: [SortKey], _ lhs: ([String: FieldValue], Int), _ after: [JSONTree]) -> ComparisonResult {
        for (key, bound) in zip(keys, after) {
            let mine = sortValue(key, lhs.0, lhs.1)
            var order = compareValues(mine, bound)
            switch key {
            case .shardDoc(let ascending), .field(_, let ascending, _): if !ascending { order = invert(order) }
            }
            if order != .orderedSame { return order }
        }
        return .orderedSame
    }

    static func compareValues(_ lhs: JSONTree, _ rhs: JSONTree) -> ComparisonResult {
        func number(_ value: JSONTree) -> Double? {
            switch value {
            case .integer(let n): return Double(n)
            case .double(let n): return n
            case .string(let text): return UTCTimestamp.parse(text).map { $0.timeIntervalSince1970 * 1000 }
            default: return nil
            }
        }
        if case .null = lhs { return .orderedDescending }  // missing values sort last
        if case .null = rhs { return .orderedAscending }
        if let a = number(lhs), let b = number(rhs) { return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame }
        let a = Array((lhs.stringValue ?? "").utf8), b = Array((rhs.stringValue ?? "").utf8)
        return a == b ? .orderedSame : a.lexicographicallyPrecedes(b) ? .orderedAscending : .orderedDescending
    }

    static func invert(_ order: ComparisonResult) -> ComparisonResult {
        order == .orderedAscending ? .orderedDescending : order == .orderedDescending ? .orderedAscending : .orderedSame
    }

    /// `_source`: false, a pattern or a list of patterns, or `{includes, excludes}`; matched on full dotted paths.
    static func filterSource(_ source: JSONTree, _ spec: JSONTree?) -> JSONTree? {
        guard let spec else { return source }
        if case .bool(let flag) = spec { return flag ? source : nil }
        var includes: [String] = []
        var excludes: [String] = []
        switch spec {
        case .string(let pattern): includes = [pattern]
        case .array(let items): includes = items.compactMap(\.stringValue)
        default:
            includes = (spec["includes"]?.arrayValue ?? spec["includes"].map { [$0] } ?? []).compactMap(\.stringValue)
            excludes = (spec["excludes"]?.arrayValue ?? spec["excludes"].map { [$0] } ?? []).compactMap(\.stringValue)
        }
        func keep(_ path: String) -> Bool {
            (includes.isEmpty || includes.contains { QueryDSLEvaluator.glob($0, matches: path, questionMark: false) })
                && !excludes.contains { QueryDSLEvaluator.glob($0, matches: path, questionMark: false) }
        }
        func walk(_ tree: JSONTree, _ prefix: String) -> JSONTree? {
            guard case .object(let members) = tree else { return keep(prefix) ? tree : nil }
            var kept: [String: JSONTree] = [:]
            for (key, value) in members {
                if let child = walk(value, prefix.isEmpty ? key : prefix + "." + key) { kept[key] = child }
            }
            return kept.isEmpty && !prefix.isEmpty ? nil : .object(kept)
        }
        return walk(source, "")
    }

    /// A document as Elasticsearch indexes it: dotted paths (nested objects and dotted keys alike), arrays as
    /// multi-valued fields, nulls not indexed.
    public static func flatten(_ source: JSONTree) -> [String: FieldValue] {
        var fields: [String: FieldValue] = [:]
        func scalar(_ value: JSONTree) -> FieldValue? {
            switch value {
            case .string(let text): return .string(text)
            case .integer(let number): return .integer(number)
            case .double(let number): return .double(number)
            case .bool(let flag): return .bool(flag)
            case .array(let items): return .list(items.compactMap(scalar))
            case .null, .object: return nil
            }
        }
        func walk(_ tree: JSONTree, _ prefix: String) {
            if case .object(let members) = tree {
                for (key, value) in members { walk(value, prefix.isEmpty ? key : prefix + "." + key) }
            } else if let value = scalar(tree) {
                fields[prefix] = value
            }
        }
        walk(source, "")
        return fields
    }

    // MARK: Bulk

    private func bulk(_ request: LoopbackHTTPRequest) -> LoopbackHTTPResponse {
        let lines = String(decoding: request.body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard request.body.last == UInt8(ascii: "\n") else {
            return Self.error(400, type: "illegal_argument_exception", reason: "The bulk request must be terminated by a newline [\\n]")
        }
        var items: [JSONTree] = []
        var errors = false
        var index = 0
        while index < lines.count {
            guard let action = try? JSONTree.parse(Data(lines[index].utf8)), let create = action["create"],
                let target = create["_index"]?.stringValue, index + 1 < lines.count,
                let document = try? JSONTree.parse(Data(lines[index + 1].utf8))
            else {
                return Self.error(400, type: "illegal_argument_exception", reason: "Malformed action/metadata line [\(index + 1)]")
            }
            index += 2
            let id = create["_id"]?.stringValue ?? UUID().uuidString
            let outcome: JSONTree = state.withLock { state in
                if let rejection = state.bulkRejections[id], rejection.times > 0 {
                    state.bulkRejections[id]!.times -= 1
                    return ["_index": .string(target), "_id": .string(id), "status": .integer(Int64(rejection.status)),
                            "error": ["type": .string(rejection.type), "reason": "rejected by the test"]]
                }
                let key = target + "/" + id
                if state.documents[key] != nil {
                    return ["_index": .string(target), "_id": .string(id), "status": 409,
                            "error": ["type": "version_conflict_engine_exception",
                                      "reason": .string("[\(id)]: version conflict, document already exists (current version [1])"),
                                      "index": .string(target)]]
                }
                state.documents[key] = Document(index: target, id: id, source: document)
                state.order.append(key)
                return ["_index": .string(target), "_id": .string(id), "_version": 1, "result": "created", "status": 201,
                        "_seq_no": .integer(Int64(state.order.count)), "_primary_term": 1]
            }
            if outcome["error"] != nil { errors = true }
            items.append(["create": outcome])
        }
        return Self.json(["took": 3, "errors": .bool(errors), "items": .array(items)])
    }

    // MARK: Answers

    static func json(_ tree: JSONTree, status: Int = 200, headers: [(name: String, value: String)] = []) -> LoopbackHTTPResponse {
        LoopbackHTTPResponse(status: status, headers: headers + [("Content-Type", "application/json")], body: Data(tree.jsonText().utf8))
    }

    static func error(
        _ status: Int, type: String, reason: String, extra: [String: JSONTree] = [:], headers: [(name: String, value: String)] = []
    ) -> LoopbackHTTPResponse {
        var cause: [String: JSONTree] = ["type": .string(type), "reason": .string(reason)]
        cause.merge(extra) { $1 }
        var error = cause
        error["root_cause"] = [.object(cause)]
        return json(["error": .object(error), "status": .integer(Int64(status))], status: status, headers: headers)
    }
}
