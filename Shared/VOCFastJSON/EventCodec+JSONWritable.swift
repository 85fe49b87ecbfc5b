import VOCSchema

extension EventCodec {
    /// Encodes an event that writes its own JSON (``JSONWritable``) in CloudEvents binary
    /// mode: the same record as ``EventCodec/encode(_:source:traceparent:key:json:)``
    /// without Foundation's encoder.
    public static func encode<E: VOCEvent & JSONWritable>(_ event: E, source: String, traceparent: String? = nil,
                                                          key: [UInt8]? = nil) throws -> EncodedEvent {
        try encode(event, source: source, traceparent: traceparent, key: key, json: event.jsonBytes)
    }
}
