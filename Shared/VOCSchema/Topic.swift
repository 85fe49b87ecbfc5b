/// The Kafka topics of the pipeline. The suffix is the payload's major version: a
/// breaking change makes a new topic, never a new meaning for an old one.
public enum Topic: String, CaseIterable, Sendable, Codable {
    case gatewayRaw = "voc.gateway.raw.v1"
    case interactionReceived = "voc.interaction.received.v1"
    case customerUpdated = "voc.customer.updated.v1"
    case transcriptReady = "voc.transcript.ready.v1"
    case insightProduced = "voc.insight.produced.v1"
    case ticketEvent = "voc.ticket.event.v1"
    case notificationRequested = "voc.notification.requested.v1"
    case notificationDelivered = "voc.notification.delivered.v1"
    case deadLetter = "voc.deadletter.v1"

    public var name: String { rawValue }

    /// Partitions a new cluster gets for this topic. Keyed topics get enough to scale a
    /// stage to a few replicas; the dead-letter topic is low volume.
    public var defaultPartitions: Int {
        switch self {
        case .deadLetter: return 1
        default: return 6
        }
    }
}
