import ArgumentParser
import BypassAuditor

/// `--db PATH`, on every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database (created when absent).")
    var db: String = AuditDatabase.defaultPath

    func open() throws -> AuditDatabase {
        try AuditDatabase(path: db)
    }
}

/// `--tenant ID`: which tenant to look at when the database holds several.
struct TenantOptions: ParsableArguments {
    @Option(name: .long, help: "The tenant (OrganizationId) to work on; needed when the database holds several.")
    var tenant: String?
}
