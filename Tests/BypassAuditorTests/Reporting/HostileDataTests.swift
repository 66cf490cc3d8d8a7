import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reporting

/// Attacker-written text through every renderer: HTML stays inert, Markdown tables and links stay intact,
/// PowerShell quotes every name, CSV cells cannot start a formula, JSON keeps the data exactly.
@Suite("Hostile data in every format")
struct HostileDataTests {
    let report = HostileSamples.report

    @Test("HTML: only the renderer's own elements and attributes, no script, no handler, nothing fetched")
    func htmlInert() throws {
        let html = HTMLReportRenderer.render(report)
        let tags = RenderedChecks.tags(in: html)
        let elements = Set(tags.map(\.name))
        #expect(elements.isSubset(of: RenderedChecks.allowedElements), "unexpected elements: \(elements.subtracting(RenderedChecks.allowedElements))")
        for tag in tags {
            for attribute in tag.attributes {
                #expect(RenderedChecks.allowedAttributes.contains(attribute.name), "attribute \(attribute.name) on <\(tag.name)>")
                #expect(!attribute.name.hasPrefix("on"))
                if attribute.name == "href" {
                    #expect(attribute.value.hasPrefix("#") || attribute.value.hasPrefix("https://"), "link \(attribute.value)")
                }
            }
        }
        for name in HostileSamples.names where name.contains("<") || name.contains("\n") || name.contains("\u{202E}") {
            #expect(!html.contains(name), "raw \(name.debugDescription) in the HTML")
        }
        #expect(!html.contains("\u{202E}"), "a right-to-left override must be shown as a marker, never applied")
        #expect(html.contains("admin⟨U+202E⟩gpj.exe"))
        #expect(html.contains("evil⟨U+000A⟩Set-Mailbox"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&amp;lt;b&amp;gt;entity"), "entities in the data are shown, not decoded")
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("url("))
        // Ids are unique and every fragment link resolves, hostile names notwithstanding.
        let ids = RenderedChecks.ids(in: html)
        #expect(Set(ids).count == ids.count)
        #expect(Set(RenderedChecks.fragmentLinks(in: html)).isSubset(of: Set(ids)))
    }

    @Test("Markdown: every table keeps its column count, no link or HTML comes from the data")
    func markdownIntact() throws {
        let full = MarkdownReportRenderer.render(report)
        // Inside a fenced block nothing is markup; the fence itself must hold (checked below), the rest outside.
        let (markdown, blocks) = RenderedChecks.splitCodeBlocks(full)
        #expect(blocks.count == 1, "the remediation plan")
        for block in blocks {
            #expect(!block.dropFirst().dropLast().contains { $0.hasPrefix("```") }, "a line closes the fence early")
            #expect(!block.contains { $0.contains("\u{202E}") })
        }
        let tables = RenderedChecks.markdownTables(markdown)
        #expect(tables.count > 5)
        for table in tables {
            let columns = RenderedChecks.unescapedPipes(in: table[0])
            for line in table {
                #expect(RenderedChecks.unescapedPipes(in: line) == columns, "row changes the column count: \(line)")
            }
        }
        for target in RenderedChecks.markdownLinkTargets(markdown) {
            #expect(target.hasPrefix("#"), "a link the data made: \(target)")
            #expect(target.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        }
        // Raw `<` only in our own anchors and autolinks.
        var rest = Substring(markdown)
        while let position = rest.firstIndex(of: "<") {
            let after = rest[position...]
            #expect(after.hasPrefix("<a id=\"") || after.hasPrefix("</a>") || after.hasPrefix("<https://"), "raw < at \(after.prefix(40))")
            rest = rest[rest.index(after: position)...]
        }
        #expect(!markdown.contains("\u{202E}"))
        #expect(!markdown.contains("evil\nSet-Mailbox"))
        #expect(markdown.contains("\\`\\|\\]\\("))
        #expect(!markdown.contains("[link](javascript"))
    }

    @Test("PowerShell: each line quotes exactly its account, approved accounts are absent, hidden characters never reach a command")
    func powershellQuoting() throws {
        let script = RemediationScriptRenderer.render(report)
        let lines = script.components(separatedBy: "\n")
        let commands = lines.filter { !$0.hasPrefix("#") && !$0.hasPrefix("\u{FEFF}#") && !$0.isEmpty }
        var identities: [String] = []
        for line in commands {
            let identity = try #require(RenderedChecks.identity(inRemediationLine: line), "a line PowerShell would read differently: \(line)")
            identities.append(identity)
        }
        for (index, name) in HostileSamples.names.enumerated() {
            if PowerShellQuoting.isSafeOnOneLine(name) {
                #expect(identities.contains(name), "\(name) is removed by name")
            } else if let guid = HostileSamples.guid(for: index) {
                #expect(identities.contains(guid), "\(name.debugDescription) is removed by GUID")
            } else {
                #expect(lines.contains { $0.hasPrefix("# MANUAL: ") && $0.contains(DisplayText.visible(name)) }, "\(name.debugDescription) is left to a person")
            }
        }
        #expect(!script.contains(HostileSamples.approvedName), "the approved account is never in the plan")
        #expect(lines.contains { $0.hasPrefix("Set-MailboxAuditBypassAssociation -Identity '''; Remove-Mailbox -Identity x; ''' -AuditBypassEnabled $false  # ") })
        #expect(!script.contains("\u{202E}"))
        for line in lines where line.hasPrefix("#") {
            #expect(!line.contains("\r"))
        }
    }

    @Test("CSV: same field count in every record, no cell starts a formula, values otherwise kept")
    func csvFormulaSafe() throws {
        for (text, columns) in [
            (CSVReportRenderer.inventory(report), CSVReportRenderer.inventoryColumns),
            (CSVReportRenderer.findings(report), CSVReportRenderer.findingColumns),
        ] {
            let records = RenderedChecks.parseCSV(text)
            #expect(records.first == columns)
            #expect(records.count > 10)
            for record in records {
                #expect(record.count == columns.count)
                for cell in record {
                    if let first = cell.unicodeScalars.first { #expect(!RenderedChecks.formulaStarters.contains(first), "cell starts a formula: \(cell)") }
                }
            }
        }
        let inventory = RenderedChecks.parseCSV(CSVReportRenderer.inventory(report))
        let displayNames = inventory.dropFirst().map { $0[1] }
        #expect(displayNames.contains("'=cmd|' /C calc'!A0"))
        #expect(displayNames.contains("line\r\nbreak"), "CSV keeps the data; quoting keeps the record whole")
        #expect(displayNames.contains("'" + HostileSamples.approvedName))
    }

    @Test("JSON keeps every hostile value exactly")
    func jsonFaithful() throws {
        let json = try JSONReportRenderer.render(report)
        let decoded = try JSONCoding.decoder().decode(Report.self, from: Data(json.utf8))
        #expect(try JSONReportRenderer.render(decoded) == json, "the documented schema round-trips")
        #expect(Set(decoded.inventory.map(\.displayName)) == Set(HostileSamples.names + [HostileSamples.approvedName]))
    }
}
