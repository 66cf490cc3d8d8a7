import BypassAuditor
import Foundation
import Testing

/// `JSONByteEncoder` must write exactly what Foundation's `JSONEncoder`, configured by `JSONCoding.encoder`, writes:
/// every documented `--json` schema and `report.json` came from that encoder, and readers may compare bytes.
@Suite("JSON byte encoder: the same bytes as JSONEncoder with the shared convention")
struct JSONByteEncoderTests {
    enum Tone: String, Codable { case calm, loud }

    enum Region: String, Codable, CodingKeyRepresentable { case northEurope, westUS }

    struct Inner: Codable, Hashable {
        var accountID: String
        var ruleIDs: [String]
        var seenAt: Date?
        var score: Double
    }

    struct Outer: Codable {
        var name: String
        var count: Int
        var bigCount: Int64
        var ratio: Double
        var flag: Bool
        var tone: Tone
        var missing: String?
        var present: String?
        var when: Date
        var inner: Inner
        var inners: [Inner]
        var empty: [Inner]
        var emptyObject: [String: Int]
        var byName: [String: Inner]
        var byNumber: [Int: String]
        var byRegion: [Region: Int]
        var nested: [[String]]
        var url: URL
        var data: Data
        var decimal: Decimal
        var optionalList: [String?]
    }

