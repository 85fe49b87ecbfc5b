import Foundation

/// One fuzz target: a parser fed arbitrary bytes. It must answer with a value or a thrown
/// error; a trap (a failed precondition, an overflow, an index out of range) or a broken
/// invariant checked by ``FuzzCheck`` is a finding.
struct FuzzTarget: Sendable {
    var name: String
    var summary: String
    var run: @Sendable (UnsafeRawBufferPointer) -> Void

    /// Every target, by the name `voc-fuzz` and `scripts/fuzz.sh` know it by; each has its
    /// seed corpus in `Fuzz/Corpus/<name>/`.
    static let all: [FuzzTarget] = [
        EventDecodeTarget.target,
        GatewayRawTarget.target,
        BatchTarget.target,
        TranscoderTarget.target,
        MultipartTarget.target,
        PIITarget.target,
        RulePackTarget.target,
        RoutingBookTarget.target,
    ]

    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// Invariants a target checks beyond "no trap"; a broken one stops the fuzzer with the
/// input as a reproducer.
enum FuzzCheck {
    static func expect(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                       file: StaticString = #fileID, line: UInt = #line) {
        if !condition() { fatalError("invariant broken: \(message())", file: file, line: line) }
    }
}

/// Splits a fuzz input into the parts a target needs.
struct FuzzInput {
    let bytes: [UInt8]

    init(_ raw: UnsafeRawBufferPointer) {
        bytes = Array(raw)
    }

    /// The first byte (a selector), or 0 for an empty input.
    var selector: UInt8 { bytes.first ?? 0 }

    /// Everything after the first byte.
    var rest: ArraySlice<UInt8> { bytes.dropFirst() }

    /// `name: value` lines up to the first empty line, then the rest as the body: the
    /// shape of a Kafka record (headers, value) or of an HTTP request (headers, body).
    static func headersAndBody(_ bytes: ArraySlice<UInt8>) -> (headers: [(name: String, value: [UInt8])], body: [UInt8]) {
        var headers: [(name: String, value: [UInt8])] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let line = bytes[index..<end]
            index = min(end + 1, bytes.endIndex)
            if line.isEmpty { break }
            if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                var value = line[(colon + 1)...]
                if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
                headers.append((String(decoding: line[..<colon], as: UTF8.self), Array(value)))
            } else {
                headers.append((String(decoding: line, as: UTF8.self), []))
            }
        }
        return (headers, Array(bytes[index...]))
    }
}
