import Foundation

/// Encodes `Encodable` values to the bytes Foundation's `JSONEncoder` writes with `JSONCoding`'s convention (snake_case
/// keys, UTC millisecond timestamps, sorted keys, no escaped slashes), byte for byte, at a fraction of its cost.
///
/// Why not `JSONEncoder` itself: with a custom key strategy it builds the coding path of every key of every object
/// and casts every value to `Date`, `URL`, `Data` and `Decimal`. A drift result or a report at scale holds millions
/// of keys, and encoding them was a tenth of the whole run. This encoder keeps no coding path (errors name the value,
/// not its path) and writes the same text: `JSONByteEncoderTests` holds both encoders to the same bytes.
///
/// What it mirrors from swift-foundation's `JSONEncoder` and `JSONWriter`:
/// - keys: a property name goes through `JSONKeyNames.snakeCase` (memoised); an integer key and the keys of a
///   `[String: Value]` dictionary are written as they are (Foundation exempts such dictionaries from key strategies);
///   objects are sorted by the UTF-8 bytes of their keys; a key written twice keeps its last value;
/// - values: `Date` as `UTCTimestamp.format`, `URL` as its absolute string, `Data` as Base64, `Decimal` and integers
///   by their description, floating point by its description without a trailing `.0` (NaN and infinities are an
///   error); a value that encodes nothing is an empty object;
/// - text: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00xx`, everything else as is;
/// - pretty printing: two spaces per level, `"key" : value`, and an empty array or object as an opening line, an
///   empty line and the closing bracket.
public enum JSONByteEncoder {
    /// `value` as UTF-8 JSON text.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> [UInt8] {
        let root = try JSONSlot(encoding: value, context: JSONEncodingContext(keyNames: SnakeCaseKeyMemo(), pretty: pretty, level: 0))
        if case .rendered(let bytes) = root { return bytes }
        var writer = JSONTextWriter(pretty: pretty)
        try writer.write(root, depth: 0)
        return writer.bytes
    }

    /// `encode`'s text, handed to `output` a piece at a time (about a megabyte each) instead of returned whole: the
    /// outermost container is written member by member from its finished members, so a large document is never held
    /// twice (report.json at scale: 19 MB, once in its members and again in the text made of them).
    ///
    /// Every member is encoded before the first piece is handed over, so an encoding error hands over nothing, except
    /// a `JSONStreamedArray` member: its elements are produced and encoded while it is written, so an error there
    /// stops the text part-way (the caller reports it and fails).
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true, into output: ([UInt8]) -> Void) throws {
        let context = JSONEncodingContext(keyNames: SnakeCaseKeyMemo(), pretty: pretty, level: 0, isStreamed: true)
        let root = try JSONSlot(encoding: value, context: context, renderingContainer: false)
        try withoutActuallyEscaping(output) { output in
            var writer = JSONTextWriter(pretty: pretty, reserving: JSONTextWriter.drainSize)
            writer.drain = output
            try writer.write(root, depth: 0)
            if !writer.bytes.isEmpty { output(writer.bytes) }
        }
    }
}

/// What every encoder and container of one encoding shares, and the nesting level of the node it fills (the root
/// is level 0): a finished value is written out at once at its level, so the indentation is already right.
struct JSONEncodingContext: Sendable {
    let keyNames: SnakeCaseKeyMemo
    let pretty: Bool
    let level: Int
    /// Whether the document is handed over in pieces (`JSONByteEncoder.encode(_:pretty:into:)`).
    var isStreamed = false

    /// Whether a `JSONStreamedArray` at this node is left to be produced while it is written: only a member of a
    /// streamed document's outermost container (level 1).
    var mayStream: Bool { isStreamed && level == 1 }

    /// The context of the values inside a node of this level.
    var inside: JSONEncodingContext {
        JSONEncodingContext(keyNames: keyNames, pretty: pretty, level: level + 1, isStreamed: isStreamed)
    }

    /// This context with key names remembered apart, for a thread of its own: two threads converting every key of
    /// thousands of objects through one memo waited on its lock more than they converted.
    var withOwnKeyNames: JSONEncodingContext {
        JSONEncodingContext(keyNames: SnakeCaseKeyMemo(), pretty: pretty, level: level, isStreamed: isStreamed)
    }
}

