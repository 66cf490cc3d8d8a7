import Core
import Foundation

/// Resolves the names records and snapshot rows give into accounts, within one tenant.
///
/// Rules (issue 4, "Identities"): names are compared whole and case-insensitively, never by prefix or substring;
/// names one record or row gives for the same object are linked; a GUID anchors its account, and two GUIDs are
/// joined only when one record or row gives both — a name reused by a recreated account never fuses them. A name
/// that ends up on two accounts stays on both and is reported as an ambiguity.
struct IdentityResolver {
    /// The names one record or row gives for its object.
    struct Observation {
        var names: [AccountName]
    }

    /// One resolved account.
    struct Account {
        var id: AccountID
        /// GUIDs in comparison form, smallest first.
        var guids: [String]
        /// Every name as first written, GUIDs included, in first-seen order.
        var names: [String]
    }

    let tenant: TenantID
    private(set) var accounts: [Account] = []
    /// For each observation, the index of its account in `accounts`; nil when it gave no name at all.
    private(set) var accountOfObservation: [Int?] = []
    private(set) var ambiguities: [IdentityAmbiguity] = []

    init(tenant: TenantID, observations: [Observation]) {
        self.tenant = tenant
        // Most records repeat the names of others (one account, many changes): resolve each distinct set once.
        var uniqueIndex: [[String]: Int] = [:]
        var unique: [Observation] = []
        var uniqueOfObservation: [Int] = []
        uniqueOfObservation.reserveCapacity(observations.count)
        for observation in observations {
            let keys = observation.names.map(\.key)
            if let index = uniqueIndex[keys] {
                uniqueOfObservation.append(index)
            } else {
                uniqueIndex[keys] = unique.count
                uniqueOfObservation.append(unique.count)
                unique.append(observation)
            }
        }
        resolve(unique)
        let accountOfUnique = accountOfObservation
        accountOfObservation = uniqueOfObservation.map { accountOfUnique[$0] }
    }

    private mutating func resolve(_ observations: [Observation]) {
        // Split each observation into anchors (GUIDs) and plain names.
        var guidsOf: [[String]] = []
        var plainOf: [[AccountName]] = []
        for observation in observations {
            var guids: [String] = []
            var plain: [AccountName] = []
            for name in observation.names {
                if name.isGUID {
                    let guid = AccountName.normalizedGUID(name.key)
                    if !guids.contains(guid) { guids.append(guid) }
                } else {
                    plain.append(name)
                }
            }
            guidsOf.append(guids)
            plainOf.append(plain)
        }

        // GUIDs given together by one source are one object.
        var guidSets = DisjointSets<String>()
        for guids in guidsOf where !guids.isEmpty {
            for guid in guids { guidSets.add(guid) }
            for guid in guids.dropFirst() { guidSets.union(guids[0], guid) }
        }
        var accountIndexOfGUIDRoot: [String: Int] = [:]
        let guidGroups = guidSets.groups().map { (root: $0.key, members: $0.value.sorted()) }
        for (root, sorted) in guidGroups.sorted(by: { $0.members[0] < $1.members[0] }) {
            accountIndexOfGUIDRoot[root] = accounts.count
            accounts.append(Account(id: AccountID(tenant: tenant, key: "guid:" + sorted[0]), guids: sorted, names: []))
        }

        // Which anchored accounts each plain name belongs to.
        var anchoredOwners: [String: Set<Int>] = [:]
        accountOfObservation = Array(repeating: nil, count: observations.count)
        for index in observations.indices where !guidsOf[index].isEmpty {
            let account = accountIndexOfGUIDRoot[guidSets.find(guidsOf[index][0])]!
            accountOfObservation[index] = account
            for name in plainOf[index] { anchoredOwners[name.key, default: []].insert(account) }
        }

        // Observations without a GUID: their names link them to each other, and to an anchored account when the
        // names lead to exactly one.
        var nameSets = DisjointSets<String>()
        for index in observations.indices where guidsOf[index].isEmpty && !plainOf[index].isEmpty {
            let keys = plainOf[index].map(\.key)
            for key in keys { nameSets.add(key) }
            for key in keys.dropFirst() { nameSets.union(keys[0], key) }
        }
        var accountOfNameRoot: [String: Int] = [:]
        let nameGroups = nameSets.groups()
        var textOfKey: [String: String] = [:]
        for index in observations.indices {
            for name in plainOf[index] where textOfKey[name.key] == nil { textOfKey[name.key] = name.text }
        }
        let orderedNameGroups = nameGroups.map { (root: $0.key, members: $0.value, first: $0.value.min()!) }
            .sorted { $0.first < $1.first }
        for (root, members, _) in orderedNameGroups {
            let owners = members.reduce(into: Set<Int>()) { $0.formUnion(anchoredOwners[$1] ?? []) }
            if owners.count == 1 {
                accountOfNameRoot[root] = owners.first!
            } else {
                let names = members.map { AccountName(textOfKey[$0] ?? $0) }
                let key = "name:" + IdentityResolver.representative(of: names).key
                accountOfNameRoot[root] = accounts.count
                accounts.append(Account(id: AccountID(tenant: tenant, key: key), guids: [], names: []))
            }
        }
        for index in observations.indices where guidsOf[index].isEmpty && !plainOf[index].isEmpty {
            accountOfObservation[index] = accountOfNameRoot[nameSets.find(plainOf[index][0].key)]
        }

        // Names per account, as first written, in observation order.
        var seenKeys: [Set<String>] = Array(repeating: [], count: accounts.count)
        for index in observations.indices {
            guard let account = accountOfObservation[index] else { continue }
            for name in observations[index].names where seenKeys[account].insert(name.key).inserted {
                accounts[account].names.append(AccountName.trimmed(name.text))
            }
        }

        // A plain name on more than one account is ambiguous.
        var accountsOfName: [String: [Int]] = [:]
        for (index, account) in accounts.enumerated() {
            for name in account.names where !AccountName.isGUID(AccountName.key(for: name)) {
                accountsOfName[AccountName.key(for: name), default: []].append(index)
            }
        }
        ambiguities = accountsOfName.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { key, indices in
            let ids = indices.map { accounts[$0].id }.sorted()
            let anchored = ids.filter { $0.key.hasPrefix("guid:") }.count
            let text = textOfKey[key] ?? key
            var detail = "the name '\(text)' belongs to \(ids.count) accounts"
            if anchored > 1 {
                detail += " with different GUIDs (an account deleted and recreated under the same name?)"
            }
            if ids.contains(where: { $0.key.hasPrefix("name:") }) {
                detail += "; records that give only names cannot be tied to one of them and are kept apart"
            }
            return IdentityAmbiguity(name: text, accounts: ids, detail: detail)
        }
    }

