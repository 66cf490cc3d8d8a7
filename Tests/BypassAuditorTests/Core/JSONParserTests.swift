import Testing

@testable import Core

/// The strict JSON parser the log readers and the event store read with.
@Suite struct JSONParserTests {
    @Test func jsonParserKeepsTypesAndReportsPositions() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":1.5,"c":true,"d":null,"e":"\u00e9\ud83d\ude00\n","f":[],"a":2}"#)
        let object = try #require(value.objectValue)
        #expect(object["a"] == .integer(2))
        #expect(object["b"] == .double(1.5))
        #expect(object["c"] == .bool(true))
        #expect(object["d"] == .null)
        #expect(object.value("d") == nil)
        #expect(object["e"] == .string("é😀\n"))
        #expect(object["f"] == .array([]))
        #expect(try JSONParser.parse("12345678901234567890") == .double(1.2345678901234567e19))
        #expect(try JSONParser.parse(#""\ud800x""#) == .string("\u{FFFD}x"))

        let failures: [(String, Int, String)] = [
            (#"{"a":}"#, 5, "expected a JSON value, found '}'"),
            (#"{"a":1"#, 6, "unexpected end of JSON text inside an object"),
            (#"{"a":01}"#, 5, "invalid number (leading zero)"),
            (#"["a"]x"#, 5, "unexpected data after the JSON value"),
            ("\"tab\there\"", 4, "unescaped control character in a string"),
            (#""\x""#, 1, "invalid escape sequence: a backslash followed by 'x'"),
            (String(repeating: "[", count: 300), 256, "JSON nested deeper than 256 levels"),
        ]
        for (text, offset, message) in failures {
            #expect(throws: JSONSyntaxError(offset: offset, message: message), "\(text.prefix(20))") {
                _ = try JSONParser.parse(text)
            }
        }
        let invalid: [UInt8] = Array(#"{"a":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)
        #expect(throws: JSONSyntaxError(offset: 6, message: "invalid UTF-8")) {
            _ = try invalid.withUnsafeBytes { try JSONParser.parse($0) }
        }
    }
}
