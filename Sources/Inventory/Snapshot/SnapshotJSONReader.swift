import Foundation

/// Reads `ConvertTo-Json` output of `Get-MailboxAuditBypassAssociation`: one object or an array of objects.
///
/// Property names are matched case-insensitively, as PowerShell does. REST-based output adds `@odata.type` and
/// `<Property>@data.type` keys; any key holding `@` is type metadata, never a property, and is ignored.
enum SnapshotJSONReader {
    static func rows(in text: String, fileName: String) throws -> ([SnapshotRow], [SnapshotProblem]) {
        let value: SnapshotJSONValue
        do {
            value = try JSONDecoder().decode(SnapshotJSONValue.self, from: Data(text.utf8))
        } catch {
            if let syntax = JSONSyntaxCheck.firstError(in: text) {
                throw SnapshotFileError(
                    file: fileName, line: syntax.line, column: syntax.column, reason: "not valid JSON: \(syntax.reason)")
            }
            throw SnapshotFileError(file: fileName, reason: "not valid JSON: \(describe(error))")
        }
        let lines = objectStartLines(in: text)
        let elements: [SnapshotJSONValue]
        switch value {
        case .array(let items): elements = items
        case .object: elements = [value]
        default:
            throw SnapshotFileError(file: fileName, line: 1, reason: "expected a JSON object or an array of objects")
        }
        var rows: [SnapshotRow] = []
        var skipped: [SnapshotProblem] = []
        var sawBypassKey = false
        var sawIdentityKey = false
        var objectIndex = 0
        for (offset, element) in elements.enumerated() {
            let rowNumber = offset + 1
            guard case .object(let pairs) = element else {
                // Non-objects are not rows; their line is not tracked, so name the row number.
                skipped.append(
                    SnapshotProblem(
                        file: fileName, line: lines.first ?? 1, row: rowNumber,
                        reason: "array element \(rowNumber) is not an object"))
                continue
            }
            let line = objectIndex < lines.count ? lines[objectIndex] : 1
            objectIndex += 1
            var properties: [String: SnapshotJSONValue] = [:]
            for pair in pairs where !pair.key.contains("@") {
                let lowered = pair.key.lowercased()
                if properties[lowered] == nil { properties[lowered] = pair.value }
            }
            if properties[SnapshotFile.bypassColumn] != nil { sawBypassKey = true }
            if SnapshotFile.identityColumns.contains(where: { properties[$0] != nil }) { sawIdentityKey = true }
            func cell(_ column: String) -> String? { properties[column]?.cellText }
            rows.append(
                SnapshotRow(
                    row: rowNumber, line: line, name: cell(SnapshotFile.nameColumn),
                    identity: cell(SnapshotFile.identityColumn),
                    distinguishedName: cell(SnapshotFile.distinguishedNameColumn), guid: cell(SnapshotFile.guidColumn),
                    exchangeObjectId: cell(SnapshotFile.exchangeObjectIdColumn),
                    organizationId: cell(SnapshotFile.organizationIdColumn),
                    auditBypassEnabled: cell(SnapshotFile.bypassColumn)))
        }
        // A file in which no object has the state (or any name) is some other export, not a bypass snapshot.
        if !rows.isEmpty {
            var seen: Set<String> = []
            if sawBypassKey { seen.insert(SnapshotFile.bypassColumn) }
            if sawIdentityKey { seen.insert(SnapshotFile.nameColumn) }
            try SnapshotFile.checkColumns(seen, fileName: fileName, line: nil)
        }
        return (rows, skipped)
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }

    /// The line each object directly inside the top-level array (or the top-level object) starts on.
    static func objectStartLines(in text: String) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var topIsArray = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    inString = false
                }
                continue
            }
            switch scalar {
            case "\"": inString = true
            case "{", "[":
                if depth == 0 {
                    topIsArray = scalar == "["
                    if !topIsArray { lines.append(line) }
                } else if depth == 1, topIsArray, scalar == "{" {
                    lines.append(line)
                }
                depth += 1
            case "}", "]": depth -= 1
            default: break
            }
        }
        return lines
    }
}

/// A JSON value with its object keys in order (needed to ignore metadata keys and match names case-insensitively).
enum SnapshotJSONValue: Decodable, Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([SnapshotJSONValue])
    case object([KeyValue])

    struct KeyValue: Sendable, Hashable {
        var key: String
        var value: SnapshotJSONValue
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try object.allKeys.map { KeyValue(key: $0.stringValue, value: try object.decode(SnapshotJSONValue.self, forKey: $0)) })
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [SnapshotJSONValue] = []
            while !list.isAtEnd { items.append(try list.decode(SnapshotJSONValue.self)) }
            self = .array(items)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// The value as a CSV cell would hold it: strings as is, booleans as PowerShell prints them (`True`/`False`).
    /// An object (a serialized Exchange id) stands for its distinguished name, name or GUID, in that order.
    var cellText: String? {
        switch self {
        case .string(let text): return text
        case .bool(let flag): return flag ? "True" : "False"
        case .number(let number):
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .null, .array: return nil
        case .object(let pairs):
            for wanted in ["distinguishedname", "name", "objectguid", "value"] {
                if let pair = pairs.first(where: { $0.key.lowercased() == wanted }), let text = pair.value.cellText {
                    return text
                }
            }
            return nil
        }
    }
}
