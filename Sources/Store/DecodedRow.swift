import GRDB

/// One stored row decoded on its own, for `verify`: its `ref` in the chain and its record, or the `StoreError` that
/// says why it does not decode. A damaged row is then a finding about that row, and every other row is still checked.
package struct DecodedRow<Record: Sendable>: Sendable {
    /// The row's `ref` in the chain (`<snapshot>:<row>`, an id).
    package var ref: String
    package var record: Result<Record, StoreError>

    package init(ref: String, record: Result<Record, StoreError>) {
        self.ref = ref
        self.record = record
    }

    /// Every row `request` fetches, in its order, each decoded by `decode`. Only a `StoreError` (a value the tool
    /// never writes) belongs to its row; any other error (a column gone, the file unreadable) stops the read.
    package static func fetchAll(
        _ db: Database, _ request: some FetchRequest, ref: (Row) throws -> String, decode: (Row) throws -> Record
    ) throws -> [DecodedRow] {
        var rows: [DecodedRow] = []
        let cursor = try Row.fetchCursor(db, request)
        while let row = try cursor.next() {
            let record: Result<Record, StoreError>
            do { record = .success(try decode(row)) } catch let error as StoreError { record = .failure(error) }
            rows.append(DecodedRow(ref: try ref(row), record: record))
        }
        return rows
    }

    /// The row with its record turned into another (a stage's model): a `StoreError` `transform` throws becomes the
    /// row's, like one its decoder threw.
    package func map<Other>(_ transform: (Record) throws -> Other) throws -> DecodedRow<Other> {
        switch record {
        case .failure(let error): return DecodedRow<Other>(ref: ref, record: .failure(error))
        case .success(let stored):
            do { return DecodedRow<Other>(ref: ref, record: .success(try transform(stored))) } catch let error as StoreError {
                return DecodedRow<Other>(ref: ref, record: .failure(error))
            }
        }
    }
}
