import Foundation

/// `README.txt`: what a person who is handed the folder (an auditor, often on Windows, without the tool) needs
/// first: which file to open, how to check that no file changed since it was written, and what the published chain
/// head lets them prove later. Plain ASCII with CRLF line ends, so any editor on any system shows it as written; it
/// is listed in `SHA256SUMS` like every other file.
public enum FolderReadmeRenderer {
    public static let fileName = "README.txt"

    /// The README of a folder holding `files` (the names of every other file written, `SHA256SUMS` included).
    public static func render(_ report: Report, files: [String]) -> String {
        let present = Set(files)
        let open = [
            (HTMLReportRenderer.fileName, "in a web browser: one self-contained page, nothing is fetched from the network"),
            (MarkdownReportRenderer.fileName, "in any text editor or Markdown viewer"),
            (JSONReportRenderer.fileName, "with a JSON viewer"),
        ].first { present.contains($0.0) }
        let descriptions: [(String, String)] = [
            (HTMLReportRenderer.fileName, "the report, for people"),
            (MarkdownReportRenderer.fileName, "the same report as Markdown (for a repository, ticket or e-mail)"),
            (JSONReportRenderer.fileName, "the same report for programs"),
            (CSVReportRenderer.inventoryFileName, "every account with a bypass at the end of the period (opens in Excel)"),
            (CSVReportRenderer.findingsFileName, "every finding with all of its evidence"),
            (CSVReportRenderer.changesFileName, "every bypass change and failed attempt of the period"),
            (CSVReportRenderer.alertsFileName, "every alert of the period, with its triage"),
            (RemediationScriptRenderer.fileName, "PowerShell that removes the bypasses without a valid exception; read its header first"),
            (ManifestRenderer.fileName, "the SHA-256 of every other file"),
        ].filter { present.contains($0.0) }
        let width = (descriptions.map(\.0.count).max() ?? 0) + 2
        let head = report.provenance.chainHead
        let label = report.periodLabel
        var lines = [
            "Mailbox audit bypass report \(report.id)",
            "Period \(label), revision \(report.revision), generated \(ReportFormatting.time(report.generatedAt)) (UTC) by bypass-auditor.",
            "",
            "WHICH FILE TO OPEN",
        ]
        if let open {
            lines.append("  Open \(open.0) \(open.1).")
        } else {
            lines.append("  This folder holds the CSV tables only: open them in a spreadsheet.")
        }
        lines.append("")
        lines += descriptions.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + $0.1 }
        lines += [
            "",
            "CHECK THAT NO FILE CHANGED SINCE THE REPORT WAS WRITTEN",
            "  SHA256SUMS lists the SHA-256 of every other file in this folder (this README included).",
            "  Linux, in this folder:",
            "    sha256sum -c SHA256SUMS",
            "  macOS, in this folder:",
            "    shasum -a 256 -c SHA256SUMS",
            "  Every line must end in OK.",
            "  Windows PowerShell, in this folder:",
            "    Get-Content SHA256SUMS | ForEach-Object { $h, $f = $_ -split '  ', 2; if ((Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash -eq $h) { \"OK      $f\" } else { \"FAILED  $f\" } }",
            "  Every line must start with OK (Get-FileHash prints upper-case hex; -eq ignores case).",
            "",
            "  SHA256SUMS itself is pinned by its own SHA-256, the \"manifest digest\". bypass-auditor printed it when it",
            "  wrote this folder and keeps it (bypass-auditor report list). Compute it with",
            "    sha256sum SHA256SUMS                                (Linux)",
            "    Get-FileHash -Algorithm SHA256 SHA256SUMS           (Windows PowerShell)",
            "  and compare it with the value recorded when the report was handed over: equal digests, and every line",
            "  OK above, mean this folder is exactly what was written.",
            "",
            "WHAT THE CHAIN HEAD PROVES",
            "  History hash chain head of the audit database when this report was made:",
            "    \(head)",
            "  Run later, against the tool's database:",
            "    bypass-auditor verify --expect-head \(head)",
            "  It succeeds only if that database still holds, unchanged and in order, every record the chain covered",
            "  when this report was made (bypass changes, snapshot rows, register versions and edits); records added",
            "  since are normal. So the history this report rests on has not been edited or deleted since. It does",
            "  not prove the audit logs were complete: the report's coverage section says which days had no data,",
            "  and verify lists what the chain does not cover.",
            "",
            "OTHER REVISIONS",
            "  A rerun for the same period never changes this folder: it writes \(label).r2, \(label).r3... beside it.",
            "  A revision withdrawn with report --force is kept, unchanged, in \(label).replaced/.",
        ]
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
