import Foundation
import VOCStore

/// Complaint clusters as analyze assigns them: the largest size reported (with the label
/// at that size) and the members each day, for the growth the read API ranks by.
enum ClusterWrites {
    struct ClusterRow: Encodable {
        var clusterId: String
        var label: String
        var businessLine: String
        var size: Int
    }

    struct DayRow: Encodable {
        var clusterId: String
        var day: String
        var members: Int
    }

    static func apply(clusters: [String: (label: String, line: String, size: Int)],
                      days: [(clusterId: String, day: String, members: Int)], in transaction: StoreTransaction) async throws {
        if !clusters.isEmpty {
            let rows = clusters.map { ClusterRow(clusterId: $0.key, label: $0.value.label, businessLine: $0.value.line, size: $0.value.size) }
            try await transaction.execute(
                """
                INSERT INTO clusters AS c (cluster_id, label, business_line, size)
                SELECT * FROM jsonb_to_recordset(\(try RowSet.json(rows))::jsonb)
                    AS r(cluster_id text, label text, business_line text, size integer)
                ON CONFLICT (cluster_id) DO UPDATE SET size = EXCLUDED.size, label = EXCLUDED.label
                WHERE (c.size, c.label) < (EXCLUDED.size, EXCLUDED.label)
                """)
        }
        let changes = days.filter { $0.members != 0 }.map { DayRow(clusterId: $0.clusterId, day: $0.day, members: $0.members) }
        guard !changes.isEmpty else { return }
        try await transaction.execute(
            """
            INSERT INTO cluster_days AS d (cluster_id, day, members)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(changes))::jsonb) AS r(cluster_id text, day date, members integer)
            ON CONFLICT (cluster_id, day) DO UPDATE SET members = d.members + EXCLUDED.members
            """)
        try await transaction.execute(
            "DELETE FROM cluster_days WHERE members = 0 AND cluster_id = ANY(\(Array(Set(changes.map(\.clusterId)))))")
    }
}
