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
        IngestSummary()
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
