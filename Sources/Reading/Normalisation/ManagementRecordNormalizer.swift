import Core

/// Turns one raw Office 365 Management Activity API record into the ECS event Elastic's o365 integration produces.
///
/// The mapping follows Elastic's `o365.audit` ingest pipeline (elastic/integrations, packages/o365 data_stream audit,
/// default.yml) step for step. Where the two Elastic pipelines (that one and the older Filebeat module) differ, the
/// integration wins, except that every record key stays under `o365.audit.*` as in the Filebeat module (the integration
/// moves some of them out) — rules for either keep matching. Not reproduced: geo/AS lookups, user-agent parsing, the
/// DLP policy-rule extraction, Yammer-specific fields and the `Data` JSON expansion; none bears on Exchange records.
enum ManagementRecordNormalizer {
    static func normalize(_ value: JSONValue, cache: RecordKeyCache = RecordKeyCache()) throws(RecordRejection) -> AuditEvent {
        guard case .object(let record) = value else { throw RecordRejection("record is not a JSON object") }
        return try normalize(unwrapped(record), cache: cache)
    }

    /// The record inside a SIEM envelope (`{"event": {…record…}, "routing": {…}}`, as LimaCharlie writes it): an
    /// object with `event` and `routing` and no record keys of its own.
    static func unwrapped(_ record: JSONObject) -> JSONObject {
        guard record["CreationTime"] == nil, record["Operation"] == nil, record["routing"] != nil,
            case .object(let inner)? = record.value("event")
        else { return record }
        return inner
    }

