import Foundation
import VOCSchema
import VOCStore

/// The insights' part of the customer 360: the last sentiment and complaint risk (of the
/// latest analysed contact), the highest risk ever, and the profile facts, each with the
/// redacted utterance it was read from and whether it is sensitive.
enum CustomerInsightWrites {
    struct CustomerRow: Encodable {
        var customerId: String
        var lastInsightAt: Date
        var lastInsightProducedAt: Date
        var lastSentimentLabel: String
        var lastSentimentScore: Double
        var complaintRisk: Double
        var maxComplaintRisk: Double
    }

    struct FactRow: Encodable {
        var customerId: String
        var fact: String
        var evidence: String
        var utteranceIndex: Int?
        var confidence: Double
        var sensitive: Bool
        var insightId: String
        var interactionId: String
        var observedAt: Date
    }

    static func apply(_ insights: [InsightProduced], in transaction: StoreTransaction) async throws {
        var customers: [String: CustomerRow] = [:]
        var facts: [String: FactRow] = [:]
        for insight in insights {
            var row = CustomerRow(
                customerId: insight.customerId, lastInsightAt: insight.occurredAt, lastInsightProducedAt: insight.producedAt,
                lastSentimentLabel: insight.sentiment.label, lastSentimentScore: insight.sentiment.score,
                complaintRisk: insight.complaintRisk, maxComplaintRisk: insight.complaintRisk)
            if let known = customers[insight.customerId] {
                row.maxComplaintRisk = max(row.maxComplaintRisk, known.maxComplaintRisk)
                if (known.lastInsightAt, known.lastInsightProducedAt) >= (row.lastInsightAt, row.lastInsightProducedAt) {
                    var kept = known
                    kept.maxComplaintRisk = row.maxComplaintRisk
                    row = kept
                }
            }
            customers[insight.customerId] = row
            for fact in insight.profileFacts {
                let candidate = FactRow(
                    customerId: insight.customerId, fact: fact.fact, evidence: fact.evidence, utteranceIndex: fact.utteranceIndex,
                    confidence: fact.confidence, sensitive: fact.sensitive, insightId: insight.insightId,
                    interactionId: insight.interactionId, observedAt: insight.occurredAt)
                let key = insight.customerId + "\u{1F}" + fact.fact
                if let known = facts[key], (known.observedAt, known.insightId) >= (candidate.observedAt, candidate.insightId) { continue }
                facts[key] = candidate
            }
        }
        try await transaction.execute(
            """
            INSERT INTO customer_profiles AS p (customer_id, last_insight_at, last_insight_produced_at, last_sentiment_label,
                last_sentiment_score, complaint_risk, max_complaint_risk)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(customers.values)))::jsonb) AS r(customer_id text,
                last_insight_at timestamptz, last_insight_produced_at timestamptz, last_sentiment_label text,
                last_sentiment_score double precision, complaint_risk double precision, max_complaint_risk double precision)
            ON CONFLICT (customer_id) DO UPDATE SET
                max_complaint_risk = GREATEST(p.max_complaint_risk, EXCLUDED.max_complaint_risk),
                last_insight_at = CASE WHEN p.last_insight_at IS NULL OR (p.last_insight_at, p.last_insight_produced_at)
                    < (EXCLUDED.last_insight_at, EXCLUDED.last_insight_produced_at) THEN EXCLUDED.last_insight_at ELSE p.last_insight_at END,
                last_insight_produced_at = CASE WHEN p.last_insight_at IS NULL OR (p.last_insight_at, p.last_insight_produced_at)
                    < (EXCLUDED.last_insight_at, EXCLUDED.last_insight_produced_at) THEN EXCLUDED.last_insight_produced_at
                    ELSE p.last_insight_produced_at END,
                last_sentiment_label = CASE WHEN p.last_insight_at IS NULL OR (p.last_insight_at, p.last_insight_produced_at)
                    < (EXCLUDED.last_insight_at, EXCLUDED.last_insight_produced_at) THEN EXCLUDED.last_sentiment_label
                    ELSE p.last_sentiment_label END,
                last_sentiment_score = CASE WHEN p.last_insight_at IS NULL OR (p.last_insight_at, p.last_insight_produced_at)
                    < (EXCLUDED.last_insight_at, EXCLUDED.last_insight_produced_at) THEN EXCLUDED.last_sentiment_score
                    ELSE p.last_sentiment_score END,
                complaint_risk = CASE WHEN p.last_insight_at IS NULL OR (p.last_insight_at, p.last_insight_produced_at)
                    < (EXCLUDED.last_insight_at, EXCLUDED.last_insight_produced_at) THEN EXCLUDED.complaint_risk
                    ELSE p.complaint_risk END
            """)
        guard !facts.isEmpty else { return }
        try await transaction.execute(
            """
            INSERT INTO customer_facts AS f (customer_id, fact, evidence, utterance_index, confidence, sensitive, insight_id,
                interaction_id, observed_at)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(facts.values)))::jsonb) AS r(customer_id text, fact text,
                evidence text, utterance_index integer, confidence double precision, sensitive boolean, insight_id text,
                interaction_id text, observed_at timestamptz)
            ON CONFLICT (customer_id, fact) DO UPDATE SET
                evidence = EXCLUDED.evidence, utterance_index = EXCLUDED.utterance_index, confidence = EXCLUDED.confidence,
                sensitive = EXCLUDED.sensitive, insight_id = EXCLUDED.insight_id, interaction_id = EXCLUDED.interaction_id,
                observed_at = EXCLUDED.observed_at
            WHERE (f.observed_at, f.insight_id) < (EXCLUDED.observed_at, EXCLUDED.insight_id)
            """)
    }
}
