import Foundation
import VOCStore

/// Trends per day × business line × category, and the complaint clusters growing fastest.
public struct TrendRepository: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func trends(period: Period, businessLine: String? = nil, category: String? = nil) async throws -> TrendSeries {
        let points = try await store.rows(
            """
            SELECT day::text, business_line, category, contacts, negative, sentiment_milli_sum
            FROM trend_days
            WHERE day >= \(period.from)::date AND day <= \(period.to)::date AND contacts > 0
              AND (\(businessLine)::text IS NULL OR business_line = \(businessLine))
              AND (\(category)::text IS NULL OR category = \(category))
            ORDER BY day, business_line, category
            """, as: String.self, String.self, String.self, Int.self, Int.self, Int.self
        ).map { TrendPoint(day: $0.0, businessLine: $0.1, category: $0.2, contacts: $0.3, negative: $0.4,
                           averageSentiment: Double($0.5) / 1000 / Double($0.3)) }
        return TrendSeries(from: period.from, to: period.to, points: points)
    }

    /// Clusters ranked by the members gained in the `days` days up to `to` less those of the
    /// `days` days before, then by the recent members.
    public func fastestGrowing(to: String, days: Int, businessLine: String? = nil, limit: Int) async throws -> ClusterList {
        let clusters = try await store.rows(
            """
            SELECT * FROM (
                SELECT c.cluster_id, c.label, c.business_line, c.size,
                       COALESCE(sum(d.members) FILTER (WHERE d.day > \(to)::date - \(days)::int), 0)::int8 AS recent,
                       COALESCE(sum(d.members) FILTER (WHERE d.day <= \(to)::date - \(days)::int), 0)::int8 AS previous
                FROM cluster_days d JOIN clusters c ON c.cluster_id = d.cluster_id
                WHERE d.day > \(to)::date - 2 * \(days)::int AND d.day <= \(to)::date
                  AND (\(businessLine)::text IS NULL OR c.business_line = \(businessLine))
                GROUP BY c.cluster_id, c.label, c.business_line, c.size
            ) g
            WHERE g.recent > 0 OR g.previous > 0
            ORDER BY g.recent - g.previous DESC, g.recent DESC, g.cluster_id
            LIMIT \(limit)
            """, as: String.self, String.self, String.self, Int.self, Int.self, Int.self
        ).map { ClusterGrowth(clusterId: $0.0, label: $0.1, businessLine: $0.2, size: $0.3, recent: $0.4, previous: $0.5,
                              growth: $0.4 - $0.5) }
        return ClusterList(clusters: clusters)
    }
}