/// One value of the tree an encoding builds: a finished scalar, or a container still being filled.
enum JSONSlot {
    case null
    case bool(Bool)
    /// A number, already as its text.
    case number(String)
    case string(String)
    /// A container some container of its parent handed out (`nestedContainer`), which the caller may still fill:
    /// written when the parent is.
    case container(JSONContainerNode)
    /// A finished object or array, already written as text at its level. Writing each value as soon as its
    /// `encode(to:)` returns keeps only text in memory, not a tree of every value: a report's 200,000 alerts as a
    /// tree took several times the memory of their text.
    case rendered([UInt8])
    /// An array whose elements are produced and encoded (in `context`, their level's) as it is written.
    case streamed(any JSONElementProducer, context: JSONEncodingContext)

    /// The slot `value` encodes to, honouring the special cases `JSONEncoder` makes. `context.level` is the level
    /// `value` sits at.
    /// `value`'s slot; a container is rendered to text at once unless `renderingContainer` is false (the root of a
    /// document streamed by `JSONByteEncoder.encode(_:pretty:into:)`).
    init<T: Encodable>(encoding value: T, context: JSONEncodingContext, renderingContainer: Bool = true) throws {
        // Checks of the type, not casts of the value: `JSONEncoder` casts every value to Date, URL, Decimal and Data,
        // which at millions of values costs more than the rest of the encoding. `T` is always the concrete type here
        // (an `any Encodable` is opened first), so comparing metatypes finds the same cases.
        if context.mayStream, let producer = value as? any JSONElementProducer {
            self = .streamed(producer, context: context.inside)
        } else if T.self == String.self {
            self = .string(value as! String)
        } else if T.self == Int.self {
            self = .number(String(value as! Int))
        } else if T.self == Bool.self {
            self = .bool(value as! Bool)
        } else if T.self == Int64.self {
            self = .number(String(value as! Int64))
        } else if T.self == Double.self {
            self = try .number(Self.text(of: value as! Double))
        } else if T.self == Date.self {
            self = .string(UTCTimestamp.format(value as! Date))
        } else if T.self == URL.self {
            self = .string((value as! URL).absoluteString)
        } else if T.self == Decimal.self {
            self = .number((value as! Decimal).description)
        } else if T.self == Data.self {
            self = .string((value as! Data).base64EncodedString())
        } else if context.level <= JSONConcurrentEncoding.deepestLevel, T.self is any JSONConcurrentArray.Type,
            let elements = try (value as! any JSONConcurrentArray).elementSlots(context: context.inside)
        {
            // Checked only near the root, where documents keep their long lists: a conformance check per value
            // would cost more than it saves.
            let node = JSONContainerNode(kind: .array)
            node.elements = elements
            self = renderingContainer ? try Self.rendering(node, context: context) : .container(node)
        } else if T.self is any StringKeyedDictionaryMarker.Type, let dictionary = value as? any StringKeyedDictionaryMarker {
            // Foundation writes the keys of a `[String: Value]` as they are, exempt from the key strategy.
            let node = JSONContainerNode(kind: .object)
            try dictionary.forEachEncodable { key, member in
                node.members[key] = try JSONSlot(encodingAny: member, context: context.inside)
            }
            self = renderingContainer ? try Self.rendering(node, context: context) : .container(node)
        } else {
            let node = JSONContainerNode(kind: .undecided)
            try value.encode(to: JSONNodeEncoder(node: node, context: context))
            self = try node.onlyScalar ?? (renderingContainer ? Self.rendering(node, context: context) : .container(node))
        }
    }

    /// A finished container, written as text at its level.
    private static func rendering(_ node: JSONContainerNode, context: JSONEncodingContext) throws -> JSONSlot {
        // Reserved for what the children already hold: a buffer grown by doubling left a large document's outer
        // containers up to twice their size while their children were still held (report.json at scale).
        var writer = JSONTextWriter(pretty: context.pretty, reserving: node.renderedSizeEstimate(level: context.level))
        try writer.write(.container(node), depth: context.level)
        return .rendered(writer.bytes)
    }

