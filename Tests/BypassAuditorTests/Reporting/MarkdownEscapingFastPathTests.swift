import Testing

@testable import Reporting

/// `MarkdownEscaping.escape` returns text it finds inert without the scalar-by-scalar path: it must find inert
/// exactly texts that path leaves unchanged, or a syntax character would reach a report unescaped.
@Suite("Markdown: text found inert is text the scalar path leaves as it is")
struct MarkdownEscapingFastPathTests {
    @Test(arguments: [
        "", "plain", "svc-backup@contoso.com", "Set-MailboxAuditBypassAssociation", "1. item", "12) x", "x 1. y",
        "-x", "+x", "#x", "=x", "a-b+c#d=e", "http://x", "a:b", "a: /b", "www.x", "WwW.x", "ww.x", "xwww.y", "w.w.w.",
        "[a](b)", "a]b", "(a)", "caf\u{E9} \u{2192} www.example", "\u{1F600}:/", "a\u{301}_b",
    ])
    func agreesWithTheScalarPath(text: String) {
        let escaped = MarkdownEscaping.scalarByScalar(text)
        if MarkdownEscaping.isInert(text) { #expect(escaped == text, "\(text)") }
        #expect(MarkdownEscaping.escape(text) == escaped, "\(text)")
    }

    @Test("every printable ASCII character, alone, leading, inside and after www")
    func agreesOnEveryCharacter() {
        for value in UInt8(0x20)..<UInt8(0x7F) {
            let character = String(UnicodeScalar(value))
            for text in [character, character + "x", "x" + character, "x" + character + "/", "www" + character, "wWw" + character] {
                let escaped = MarkdownEscaping.scalarByScalar(text)
                // A leading digit always takes the full path (an ordered-list marker needs a look further on).
                let leadingDigit = text.first?.isASCII == true && text.first?.isNumber == true
                if MarkdownEscaping.isInert(text) || !leadingDigit {
                    #expect(MarkdownEscaping.isInert(text) == (escaped == text), "\(text)")
                }
            }
        }
    }
}
