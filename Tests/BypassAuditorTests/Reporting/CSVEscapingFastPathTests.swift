import Testing

@testable import Reporting

/// `CSVEscaping.field` answers printable-ASCII text without the Unicode path: both must agree on every such text.
@Suite("CSV fields: the printable-ASCII path escapes as the Unicode path does")
struct CSVEscapingFastPathTests {
    @Test(arguments: [
        "", " ", "   ", "plain", " plain", "svc-backup@contoso.com", "=1+1", "  =1+1", "+1", "-1", "@SUM(A1)", " @x",
        "a,b", "say \"hi\"", "=\"x\",y", "2026-10-31T23:59:59.999Z", "x=1", "~!#$%^&*()_{}|:<>?[];'./`",
    ])
    func agreesWithTheUnicodePath(text: String) {
        #expect(CSVEscaping.printableASCIIField(text) == CSVEscaping.unicodeField(text))
    }

    @Test("every printable ASCII character, alone, leading and inside")
    func agreesOnEveryCharacter() {
        for value in UInt8(0x20)..<UInt8(0x7F) {
            let character = String(UnicodeScalar(value))
            for text in [character, character + "x", " " + character, "x" + character + "y"] {
                #expect(CSVEscaping.printableASCIIField(text) == CSVEscaping.unicodeField(text), "\(text)")
            }
        }
    }

    @Test("text outside printable ASCII takes the Unicode path", arguments: ["tab\there", "line\n", "caf\u{E9}", "\u{7F}"])
    func otherTextIsLeftToTheUnicodePath(text: String) {
        #expect(CSVEscaping.printableASCIIField(text) == nil)
    }
}
