import Foundation
import VOCStore

/// Fills the read models of `voc bench read` straight in PostgreSQL with `generate_series`
/// (one statement per chunk): interactions with their insight, the customers they belong
/// to (ten contacts each), tickets (one per five contacts, a fifth of them open) and two
/// profile facts per customer.
enum ReadBenchSeed {
    static let departments = ["card_operations", "wealth_ops", "loan_servicing", "collections", "consumer_protection", "compliance",
                              "digital_channels", "branch_service"]

    static func customerId(_ index: Int) -> String { "B-" + String(format: "%07d", index) }

    static func seed(_ store: Store, interactions: Int, progress: (String) -> Void) async throws {
        let customers = max(1, interactions / 10)
        let tickets = max(1, interactions / 5)
        let departments = Self.departments
        try await store.execute(
            """
            INSERT INTO customer_profiles (customer_id, advisor_id, relationship_manager_id, business_line, consent_marketing,
                consent_sensitive_profile, crm_updated_at, crm_update_id, contact_count, first_contact_at, last_contact_at,
                last_insight_at, last_insight_produced_at, last_sentiment_label, last_sentiment_score, complaint_risk, max_complaint_risk)
            SELECT 'B-' || lpad(c::text, 7, '0'), 'adv-' || (c % 500), 'rm-' || (c % 300),
                   (ARRAY['wealth', 'credit_card', 'consumer_loan'])[1 + c % 3], true, true, now(), 'seed', 10,
                   now() - interval '90 days', now(), now(), now(), 'negative', -0.4, (c % 100) / 100.0, (c % 100) / 100.0
            FROM generate_series(1, \(customers)) c
            """)
        progress("\(customers) customers")
        let chunk = 100_000
        var done = 0
        while done < interactions {
            let upper = min(interactions, done + chunk)
            try await store.execute(
                """
                INSERT INTO timeline_entries (entry_id, customer_id, kind, channel, business_line, occurred_at, received_at, agent_id,
                    content_chars, utterance_count, has_audio, event_id, interaction_seen, insight_id, insight_produced_at,
                    sentiment_label, sentiment_score, categories, complaint_risk, effort, keywords, utterances, compliance, summary,
                    trend_day, trend_business_line)
                SELECT 'BI-' || i, 'B-' || lpad((1 + i % \(customers))::text, 7, '0'), 'interaction', 'hotline_call', 'wealth',
                       now() - (i % 129600) * interval '60 seconds', now(), 'ag-' || (i % 400), 40, 2, false, 'BI-' || i, true,
                       'BN-' || i, now(), 'negative', -0.5, ARRAY['fees_interest'], 0.3, 0.1, ARRAY['年费'],
                       '[{"speaker":"customer","text":"年费扣了两次，请退回","sentiment":{"label":"negative","score":-0.5}}]'::jsonb,
                       '[]'::jsonb, '年费扣了两次，请退回', current_date, 'wealth'
                FROM generate_series(\(done + 1), \(upper)) i
                """)
            done = upper
            progress("\(done)/\(interactions) interactions")
        }
        try await store.execute(
            """
            INSERT INTO ticket_queue (ticket_id, sequence, status, customer_id, business_line, category, department, priority,
                interaction_id, insight_id, opened_at, updated_at, due_at, breached, repeat_count, reopen_count)
            SELECT 'BT-' || t, 2, CASE WHEN t % 5 = 0 THEN 'open' ELSE 'closed' END,
                   'B-' || lpad((1 + (t * 5) % \(customers))::text, 7, '0'), 'wealth', 'fees_interest',
                   (\(departments)::text[])[1 + t % \(departments.count)], 'normal', 'BI-' || (t * 5), 'BN-' || (t * 5),
                   now() - interval '2 days', now(), now() + ((t % 200) - 50) * interval '1 hour', t % 7 = 0, 0, 0
            FROM generate_series(1, \(tickets)) t
            """)
        try await store.execute(
            """
            INSERT INTO ticket_contacts (interaction_id, ticket_id, opened)
            SELECT 'BI-' || (t * 5), 'BT-' || t, true FROM generate_series(1, \(tickets)) t
            """)
        progress("\(tickets) tickets")
        try await store.execute(
            """
            INSERT INTO customer_facts (customer_id, fact, evidence, utterance_index, confidence, sensitive, insight_id, interaction_id,
                observed_at)
            SELECT 'B-' || lpad(c::text, 7, '0'), f.fact, f.evidence, 1, 0.9, f.sensitive, 'BN-' || c, 'BI-' || c, now()
            FROM generate_series(1, \(customers)) c,
                 (VALUES ('health.hypertension', '我血压高', true), ('interest.film', '我喜欢看电影', false)) AS f(fact, evidence, sensitive)
            """)
        try await store.execute("ANALYZE")
        progress("profile facts; analysed")
    }
}
