import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reporting

@Suite("Report escaping helpers")
struct EscapingTests {
    @Test("hidden characters become visible markers; ordinary text is untouched")
    func displayText() {
        #expect(DisplayText.visible("svc-backup@contoso.com") == "svc-backup@contoso.com")
        #expect(DisplayText.visible("Müller") == "Müller")
        #expect(DisplayText.visible("a\nb") == "a⟨U+000A⟩b")
        #expect(DisplayText.visible("admin\u{202E}gpj.exe") == "admin⟨U+202E⟩gpj.exe")
        #expect(DisplayText.visible("x\u{200B}y\u{2028}z\u{0085}") == "x⟨U+200B⟩y⟨U+2028⟩z⟨U+0085⟩")
        #expect(DisplayText.visible("tab\there") == "tab⟨U+0009⟩here")
        #expect(!DisplayText.containsHidden("plain name"))
        #expect(DisplayText.containsHidden("bad\u{2066}name"))
    }

    @Test("HTML escaping makes markup inert in text and attributes")
    func html() {
        #expect(HTMLEscaping.escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;")
        #expect(HTMLEscaping.escape("\"'&") == "&quot;&#39;&amp;")
        #expect(HTMLEscaping.escape("&lt;") == "&amp;lt;", "an entity in the data is shown, not decoded")
        #expect(HTMLEscaping.escape("a\nb") == "a⟨U+000A⟩b")
    }

    @Test("Markdown escaping: no markup, no link, no HTML, no table break")
    func markdown() {
        #expect(MarkdownEscaping.escape("`|](") == "\\`\\|\\]\\(")
        #expect(MarkdownEscaping.escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;")
        #expect(MarkdownEscaping.escape("[click](https://evil.example)") == "\\[click\\]\\(https\\://evil.example)")
        #expect(MarkdownEscaping.escape("- item") == "\\- item")
        #expect(MarkdownEscaping.escape("# heading") == "\\# heading")
        #expect(MarkdownEscaping.escape("2026. list") == "2026\\. list")
        #expect(MarkdownEscaping.escape("===") == "\\===")
        #expect(MarkdownEscaping.escape("!\\[x]") == "!\\\\\\[x\\]")
        #expect(MarkdownEscaping.escape("www.evil.example") == "www\\.evil.example")
        #expect(MarkdownEscaping.escape("*bold* _it_ ~~s~~ $x$") == "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\$x\\$")
        #expect(MarkdownEscaping.escape("a\r\nb|c").contains("\n") == false)
        #expect(MarkdownEscaping.escape("svc-backup@contoso.com") == "svc-backup@contoso.com")
        // Only what Markdown interprets: prose keeps its colons, parentheses, braces, `#`, `+` and `!` as written.
        #expect(MarkdownEscaping.escape("Note: enabled (by admin) at 10:00, see {x} #3 a+b!") == "Note: enabled (by admin) at 10:00, see {x} #3 a+b!")
        #expect(MarkdownEscaping.code("AB-0001") == "`AB-0001`")
        #expect(MarkdownEscaping.code("a`b") == "a\\`b", "a backtick falls back to escaped text")
    }

    @Test("CSV fields: RFC 4180 quoting and no formula can start a cell")
    func csv() {
        #expect(CSVEscaping.field("plain") == "plain")
        #expect(CSVEscaping.field("a,b") == "\"a,b\"")
        #expect(CSVEscaping.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVEscaping.field("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVEscaping.field("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
        #expect(CSVEscaping.field("+1") == "'+1")
        #expect(CSVEscaping.field("-2") == "'-2")
        #expect(CSVEscaping.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVEscaping.field("\tx") == "'\tx")
        #expect(CSVEscaping.field("\rx") == "\"'\rx\"")
        #expect(CSVEscaping.field("＝1+1") == "'＝1+1")
        #expect(CSVEscaping.record(["a", "b"]) == "a,b\r\n")
    }

    @Test("PowerShell: single quotes of every kind doubled inside a verbatim string")
    func powershell() {
        #expect(PowerShellQuoting.singleQuoted("svc-backup") == "'svc-backup'")
        #expect(PowerShellQuoting.singleQuoted("'; Remove-Mailbox -Identity x; '") == "'''; Remove-Mailbox -Identity x; '''")
        #expect(PowerShellQuoting.singleQuoted("O’Brien") == "'O’’Brien'")
        #expect(PowerShellQuoting.singleQuoted("\u{2018}\u{201A}\u{201B}") == "'\u{2018}\u{2018}\u{201A}\u{201A}\u{201B}\u{201B}'")
        #expect(PowerShellQuoting.singleQuoted("$(Remove-Mailbox x) `n") == "'$(Remove-Mailbox x) `n'", "no expansion in verbatim strings")
        #expect(!PowerShellQuoting.isSafeOnOneLine("a\nb"))
        #expect(!PowerShellQuoting.isSafeOnOneLine("a\u{202E}b"))
        #expect(PowerShellQuoting.isSafeOnOneLine("Müller, Jörg"))
        #expect(PowerShellQuoting.commentText("x\r\nSet-Mailbox y").contains("\n") == false)
    }
}

@Suite("Report time formatting")
struct ReportFormattingTests {
    @Test("the fast formatter writes exactly what UTCTimestamp.format writes")
    func matchesUTCTimestamp() {
        var dates = [
            Date(timeIntervalSince1970: 0), ReportSamples.asOf, ReportSamples.time("2026-02-28T23:59:59.999Z"),
            ReportSamples.time("2024-02-29T12:00:00.5Z"), ReportSamples.time("1969-12-31T23:59:59.001Z"), ReportSamples.time("9999-12-31T23:59:59Z"),
        ]
        var seed: UInt64 = 0x5EED
        for _ in 0..<2_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            dates.append(Date(timeIntervalSince1970: Double(seed % 4_000_000_000_000) / 1000))
        }
        for date in dates {
            #expect(ReportFormatting.time(date) == UTCTimestamp.format(date))
            let full = UTCTimestamp.format(date)
            #expect(ReportFormatting.shortTime(date) == String(full.prefix(10)) + " " + String(full.dropFirst(11).prefix(5)) + " UTC")
        }
    }

    @Test("durations read naturally")
    func durations() {
        #expect(ReportFormatting.duration(seconds: 30) == "under 1 min")
        #expect(ReportFormatting.duration(seconds: 45 * 60) == "45 min")
        #expect(ReportFormatting.duration(seconds: 3 * 3600 + 5 * 60) == "3 h 5 min")
        #expect(ReportFormatting.duration(seconds: 2 * 86_400) == "2 d")
        #expect(ReportFormatting.duration(seconds: 12 * 86_400 + 4 * 3600 + 59) == "12 d 4 h")
    }
}
