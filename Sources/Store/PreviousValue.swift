/// One column's value in the previous row of a long read, with the stored bytes it was decoded from: a row whose
/// column holds the same bytes gets the same value back without decoding (or allocating) it again. Alerts come in
/// runs from one rule and one detection run, so most of their columns repeat the row before.
struct PreviousValue<Value> {
    private var stored: [UInt8] = []
    private var value: Value?

    /// The value `bytes` stand for: the previous row's when they are its bytes, else `decode` of them.
    mutating func value(of bytes: UnsafeRawBufferPointer, _ decode: (UnsafeRawBufferPointer) throws -> Value) rethrows
        -> Value
    {
        if let value, stored.hasBytes(of: bytes) { return value }
        let decoded = try decode(bytes)
        stored = Array(bytes)
        value = decoded
        return decoded
    }
}
