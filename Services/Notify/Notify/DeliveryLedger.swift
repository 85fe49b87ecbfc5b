import Foundation
import VOCSchema
import VOCStore

/// The ledger row of one idempotency key.
struct LedgerEntry: Sendable, Equatable {
    enum Status: String, Sendable {
        case sending, delivered, failed, queued, exhausted
    }

    var notificationId: String
    var deliveryId: String
    var recipientId: String
    var medium: String
    var deliveredVia: String?
    var status: Status
    var attempts: Int
    var receiverStatus: Int?
    var receiverAnswer: String?
    var error: String?
    var finishedAt: Date?

    /// The outcome this row stands for, published again when the request comes again.
    func outcome(idempotencyKey: String) -> NotificationDelivered {
        NotificationDelivered(
            deliveryId: deliveryId, notificationId: notificationId, idempotencyKey: idempotencyKey, recipientId: recipientId,
            medium: NotificationRequested.Medium(rawValue: medium), outcome: status == .delivered ? .delivered : .failed, attempts: max(1, attempts),
            error: error, deliveredAt: finishedAt ?? Date(), receiverStatus: receiverStatus, receiverAnswer: receiverAnswer,
            deliveredVia: deliveredVia.map { NotificationRequested.Medium(rawValue: $0) })
    }
}

/// The delivery ledger: claims an idempotency key before anything is sent and records
/// how it ended, so a redelivered request is answered from here instead of sent again.
struct DeliveryLedger: Sendable {
    let store: Store

    enum Claim: Sendable, Equatable {
        /// Nobody has sent it, or an earlier try stopped midway or ran out of attempts.
        case send(attemptsSoFar: Int)
        /// Finished before: its outcome, not another message.
        case finished(LedgerEntry)
        /// Waiting for a robot digest that will publish the outcome.
        case queued
    }

    static func deliveryId(_ idempotencyKey: String) -> String {
        StableID.make("delivery", idempotencyKey)
    }

    func claim(_ request: NotificationRequested, on session: any SQLSession) async throws -> Claim {
        let deliveryId = Self.deliveryId(request.idempotencyKey)
        let inserted = try await session.execute(
            """
            INSERT INTO notify_deliveries (idempotency_key, notification_id, delivery_id, recipient_id, medium, status)
            VALUES (\(request.idempotencyKey), \(request.notificationId), \(deliveryId), \(request.recipient.id),
                    \(request.medium.rawValue), 'sending')
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1
            """)
        if inserted > 0 { return .send(attemptsSoFar: 0) }
        guard let entry = try await entry(request.idempotencyKey, on: session) else { return .send(attemptsSoFar: 0) }
        switch entry.status {
        case .delivered, .failed: return .finished(entry)
        case .queued: return .queued
        case .sending, .exhausted: return .send(attemptsSoFar: entry.attempts)
        }
    }

    /// One claim per key of a batch, in one statement: keys it inserts are new
    /// (`.send(attemptsSoFar: 0)`), the others are answered from their rows.
    /// - Parameter requests: at most one request per idempotency key.
    func claim(_ requests: [NotificationRequested], on session: any SQLSession) async throws -> [String: Claim] {
        guard !requests.isEmpty else { return [:] }
        let keys = requests.map(\.idempotencyKey)
        let inserted: [String] = try await session.rows(
            """
            INSERT INTO notify_deliveries (idempotency_key, notification_id, delivery_id, recipient_id, medium, status)
            SELECT key, notification, delivery, recipient, medium, 'sending'
            FROM unnest(\(keys)::text[], \(requests.map(\.notificationId))::text[],
                        \(keys.map(Self.deliveryId))::text[], \(requests.map(\.recipient.id))::text[],
                        \(requests.map(\.medium.rawValue))::text[]) AS r(key, notification, delivery, recipient, medium)
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key
            """, as: String.self)
        let fresh = Set(inserted)
        var claims: [String: Claim] = [:]
        for key in fresh { claims[key] = .send(attemptsSoFar: 0) }
        let seen = keys.filter { !fresh.contains($0) }
        for (key, entry) in try await entries(seen, on: session) {
            switch entry.status {
            case .delivered, .failed: claims[key] = .finished(entry)
            case .queued: claims[key] = .queued
            case .sending, .exhausted: claims[key] = .send(attemptsSoFar: entry.attempts)
            }
        }
        for key in seen where claims[key] == nil { claims[key] = .send(attemptsSoFar: 0) }
        return claims
    }

