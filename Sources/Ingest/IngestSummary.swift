import Core
import Reading

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
    /// Unfinished final lines (no newline, not yet whole JSON) of files written to recently, held back to be read
    /// whole by a later run; each `{file, line, reason}`.
    public var heldBack: [ReadError] = []
    /// Files whose bytes before the checkpoint changed (rewritten in place): read again from the start, stored
    /// events de-duplicated by id.
    public var filesReread: Int = 0
    /// New events stored under an id derived from their content, because the record carried no `Id`.
    public var derivedIds: Int = 0
    /// Kept events whose record carried no `OrganizationId` (before `--tenant` assigned one).
    public var withoutTenant: Int = 0
    /// Of those, how many `--tenant` assigned to a tenant.
    public var tenantAssigned: Int = 0
    /// The tenants of the events kept (the unknown tenant as ""), so mixing one with none is visible.
    public var tenants: [TenantID] = []

    public init() {}
}
