import Foundation
import VOCKafka
import VOCRuntime
import VOCSchema

/// One decoded event the read models take in, with the id it is applied once under and
/// the record it came from (for its dead letter).
public struct ProjectedEvent: Sendable {
    public enum Payload: Sendable {
        case interaction(InteractionReceived)
        case customer(CustomerUpdated)
        case transcript(TranscriptReady)
        case insight(InsightProduced)
        case ticket(TicketEvent)
        case notification(NotificationRequested)
        case delivery(NotificationDelivered)
    }

    public var payload: Payload
    /// `ce_id`: the id the event is applied once under.
    public var eventId: String
    public var record: ConsumerRecord?

    public init(_ payload: Payload, eventId: String, record: ConsumerRecord? = nil) {
        self.payload = payload
        self.eventId = eventId
        self.record = record
    }

    /// The topics the projector reads.
    public static let topics: [Topic] = [
        .customerUpdated, .interactionReceived, .transcriptReady, .insightProduced, .ticketEvent,
        .notificationRequested, .notificationDelivered,
    ]

    /// Decodes a record of one of ``topics``.
    /// - Throws: ``ValidationError`` for a record that breaks its topic's contract,
    ///   ``StageError`` for a topic the projector does not read.
    public static func decode(_ record: ConsumerRecord) throws -> ProjectedEvent {
        func make<E: VOCEvent>(_ type: E.Type, _ wrap: (E) -> Payload) throws -> ProjectedEvent {
            let (event, attributes) = try record.decode(type)
            return ProjectedEvent(wrap(event), eventId: attributes.id, record: record)
        }
        switch record.topic {
        case Topic.interactionReceived.rawValue: return try make(InteractionReceived.self) { .interaction($0) }
        case Topic.customerUpdated.rawValue: return try make(CustomerUpdated.self) { .customer($0) }
        case Topic.transcriptReady.rawValue: return try make(TranscriptReady.self) { .transcript($0) }
        case Topic.insightProduced.rawValue: return try make(InsightProduced.self) { .insight($0) }
        case Topic.ticketEvent.rawValue: return try make(TicketEvent.self) { .ticket($0) }
        case Topic.notificationRequested.rawValue: return try make(NotificationRequested.self) { .notification($0) }
        case Topic.notificationDelivered.rawValue: return try make(NotificationDelivered.self) { .delivery($0) }
        default: throw StageError.invalid("the projector does not read \(record.topic)")
        }
    }

    /// The apply-once consumer of the event's topic. Interactions keep the name of the
    /// first projection, so the contacts it applied are not counted again.
    var consumer: String {
        switch payload {
        case .interaction: "projector.timeline"
        case .customer: "projector.customers"
        case .transcript: "projector.transcripts"
        case .insight: "projector.insights"
        case .ticket: "projector.tickets"
        case .notification: "projector.notifications"
        case .delivery: "projector.deliveries"
        }
    }

    /// Every apply-once consumer of the read models (what `voc rebuild` forgets).
    public static let consumers = [
        "projector.timeline", "projector.customers", "projector.transcripts", "projector.insights", "projector.tickets",
        "projector.notifications", "projector.deliveries",
    ]
}
