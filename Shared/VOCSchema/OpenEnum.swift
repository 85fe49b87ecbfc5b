/// A string-valued enumeration on the wire that stays open to values added later, as
/// swift-nio's `HTTPMethod.RAW(value:)` does.
///
/// Inside a topic version new enum values are an additive change, so a consumer built
/// before a value existed must pass it along instead of failing the event: every such
/// enumeration has one case carrying the raw text it did not recognise, which encodes
/// back to the same text. ``init(rawValue:)`` never fails; ``known`` lists the cases
/// this build understands. The edge (ingest) still accepts only ``known`` values from
/// gateways; see ``isKnown``.
public protocol OpenEnum: RawRepresentable<String>, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The cases this build understands, in declaration order.
    static var known: [Self] { get }
    /// Reads a raw value: a known case, or the catch-all case carrying `rawValue`.
    init(rawValue: String)
}

extension OpenEnum {
    /// Whether this build understands the value (it is one of ``known``).
    public var isKnown: Bool { Self.known.contains(self) }

    /// The known raw values joined for an error message, e.g. `mono, stereo_agent_left`.
    public static var knownList: String { known.map(\.rawValue).joined(separator: ", ") }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(rawValue: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Equal when the raw values are: `.unknown("chat")` is `.chat`.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}
