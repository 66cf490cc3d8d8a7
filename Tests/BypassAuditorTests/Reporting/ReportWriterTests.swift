import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reporting

@Suite("Report folders")
struct ReportWriterTests {
    let report = ReportSamples.report

    private func files(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    private func contents(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try files(in: folder) { result[name] = try Data(contentsOf: folder.appendingPathComponent(name)) }
        return result
    }

    @Test("writes every format, the remediation script and a manifest into <out>/<period>/, leaving no temporary folder")
    func writesFolder() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let destination = try ReportDestination.plan(outputDirectory: out, label: report.periodLabel, force: false)
        #expect(destination.revision == 1)
        #expect(destination.folder.lastPathComponent == "2026-10")
        let written = try ReportWriter.write(report, formats: Set(ReportFormat.allCases), to: destination)
        #expect(try files(in: destination.folder) == [
            "README.txt", "SHA256SUMS", "alerts.csv", "changes.csv", "findings.csv", "inventory.csv", "remediation.ps1", "report.html",
            "report.json", "report.md",
        ])
        #expect(written.fileNames.sorted() == (try files(in: destination.folder)))
        #expect(try files(in: out) == ["2026-10"], "the temporary folder was renamed, not left behind")
    }

    @Test("SHA256SUMS lists every other file and verifies with sha256sum -c")
    func manifestVerifies() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let destination = try ReportDestination.plan(outputDirectory: out, label: report.periodLabel, force: false)
        _ = try ReportWriter.write(report, formats: Set(ReportFormat.allCases), to: destination)
        let manifest = try String(contentsOf: destination.folder.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        let lines = manifest.split(separator: "\n")
        #expect(lines.count == 9, "every file but SHA256SUMS, README.txt included")
        #expect(lines.contains { $0.hasSuffix("  README.txt") })
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 1)
            let name = String(parts[1].dropFirst())
            #expect(try SHA256Digest.hex(ofFile: destination.folder.appendingPathComponent(name).path) == String(parts[0]))
        }
        let sha256sum = ["/usr/bin/sha256sum", "/bin/sha256sum"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let tool = try #require(sha256sum, "coreutils sha256sum is part of every supported system")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-c", "--strict", "SHA256SUMS"]
        process.currentDirectoryURL = destination.folder
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // Any later change to a file is caught.
        try Data("tampered".utf8).write(to: destination.folder.appendingPathComponent("report.md"))
        let again = Process()
        again.executableURL = URL(fileURLWithPath: tool)
        again.arguments = ["-c", "--strict", "--quiet", "SHA256SUMS"]
        again.currentDirectoryURL = destination.folder
        again.standardOutput = Pipe()
        again.standardError = Pipe()
        try again.run()
        again.waitUntilExit()
        #expect(again.terminationStatus != 0)
    }

    @Test("a rerun never overwrites: it writes the next revision beside the first, which stays byte for byte")
    func rerunAddsRevision() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: false)
        _ = try ReportWriter.write(report, formats: [.json, .html], to: first)
        let before = try contents(of: first.folder)

        let second = try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: false)
        #expect(second.revision == 2)
        #expect(second.folder.lastPathComponent == "2026-10.r2")
        let rerun = ReportBuilder.build(ReportSamples.inputs(revision: second.revision))
        _ = try ReportWriter.write(rerun, formats: [.json, .html], to: second)
        #expect(try contents(of: first.folder) == before)
        #expect(try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: false).folder.lastPathComponent == "2026-10.r3")
        #expect(try files(in: out) == ["2026-10", "2026-10.r2"])

        // A stale plan (someone wrote the folder meanwhile) fails instead of overwriting.
        #expect(throws: ReportWriteError.folderExists(second.folder.path)) {
            try ReportWriter.write(rerun, formats: [.json], to: second)
        }
    }

    @Test("--force plans the next revision and withdraws the latest, to be kept in <period>.replaced/r<N>; revisions kept aside are never reused")
    func forcePlansNextRevision() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: true).replaces == nil, "nothing to replace yet")
        _ = try ReportWriter.write(report, formats: [.json], to: try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: false))
        let second = try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: false)
        _ = try ReportWriter.write(report, formats: [.json], to: second)

        let forced = try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: true)
        #expect(forced.revision == 3)
        #expect(forced.folder.lastPathComponent == "2026-10.r3")
        #expect(forced.replaces?.revision == 2)
        #expect(forced.replaces?.folder.path == second.folder.path)
        #expect(forced.replaces?.aside.path == out.appendingPathComponent("2026-10.replaced/r2").path)

        // Once r2 is kept aside and r3 is gone (say, deleted by hand), the next revision is still 3 at least.
        try FileManager.default.createDirectory(at: out.appendingPathComponent("2026-10.replaced"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: second.folder, to: out.appendingPathComponent("2026-10.replaced/r2"))
        #expect(try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: false).revision == 3)
        #expect(try ReportDestination.plan(outputDirectory: out, label: "2026-10", force: false, recordedRevision: 7).revision == 8)
        #expect(
            ReportDestination.asideFolder(outputDirectory: out, label: "2026-10", kind: .replaced, revision: 2).lastPathComponent == "r2-2",
            "a name already taken is never reused")
    }

    @Test("folder names: the first revision is the period label, then .r2, .r3…; nothing else counts")
    func folderNames() {
        #expect(ReportDestination.folderName(label: "2026-10", revision: 1) == "2026-10")
        #expect(ReportDestination.folderName(label: "2026-10", revision: 4) == "2026-10.r4")
        #expect(ReportDestination.revision(ofFolder: "2026-10", label: "2026-10") == 1)
        #expect(ReportDestination.revision(ofFolder: "2026-10.r12", label: "2026-10") == 12)
        #expect(ReportDestination.revision(ofFolder: "2026-10.r1", label: "2026-10") == nil)
        #expect(ReportDestination.revision(ofFolder: "2026-10.r02", label: "2026-10") == nil)
        #expect(ReportDestination.revision(ofFolder: "2026-10.rx", label: "2026-10") == nil)
        #expect(ReportDestination.revision(ofFolder: "2026-11", label: "2026-10") == nil)
        #expect(ReportDestination.revision(ofFolder: ".2026-10.tmp-1", label: "2026-10") == nil)
    }

    @Test("--format parsing")
    func formats() throws {
        #expect(try ReportFormat.parseList("md,html,json,csv") == Set(ReportFormat.allCases))
        #expect(try ReportFormat.parseList(" JSON , markdown ") == [.json, .markdown])
        #expect(throws: ReportWriteError.unknownFormat("pdf")) { try ReportFormat.parseList("html,pdf") }
        #expect(throws: ReportWriteError.self) { try ReportFormat.parseList("") }
    }

    @Test("remediation.ps1 starts with a UTF-8 BOM (Windows PowerShell 5.1 reads BOM-less scripts as ANSI) and -WhatIf guidance")
    func scriptHeader() {
        let script = RemediationScriptRenderer.render(report)
        #expect(Array(script.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(script.contains("-WhatIf"))
        #expect(script.contains("$PSDefaultParameterValues['Set-MailboxAuditBypassAssociation:WhatIf'] = $true"))
        #expect(script.contains("# 2 bypasses to remove:"))
    }

    @Test("every CSV file starts with a UTF-8 BOM, then the header row (Excel reads BOM-less CSV as ANSI)")
    func csvByteOrderMark() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let destination = try ReportDestination.plan(outputDirectory: out, label: report.periodLabel, force: false)
        _ = try ReportWriter.write(report, formats: [.csv], to: destination)
        let headers = [
            "inventory.csv": CSVReportRenderer.inventoryColumns, "findings.csv": CSVReportRenderer.findingColumns,
            "changes.csv": CSVReportRenderer.changeColumns, "alerts.csv": CSVReportRenderer.alertColumns,
        ]
        for (name, columns) in headers {
            let bytes = try Data(contentsOf: destination.folder.appendingPathComponent(name))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name)")
            #expect(bytes.dropFirst(3).starts(with: Data((columns.joined(separator: ",") + "\r\n").utf8)), "\(name)")
            #expect(RenderedChecks.parseCSV(String(decoding: bytes, as: UTF8.self)).first == columns, "\(name)")
        }
    }

    @Test("README.txt: the file to open, the folder's files, sha256sum -c and Get-FileHash, and verify --expect-head with this report's head")
    func folderReadme() throws {
        let readme = FolderReadmeRenderer.render(report, files: ["report.md", "report.json", "remediation.ps1", "README.txt", "SHA256SUMS"])
        #expect(readme.contains("Open report.md "), "no HTML written: the Markdown is the one to open")
        #expect(!readme.contains("report.html"))
        #expect(readme.contains("sha256sum -c SHA256SUMS"))
        #expect(readme.contains("Get-FileHash -Algorithm SHA256 -LiteralPath $f"))
        #expect(readme.contains("bypass-auditor verify --expect-head \(report.provenance.chainHead)"))
        #expect(readme.contains(report.id))
        #expect(readme.unicodeScalars.allSatisfy { $0.isASCII }, "plain ASCII: any editor shows it as written")
        #expect(!readme.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line ends throughout")
        let withHTML = FolderReadmeRenderer.render(report, files: ["report.html", "report.md", "README.txt", "SHA256SUMS"])
        #expect(withHTML.contains("Open report.html in a web browser"))
    }
}