    /// The rows of `keys`, by key.
    func entries(_ keys: [String], on session: any SQLSession) async throws -> [String: LedgerEntry] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await session.rows(
            """
            SELECT idempotency_key, notification_id, delivery_id, recipient_id, medium, delivered_via, status, attempts,
                   receiver_status, receiver_answer, error, finished_at
            FROM notify_deliveries WHERE idempotency_key = ANY(\(keys))
            """, as: String.self, String.self, String.self, String.self, String.self, String?.self, String.self, Int.self,
            Int?.self, String?.self, String?.self, Date?.self)
        var entries: [String: LedgerEntry] = [:]
        for row in rows {
            entries[row.0] = LedgerEntry(
                notificationId: row.1, deliveryId: row.2, recipientId: row.3, medium: row.4, deliveredVia: row.5,
                status: LedgerEntry.Status(rawValue: row.6) ?? .sending, attempts: row.7, receiverStatus: row.8,
                receiverAnswer: row.9, error: row.10, finishedAt: row.11)
        }
        return entries
    }

    /// How one delivery ended, for ``finish(_:on:)``.
    struct Ending: Sendable {
        var idempotencyKey: String
        var status: LedgerEntry.Status
        var attempts: Int
        var via: String?
        var last: Attempt
    }

    /// Records the ends of many deliveries in one statement.
    func finish(_ endings: [Ending], on session: any SQLSession) async throws {
        guard !endings.isEmpty else { return }
        try await session.execute(
            """
            UPDATE notify_deliveries AS d SET status = e.status, attempts = e.attempts, delivered_via = e.via,
                receiver_status = e.receiver_status, receiver_answer = e.receiver_answer, error = e.error, finished_at = now()
            FROM unnest(\(endings.map(\.idempotencyKey))::text[], \(endings.map(\.status.rawValue))::text[],
                        \(endings.map(\.attempts))::integer[], \(endings.map(\.via))::text[],
                        \(endings.map(\.last.status))::integer[], \(endings.map(\.last.answer))::text[],
                        \(endings.map(\.last.error))::text[])
                AS e(key, status, attempts, via, receiver_status, receiver_answer, error)
            WHERE d.idempotency_key = e.key
            """)
    }

    func entry(_ idempotencyKey: String) async throws -> LedgerEntry? {
        try await entry(idempotencyKey, on: store)
    }

    func entry(_ idempotencyKey: String, on session: any SQLSession) async throws -> LedgerEntry? {
        let rows = try await session.rows(
            """
            SELECT notification_id, delivery_id, recipient_id, medium, delivered_via, status, attempts, receiver_status,
                   receiver_answer, error, finished_at
            FROM notify_deliveries WHERE idempotency_key = \(idempotencyKey)
            """, as: String.self, String.self, String.self, String.self, String?.self, String.self, Int.self, Int?.self,
            String?.self, String?.self, Date?.self)
        return rows.first.map {
            LedgerEntry(notificationId: $0.0, deliveryId: $0.1, recipientId: $0.2, medium: $0.3, deliveredVia: $0.4,
                        status: LedgerEntry.Status(rawValue: $0.5) ?? .sending, attempts: $0.6, receiverStatus: $0.7,
                        receiverAnswer: $0.8, error: $0.9, finishedAt: $0.10)
        }
    }

    /// Records the end of the attempts on `session` (the pool, or a digest's transaction).
    func finish(_ idempotencyKey: String, status: LedgerEntry.Status, attempts: Int, via: String?, last: Attempt,
                on session: any SQLSession) async throws {
        try await session.execute(
            """
            UPDATE notify_deliveries SET status = \(status.rawValue), attempts = \(attempts), delivered_via = \(via),
                receiver_status = \(last.status), receiver_answer = \(last.answer), error = \(last.error),
                finished_at = now()
            WHERE idempotency_key = \(idempotencyKey)
            """)
    }
}
