// libFuzzer target: the audit-log readers (ECS NDJSON, _search responses, Management API NDJSON/JSON, Purview CSV,
// each plain or gzip) fed arbitrary bytes. The first byte picks the declared format (or detection) and the read
// mode; the rest is the file. Any crash, sanitizer report or trap is a finding; thrown errors are the expected way
// to refuse bad input.
import Foundation
import FuzzSupport
@testable import Core
@testable import Reading

private enum Harness {
    static let scratch = FuzzScratch(name: "records")
    static let formats: [LogFormat?] = [nil] + LogFormat.allCases

    static let body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { bytes, count in
        let input = FuzzDriver.data(bytes, count)
        guard let selector = input.first else { return 0 }
        let format = formats[Int(selector & 0x0F) % formats.count]
        let mode: ReadMode = selector & 0x10 == 0 ? .fast : .validate
        let path = scratch.write(input.dropFirst())
        // Small windows so that batching, resume points and long-line limits are exercised by small inputs.
        let reader = AuditLogReader(
            source: InputSource(path: path), format: format, mode: mode, maxLineBytes: 4096, batchBytes: 512)
        var ends: [ReadPosition] = []
        _ = try? reader.read { batch in ends.append(batch.end) }
        // Resuming from any batch end must be accepted (the ingester does exactly that after a crash).
        if let middle = ends.dropLast().last {
            _ = try? reader.read(from: middle) { _ in }
        }
        return 0
    }
}

// SwiftPM builds fuzzer executables as libraries (-parse-as-library); libFuzzer's own main calls this.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    Harness.body(bytes, count)
}
