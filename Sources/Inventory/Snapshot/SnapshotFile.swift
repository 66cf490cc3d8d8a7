import Foundation

/// How a snapshot file was written.
public enum SnapshotFormat: String, Sendable, Hashable, Codable {
    /// `Export-Csv` / `ConvertTo-Csv`, with or without the `#TYPE …` first line.
    case csv
    /// `ConvertTo-Json`: one object or an array of them.
    case json
}

/// A whole snapshot file that cannot be used at all (nothing is stored).
public struct SnapshotFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(reason)"
    }
}

/// The rows of one `Get-MailboxAuditBypassAssociation` export, read from its bytes.
public struct SnapshotFile: Sendable {
    public var format: SnapshotFormat
    public var rows: [SnapshotRow]
    /// Rows that could not be read (skipped), each with its place in the file.
    public var skipped: [SnapshotProblem]

    /// The columns (CSV) or properties (JSON) the rows are read from, in lowercase.
    static let nameColumn = "name"
    static let identityColumn = "identity"
    static let distinguishedNameColumn = "distinguishedname"
    static let guidColumn = "guid"
    static let exchangeObjectIdColumn = "exchangeobjectid"
    static let organizationIdColumn = "organizationid"
    static let bypassColumn = "auditbypassenabled"
    static let identityColumns = [nameColumn, identityColumn, distinguishedNameColumn, guidColumn, exchangeObjectIdColumn]

    /// Reads `data` (UTF-8 with or without BOM, or UTF-16 as Windows PowerShell's `Out-File` writes it).
    public init(data: Data, fileName: String) throws {
        let text = try SnapshotFile.decodeText(data, fileName: fileName)
        let firstCharacter = text.unicodeScalars.first { !CharacterSet.whitespacesAndNewlines.contains($0) }
        if firstCharacter == nil {
            // A filtered export that matched nothing: Export-Csv and ConvertTo-Json both write nothing at all.
            format = .csv
            rows = []
            skipped = []
        } else if firstCharacter == "{" || firstCharacter == "[" {
            format = .json
            (rows, skipped) = try SnapshotJSONReader.rows(in: text, fileName: fileName)
        } else {
            format = .csv
            (rows, skipped) = try SnapshotFile.csvRows(in: text, fileName: fileName)
        }
    }

    // MARK: - Text

