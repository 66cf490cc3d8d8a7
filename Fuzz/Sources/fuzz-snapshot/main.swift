// libFuzzer target: the Get-MailboxAuditBypassAssociation snapshot readers (Export-Csv in UTF-8/UTF-16, with or
// without the #TYPE line; ConvertTo-Json object or array).
import Foundation
import FuzzSupport
@testable import Core
@testable import Inventory

private enum Harness {
    static let body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { bytes, count in
        _ = try? SnapshotFile(data: FuzzDriver.data(bytes, count), fileName: "fuzz-snapshot")
        return 0
    }
}

// SwiftPM builds fuzzer executables as libraries (-parse-as-library); libFuzzer's own main calls this.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    Harness.body(bytes, count)
}
