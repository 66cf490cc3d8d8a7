import BypassAuditor
import Foundation

/// What `collect` (and each `watch --collect` cycle) says about a run: per content type, the subscription state,
/// windows, blobs, and any window the API no longer serves.
enum CollectText {
    static func lines(_ summary: ActivityCollectSummary) -> (out: [String], err: [String]) {
        var out: [String] = []
        var err: [String] = []
        for type in summary.contentTypes {
            let name = TerminalText.safe(type.contentType)
            switch type.subscription {
            case .startedNow:
                err.append(
                    "NOTICE: \(name): subscription started now for tenant \(TerminalText.safe(summary.tenant)). "
                        + "Content can take up to 12 hours to appear: an empty result is not \"no activity\"; "
                        + "run collect again later.")
            case .startedRecently:
                let at = type.subscriptionStartedAt.map(UTCTimestamp.format) ?? "recently"
                err.append(
                    "NOTICE: \(name): subscription started at \(at), less than 12 hours ago: content may still be "
                        + "missing.")
            case .enabled:
                break
            }
            if let lost = type.lost {
                err.append(
                    "WARNING: \(name): \(UTCTimestamp.format(lost.start)) to \(UTCTimestamp.format(lost.end)) is older "
                        + "than the 7 days the Management Activity API keeps: that window is lost to collect "
                        + "(recorded as a coverage gap). Fetch it with Search-UnifiedAuditLog or a Purview audit "
                        + "export and `bypass-auditor ingest` the file.")
            }
            let span = type.windows.first.map {
                " from \(UTCTimestamp.format($0.start)) to \(UTCTimestamp.format(type.windows.last!.end))"
            } ?? ""
            out.append(
                "\(name): \(type.windows.count) window(s)\(span); \(type.blobsListed) blob(s) listed, "
                    + "\(type.blobsFetched) fetched, \(type.blobsAlreadyStored) already stored")
        }
        let ingest = summary.ingest
        out.append(
            "read \(ingest.records) record(s); stored \(ingest.eventsStored) new event(s), \(ingest.duplicates) "
                + "already stored, \(ingest.skipped) skipped")
        for error in ingest.errors { err.append("skipped: \(TerminalText.safe(error.description))") }
        return (out, err)
    }
}
