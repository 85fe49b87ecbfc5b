import Foundation

/// An opaque keyset position: the sort values of the last row of a page, base64url-encoded
/// so a client passes it back unchanged.
public struct KeysetCursor: Sendable, Equatable {
    public var values: [String]

    public init(_ values: [String]) {
        self.values = values
    }

    /// Reads a cursor of `count` values; nil for anything this API did not hand out.
    public init?(_ text: String, count: Int) {
        guard !text.isEmpty else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else { return nil }
        let parts = decoded.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count else { return nil }
        values = parts
    }

    public var text: String {
        Data(values.joined(separator: "\u{1F}").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Microseconds since 1970, the precision PostgreSQL keeps.
    static func micros(_ date: Date) -> String { String(Int64((date.timeIntervalSince1970 * 1_000_000).rounded())) }

    static func date(_ micros: String) -> Date? { Int64(micros).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) } }
}