    /// A value with a custom `encode(to:)` that uses nested containers, a super encoder and explicit nils.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case headLine, parts, extra, nothing }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("top", forKey: .headLine)
            var parts = container.nestedUnkeyedContainer(forKey: .parts)
            try parts.encode(1)
            try parts.encodeNil()
            var inner = parts.nestedContainer(keyedBy: Keys.self)
            try inner.encode(true, forKey: .extra)
            try container.encodeNil(forKey: .nothing)
            try Tone.loud.encode(to: container.superEncoder(forKey: .extra))
        }
    }

    static let hostileText = "quote \" backslash \\ slash / tab \t nl \n cr \r bell \u{07} esc \u{1B} nul \u{0} "
        + "unit \u{1F} del \u{7F} é 中 😀 \u{2028} \u{FEFF} <script>"

    static func sample() -> Outer {
        let inner = Inner(accountID: "svc-backup@contoso.com", ruleIDs: ["o365-bypass", "fp-10", "fp-9"], seenAt: nil, score: 0.1)
        return Outer(
            name: hostileText, count: -42, bigCount: Int64.max, ratio: 1.0, flag: false, tone: .calm, missing: nil,
            present: "", when: Date(timeIntervalSince1970: 1_790_000_000.123), inner: inner,
            inners: [inner, Inner(accountID: "Ünïcode", ruleIDs: [], seenAt: Date(timeIntervalSince1970: 0), score: 1e21)],
            empty: [], emptyObject: [:],
            byName: ["J.Doe@Contoso.com": inner, "a_b": inner, "ab": inner, "A": inner, "": inner, hostileText: inner],
            byNumber: [10: "ten", 9: "nine", -1: "minus"], byRegion: [.northEurope: 1, .westUS: 2],
            nested: [[], ["x"], ["y", "z"]], url: URL(string: "https://example.com/a?b=c")!, data: Data([0, 1, 2, 255]),
            decimal: Decimal(string: "12.50")!, optionalList: ["a", nil])
    }

    static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        String(decoding: try JSONCoding.encoder(pretty: pretty).encode(value), as: UTF8.self)
    }

    static func bytes<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        String(decoding: try JSONByteEncoder.encode(value, pretty: pretty), as: UTF8.self)
    }

    @Test("structs, optionals, dictionaries of every key kind, dates, URL, Data, Decimal and hostile text", arguments: [true, false])
    func sameBytesForEveryShape(pretty: Bool) throws {
        let value = Self.sample()
        #expect(try Self.bytes(value, pretty: pretty) == Self.foundation(value, pretty: pretty))
    }

    @Test("nested containers, nil, super encoders, top-level arrays and scalars", arguments: [true, false])
    func sameBytesForHandwrittenAndTopLevelValues(pretty: Bool) throws {
        #expect(try Self.bytes(Handwritten(), pretty: pretty) == Self.foundation(Handwritten(), pretty: pretty))
        #expect(try Self.bytes([Self.sample().inner], pretty: pretty) == Self.foundation([Self.sample().inner], pretty: pretty))
        #expect(try Self.bytes([String](), pretty: pretty) == Self.foundation([String](), pretty: pretty))
        #expect(try Self.bytes(Self.hostileText, pretty: pretty) == Self.foundation(Self.hostileText, pretty: pretty))
        #expect(try Self.bytes(Tone.loud, pretty: pretty) == Self.foundation(Tone.loud, pretty: pretty))
        #expect(try Self.bytes([0.5, -0.0, 3.0, 1e-7, 123_456_789.25], pretty: pretty)
            == Self.foundation([0.5, -0.0, 3.0, 1e-7, 123_456_789.25], pretty: pretty))
    }

    @Test("every control character and every escape of the UTF-8 range below 0x80")
    func everyASCIICharacter() throws {
        let text = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        #expect(try Self.bytes([text: text], pretty: true) == Self.foundation([text: text], pretty: true))
    }

    @Test("a number JSON cannot hold is an error, as it is for JSONEncoder")
    func nonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try JSONByteEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONByteEncoder.encode(["x": Double.infinity]) }
    }

    @Test("handed over in pieces, the text is the same bytes, for large and small documents", arguments: [true, false])
    func streamedInPieces(pretty: Bool) throws {
        // Over two pieces' worth (a piece is about a megabyte), with an object and an array at the top.
        let inners = (0..<8_000).map { index in
            Inner(accountID: "svc-\(index)@contoso.com", ruleIDs: ["rule-\(index % 7)", "seed"], seenAt: nil, score: 0.5)
        }
        let large = ["inners": inners, "more": inners]
        for (value, whole) in [
            (large as any Encodable, try JSONByteEncoder.encode(large, pretty: pretty)),
            (inners, try JSONByteEncoder.encode(inners, pretty: pretty)),
            (Self.sample(), try JSONByteEncoder.encode(Self.sample(), pretty: pretty)),
            ([String](), try JSONByteEncoder.encode([String](), pretty: pretty)),
            (Self.hostileText, try JSONByteEncoder.encode(Self.hostileText, pretty: pretty)),
        ] {
            var pieces: [[UInt8]] = []
            try JSONByteEncoder.encode(value, pretty: pretty) { pieces.append($0) }
            #expect(pieces.joined().elementsEqual(whole))
            if whole.count > (1 << 20) + 100_000 { #expect(pieces.count >= 2, "a large document comes in pieces") }
        }
    }

    /// An element the encoder may encode on two threads, in every shape an element takes: an object, a scalar
    /// (single-value container), an object that writes nothing (an empty object), and hostile text. It notes the
    /// threads that encode it.
    struct SharedElement: JSONConcurrentlyEncodable {
        var index: Int
        var threads: ThreadLog

        func encode(to encoder: any Encoder) throws {
            threads.note()
            switch index % 4 {
            case 0: try Inner(accountID: "svc-\(index)", ruleIDs: ["r\(index % 3)"], seenAt: nil, score: 0.25).encode(to: encoder)
            case 1:
                var single = encoder.singleValueContainer()
                try single.encode(index)
            case 2: break
            default: try [hostileText: index].encode(to: encoder)
            }
        }
    }

    /// The threads that encoded `SharedElement`s.
    final class ThreadLog: @unchecked Sendable {
        private let lock = NSLock()
        private var threads: [pthread_t] = []

        func note() {
            let current = pthread_self()
            lock.withLock { if !threads.contains(where: { pthread_equal($0, current) != 0 }) { threads.append(current) } }
        }

        var count: Int { lock.withLock { threads.count } }
    }

    struct SharedDocument: Encodable {
        var top: [SharedElement]
        var nested: [String: [SharedElement]]
        var deeper: [String: [String: [SharedElement]]]
    }

    @Test("long arrays of elements encoded on two threads write the one thread's text, at every level",
        arguments: [true, false])
    func longArraysOnTwoThreads(pretty: Bool) throws {
        let log = ThreadLog()
        func elements(_ count: Int) -> [SharedElement] { (0..<count).map { SharedElement(index: $0, threads: log) } }
        let document = SharedDocument(
            top: elements(1_001), nested: ["short": elements(3), "long": elements(600)], deeper: ["a": ["b": elements(300)]])
        let expected = try Self.foundation(document, pretty: pretty)
        #expect(try Self.bytes(document, pretty: pretty) == expected)
        var pieces: [[UInt8]] = []
        try JSONByteEncoder.encode(document, pretty: pretty) { pieces.append($0) }
        #expect(String(decoding: pieces.joined(), as: UTF8.self) == expected)
        #expect(try Self.bytes(elements(2_000), pretty: pretty) == Self.foundation(elements(2_000), pretty: pretty))
        #expect(log.count >= 2, "the long arrays were shared with a second thread")
    }

    /// A document with a list handed over element by element (`detect --json`'s alerts), and the same with the list.
    struct StreamedDocument: Encodable {
        var title: String
        var items: JSONStreamedArray<Inner>
        var zTail: [Inner]
    }

    struct HeldDocument: Encodable {
        var title: String
        var items: [Inner]
        var zTail: [Inner]
    }

    struct ProducerFailed: Error {}

    @Test("a streamed array writes the text of the same array held, whole or in pieces, produced as it is written",
        arguments: [true, false])
    func streamedArray(pretty: Bool) throws {
        // About 2 MB: over one piece (about a megabyte), so pieces go out while elements are still produced.
        let padding = String(repeating: "p", count: 400)
        let inners = (0..<5_000).map { index in
            Inner(accountID: "svc-\(index)-\(padding)@contoso.com", ruleIDs: ["rule-\(index % 7)"], seenAt: nil, score: 0.25)
        }
        for items in [inners, [], [Self.sample().inner]] {
            var produced = 0
            var piecesWhenLastProduced = -1
            var pieces: [[UInt8]] = []
            let streamed = StreamedDocument(
                title: Self.hostileText,
                items: JSONStreamedArray { element in
                    for item in items {
                        produced += 1
                        if produced == items.count { piecesWhenLastProduced = pieces.count }
                        try element(item)
                    }
                },
                zTail: [Self.sample().inner])
            let held = HeldDocument(title: Self.hostileText, items: items, zTail: [Self.sample().inner])
            let expected = try Self.foundation(held, pretty: pretty)
            try JSONByteEncoder.encode(streamed, pretty: pretty) { pieces.append($0) }
            #expect(String(decoding: pieces.joined(), as: UTF8.self) == expected)
            #expect(produced == items.count, "each element is produced once")
            if items.count == inners.count {
                #expect(piecesWhenLastProduced >= 1, "pieces were handed over before the last element was produced")
            }
            // Anywhere else (whole, through Foundation, deeper in a document) it is the plain array.
            #expect(try Self.bytes(streamed, pretty: pretty) == expected)
            #expect(try Self.foundation(streamed, pretty: pretty) == expected)
            #expect(try Self.bytes(["nested": streamed], pretty: pretty) == Self.foundation(["nested": held], pretty: pretty))
        }
    }

    @Test("an error while a streamed array is produced stops the document and is thrown")
    func streamedArrayError() {
        let failing = StreamedDocument(
            title: "t", items: JSONStreamedArray { element in
                try element(Self.sample().inner)
                throw ProducerFailed()
            }, zTail: [])
        #expect(throws: ProducerFailed.self) { try JSONByteEncoder.encode(failing, pretty: true) { _ in } }
        #expect(throws: ProducerFailed.self) { try JSONByteEncoder.encode(failing, pretty: true) }
    }
}
