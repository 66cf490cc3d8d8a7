/// An array whose elements are handed over one at a time by `produce` rather than held: a member of a document
/// whose list can outgrow memory (`detect --json` lists every stored alert).
///
/// Written by `JSONByteEncoder.encode(_:pretty:into:)` as a member of the document's outermost object, its elements
/// are produced, encoded and written one by one, so only one is held at a time. Anywhere else (deeper in a
/// document, or through any other encoder) it encodes as the plain array of the same elements, the same text.
public struct JSONStreamedArray<Element: Encodable>: Encodable {
    /// Hands every element to its argument, in order; may run more than once (each encoding runs it).
    public let produce: (_ element: (Element) throws -> Void) throws -> Void

    public init(_ produce: @escaping (_ element: (Element) throws -> Void) throws -> Void) {
        self.produce = produce
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try produce { try container.encode($0) }
    }
}

/// What `JSONByteEncoder` sees of a `JSONStreamedArray`, whatever its element type.
protocol JSONElementProducer {
    func produceEncodables(_ element: (any Encodable) throws -> Void) throws
}

extension JSONStreamedArray: JSONElementProducer {
    func produceEncodables(_ element: (any Encodable) throws -> Void) throws {
        try produce { try element($0) }
    }
}
