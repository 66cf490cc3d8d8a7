import Core
import Foundation

/// What went wrong writing a report folder.
public enum ReportWriteError: Error, CustomStringConvertible, Equatable {
    case unknownFormat(String)
    case folderExists(String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFormat(let text): "unknown report format '\(text)' (use md, html, json, csv)"
        case .folderExists(let path): "\(path) already exists: a written report is never overwritten (rerun to get a new revision, or pass --force)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// The files one run wrote.
public struct WrittenReport: Sendable, Hashable {
    public var folder: URL
    /// File name → SHA-256, every file in the folder except `SHA256SUMS` itself.
    public var digests: [String: String]
    /// The SHA-256 of `SHA256SUMS`: one value that pins every file of the folder (what an auditor records).
    public var manifestDigest: String

    public var fileNames: [String] { digests.keys.sorted() + [ManifestRenderer.fileName] }
}

/// Renders a report into a folder. Each file is streamed to disk as it is rendered and hashed on the way, and
/// dropped once written, two files at a time (`emitConcurrently`).
///
/// Publishing is atomic: the files go into a hidden temporary folder beside the target
/// (`ReportFolders.stagingFolder`), which is renamed into place only when complete, so a reader (or an auditor's
/// checksum) never sees half a report. `ReportPublisher` does that together with the database; `write` does it alone.
public enum ReportWriter {
    /// Renders `formats` (plus `remediation.ps1`, `README.txt` and `SHA256SUMS`, always) into `destination.folder`, through a
    /// temporary folder renamed into place. Refuses an existing folder: a written report is never overwritten.
    public static func write(
        _ report: Report, formats: Set<ReportFormat>, to destination: ReportDestination,
        limits: ReportRenderingLimits = .standard
    ) throws -> WrittenReport {
        let manager = FileManager.default
        let target = destination.folder
        guard !manager.fileExists(atPath: target.path) else { throw ReportWriteError.folderExists(target.path) }
        let staging = ReportFolders.stagingFolder(for: target)
        let rendered = try render(report, formats: formats, into: staging, limits: limits)
        do {
            try manager.moveItem(at: staging, to: target)
        } catch {
            try? manager.removeItem(at: staging)
            if manager.fileExists(atPath: target.path) { throw ReportWriteError.folderExists(target.path) }
            throw ReportWriteError.cannotWrite(path: target.path, reason: error.localizedDescription)
        }
        return WrittenReport(folder: target, digests: rendered.digests, manifestDigest: rendered.manifestDigest)
    }

    /// Renders `formats` (plus `remediation.ps1`, `README.txt` and `SHA256SUMS`, always) into `folder`, which must not exist
    /// (its parent is created when needed), or, given `renderedAhead`, into its folder beside the files it wrote
    /// (`folder` must be that folder). On failure the folder is removed. Returns what was written, with `folder` as
    /// its location.
    public static func render(
        _ report: Report, formats: Set<ReportFormat>, into folder: URL, limits: ReportRenderingLimits = .standard,
        renderedAhead: RenderedAhead? = nil
    ) throws -> WrittenReport {
        let manager = FileManager.default
        if let renderedAhead {
            precondition(renderedAhead.folder == folder, "render into the folder the files rendered ahead are in")
        } else {
            try createFolder(folder)
        }
        do {
            let all = renderedFiles(report, formats: formats, limits: limits)
            let files = all.filter { !(renderedAhead?.fileNames.contains($0.name) ?? false) }
            let listed = all.map(\.name) + [FolderReadmeRenderer.fileName, ManifestRenderer.fileName]
            let readme = RenderedFile(name: FolderReadmeRenderer.fileName, cost: 1) {
                $0.write(FolderReadmeRenderer.render(report, files: listed))
            }
            var digests: [String: String] = [:]
            for (file, digest) in zip(files + [readme], try emitConcurrently(files + [readme], into: folder)) {
                digests[file.name] = digest
            }
            if let renderedAhead { digests.merge(try renderedAhead.waitForDigests()) { rendered, _ in rendered } }
            var sink = try ReportFileSink(creating: folder.appendingPathComponent(ManifestRenderer.fileName))
            sink.write(ManifestRenderer.render(digests: digests))
            let manifestDigest = try sink.finish()
            return WrittenReport(folder: folder, digests: digests, manifestDigest: manifestDigest)
        } catch let error as ReportWriteError {
            renderedAhead?.discard()
            try? manager.removeItem(at: folder)
            throw error
        } catch {
            renderedAhead?.discard()
            try? manager.removeItem(at: folder)
            throw ReportWriteError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
    }

    /// Creates a report's temporary folder, which must not exist (its parent is created when needed).
    static func createFolder(_ folder: URL) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw ReportWriteError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
    }

    /// One file of the folder and how to render it.
    private struct RenderedFile: Sendable {
        var name: String
        /// About how long it takes to render at scale, in milliseconds (measured at 10,000 accounts, 200,000 changes
        /// and 200,000 alerts): what `emitConcurrently` balances its two lanes by. Only the proportions matter.
        var cost: Int
        var render: @Sendable (inout ReportFileSink) throws -> Void
    }

    /// Every file but `README.txt` and `SHA256SUMS` (which name and hash the others), in a fixed order.
    private static func renderedFiles(_ report: Report, formats: Set<ReportFormat>, limits: ReportRenderingLimits)
        -> [RenderedFile]
    {
        var files: [RenderedFile] = []
        for format in formats.sorted(by: { $0.rawValue < $1.rawValue }) {
            switch format {
            case .markdown:
                files.append(RenderedFile(name: MarkdownReportRenderer.fileName, cost: 310) {
                    $0.write(MarkdownReportRenderer.render(report, limits: limits))
                })
            case .html:
                files.append(RenderedFile(name: HTMLReportRenderer.fileName, cost: 260) {
                    $0.write(HTMLReportRenderer.render(report, limits: limits))
                })
            case .json:
                files.append(RenderedFile(name: JSONReportRenderer.fileName, cost: 650) { sink in
                    do {
                        try JSONReportRenderer.write(report, limits: limits, to: &sink)
                    } catch {
                        throw ReportWriteError.cannotWrite(path: JSONReportRenderer.fileName, reason: "\(error)")
                    }
                })
            case .csv:
                for name in CSVReportRenderer.fileNames {
                    files.append(RenderedFile(name: name, cost: CSVReportRenderer.renderingCost[name] ?? 100) {
                        CSVReportRenderer.write(name, of: report, to: &$0)
                    })
                }
            }
        }
        files.append(RenderedFile(name: RemediationScriptRenderer.fileName, cost: 5) {
            $0.write(RemediationScriptRenderer.render(report))
        })
        return files
    }

    /// Renders each of `files` into `folder` in two lanes side by side (the files read one immutable report and
    /// write a file each; at 200,000 changes rendering them all in turn was a quarter of a report run), the costliest
    /// first, each to the lane with less work so far, so that both lanes end together. The CSV tables are written
    /// row by row; HTML and Markdown are rendered whole, so at most two documents (under 10 MB each at scale) are
    /// held at once. Returns the digests in `files`' order; the first failure in that order is thrown, so which
    /// error a user sees does not depend on which file finished first.
    private static func emitConcurrently(_ files: [RenderedFile], into folder: URL) throws -> [String] {
        let results = files.map { _ in ResultSlot<String>() }
        let lanes = balancedLanes(files)
        DispatchQueue.concurrentPerform(iterations: lanes.count) { lane in
            for index in lanes[lane] {
                results[index].set(Result {
                    var sink = try ReportFileSink(creating: folder.appendingPathComponent(files[index].name))
                    try files[index].render(&sink)
                    let digest = try sink.finish()
                    CrashPoint.reportRendering.reach()
                    return digest
                })
            }
        }
        return try results.map { try $0.take().get() }
    }

    /// `files`' indices in two lanes: the costliest first, each to the lane with less work so far (ties in `files`'
    /// order, so the lanes do not depend on anything but the files).
    private static func balancedLanes(_ files: [RenderedFile]) -> [[Int]] {
        var lanes: [[Int]] = [[], []]
        var laneCosts = [0, 0]
        for index in files.indices.sorted(by: { (files[$0].cost, $1) > (files[$1].cost, $0) }) {
            let lane = laneCosts[0] <= laneCosts[1] ? 0 : 1
            lanes[lane].append(index)
            laneCosts[lane] += files[index].cost
        }
        return lanes.filter { !$0.isEmpty }
    }
}
