import Foundation
import VOCSchema
import VOCStore

/// The claim-check of recorded contacts: where ingest stored the bytes, their size, type
/// and SHA-256, as the interaction carries them. The recording itself stays in the blob
/// store; the read API fetches it from there when someone plays it.
enum RecordingWrites {
    struct Row: Encodable {
        var interactionId: String
        var customerId: String
        var uri: String
        var mediaType: String
        var sizeBytes: Int64
        var sha256: String
        var durationMs: Int?
    }

    /// An interaction sent twice keeps its first reference: ingest never re-stores a recording
    /// under the same interaction id, so the two are the same.
    static func apply(_ interactions: [InteractionReceived], in transaction: StoreTransaction) async throws {
        var rows: [String: Row] = [:]
        for event in interactions where rows[event.interactionId] == nil {
            guard let audio = event.audio else { continue }
            rows[event.interactionId] = Row(interactionId: event.interactionId, customerId: event.customerId, uri: audio.uri,
                                            mediaType: audio.mediaType, sizeBytes: audio.sizeBytes, sha256: audio.sha256.lowercased(),
                                            durationMs: audio.durationMs)
        }
        guard !rows.isEmpty else { return }
        try await transaction.execute(
            """
            INSERT INTO recordings (interaction_id, customer_id, uri, media_type, size_bytes, sha256, duration_ms)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(rows.values)))::jsonb) AS r(interaction_id text,
                customer_id text, uri text, media_type text, size_bytes bigint, sha256 text, duration_ms integer)
            ON CONFLICT (interaction_id) DO NOTHING
            """)
    }
}
