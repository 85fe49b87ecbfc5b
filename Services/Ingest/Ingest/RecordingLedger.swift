import Foundation
import VOCSchema
import VOCStore

/// Where each recording is on its way from request to event (table `ingest_recordings`).
struct RecordingLedger: Sendable {
    enum State: String, Sendable {
        case awaitingAudio = "awaiting_audio"
        case storing, stored, published
    }

    let store: Store

    /// Records an interaction whose bytes come later (two-step upload).
    /// - Returns: `false` when the interaction id is already known.
    func announce(_ event: InteractionReceived, ttlSeconds: Int) async throws -> Bool {
        try await insert(event, state: .awaitingAudio, blobURI: nil, ttlSeconds: ttlSeconds)
    }

    /// Records that the bytes of `event` are about to be written to `blobURI`, before a
    /// single byte is; a crash from here on leaves a row the sweeper can act on.
    /// - Returns: `false` when the interaction id is already known.
    func reserve(_ event: InteractionReceived, blobURI: String, ttlSeconds: Int) async throws -> Bool {
        try await insert(event, state: .storing, blobURI: blobURI, ttlSeconds: ttlSeconds)
    }

    private func insert(_ event: InteractionReceived, state: State, blobURI: String?, ttlSeconds: Int) async throws -> Bool {
        let json = try Self.json(event)
        let rows = try await store.execute(
            """
            INSERT INTO ingest_recordings (interaction_id, gateway_id, state, event, blob_uri, expires_at)
            VALUES (\(event.interactionId), \(event.gatewayId), \(state.rawValue), \(json)::jsonb, \(blobURI),
                    now() + make_interval(secs => \(ttlSeconds)))
            ON CONFLICT (interaction_id) DO NOTHING RETURNING 1
            """)
        return rows > 0
    }

    /// Takes an announced interaction for its upload: only one `PUT` wins.
    /// - Returns: the announced event and its state before the claim, or `nil` when the
    ///   interaction was never announced (or expired).
    func claimUpload(interactionId: String, gatewayId: String?, blobURI: String) async throws -> (InteractionReceived, claimed: Bool, state: State)? {
        let rows = try await store.rows(
            """
            UPDATE ingest_recordings SET state = 'storing', blob_uri = \(blobURI), updated_at = now()
             WHERE interaction_id = \(interactionId) AND state = 'awaiting_audio' AND expires_at > now()
               AND gateway_id IS NOT DISTINCT FROM \(gatewayId)
            RETURNING event::text
            """, as: String.self)
        for json in rows {
            return (try Self.event(json), true, .awaitingAudio)
        }
        let existing = try await store.rows(
            """
            SELECT event::text, state FROM ingest_recordings
             WHERE interaction_id = \(interactionId) AND gateway_id IS NOT DISTINCT FROM \(gatewayId)
            """, as: String.self, String.self)
        for (json, state) in existing {
            return (try Self.event(json), false, State(rawValue: state) ?? .stored)
        }
        return nil
    }

    /// The blob is complete: from here the event must reach the broker, now or by the sweeper.
    func markStored(_ event: InteractionReceived) async throws {
        let json = try Self.json(event)
        try await store.execute(
            """
            UPDATE ingest_recordings SET state = 'stored', event = \(json)::jsonb, updated_at = now()
             WHERE interaction_id = \(event.interactionId)
            """)
    }

    func markPublished(interactionId: String) async throws {
        try await store.execute(
            "UPDATE ingest_recordings SET state = 'published', updated_at = now() WHERE interaction_id = \(interactionId)")
    }

    /// Puts a claimed upload back (the bytes were refused), or forgets a one-step
    /// reservation, after its blob (if any) was deleted.
    func abandon(interactionId: String, backTo state: State?) async throws {
        if let state {
            try await store.execute(
                """
                UPDATE ingest_recordings SET state = \(state.rawValue), blob_uri = NULL, updated_at = now()
                 WHERE interaction_id = \(interactionId)
                """)
        } else {
            try await store.execute(
                "DELETE FROM ingest_recordings WHERE interaction_id = \(interactionId)")
        }
    }

    struct Stale: Sendable {
        var interactionId: String
        var state: State
        var blobURI: String?
        var event: InteractionReceived
    }

    /// Rows the sweeper must finish: `storing` rows older than any upload takes, `stored`
    /// rows whose request is surely over, and announcements past their expiry.
    func stale(storingGraceSeconds: Int, storedGraceSeconds: Int, limit: Int = 100) async throws -> [Stale] {
        let rows = try await store.rows(
            """
            SELECT interaction_id, state, blob_uri, event::text FROM ingest_recordings
             WHERE (state = 'storing' AND updated_at < now() - make_interval(secs => \(storingGraceSeconds)))
                OR (state = 'stored' AND updated_at < now() - make_interval(secs => \(storedGraceSeconds)))
                OR (state = 'awaiting_audio' AND expires_at < now())
             ORDER BY updated_at LIMIT \(limit)
            """, as: String.self, String.self, String?.self, String.self)
        var result: [Stale] = []
        for (id, state, uri, json) in rows {
            result.append(Stale(interactionId: id, state: State(rawValue: state) ?? .storing, blobURI: uri, event: try Self.event(json)))
        }
        return result
    }

    /// Published rows are only history; keep them for a while for support, then drop them.
    func forgetPublished(olderThanSeconds seconds: Int) async throws {
        try await store.execute(
            """
            DELETE FROM ingest_recordings
             WHERE state = 'published' AND updated_at < now() - make_interval(secs => \(seconds))
            """)
    }

    static func json(_ event: InteractionReceived) throws -> String {
        String(decoding: try JSONCoding.encoder().encode(event), as: UTF8.self)
    }

    static func event(_ json: String) throws -> InteractionReceived {
        try JSONCoding.decoder().decode(InteractionReceived.self, from: Data(json.utf8))
    }
}
