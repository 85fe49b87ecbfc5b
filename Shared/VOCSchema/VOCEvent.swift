import Foundation

/// A payload published on one of the pipeline's topics.
///
/// Events are plain values. The CloudEvents attributes travel in Kafka headers (binary
/// mode), so the payload stays the JSON a gateway in any language can read.
public protocol VOCEvent: Codable, Sendable, Equatable {
    /// The topic this event type is published on.
    static var topic: Topic { get }
    /// Unique per event and deterministic where the event derives from another, so
    /// reprocessing yields the same id and read models apply it once.
    var eventId: String { get }
    /// The Kafka key and `ce_subject`: customer id, ticket id or recipient id.
    var subject: String { get }
    /// When the fact the event reports happened (`ce_time`).
    var eventTime: Date { get }
    /// Checks the contract beyond what decoding checks.
    /// - Throws: ``ValidationError`` naming every field that breaks it.
    func validate() throws(ValidationError)
}

extension VOCEvent {
    /// The CloudEvents `type` attribute: the topic name, so a consumer that reads a
    /// header knows both the schema and its version.
    public static var eventType: String { topic.rawValue }
}

/// Every event type of version 1, for tools that decode any topic (`voc tail`).
public enum EventCatalog {
    public static func type(for topic: Topic) -> (any VOCEvent.Type)? {
        switch topic {
        case .gatewayRaw: return nil
        case .interactionReceived: return InteractionReceived.self
        case .customerUpdated: return CustomerUpdated.self
        case .transcriptReady: return TranscriptReady.self
        case .insightProduced: return InsightProduced.self
        case .ticketEvent: return TicketEvent.self
        case .notificationRequested: return NotificationRequested.self
        case .notificationDelivered: return NotificationDelivered.self
        case .deadLetter: return DeadLetter.self
        }
    }
}
