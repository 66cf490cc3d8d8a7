import Core

/// Normalises single records outside a file read, exactly as the readers do: for callers that hold one record (a test,
/// a record pasted into a command) rather than a file.
public enum AuditRecordNormalization {
    /// The event for one raw Office 365 Management Activity API record given as JSON text.
    /// Throws a `ReadError` (file `<record>`, line 1) saying why the record cannot be read.
    public static func event(fromManagementRecordJSON json: String) throws(ReadError) -> AuditEvent {
        try normalise(json) { value throws(RecordRejection) in try ManagementRecordNormalizer.normalize(value) }
    }

    /// The event for one ECS document (nested, flattened or mixed; a search hit or export line with `_source`).
    public static func event(fromECSDocumentJSON json: String) throws(ReadError) -> AuditEvent {
        try normalise(json) { value throws(RecordRejection) in try ECSDocumentNormalizer.normalize(value) }
    }

    private static func normalise(
        _ json: String, _ normalizer: (JSONValue) throws(RecordRejection) -> AuditEvent
    ) throws(ReadError) -> AuditEvent {
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            var copy = json
            let failure = copy.withUTF8 { RecordInterpreter.locate(error, in: UnsafeRawBufferPointer($0)) }
            throw ReadError(file: "<record>", line: 1 + failure.lineOffset, reason: failure.reason)
        }
        do {
            return try normalizer(value)
        } catch {
            throw ReadError(file: "<record>", line: 1, reason: error.reason)
        }
    }
}
