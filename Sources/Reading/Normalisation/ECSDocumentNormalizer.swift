import Core

/// Reads an ECS document that Elastic already produced (Filebeat, Elastic Agent, a `_source` export) into an event.
///
/// The document is taken as it is — nested, flattened dotted keys, or a mixture — and only flattened; nothing is
/// invented (a document without `event.dataset` / `data_stream.dataset` keeps lacking them, so a rule filtering on
/// them behaves as it would in Elastic). Two things are normalised: `@timestamp` is rewritten in the one form every
/// event uses, and a bypass record whose parameters survive only as `Parameters._raw` gets Identity and
/// AuditBypassEnabled read out of it (see `BypassParameters`).
package enum ECSDocumentNormalizer {
    static func normalize(_ value: JSONValue) throws(RecordRejection) -> AuditEvent {
        guard case .object(var document) = value else { throw RecordRejection("document is not a JSON object") }
        // An Elasticsearch hit or export line (`{"_index": …, "_id": …, "_source": {…}}`): the document is `_source`.
        if document["@timestamp"] == nil, let source = document.value("_source") {
            guard case .object(let inner) = source else { throw RecordRejection("_source is not a JSON object") }
            document = inner
        }
        var fields = FieldFlattener.flatten(document)
        let givenID = fields[ECSField.eventID]?.keywords.first.flatMap { $0.isEmpty ? nil : $0 }
        let id = givenID ?? "without event.id"
        guard let rawTimestamp = document["@timestamp"] else {
            throw RecordRejection("document \(id) has no @timestamp")
        }
        guard let timestamp = EventTimestamp.normalise(rawTimestamp) else {
            throw RecordRejection(
                "document \(id) has an unreadable @timestamp \((rawTimestamp.scalarText ?? "(not a string)").quotedForMessage)")
        }
        fields[ECSField.timestamp] = .string(timestamp)
        BypassParameters.recoverFromRawParameters(in: &fields)
        // A document without event.id is kept under a derived id (see `DerivedEventID`).
        if givenID == nil { fields[ECSField.eventID] = .string(try DerivedEventID.derive(from: fields)) }
        return AuditEvent(fields: fields)
    }

    /// A search hit: the document is its `_source`.
    package static func normalizeHit(_ value: JSONValue) throws(RecordRejection) -> AuditEvent {
        guard case .object(let hit) = value else { throw RecordRejection("search hit is not a JSON object") }
        if hit["@timestamp"] != nil { return try normalize(value) }
        guard let source = hit.value("_source") else { throw RecordRejection("search hit has no _source") }
        return try normalize(source)
    }
}
