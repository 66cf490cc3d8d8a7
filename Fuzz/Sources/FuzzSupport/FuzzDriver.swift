import Foundation

/// What every harness shares.
public enum FuzzDriver {
    /// The input as `Data` (libFuzzer may pass a null pointer for the empty input).
    public static func data(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
        guard let bytes, count > 0 else { return Data() }
        return Data(UnsafeBufferPointer(start: bytes, count: count))
    }
}
