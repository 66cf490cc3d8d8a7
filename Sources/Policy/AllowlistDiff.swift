import Foundation

/// Entry-level differences between two versions of the register, matched by id.
enum AllowlistDiff {
    static func changes(
        from old: [AllowlistEntry], to new: [AllowlistEntry], fromSHA256: String, toSHA256: String, seenAt: Date
    ) -> [AllowlistVersionChange] {
        let oldByID = Dictionary(old.map { (AllowlistIDs.key($0.id), $0) }, uniquingKeysWith: { first, _ in first })
        let newKeys = Set(new.map { AllowlistIDs.key($0.id) })
        var changes: [AllowlistVersionChange] = []
        for entry in new {
            guard let before = oldByID[AllowlistIDs.key(entry.id)] else {
                changes.append(AllowlistVersionChange(kind: .added, entryID: entry.id, seenAt: seenAt, fromSHA256: fromSHA256, toSHA256: toSHA256))
                continue
            }
            let fields = changedFields(before, entry)
            if !fields.isEmpty {
                changes.append(
                    AllowlistVersionChange(
                        kind: .changed, entryID: entry.id, seenAt: seenAt, fromSHA256: fromSHA256, toSHA256: toSHA256, fields: fields))
            }
        }
        for entry in old where !newKeys.contains(AllowlistIDs.key(entry.id)) {
            changes.append(AllowlistVersionChange(kind: .removed, entryID: entry.id, seenAt: seenAt, fromSHA256: fromSHA256, toSHA256: toSHA256))
        }
        return changes
    }

    /// The keys whose values differ (positions and id spelling aside), in schema order.
    static func changedFields(_ a: AllowlistEntry, _ b: AllowlistEntry) -> [String] {
        var fields: [String] = []
        func compare<T: Equatable>(_ key: String, _ path: KeyPath<AllowlistEntry, T>) {
            if a[keyPath: path] != b[keyPath: path] { fields.append(key) }
        }
        compare(AllowlistKeys.id, \.id)
        compare(AllowlistKeys.account, \.account)
        compare(AllowlistKeys.aliases, \.aliases)
        compare(AllowlistKeys.category, \.category)
        compare(AllowlistKeys.tool, \.tool)
        compare(AllowlistKeys.legalBasis, \.legalBasis)
        compare(AllowlistKeys.owner, \.owner)
        compare(AllowlistKeys.justification, \.justification)
        compare(AllowlistKeys.approvedBy, \.approvedBy)
        compare(AllowlistKeys.approvedOn, \.approvedOn)
        compare(AllowlistKeys.ticket, \.ticket)
        compare(AllowlistKeys.lastReviewedOn, \.lastReviewedOn)
        compare(AllowlistKeys.expiresOn, \.expiresOn)
        return fields
    }
}
