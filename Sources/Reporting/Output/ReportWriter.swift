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

    public var fileNames: [String] { digests.keys.sorted() + [ManifestRenderer.fileName] }
}

/// Renders a report into its folder, atomically: every file goes into a hidden temporary folder beside the target,
/// which is renamed into place only when complete, so a reader (or an auditor's checksum) never sees half a report.
///
/// Each file is streamed to disk as it is rendered and hashed on the way, and dropped before the next one starts, so
/// memory holds at most one rendered document (the CSV tables, which grow with the changes, are written row by row).
public enum ReportWriter {
    /// Renders `formats` (plus `remediation.ps1` and `SHA256SUMS`, always) into `destination.folder`.
    public static func write(
        _ report: Report, formats: Set<ReportFormat>, to destination: ReportDestination,
        limits: ReportRenderingLimits = .standard
    ) throws -> WrittenReport {
        let digests = try install(at: destination) { folder in
            var digests: [String: String] = [:]
            func emit(_ name: String, _ render: (inout ReportFileSink) throws -> Void) throws {
                var sink = try ReportFileSink(creating: folder.appendingPathComponent(name))
                try render(&sink)
                digests[name] = try sink.finish()
                CrashPoint.reportRendering.reach()
            }
            for format in formats.sorted(by: { $0.rawValue < $1.rawValue }) {
                switch format {
                case .markdown:
                    try emit(MarkdownReportRenderer.fileName) { $0.write(MarkdownReportRenderer.render(report, limits: limits)) }
                case .html:
                    try emit(HTMLReportRenderer.fileName) { $0.write(HTMLReportRenderer.render(report, limits: limits)) }
                case .json:
                    let json: String
                    do {
                        json = try JSONReportRenderer.render(report, limits: limits)
                    } catch {
                        throw ReportWriteError.cannotWrite(path: JSONReportRenderer.fileName, reason: "\(error)")
                    }
                    try emit(JSONReportRenderer.fileName) { $0.write(json) }
                case .csv:
                    for name in CSVReportRenderer.fileNames {
                        try emit(name) { CSVReportRenderer.write(name, of: report, to: &$0) }
                    }
                }
            }
            try emit(RemediationScriptRenderer.fileName) { $0.write(RemediationScriptRenderer.render(report)) }
            let manifest = digests
            var sink = try ReportFileSink(creating: folder.appendingPathComponent(ManifestRenderer.fileName))
            sink.write(ManifestRenderer.render(digests: manifest))
            _ = try sink.finish()
            return digests
        }
        return WrittenReport(folder: destination.folder, digests: digests)
    }

    /// Runs `writeFiles` into a fresh hidden folder beside the target, then moves it into place.
    private static func install(
        at destination: ReportDestination, _ writeFiles: (URL) throws -> [String: String]
    ) throws -> [String: String] {
        let manager = FileManager.default
        let target = destination.folder
        let parent = target.deletingLastPathComponent()
        let temporary = ReportFolders.stagingFolder(for: target)
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw ReportWriteError.cannotWrite(path: parent.path, reason: error.localizedDescription)
        }
        do {
            let digests = try writeFiles(temporary)
            if manager.fileExists(atPath: target.path) {
                guard destination.replacesExisting else { throw ReportWriteError.folderExists(target.path) }
                // Swap: the old folder moves aside, the new one takes its name, then the old one goes.
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
                try manager.moveItem(at: target, to: old)
                try manager.moveItem(at: temporary, to: target)
                try? manager.removeItem(at: old)
            } else {
                try manager.moveItem(at: temporary, to: target)
            }
            return digests
        } catch let error as ReportWriteError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw ReportWriteError.cannotWrite(path: target.path, reason: error.localizedDescription)
        }
    }
}
