import Core
import Foundation

/// The key a record without its own id (`Id`, `event.id`) is stored under.
///
/// SIEM adapters (LimaCharlie, some Logstash pipelines) strip `Id`. Such a record is kept, under
/// `derived:sha256:<hex>`, the SHA-256 of the normalised event's canonical JSON (sorted keys, no whitespace) taken
/// before the id is set: the same record read again — from the same or another file, in another key order or
/// envelope — gets the same key, so it is stored once. Two records that differ in any field get different keys.
/// The prefix says everywhere the id shows (alerts, inventory, reports) that the source carried none.
public enum DerivedEventID {
    public static let prefix = "derived:sha256:"

    /// Whether `id` was derived rather than read from the record.
    public static func isDerived(_ id: String) -> Bool { id.hasPrefix(prefix) }

    /// The derived id of the event whose fields (without `event.id`) are `fields`.
    static func derive(from fields: [String: FieldValue]) throws(RecordRejection) -> String {
        do {
            return prefix + SHA256Digest.hex(of: try AuditEvent(fields: fields).canonicalJSON())
        } catch {
            throw RecordRejection("record has no Id, and no id can be derived from it: \(error)")
        }
    }
}
