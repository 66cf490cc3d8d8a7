import GRDB

/// Every table the tool keeps, as versioned migrations, one group per pipeline stage.
///
/// Each stage owns its group (in this folder, named after it); a released migration is never edited,
/// a change adds a new one.
enum AuditSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-events", migrate: EventSchema.createV1)
        migrator.registerMigration("v1-integrity", migrate: IntegritySchema.createV1)
        migrator.registerMigration("v1-detection", migrate: DetectionSchema.createV1)
        migrator.registerMigration("v1-inventory", migrate: InventorySchema.createV1)
        migrator.registerMigration("v1-policy", migrate: PolicySchema.createV1)
        migrator.registerMigration("v1-reports", migrate: ReportSchema.createV1)
        migrator.registerMigration("v2-bypass-change", migrate: BypassChangeSchema.createV2)
        migrator.registerMigration("v2-checkpoint-digest", migrate: EventSchema.addCheckpointDigest)
        migrator.registerMigration("v2-elasticsearch-source", migrate: ElasticsearchSchema.createSource)
        migrator.registerMigration("v2-alert-delivery", migrate: ElasticsearchSchema.createAlertDelivery)
        migrator.registerMigration("v3-activity-feed", migrate: ActivityFeedSchema.create)
        migrator.registerMigration("v4-chained-evidence", migrate: IntegritySchema.chainEvidenceV4)
        migrator.registerMigration("v4-snapshot-correction", migrate: InventorySchema.createSnapshotCorrection)
        migrator.registerMigration("v4-report-revisions", migrate: ReportSchema.addRevisions)
        migrator.registerMigration("v4-allowlist-edit-intent", migrate: RegisterEditIntentSchema.create)
        migrator.registerMigration("v4-allowlist-version-delta", migrate: RegisterVersionDeltaSchema.create)
        migrator.registerMigration("v5-chained-register", migrate: IntegritySchema.chainRegisterV5)
        migrator.registerMigration("v6-write-guard", migrate: IntegritySchema.guardWritesV6)
        migrator.registerMigration("v7-alert-indexes", migrate: DetectionSchema.indexAlertsByEventV7)
        migrator.registerMigration("v8-register-parse", migrate: RegisterParseSchema.createV8)
        return migrator
    }
}
