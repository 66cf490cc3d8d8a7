import Core
import Foundation

/// A report folder opened before the report is complete, with the files that need only part of it already being
/// written on another thread: `alerts.csv`, from the alert rows, while the rest of the report is built.
///
/// At scale a month holds 200,000 alerts, and writing their table was a third of one of the two lanes the folder is
/// written in (`ReportWriter`), while the builder ran on one core with the other idle. The rows written here are the
/// report's own (`ReportBuilder.build(_:alerts:checklists:)` takes the same value), so the table is the one the
/// finished report would render; `ReportWriter.render(_:formats:into:limits:renderedAhead:)` writes the rest of the
/// folder beside it.
public final class RenderedAhead: Sendable {
    /// The temporary folder (`ReportFolders.stagingFolder`) the files are written into.
    public let folder: URL
    /// Names of the files written here.
    public let fileNames: Set<String>
    private let digests: HandOver<[String: String]>

    /// Creates `folder` (its parent too when needed) and starts writing the alerts table there when `formats` has
    /// CSV. `folder` must not exist.
    public init(alerts: ReportAlerts, formats: Set<ReportFormat>, into folder: URL) throws {
        try ReportWriter.createFolder(folder)
        self.folder = folder
        let digests = HandOver<[String: String]>()
        self.digests = digests
        guard formats.contains(.csv) else {
            fileNames = []
            digests.give(.success([:]))
            return
        }
        let name = CSVReportRenderer.alertsFileName
        fileNames = [name]
        DispatchQueue.global(qos: .userInitiated).async {
            digests.give(Result {
                var sink = try ReportFileSink(creating: folder.appendingPathComponent(name))
                CSVReportRenderer.alerts(alerts, to: &sink)
                return [name: try sink.finish()]
            })
        }
    }

    /// Waits for the files and returns each one's SHA-256 by name; throws what stopped one being written.
    func waitForDigests() throws -> [String: String] {
        try digests.receive()
    }

    /// Waits for the files, then removes the folder: for a run that stops before its folder is published.
    public func discard() {
        _ = try? digests.receive()
        try? FileManager.default.removeItem(at: folder)
    }
}
