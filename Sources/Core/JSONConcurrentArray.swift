import Foundation

/// An element type whose long arrays `JSONByteEncoder` encodes on two threads: the findings and accounts of a drift
/// result or a report, thousands of objects that are most of the time its encoding takes (a fifth of a drift run at
/// scale). The text is the same as the one thread's, element for element and in order.
///
/// Adopt it only on value types whose `encode(to:)` reads nothing but the value itself.
public protocol JSONConcurrentlyEncodable: Encodable, Sendable {}

/// How `JSONByteEncoder` shares the encoding of a long array.
enum JSONConcurrentEncoding {
    /// Fewer elements than this are encoded on the calling thread alone: handing work over costs more than it saves.
    static let minimumElements = 256
    /// The deepest level at which an array is looked at: documents keep their long lists at the root's members or
    /// theirs.
    static let deepestLevel = 2
}

/// What `JSONSlot` sees of an array of `JSONConcurrentlyEncodable` elements, whatever their type.
protocol JSONConcurrentArray {
    /// Each element's slot in `context` (the elements' level), the second half encoded on another thread; nil for an
    /// array too short to share.
    func elementSlots(context: JSONEncodingContext) throws -> [JSONSlot]?
}

extension Array: JSONConcurrentArray where Element: JSONConcurrentlyEncodable {
    func elementSlots(context: JSONEncodingContext) throws -> [JSONSlot]? {
        guard count >= JSONConcurrentEncoding.minimumElements else { return nil }
        let middle = count / 2
        let secondHalf = Array(self[middle...])
        let secondContext = context.withOwnKeyNames
        let (first, second) = try Concurrently.both(
            { try self[..<middle].map { try JSONSlot(encoding: $0, context: context) } },
            { try secondHalf.map { try JSONSlot(encoding: $0, context: secondContext).text(in: secondContext) } })
        return first + second.map(JSONSlot.rendered)
    }
}

extension JSONSlot {
    /// The text this slot is written as at `context`'s level (a slot itself cannot cross threads; its text can).
    fileprivate func text(in context: JSONEncodingContext) throws -> [UInt8] {
        if case .rendered(let bytes) = self { return bytes }
        var writer = JSONTextWriter(pretty: context.pretty, reserving: 64)
        try writer.write(self, depth: context.level)
        return writer.bytes
    }
}
