import GRDB

/// Tables of the Policy stage (owned by that stage; filled in with it).
enum PolicySchema {
    static func createV1(_ db: Database) throws {
    }
}
