import Foundation
import Yams

/// Where the parts of the register sit in its text: what the editor needs to splice one entry without touching
/// anything else. Built by the loader alongside the model.
struct AllowlistSyntax {
    /// One `key: value` pair of a mapping.
    struct Field {
        var key: Node
        var value: Node
    }

    /// One item of the `entries` sequence.
    struct Entry {
        /// The item (a mapping when well formed).
        var node: Node
        /// The entry's id as written (trimmed), when it has one.
        var id: String?
        /// The entry's fields by key.
        var fields: [String: Field]
    }

    /// The `entries` key and its value, when present.
    var entriesField: Field?
    /// Every item of `entries`, in file order.
    var entries: [Entry]

    /// The entry whose id is `id` (ids compare case-insensitively, like the duplicate check).
    func entry(withID id: String) -> Entry? {
        let key = AllowlistIDs.key(id)
        return entries.first { $0.id.map(AllowlistIDs.key) == key }
    }
}

/// How entry ids compare: trimmed and case-insensitively, so `ab-0001` cannot sit beside `AB-0001`.
enum AllowlistIDs {
    static func key(_ id: String) -> String { id.whitespaceTrimmed.lowercased() }

    /// Up to `limit` of `ids` nearest to `id` by edit distance (ties in register order), for "no entry with id".
    static func closest(to id: String, among ids: [String], limit: Int = 3) -> [String] {
        let wanted = Array(key(id).unicodeScalars)
        return ids.enumerated()
            .map { (id: $0.element, index: $0.offset, distance: Suggestion.editDistance(wanted, Array(key($0.element).unicodeScalars))) }
            .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
            .prefix(limit).map(\.id)
    }
}

extension Node {
    /// The node's position as a `SourcePosition`.
    var sourcePosition: SourcePosition? { mark.map { SourcePosition(line: $0.line, column: $0.column) } }

    /// Whether the node is a null scalar (`~`, `null`, or nothing at all).
    var isNullScalar: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain, scalar.tag.rawValue == Tag.Name.implicit.rawValue else { return false }
        // YAML's null rule, spelled out: Yams' regex resolver is far slower on registers with thousands of entries.
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
