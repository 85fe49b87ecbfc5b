import Foundation
import VOCSchema
import VOCStore

/// A customer's contacts, newest first, each with its redacted transcript and insight, the
/// tickets it opened or joined and the notifications it caused.
public struct TimelineRepository: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// A page of the timeline, or nil when the customer does not exist or `scope` may not see them.
    public func page(customerId: String, scope: CustomerScope, limit: Int, after cursor: KeysetCursor?) async throws -> TimelinePage? {
        guard try await CustomerRepository(store: store).isVisible(customerId, scope: scope) else { return nil }
        return try await page(customerId: customerId, limit: limit, after: cursor)
    }

    /// A page of the timeline, whoever asks.
    public func page(customerId: String, limit: Int, after cursor: KeysetCursor?) async throws -> TimelinePage {
        let farFuture = Date(timeIntervalSince1970: 32_503_680_000)
        let beforeTime = cursor.flatMap { KeysetCursor.date($0.values[0]) } ?? farFuture
        let beforeID = cursor?.values[1] ?? ""
        let rows = try await store.rows(
            """
            SELECT entry_id, kind, COALESCE(channel, ''), COALESCE(business_line, ''), occurred_at, received_at, language, agent_id,
                   gateway_id, content_chars, utterance_count, has_audio, audio_duration_ms, transcript_engine, summary, insight_id,
                   sentiment_label, sentiment_score, categories, complaint_risk, effort, cluster_id, cluster_label, keywords,
                   utterances::text, compliance::text
            FROM timeline_entries
            WHERE customer_id = \(customerId) AND occurred_at IS NOT NULL
              AND (occurred_at < \(beforeTime) OR (occurred_at = \(beforeTime) AND entry_id < \(beforeID)))
            ORDER BY occurred_at DESC, entry_id DESC
            LIMIT \(limit + 1)
            """, as: String.self, String.self, String.self, String.self, Date.self, Date?.self, String?.self, String?.self, String?.self,
            Int.self, Int.self, Bool.self, Int?.self, String?.self, String?.self, String?.self, String?.self, Double?.self, [String]?.self,
            Double?.self, Double?.self, String?.self, String?.self, [String]?.self, String?.self, String?.self)
        var entries: [TimelineEntry] = []
        for row in rows {
            var insight: InsightView?
            if let id = row.15, let label = row.16, let score = row.17 {
                let decoder = JSONCoding.decoder()
                insight = InsightView(
                    insightId: id, sentiment: SentimentView(label: label, score: score), categories: row.18 ?? [],
                    complaintRisk: row.19 ?? 0, effort: row.20,
                    cluster: both(row.21, row.22).map { InsightView.ClusterView(id: $0, label: $1) }, keywords: row.23 ?? [],
                    utterances: try row.24.map { try decoder.decode([InsightProduced.AnalyzedUtterance].self, from: Data($0.utf8)) } ?? [],
                    compliance: try row.25.map { try decoder.decode([InsightProduced.ComplianceFinding].self, from: Data($0.utf8)) } ?? [])
            }
            entries.append(TimelineEntry(
                entryId: row.0, kind: row.1, channel: row.2, businessLine: row.3, occurredAt: row.4, receivedAt: row.5, language: row.6,
                agentId: row.7, gatewayId: row.8, contentChars: row.9, utteranceCount: row.10, hasAudio: row.11, audioDurationMs: row.12,
                transcriptEngine: row.13, summary: row.14, insight: insight, tickets: [], notifications: []))
        }
        var next: String?
        if entries.count > limit {
            entries.removeLast()
            next = entries.last.map { KeysetCursor([KeysetCursor.micros($0.occurredAt), $0.entryId]).text }
        }
        let ids = entries.map(\.entryId)
        if !ids.isEmpty {
            var tickets: [String: [TimelineTicket]] = [:]
            for (entry, ticket, status, category, department, opened) in try await store.rows(
                """
                SELECT c.interaction_id, q.ticket_id, q.status, q.category, q.department, c.opened
                FROM ticket_contacts c JOIN ticket_queue q ON q.ticket_id = c.ticket_id
                WHERE c.interaction_id = ANY(\(ids)) ORDER BY q.ticket_id
                """, as: String.self, String.self, String.self, String.self, String.self, Bool.self) {
                tickets[entry, default: []].append(TimelineTicket(ticketId: ticket, status: status, category: category,
                                                                  department: department, opened: opened))
            }
            var notifications: [String: [TimelineNotification]] = [:]
            for row in try await store.rows(
                """
                SELECT interaction_id, notification_id, recipient_role, recipient_id, medium, kind, title, body, requested_at, outcome,
                       delivered_at
                FROM customer_notifications WHERE interaction_id = ANY(\(ids)) AND title IS NOT NULL
                ORDER BY requested_at, notification_id
                """, as: String.self, String.self, String.self, String.self, String.self, String?.self, String.self, String?.self,
                Date.self, String?.self, Date?.self) {
                notifications[row.0, default: []].append(TimelineNotification(
                    notificationId: row.1, recipientRole: row.2, recipientId: row.3, medium: row.4, kind: row.5, title: row.6,
                    body: row.7, requestedAt: row.8, outcome: row.9, deliveredAt: row.10))
            }
            for index in entries.indices {
                entries[index].tickets = tickets[entries[index].entryId] ?? []
                entries[index].notifications = notifications[entries[index].entryId] ?? []
            }
        }
        return TimelinePage(customerId: customerId, entries: entries, nextCursor: next)
    }
}
