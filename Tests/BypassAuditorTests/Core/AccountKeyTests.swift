import Testing

@testable import Core

@Suite("Core: account keys")
struct AccountKeyTests {
    @Test("the control-character check agrees with Unicode's general category Cc at every code point")
    func controlCharactersAreCategoryCc() {
        var disagreements: [UInt32] = []
        var controls = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            let isControl = scalar.properties.generalCategory == .control
            if isControl { controls += 1 }
            if AccountKey.containsControlCharacter(String(Character(scalar))) != isControl { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty)
        #expect(controls == 65)
    }

    @Test("a name with a control character anywhere, or only white space, has no key")
    func namesWithoutKey() {
        #expect(AccountKey("svc\u{0}backup") == nil)
        #expect(AccountKey("svc\u{85}backup") == nil)
        #expect(AccountKey("\u{7F}") == nil)
        #expect(AccountKey(" \t ") == nil)
        #expect(AccountKey("  Svc-Backup@Contoso.com ")?.value == "svc-backup@contoso.com")
        #expect(AccountKey("svc-\u{A0}backup")?.value == "svc-\u{A0}backup")
    }
}
