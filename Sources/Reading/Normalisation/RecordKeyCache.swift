import Core
/// Remembers, per record key, the field path it becomes and whether the normaliser reads it, so a key seen on the
/// previous million records costs one hash lookup instead of a string concatenation and a linear search per use.
/// The paths are shared by every event read, which also keeps a batch's memory down.
///
/// One cache serves one read (it is not shared between threads). Hostile input with endless distinct keys cannot
/// grow it past `limit` entries; further keys are simply built each time.
final class RecordKeyCache {
    struct Entry {
        /// `o365.audit.<key>`
        var path: String
        /// Index into `RecordKeys.names` when the normaliser reads this key, else -1.
        var known: Int
    }

    static let limit = 4096
    private var entries: [String: Entry] = [:]
    private var parameterPaths: [String: [String: String]] = [:]

    init() {
        entries.reserveCapacity(256)
    }

    func entry(for key: String) -> Entry {
        if let entry = entries[key] { return entry }
        let entry = Entry(path: "o365.audit." + key, known: RecordKeys.index[key] ?? -1)
        if entries.count < RecordKeyCache.limit { entries[key] = entry }
        return entry
    }

    /// `<list path>.<name>` for a Name/Value list entry (`o365.audit.Parameters.Identity`).
    func path(in list: String, name: String) -> String {
        if let path = parameterPaths[list]?[name] { return path }
        let path = list + "." + name
        if (parameterPaths[list]?.count ?? 0) < RecordKeyCache.limit { parameterPaths[list, default: [:]][name] = path }
        return path
    }
}

/// The record keys the normaliser reads, gathered in one pass over the record.
struct RecordKeys {
    enum Key: Int, CaseIterable {
        case id, creationTime, operation, workload, userID, organizationID, userAgent, recordType, resultStatus, severity
        case organizationName, originatingServer, mailboxOwnerUPN, logonUserSid, logonUserDisplayName, clientProcessName
        case objectID, sourceRelativeUrl, sourceFileName, sourceFileExtension, teamName, members, clientIPAddress
        case clientIP, actorIpAddress, comments, name, policyID, category, entityType, alertEntityID
    }

    static let names = [
        "Id", "CreationTime", "Operation", "Workload", "UserId", "OrganizationId", "UserAgent", "RecordType",
        "ResultStatus", "Severity", "OrganizationName", "OriginatingServer", "MailboxOwnerUPN", "LogonUserSid",
        "LogonUserDisplayName", "ClientProcessName", "ObjectId", "SourceRelativeUrl", "SourceFileName",
        "SourceFileExtension", "TeamName", "Members", "ClientIPAddress", "ClientIP", "ActorIpAddress", "Comments", "Name",
        "PolicyId", "Category", "EntityType", "AlertEntityId",
    ]

    static let index: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    private var values = [JSONValue?](repeating: nil, count: RecordKeys.names.count)

    /// Records a key's value (a later duplicate wins, as in `JSONObject`; null counts as absent).
    mutating func note(_ known: Int, _ value: JSONValue) {
        values[known] = value == .null ? nil : value
    }

    subscript(key: Key) -> JSONValue? { values[key.rawValue] }

    func text(_ key: Key) -> String? { values[key.rawValue]?.scalarText }
}
