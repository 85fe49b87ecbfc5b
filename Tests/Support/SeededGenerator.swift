/// A reproducible generator (SplitMix64), so a failing case can be replayed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    /// `document` with one to three bytes removed, inserted or replaced (from `alphabet`).
    public mutating func corrupt(_ document: [UInt8], from alphabet: [UInt8]) -> [UInt8] {
        var bytes = document
        for _ in 0..<Int.random(in: 1...3, using: &self) {
            let position = Int.random(in: 0..<bytes.count, using: &self)
            switch Int.random(in: 0..<3, using: &self) {
            case 0: bytes.remove(at: position)
            case 1: bytes.insert(alphabet.randomElement(using: &self)!, at: position)
            default: bytes[position] = alphabet.randomElement(using: &self)!
            }
            if bytes.isEmpty { break }
        }
        return bytes
    }
}
