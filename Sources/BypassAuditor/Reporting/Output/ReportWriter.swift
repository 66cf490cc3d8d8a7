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
public enum ReportWriter {
    /// Renders `formats` (plus `remediation.ps1` and `SHA256SUMS`, always) into `destination.folder`.
    public static func write(
        _ report: Report, formats: Set<ReportFormat>, to destination: ReportDestination,
        limits: ReportRenderingLimits = .standard
    ) throws -> WrittenReport {
        var files: [String: Data] = [:]
        for format in formats {
            switch format {
            case .markdown: files[MarkdownReportRenderer.fileName] = Data(MarkdownReportRenderer.render(report, limits: limits).utf8)
            case .html: files[HTMLReportRenderer.fileName] = Data(HTMLReportRenderer.render(report, limits: limits).utf8)
            case .json:
                do {
                    files[JSONReportRenderer.fileName] = Data(try JSONReportRenderer.render(report).utf8)
                } catch {
                    throw ReportWriteError.cannotWrite(path: JSONReportRenderer.fileName, reason: "\(error)")
                }
            case .csv:
                files[CSVReportRenderer.inventoryFileName] = Data(CSVReportRenderer.inventory(report).utf8)
                files[CSVReportRenderer.findingsFileName] = Data(CSVReportRenderer.findings(report).utf8)
            }
        }
        files[RemediationScriptRenderer.fileName] = Data(RemediationScriptRenderer.render(report).utf8)
        let digests = files.mapValues(SHA256Digest.hex(of:))
        files[ManifestRenderer.fileName] = Data(ManifestRenderer.render(digests: digests).utf8)

        try install(files, at: destination)
        return WrittenReport(folder: destination.folder, digests: digests)
    }

    private static func install(_ files: [String: Data], at destination: ReportDestination) throws {
        let manager = FileManager.default
        let target = destination.folder
        let parent = target.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw ReportWriteError.cannotWrite(path: parent.path, reason: error.localizedDescription)
        }
        do {
            for (name, data) in files {
                let url = temporary.appendingPathComponent(name)
                guard manager.createFile(atPath: url.path, contents: nil) else {
                    throw ReportWriteError.cannotWrite(path: url.path, reason: "cannot create the file")
                }
                let handle = try FileHandle(forWritingTo: url)
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            }
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
        } catch let error as ReportWriteError {
            try? manager.removeItem(at: temporary)
            throw error
        } catch {
            try? manager.removeItem(at: temporary)
            throw ReportWriteError.cannotWrite(path: target.path, reason: error.localizedDescription)
        }
    }
}
