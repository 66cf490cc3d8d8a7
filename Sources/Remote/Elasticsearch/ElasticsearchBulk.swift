import Core

/// The `_bulk` API as alert delivery uses it: `create` operations with the alert's stable id as `_id`, so a resend
/// never duplicates, and the per-item outcome of the response.
public enum ElasticsearchBulk {
    /// One document to create.
    public struct Item: Sendable, Hashable {
        public var id: String
        /// The document as one line of JSON.
        public var document: String

        public init(id: String, document: String) {
            self.id = id
            self.document = document
        }
    }

    /// What the cluster said about one item.
    public enum Outcome: Sendable, Hashable {
        /// Stored now (201), or already stored under the same `_id` by an earlier send (409 version conflict).
        case acknowledged
        /// Not stored; `retryable` for 429 and 5xx statuses.
        case failed(status: Int, reason: String, retryable: Bool)
    }

    /// The NDJSON request body (`Content-Type: application/x-ndjson`), ending with a newline as the API requires.
    public static func body(index: String, items: [Item]) -> String {
        var body = ""
        for item in items {
            let action: JSONTree = ["create": ["_index": .string(index), "_id": .string(item.id)]]
            body += action.jsonText() + "\n" + item.document + "\n"
        }
        return body
    }

    /// Each item's outcome, by `_id`, from a bulk response (`errors`, `items[].create`).
    public static func outcomes(from response: JSONTree) throws -> [String: Outcome] {
        guard let items = response["items"]?.arrayValue else {
            throw ElasticsearchError.unexpectedResponse("the bulk response has no items")
        }
        var outcomes: [String: Outcome] = [:]
        for item in items {
            guard let result = item["create"], let id = result["_id"]?.stringValue,
                let status = result["status"]?.integerValue.map(Int.init)
            else { throw ElasticsearchError.unexpectedResponse("a bulk item without create._id and status") }
            if (200..<300).contains(status) || status == 409 {
                outcomes[id] = .acknowledged
            } else {
                let type = result["error"]?["type"]?.stringValue ?? "error"
                let reason = result["error"]?["reason"]?.stringValue ?? "no reason given"
                outcomes[id] = .failed(status: status, reason: "\(type): \(reason)", retryable: status == 429 || status >= 500)
            }
        }
        return outcomes
    }
}
