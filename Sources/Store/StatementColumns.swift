import Foundation
import GRDB
import GRDBSQLite

/// The current row of a statement a `RowCursor` is stepping, read straight from SQLite by column position.
///
/// For the long reads of a drift run or a report (a month's bypass changes and alerts: 200,000 rows each at scale),
/// where GRDB's `Row` made a `String` of every text column only for most of them to be dropped again as equal to
/// one already held (the same accounts, actors and rules recur all month). Here a text column is first seen as its
/// bytes (`withText`), and becomes a `String` only when it is new. Hand-written because GRDB reads columns only as
/// values it has made.
struct StatementColumns {
    private let statement: SQLiteStatement
    private let table: String

    /// The columns of `statement`'s current row; `table` names the rows in errors.
    init(_ statement: Statement, table: String) {
        self.statement = statement.sqliteStatement
        self.table = table
    }

    func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL
    }

    func int64(_ index: Int) -> Int64 {
        sqlite3_column_int64(statement, Int32(index))
    }

    func double(_ index: Int) -> Double {
        sqlite3_column_double(statement, Int32(index))
    }

    func bool(_ index: Int) -> Bool {
        int64(index) != 0
    }

    /// The column's text as its UTF-8 bytes, valid only inside `body`; nil for NULL.
    func withText<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        let column = Int32(index)
        guard sqlite3_column_type(statement, column) != SQLITE_NULL, let text = sqlite3_column_text(statement, column)
        else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))))
    }

    /// The column's text; nil for NULL.
    func optionalString(_ index: Int) -> String? {
        withText(index) { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// `withText` of a column the schema declares NOT NULL: NULL (the file was edited outside the tool) is an error
    /// naming `row` and `column`, never an empty value.
    func withRequiredText<Result>(
        _ index: Int, row: @autoclosure () -> String, column: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        try withText(index) { bytes in
            guard let bytes else { throw StoreError.undecodableRow(table: table, row: row(), column: column, value: "NULL") }
            return try body(bytes)
        }
    }

    /// The column's text; NULL, which the schema rules out for the column, is an error naming `row` and `column`.
    func string(_ index: Int, row: @autoclosure () -> String, column: String) throws -> String {
        try withRequiredText(index, row: row(), column: column) { String(decoding: $0, as: UTF8.self) }
    }
}
