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
/// dropped once written; the whole documents are rendered one at a time beside the CSV tables, which are written
/// row by row, so memory holds at most one rendered document.
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
    /// (its parent is created when needed). On failure the folder is removed. Returns what was written, with
    /// `folder` as its location.
    public static func render(
        _ report: Report, formats: Set<ReportFormat>, into folder: URL, limits: ReportRenderingLimits = .standard
    ) throws -> WrittenReport {
        let manager = FileManager.default
        let parent = folder.deletingLastPathComponent()
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw ReportWriteError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
        do {
            let files = renderedFiles(report, formats: formats, limits: limits)
            let listed = files.map(\.name) + [FolderReadmeRenderer.fileName, ManifestRenderer.fileName]
            let readme = RenderedFile(name: FolderReadmeRenderer.fileName) {
                $0.write(FolderReadmeRenderer.render(report, files: listed))
            }
            var digests: [String: String] = [:]
            for (file, digest) in zip(files + [readme], try emitConcurrently(files + [readme], into: folder)) {
                digests[file.name] = digest
            }
            var sink = try ReportFileSink(creating: folder.appendingPathComponent(ManifestRenderer.fileName))
            sink.write(ManifestRenderer.render(digests: digests))
            let manifestDigest = try sink.finish()
            return WrittenReport(folder: folder, digests: digests, manifestDigest: manifestDigest)
        } catch let error as ReportWriteError {
            try? manager.removeItem(at: folder)
            throw error
        } catch {
            try? manager.removeItem(at: folder)
            throw ReportWriteError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
    }

    /// One file of the folder and how to render it.
    private struct RenderedFile: Sendable {
        var name: String
        /// Rendered whole in memory before it is written (report.json, HTML, Markdown, the script), rather than
        /// streamed row by row (the CSV tables).
        var isWholeDocument = true
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
                files.append(RenderedFile(name: MarkdownReportRenderer.fileName) {
                    $0.write(MarkdownReportRenderer.render(report, limits: limits))
                })
            case .html:
                files.append(RenderedFile(name: HTMLReportRenderer.fileName) {
                    $0.write(HTMLReportRenderer.render(report, limits: limits))
                })
            case .json:
                files.append(RenderedFile(name: JSONReportRenderer.fileName) { sink in
                    do {
                        try JSONReportRenderer.write(report, limits: limits, to: &sink)
                    } catch {
                        throw ReportWriteError.cannotWrite(path: JSONReportRenderer.fileName, reason: "\(error)")
                    }
                })
            case .csv:
                for name in CSVReportRenderer.fileNames {
                    files.append(RenderedFile(name: name, isWholeDocument: false) {
                        CSVReportRenderer.write(name, of: report, to: &$0)
                    })
                }
            }
        }
        files.append(RenderedFile(name: RemediationScriptRenderer.fileName) {
            $0.write(RemediationScriptRenderer.render(report))
        })
        return files
    }

    /// Renders each of `files` into `folder` in two lanes side by side: the whole documents one after another, and
    /// the streamed CSV tables one after another (the files read one immutable report and write a file each; at
    /// 200,000 changes rendering them all in turn was a quarter of a report run). One whole document at a time keeps
    /// two of them, tens of megabytes each at scale, from being held at once; the two lanes take about as long.
    /// Returns the digests in `files`' order; the first failure in that order is thrown, so which error a user sees
    /// does not depend on which file finished first.
    private static func emitConcurrently(_ files: [RenderedFile], into folder: URL) throws -> [String] {
        let results = files.map { _ in ResultSlot<String>() }
        let lanes = [files.indices.filter { files[$0].isWholeDocument }, files.indices.filter { !files[$0].isWholeDocument }]
            .filter { !$0.isEmpty }
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
}
