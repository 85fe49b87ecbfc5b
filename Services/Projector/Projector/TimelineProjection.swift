import Foundation
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Projects `voc.interaction.received.v1` into the customer timeline, each event once.
struct TimelineProjection: StageHandler {
    static let consumer = "projector.timeline"
    let store: Store

    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let (event, attributes) = try record.decode(InteractionReceived.self)
        let contentChars = event.plainText.count
        let utteranceCount = event.utterances?.count ?? (event.text == nil ? 0 : 1)
        let hasAudio = event.audio != nil
        let kind = "interaction"
        let channel = event.channel.rawValue
        try await store.applyOnce(consumer: Self.consumer, eventId: attributes.id) { transaction in
            try await transaction.execute(
                """
                INSERT INTO timeline_entries (entry_id, customer_id, kind, channel, business_line, occurred_at,
                    received_at, language, agent_id, gateway_id, content_chars, utterance_count, has_audio, event_id)
                VALUES (\(event.interactionId), \(event.customerId), \(kind), \(channel), \(event.businessLine),
                    \(event.occurredAt), \(event.receivedAt), \(event.language), \(event.agentId), \(event.gatewayId),
                    \(contentChars), \(utteranceCount), \(hasAudio), \(attributes.id))
                ON CONFLICT (entry_id) DO NOTHING
                """)
        }
        return []
    }
}
