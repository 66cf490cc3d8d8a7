import Foundation

/// One input to read: a file path, or `-` for standard input.
public struct InputSource: Sendable, Hashable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public static let standardInput = InputSource(path: "-")
    public var isStandardInput: Bool { path == "-" }
    /// How messages name it.
    public var displayName: String { isStandardInput ? "<stdin>" : path }

    /// Expands paths into inputs: files as given, directories recursively (sorted, hidden files skipped), `-` as stdin.
    public static func expand(_ paths: [String]) throws -> [InputSource] {
        var result: [InputSource] = []
        let fileManager = FileManager.default
        for path in paths {
            if path == "-" {
                result.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReadError(file: path, line: 0, reason: "no such file or directory")
            }
            guard isDirectory.boolValue else {
                result.append(InputSource(path: path))
                continue
            }
            guard let walker = fileManager.enumerator(atPath: path) else {
                throw ReadError(file: path, line: 0, reason: "cannot list directory")
            }
            var files: [String] = []
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    if walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { walker.skipDescendants() }
                    continue
                }
                if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular {
                    files.append((path as NSString).appendingPathComponent(relative))
                }
            }
            result += files.sorted().map(InputSource.init(path:))
        }
        return result
    }
}

/// Streams one input, detecting its format and compression from content, and hands normalised events to the caller
/// in batches whose end is a record boundary (so the caller can commit each batch with its resume position).
public struct AuditLogReader: Sendable {
    public var source: InputSource
    /// nil: detect from content.
    public var format: LogFormat?
    public var prefilter: LinePrefilter
    public var mode: ReadMode
    /// Lines longer than this are skipped with an error (a documented cap, so one runaway line cannot exhaust memory).
    public var maxLineBytes: Int
    /// About how much input one batch covers.
    public var batchBytes: Int
    /// At most this many events in one batch, whatever input it covers (so a large `batchBytes` full of wanted
    /// records still holds only a few MiB of events).
    public var batchEvents: Int
    /// Set while a writer may still be appending: a final NDJSON line without a newline that is not yet a whole
    /// JSON value is held back (the batch says so and ends before it) instead of being read as malformed, so a
    /// later read, once the line is finished, reads it whole.
    public var holdsBackUnfinishedLine: Bool

    public static let defaultMaxLineBytes = 16 << 20
    public static let defaultBatchBytes = 8 << 20
    /// A plain NDJSON file with at least this much left to read is read in two halves at once (`TailRead`).
    static let defaultSplitMinimumBytes = 32 << 20
    /// `defaultSplitMinimumBytes`, lowered by tests to split small fixture files.
    var splitMinimumBytes = AuditLogReader.defaultSplitMinimumBytes

    /// The exit code of a process whose input file shrank under a live mapping of it (README, "Exit codes"): the bytes
    /// being scanned are gone, so the process ends at once (`MappedFileWindow`), after the batches already handed out.
    public static let fileShrankExitCode: Int32 = 5

    public init(
        source: InputSource, format: LogFormat? = nil, prefilter: LinePrefilter = .bypassOnly, mode: ReadMode = .fast,
        maxLineBytes: Int = AuditLogReader.defaultMaxLineBytes, batchBytes: Int = AuditLogReader.defaultBatchBytes, batchEvents: Int = .max,
        holdsBackUnfinishedLine: Bool = false
    ) {
        self.holdsBackUnfinishedLine = holdsBackUnfinishedLine
        self.source = source
        self.format = format
        self.prefilter = prefilter
        self.mode = mode
        self.maxLineBytes = maxLineBytes
        self.batchBytes = batchBytes
        self.batchEvents = batchEvents
    }

    /// Reads from `position` to the end, calling `handle` once per batch (at least once, even for an empty input).
    /// Returns the format read. Throws only when the input cannot be read at all (cannot open, unknown format);
    /// bad records are reported in batches and skipped.
    ///
    /// Memory stays bounded whatever the input's size: a read window of a few hundred KiB plus the record being read
    /// (at most `maxLineBytes`), and the events of one batch (all records' events in `.validate` mode, so a smaller
    /// `batchBytes` keeps that mode's memory down). In `.fast` mode a record is parsed only when the prefilter says it
    /// may matter (or when its day cannot be read cheaply); every record still counts for coverage.
    ///
    /// Resuming: `position` must be a batch `end` from an earlier read of the same input. Plain files jump straight
    /// there; gzip input, standard input and whole JSON documents are scanned again from the start without emitting
    /// anything before `position`, so records are never repeated.
    public func read(from position: ReadPosition = .start, _ handle: (ReadBatch) throws -> Void) throws -> LogFormat {
        try withoutActuallyEscaping(handle) { handle in
            try ReadSession(reader: self, start: position, handle: handle).run()
        }
    }
}
