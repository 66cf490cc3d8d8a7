import Foundation

/// One audit record, normalised to the Elastic Common Schema document that Elastic's o365 pipeline produces for it.
///
/// Fields are held flattened under their dotted ECS paths (`o365.audit.Parameters.Identity`), which is how KQL
/// addresses them, whichever shape (nested, dotted, raw API record, CSV row) the record arrived in.
public struct AuditEvent: Sendable, Hashable {
    public var fields: [String: FieldValue]

    public init(fields: [String: FieldValue] = [:]) {
        self.fields = fields
    }

    public subscript(path: String) -> FieldValue? {
        get { fields[path] }
        set { fields[path] = newValue }
    }

    /// The field's first keyword, or nil when absent or empty.
    public func string(_ path: String) -> String? {
        guard let text = fields[path]?.keywords.first, !text.isEmpty else { return nil }
        return text
    }

    /// `event.id`: the Management Activity API record `Id`, the key events are stored under.
    public var id: String? { string(ECSField.eventID) }
    /// `@timestamp`, parsed.
    public var timestamp: Date? { string(ECSField.timestamp).flatMap(UTCTimestamp.parse) }
    /// `event.action`: the cmdlet or operation name.
    public var action: String? { string(ECSField.action) }
    public var provider: String? { string(ECSField.provider) }
    /// `event.outcome` as Elastic sets it (a missing or unknown ResultStatus reads as success).
    public var outcome: EventOutcome { EventOutcome(ecsValue: string(ECSField.outcome)) }
    /// The record's own `ResultStatus`, before Elastic's mapping: lets later stages tell "unknown" from "success".
    public var originalStatus: String? { string(ECSField.resultStatus) }
    /// `user.id`: who ran the cmdlet.
    public var actor: String? { string(ECSField.userID) }
    public var clientIP: String? { string(ECSField.clientIP) ?? string(ECSField.sourceIP) }
    public var tenant: TenantID { TenantID(string(ECSField.organizationID) ?? "") }
    public var objectID: String? { string(ECSField.objectID) }

    /// A cmdlet parameter by name (`Identity`, `AuditBypassEnabled`), as `o365.audit.Parameters.<Name>`.
    public func parameter(_ name: String) -> String? {
        string(ECSField.parametersPrefix + name)
    }

    /// The direction a `Set-MailboxAuditBypassAssociation` record asks for.
    public var bypassDirection: BypassDirection {
        BypassDirection(auditBypassEnabled: parameter("AuditBypassEnabled"))
    }

    public var isBypassChange: Bool { action == ECSField.bypassCmdlet }
}

extension AuditEvent: Codable {
    public init(from decoder: Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: FieldValue].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fields)
    }
}

extension AuditEvent {
    /// Canonical JSON (sorted keys, no whitespace): what the store keeps and the integrity chain hashes.
    ///
    /// Throws rather than return a stand-in: a document that cannot be encoded (a non-finite number) must never be
    /// stored as something else. The readers keep numbers that do not fit a Double as their source text, so a read
    /// record always encodes.
    ///
    /// The text is the one `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`, byte for byte
    /// (`AuditEventTests` holds them together), written directly: `JSONEncoder` built a coding path and boxed every
    /// field, which was a quarter of `ingest` when a month holds 200,000 bypass changes.
    public func canonicalJSON() throws -> String {
        var writer = JSONTextWriter(pretty: false, reserving: 2048)
        do {
            try writer.writeFields(fields)
        } catch {
            throw AuditEventEncodingError(eventID: id, reason: "\(error)")
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Reads a stored document back: the event `JSONDecoder` reads from it through `Codable`, read by the tool's own
    /// JSON parser (`detect` reads a month of stored documents, and `JSONDecoder` was a third of it). `AuditEventTests`
    /// holds the two readers to the same events. They differ only on numbers the tool never writes: one beyond a
    /// Double's range reads as its text (as the log readers keep it) where `JSONDecoder` refused it, and an integer
    /// spelt below Int64's range that rounds to exactly -2^63 reads as that Int64 where `JSONDecoder` kept a Double.
    public init(canonicalJSON: String) throws {
        let root: JSONValue
        do {
            root = try JSONParser.parse(canonicalJSON)
        } catch {
            throw AuditEventDecodingError(reason: "not JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let object) = root else { throw AuditEventDecodingError(reason: "not a JSON object") }
        var fields: [String: FieldValue] = [:]
        fields.reserveCapacity(object.members.count)
        // A key given twice (never written by the tool) keeps its first value, as `JSONDecoder` read it.
        for member in object.members where fields[member.key] == nil {
            fields[member.key] = try FieldValue(storedJSON: member.value, key: member.key)
        }
        self.fields = fields
    }
}

/// A stored document that is not an event's canonical JSON (an object of scalars and lists of them).
public struct AuditEventDecodingError: Error, CustomStringConvertible {
    public let reason: String

    public var description: String { "a stored event document could not be read: \(reason)" }
}

extension FieldValue {
    /// The value `init(from:)` reads from `value` through `JSONDecoder`: a number that is whole and fits an Int64 is
    /// an integer however it is spelt (`1e2`, `1.0`), as `JSONDecoder` reads it as `Int64` before `Double`; null and
    /// objects are no field value.
    init(storedJSON value: JSONValue, key: String) throws {
        switch value {
        case .string(let text): self = .string(text)
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .integer(number)
        case .double(let number): self = Int64(exactly: number).map(FieldValue.integer) ?? .double(number)
        case .array(let items): self = .list(try items.map { try FieldValue(storedJSON: $0, key: key) })
        case .null: throw AuditEventDecodingError(reason: "field \(key) is null")
        case .object: throw AuditEventDecodingError(reason: "field \(key) is an object")
        }
    }
}

/// An event that could not be written as canonical JSON, so was not stored.
public struct AuditEventEncodingError: Error, CustomStringConvertible {
    public let eventID: String?
    public let reason: String

    public var description: String {
        "event \(eventID ?? "without id") cannot be encoded as JSON, so it is not stored: \(reason)"
    }
}

/// The ECS field paths the tool reads by name.
public enum ECSField {
    public static let timestamp = "@timestamp"
    public static let eventID = "event.id"
    public static let action = "event.action"
    public static let provider = "event.provider"
    public static let outcome = "event.outcome"
    public static let code = "event.code"
    public static let dataset = "event.dataset"
    public static let dataStreamDataset = "data_stream.dataset"
    public static let ingested = "event.ingested"
    public static let userID = "user.id"
    public static let clientIP = "client.ip"
    public static let sourceIP = "source.ip"
    public static let organizationID = "organization.id"
    public static let objectID = "o365.audit.ObjectId"
    public static let resultStatus = "o365.audit.ResultStatus"
    public static let parametersPrefix = "o365.audit.Parameters."
    public static let rawParameters = "o365.audit.Parameters._raw"

    /// The dataset both old (`event.dataset`) and new (`data_stream.dataset`) rule versions filter on.
    public static let o365AuditDataset = "o365.audit"
    /// The cmdlet this tool exists for.
    public static let bypassCmdlet = "Set-MailboxAuditBypassAssociation"
}
