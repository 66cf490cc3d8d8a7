import Core
import Foundation

/// A report folder opened before the report is complete, with the tables that need only part of it written there on
/// another thread while the rest is judged and built: `changes.csv` from the change rows (made there too), `alerts.csv`
/// from the alert rows.
///
/// At scale a month holds 200,000 alerts and as many changes; writing their tables was most of one of the two lanes
/// the folder is written in (`ReportWriter`), while the builder ran on one core with the other idle. The rows
/// written here are the report's own (`ReportBuilder.build(_:alerts:changes:checklists:)` takes the same values), so
/// each table is the one the finished report would render; `ReportWriter.render(_:formats:into:limits:renderedAhead:)`
/// writes the rest of the folder beside them.
public final class RenderedAhead: @unchecked Sendable {
    /// The temporary folder (`ReportFolders.stagingFolder`) the tables are written into.
    public let folder: URL
    private let formats: Set<ReportFormat>
    /// One table after another: the other core is the only one spare.
    private let queue = DispatchQueue(label: "bypass-auditor.report.rendered-ahead", qos: .userInitiated)
    private let lock = NSLock()
    private var started: [(name: String, digest: HandOver<String>)] = []

    /// Creates `folder` (its parent too when needed), which must not exist. Tables are written only when `formats`
    /// has CSV.
    public init(formats: Set<ReportFormat>, into folder: URL) throws {
        try ReportWriter.createFolder(folder)
        self.folder = folder
        self.formats = formats
    }

    /// Starts writing `alerts.csv` from the report's alert rows.
    public func write(alerts: ReportAlerts) {
        start(CSVReportRenderer.alertsFileName) { CSVReportRenderer.alerts(alerts, to: &$0) }
    }

    /// Makes the report's change rows with `make` on this folder's thread, then writes `changes.csv` from them
    /// there: the rows need nothing drift judged, so they are made while drift judges. Returns where the rows are
    /// handed over, for the report to be built with.
    public func writeChanges(madeBy make: @escaping @Sendable () -> [ReportChange]) -> HandOver<[ReportChange]> {
        let rows = HandOver<[ReportChange]>()
        queue.async { rows.give(.success(make())) }
        start(CSVReportRenderer.changesFileName) { sink in
            // Given before this runs (the queue is serial), and never an error.
            guard let changes = try? rows.receive() else { return }
            CSVReportRenderer.changes(changes, to: &sink)
        }
        return rows
    }

    /// Names of the files written here.
    var fileNames: Set<String> {
        lock.withLock { Set(started.map(\.name)) }
    }

    private func start(_ name: String, _ render: @escaping @Sendable (inout ReportFileSink) -> Void) {
        guard formats.contains(.csv) else { return }
        let digest = HandOver<String>()
        lock.withLock { started.append((name, digest)) }
        let path = folder.appendingPathComponent(name)
        queue.async {
            digest.give(Result {
                var sink = try ReportFileSink(creating: path)
                render(&sink)
                return try sink.finish()
            })
        }
    }

    /// Waits for the tables and returns each one's SHA-256 by name; throws what stopped the first one (in the order
    /// they were started) being written.
    func waitForDigests() throws -> [String: String] {
        var digests: [String: String] = [:]
        for (name, digest) in lock.withLock({ started }) { digests[name] = try digest.receive() }
        return digests
    }

    /// Waits for the tables, then removes the folder: for a run that stops before its folder is published.
    public func discard() {
        for (_, digest) in lock.withLock({ started }) { _ = try? digest.receive() }
        try? FileManager.default.removeItem(at: folder)
    }
}
