import Foundation
import Testing
import Yams

import BypassAuditor
@testable import Policy

@Suite struct YAMLScalarWriterTests {
    static let hostile = [
        "plain@contoso.com", "Veeam Backup for Microsoft 365", "", " leading", "trailing ", "a: b", "a #b", "#c", "- x", "-x",
        "[x]", "{x}", "x, y", "&anchor", "*alias", "!tag", "%YAML", "@at", "`tick`", "|", ">", "?", "'single'", "\"double\"",
        "back\\slash", "new\nline", "cr\rreturn", "tab\tbed", "nel\u{85}", "ls\u{2028}", "ps\u{2029}", "nbsp\u{A0}",
        "bom\u{FEFF}", "ctl\u{1}\u{7F}\u{9F}", "emoji 🙂 日本", "null", "~", "true", "No", "off", "y", "1", "0x1F", "1e3",
        ".inf", "2026-01-15", "2026-01-15T10:00:00Z", "<<", "=", "---", "...", "key:\n  nested: 1",
    ]

    @Test func everyValueReadsBackExactlyAsOneScalar() throws {
        for value in Self.hostile {
            let yaml = "key: \(YAMLScalarWriter.scalar(value))\nother: 1\n"
            let node = try #require(try Yams.compose(yaml: yaml), "\(value.debugDescription)")
            let mapping = try #require(node.mapping)
            #expect(mapping.count == 2, "\(value.debugDescription) must not add keys")
            #expect(mapping["key"]?.string == value, "\(value.debugDescription) → \(YAMLScalarWriter.scalar(value))")
            #expect(Resolver.default.resolveTag(of: try #require(mapping["key"])) == .str, "\(value.debugDescription) stays text")
            let flow = "key: \(YAMLScalarWriter.flowList([value, "z"]))\n"
            let list = try #require(try Yams.compose(yaml: flow)?.mapping?["key"]?.sequence)
            #expect(list.map(\.string) == [value, "z"], "\(value.debugDescription) in a flow list")
        }
    }

    @Test func ordinaryNamesStayPlain() {
        #expect(YAMLScalarWriter.scalar("svc-backup@contoso.com") == "svc-backup@contoso.com")
        #expect(YAMLScalarWriter.scalar("Veeam Backup for Microsoft 365") == "Veeam Backup for Microsoft 365")
        #expect(YAMLScalarWriter.scalar("7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6") == "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6")
        #expect(YAMLScalarWriter.scalar("a: b") == "\"a: b\"")
        #expect(YAMLScalarWriter.scalar("new\nline") == "\"new\\nline\"")
        #expect(YAMLScalarWriter.scalar("2026-01-15") == "\"2026-01-15\"")
    }
}
