import Foundation
import VOCStore

/// Agent scorecards, computed at read time from the timeline and the ticket queue over the
/// contacts the agent handled in a period (the interaction's `agentId`).
public struct ScorecardRepository: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Scorecards of every agent with contacts in `period`, by agent id, after `cursor`.
    public func scorecards(period: Period, limit: Int, after cursor: KeysetCursor? = nil) async throws -> ScorecardPage {
        var cards = try await compute(period: period, agentId: nil, after: cursor?.values.first ?? "", limit: limit + 1)
        var next: String?
        if cards.count > limit {
            cards.removeLast()
            next = cards.last.map { KeysetCursor([$0.agentId]).text }
        }
        return ScorecardPage(from: period.from, to: period.to, scorecards: cards, nextCursor: next)
    }

    /// One agent's scorecard (zeros without contacts in `period`).
    public func scorecard(agentId: String, period: Period) async throws -> Scorecard {
        try await compute(period: period, agentId: agentId, after: "", limit: 1).first
            ?? Scorecard(agentId: agentId, contacts: 0, analysedContacts: 0, complianceFindings: [:], contactsWithFindings: 0,
                         averageSentiment: nil, ticketsOpened: 0, firstContactResolution: nil, reopenRate: nil,
                         sentimentAfterContact: nil)
    }

    private func compute(period: Period, agentId: String?, after: String, limit: Int) async throws -> [Scorecard] {
        let rows = try await store.rows(
            """
            WITH contacts AS (
                SELECT e.entry_id, e.customer_id, e.agent_id, e.occurred_at, e.insight_id, e.sentiment_score,
                       COALESCE(jsonb_array_length(e.compliance), 0) AS findings,
                       count(q.ticket_id) AS tickets,
                       -- Resolved at first contact: no ticket needed, or the one it opened was resolved
                       -- without a repeat contact and never reopened.
                       bool_and(q.ticket_id IS NULL OR (NOT q.is_open AND q.repeat_count = 0 AND q.reopen_count = 0)) AS first_time,
                       count(q.ticket_id) FILTER (WHERE q.reopen_count > 0) AS reopened
                FROM timeline_entries e
                LEFT JOIN ticket_contacts c ON c.interaction_id = e.entry_id AND c.opened
                LEFT JOIN ticket_queue q ON q.ticket_id = c.ticket_id
                WHERE e.agent_id IS NOT NULL AND e.occurred_at >= \(period.start) AND e.occurred_at < \(period.end)
                  AND (\(agentId)::text IS NULL OR e.agent_id = \(agentId)) AND e.agent_id > \(after)
                GROUP BY e.entry_id
            )
            SELECT c.agent_id, count(*)::int8, count(c.insight_id)::int8, count(*) FILTER (WHERE c.findings > 0)::int8,
                   avg(c.sentiment_score), sum(c.tickets)::int8,
                   (count(*) FILTER (WHERE c.insight_id IS NOT NULL AND c.first_time))::float8 / NULLIF(count(c.insight_id), 0),
                   sum(c.reopened)::float8 / NULLIF(sum(c.tickets), 0),
                   avg(next.sentiment_score)
            FROM contacts c
            LEFT JOIN LATERAL (
                SELECT n.sentiment_score FROM timeline_entries n
                WHERE n.customer_id = c.customer_id AND n.occurred_at > c.occurred_at AND n.insight_id IS NOT NULL
                ORDER BY n.occurred_at LIMIT 1
            ) next ON true
            GROUP BY c.agent_id ORDER BY c.agent_id LIMIT \(limit)
            """, as: String.self, Int.self, Int.self, Int.self, Double?.self, Int.self, Double?.self, Double?.self, Double?.self)
        guard !rows.isEmpty else { return [] }
        var findings: [String: [String: Int]] = [:]
        for (agent, rule, count) in try await store.rows(
            """
            SELECT e.agent_id, f->>'rule', count(*)::int8
            FROM timeline_entries e, jsonb_array_elements(e.compliance) f
            WHERE e.agent_id = ANY(\(rows.map(\.0))) AND e.occurred_at >= \(period.start) AND e.occurred_at < \(period.end)
              AND e.compliance IS NOT NULL
            GROUP BY 1, 2
            """, as: String.self, String.self, Int.self) {
            findings[agent, default: [:]][rule] = count
        }
        return rows.map { row in
            Scorecard(agentId: row.0, contacts: row.1, analysedContacts: row.2, complianceFindings: findings[row.0] ?? [:],
                      contactsWithFindings: row.3, averageSentiment: row.4, ticketsOpened: row.5, firstContactResolution: row.6,
                      reopenRate: row.7, sentimentAfterContact: row.8)
        }
    }
}
