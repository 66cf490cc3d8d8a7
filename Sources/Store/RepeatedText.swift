/// One copy of each distinct text a long read meets, handed back in place of the copy just decoded.
///
/// A month of changes and alerts (200,000 of each at scale) names the same few thousand accounts and actors again
/// and again: kept per row, each name was its own allocation, 20 MB of one drift run's peak memory. Texts short
/// enough to live inside the `String` value itself (15 UTF-8 bytes) allocate nothing and are returned as they are.
struct RepeatedText {
    private var kept: Set<String> = []

    /// `text`, as the copy kept from an earlier row when one is equal (sharing its storage).
    mutating func shared(_ text: String) -> String {
        guard text.utf8.count > Self.inlineCapacity else { return text }
        if let earlier = kept.firstIndex(of: text) { return kept[earlier] }
        kept.insert(text)
        return text
    }

    /// `shared`, for a column that may hold NULL.
    mutating func shared(_ text: String?) -> String? {
        text.map { shared($0) }
    }

    /// The longest UTF-8 text Swift stores inside the `String` value on 64-bit platforms.
    private static let inlineCapacity = 15
}
