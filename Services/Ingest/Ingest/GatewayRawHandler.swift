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
        let event = try Self.event(from: record.value, interactionId: position,
                                   gatewayId: record.header("gateway_id") ?? record.header("ce_source"),
                                   receivedAt: receivedAt, limits: limits)
        return [try publisher.encode(event, traceparent: TraceContext.child(of: record.header("traceparent")))]
    }

    /// The interaction a raw record's value describes. A raw record cannot announce a
    /// recording: its bytes would have no way in, and the event, with neither text,
    /// utterances nor audio, would be refused by every stage after ingest.
    /// - Throws: ``ValidationError`` naming every field at fault.
    static func event(from value: some Collection<UInt8>, interactionId: String, gatewayId: String?, receivedAt: Date,
                      limits: InteractionSubmission.Limits) throws(ValidationError) -> InteractionReceived {
        let submission = try InteractionSubmission.scanOrDecode(from: value)
        if submission.audio != nil {
            throw ValidationError(kind: .invalid, problems: [FieldProblem(
                field: "audio", problem: "a voc.gateway.raw.v1 record cannot announce a recording; upload it with POST /v1/interactions")])
        }
        return try submission.validated(interactionId: interactionId, gatewayId: gatewayId, receivedAt: receivedAt, limits: limits)
    }
}
