import Core
import Foundation
import Yams

/// Reads `Policies/allowlist.yaml` into an `Allowlist`, reporting every problem with file, line and column.
///
/// Parsing goes through Yams' node API rather than `Decodable` because only the nodes keep their marks: a reviewer
/// needs "line 14, column 5: unknown key `tikcet`", not "keyNotFound".
public enum AllowlistLoader {
    /// The largest register read, in bytes of text (8 MiB: about 19,000 entries laid out as `allowlist add` writes
    /// them). Every command that reads the register parses it whole, and an edit parses it twice, at about 35 times
    /// its size in memory: without a cap a 50 MB register cost a minute and 1.8 GB per edit. A register of real
    /// approvals is a few hundred kilobytes; one over the cap is refused as invalid, so nothing counts as approved.
    public static let maximumBytes = 8 * 1024 * 1024

    /// Reads and validates the register at `path`.
    ///
    /// The register file's bytes; `AllowlistLoadError.missing` or `.unreadable` when they cannot be read.
    static func bytes(path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { throw AllowlistLoadError.missing(path: path) }
            throw AllowlistLoadError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Problems inside the file (syntax, unknown keys, bad dates, duplicates, missing fields) come back as issues;
    /// the call throws `AllowlistLoadError` only when the file cannot be read at all (missing, unreadable).
    public static func load(path: String) throws -> AllowlistLoadResult {
        let data = try bytes(path: path)
        return load(data: data, path: path)
    }

    /// Validates register bytes that were read from (or are about to be written to) `path`.
    public static func load(data: Data, path: String) -> AllowlistLoadResult {
        let sha256 = SHA256Digest.hex(of: data)
        guard let content = String(validatingUTF8Data: data) else {
            let content = String(decoding: data, as: UTF8.self)
            let issue = AllowlistIssue(
                file: path, position: firstInvalidUTF8Position(in: data), severity: .error,
                message: "the file is not UTF-8 text")
            return AllowlistLoadResult(allowlist: nil, issues: [issue], content: content, sha256: sha256, path: path)
        }
        return parse(content: content, path: path, sha256: sha256).result
    }

    /// Validates register text (as the editor does before it writes).
    public static func load(content: String, path: String) -> AllowlistLoadResult {
        parse(content: content, path: path, sha256: SHA256Digest.hex(of: content)).result
    }

    /// The model, the issues and where every entry sits in the text (nil when the YAML does not parse).
    static func parse(content: String, path: String, sha256: String) -> (
        result: AllowlistLoadResult, syntax: AllowlistSyntax?
    ) {
        var reader = AllowlistNodeReader(file: path)
        let size = content.utf8.count
        if size > maximumBytes {
            let issue = AllowlistIssue(
                file: path, position: nil, severity: .error,
                message: "the register holds \(mebibytes(size)), over the limit of "
                    + "\(mebibytes(maximumBytes)) (about 19,000 entries); it is not read, so no entry counts "
                    + "as approved: remove what is not an approval")
            return (AllowlistLoadResult(allowlist: nil, issues: [issue], content: content, sha256: sha256, path: path), nil)
        }
        let root: Node?
        do {
            // The basic resolver (no implicit types): Yams hashes every mapping key to find duplicates, and with the
            // default resolver each hash runs the type regexes; values are typed by the reader where it matters.
            root = try Yams.compose(yaml: content, Resolver.basic)
        } catch {
            reader.report(yamlError: error, in: content)
            let result = AllowlistLoadResult(
                allowlist: nil, issues: reader.issues, content: content, sha256: sha256, path: path)
            return (result, nil)
        }
        var (allowlist, syntax) = reader.read(root: root)
        allowlist.path = path
        allowlist.sha256 = sha256
        let issues = AllowlistIssue.inFileOrder(reader.issues)
        let valid = !issues.contains { $0.severity == .error }
        let result = AllowlistLoadResult(
            allowlist: valid ? allowlist : nil, issues: issues, content: content, sha256: sha256, path: path)
        return (result, syntax)
    }

    private static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    /// Line and column (in characters) of the first byte that breaks UTF-8.
    private static func firstInvalidUTF8Position(in data: Data) -> SourcePosition? {
        let bytes = [UInt8](data)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let length = UTF8Validation.sequenceLength(bytes, at: index)
            guard length > 0 else {
                let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
                return SourcePosition(line: line, column: column)
            }
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += length
        }
        return nil
    }
}

extension AllowlistIssue {
    /// File order: whole-file problems first, then by line and column; errors before warnings at one spot, and
    /// otherwise the order they were found in.
    static func inFileOrder(_ issues: [AllowlistIssue]) -> [AllowlistIssue] {
        issues.enumerated().sorted { lhs, rhs in
            let left = lhs.element.position.map { ($0.line, $0.column) } ?? (0, 0)
            let right = rhs.element.position.map { ($0.line, $0.column) } ?? (0, 0)
            if left != right { return left < right }
            if lhs.element.severity != rhs.element.severity { return lhs.element.severity < rhs.element.severity }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}

extension String {
    /// Decodes `data` as UTF-8, or nil when it is not valid UTF-8 (never replaces bytes silently).
    init?(validatingUTF8Data data: Data) {
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        self = text
    }
}

/// Byte-level UTF-8 checks for locating the first bad byte.
enum UTF8Validation {
    /// The length of the valid UTF-8 sequence starting at `index`, or 0 when the bytes there are not valid UTF-8.
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        var decoder = UTF8()
        var iterator = bytes[index..<index + length].makeIterator()
        if case .scalarValue = decoder.decode(&iterator) { return length }
        return 0
    }
}
