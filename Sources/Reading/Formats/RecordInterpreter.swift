import Core

/// Turns one record's bytes into an event, or into the reason it was skipped (and the line, relative to the record's
/// first line, where the problem sits).
struct RecordInterpreter {
    struct Failure: Error, Sendable, Equatable {
        /// Lines after the record's first line (a multi-line JSON record's error names the line it is on).
        var lineOffset: Int
        var reason: String
    }

    let kind: ReadPlan.RecordKind
    /// Set for CSV rows: the record is the row's AuditData.
    let csvHeader: PurviewCSVHeader?
    /// Field paths of the record keys seen so far in this read.
    let cache = RecordKeyCache()

    init(kind: ReadPlan.RecordKind, csvHeader: PurviewCSVHeader?) {
        self.kind = kind
        self.csvHeader = csvHeader
    }

    func event(from bytes: UnsafeRawBufferPointer) -> Result<AuditEvent, Failure> {
        if let csvHeader {
            do throws(RecordRejection) {
                let fields = try CSVRow.fields(of: bytes)
                let record = try csvHeader.record(from: fields)
                return .success(try ManagementRecordNormalizer.normalize(record, cache: cache))
            } catch {
                return .failure(Failure(lineOffset: 0, reason: error.reason))
            }
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure(RecordInterpreter.locate(error, in: bytes))
        }
        do throws(RecordRejection) {
            switch kind {
            case .managementRecord: return .success(try ManagementRecordNormalizer.normalize(value, cache: cache))
            case .ecsDocument: return .success(try ECSDocumentNormalizer.normalize(value))
            }
        } catch {
            return .failure(Failure(lineOffset: 0, reason: error.reason))
        }
    }

    /// A syntax error as `line offset` + "… at column N" (columns count bytes from 1).
    static func locate(_ error: JSONSyntaxError, in bytes: UnsafeRawBufferPointer) -> Failure {
        let offset = min(error.offset, bytes.count)
        var lineOffset = 0
        var lineStart = 0
        for index in 0..<offset where bytes[index] == 0x0A {
            lineOffset += 1
            lineStart = index + 1
        }
        let column = offset - lineStart + 1
        let reason =
            error.message == "invalid UTF-8"
            ? "invalid UTF-8 at column \(column)" : "malformed JSON at column \(column): \(error.message)"
        return Failure(lineOffset: lineOffset, reason: reason)
    }
}
