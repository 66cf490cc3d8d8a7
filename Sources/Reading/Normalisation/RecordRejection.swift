/// Why one record could not become an event; the reader turns it into a `ReadError` naming file and line.
package struct RecordRejection: Error, Sendable, Equatable {
    package var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// ECS values every normalised o365 audit event carries.
enum O365ECS {
    /// The ECS version Elastic's current o365 integration writes.
    static let ecsVersion = "8.11.0"
    static let module = "o365"
}

extension String {
    /// Quoted and shortened for an error message (attacker-controlled text must not flood a report).
    var quotedForMessage: String {
        let limit = 80
        let shortened = count > limit ? String(prefix(limit)) + "…" : self
        return "\"" + shortened.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : $0.escaped(asASCII: true) }.joined() + "\""
    }
}
