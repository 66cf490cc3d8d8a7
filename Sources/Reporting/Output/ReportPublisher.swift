import Core
import Foundation
import GRDB
import Store

/// Puts a report folder in place and records it, so that a kill at any moment leaves something the next run can
/// finish, and a period always keeps a complete report on disk:
///
/// 1. render every file into a hidden temporary folder (killed here: the next run removes the folder);
/// 2. store the run as `pending`, with the SHA-256 of its `SHA256SUMS` and both folder paths;
/// 3. rename the temporary folder to its revision folder;
/// 4. with `--force`, move the withdrawn revision's folder (whole) to `<period>.replaced/r<N>/`;
/// 5. mark the run `published` (and the withdrawn one `replaced`).
///
/// The next run, holding the output folder's lock, completes each pending run (`recover`): a folder in place
/// whose files match the recorded manifest is recorded; one that does not match is moved to
/// `<period>.not-recorded/` and forgotten. Between any two steps the period's previous revision is still in place,
/// or the new one is, or both: never neither.
public enum ReportPublisher {
    /// Why and by whom a run was made: stored with it.
    public struct Attribution: Sendable, Hashable {
        public var reason: String?
        public var madeBy: String?

        public init(reason: String?, madeBy: String?) {
            self.reason = reason
            self.madeBy = madeBy
        }
    }

    /// What `publish` did.
    public struct Publication: Sendable, Hashable {
        public var written: WrittenReport
        /// Where the withdrawn revision's folder now is (`--force`), nil when nothing was replaced.
        public var replacedLocation: URL?
    }

