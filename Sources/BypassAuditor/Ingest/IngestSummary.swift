/// What one `ingest` run did (`ingest --json` prints it; see README "JSON schemas").
public struct IngestSummary: Sendable, Hashable, Codable {
    /// Input files read (or resumed).
    public var files: Int = 0
    /// Records read (prefiltered ones included; malformed ones excluded).
    public var records: Int = 0
    /// New events stored.
    public var eventsStored: Int = 0
    /// Events already stored (same `event.id`) and not stored again.
    public var duplicates: Int = 0
    /// Records or lines skipped as malformed.
    public var skipped: Int = 0
    /// The first skipped records, each `{file, line, reason}`.
    public var errors: [ReadError] = []
    /// Skipped records not listed in `errors` (the list is capped).
    public var errorsNotListed: Int = 0
    /// Inputs already fully ingested and unchanged, not read again.
    public var filesUnchanged: Int = 0
    /// Bytes read (decompressed).
    public var bytes: UInt64 = 0

    public init() {}
}
