import Foundation

/// A credential (API key, password, client secret, token). Its text is reachable only through `reveal()`, so that
/// string interpolation, `print`, logs and error messages show `<redacted>` instead.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret itself, for the one place that sends it.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// Where a secret comes from: a file or an environment variable, never a command-line argument (arguments are
/// visible to every user of the machine in `ps` and end up in shell history).
public struct SecretSource: Sendable, Hashable {
    /// A file holding the secret; one trailing line break is ignored.
    public var file: String?
    /// The environment variable read when no file is given.
    public var environmentVariable: String
    /// What the secret is, for messages ("Elasticsearch API key").
    public var label: String

    public init(file: String?, environmentVariable: String, label: String) {
        self.file = file
        self.environmentVariable = environmentVariable
        self.label = label
    }

    /// The secret, or nil when neither the file nor the variable is given.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Secret? {
        if let file {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw SecretError.unreadable(label: label, file: file, reason: error.localizedDescription)
            }
            guard var text = String(data: data, encoding: .utf8) else {
                throw SecretError.unreadable(label: label, file: file, reason: "not UTF-8 text")
            }
            while let last = text.last, last == "\n" || last == "\r" { text.removeLast() }
            guard !text.isEmpty else { throw SecretError.empty(label: label, origin: file) }
            return Secret(text)
        }
        if let text = environment[environmentVariable] {
            guard !text.isEmpty else { throw SecretError.empty(label: label, origin: "$" + environmentVariable) }
            return Secret(text)
        }
        return nil
    }
}

public enum SecretError: Error, CustomStringConvertible, Sendable {
    case unreadable(label: String, file: String, reason: String)
    case empty(label: String, origin: String)

    public var description: String {
        switch self {
        case .unreadable(let label, let file, let reason): "\(label): cannot read \(file): \(reason)"
        case .empty(let label, let origin): "\(label): \(origin) is empty"
        }
    }
}
