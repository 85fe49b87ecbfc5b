import Foundation
import VOCSchema
import VOCStore

/// What analyze understood of a contact, in every read model it feeds: the timeline row
/// (redacted transcript, sentiment, categories, compliance), trends and clusters, the
/// customer's last sentiment and complaint risk, and profile facts with their evidence.
///
/// A contact analysed twice (a new rule pack) shows its newest insight — by `producedAt`,
/// then id — and trends and clusters count that one only: the older one is taken back out.
struct InsightWrites {
    let days: LocalDays

    struct TimelineRow: Encodable {
        var entryId: String
        var customerId: String
        var channel: String
        var businessLine: String
        var occurredAt: Date
        var insightId: String
        var insightProducedAt: Date
        var sentimentLabel: String
        var sentimentScore: Double
        var categories: [String]
        var complaintRisk: Double
        var effort: Double
        var clusterId: String?
        var clusterLabel: String?
        var keywords: [String]
        var utterances: String
        var compliance: String
        var summary: String?
        var trendDay: String
        var trendBusinessLine: String
    }

    /// Contribution of contacts to one day × line × category (negative to take one out).
    struct TrendRow: Encodable {
        var day: String
        var businessLine: String
        var category: String
        var contacts = 0
        var negative = 0
        var sentimentMilliSum = 0
    }

    func apply(_ insights: [InsightProduced], in transaction: StoreTransaction) async throws {
        try await applyTimeline(insights, in: transaction)
        try await CustomerInsightWrites.apply(insights, in: transaction)
    }

