import Core
import Foundation
import GRDB

/// Instants as the tool stores them: `UTCTimestamp.format` text, which sorts as time. A stored instant that does not
/// parse is an error naming its table, row and column (`StoreError.undecodableRow`), never a default date.
package enum StoredTime {
    /// The stored form of `date` (millisecond precision).
    package static func text(_ date: Date) -> String { UTCTimestamp.format(date) }

    /// The instant in `column` of `row`, a row of `table` identified by `key` (for the error).
    package static func decode(
        _ row: Row, _ column: Column, table: String, key: @autoclosure () -> String, acceptingSeconds: Bool = false
    ) throws -> Date {
        guard let date = try decodeIfPresent(row, column, table: table, key: key(), acceptingSeconds: acceptingSeconds)
        else {
            throw StoreError.undecodableRow(table: table, row: key(), column: column.name, value: "NULL")
        }
        return date
    }

    /// `decode`, for a column that may hold NULL (no instant). `acceptingSeconds`: a number is read as seconds since
    /// 1970 (the register-edit check has always accepted a time written that way as naming the same instant).
    package static func decodeIfPresent(
        _ row: Row, _ column: Column, table: String, key: @autoclosure () -> String, acceptingSeconds: Bool = false
    ) throws -> Date? {
        let value: DatabaseValue = row[column]
        switch value.storage {
        case .null: return nil
        case .double(let seconds) where acceptingSeconds: return Date(timeIntervalSince1970: seconds)
        case .int64(let seconds) where acceptingSeconds: return Date(timeIntervalSince1970: Double(seconds))
        case .string(let text):
            return try StoredRowDecoding(table: table, row: key()).date(text, column: column.name)
        default:
            throw StoreError.undecodableRow(table: table, row: key(), column: column.name, value: "\(value)")
        }
    }
}
