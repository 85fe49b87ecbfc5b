import Foundation
import VOCFastJSON
import VOCKafka
import VOCRuntime
import VOCSchema

/// Turns records that gateways produce straight to `voc.gateway.raw.v1` into
/// interactions; a record that breaks the contract is dead-lettered with the reason.
struct GatewayRawHandler: StageHandler {
    let publisher: EventPublisher
    let limits: InteractionSubmission.Limits

    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        // The record's own time and position fix the event, so a redelivered record
        // yields the same interaction id and the same payload.
        let receivedAt = record.timestampMs.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? Date()
        let position = StableID.make("gateway-raw", record.topic, String(record.partition), String(record.offset))
        let event = try InteractionSubmission.scanOrDecode(from: record.value).validated(
            interactionId: position,
            gatewayId: record.header("gateway_id") ?? record.header("ce_source"),
            receivedAt: receivedAt, limits: limits)
        return [try publisher.encode(event, traceparent: TraceContext.child(of: record.header("traceparent")))]
    }
}