    /// Renders `report` and publishes it at `destination`, recording it (as given by `folder`) in `database`.
    /// Call while holding the output folder's `ReportFolderLock`. `renderedAhead`: the temporary folder opened for
    /// this report (`ReportFolders.stagingFolder(for: destination.folder)`) with the files already written there.
    public static func publish(
        _ report: Report, formats: Set<ReportFormat>, to destination: ReportDestination, folder: String,
        attribution: Attribution, database: AuditDatabase, clock: Date, limits: ReportRenderingLimits = .standard,
        renderedAhead: RenderedAhead? = nil
    ) throws -> Publication {
        let manager = FileManager.default
        let target = destination.folder
        guard !manager.fileExists(atPath: target.path) else {
            renderedAhead?.discard()
            throw ReportWriteError.folderExists(target.path)
        }
        let staging = renderedAhead?.folder ?? ReportFolders.stagingFolder(for: target)
        let rendered = try ReportWriter.render(
            report, formats: formats, into: staging, limits: limits, renderedAhead: renderedAhead)

        let runID: Int64
        do {
            runID = try database.write { db in
                try ReportHistory.recordPending(
                    db, report, folder: folder,
                    details: StoredRunDetails(
                        manifestSHA256: rendered.manifestDigest, location: target.standardizedFileURL.path,
                        staging: staging.standardizedFileURL.path, reason: attribution.reason, madeBy: attribution.madeBy,
                        replacesRevision: destination.replaces?.revision,
                        replacesAside: destination.replaces?.aside.standardizedFileURL.path))
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }

        CrashPoint.reportPending.reach()
        do {
            try manager.moveItem(at: staging, to: target)
        } catch {
            try? manager.removeItem(at: staging)
            try? database.write { try ReportHistory.discard($0, runID: runID) }
            if manager.fileExists(atPath: target.path) { throw ReportWriteError.folderExists(target.path) }
            throw ReportWriteError.cannotWrite(path: target.path, reason: error.localizedDescription)
        }
        ReportFolders.synchronize(target.deletingLastPathComponent())
        CrashPoint.reportRenamed.reach()

        var replacedLocation: URL?
        if let replaced = destination.replaces {
            replacedLocation = try moveAside(replaced)
            CrashPoint.reportMovedAside.reach()
        }
        try database.write { db in
            try ReportHistory.publish(db, runID: runID, replacedLocation: replacedLocation?.standardizedFileURL.path, at: clock)
        }
        return Publication(
            written: WrittenReport(folder: target, digests: rendered.digests, manifestDigest: rendered.manifestDigest),
            replacedLocation: replacedLocation)
    }

    /// Moves a withdrawn revision's folder to where it is kept, unless a previous attempt already did. Returns
    /// where it is, nil when it is in neither place (someone removed it).
    private static func moveAside(_ replaced: ReportDestination.Replacement) throws -> URL? {
        let manager = FileManager.default
        if manager.fileExists(atPath: replaced.folder.path), !manager.fileExists(atPath: replaced.aside.path) {
            do {
                try manager.createDirectory(at: replaced.aside.deletingLastPathComponent(), withIntermediateDirectories: true)
                try manager.moveItem(at: replaced.folder, to: replaced.aside)
            } catch {
                throw ReportWriteError.cannotWrite(
                    path: replaced.folder.path,
                    reason: "the new revision is in place, but the replaced one could not be moved aside (the next report run retries): \(error.localizedDescription)")
            }
            ReportFolders.synchronize(replaced.folder.deletingLastPathComponent())
        }
        return manager.fileExists(atPath: replaced.aside.path) ? replaced.aside : nil
    }

    /// Completes what interrupted runs left in `outputDirectory`, then removes their temporary folders. Call with
    /// the folder's `ReportFolderLock`, before planning a new revision. Returns one sentence per thing done.
    /// Without the lock held (a file system that refuses it) nothing is touched: a live run's folders cannot be
    /// told from a dead one's.
    public static func recover(outputDirectory: URL, lock: ReportFolderLock, database: AuditDatabase, clock: Date) throws -> [String] {
        let directory = outputDirectory.standardizedFileURL.path
        guard lock.isHeld else {
            return [
                "cannot lock \(directory) (\(lock.refusal ?? "refused")): leftovers of interrupted report runs there are "
                    + "not cleaned up, and two runs at once could collide"
            ]
        }
        var notes: [String] = []
        for run in try database.read({ try ReportHistory.pending($0) }) {
            guard let location = run.location.map(URL.init(fileURLWithPath:)) else {
                try database.write { try ReportHistory.discard($0, runID: run.runID) }
                continue
            }
            let parent = location.deletingLastPathComponent().standardizedFileURL.path
            guard parent == directory else {
                notes.append(
                    "report \(run.reportID) (\(run.periodLabel), revision \(run.revision)) was interrupted in \(parent): "
                        + "run report with --out \(parent) to complete it")
                continue
            }
            do {
                if let note = try complete(run, at: location, outputDirectory: outputDirectory, database: database, clock: clock) {
                    notes.append(note)
                }
            } catch {
                notes.append("could not complete report \(run.reportID) in \(location.path): \(error); left as it is, the next run retries")
            }
        }
        for folder in try ReportFolders.removeStaleStaging(in: outputDirectory) {
            notes.append("removed \(folder.path): the temporary folder of a report run that was interrupted while writing")
        }
        notes += try ReportFolders.restoreLegacySwaps(in: outputDirectory)
        return notes
    }

    /// One pending run: record its folder if it is in place (or complete in its temporary folder) and matches the
    /// recorded manifest; otherwise set the folder aside and forget the run.
    private static func complete(
        _ run: PendingReportRun, at location: URL, outputDirectory: URL, database: AuditDatabase, clock: Date
    ) throws -> String? {
        let manager = FileManager.default
        let name = "report \(run.reportID) (\(run.periodLabel), revision \(run.revision))"
        if !manager.fileExists(atPath: location.path) {
            if let staging = run.staging.map(URL.init(fileURLWithPath:)), manager.fileExists(atPath: staging.path) {
                guard case .verified = ReportManifest.check(staging, expected: run.manifestSHA256) else {
                    try manager.removeItem(at: staging)
                    try database.write { try ReportHistory.discard($0, runID: run.runID) }
                    return "removed \(staging.path): \(name) was interrupted before its files were complete; it is not recorded"
                }
                try manager.moveItem(at: staging, to: location)
                ReportFolders.synchronize(outputDirectory)
            } else {
                try database.write { try ReportHistory.discard($0, runID: run.runID) }
                return "forgot \(name): its run was interrupted before its folder was written"
            }
        }
        switch ReportManifest.check(location, expected: run.manifestSHA256) {
        case .verified:
            var replacedLocation: URL?
            if let revision = run.replacesRevision, let aside = run.replacesAside {
                let replaced = ReportDestination.Replacement(
                    revision: revision,
                    folder: outputDirectory.appendingPathComponent(ReportDestination.folderName(label: run.periodLabel, revision: revision)),
                    aside: URL(fileURLWithPath: aside))
                replacedLocation = try moveAside(replaced)
            }
            try database.write { db in
                try ReportHistory.publish(db, runID: run.runID, replacedLocation: replacedLocation?.standardizedFileURL.path, at: clock)
            }
            var note = "recorded \(location.path): \(name) was written but its run was interrupted before recording it; its files match their manifest"
            if let replacedLocation { note += "; the revision it replaces is kept in \(replacedLocation.path)" }
            return note
        case .failed(let problems):
            let aside = ReportDestination.asideFolder(
                outputDirectory: outputDirectory, label: run.periodLabel, kind: .notRecorded, revision: run.revision)
            try manager.createDirectory(at: aside.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.moveItem(at: location, to: aside)
            ReportFolders.synchronize(outputDirectory)
            try database.write { try ReportHistory.discard($0, runID: run.runID) }
            return "moved \(location.path) to \(aside.path): \(name) was interrupted before it was recorded and its files "
                + "do not match the manifest it was rendered with (\(problems.prefix(3).joined(separator: "; "))); it is not recorded"
        }
    }
}
