import Foundation

/// CloudEvents 1.0 attributes as carried by the Kafka protocol binding in binary mode:
/// one `ce_`-prefixed header per attribute, the payload as the record value.
public struct CloudEventAttributes: Sendable, Equatable {
    public static let specVersion = "1.0"

    public var id: String
    public var type: String
    /// URI-reference of the producer, e.g. `/voc/ingest`.
    public var source: String
    public var time: Date
    public var subject: String?
    public var dataContentType: String
    /// W3C trace context, so a contact can be followed through every stage.
    public var traceparent: String?

    public init(id: String, type: String, source: String, time: Date, subject: String? = nil,
                dataContentType: String = "application/json", traceparent: String? = nil) {
        self.id = id
        self.type = type
        self.source = source
        self.time = time
        self.subject = subject
        self.dataContentType = dataContentType
        self.traceparent = traceparent
    }

    /// The Kafka headers, in a fixed order.
    public var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(8)
        forEachHeader { headers.append(($0, $1)) }
        return headers
    }

    /// The Kafka headers in their fixed order, without building a list (ingest converts
    /// them straight into records).
    public func forEachHeader(_ body: (String, String) -> Void) {
        body("ce_specversion", Self.specVersion)
        body("ce_id", id)
        body("ce_type", type)
        body("ce_source", source)
        body("ce_time", Timestamp.format(time))
        if let subject { body("ce_subject", subject) }
        body("content-type", dataContentType)
        if let traceparent { body("traceparent", traceparent) }
    }

    /// Reads the attributes back from Kafka headers.
    /// - Throws: ``ValidationError`` naming each missing or malformed header.
    public init(headers: [(name: String, value: [UInt8])]) throws(ValidationError) {
        var values: [String: String] = [:]
        for header in headers {
            values[header.name] = String(decoding: header.value, as: UTF8.self)
        }
        var check = FieldChecker()
        if let version = values["ce_specversion"], version != Self.specVersion {
            check.fail("ce_specversion", "must be \(Self.specVersion) (got \(version))")
        } else if values["ce_specversion"] == nil {
            check.fail("ce_specversion", "header is required")
        }
        for name in ["ce_id", "ce_type", "ce_source", "ce_time"] where values[name]?.isEmpty ?? true {
            check.fail(name, "header is required")
        }
        let time = values["ce_time"].flatMap(Timestamp.parse)
        if values["ce_time"] != nil, time == nil { check.fail("ce_time", "must be an RFC 3339 date-time") }
        try check.throwIfAny()
        self.init(
            id: values["ce_id"]!, type: values["ce_type"]!, source: values["ce_source"]!, time: time!,
            subject: values["ce_subject"], dataContentType: values["content-type"] ?? "application/json",
            traceparent: values["traceparent"]
        )
    }
}

/// An event ready for a topic: key, CloudEvents headers and JSON value.
public struct EncodedEvent: Sendable {
    public var topic: Topic
    public var key: [UInt8]
    public var value: [UInt8]
    public var attributes: CloudEventAttributes

    /// The CloudEvents headers, derived from ``attributes``.
    public var headers: [(name: String, value: String)] { attributes.headers }
}

/// Turns events into records and records back into events.
public enum EventCodec {
    /// Encodes an event in CloudEvents binary mode.
    /// - Parameters:
    ///   - source: The producing service, e.g. `/voc/ingest`.
    ///   - key: Overrides the event's subject as the key (dead letters keep the original key).
    ///   - json: The event's JSON when the caller wrote it already (the byte-level writers
    ///     of `VOCFastJSON` write what ``JSONCoding``'s encoder would); `nil` encodes it.
    public static func encode<E: VOCEvent>(_ event: E, source: String, traceparent: String? = nil,
                                           key: [UInt8]? = nil, json: [UInt8]? = nil) throws -> EncodedEvent {
        let attributes = CloudEventAttributes(
            id: event.eventId, type: E.eventType, source: source, time: event.eventTime,
            subject: event.subject, traceparent: traceparent ?? TraceContext.newTraceparent())
        let value = try json ?? Array(JSONCoding.encoder().encode(event))
        return EncodedEvent(topic: E.topic, key: key ?? Array(event.subject.utf8), value: value, attributes: attributes)
    }

    /// Decodes and validates an event from a record's value and headers.
    /// - Throws: ``ValidationError`` naming the header or field at fault.
    public static func decode<E: VOCEvent>(_ type: E.Type, value: [UInt8],
                                           headers: [(name: String, value: [UInt8])]) throws(ValidationError) -> (E, CloudEventAttributes) {
        let attributes = try CloudEventAttributes(headers: headers)
        if attributes.type != E.eventType {
            throw ValidationError(kind: .invalid, problems: [
                FieldProblem(field: "ce_type", problem: "must be \(E.eventType) on this topic (got \(attributes.type))")
            ])
        }
        let event = try JSONCoding.decode(E.self, from: value)
        try event.validate()
        return (event, attributes)
    }
}

/// W3C trace context helpers.
public enum TraceContext {
    public static func newTraceparent() -> String {
        let (high, low) = UUIDText.randomWords()
        return "00-\(UUIDText.render(high: high, low: low, dashes: false))-\(spanID())-01"
    }

    /// A child of `parent` in the same trace, or a new trace when `parent` is not a
    /// W3C `traceparent` (version, trace id, parent id and flags of 2, 32, 16 and 2
    /// lowercase hex digits; ids not all zero; version not `ff`).
    public static func child(of parent: String?) -> String {
        guard let parent, parent.utf8.count == 55 else { return newTraceparent() }
        let parts = parent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, zip(parts, [2, 32, 16, 2]).allSatisfy({ $0.utf8.count == $1 && isLowerHex($0) }),
              parts[0] != "ff", parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return newTraceparent() }
        return "00-\(parts[1])-\(spanID())-\(parts[3])"
    }

    private static func isLowerHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// 16 hex digits.
    static func spanID() -> String {
        let (word, _) = UUIDText.randomWords()
        return String(UUIDText.render(high: word, low: 0, dashes: false).prefix(16))
    }
}
