import Core
import Foundation

/// The header of a Purview / Search-UnifiedAuditLog CSV export, located by column names (any order, any case):
/// the classic `CreationDate,UserIds,Operations,AuditData` and the newer
/// `RecordId,CreationDate,RecordType,Operation,UserId,AuditData,…`. Only `AuditData` is required.
struct PurviewCSVHeader: Sendable, Equatable {
    let columnCount: Int
    let auditData: Int
    let creationDate: Int?
    let recordID: Int?
    let operation: Int?
    let userID: Int?
    let recordType: Int?

    init?(fields: [[UInt8]]) {
        let names = fields.map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
        }
        func column(_ candidates: String...) -> Int? { names.firstIndex { candidates.contains($0) } }
        guard let auditData = column("auditdata") else { return nil }
        columnCount = fields.count
        self.auditData = auditData
        creationDate = column("creationdate", "creationtime")
        recordID = column("recordid", "id", "identity")
        operation = column("operation", "operations")
        userID = column("userid", "userids")
        recordType = column("recordtype")
    }

    /// The raw record the row's AuditData holds. Keys AuditData lacks are taken from the row's own columns
    /// (`Id` from RecordId, `CreationTime` from CreationDate, and Operation, UserId, RecordType), so an export whose
    /// AuditData was trimmed still yields a complete record.
    func record(from fields: [[UInt8]]) throws(RecordRejection) -> JSONObject {
        guard fields.count == columnCount else {
            throw RecordRejection("broken CSV row: it has \(fields.count) fields but the header has \(columnCount)")
        }
        let auditText = fields[auditData]
        guard auditText.contains(where: { $0 != 0x20 && $0 != 0x09 }) else {
            throw RecordRejection("CSV row has an empty AuditData cell")
        }
        let parsed = auditText.withUnsafeBytes { bytes in
            Result { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parse(bytes) }
        }
        let value: JSONValue
        switch parsed {
        case .success(let parsedValue):
            value = parsedValue
        case .failure(let error):
            let what = error.message == "invalid UTF-8" ? "invalid UTF-8" : "malformed JSON (\(error.message))"
            throw RecordRejection("\(what) in the AuditData cell at character \(error.offset + 1)")
        }
        guard case .object(var record) = value else { throw RecordRejection("the AuditData cell is not a JSON object") }
        func fill(_ key: String, from column: Int?, transform: (String) -> String? = { $0 }) {
            guard record.value(key) == nil, let column else { return }
            let text = String(decoding: fields[column], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, let converted = transform(text) else { return }
            record.members.append(JSONObject.Member(key: key, value: .string(converted)))
        }
        fill("Id", from: recordID)
        fill("CreationTime", from: creationDate, transform: PurviewCSVHeader.isoCreationDate)
        fill("Operation", from: operation)
        fill("UserId", from: userID)
        fill("RecordType", from: recordType)
        return record
    }

    /// CreationDate as ISO 8601: kept when already ISO; `M/D/YYYY h:mm:ss AM|PM` (what Export-Csv writes under en-US)
    /// converted. Other locales' forms are ambiguous and left out (nil).
    static func isoCreationDate(_ text: String) -> String? {
        if UTCTimestamp.parse(text) != nil { return text }
        let parts = text.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        let date = parts[0].split(separator: "/")
        let time = parts[1].split(separator: ":")
        guard date.count == 3, time.count >= 2, let month = Int(date[0]), let day = Int(date[1]), let year = Int(date[2]),
            var hour = Int(time[0]), let minute = Int(time[1])
        else { return nil }
        let second = time.count > 2 ? Int(time[2]) ?? 0 : 0
        if parts.count >= 3 {
            switch parts[2].uppercased() {
            case "PM" where hour < 12: hour += 12
            case "AM" where hour == 12: hour = 0
            default: break
            }
        }
        guard UTCDay(year: year, month: month, day: day) != nil, hour < 24, minute < 60, second < 61 else { return nil }
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second)
    }
}
