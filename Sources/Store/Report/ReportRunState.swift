/// Where a stored report run is in its life cycle (`report_run.state`).
public enum ReportRunState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rendered and stored, its folder not yet (known to be) in place: only an interrupted run leaves one.
    case pending
    /// Its folder is in place: the report as published.
    case published
    /// Withdrawn by a later `report --force`; its folder was moved aside, kept as it was.
    case replaced
}
