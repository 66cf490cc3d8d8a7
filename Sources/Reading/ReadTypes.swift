import Core
import Foundation

// The public face of the Reading stage: what the ingester drives.

/// The audit-log formats the readers understand. Compression (gzip) is a transport, detected separately.
public enum LogFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// ECS documents, one per line: nested (`_source` exports, Elastic Agent) or flattened dotted keys (Filebeat).
    case ecsNDJSON = "ecs"
    /// An Elasticsearch `_search` response: documents under `hits.hits[]._source`.
    case ecsSearchResponse = "ecs-search"
    /// Raw Office 365 Management Activity API records: NDJSON, or a JSON array as content blobs return them.
    case managementAPI = "o365-api"
    /// A Purview / Search-UnifiedAuditLog CSV export (AuditData column).
    case purviewCSV = "purview-csv"
}

/// How thoroughly to read.
public enum ReadMode: Sendable, Hashable {
    /// Skip lines the prefilter proves irrelevant without parsing them (they still count for coverage).
    case fast
    /// Parse every line and report every malformed one.
    case validate
}

/// A reason one record (or line) was skipped: always names file, line and why.
public struct ReadError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}

/// A place to resume reading: a record boundary in the (decompressed) stream.
public struct ReadPosition: Sendable, Hashable, Codable {
    public var offset: UInt64
    /// The number of lines before `offset`, so resumed reads keep true line numbers.
    public var line: Int

    public init(offset: UInt64, line: Int) {
        self.offset = offset
        self.line = line
    }

    public static let start = ReadPosition(offset: 0, line: 0)
}

/// A normalised event with the line it started on.
public struct LocatedEvent: Sendable, Hashable {
    public var event: AuditEvent
    public var line: Int

    public init(event: AuditEvent, line: Int) {
        self.event = event
        self.line = line
    }
}

/// What one stretch of input produced. The ingester commits a batch and its `end` position together.
public struct ReadBatch: Sendable {
    /// Events that passed the prefilter (all events in validate mode), fully normalised.
    public var events: [LocatedEvent]
    public var errors: [ReadError]
    /// Records read per UTC day (every record, stored or not); records whose time could not be read are not here.
    public var coverage: [UTCDay: Int]
    /// Records read in this batch (including ones skipped by the prefilter; excluding malformed ones).
    public var records: Int
    /// Bytes of input (decompressed) this batch covered.
    public var bytes: UInt64
    /// The record boundary after the batch: where a resumed read starts.
    public var end: ReadPosition
    /// The line number of an unfinished final line held back (see `AuditLogReader.holdsBackUnfinishedLine`): `end`
    /// is its start, so the next read begins with it.
    public var heldBackLine: Int?

    public init(
        events: [LocatedEvent] = [], errors: [ReadError] = [], coverage: [UTCDay: Int] = [:], records: Int = 0,
        bytes: UInt64 = 0, end: ReadPosition
    ) {
        self.events = events
        self.errors = errors
        self.coverage = coverage
        self.records = records
        self.bytes = bytes
        self.end = end
    }
}

/// Which lines can matter: a line is parsed when it contains every literal of at least one group.
///
/// The bypass cmdlet's name is always a group of its own, so every bypass record is read whatever rules are loaded.
public struct LinePrefilter: Sendable, Hashable {
    public var literalGroups: [[String]]
    /// True when some rule has no literal to search for: then every line must be parsed.
    public var matchesEverything: Bool

    public init(literalGroups: [[String]], matchesEverything: Bool = false) {
        let bypass = [ECSField.bypassCmdlet]
        self.literalGroups = literalGroups.contains(bypass) ? literalGroups : [bypass] + literalGroups
        self.matchesEverything = matchesEverything
    }

    /// Reads every bypass record and nothing else.
    public static let bypassOnly = LinePrefilter(literalGroups: [])
    public static let everything = LinePrefilter(literalGroups: [], matchesEverything: true)
}
