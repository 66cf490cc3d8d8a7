import Testing

@testable import Core

/// Event keys are exact: equal keys for equal ids only, whichever form (bits or text) the id takes.
@Suite("Event keys")
struct EventKeyTests {
    static let uuid = "a0b7e8b7-e863-9c1a-5dee-ce66d1ccb7e3"

    @Test("a canonical lowercase UUID is kept as its bits; the same id read from bytes gives the same key")
    func canonicalUUIDs() {
        #expect(EventKey(Self.uuid) == .uuid(0xa0b7_e8b7_e863_9c1a, 0x5dee_ce66_d1cc_b7e3))
        var id = Self.uuid
        #expect(id.withUTF8 { EventKey(utf8: UnsafeRawBufferPointer($0)) } == EventKey(Self.uuid))
    }

    @Test("anything else stays text, so no two different ids share a key", arguments: [
        "A0B7E8B7-E863-9C1A-5DEE-CE66D1CCB7E3",  // the same UUID spelled in capitals is another id
        "a0b7e8b7e8639c1a5deece66d1ccb7e3",  // without hyphens
        "a0b7e8b7-e863-9c1a-5dee-ce66d1ccb7e",  // one digit short
        "a0b7e8b7-e863-9c1a-5dee-ce66d1ccb7eg",  // not hexadecimal
        "a0b7e8b7-e863-9c1a+5dee-ce66d1ccb7e3",  // a separator out of place
        "", "enable", "ünïcode-id",
    ])
    func otherIDsStayText(id: String) {
        #expect(EventKey(id) == .text(id))
        #expect(EventKey(id) != EventKey(Self.uuid))
        var bytes = id
        #expect(bytes.withUTF8 { EventKey(utf8: UnsafeRawBufferPointer($0)) } == EventKey(id))
    }

    @Test("different UUIDs give different keys, at every digit")
    func everyDigitCounts() {
        let digits = Array(Self.uuid)
        for position in digits.indices where digits[position] != "-" {
            var changed = digits
            changed[position] = changed[position] == "0" ? "1" : "0"
            #expect(EventKey(String(changed)) != EventKey(Self.uuid), "digit \(position)")
        }
    }
}
