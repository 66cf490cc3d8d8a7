/// An event id as a set key: an id written as a canonical lowercase UUID (what Exchange writes as a record's `Id`
/// and Elastic keeps as `event.id`) as its 128 bits, any other id as its text.
///
/// Exact: two ids give equal keys only when their texts are equal (only the one canonical spelling of a UUID is
/// taken as bits, so `A0…` and `a0…` stay apart). Drift checks each of a month's enablements against the events
/// bypass alerts fired on (200,000 at scale): held as texts, that set cost an allocation and a text hash per alert.
public enum EventKey: Hashable, Sendable {
    case uuid(UInt64, UInt64)
    case text(String)

    public init(_ id: String) {
        var id = id
        self = id.withUTF8 { EventKey(uuidUTF8: UnsafeRawBufferPointer($0)) } ?? .text(id)
    }

    /// The key of the id whose UTF-8 bytes are `bytes`, without making a `String` when they spell a canonical UUID.
    public init(utf8 bytes: UnsafeRawBufferPointer) {
        self = EventKey(uuidUTF8: bytes) ?? .text(String(decoding: bytes, as: UTF8.self))
    }

    /// `8-4-4-4-12` lowercase hexadecimal digits, else nil.
    private init?(uuidUTF8 bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (offset, byte) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        self = .uuid(high, low)
    }
}
