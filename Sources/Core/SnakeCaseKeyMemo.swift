import Foundation

/// `JSONKeyNames.snakeCase` remembered per property name, for the encoder `JSONCoding` makes.
///
/// The encoder converts every key of every object it writes: a report or a drift result at scale holds millions of
/// keys drawn from a few hundred property names, and converting one (character by character, with Unicode case
/// checks) cost more than the rest of the encoding. Keys made from data (dictionary keys) are converted without
/// being remembered once the memo is full, so a hostile input cannot grow it without bound.
final class SnakeCaseKeyMemo: @unchecked Sendable {
    /// Enough for every property name of every encoded model, many times over.
    private static let capacity = 4096

    // The encoder's key strategy must be `@Sendable`: one lock guards the table (the macOS 13 floor rules out `Mutex`).
    private let lock = NSLock()
    private var names: [String: String] = [:]

    /// `JSONKeyNames.snakeCase(name)`.
    func snakeCase(_ name: String) -> String {
        if let known = lock.withLock({ names[name] }) { return known }
        let converted = JSONKeyNames.snakeCase(name)
        lock.withLock {
            if names.count < Self.capacity { names[name] = converted }
        }
        return converted
    }
}