    /// A finite floating-point number as `JSONEncoder` writes it: its description without a trailing `.0`.
    static func text<F: BinaryFloatingPoint & CustomStringConvertible>(of number: F) throws -> String {
        guard number.isFinite else {
            throw EncodingError.invalidValue(
                number, .init(codingPath: [], debugDescription: "Unable to encode \(F.self).\(number) directly in JSON."))
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

/// A `[String: Value]` dictionary, whose keys `JSONEncoder` never converts.
protocol StringKeyedDictionaryMarker {
    func forEachEncodable(_ body: (String, any Encodable) throws -> Void) rethrows
}

extension Dictionary: StringKeyedDictionaryMarker where Key == String, Value: Encodable {
    func forEachEncodable(_ body: (String, any Encodable) throws -> Void) rethrows {
        for (key, value) in self { try body(key, value) }
    }
}

extension JSONSlot {
    /// `JSONSlot(encoding:context:)` for a value known only as `any Encodable` (opened, so the type checks there see
    /// its concrete type).
    init(encodingAny value: any Encodable, context: JSONEncodingContext) throws {
        func open<T: Encodable>(_ value: T) throws -> JSONSlot { try JSONSlot(encoding: value, context: context) }
        self = try open(value)
    }
}

/// An object or array being filled by the containers of one `encode(to:)`; a single-value container leaves a scalar.
final class JSONContainerNode {
    enum Kind { case undecided, object, array, scalar }
    var kind: Kind
    var members: [String: JSONSlot] = [:]
    var elements: [JSONSlot] = []
    var scalar: JSONSlot = .null

    init(kind: Kind) { self.kind = kind }

    /// About the bytes `JSONTextWriter` writes for this container at `level`: exact for rendered children, keys and
    /// strings without escapes, a little under for escapes and indentation of nested scalars.
    func renderedSizeEstimate(level: Int) -> Int {
        func size(_ slot: JSONSlot) -> Int {
            switch slot {
            case .null: 4
            case .bool(let flag): flag ? 4 : 5
            case .number(let text): text.utf8.count
            case .string(let text): text.utf8.count + 2
            case .rendered(let bytes): bytes.count
            case .container, .streamed: 2
            }
        }
        // Per entry: a comma, a line break and the indentation of pretty output.
        let perEntry = 2 + 2 * (level + 1)
        switch kind {
        case .array: return 2 + perEntry + elements.reduce(0) { $0 + perEntry + size($1) }
        case .object, .undecided:
            return 2 + perEntry + members.reduce(0) { $0 + perEntry + $1.key.utf8.count + 5 + size($1.value) }
        case .scalar: return size(scalar)
        }
    }

    /// The scalar a single-value container wrote, or the empty object of a value that wrote nothing; nil for a
    /// container.
    var onlyScalar: JSONSlot? {
        switch kind {
        case .scalar: scalar
        case .undecided: .container(JSONContainerNode(kind: .object))
        case .object, .array: nil
        }
    }
}

/// The `Encoder` handed to each value's `encode(to:)`: fills one node.
struct JSONNodeEncoder: Encoder {
    let node: JSONContainerNode
    /// The context of `node`'s level.
    let context: JSONEncodingContext
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.kind != .object { node.kind = .object }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(node: node, context: context))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.kind != .array { node.kind = .array }
        return JSONUnkeyedContainer(node: node, context: context)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(node: node, context: context)
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONContainerNode
    /// The context of `node`'s level.
    let context: JSONEncodingContext
    var codingPath: [any CodingKey] { [] }

    private func name(_ key: Key) -> String {
        key.intValue != nil ? key.stringValue : context.keyNames.snakeCase(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { node.members[name(key)] = .null }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.members[name(key)] = .bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.members[name(key)] = .string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        node.members[name(key)] = .number(try JSONSlot.text(of: value))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        node.members[name(key)] = .number(try JSONSlot.text(of: value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { node.members[name(key)] = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.members[name(key)] = try JSONSlot(encoding: value, context: context.inside)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = JSONContainerNode(kind: .object)
        node.members[name(key)] = .container(child)
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: child, context: context.inside))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONContainerNode(kind: .array)
        node.members[name(key)] = .container(child)
        return JSONUnkeyedContainer(node: child, context: context.inside)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: name(key)) }

    private func superEncoder(named name: String) -> any Encoder {
        let child = JSONContainerNode(kind: .undecided)
        node.members[name] = .container(child)
        return JSONNodeEncoder(node: child, context: context.inside)
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONContainerNode
    /// The context of `node`'s level.
    let context: JSONEncodingContext
    var codingPath: [any CodingKey] { [] }
    var count: Int { node.elements.count }

    mutating func encodeNil() throws { node.elements.append(.null) }
    mutating func encode(_ value: Bool) throws { node.elements.append(.bool(value)) }
    mutating func encode(_ value: String) throws { node.elements.append(.string(value)) }
    mutating func encode(_ value: Double) throws { node.elements.append(.number(try JSONSlot.text(of: value))) }
    mutating func encode(_ value: Float) throws { node.elements.append(.number(try JSONSlot.text(of: value))) }
    mutating func encode(_ value: Int) throws { node.elements.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { node.elements.append(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        node.elements.append(try JSONSlot(encoding: value, context: context.inside))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = JSONContainerNode(kind: .object)
        node.elements.append(.container(child))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: child, context: context.inside))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONContainerNode(kind: .array)
        node.elements.append(.container(child))
        return JSONUnkeyedContainer(node: child, context: context.inside)
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONContainerNode(kind: .undecided)
        node.elements.append(.container(child))
        return JSONNodeEncoder(node: child, context: context.inside)
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let node: JSONContainerNode
    /// The context of `node`'s level.
    let context: JSONEncodingContext
    var codingPath: [any CodingKey] { [] }

    private func set(_ slot: JSONSlot) {
        node.kind = .scalar
        node.scalar = slot
    }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(.number(try JSONSlot.text(of: value))) }
    mutating func encode(_ value: Float) throws { set(.number(try JSONSlot.text(of: value))) }
    mutating func encode(_ value: Int) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { set(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { set(try JSONSlot(encoding: value, context: context)) }
}

/// Writes a finished tree as `JSONWriter` does.
struct JSONTextWriter {
    let pretty: Bool
    var bytes: [UInt8] = []
    /// Takes the text written so far whenever it reaches `drainSize` between two members, which are then dropped
    /// from `bytes`; nil keeps the whole text in `bytes`.
    var drain: (([UInt8]) -> Void)?
    static let drainSize = 1 << 20

    init(pretty: Bool, reserving capacity: Int = 1 << 16) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ slot: JSONSlot, depth: Int) throws {
        switch slot {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): writeString(text)
        case .rendered(let text): bytes.append(contentsOf: text)
        case .container(let node):
            switch node.kind {
            case .array: try writeArray(depth: depth + 1) { element in for slot in node.elements { try element(slot) } }
            case .object, .undecided: try writeObject(node.members, depth: depth + 1)
            case .scalar: try write(node.scalar, depth: depth)
            }
        case .streamed(let producer, let context):
            try writeArray(depth: depth + 1) { element in
                try producer.produceEncodables { value in try element(try JSONSlot(encodingAny: value, context: context)) }
            }
        }
    }

    /// An array of the elements `forEachElement` hands over, each written as it comes.
    private mutating func writeArray(
        depth: Int, _ forEachElement: (_ element: (JSONSlot) throws -> Void) throws -> Void
    ) throws {
        bytes.append(UInt8(ascii: "["))
        if pretty { bytes.append(UInt8(ascii: "\n")) }
        var index = 0
        try forEachElement { element in
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
                if pretty { bytes.append(UInt8(ascii: "\n")) }
            }
            index += 1
            indent(depth)
            try write(element, depth: depth)
            drainIfFull()
        }
        if pretty {
            bytes.append(UInt8(ascii: "\n"))
            indent(depth - 1)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func writeObject(_ members: [String: JSONSlot], depth: Int) throws {
        bytes.append(UInt8(ascii: "{"))
        if pretty { bytes.append(UInt8(ascii: "\n")) }
        let sorted = members.sorted { Self.keyPrecedes($0.key, $1.key) }
        for (index, member) in sorted.enumerated() {
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
                if pretty { bytes.append(UInt8(ascii: "\n")) }
            }
            indent(depth)
            writeString(member.key)
            if pretty {
                bytes.append(contentsOf: " : ".utf8)
            } else {
                bytes.append(UInt8(ascii: ":"))
            }
            try write(member.value, depth: depth)
            drainIfFull()
        }
        if pretty {
            bytes.append(UInt8(ascii: "\n"))
            indent(depth - 1)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// The order of an object's keys: by their UTF-8 bytes, as `JSONEncoder`'s `.sortedKeys` orders them.
    static func keyPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private mutating func drainIfFull() {
        guard let drain, bytes.count >= Self.drainSize else { return }
        drain(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func indent(_ depth: Int) {
        guard pretty, depth > 0 else { return }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: #"\""#.utf8)
                case 0x5C: bytes.append(contentsOf: #"\\"#.utf8)
                case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
                case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
                case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
                case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
                case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: #"\u00"#.utf8)
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
