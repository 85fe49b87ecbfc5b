import Foundation
import VOCSchema

/// What every consumer does with a record: CloudEvents attributes from the headers,
/// then the JSON value decoded and validated as the topic's event
/// (``EventCodec/decode(_:value:headers:)``). An event that decodes must encode again,
/// and what it encodes to must decode and validate: a stage republishes what it read.
///
/// Input: one byte choosing the event type, then `name: value` header lines, an empty
/// line and the record's value.
enum EventDecodeTarget {
    static let types: [any VOCEvent.Type] = Topic.allCases.compactMap(EventCatalog.type(for:))

    static let target = FuzzTarget(
        name: "event-decode",
        summary: "CloudEvents headers and JSON payload of every event type (VOCSchema's EventCodec)"
    ) { raw in
        let input = FuzzInput(raw)
        let (headers, value) = FuzzInput.headersAndBody(input.rest)
        let type = types[Int(input.selector) % types.count]
        check(type, value: value, headers: headers)
        // The header parser alone, whatever the type.
        if let attributes = try? CloudEventAttributes(headers: headers) {
            let again = try? CloudEventAttributes(headers: attributes.headers.map { ($0.name, Array($0.value.utf8)) })
            FuzzCheck.expect(again != nil, "attributes read from headers do not read back from the headers they write")
        }
    }

    static func check<E: VOCEvent>(_ type: E.Type, value: [UInt8], headers: [(name: String, value: [UInt8])]) {
        guard let (event, attributes) = try? EventCodec.decode(E.self, value: value, headers: headers) else { return }
        let encoded: EncodedEvent
        do {
            encoded = try EventCodec.encode(event, source: attributes.source, traceparent: attributes.traceparent)
        } catch {
            FuzzCheck.expect(false, "a decoded \(E.eventType) does not encode: \(error)")
            return
        }
        do {
            let (again, _) = try EventCodec.decode(E.self, value: encoded.value,
                                                   headers: encoded.headers.map { ($0.name, Array($0.value.utf8)) })
            FuzzCheck.expect(again.eventId == event.eventId && again.subject == event.subject,
                             "a \(E.eventType) changed its id or subject on the way through a stage")
        } catch {
            FuzzCheck.expect(false, "a \(E.eventType) a stage accepted and republished is refused downstream: \(error)")
        }
    }
}
