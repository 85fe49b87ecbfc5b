import Foundation
import Logging
import VOCKafka
import VOCSchema
import VOCStore

/// When each accepted interaction reached each observable point, in milliseconds since
/// the epoch: record timestamps set by the producing service (ingest, analyze, route,
/// notify) and the projector's apply-once rows.
struct E2EMark: Sendable {
    /// The interaction's record on `voc.interaction.received.v1`: ingest answers `202`
    /// once the broker acknowledged it.
    var acceptedMs: Double?
    var insightMs: Double?
    /// The later of the projector applying the interaction and applying its insight: from
    /// then the customer 360 shows the contact with its sentiment and categories. The rows
    /// carry their transaction's start, a few milliseconds before it commits.
    var projectedMs: Double?
    /// Route's owner-sync notification on `voc.notification.requested.v1`.
    var ownerRequestedMs: Double?
    /// Notify's `delivered` outcome of that notification on `voc.notification.delivered.v1`.
    var ownerNotifiedMs: Double?
}

/// What the four topics said while the load ran, per interaction id (earliest record time).
struct E2EObserved: TopicObservation {
    static let topics: [Topic] = [.interactionReceived, .insightProduced, .notificationRequested, .notificationDelivered]

    var accepted: [String: Double] = [:]
    var insight: [String: Double] = [:]
    var interactionOfInsight: [String: String] = [:]
    var ownerRequested: [String: Double] = [:]
    var interactionOfNotification: [String: String] = [:]
    /// Notification id → the record time of its `delivered` outcome.
    var delivered: [String: Double] = [:]

    init() {}

    /// The fields of a payload the marks need; everything else is skipped.
    private struct Fields: Decodable {
        var interactionId: String?
        var insightId: String?
        var notificationId: String?
        var kind: String?
        var outcome: String?
    }

    mutating func add(_ record: ConsumerRecord, decoder: JSONDecoder) {
        guard let stamp = record.timestampMs.map(Double.init),
              let payload = try? decoder.decode(Fields.self, from: Data(record.value)) else { return }
        func earliest(_ map: inout [String: Double], _ key: String) { map[key] = min(map[key] ?? stamp, stamp) }
        switch record.topic {
        case Topic.interactionReceived.rawValue:
            if let id = payload.interactionId { earliest(&accepted, id) }
        case Topic.insightProduced.rawValue:
            guard let id = payload.interactionId, let insight = payload.insightId else { return }
            interactionOfInsight[insight] = id
            earliest(&self.insight, id)
        case Topic.notificationRequested.rawValue:
            guard payload.kind == "owner_sync", let id = payload.interactionId, let notification = payload.notificationId else { return }
            interactionOfNotification[notification] = id
            earliest(&ownerRequested, id)
        case Topic.notificationDelivered.rawValue:
            guard payload.outcome == "delivered", let notification = payload.notificationId else { return }
            earliest(&delivered, notification)
        default:
            return
        }
    }
}

enum E2EMarks {
    /// The marks of the accepted interactions from what the follower saw and the
    /// projector's apply-once rows.
    static func read(accepted: Set<String>, observed: E2EObserved, store: StoreConfiguration,
                     logger: Logger) async throws -> [String: E2EMark] {
        var marks: [String: E2EMark] = [:]
        marks.reserveCapacity(accepted.count)
        for id in accepted {
            marks[id] = E2EMark(acceptedMs: observed.accepted[id], insightMs: observed.insight[id],
                                ownerRequestedMs: observed.ownerRequested[id])
        }
        for (notification, at) in observed.delivered {
            guard let id = observed.interactionOfNotification[notification], accepted.contains(id) else { continue }
            let earlier = marks[id]?.ownerNotifiedMs ?? at
            marks[id]?.ownerNotifiedMs = min(earlier, at)
        }
        let interactionOfInsight = observed.interactionOfInsight

        let client = Store(configuration: store, logger: logger)
        let applied = try await withThrowingTaskGroup(of: [(String, String, Date)]?.self) { tasks in
            tasks.addTask { try await client.run(); return nil }
            defer { tasks.cancelAll() }
            // PostgresClient warns about a lease that comes before its run() has begun.
            try await Task.sleep(for: .milliseconds(200))
            return try await client.rows(
                """
                SELECT consumer, event_id, applied_at FROM voc_projector.applied_events
                WHERE consumer IN ('projector.timeline', 'projector.insights')
                """, as: String.self, String.self, Date.self)
        }
        var interactionApplied: [String: Double] = [:]
        var insightApplied: [String: Double] = [:]
        for (consumer, eventId, at) in applied {
            let ms = at.timeIntervalSince1970 * 1000
            if consumer == "projector.timeline" {
                if accepted.contains(eventId) { interactionApplied[eventId] = ms }
            } else if let id = interactionOfInsight[eventId] {
                insightApplied[id] = ms
            }
        }
        for (id, interaction) in interactionApplied {
            guard let insight = insightApplied[id] else { continue }
            marks[id, default: E2EMark()].projectedMs = max(interaction, insight)
        }
        return marks
    }
}
