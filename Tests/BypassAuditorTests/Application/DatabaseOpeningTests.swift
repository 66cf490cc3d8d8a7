import Foundation
import Testing

import BypassAuditor
@testable import Store

@Suite("Application: opening the database as a command may")
struct DatabaseOpeningTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("open-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("mustExist refuses a missing path and creates nothing; createIfAbsent creates it")
    func missing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("typo.sqlite").path
        #expect(throws: DatabaseOpenError.missing(path: path)) { try AuditDatabase.open(path: path, .mustExist) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(AuditDatabase.wouldCreate(path: path))
        _ = try AuditDatabase.open(path: path, .createIfAbsent)
        #expect(FileManager.default.fileExists(atPath: path))
        _ = try AuditDatabase.open(path: path, .mustExist)
    }

    @Test("A file that is not SQLite is refused in words; a folder is refused too")
    func notADatabase() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("allowlist.yaml").path
        try Data("version: 1\nentries: []\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try AuditDatabase.open(path: path, .createIfAbsent)
        } throws: { error in
            "\(error)".contains("is not a bypass-auditor database (it is not an SQLite file)")
        }
        #expect(throws: DatabaseOpenError.isFolder(path: folder.path)) {
            try AuditDatabase.open(path: folder.path, .mustExist)
        }
    }
}