    static func normalize(_ record: JSONObject, cache: RecordKeyCache = RecordKeyCache()) throws(RecordRejection) -> AuditEvent {
        var document = DocumentBuilder()
        // One pass: every key under o365.audit.*, and the keys the mapping reads noted on the way.
        var keys = RecordKeys()
        for member in record.members {
            let entry = cache.entry(for: member.key)
            if entry.known >= 0 { keys.note(entry.known, member.value) }
            switch member.key {
            case "Parameters", "ExtendedProperties":
                addNameValueList(member.value, path: entry.path, cache: cache, into: &document.fields)
            case "ModifiedProperties":
                addModifiedProperties(member.value, path: entry.path, into: &document.fields)
            case "AlertLinks":
                addAlertLinks(member.value, path: entry.path, into: &document.fields)
            default:
                if let scalar = member.value.scalarFieldValue {
                    document.fields[entry.path] = scalar
                } else {
                    FieldFlattener.flatten(member.value, prefix: entry.path, into: &document.fields)
                }
            }
        }

        // A record without Id is kept under a derived id (see `DerivedEventID`), set once the document is built.
        let givenID = keys.text(.id).flatMap { $0.isEmpty ? nil : $0 }
        let label = givenID ?? "without Id"
        guard let creationTime = keys[.creationTime] else {
            throw RecordRejection("record \(label) has no CreationTime")
        }
        guard let timestamp = EventTimestamp.normalise(creationTime) else {
            throw RecordRejection(
                "record \(label) has an unreadable CreationTime \((creationTime.scalarText ?? "(not a string)").quotedForMessage)")
        }

        document.set("@timestamp", timestamp)
        document.set("ecs.version", O365ECS.ecsVersion)
        if let givenID { document.set(ECSField.eventID, givenID) }
        document.set("event.kind", "event")
        document.set("event.module", O365ECS.module)
        document.set(ECSField.dataset, ECSField.o365AuditDataset)
        document.set(ECSField.dataStreamDataset, ECSField.o365AuditDataset)
        document.append("event.type", "info")
        document.append("event.category", "web")

        let text = { (key: RecordKeys.Key) -> String? in keys.text(key) }
        if let action = text(.operation) { document.set(ECSField.action, action) }
        if let provider = text(.workload) { document.set(ECSField.provider, provider) }
        if let userID = text(.userID) { document.set(ECSField.userID, userID) }
        if let organization = text(.organizationID) { document.set(ECSField.organizationID, organization.lowercased()) }
        if let agent = text(.userAgent) { document.set("user_agent.original", agent) }
        let code = AuditRecordType.name(for: keys[.recordType]?.scalarFieldValue)
        if let code { document.set(ECSField.code, code) }
        document.set(ECSField.outcome, EventOutcome(resultStatus: text(.resultStatus)).rawValue)
        if let severity = text(.severity), let number = ["informational": 1, "low": 2, "medium": 3, "high": 4][severity] {
            document.fields["event.severity"] = .integer(Int64(number))
        }

        var serverText: String?
        switch code {
        case "ExchangeAdmin":
            document.setIfPresent("organization.name", text(.organizationName))
            serverText = text(.originatingServer)
        case "ExchangeItem":
            document.setIfPresent("user.email", text(.mailboxOwnerUPN))
            if document.fields[ECSField.userID] == nil { document.setIfPresent(ECSField.userID, text(.logonUserSid)) }
            document.setIfPresent("user.full_name", text(.logonUserDisplayName))
            document.setIfPresent("organization.name", text(.organizationName))
            document.setIfPresent("process.name", text(.clientProcessName))
            serverText = text(.originatingServer)
        case "AzureActiveDirectory":
            document.setIfPresent("user.target.id", text(.objectID))
            renameAction(
                in: &document,
                [
                    "Add user.": ("added-user-account", ["iam"], ["user", "creation"]),
                    "Update user.": ("modified-user-account", ["iam"], ["user", "change"]),
                    "Delete user.": ("deleted-user-account", ["iam"], ["user", "deletion"]),
                ])
        case "AzureActiveDirectoryStsLogon":
            document.append("event.category", "authentication")
            document.append("event.type", "start")
            document.append("event.type", "access")
        case "SharePointFileOperation", "SharePointSharingOperation":
            document.setIfPresent("url.original", text(.objectID))
            document.setIfPresent("file.directory", text(.sourceRelativeUrl))
            document.setIfPresent("file.name", text(.sourceFileName))
            document.setIfPresent("file.extension", text(.sourceFileExtension))
        case "SecurityComplianceAlerts":
            addSecurityAlertFields(keys, into: &document)
        case "ComplianceDLPSharePoint", "ComplianceDLPExchange":
            document.set("event.kind", "alert")
            document.append("event.category", "file")
            document.append("event.type", "access")
        case "MicrosoftTeams":
            renameAction(
                in: &document,
                [
                    "TeamCreated": ("added-group-account-to", ["iam"], ["group", "creation"]),
                    "MemberAdded": ("added-users-to-group", ["iam"], ["group", "change"]),
                    "Delete user.": ("deleted-user-account", ["iam"], ["user", "deletion"]),
                ])
            if document.string(ECSField.action) == "deleted-user-account" {
                document.setIfPresent("user.target.id", text(.objectID))
            }
            document.setIfPresent("group.name", text(.teamName))
        default:
            break
        }
        addFileActionCategories(into: &document)

        addClientAddress(keys, into: &document)
        if let serverText, let server = NetworkAddress.parseServer(serverText) {
            document.setIfPresent("server.address", server.address)
            document.setIfPresent("server.domain", server.domain)
            document.setIfPresent("server.ip", server.ip)
            document.setIfPresent("destination.ip", server.ip)
        }
        splitEmail(prefix: "user", in: &document)
        splitEmail(prefix: "user.target", in: &document)
        if let ip = document.string("client.ip") {
            document.set("network.type", ip.contains(":") ? "ipv6" : "ipv4")
        }
        document.appendUnique("related.ip", document.string("client.ip"))
        document.appendUnique("related.ip", document.string("server.ip"))
        document.appendUnique("related.user", document.string("user.name"))
        document.appendUnique("related.user", document.string("user.target.name"))
        if code == "MicrosoftTeams", let members = keys[.members]?.arrayValue {
            for member in members {
                if let upn = member.objectValue?.value("UPN")?.stringValue, !upn.isEmpty {
                    document.appendUnique("related.user", upn)
                }
            }
        }
        if let agent = document.string("o365.audit.ExtendedProperties.UserAgent") {
            document.set("user_agent.original", agent)
        }
        if let organization = document.string(ECSField.organizationID) { document.set("host.id", organization) }
        if let name = document.string("organization.name") ?? document.string("user.domain") {
            document.set("host.name", name)
        }
        BypassParameters.recoverFromRawParameters(in: &document.fields)
        if givenID == nil { document.set(ECSField.eventID, try DerivedEventID.derive(from: document.fields)) }
        return AuditEvent(fields: document.fields)
    }

