import Core
import Store
import Foundation

/// An alert as a document a SIEM can index: the event's ECS fields plus the `kibana.alert.*` fields Elastic's own
/// detection engine writes, in flattened dotted keys (Elasticsearch expands them on indexing).
///
/// Keys are ECS paths and are written verbatim (not through JSONCoding's snake_case conversion, which would rewrite
/// `o365.audit.ObjectId`); values follow the shared convention (UTC timestamps with milliseconds).
public enum AlertDocument {
    public static func fields(for alert: Alert, event: AuditEvent?, rule: DetectionRule? = nil) -> [String: FieldValue] {
        var fields: [String: FieldValue] = [:]
        for (key, value) in event?.fields ?? [:] {
            fields[key] = value
            // Kibana keeps the source event's own `event.*` under original_event, since `event.kind` becomes signal.
            if key.hasPrefix("event.") {
                fields["kibana.alert.original_event." + key.dropFirst("event.".count)] = value
            }
        }
        let time = { (date: Date) in FieldValue.string(UTCTimestamp.format(date)) }
        fields["@timestamp"] = time(alert.raisedAt)
        fields["event.kind"] = .string("signal")
        fields["kibana.alert.original_time"] = time(alert.eventTime)
        fields["kibana.alert.uuid"] = .string(uuid(ruleID: alert.ruleID, eventID: alert.eventID))
        fields["kibana.alert.rule.name"] = .string(alert.ruleName)
        fields["kibana.alert.rule.uuid"] = .string(alert.ruleID)
        fields["kibana.alert.rule.rule_id"] = .string(alert.ruleID)
        fields["kibana.alert.rule.type"] = .string("query")
        fields["kibana.alert.rule.category"] = .string("Custom Query Rule")
        fields["kibana.alert.severity"] = .string(alert.severity.rawValue)
        fields["kibana.alert.risk_score"] = .integer(Int64(alert.riskScore))
        fields["kibana.alert.rule.severity"] = .string(alert.severity.rawValue)
        fields["kibana.alert.rule.risk_score"] = .integer(Int64(alert.riskScore))
        fields["kibana.alert.status"] = .string("active")
        fields["kibana.alert.workflow_status"] = .string(alert.isOpen ? "open" : "acknowledged")
        fields["kibana.alert.reason"] = .string(alert.reason)
        fields["kibana.alert.ancestors.id"] = .string(alert.eventID)
        if let rule {
            fields["kibana.alert.rule.description"] = .string(rule.description)
            fields["kibana.alert.rule.tags"] = .list(rule.tags.map(FieldValue.string))
            fields["kibana.alert.rule.from"] = .string(rule.lookBack.text)
            fields["kibana.alert.rule.interval"] = .string(rule.interval.text)
            fields["kibana.alert.rule.max_signals"] = .integer(Int64(rule.maxSignals))
            if let version = rule.version { fields["kibana.alert.rule.version"] = .string(String(version)) }
            if !rule.techniqueIDs.isEmpty {
                fields["threat.technique.id"] = .list(rule.techniqueIDs.map(FieldValue.string))
            }
        }
        if let triage = alert.triage {
            fields["kibana.alert.workflow_user"] = .string(triage.by)
            fields["kibana.alert.workflow_status_updated_at"] = time(triage.at)
        }
        fields["bypass_auditor.alert.id"] = .integer(alert.id)
        fields["bypass_auditor.signal"] = .string(alert.signal.rawValue)
        fields["bypass_auditor.direction"] = .string(alert.direction.rawValue)
        fields["bypass_auditor.tenant"] = .string(alert.tenant.rawValue)
        if let explanation = alert.directionExplanation {
            fields["bypass_auditor.direction_explanation"] = .string(explanation)
        }
        return fields
    }

    /// One NDJSON line (no trailing newline): sorted keys, no whitespace.
    public static func line(for alert: Alert, event: AuditEvent?, rule: DetectionRule? = nil) throws -> String {
        try AuditEvent(fields: fields(for: alert, event: event, rule: rule)).canonicalJSON()
    }

    /// The NDJSON line of `alert`, with its event read from `store` (nil fields when the event is gone).
    public static func line(for alert: Alert, in store: AuditDatabase, rule: DetectionRule? = nil) throws -> String {
        let event = try store.read { db in try EventStore.event(id: alert.eventID, db)?.event }
        return try line(for: alert, event: event, rule: rule)
    }

    /// A stable id per (rule, event), as Kibana derives its alert ids from what they are about.
    public static func uuid(ruleID: String, eventID: String) -> String {
        let hex = Array(SHA256Digest.hex(of: ruleID + "\u{0}" + eventID).prefix(32))
        return [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]].map { String($0) }
            .joined(separator: "-")
    }
}
