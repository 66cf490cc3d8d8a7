import Foundation

/// Streams inputs through the readers into the store, committing in short batches with a per-file checkpoint.
public final class Ingester: Sendable {
    public struct Options: Sendable {
        public var format: LogFormat?
        public var mode: ReadMode
        /// Stop at the first skipped record.
        public var strict: Bool
        /// How many errors the summary lists.
        public var maxErrorsListed: Int
        /// Called after each committed batch (for progress lines).
        public var progress: (@Sendable (IngestProgress) -> Void)?

        public init(
            format: LogFormat? = nil, mode: ReadMode = .fast, strict: Bool = false, maxErrorsListed: Int = 100,
            progress: (@Sendable (IngestProgress) -> Void)? = nil
        ) {
            self.format = format
            self.mode = mode
            self.strict = strict
            self.maxErrorsListed = maxErrorsListed
            self.progress = progress
        }
    }

    public let database: AuditDatabase
    public let interest: EventInterest
    public let options: Options

    public init(database: AuditDatabase, interest: EventInterest = .bypassOnly, options: Options = Options()) {
        self.database = database
        self.interest = interest
        self.options = options
    }

    /// Ingests every source; resumes each file from its checkpoint. Throws only for problems that stop the run
    /// (database errors, `strict` with a skipped record); unreadable inputs are reported in the summary.
    public func ingest(_ sources: [InputSource]) throws -> IngestSummary {
        var summary = IngestSummary()
        let started = Date()
        let runID = try IngestHistory.beginRun(database, interest: interest, at: started)
        for source in sources {
            do {
                try ingest(source, runID: runID, started: started, into: &summary)
            } catch let error as ReadError {
                if options.strict { throw IngestError.stoppedAtFirstError(error) }
                note(error, in: &summary)
            }
        }
        try IngestHistory.finishRun(database, id: runID, summary: summary)
        return summary
    }

    private func ingest(_ source: InputSource, runID: Int64, started: Date, into summary: inout IngestSummary) throws {
        guard let (file, identity) = try checkpoint(for: source) else {
            summary.filesUnchanged += 1
            return
        }
        summary.files += 1
        let reader = AuditLogReader(
            source: source, format: options.format, prefilter: interest.prefilter, mode: options.mode)
        var bytesRead: UInt64 = 0
        let format = try reader.read(from: file.committed) { batch in
            if options.strict, let first = batch.errors.first { throw IngestError.stoppedAtFirstError(first) }
            let kept = batch.events.filter { interest.keeps($0.event) }
            let now = Date()
            let (stored, duplicates) = try database.write { db -> (Int, Int) in
                var stored = 0
                var duplicates = 0
                for located in kept {
                    let origin = EventStore.Origin(inputFileID: file.id, line: located.line, ingestRunID: runID)
                    if try EventStore.insert(db, located.event, origin: origin, ingestedAt: now) {
                        stored += 1
                    } else {
                        duplicates += 1
                    }
                }
                try CoverageStore.add(db, inputFileID: file.id, counts: batch.coverage)
                try InputFileRecord.advance(
                    id: file.id, to: batch.end, records: batch.records, skipped: batch.errors.count, at: now, db)
                return (stored, duplicates)
            }
            summary.records += batch.records
            summary.eventsStored += stored
            summary.duplicates += duplicates
            summary.bytes += batch.bytes
            bytesRead += batch.bytes
            for error in batch.errors { note(error, in: &summary) }
            options.progress?(
                IngestProgress(
                    file: source.displayName, bytesRead: file.committed.offset + bytesRead, totalBytes: identity?.size,
                    records: summary.records, elapsed: Date().timeIntervalSince(started)))
        }
        try database.write { db in
            try InputFileRecord.setFormat(id: file.id, format, db)
            if let identity {
                let headLength = min(Int(identity.size), FileIdentity.headLimit)
                try InputFileRecord.markCompleted(
                    id: file.id, size: identity.size,
                    headDigest: FileIdentity.headDigest(path: source.path, length: headLength), headLength: headLength,
                    db)
            }
        }
    }

    /// Finds where to start reading `source`: nil when it was read completely and has not changed since.
    /// A file that was replaced or truncated (same inode, different head, or shorter) starts again as a new input.
    private func checkpoint(for source: InputSource) throws -> (InputFileRecord, FileIdentity?)? {
        if source.isStandardInput {
            let record = try database.write { db in
                try InputFileRecord.create(
                    identity: "stdin:\(UUID().uuidString)", path: source.displayName, headDigest: "", headLength: 0,
                    size: nil, at: Date(), db)
            }
            return (record, nil)
        }
        let identity = try FileIdentity(path: source.path)
        return try database.write { db -> (InputFileRecord, FileIdentity?)? in
            if let existing = try InputFileRecord.find(identity: identity.key, db) {
                let sameHead = FileIdentity.headDigest(path: source.path, length: existing.headLength) == existing.headDigest
                let truncated = identity.size < (existing.size ?? 0)
                if sameHead && !truncated {
                    if existing.completed && identity.size == existing.size { return nil }
                    return (existing, identity)
                }
                try InputFileRecord.retire(id: existing.id, db)
            }
            let headLength = min(Int(identity.size), FileIdentity.headLimit)
            let record = try InputFileRecord.create(
                identity: identity.key, path: source.path,
                headDigest: FileIdentity.headDigest(path: source.path, length: headLength), headLength: headLength,
                size: identity.size, at: Date(), db)
            return (record, identity)
        }
    }

    private func note(_ error: ReadError, in summary: inout IngestSummary) {
        summary.skipped += 1
        if summary.errors.count < options.maxErrorsListed {
            summary.errors.append(error)
        } else {
            summary.errorsNotListed += 1
        }
    }
}

/// Why an ingest stopped before reading everything.
public enum IngestError: Error, CustomStringConvertible {
    /// `--strict`: the first skipped record ends the run (batches before it stay committed).
    case stoppedAtFirstError(ReadError)

    public var description: String {
        switch self {
        case .stoppedAtFirstError(let error): "stopped at the first error (--strict): \(error)"
        }
    }
}

/// Progress of a running ingest, for the stderr progress line.
public struct IngestProgress: Sendable {
    public var file: String
    public var bytesRead: UInt64
    /// Size of the file when known (regular, uncompressed files).
    public var totalBytes: UInt64?
    public var records: Int
    public var elapsed: Double
}
