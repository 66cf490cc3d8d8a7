import GRDB

/// SQLite's failures in words a user can act on, instead of "SQLite error 26": used where a database is opened and
/// where a command's error is printed, so every command says the same thing.
public enum DatabaseFailureText {
    /// What `error` means for the user, when it is an SQLite failure this tool can explain; nil otherwise.
    public static func explain(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        let detail = error.message.map { " (SQLite: \($0))" } ?? ""
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB:
            return "it is not a database SQLite can read\(detail): another kind of file, or an encrypted one; check --db"
        case .SQLITE_CORRUPT:
            return "the database file is damaged\(detail): restore it from a backup (copy it aside first)"
        case .SQLITE_FULL:
            return "the disk is full\(detail): free space and run the command again (nothing was half-written)"
        case .SQLITE_READONLY:
            return "the database cannot be written here\(detail): check the file's permissions, or work on a copy"
        case .SQLITE_CANTOPEN:
            return "the database file cannot be opened\(detail): check that its folder exists and is readable"
        case .SQLITE_PERM, .SQLITE_AUTH:
            return "access to the database was denied\(detail): check the file's permissions"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "another process kept the database locked for too long\(detail): run the command again when it ends"
        case .SQLITE_IOERR:
            return "reading or writing the database file failed\(detail): check the disk"
        default:
            return nil
        }
    }
}