    /// The name to key a GUID-less account by: a plain name before an address, an address before a DN or path;
    /// then the smallest.
    static func representative(of names: [AccountName]) -> AccountName {
        func rank(_ name: AccountName) -> Int {
            if AccountName.firstRDNValue(ofDN: name.text) != nil
                || AccountName.lastSegment(ofCanonicalName: name.text) != nil
            {
                return 2
            }
            return name.key.utf8.contains(UInt8(ascii: "@")) ? 1 : 0
        }
        return names.map { (rank: rank($0), name: $0) }.min { ($0.rank, $0.name.key) < ($1.rank, $1.name.key) }!.name
    }
}

/// Union-find over hashable items.
///
/// Each item is numbered once, as it is added, and the sets are kept over the numbers: a month's changes give tens
/// of thousands of names, and with the parent links in a dictionary every step of a look-up hashed a name again.
struct DisjointSets<Element: Hashable> {
    private var numberOf: [Element: Int] = [:]
    private var elements: [Element] = []
    private var parent: [Int] = []

    mutating func add(_ element: Element) {
        guard numberOf[element] == nil else { return }
        numberOf[element] = elements.count
        parent.append(elements.count)
        elements.append(element)
    }

    /// The set's representative; an item never added is its own.
    mutating func find(_ element: Element) -> Element {
        guard let number = numberOf[element] else { return element }
        return elements[root(of: number)]
    }

    /// Joins the sets of two added items.
    mutating func union(_ first: Element, _ second: Element) {
        guard let one = numberOf[first], let two = numberOf[second] else { return }
        let (a, b) = (root(of: one), root(of: two))
        if a != b { parent[b] = a }
    }

    /// Every set, by its representative.
    mutating func groups() -> [Element: [Element]] {
        var membersOfRoot: [Int: [Element]] = [:]
        for number in elements.indices { membersOfRoot[root(of: number), default: []].append(elements[number]) }
        var result: [Element: [Element]] = [:]
        result.reserveCapacity(membersOfRoot.count)
        for (root, members) in membersOfRoot { result[elements[root]] = members }
        return result
    }

    private mutating func root(of number: Int) -> Int {
        var root = number
        while parent[root] != root { root = parent[root] }
        // Path compression keeps later look-ups short.
        var current = number
        while parent[current] != root {
            let next = parent[current]
            parent[current] = root
            current = next
        }
        return root
    }
}
