import Foundation

/// When and how long to wait before trying a request again.
///
/// Both Elasticsearch and the Management Activity API ask clients to back off on 429 (throttled) and on 502/503/504
/// (a node or gateway busy); a `Retry-After` header, when present, says how long. Other statuses are answers, not
/// faults, and go back to the caller.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles for each further one.
    public var baseDelay: Duration
    /// The longest wait between two attempts, whatever `Retry-After` asks for.
    public var maxDelay: Duration
    public var retryableStatuses: Set<Int>

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60),
        retryableStatuses: Set<Int> = [429, 502, 503, 504]
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retryableStatuses = retryableStatuses
    }

    /// The default for interactive and scheduled runs.
    public static let standard = RetryPolicy()

    public func shouldRetry(status: Int) -> Bool { retryableStatuses.contains(status) }

    /// How long to wait after failed attempt number `attempt` (1 for the first), honouring `retryAfter` (the header
    /// value: whole seconds or an HTTP date) when given.
    public func delay(afterAttempt attempt: Int, retryAfter: String? = nil, now: Date = Date()) -> Duration {
        if let retryAfter, let asked = Self.parseRetryAfter(retryAfter, now: now) {
            return min(asked, maxDelay)
        }
        let exponent = min(max(attempt - 1, 0), 20)
        let backoff = baseDelay * (1 << exponent)
        return min(backoff, maxDelay)
    }

    /// `Retry-After` as RFC 9110 defines it: delay-seconds or an HTTP-date.
    static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }
}