    // MARK: - o365.audit.*

    /// `[{"Name": "Identity", "Value": "x"}, …]` → `<path>.Identity = x`, looked up by name whatever the order; pairs
    /// whose value is null are dropped. A plain string is kept whole as `<path>._raw`.
    static func addNameValueList(
        _ value: JSONValue, path: String, cache: RecordKeyCache, into fields: inout [String: FieldValue]
    ) {
        switch value {
        case .array(let items):
            for item in items {
                guard let pair = item.objectValue, let name = pair.value("Name")?.scalarText, !name.isEmpty,
                    let pairValue = pair.value("Value")
                else { continue }
                let pairPath = cache.path(in: path, name: name)
                if let scalar = pairValue.scalarFieldValue {
                    fields[pairPath] = scalar
                } else {
                    FieldFlattener.flatten(pairValue, prefix: pairPath, into: &fields)
                }
            }
        case .string(let text):
            fields[path + "._raw"] = .string(text)
        default:
            FieldFlattener.flatten(value, prefix: path, into: &fields)
        }
    }

    /// `[{"Name": "X", "NewValue": …, "OldValue": …}]` → `<path>.X.NewValue` / `.OldValue` (names with spaces or dots
    /// use `_`, as Elastic does; entries lacking either value are dropped).
    private static func addModifiedProperties(_ value: JSONValue, path: String, into fields: inout [String: FieldValue]) {
        switch value {
        case .array(let items):
            for item in items {
                guard let property = item.objectValue, let name = property.value("Name")?.scalarText,
                    let newValue = property.value("NewValue"), let oldValue = property.value("OldValue")
                else { continue }
                let safeName = name.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: ".", with: "_")
                FieldFlattener.flatten(newValue, prefix: path + "." + safeName + ".NewValue", into: &fields)
                FieldFlattener.flatten(oldValue, prefix: path + "." + safeName + ".OldValue", into: &fields)
            }
        case .string(let text):
            fields[path + "._raw"] = .string(text)
        default:
            FieldFlattener.flatten(value, prefix: path, into: &fields)
        }
    }

    private static func addAlertLinks(_ value: JSONValue, path: String, into fields: inout [String: FieldValue]) {
        guard case .array(let items) = value else {
            FieldFlattener.flatten(value, prefix: path, into: &fields)
            return
        }
        let links = items.compactMap { $0.objectValue?.value("AlertLinkHref")?.stringValue }.filter { !$0.isEmpty }
        if !links.isEmpty { fields[path] = .list(links.map(FieldValue.string)) }
    }

    // MARK: - ECS enrichment

    /// The first of ClientIPAddress, ClientIP, ActorIpAddress that holds an address (the integration's order; values
    /// the services write for "none" — "", "null", "<null>" — are skipped as the Filebeat module skips them).
    private static func addClientAddress(_ keys: RecordKeys, into document: inout DocumentBuilder) {
        let raw = [RecordKeys.Key.clientIPAddress, .clientIP, .actorIpAddress].lazy
            .compactMap { keys.text($0) }
            .first { !NetworkAddress.isUnset($0) }
        guard let raw, let client = NetworkAddress.parseClient(raw) else { return }
        document.setIfPresent("client.address", client.address)
        document.setIfPresent("client.ip", client.ip)
        document.setIfPresent("client.domain", client.domain)
        document.setIfPresent("source.ip", client.ip)
        if let port = client.port {
            document.fields["client.port"] = .integer(port)
            document.fields["source.port"] = .integer(port)
        }
    }

    private static func splitEmail(prefix: String, in document: inout DocumentBuilder) {
        guard let id = document.string(prefix + ".id") else { return }
        let utf8 = id.utf8
        guard let at = utf8.firstIndex(of: UInt8(ascii: "@")), !utf8[utf8.index(after: at)...].contains(UInt8(ascii: "@"))
        else { return }
        document.set(prefix + ".email", id)
        document.set(prefix + ".name", String(id[..<at]))
        document.set(prefix + ".domain", String(id[id.index(after: at)...]))
    }

    private static func renameAction(
        in document: inout DocumentBuilder, _ renames: [String: (action: String, categories: [String], types: [String])]
    ) {
        guard let action = document.string(ECSField.action), let rename = renames[action] else { return }
        document.set(ECSField.action, rename.action)
        for category in rename.categories { document.append("event.category", category) }
        for type in rename.types { document.append("event.type", type) }
    }

    private static let fileActionTypes: [String: String] = [
        "FileAccessed": "access", "FileDownloaded": "access", "FileDeleted": "deletion", "FolderDeleted": "deletion",
        "FileModified": "change", "FileMoved": "change", "FileRenamed": "change", "FileRestored": "change",
        "FolderModified": "change", "FolderMoved": "change", "FolderRenamed": "change", "FolderRestored": "change",
        "FileUploaded": "creation", "FolderCopied": "creation", "FolderCreated": "creation",
    ]

    /// The integration classifies these operations whatever the record type.
    private static func addFileActionCategories(into document: inout DocumentBuilder) {
        guard let action = document.string(ECSField.action) else { return }
        if let type = fileActionTypes[action] {
            document.append("event.category", "file")
            document.append("event.type", type)
        } else if action == "ComplianceSettingChanged" {
            document.append("event.category", "configuration")
            document.append("event.type", "change")
        }
    }

    private static func addSecurityAlertFields(_ keys: RecordKeys, into document: inout DocumentBuilder) {
        let text = { (key: RecordKeys.Key) -> String? in keys.text(key) }
        document.set("event.kind", "alert")
        document.setIfPresent("message", text(.comments))
        document.setIfPresent("rule.name", text(.name))
        document.setIfPresent("rule.id", text(.policyID))
        document.setIfPresent("rule.category", text(.category))
        document.setIfPresent("rule.ruleset", text(.entityType))
        document.setIfPresent("rule.description", text(.alertEntityID))
        if let links = document.fields["o365.audit.AlertLinks"] { document.fields["rule.reference"] = links }
        switch text(.category) {
        case "AccessGovernance": document.append("event.category", "authentication")
        case "DataGovernance", "DataLossPrevention": document.append("event.category", "file")
        case "ThreatManagement": document.append("event.category", "malware")
        case .some: document.appendUnique("event.category", "authentication")
        case nil: break
        }
        switch text(.entityType) {
        case "User":
            if document.fields[ECSField.userID] == nil { document.setIfPresent(ECSField.userID, text(.alertEntityID)) }
        case "Recipients", "Sender": document.setIfPresent("user.email", text(.alertEntityID))
        case "MalwareFamily": document.setIfPresent("threat.technique.id", text(.alertEntityID))
        default: break
        }
    }
}

/// A flattened document under construction.
struct DocumentBuilder {
    var fields: [String: FieldValue]

    init() {
        fields = [:]
        // A typical record gives 40–60 fields; growing the table step by step cost more than the parse.
        fields.reserveCapacity(64)
    }

    mutating func set(_ path: String, _ value: String) {
        fields[path] = .string(value)
    }

    mutating func setIfPresent(_ path: String, _ value: String?) {
        if let value, !value.isEmpty { fields[path] = .string(value) }
    }

    func string(_ path: String) -> String? {
        guard let value = fields[path] else { return nil }
        if case .list(let items) = value { return items.first?.keyword }
        return value.keyword
    }

    /// Appends to a list field (ECS `event.category`, `event.type`, `related.*` are arrays).
    mutating func append(_ path: String, _ value: String) {
        switch fields[path] {
        case .list(let items): fields[path] = .list(items + [.string(value)])
        case .some(let single): fields[path] = .list([single, .string(value)])
        case nil: fields[path] = .list([.string(value)])
        }
    }

    mutating func appendUnique(_ path: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        if case .list(let items) = fields[path], items.contains(.string(value)) { return }
        append(path, value)
    }
}
