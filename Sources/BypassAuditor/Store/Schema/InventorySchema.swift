import GRDB

/// Tables of the Inventory stage (owned by that stage; filled in with it).
enum InventorySchema {
    static func createV1(_ db: Database) throws {
    }
}
