import Foundation
import VOCSchema
import VOCStore

/// The monthly 听音会 digest, within what a caller may see: the complaints of each business
/// line, ranked by ``DigestRanking``, with their redacted transcript, recording and tickets.
public struct DigestRepository: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// - Parameters:
    ///   - businessLine: one line, or every line with a complaint in the month.
    ///   - scope: only complaints of customers the caller may see are ranked.
    ///   - perLine: at most this many complaints (clusters) per line.
    public func digest(month: Month, businessLine: String? = nil, scope: CustomerScope, perLine: Int) async throws -> Digest {
        let (advisor, manager, department) = scope.binds
        let rows = try await store.rows(
            """
            SELECT t.entry_id, t.business_line, t.cluster_id, t.complaint_risk, t.sentiment_score, r.interaction_id IS NOT NULL,
                   t.occurred_at
            FROM timeline_entries t
            JOIN customer_profiles p ON p.customer_id = t.customer_id
            LEFT JOIN recordings r ON r.interaction_id = t.entry_id
            WHERE t.insight_id IS NOT NULL AND t.occurred_at >= \(month.start) AND t.occurred_at < \(month.end)
              AND (t.sentiment_label = 'negative' OR t.complaint_risk >= \(DigestRanking.minimumRisk))
              AND (\(businessLine)::text IS NULL OR t.business_line = \(businessLine))
              AND (\(advisor)::text IS NULL OR p.advisor_id = \(advisor))
              AND (\(manager)::text IS NULL OR p.relationship_manager_id = \(manager))
              AND (\(department)::text IS NULL
                   OR EXISTS (SELECT 1 FROM ticket_queue q WHERE q.customer_id = p.customer_id AND q.department = \(department)))
            """, as: String.self, String.self, String?.self, Double.self, Double.self, Bool.self, Date.self)
        var byLine: [String: [DigestCandidate]] = [:]
        for (id, line, cluster, risk, score, recorded, at) in rows {
            byLine[line, default: []].append(DigestCandidate(interactionId: id, clusterId: cluster, complaintRisk: risk, sentimentScore: score,
                                                             hasRecording: recorded, occurredAt: at))
        }
        var lines: [DigestLine] = []
        for (line, candidates) in byLine.sorted(by: { $0.key < $1.key }) {
            let picks = DigestRanking.pick(candidates, limit: perLine)
            let clusters = Set(candidates.map { $0.clusterId ?? "\u{1F}" + $0.interactionId }).count
            lines.append(DigestLine(businessLine: line, complaints: candidates.count, clusters: clusters,
                                    items: try await items(picks)))
        }
        return Digest(month: month.text, lines: lines)
    }

    /// The picks with everything the digest shows of them, in the picks' order.
    private func items(_ picks: [DigestRanking.Pick]) async throws -> [DigestItem] {
        let ids = picks.map(\.candidate.interactionId)
        guard !ids.isEmpty else { return [] }
        var details: [String: DigestItem] = [:]
        let decoder = JSONCoding.decoder()
        for row in try await store.rows(
            """
            SELECT t.entry_id, t.customer_id, COALESCE(t.channel, ''), t.occurred_at, t.cluster_id, t.cluster_label, t.sentiment_label,
                   t.sentiment_score, t.complaint_risk, COALESCE(t.categories, '{}'), t.summary, t.utterances::text,
                   r.media_type, r.size_bytes, COALESCE(r.duration_ms, t.audio_duration_ms)
            FROM timeline_entries t LEFT JOIN recordings r ON r.interaction_id = t.entry_id
            WHERE t.entry_id = ANY(\(ids))
            """, as: String.self, String.self, String.self, Date.self, String?.self, String?.self, String.self, Double.self, Double.self,
            [String].self, String?.self, String?.self, String?.self, Int?.self, Int?.self) {
            let utterances = try row.11.map { try decoder.decode([InsightProduced.AnalyzedUtterance].self, from: Data($0.utf8)) } ?? []
            details[row.0] = DigestItem(
                rank: 0, interactionId: row.0, customerId: row.1, channel: row.2, occurredAt: row.3, clusterId: row.4, clusterLabel: row.5,
                clusterComplaints: 0, sentiment: SentimentView(label: row.6, score: row.7), complaintRisk: row.8, sharpness: 0,
                categories: row.9, summary: row.10, transcript: utterances.map { DigestUtterance(speaker: $0.speaker.rawValue, text: $0.text) },
                recording: both(row.12, row.13).map { DigestRecording(url: Self.recordingPath(row.0), mediaType: $0, sizeBytes: Int64($1),
                                                                      durationMs: row.14) },
                tickets: [])
        }
        var tickets: [String: [DigestTicket]] = [:]
        for (entry, ticket, status, department, code, resolvedAt, breached) in try await store.rows(
            """
            SELECT c.interaction_id, q.ticket_id, q.status, q.department, q.resolution_code, q.resolved_at, q.breached
            FROM ticket_contacts c JOIN ticket_queue q ON q.ticket_id = c.ticket_id
            WHERE c.interaction_id = ANY(\(ids)) ORDER BY q.ticket_id
            """, as: String.self, String.self, String.self, String.self, String?.self, Date?.self, Bool.self) {
            tickets[entry, default: []].append(DigestTicket(ticketId: ticket, status: status, department: department, resolutionCode: code,
                                                            resolvedAt: resolvedAt, breached: breached))
        }
        return picks.enumerated().compactMap { index, pick in
            guard var item = details[pick.candidate.interactionId] else { return nil }
            item.rank = index + 1
            item.clusterComplaints = pick.clusterComplaints
            item.sharpness = (pick.candidate.sharpness * 1000).rounded() / 1000
            item.tickets = tickets[item.interactionId] ?? []
            return item
        }
    }

    /// Where the read API serves a contact's recording.
    public static func recordingPath(_ interactionId: String) -> String {
        "/v1/recordings/" + PathSegment.encode(interactionId)
    }
}

/// Percent-encoding of one path segment: everything but RFC 3986's unreserved characters,
/// so an id with a slash, a space or Chinese characters stays one segment.
enum PathSegment {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
