import GRDB

/// Tables of the Report stage (owned by that stage; filled in with it).
enum ReportSchema {
    static func createV1(_ db: Database) throws {
    }
}
