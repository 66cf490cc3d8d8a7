/// A Microsoft 365 tenant, by its `OrganizationId` (a GUID, compared lowercased as Elastic stores it).
///
/// Everything the tool stores is scoped by tenant; names never link across tenants.
public struct TenantID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue.whitespaceTrimmed.lowercased()
    }

    private init(normalized: String) {
        rawValue = normalized
    }

    /// The same tenant, in text storage of its own. A thread that makes hundreds of thousands of values naming the
    /// tenant (a month's changes, read or put together on two threads) references its own copy: on one copy shared by
    /// two cores, every reference counted from both at once contends for the same cache line.
    public var ownCopy: TenantID {
        TenantID(normalized: String(decoding: Array(rawValue.utf8), as: UTF8.self))
    }

    /// Records that carry no `OrganizationId`.
    public static let unknown = TenantID("")

    public var isUnknown: Bool { rawValue.isEmpty }
    public var description: String { isUnknown ? "(no tenant)" : rawValue }

    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

import Foundation
