import GRDB

/// Tables of the Detection stage (owned by that stage; filled in with it).
enum DetectionSchema {
    static func createV1(_ db: Database) throws {
    }
}
