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

enum E2EMarks {
    /// The fields of a payload the marks need; everything else is skipped.
    private struct Fields: Decodable {
        var interactionId: String?
        var insightId: String?
        var notificationId: String?
        var kind: String?
        var outcome: String?
    }

    /// Reads the topics from their beginning and the projector's apply-once rows.
    static func read(accepted: Set<String>, connection: KafkaConnection, store: StoreConfiguration,
                     logger: Logger) async throws -> [String: E2EMark] {
        let reader = TopicReader(connection: connection, logger: logger)
        let decoder = JSONDecoder()
        var marks: [String: E2EMark] = [:]
        marks.reserveCapacity(accepted.count)
        func earliest(_ current: Double?, _ record: ConsumerRecord) -> Double? {
            guard let stamp = record.timestampMs.map(Double.init) else { return current }
            return min(current ?? stamp, stamp)
        }
        func fields(_ record: ConsumerRecord) -> Fields? { try? decoder.decode(Fields.self, from: Data(record.value)) }

        try await reader.each(Topic.interactionReceived.rawValue) { record in
            guard let id = fields(record)?.interactionId, accepted.contains(id) else { return }
            marks[id, default: E2EMark()].acceptedMs = earliest(marks[id]?.acceptedMs, record)
        }
        var interactionOfInsight: [String: String] = [:]
        try await reader.each(Topic.insightProduced.rawValue) { record in
            guard let payload = fields(record), let id = payload.interactionId, accepted.contains(id),
                  let insight = payload.insightId else { return }
            interactionOfInsight[insight] = id
            marks[id, default: E2EMark()].insightMs = earliest(marks[id]?.insightMs, record)
        }
        var interactionOfNotification: [String: String] = [:]
        try await reader.each(Topic.notificationRequested.rawValue) { record in
            guard let payload = fields(record), payload.kind == "owner_sync", let id = payload.interactionId,
                  accepted.contains(id), let notification = payload.notificationId else { return }
            interactionOfNotification[notification] = id
            marks[id, default: E2EMark()].ownerRequestedMs = earliest(marks[id]?.ownerRequestedMs, record)
        }
        try await reader.each(Topic.notificationDelivered.rawValue) { record in
            guard let payload = fields(record), payload.outcome == "delivered", let notification = payload.notificationId,
                  let id = interactionOfNotification[notification] else { return }
            marks[id, default: E2EMark()].ownerNotifiedMs = earliest(marks[id]?.ownerNotifiedMs, record)
        }

        let client = Store(configuration: store, logger: logger)
        let applied = try await withThrowingTaskGroup(of: [(String, String, Date)]?.self) { tasks in
            tasks.addTask { try await client.run(); return nil }
            defer { tasks.cancelAll() }
            // PostgresClient warns about a lease that comes before its run() has begun.
            try await Task.sleep(for: .milliseconds(200))
            return try await client.rows(
                """
                SELECT consumer, event_id, applied_at FROM applied_events
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