    private func applyTimeline(_ insights: [InsightProduced], in transaction: StoreTransaction) async throws {
        var newest: [String: InsightProduced] = [:]
        for insight in insights {
            if let known = newest[insight.interactionId], (known.producedAt, known.insightId) >= (insight.producedAt, insight.insightId) { continue }
            newest[insight.interactionId] = insight
        }
        let current = try await transaction.rows(
            """
            SELECT entry_id, insight_id, insight_produced_at, trend_day::text, trend_business_line, categories, sentiment_label,
                   sentiment_score, cluster_id
            FROM timeline_entries WHERE entry_id = ANY(\(Array(newest.keys))) AND insight_id IS NOT NULL FOR UPDATE
            """, as: String.self, String.self, Date.self, String?.self, String?.self, [String]?.self, String?.self, Double?.self,
            String?.self)
        var trends: [String: TrendRow] = [:]
        var clusterDays: [String: (clusterId: String, day: String, members: Int)] = [:]
        func count(day: String, line: String, categories: [String], label: String?, score: Double, sign: Int) {
            for category in Self.trendCategories(categories) {
                let key = day + "\u{1F}" + line + "\u{1F}" + category
                var row = trends[key] ?? TrendRow(day: day, businessLine: line, category: category)
                row.contacts += sign
                if label == "negative" { row.negative += sign }
                row.sentimentMilliSum += sign * Int((score * 1000).rounded())
                trends[key] = row
            }
        }
        func member(_ clusterId: String?, day: String, sign: Int) {
            guard let clusterId else { return }
            let key = clusterId + "\u{1F}" + day
            clusterDays[key] = (clusterId, day, (clusterDays[key]?.members ?? 0) + sign)
        }
        for (entry, insightId, producedAt, day, line, categories, label, score, cluster) in current {
            guard let insight = newest[entry] else { continue }
            if (producedAt, insightId) >= (insight.producedAt, insight.insightId) {
                newest[entry] = nil
                continue
            }
            // The insight this one replaces leaves the counts it was in.
            if let day, let line {
                count(day: day, line: line, categories: categories ?? [], label: label, score: score ?? 0, sign: -1)
                member(cluster, day: day, sign: -1)
            }
        }
        guard !newest.isEmpty else { return }
        var rows: [TimelineRow] = []
        var clusters: [String: (label: String, line: String, size: Int)] = [:]
        for insight in newest.values {
            let day = days.day(insight.occurredAt)
            let categories = insight.categories.map(\.id)
            count(day: day, line: insight.businessLine, categories: categories, label: insight.sentiment.label,
                  score: insight.sentiment.score, sign: 1)
            member(insight.cluster?.id, day: day, sign: 1)
            if let cluster = insight.cluster {
                let size = cluster.size ?? 1
                if clusters[cluster.id].map({ ($0.size, $0.label) < (size, cluster.label) }) ?? true {
                    clusters[cluster.id] = (cluster.label, insight.businessLine, size)
                }
            }
            rows.append(TimelineRow(
                entryId: insight.interactionId, customerId: insight.customerId, channel: insight.channel.rawValue,
                businessLine: insight.businessLine, occurredAt: insight.occurredAt, insightId: insight.insightId,
                insightProducedAt: insight.producedAt, sentimentLabel: insight.sentiment.label, sentimentScore: insight.sentiment.score,
                categories: categories, complaintRisk: insight.complaintRisk, effort: insight.effort, clusterId: insight.cluster?.id,
                clusterLabel: insight.cluster?.label, keywords: insight.keywords.map(\.term),
                utterances: try Self.jsonText(insight.utterances), compliance: try Self.jsonText(insight.compliance),
                summary: Self.summary(insight.utterances), trendDay: day, trendBusinessLine: insight.businessLine))
        }
        try await transaction.execute(
            """
            INSERT INTO timeline_entries AS t (entry_id, customer_id, channel, business_line, occurred_at, insight_id, insight_produced_at,
                sentiment_label, sentiment_score, categories, complaint_risk, effort, cluster_id, cluster_label, keywords, utterances,
                compliance, summary, trend_day, trend_business_line)
            SELECT entry_id, customer_id, channel, business_line, occurred_at, insight_id, insight_produced_at, sentiment_label,
                sentiment_score, categories, complaint_risk, effort, cluster_id, cluster_label, keywords, utterances::jsonb,
                compliance::jsonb, summary, trend_day, trend_business_line
            FROM jsonb_to_recordset(\(try RowSet.json(rows))::jsonb) AS r(entry_id text, customer_id text, channel text,
                business_line text, occurred_at timestamptz, insight_id text, insight_produced_at timestamptz, sentiment_label text,
                sentiment_score double precision, categories text[], complaint_risk double precision, effort double precision,
                cluster_id text, cluster_label text, keywords text[], utterances text, compliance text, summary text, trend_day date,
                trend_business_line text)
            ON CONFLICT (entry_id) DO UPDATE SET
                insight_id = EXCLUDED.insight_id, insight_produced_at = EXCLUDED.insight_produced_at,
                sentiment_label = EXCLUDED.sentiment_label, sentiment_score = EXCLUDED.sentiment_score,
                categories = EXCLUDED.categories, complaint_risk = EXCLUDED.complaint_risk, effort = EXCLUDED.effort,
                cluster_id = EXCLUDED.cluster_id, cluster_label = EXCLUDED.cluster_label, keywords = EXCLUDED.keywords,
                utterances = EXCLUDED.utterances, compliance = EXCLUDED.compliance, summary = EXCLUDED.summary,
                trend_day = EXCLUDED.trend_day, trend_business_line = EXCLUDED.trend_business_line,
                channel = COALESCE(t.channel, EXCLUDED.channel), business_line = COALESCE(t.business_line, EXCLUDED.business_line),
                occurred_at = COALESCE(t.occurred_at, EXCLUDED.occurred_at)
            """)
        let changes = trends.values.filter { $0.contacts != 0 || $0.negative != 0 || $0.sentimentMilliSum != 0 }
        if !changes.isEmpty {
            try await transaction.execute(
                """
                INSERT INTO trend_days AS d (day, business_line, category, contacts, negative, sentiment_milli_sum)
                SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(changes)))::jsonb) AS r(day date, business_line text,
                    category text, contacts integer, negative integer, sentiment_milli_sum bigint)
                ON CONFLICT (day, business_line, category) DO UPDATE SET
                    contacts = d.contacts + EXCLUDED.contacts, negative = d.negative + EXCLUDED.negative,
                    sentiment_milli_sum = d.sentiment_milli_sum + EXCLUDED.sentiment_milli_sum
                """)
            // A count emptied by a replaced insight goes, as if it had never been made.
            try await transaction.execute(
                "DELETE FROM trend_days WHERE contacts = 0 AND day = ANY(\(Array(Set(changes.map(\.day))))::date[])")
        }
        try await ClusterWrites.apply(clusters: clusters, days: Array(clusterDays.values), in: transaction)
    }

    /// Categories a contact counts under in trends: its own, or `uncategorised`.
    static func trendCategories(_ categories: [String]) -> [String] {
        let distinct = Array(Set(categories)).sorted()
        return distinct.isEmpty ? ["uncategorised"] : distinct
    }

    /// The first thing the customer said (redacted), cut to 200 characters.
    static func summary(_ utterances: [InsightProduced.AnalyzedUtterance]) -> String? {
        let first = utterances.first { $0.speaker == .customer } ?? utterances.first
        return first.map { String($0.text.prefix(200)) }
    }

    static func jsonText<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self)
    }
}
