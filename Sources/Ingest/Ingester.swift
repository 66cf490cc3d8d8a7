import Core
import Reading
import Store
import Foundation
import GRDB

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
        /// Read every file from its start again, even one read completely before (new rules, a fixed reader).
        /// Events already stored are recognised and not stored twice; the file's coverage is counted afresh.
        public var reread: Bool

        /// A file written to within this many seconds may still be being written: its unfinished final line is
        /// held back. Once the file has been left alone this long, the line is read as it is (and reported when
        /// it is not whole JSON).
        public var settleTime: TimeInterval
        /// `ingest --tenant`: the tenant of records that carry no `OrganizationId` (they are marked
        /// `bypass_auditor.tenant_assigned`); nil keeps them under the unknown tenant.
        public var tenantForUnmarked: TenantID?

        public init(
            format: LogFormat? = nil, mode: ReadMode = .fast, strict: Bool = false, maxErrorsListed: Int = 100,
            progress: (@Sendable (IngestProgress) -> Void)? = nil, settleTime: TimeInterval = 60,
            tenantForUnmarked: TenantID? = nil, reread: Bool = false
        ) {
            self.settleTime = settleTime
            self.tenantForUnmarked = tenantForUnmarked
            self.format = format
            self.mode = mode
            self.strict = strict
            self.maxErrorsListed = maxErrorsListed
            self.progress = progress
            self.reread = reread
        }
    }

    public let database: AuditDatabase
    public let interest: EventInterest
    public let options: Options

    /// The fast path's batch: this much input, or this many kept events, whichever comes first.
    static let fastBatchBytes = 64 << 20
    static let fastBatchEvents = 4096

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

    /// Reads one content blob of the Management Activity API, spooled to `path`, through the same reader,
    /// normalisation, de-duplication and coverage as a file, as the input named `key` (its content id). The blob's
    /// input is marked completed, and `whenStored` runs, in the transaction after its last batch; a blob stored
    /// completely before is not read again (`whenStored` still runs). A read cut short resumes from its checkpoint.
    package func ingestBlob(
        at path: String, key: String, runID: Int64, started: Date, into summary: inout IngestSummary,
        whenStored: (Database, Int64) throws -> Void
    ) throws {
        try withoutActuallyEscaping(whenStored) { whenStored in
            try ingest(
                InputSource(path: path), blobKey: key, runID: runID, started: started, into: &summary,
                whenStored: whenStored)
        }
    }

    private func ingest(
        _ source: InputSource, blobKey: String? = nil, runID: Int64, started: Date, into summary: inout IngestSummary,
        whenStored: ((Database, Int64) throws -> Void)? = nil
    ) throws {
        let found = try blobKey.map { try blobCheckpoint(key: $0, whenCompleted: whenStored) } ?? checkpoint(for: source)
        guard let (file, identity, reread) = found else {
            summary.filesUnchanged += 1
            return
        }
        summary.files += 1
        if reread { summary.filesReread += 1 }
        // A file written to lately may have a writer in the middle of its last line.
        let recentlyWritten = identity != nil
            && FileIdentity.modificationTime(path: source.path).map { Date().timeIntervalSince($0) < options.settleTime }
                ?? false
        // Each batch is a transaction (coverage, checkpoint, ledger): the fast path commits every 64 MiB or 4,096
        // kept events, whichever comes first, instead of every 8 MiB. The transactions of a split read's second half
        // wait for its first half, so on a 1 GB file 8 MiB batches added ~60 commits after both halves were read.
        // Validate mode keeps every record's event, so its batches stay at the reader's default size.
        let fast = options.mode == .fast
        let reader = AuditLogReader(
            source: source, format: blobKey == nil ? options.format : .managementAPI, prefilter: interest.prefilter, mode: options.mode,
            batchBytes: fast ? Self.fastBatchBytes : AuditLogReader.defaultBatchBytes,
            batchEvents: fast ? Self.fastBatchEvents : .max, holdsBackUnfinishedLine: recentlyWritten)
        var heldBack = false
        var bytesRead: UInt64 = 0
        let format = try reader.read(from: file.committed) { batch in
            if options.strict, let first = batch.errors.first { throw IngestError.stoppedAtFirstError(first) }
            var kept = batch.events.filter { interest.keeps($0.event) }
            for index in kept.indices where kept[index].event.tenant.isUnknown {
                summary.withoutTenant += 1
                guard let tenant = options.tenantForUnmarked else { continue }
                kept[index].event[ECSField.organizationID] = .string(tenant.rawValue)
                kept[index].event["bypass_auditor.tenant_assigned"] = .string("ingest --tenant")
                summary.tenantAssigned += 1
            }
            let tenants = Set(summary.tenants).union(kept.map(\.event.tenant))
            summary.tenants = tenants.sorted()
            let now = Date()
            let checkpointDigest =
                identity == nil ? nil : FileIdentity.checkpointDigest(path: source.path, endingAt: batch.end.offset)
            let (stored, duplicates, derived) = try database.write { db -> (Int, Int, Int) in
                var stored = 0
                var duplicates = 0
                var derived = 0
                for located in kept {
                    let origin = EventStore.Origin(inputFileID: file.id, line: located.line, ingestRunID: runID)
                    if try EventStore.insert(db, located.event, origin: origin, ingestedAt: now) != nil {
                        stored += 1
                        if located.event.id.map(DerivedEventID.isDerived) == true { derived += 1 }
                    } else {
                        duplicates += 1
                    }
                }
                try CoverageStore.add(db, inputFileID: file.id, counts: batch.coverage)
                try InputFileRecords.advance(
                    db, id: file.id, toOffset: batch.end.offset, line: batch.end.line, checkpointDigest: checkpointDigest,
                    records: batch.records, skipped: batch.errors.count, at: now)
                return (stored, duplicates, derived)
            }
            summary.derivedIds += derived
            summary.records += batch.records
            summary.eventsStored += stored
            summary.duplicates += duplicates
            summary.bytes += batch.bytes
            bytesRead += batch.bytes
            for error in batch.errors { note(error, in: &summary) }
            if let line = batch.heldBackLine {
                heldBack = true
                summary.heldBack.append(
                    ReadError(
                        file: source.displayName, line: line,
                        reason: "the last line has no newline and is not whole JSON yet (the file is still being "
                            + "written): held back, read when finished or when the file has been left alone "
                            + "\(Int(options.settleTime)) s"))
            }
            options.progress?(
                IngestProgress(
                    file: source.displayName, bytesRead: file.committed.offset + bytesRead, totalBytes: identity?.size,
                    records: summary.records, elapsed: Date().timeIntervalSince(started)))
        }
        try database.write { db in
            try InputFileRecords.setFormat(db, id: file.id, format: format.rawValue)
            // A held-back line keeps the file open for the next run, even at the same size.
            if let identity, !heldBack {
                let headLength = min(Int(identity.size), FileIdentity.headLimit)
                try InputFileRecords.markCompleted(
                    db, id: file.id, size: identity.size,
                    headDigest: FileIdentity.headDigest(path: source.path, length: headLength), headLength: headLength)
            } else if blobKey != nil {
                try InputFileRecords.markCompleted(db, id: file.id, size: nil, headDigest: "", headLength: 0)
                try whenStored?(db, file.id)
            }
        }
    }

    /// A blob's input row, found by its key or created; nil (after `whenCompleted` ran) when it was stored whole.
    private func blobCheckpoint(key: String, whenCompleted: ((Database, Int64) throws -> Void)?) throws
        -> (InputFileRow, FileIdentity?, reread: Bool)?
    {
        try database.write { db -> (InputFileRow, FileIdentity?, reread: Bool)? in
            if let existing = try InputFileRecords.find(db, identity: key) {
                if existing.completed {
                    try whenCompleted?(db, existing.id)
                    return nil
                }
                return (existing, nil, false)
            }
            let record = try InputFileRecords.create(
                db, identity: key, path: key, headDigest: "", headLength: 0, size: nil, at: Date())
            return (record, nil, false)
        }
    }

    /// Finds where to start reading `source`: nil when it was read completely and has not changed since.
    /// A file that was replaced, truncated or rewritten in place (same inode, but a different head, shorter, or
    /// different bytes before the checkpoint) starts again as a new input (`reread` says so for the last).
    private func checkpoint(for source: InputSource) throws -> (InputFileRow, FileIdentity?, reread: Bool)? {
        if source.isStandardInput {
            let record = try database.write { db in
                try InputFileRecords.create(
                    db, identity: "stdin:\(UUID().uuidString)", path: source.displayName, headDigest: "", headLength: 0,
                    size: nil, at: Date())
            }
            return (record, nil, false)
        }
        let identity = try FileIdentity(path: source.path)
        return try database.write { db -> (InputFileRow, FileIdentity?, reread: Bool)? in
            var reread = false
            if let existing = try InputFileRecords.find(db, identity: identity.key) {
                let sameHead = FileIdentity.headDigest(path: source.path, length: existing.headLength) == existing.headDigest
                let truncated = identity.size < (existing.size ?? 0)
                let rewritten = existing.checkpointDigest.map {
                    $0 != FileIdentity.checkpointDigest(path: source.path, endingAt: existing.committed.offset)
                } ?? false
                if sameHead && !truncated && !rewritten {
                    if options.reread {
                        try InputFileRecords.restart(db, id: existing.id)
                        return (try InputFileRecords.find(db, identity: identity.key) ?? existing, identity, false)
                    }
                    if existing.completed && identity.size == existing.size { return nil }
                    return (existing, identity, false)
                }
                reread = sameHead && !truncated
                try InputFileRecords.retire(db, id: existing.id)
            }
            let headLength = min(Int(identity.size), FileIdentity.headLimit)
            let record = try InputFileRecords.create(
                db, identity: identity.key, path: source.path,
                headDigest: FileIdentity.headDigest(path: source.path, length: headLength), headLength: headLength,
                size: identity.size, at: Date())
            return (record, identity, reread)
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
