import Core
import Foundation

/// Turns the text the tool stored in one row back into typed values. A value no version of the tool writes (the row
/// was edited, or the file is damaged) is a `StoreError.undecodableRow` naming the table, row and column, never a
/// default: a silently defaulted time or severity would change what a finding says.
///
/// `package`, so a stage that owns a value's vocabulary (Detection's signal and run mode) reports a stored value it
/// cannot read in the same words.
package struct StoredRowDecoding: Sendable {
    package var table: String
    private var key: RowKey

    /// The row's key as given: text, or an id made text only when it is asked for.
    private enum RowKey: Sendable {
        case text(String)
        case id(Int64)
    }

    /// The row's key as `verify` and the error name it (its id, or its key columns).
    package var row: String {
        switch key {
        case .text(let text): text
        case .id(let id): String(id)
        }
    }

    package init(table: String, row: String) {
        self.table = table
        key = .text(row)
    }

    /// The row named by its id, which becomes text only when an error names it: a month's alerts are 200,000 rows
    /// decoded one by one, and formatting each id was work for errors that never came.
    package init(table: String, id: Int64) {
        self.table = table
        key = .id(id)
    }

    /// The error for `column` holding `value`.
    package func undecodable(_ column: String, _ value: String) -> StoreError {
        StoreError.undecodableRow(table: table, row: row, column: column, value: value)
    }

    /// A time the tool stored with `UTCTimestamp.format`.
    package func date(_ text: String, column: String) throws -> Date {
        var text = text
        return try text.withUTF8 { try date(utf8: UnsafeRawBufferPointer($0), column: column) }
    }

    /// `date` of a column read as its UTF-8 bytes (`StatementColumns`), without making a `String` of it.
    func date(utf8 bytes: UnsafeRawBufferPointer, column: String) throws -> Date {
        guard let date = UTCTimestamp.parse(utf8: bytes.assumingMemoryBound(to: UInt8.self)) else {
            throw undecodable(column, String(decoding: bytes, as: UTF8.self))
        }
        return date
    }

    /// A time that may be absent (NULL); present, it must parse.
    package func dateIfPresent(_ text: String?, column: String) throws -> Date? {
        try text.map { try date($0, column: column) }
    }

    /// A value of a closed vocabulary stored as its raw text.
    package func value<Value: RawRepresentable>(_ text: String, column: String) throws -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: text) else { throw undecodable(column, text) }
        return value
    }

    /// A JSON array of strings (rule ids).
    package func stringList(_ text: String, column: String) throws -> [String] {
        guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw undecodable(column, text)
        }
        return list
    }

    /// A byte count or offset, which SQLite stores signed: a negative one was never written by the tool.
    package func unsigned(_ number: Int64, column: String) throws -> UInt64 {
        guard number >= 0 else { throw undecodable(column, String(number)) }
        return UInt64(number)
    }
}
