/// Stored text columns that name a case of an enumeration (a state, a kind, an action). A stage whose enumeration
/// Store cannot see keeps the text in its record and decodes it here, so text the tool never writes is always the
/// same error naming table, row and column (`StoreError.undecodableRow`), never a default case.
/// The parse-or-throw rule itself is `StoredRowDecoding`'s; this is its form for records that keep their key apart.
package enum StoredValue {
    /// The case of `type` that `text` names.
    package static func decode<Value: RawRepresentable>(
        _ type: Value.Type, _ text: String, table: String, row: String, column: String
    ) throws -> Value where Value.RawValue == String {
        try StoredRowDecoding(table: table, row: row).value(text, column: column)
    }
}