    static func decodeText(_ data: Data, fileName: String) throws -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try utf8(Array(bytes.dropFirst(3)), fileName: fileName)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return try utf16(Array(bytes.dropFirst(2)), bigEndian: false, fileName: fileName)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return try utf16(Array(bytes.dropFirst(2)), bigEndian: true, fileName: fileName)
        }
        // UTF-16 without a BOM shows as ASCII interleaved with zero bytes.
        if bytes.count >= 4, bytes[0] != 0, bytes[1] == 0, bytes[2] != 0, bytes[3] == 0 {
            return try utf16(bytes, bigEndian: false, fileName: fileName)
        }
        if bytes.count >= 4, bytes[0] == 0, bytes[1] != 0, bytes[2] == 0, bytes[3] != 0 {
            return try utf16(bytes, bigEndian: true, fileName: fileName)
        }
        return try utf8(bytes, fileName: fileName)
    }

    private static func utf8(_ bytes: [UInt8], fileName: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Name the line of the first bad byte, so the admin can find it.
            var line = 1
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if scalar == "\n" { line += 1 }
                case .emptyInput: break decoding
                case .error: break decoding
                }
            }
            throw SnapshotFileError(
                file: fileName, line: line, reason: "not valid UTF-8 text (save the export as UTF-8 or UTF-16)")
        }
        return text
    }

    private static func utf16(_ bytes: [UInt8], bigEndian: Bool, fileName: String) throws -> String {
        guard bytes.count % 2 == 0 else {
            throw SnapshotFileError(file: fileName, reason: "UTF-16 text with an odd number of bytes (file truncated?)")
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        for offset in stride(from: 0, to: bytes.count, by: 2) {
            let high = UInt16(bigEndian ? bytes[offset] : bytes[offset + 1])
            let low = UInt16(bigEndian ? bytes[offset + 1] : bytes[offset])
            units.append(high << 8 | low)
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            throw SnapshotFileError(file: fileName, reason: "not valid UTF-16 text")
        }
        return text
    }

    // MARK: - CSV

    private static func csvRows(in text: String, fileName: String) throws -> ([SnapshotRow], [SnapshotProblem]) {
        var body = Substring(text)
        var firstLine = 1
        // PowerShell's `#TYPE Deserialized.…` line (Windows PowerShell writes it unless -NoTypeInformation).
        if body.hasPrefix("#") {
            if let end = body.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                body = body[body.index(after: end)...]
            } else {
                body = ""
            }
            firstLine = 2
        }
        let table = SnapshotCSVTable(parsing: String(body), firstLine: firstLine)
        var skipped = table.problems.map {
            SnapshotProblem(file: fileName, line: $0.line, column: $0.column, reason: $0.reason)
        }
        guard let header = table.records.first else {
            if let problem = skipped.first {
                throw SnapshotFileError(
                    file: fileName, line: problem.line, column: problem.column,
                    reason: "the header line cannot be read: \(problem.reason)")
            }
            throw SnapshotFileError(file: fileName, reason: "the file holds no header and no rows")
        }
        // A problem before the header would have been the header itself.
        if let problem = skipped.first, problem.line < header.line {
            throw SnapshotFileError(
                file: fileName, line: problem.line, column: problem.column,
                reason: "the header line cannot be read: \(problem.reason)")
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        try checkColumns(Set(columns), fileName: fileName, line: header.line)
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() where index[column] == nil { index[column] = position }
        // Records and unreadable records in file order: a skipped record still takes a row number, so row
        // numbers match what the admin sees in a spreadsheet.
        enum Item {
            case record(SnapshotCSVTable.Record)
            case skipped(Int)
        }
        let items = (table.records.dropFirst().map { (line: $0.line, item: Item.record($0)) }
            + skipped.indices.map { (line: skipped[$0].line, item: Item.skipped($0)) })
            .sorted { $0.line < $1.line }
        var rows: [SnapshotRow] = []
        for (offset, entry) in items.enumerated() {
            let rowNumber = offset + 1
            switch entry.item {
            case .skipped(let position):
                skipped[position].row = rowNumber
            case .record(let record):
                guard record.fields.count == columns.count else {
                    skipped.append(
                        SnapshotProblem(
                            file: fileName, line: record.line, row: rowNumber,
                            reason: "row has \(record.fields.count) fields, the header has \(columns.count)"))
                    continue
                }
                func cell(_ column: String) -> String? { index[column].map { record.fields[$0] } }
                rows.append(
                    SnapshotRow(
                        row: rowNumber, line: record.line, name: cell(nameColumn), identity: cell(identityColumn),
                        distinguishedName: cell(distinguishedNameColumn), guid: cell(guidColumn),
                        exchangeObjectId: cell(exchangeObjectIdColumn), organizationId: cell(organizationIdColumn),
                        auditBypassEnabled: cell(bypassColumn)))
            }
        }
        return (rows, skipped.sorted { $0.line < $1.line })
    }

    /// A file is a bypass export only when it has the state column and at least one identity column.
    static func checkColumns(_ columns: Set<String>, fileName: String, line: Int?) throws {
        guard columns.contains(bypassColumn) else {
            throw SnapshotFileError(
                file: fileName, line: line,
                reason: "no AuditBypassEnabled column: not Get-MailboxAuditBypassAssociation output")
        }
        guard identityColumns.contains(where: columns.contains) else {
            throw SnapshotFileError(
                file: fileName, line: line,
                reason: "no Name, Identity, DistinguishedName, Guid or ExchangeObjectId column: rows cannot be tied to accounts")
        }
    }
}
