import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reporting

/// Issue 12 (injection): formulas hidden behind leading whitespace, and characters that draw nothing although they
/// are letters, marks or symbols, so that `admin\u{3164}` could pass for `admin`.
@Suite("Invisible characters and whitespace-led formulas")
struct InvisibleCharacterTests {
    /// Characters that render as nothing (or as a blank) in every font the reports are read with.
    static let invisibles: [Unicode.Scalar] = [
        "\u{3164}", "\u{115F}", "\u{1160}", "\u{FFA0}", "\u{034F}", "\u{2800}", "\u{FE0F}", "\u{FE00}", "\u{E0100}",
        "\u{180B}", "\u{17B4}",
    ]
    /// Whitespace a spreadsheet skips before reading a formula.
    static let leadingSpaces = [" ", "\u{00A0}", "\u{2003}", "\u{3000}", "\u{200B}", "\u{FEFF}", "  \u{3000}"]

    @Test("CSV: a formula after leading whitespace or zero-width characters is neutralised")
    func csvWhitespaceFormula() {
        for space in Self.leadingSpaces {
            for starter in ["=", "+", "-", "@"] {
                let cell = CSVEscaping.field(space + starter + "HYPERLINK(\"http://evil.example\")")
                let parsed = RenderedChecks.parseCSV(cell + "\r\n")[0][0]
                let firstVisible = parsed.unicodeScalars.first { !$0.properties.isWhitespace }
                #expect(firstVisible.map { !RenderedChecks.formulaStarters.contains($0) } ?? true, "\(cell.debugDescription) can start a formula")
            }
        }
        #expect(CSVEscaping.field(" =1+1") == "' =1+1")
        #expect(CSVEscaping.field("\u{00A0}@SUM(A1)") == "'\u{00A0}@SUM(A1)")
        #expect(CSVEscaping.field("\u{200B}=1") == "⟨U+200B⟩=1", "a zero-width space is shown, so nothing hides the formula")
        #expect(CSVEscaping.field(" plain") == " plain")
        #expect(CSVEscaping.field("a-b") == "a-b")
    }

    @Test("every escaper shows invisible letters, marks and fillers as markers")
    func escapersShowInvisibles() {
        for scalar in Self.invisibles {
            let name = "admin" + String(scalar)
            let marker = DisplayText.marker(for: scalar)
            #expect(DisplayText.isHidden(scalar), "\(marker) is hidden")
            #expect(DisplayText.visible(name) == "admin" + marker)
            #expect(HTMLEscaping.escape(name) == "admin" + marker)
            #expect(MarkdownEscaping.escape(name).replacingOccurrences(of: "\\", with: "") == "admin" + marker)
            #expect(CSVEscaping.field(name) == "admin" + marker)
            #expect(PowerShellQuoting.commentText(name) == "admin" + marker)
            #expect(!PowerShellQuoting.isSafeOnOneLine(name), "a look-alike name is never put in a command")
        }
        #expect(DisplayText.visible("Müller ☃ 日本") == "Müller ☃ 日本", "visible non-ASCII text is untouched")
        #expect(CSVEscaping.field("line\r\nbreak") == "\"line\r\nbreak\"", "CSV keeps line breaks inside quotes")
    }

    @Test("a look-alike account name is marked in the HTML, Markdown, CSV and remediation outputs of a report")
    func reportsMarkLookAlikes() throws {
        var inputs = ReportSamples.inputs()
        let lookAlike = "svc-backup@contoso.com\u{3164}"
        inputs.inventory.accounts.append(
            ReportSamples.account(
                lookAlike, bypassed: true, since: "2026-10-20T10:00:00Z", setBy: ReportSamples.attacker,
                changes: [ReportSamples.change("evt-lookalike", "2026-10-20T10:00:00Z", actor: ReportSamples.attacker, identity: lookAlike, kind: .enabled)]))
        let report = ReportBuilder.build(inputs)
        let marked = "svc-backup@contoso.com⟨U+3164⟩"
        let outputs = [
            ("HTML", HTMLReportRenderer.render(report)),
            ("Markdown", MarkdownReportRenderer.render(report).replacingOccurrences(of: "\\", with: "")),
            ("CSV", CSVReportRenderer.inventory(report)),
        ]
        for (format, text) in outputs {
            #expect(!text.contains("\u{3164}"), "\(format) shows U+3164 raw")
            #expect(text.contains(marked), "\(format) does not mark the look-alike")
        }
        let json = try JSONReportRenderer.render(report)
        #expect(json.contains("\u{3164}") || json.contains("\\u3164"), "JSON keeps the exact value for machines")
    }
}
