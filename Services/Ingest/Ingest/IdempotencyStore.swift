import Foundation
import VOCStore

/// The answers to requests with an `Idempotency-Key`, in PostgreSQL, so a retry reaches
/// the first answer whichever ingest replica it lands on.
struct IdempotencyStore: Sendable {
    let store: Store
    let ttlSeconds: Int

    struct StoredAnswer: Sendable, Equatable {
        var status: Int
        var contentType: String
        var headers: [String: String] = [:]
        var body: [UInt8]
    }

    enum Claim: Sendable, Equatable {
        /// First time: run the request, then ``complete(gateway:key:answer:)``.
        case proceed
        /// Seen and answered: send this again.
        case replay(StoredAnswer)
        /// The first request with this key is still running.
        case inProgress
        /// The key was used for a different request.
        case mismatch
    }

    func claim(gateway: String, key: String, fingerprint: String) async throws -> Claim {
        let ttl = ttlSeconds
        let claimed = try await store.execute(
            """
            INSERT INTO ingest_idempotency (gateway_id, idempotency_key, fingerprint, state, expires_at)
            VALUES (\(gateway), \(key), \(fingerprint), 'pending', now() + make_interval(secs => \(ttl)))
            ON CONFLICT (gateway_id, idempotency_key) DO UPDATE
               SET fingerprint = EXCLUDED.fingerprint, state = 'pending', status = NULL, body = NULL,
                   created_at = now(), expires_at = EXCLUDED.expires_at
             WHERE ingest_idempotency.expires_at < now()
            RETURNING 1
            """)
        if claimed > 0 { return .proceed }
        let existing = try await store.rows(
            """
            SELECT fingerprint, state, status, content_type, headers::text, body FROM ingest_idempotency
             WHERE gateway_id = \(gateway) AND idempotency_key = \(key)
            """, as: String.self, String.self, Int?.self, String?.self, String?.self, Data?.self)
        for (storedPrint, state, status, contentType, headers, body) in existing {
            guard storedPrint == fingerprint else { return .mismatch }
            guard state == "done", let status else { return .inProgress }
            let fields = headers.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
            return .replay(StoredAnswer(status: status, contentType: contentType ?? "application/json", headers: fields,
                                        body: body.map { Array($0) } ?? []))
        }
        // Expired and swept between the two statements: claim it afresh.
        return try await claim(gateway: gateway, key: key, fingerprint: fingerprint)
    }

    func complete(gateway: String, key: String, answer: StoredAnswer) async throws {
        let body = Data(answer.body)
        let headers = String(decoding: try JSONEncoder().encode(answer.headers), as: UTF8.self)
        try await store.execute(
            """
            UPDATE ingest_idempotency SET state = 'done', status = \(answer.status), content_type = \(answer.contentType),
                   headers = \(headers)::jsonb, body = \(body)
             WHERE gateway_id = \(gateway) AND idempotency_key = \(key)
            """)
    }

    /// Forgets a claim whose request failed in a way a retry may fix (5xx), so the retry
    /// runs again instead of replaying the failure.
    func release(gateway: String, key: String) async throws {
        try await store.execute(
            "DELETE FROM ingest_idempotency WHERE gateway_id = \(gateway) AND idempotency_key = \(key) AND state = 'pending'")
    }

    /// Deletes expired answers. - Returns: how many.
    func sweep() async throws -> Int {
        try await store.execute("DELETE FROM ingest_idempotency WHERE expires_at < now() RETURNING 1")
    }
}
