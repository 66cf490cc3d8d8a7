import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reporting

/// A report folder whose alerts table was written before the rest of the report was built (`RenderedAhead`) is the
/// folder the finished report renders in one go, file for file and byte for byte.
@Suite("Report folders: the alerts table written ahead")
struct RenderedAheadTests {
    private func contents(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }

    @Test("the same files and digests as a folder rendered in one go, for every set of formats", arguments: [
        Set(ReportFormat.allCases), [.csv], [.json, .markdown], [.html],
    ])
    func sameFolder(formats: Set<ReportFormat>) throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let alerts = ReportBuilder.alertRows(ReportSamples.alerts)
        #expect(alerts.items.count == ReportSamples.alerts.count && !alerts.items.isEmpty)
        let changes = ReportBuilder.changeRows(ReportSamples.inputs())
        #expect(!changes.isEmpty)
        let report = ReportBuilder.build(ReportSamples.inputs(), alerts: alerts, changes: changes)
        #expect(report == ReportSamples.report, "building with the rows made first is building from the facts")

        let whole = out.appendingPathComponent("whole")
        let inOneGo = try ReportWriter.render(report, formats: formats, into: whole)
        let ahead = try RenderedAhead(formats: formats, into: out.appendingPathComponent("ahead"))
        let madeAhead = ahead.writeChanges { ReportBuilder.changeRows(ReportSamples.inputs()) }
        ahead.write(alerts: alerts)
        #expect(try madeAhead.receive() == changes)
        #expect(
            ahead.fileNames
                == (formats.contains(.csv) ? [CSVReportRenderer.alertsFileName, CSVReportRenderer.changesFileName] : []))
        let split = try ReportWriter.render(report, formats: formats, into: ahead.folder, renderedAhead: ahead)

        #expect(split.digests == inOneGo.digests)
        #expect(split.manifestDigest == inOneGo.manifestDigest)
        #expect(try contents(of: ahead.folder) == (try contents(of: whole)))
    }

    @Test("a folder that exists is refused; discard waits for the table and removes the folder")
    func refusesAndDiscards() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let ahead = try RenderedAhead(formats: [.csv], into: out.appendingPathComponent("staging"))
        ahead.write(alerts: ReportBuilder.alertRows(ReportSamples.alerts))
        #expect(throws: ReportWriteError.self) { _ = try RenderedAhead(formats: [.csv], into: ahead.folder) }
        ahead.discard()
        #expect(!FileManager.default.fileExists(atPath: ahead.folder.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test("publishing over an existing revision folder removes the folder written ahead")
    func publishRefusalCleansUp() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = ReportSamples.report
        let destination = try ReportDestination.plan(outputDirectory: out, label: report.periodLabel, force: false)
        _ = try ReportWriter.write(report, formats: [.csv], to: destination)
        let ahead = try RenderedAhead(formats: [.csv], into: ReportFolders.stagingFolder(for: destination.folder))
        ahead.write(alerts: report.alerts)
        let database = try AuditDatabase(path: out.appendingPathComponent("audit.sqlite").path)
        #expect(throws: ReportWriteError.folderExists(destination.folder.path)) {
            _ = try ReportPublisher.publish(
                report, formats: [.csv], to: destination, folder: destination.folder.path,
                attribution: .init(reason: nil, madeBy: nil), database: database, clock: ReportSamples.generatedAt,
                renderedAhead: ahead)
        }
        #expect(!FileManager.default.fileExists(atPath: ahead.folder.path), "no temporary folder is left behind")
    }
}
