import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Inventory

@Suite("Identity resolution")
struct IdentityResolutionTests {
    typealias Support = InventoryTestSupport

    static let canonicalPath =
        "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/svc-backup"

    @Test("names in a DN: the first CN, unescaped per RFC 4514; never an OU or DC part")
    func distinguishedNameWithEscapedComma() throws {
        let dn = #"CN=Smith\, John,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=EURPR01A002,DC=prod,DC=outlook,DC=com"#
        #expect(AccountName.names(in: dn).map(\.text) == [dn, "Smith, John"])
        #expect(AccountName.firstRDNValue(ofDN: #"CN=caf\C3\A9 \2B ops,OU=x"#) == "café + ops")
        #expect(AccountName.firstRDNValue(ofDN: "OU=contoso.onmicrosoft.com,DC=com") == nil)

        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "dn", at: "2026-01-01T00:00:00Z", identity: dn),
                Support.bypassEvent(id: "plain", at: "2026-01-02T00:00:00Z", identity: "smith, JOHN", enabled: "False"),
                Support.bypassEvent(id: "org", at: "2026-01-03T00:00:00Z", identity: "contoso.onmicrosoft.com"),
            ], in: database)
        let view = try Support.view(database)
        let john = try #require(view.only("Smith, John"))
        #expect(john.changes.map(\.eventID) == ["dn", "plain"])
        #expect(john.bypassEnabled == false)
        // The organisation's name inside the DN never became a name of the account.
        #expect(view.accounts(named: AccountName("contoso.onmicrosoft.com")).map(\.changes.first?.eventID) == ["org"])
        #expect(view.ambiguities.isEmpty)
    }

    @Test("names in a canonical path: the last segment (escaped slash kept); a plain name with a slash is not a path")
    func canonicalPaths() throws {
        #expect(AccountName.names(in: Self.canonicalPath).map(\.text) == [Self.canonicalPath, "svc-backup"])
        #expect(AccountName.lastSegment(ofCanonicalName: #"contoso.onmicrosoft.com/Users/Backup\/Archive"#) == "Backup/Archive")
        #expect(AccountName.names(in: "Sales/Marketing").map(\.text) == ["Sales/Marketing"])
        #expect(AccountName.lastSegment(ofCanonicalName: "contoso.com/") == nil)

        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(
                    id: "typed-upn", at: "2026-01-01T00:00:00Z", identity: "svc-backup@contoso.com",
                    objectID: Self.canonicalPath),
                Support.bypassEvent(id: "typed-name", at: "2026-01-02T00:00:00Z", identity: "SVC-BACKUP", enabled: "False"),
            ], in: database)
        let view = try Support.view(database)
        #expect(view.accounts.count == 1)
        let account = try #require(view.only("svc-backup@contoso.com"))
        #expect(account.isNamed(AccountName("svc-backup")))
        #expect(account.changes.map(\.eventID) == ["typed-upn", "typed-name"])
        #expect(!account.isNamed(AccountName("Microsoft Exchange Hosted Organizations")))
        #expect(!account.isNamed(AccountName("contoso.onmicrosoft.com")))
    }

    @Test("svc is not svc-backup: names never match on a prefix or substring")
    func noPrefixMatching() throws {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "svc", at: "2026-01-01T00:00:00Z", identity: "svc"),
                Support.bypassEvent(id: "svc-backup", at: "2026-01-02T00:00:00Z", identity: "svc-backup", enabled: "False"),
                Support.bypassEvent(id: "svc-backup-2", at: "2026-01-03T00:00:00Z", identity: "svc-backup-2"),
            ], in: database)
        let view = try Support.view(database)
        #expect(view.accounts.count == 3)
        #expect(view.only("svc")?.bypassEnabled == true)
        #expect(view.only("svc-backup")?.bypassEnabled == false)
        #expect(view.only("svc-backup-2")?.bypassEnabled == true)
        #expect(view.ambiguities.isEmpty)
    }

    @Test("a GUID anchors its account: a recreated account reusing the name keeps its own GUID, and the name is ambiguous")
    func guidReuseByRecreatedAccount() throws {
        let database = try Support.database()
        let oldGUID = "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"
        let newGUID = "{1A2B3C4D-0000-4000-8000-00000000BEEF}"
        try Support.importSnapshot(
            Support.csv([("svc-backup", oldGUID, "True"), ("alice", "aaaaaaaa-0000-4000-8000-000000000001", "False")]),
            into: database, takenAt: "2026-01-10T00:00:00Z", fileName: "old.csv")
        try Support.importSnapshot(
            Support.csv([("svc-backup", newGUID, "False"), ("alice", "aaaaaaaa-0000-4000-8000-000000000001", "False")]),
            into: database, takenAt: "2026-06-10T00:00:00Z", fileName: "new.csv")
        // An event that names the old account by GUID, and one that gives only the shared name.
        try Support.store(
            [
                Support.bypassEvent(id: "by-guid", at: "2026-01-05T00:00:00Z", identity: oldGUID.uppercased()),
                Support.bypassEvent(id: "by-name", at: "2026-07-01T00:00:00Z", identity: "svc-backup"),
            ], in: database)
        let view = try Support.view(database)
        let named = view.accounts(named: AccountName("svc-backup"))
        #expect(Set(named.map(\.id.key)) == ["guid:\(oldGUID)", "guid:1a2b3c4d-0000-4000-8000-00000000beef", "name:svc-backup"])
        let old = try #require(named.first { $0.guid == oldGUID })
        #expect(old.changes.map(\.eventID) == ["by-guid"])
        // The old account is absent from the later snapshot: absence never turns a logged bypass off.
        #expect(old.bypassEnabled == true)
        let recreated = try #require(named.first { $0.guid == "1a2b3c4d-0000-4000-8000-00000000beef" })
        #expect(recreated.changes.isEmpty)
        #expect(recreated.bypassEnabled == false)
        #expect(recreated.isNamed(AccountName("1A2B3C4D-0000-4000-8000-00000000BEEF")))
        let nameOnly = try #require(named.first { $0.id.key == "name:svc-backup" })
        #expect(nameOnly.changes.map(\.eventID) == ["by-name"])
        #expect(nameOnly.bypassEnabled)
        let index = view.nameIndex()
        #expect(Set(index.accounts(named: AccountName("SVC-BACKUP")).map(\.id)) == Set(named.map(\.id)))
        #expect(index.accounts(named: AccountName("{1A2B3C4D-0000-4000-8000-00000000BEEF}")).map(\.id) == [recreated.id])
        #expect(index.accounts(named: AccountName("svc")).isEmpty)
        let ambiguity = try #require(view.ambiguities.first { $0.name.lowercased() == "svc-backup" })
        #expect(Set(ambiguity.accounts) == Set(named.map(\.id)))
        #expect(ambiguity.detail.contains("different GUIDs"))
    }

    @Test("Guid and ExchangeObjectId given by one row are one account; a name-only record joins the only account it names")
    func guidsOfOneRowLink() throws {
        let database = try Support.database()
        let csv = """
            AuditBypassEnabled,Name,Identity,DistinguishedName,Guid,ExchangeObjectId
            True,svc-veeam,svc-veeam,"CN=svc-veeam,OU=contoso.onmicrosoft.com,DC=EURPR01A002,DC=prod,DC=outlook,DC=com",11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222

            """
        try Support.importSnapshot(csv, into: database, takenAt: "2026-02-01T00:00:00Z")
        try Support.store(
            [
                Support.bypassEvent(
                    id: "set", at: "2026-01-15T00:00:00Z", identity: "svc-veeam@contoso.com",
                    objectID: "contoso.onmicrosoft.com/svc-veeam"),
                Support.bypassEvent(
                    id: "by-exo-id", at: "2026-03-01T00:00:00Z", identity: "22222222-2222-4222-8222-222222222222",
                    enabled: "False"),
            ], in: database)
        let view = try Support.view(database)
        #expect(view.accounts.count == 1)
        let account = try #require(view.accounts.first)
        #expect(account.id.key == "guid:11111111-1111-4111-8111-111111111111")
        #expect(account.guids == ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"])
        #expect(account.changes.map(\.eventID) == ["set", "by-exo-id"])
        #expect(account.isNamed(AccountName("svc-veeam@contoso.com")))
        #expect(account.exchangeName == "svc-veeam")
        #expect(account.bypassEnabled == false)
        #expect(view.discrepancies.isEmpty)
    }

    @Test("names never link across tenants")
    func crossTenant() throws {
        let database = try Support.database()
        let guid = "33333333-3333-4333-8333-333333333333"
        try Support.importSnapshot(
            Support.csv([("svc-backup", guid, "True")]), into: database, takenAt: "2026-01-01T00:00:00Z",
            tenant: Support.otherTenant)
        try Support.store([Support.bypassEvent(id: "mine", at: "2026-01-02T00:00:00Z", identity: "svc-backup")], in: database)
        let mine = try Support.view(database)
        let account = try #require(mine.only("svc-backup"))
        #expect(account.guid == nil)
        #expect(account.snapshotObservations.isEmpty)
        #expect(mine.snapshots.isEmpty)
        let theirs = try Support.view(database, tenant: Support.otherTenant)
        #expect(theirs.only("svc-backup")?.guid == guid)
        #expect(theirs.only("svc-backup")?.changes.isEmpty == true)
    }

    @Test("a record naming two accounts at once cannot be tied to either: it stays apart and both names are ambiguous")
    func recordBridgingTwoAnchoredAccounts() {
        let tenant = Support.tenant
        let resolver = IdentityResolver(
            tenant: tenant,
            observations: [
                .init(names: [AccountName("alpha"), AccountName("aaaaaaaa-0000-4000-8000-000000000001")]),
                .init(names: [AccountName("beta"), AccountName("bbbbbbbb-0000-4000-8000-000000000002")]),
                .init(names: [AccountName("alpha"), AccountName("beta")]),
            ])
        #expect(resolver.accounts.count == 3)
        #expect(resolver.accountOfObservation[2].map { resolver.accounts[$0].id.key } == "name:alpha")
        #expect(resolver.ambiguities.map(\.name) == ["alpha", "beta"])
    }
}
